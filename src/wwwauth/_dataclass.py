"""Frozen dataclasses whose dataclass metadata is built on first use.

:class:`~wwwauth.Challenge`, :class:`~wwwauth.Credentials` and :class:`~wwwauth.Decision`
are dataclasses to every function of :mod:`dataclasses` (``is_dataclass``, ``fields``,
``replace``, ``asdict``, a ``@dataclass`` subclass), yet ``import wwwauth`` does not
import :mod:`dataclasses`. That module imports :mod:`inspect` (with ``ast``, ``dis`` and
``tokenize``): about 8 ms on 3.11 and 10 ms on 3.13, of a 20 ms budget (issue 12); and
it builds every class with ``exec`` (about 0.7 ms a class).

So each of these classes writes the methods :func:`dataclasses.dataclass` would generate
(``__init__``, ``__repr__``, ``__eq__``, ``__hash__``) and its ``__slots__`` itself, and
:func:`frozen_dataclass` adds the rest:

* ``__dataclass_fields__`` and ``__dataclass_params__``, read on first access from a
  *twin*: a real dataclass that :func:`dataclasses.dataclass` builds from the class's
  own annotations with the same options, so every field is a real
  :class:`dataclasses.Field`;
* ``__setattr__`` and ``__delattr__`` that raise
  :class:`dataclasses.FrozenInstanceError`, as a frozen dataclass does;
* ``__match_args__``.

Type checkers are shown :func:`dataclasses.dataclass` itself (the ``TYPE_CHECKING``
imports in model.py and decide.py); ``tests/test_dataclass_twins.py`` checks each class
against a real dataclass built the same way.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Final, NoReturn, TypeVar

    _C = TypeVar("_C", bound=type)

# The twin of each class, built on first access to its metadata.
_TWINS: Final[dict[type, type]] = {}


def frozen_dataclass(
    *, frozen: bool, init: bool = True, repr: bool = True, eq: bool = True
) -> Callable[[_C], _C]:
    """Make ``cls`` a frozen slotted dataclass without importing :mod:`dataclasses`.

    The options are those of :func:`dataclasses.dataclass`; ``frozen`` must be true.
    The class must define ``__slots__`` (so its instances have no ``__dict__``), have a
    slot per field (its own or a base's), and define the methods that ``init``, ``repr``
    and ``eq`` ask for.
    """
    if not frozen:
        raise TypeError("frozen_dataclass builds frozen dataclasses only")
    options = {"init": init, "repr": repr, "eq": eq, "frozen": True, "slots": True}
    wanted = [name for name, on in (("__init__", init), ("__repr__", repr)) if on]
    wanted += ["__eq__", "__hash__"] if eq else []

    def decorate(cls: _C) -> _C:
        fields = tuple(cls.__annotations__)
        missing = [name for name in wanted if name not in cls.__dict__]
        slots = {slot for klass in cls.__mro__ for slot in klass.__dict__.get("__slots__", ())}
        if "__slots__" not in cls.__dict__ or not slots.issuperset(fields) or missing:
            raise TypeError(f"{cls.__name__} must define a slot per field {fields} and {missing}")
        cls.__match_args__ = fields  # type: ignore[attr-defined,misc]

        def __setattr__(self: object, name: str, value: object) -> None:
            if type(self) is cls or name in fields:
                _frozen(f"cannot assign to field {name!r}")
            super(cls, self).__setattr__(name, value)  # type: ignore[arg-type]

        def __delattr__(self: object, name: str) -> None:
            if type(self) is cls or name in fields:
                _frozen(f"cannot delete field {name!r}")
            super(cls, self).__delattr__(name)  # type: ignore[arg-type]

        for method in (__setattr__, __delattr__):
            method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
            setattr(cls, method.__name__, method)
        cls.__dataclass_fields__ = _FromTwin(cls, options, "__dataclass_fields__")  # type: ignore[attr-defined]
        cls.__dataclass_params__ = _FromTwin(cls, options, "__dataclass_params__")  # type: ignore[attr-defined]
        return cls

    return decorate


class _FromTwin:
    """A class attribute read from the twin of ``owner`` (for the class and its instances)."""

    __slots__ = ("_attribute", "_options", "_owner")

    def __init__(self, owner: type, options: dict[str, bool], attribute: str) -> None:
        self._owner = owner
        self._options = options
        self._attribute = attribute

    def __get__(self, instance: object, owner: type | None = None) -> object:
        return getattr(_twin_of(self._owner, self._options), self._attribute)


def _twin_of(cls: type, options: dict[str, bool]) -> type:
    """The real dataclass with the annotations, names and options of ``cls``."""
    twin = _TWINS.get(cls)
    if twin is None:
        import dataclasses

        namespace = {
            "__annotations__": dict(cls.__annotations__),
            "__module__": cls.__module__,
            "__qualname__": cls.__qualname__,
            "__doc__": cls.__doc__,
        }
        twin = _TWINS[cls] = dataclasses.dataclass(**options)(type(cls.__name__, (), namespace))
    return twin


def _frozen(message: str) -> NoReturn:
    from dataclasses import FrozenInstanceError

    raise FrozenInstanceError(message)
