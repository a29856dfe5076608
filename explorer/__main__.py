"""``python -m explorer``: the same as the ``fact-explorer`` command."""

from explorer.cli import main

raise SystemExit(main())
