"""A bar chart of a metric's values by period, drawn with block characters."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from explorer.tui.safe import literal

BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(value: float, largest: float, width: int) -> str:
    """A horizontal bar of ``value`` against ``largest`` in ``width`` cells."""
    if largest <= 0 or value <= 0:
        return ""
    eighths = round(value / largest * width * 8)
    return "█" * (eighths // 8) + (BLOCKS[eighths % 8] if eighths % 8 else "")


def chart_content(
    title: str, unit: str, points: list[tuple[str, float]], current: str | None, width: int
) -> Content:
    """Render the series as labelled bars, the current fact's period in bold."""
    if not points:
        return Content("")
    largest = max(abs(v) for _p, v in points)
    label = max(len(p) for p, _v in points)
    numbers = [f"{v:,.10g}" for _p, v in points]
    room = max(4, width - label - max(len(n) for n in numbers) - 4)
    lines: list[Content] = [literal(f"{title} ({unit})", "bold")]
    for (period, value), number in zip(points, numbers, strict=True):
        style = "bold $accent" if period == current else "$primary"
        lines.append(
            Content.assemble(
                literal(f"{period:>{label}} ", "bold" if period == current else ""),
                literal(bar(abs(value), largest, room), style),
                literal(f" {number}"),
            )
        )
    return Content("\n").join(lines)


class Chart(Static):
    """The chart of the current fact's metric; hidden when it has no series."""

    def plot(
        self, title: str, unit: str, points: list[tuple[str, float]], current: str | None
    ) -> None:
        """Draw these points, or hide the chart when there are fewer than two."""
        self.display = len(points) >= 2
        width = max(20, (self.size.width or self.app.size.width // 2) - 2)
        self.update(chart_content(title, unit, points, current, width))
