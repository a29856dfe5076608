"""`dataclass` and `field` as the standard library's, made without importing it.

A warm ``fact-explorer search`` creates about 25 dataclasses (the model, the
query, the plan, the index). `dataclasses` imports `inspect` (with `ast`,
`dis` and `tokenize`) and compiles half a dozen methods per class from source
at import: ~7 ms for the module and ~0.4 ms a class, a third of the whole
process. Here a class gets the same methods without either: ``__repr__``,
``__eq__``, ``__hash__``, the frozen ``__setattr__``/``__delattr__`` and the
slots' pickling are plain functions over the field names, and ``__init__``
(the one whose speed counts: the loader builds every fact through it) is
a generic one for a class's first few instances, then written out as
`dataclasses` writes it.

The result is a dataclass to its users: ``dataclasses.fields``, ``replace``
and ``asdict`` work, since ``__dataclass_fields__`` is made (by `dataclasses`
itself, from the same fields) the first time something asks for it. Mypy is
shown the standard decorator, so it checks these classes as dataclasses.

Only what the explorer uses is supported (``frozen``, ``slots``; ``field``'s
``default``, ``default_factory``, ``init``, ``repr`` and ``compare``; no
dataclass bases, no ``ClassVar``, ``InitVar`` or keyword-only fields); a
class that needs more uses `dataclasses`.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import dataclass, field
    from typing import NamedTuple, overload
else:
    from _thread import get_ident

    _MISSING = type("_Missing", (), {"__repr__": lambda self: "<missing>"})()
    _FACTORY = type("_Factory", (), {"__repr__": lambda self: "<factory>"})()

    class _Field:
        """One field as `field` declares it."""

        __slots__ = ("compare", "default", "default_factory", "init", "name", "repr", "type")

        def __init__(self, default, default_factory, init, repr, compare):  # noqa: A002
            if default is not _MISSING and default_factory is not _MISSING:
                raise ValueError("cannot specify both default and default_factory")
            self.default = default
            self.default_factory = default_factory
            self.init = init
            self.repr = repr
            self.compare = compare
            self.name = ""
            self.type = None

    def field(
        *,
        default=_MISSING,
        default_factory=_MISSING,
        init=True,
        repr=True,  # noqa: A002 - dataclasses.field's own name
        compare=True,
    ):
        """Declare a field, as `dataclasses.field` does (the arguments the explorer uses)."""
        return _Field(default, default_factory, init, repr, compare)

    def dataclass(cls=None, /, *, frozen=False, slots=False):
        """Make ``cls`` a dataclass, as `dataclasses.dataclass` would (see the module's notes)."""

        def wrap(cls):
            return _build(cls, frozen, slots)

        return wrap if cls is None else wrap(cls)

    def _build(cls, frozen, slots):
        namespace = cls.__dict__
        specs = []
        for name, annotation in namespace.get("__annotations__", {}).items():
            value = namespace.get(name, _MISSING)
            spec = value if isinstance(value, _Field) else _Field(value, _MISSING, True, True, True)
            spec.name, spec.type = name, annotation
            specs.append(spec)
        specs = tuple(specs)
        names = tuple(s.name for s in specs)
        if slots:
            body = {
                k: v for k, v in namespace.items() if k not in (*names, "__dict__", "__weakref__")
            }
            body["__slots__"] = names
            body["__qualname__"] = cls.__qualname__
            cls = type(cls)(cls.__name__, cls.__bases__, body)
        else:
            for spec in specs:  # the defaults stay as class attributes, as dataclasses leaves them
                if spec.default is _MISSING:
                    if isinstance(namespace.get(spec.name), _Field):
                        delattr(cls, spec.name)
                else:
                    setattr(cls, spec.name, spec.default)
        cls.__record_fields__ = specs
        cls.__dataclass_fields__ = _LazyFields(frozen)
        cls.__match_args__ = tuple(s.name for s in specs if s.init)
        own = cls.__dict__
        if "__init__" not in own:
            cls.__init__ = _first_init(cls, specs, frozen, slots)
        if "__repr__" not in own:
            cls.__repr__ = _repr(tuple(s.name for s in specs if s.repr))
        compared = tuple(s.name for s in specs if s.compare)
        if "__eq__" not in own:
            cls.__eq__ = _eq(compared)
        if "__hash__" not in own or own["__hash__"] is None:
            cls.__hash__ = _hash(compared) if frozen else None
        if frozen:
            cls.__setattr__, cls.__delattr__ = _frozen(cls, frozenset(names))
            if slots:
                if "__getstate__" not in own:
                    cls.__getstate__ = _getstate(names)
                if "__setstate__" not in own:
                    cls.__setstate__ = _setstate(names)
        return cls

    class _LazyFields:
        """``__dataclass_fields__``, made by `dataclasses` from the same fields when first read."""

        def __init__(self, frozen):
            self.frozen = frozen

        def __get__(self, instance, owner):
            import dataclasses

            body = {"__annotations__": {s.name: s.type for s in owner.__record_fields__},
                    "__module__": owner.__module__, "__qualname__": owner.__qualname__}  # fmt: skip
            for s in owner.__record_fields__:
                body[s.name] = dataclasses.field(
                    default=s.default if s.default is not _MISSING else dataclasses.MISSING,
                    default_factory=(
                        s.default_factory
                        if s.default_factory is not _MISSING
                        else dataclasses.MISSING
                    ),
                    init=s.init, repr=s.repr, compare=s.compare,
                )  # fmt: skip
            twin = dataclasses.dataclass(type(owner.__name__, (), body), frozen=self.frozen)
            fields = twin.__dataclass_fields__
            type.__setattr__(owner, "__dataclass_fields__", fields)
            type.__setattr__(owner, "__dataclass_params__", twin.__dataclass_params__)
            return fields

    WRITTEN_AFTER = 16
    """Instances a class makes through the generic ``__init__`` before its own is written."""

    def _first_init(cls, specs, frozen, slots):
        """A generic ``__init__``, until the class is used enough to write its own (`_init`).

        Writing one costs ~0.1 ms (a compile); a class a search makes a few of
        never pays it, and the loader's 100k facts get the fast one.
        """
        put = object.__setattr__ if frozen else setattr
        taken = tuple(s.name for s in specs if s.init)
        defaults = {s.name: s for s in specs if s.init and _has_default(s)}
        later = tuple(
            s
            for s in specs
            if not s.init
            and (s.default_factory is not _MISSING or (slots and s.default is not _MISSING))
        )
        post_init = hasattr(cls, "__post_init__")
        made = [0]

        def __init__(self, *args, **kwargs):
            made[0] += 1
            if made[0] >= WRITTEN_AFTER:
                type.__setattr__(cls, "__init__", _init(cls, specs, frozen, slots))
            if len(args) > len(taken):
                raise TypeError(f"__init__() takes {len(taken) + 1} positional arguments "
                                f"but {len(args) + 1} were given")  # fmt: skip
            for name, value in zip(taken, args, strict=False):
                if name in kwargs:
                    raise TypeError(f"__init__() got multiple values for argument {name!r}")
                put(self, name, value)
            for name in taken[len(args) :]:
                if name in kwargs:
                    put(self, name, kwargs.pop(name))
                elif name in defaults:
                    put(self, name, _default_of(defaults[name]))
                else:
                    raise TypeError(f"__init__() missing 1 required positional argument: {name!r}")
            if kwargs:
                raise TypeError(
                    f"__init__() got an unexpected keyword argument {next(iter(kwargs))!r}"
                )
            for spec in later:
                put(self, spec.name, _default_of(spec))
            if post_init:
                self.__post_init__()

        __init__.__qualname__ = f"{cls.__qualname__}.__init__"
        return __init__

    def _has_default(spec):
        return spec.default is not _MISSING or spec.default_factory is not _MISSING

    def _default_of(spec):
        return spec.default_factory() if spec.default_factory is not _MISSING else spec.default

    def _init(cls, specs, frozen, slots):
        scope = {"_setattr": object.__setattr__, "_FACTORY": _FACTORY}
        params, lines = [], []
        for s in specs:
            if s.default_factory is not _MISSING:
                scope[f"_factory_{s.name}"] = s.default_factory
                if s.init:
                    params.append(f"{s.name}=_FACTORY")
                    value = f"_factory_{s.name}() if {s.name} is _FACTORY else {s.name}"
                else:
                    value = f"_factory_{s.name}()"
            elif s.init:
                if s.default is not _MISSING:
                    scope[f"_default_{s.name}"] = s.default
                    params.append(f"{s.name}=_default_{s.name}")
                else:
                    params.append(s.name)
                value = s.name
            elif slots and s.default is not _MISSING:
                scope[f"_default_{s.name}"] = s.default
                value = f"_default_{s.name}"
            else:
                continue  # the class attribute holds the default
            lines.append(
                f"_setattr(self, {s.name!r}, {value})" if frozen else f"self.{s.name} = {value}"
            )
        if hasattr(cls, "__post_init__"):
            lines.append("self.__post_init__()")
        source = f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(
            lines or ["pass"]
        )
        exec(source, scope)  # noqa: S102 - what dataclasses does; the text is ours
        init = scope["__init__"]
        init.__qualname__ = f"{cls.__qualname__}.__init__"
        return init

    def _repr(names):
        active = set()

        def __repr__(self):
            key = (id(self), get_ident())
            if key in active:
                return "..."
            active.add(key)
            try:
                inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
            finally:
                active.discard(key)
            return f"{self.__class__.__qualname__}({inner})"

        return __repr__

    def _eq(names):
        def __eq__(self, other):
            if other.__class__ is self.__class__:
                return tuple(getattr(self, n) for n in names) == tuple(
                    getattr(other, n) for n in names
                )
            return NotImplemented

        return __eq__

    def _hash(names):
        def __hash__(self):
            return hash(tuple(getattr(self, n) for n in names))

        return __hash__

    def _frozen(cls, names):
        def __setattr__(self, name, value):
            if type(self) is cls or name in names:
                from dataclasses import FrozenInstanceError

                raise FrozenInstanceError(f"cannot assign to field {name!r}")
            super(cls, self).__setattr__(name, value)

        def __delattr__(self, name):
            if type(self) is cls or name in names:
                from dataclasses import FrozenInstanceError

                raise FrozenInstanceError(f"cannot delete field {name!r}")
            super(cls, self).__delattr__(name)

        return __setattr__, __delattr__

    def _getstate(names):
        def __getstate__(self):
            return [getattr(self, n) for n in names]

        return __getstate__

    def _setstate(names):
        def __setstate__(self, state):
            for name, value in zip(names, state, strict=False):
                object.__setattr__(self, name, value)

        return __setstate__

    from collections import namedtuple as _namedtuple

    _NOT_COPIED = ("__module__", "__qualname__", "__annotations__", "__dict__", "__weakref__")

    class _NamedTupleType(type):
        """Makes a class written ``class P(NamedTuple): x: int`` a `collections.namedtuple`."""

        def __new__(mcs, name, bases, namespace):
            if not bases:
                return super().__new__(mcs, name, bases, namespace)  # NamedTuple itself
            fields = list(namespace.get("__annotations__", {}))
            defaults = [namespace[f] for f in fields if f in namespace]
            made = _namedtuple(name, fields, defaults=defaults, module=namespace["__module__"])
            made.__qualname__ = namespace["__qualname__"]
            made.__annotations__ = dict(namespace.get("__annotations__", {}))
            for key, value in namespace.items():
                if key not in _NOT_COPIED and key not in fields:
                    setattr(made, key, value)
            return made

    def overload(function):
        """`typing.overload` without importing `typing`: the definition after the overloads
        is the one that stands, as with typing's."""
        return function

    class NamedTuple(metaclass=_NamedTupleType):
        """`typing.NamedTuple` without importing `typing` (~3.5 ms of a warm search): fields
        and defaults, docstrings and methods; the class made is a `collections.namedtuple`."""


def field_names(cls: type) -> tuple[str, ...]:
    """The names of a dataclass's fields, in order, without making ``__dataclass_fields__``."""
    specs = cls.__dict__.get("__record_fields__")
    if specs is not None:
        return tuple(spec.name for spec in specs)
    import dataclasses

    return tuple(f.name for f in dataclasses.fields(cls))


__all__ = ["NamedTuple", "dataclass", "field", "field_names", "overload"]
