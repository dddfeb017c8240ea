"""Challenge, Credentials and Decision are the dataclasses they declare (see _dataclass).

They are built without importing :mod:`dataclasses`; each is checked here against a real
dataclass made by :func:`dataclasses.dataclass` from the same fields and options.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
import subprocess
import sys
from http import HTTPStatus
from typing import Any

import pytest

from wwwauth import AuthParams, Challenge, Credentials, Decision
from wwwauth._dataclass import frozen_dataclass

# Each class, the options it declares, and one instance with its field values.
CASES = [
    (Challenge, {"init": False, "eq": False}, Challenge("Basic", {"realm": "x"})),
    (Credentials, {"init": False, "eq": False, "repr": False}, Credentials("Bearer", token68="t")),
    (Decision, {}, Decision(HTTPStatus.UNAUTHORIZED, (("WWW-Authenticate", "Basic"),), "Why.")),
]
IDS = [case[0].__name__ for case in CASES]


def _filled(reference: type, instance: object) -> object:
    """An instance of ``reference`` with the field values of ``instance``."""
    twin: object = object.__new__(reference)
    for field in dataclasses.fields(reference):
        object.__setattr__(twin, field.name, getattr(instance, field.name))
    return twin


def _reference(cls: type, options: dict[str, bool]) -> Any:
    """The dataclass ``@dataclass(frozen=True, slots=True, **options)`` would make of ``cls``."""
    namespace = {"__annotations__": dict(cls.__annotations__), "__qualname__": cls.__qualname__}
    made: Any = dataclasses.dataclass(frozen=True, slots=True, **options)(
        type(cls.__name__, (), namespace)
    )
    return made


@pytest.mark.parametrize(("cls", "options", "instance"), CASES, ids=IDS)
def test_dataclasses_sees_the_declared_dataclass(
    cls: Any, options: dict[str, bool], instance: Any
) -> None:
    reference = _reference(cls, options)
    assert all(dataclasses.is_dataclass(each) for each in (cls, instance))
    got = [(f.name, f.type, f.init, f.repr, f.compare) for f in dataclasses.fields(instance)]
    want = [(f.name, f.type, f.init, f.repr, f.compare) for f in dataclasses.fields(reference)]
    assert got == want
    assert repr(cls.__dataclass_params__) == repr(reference.__dataclass_params__)
    assert cls.__match_args__ == reference.__match_args__
    slots = {slot for klass in cls.__mro__ for slot in getattr(klass, "__slots__", ())}
    assert slots.issuperset(reference.__slots__) and not hasattr(instance, "__dict__")


@pytest.mark.parametrize(("cls", "options", "instance"), CASES, ids=IDS)
def test_frozen_like_a_frozen_dataclass(cls: Any, options: dict[str, bool], instance: Any) -> None:
    reference = _reference(cls, options)
    first, *_, last = cls.__match_args__
    twin = _filled(reference, instance)
    for target in (instance, twin):
        with pytest.raises(dataclasses.FrozenInstanceError) as assigned:
            setattr(target, first, None)
        with pytest.raises(dataclasses.FrozenInstanceError) as deleted:
            delattr(target, last)
        assert str(assigned.value) == f"cannot assign to field {first!r}"
        assert str(deleted.value) == f"cannot delete field {last!r}"


@pytest.mark.parametrize(("cls", "options", "instance"), CASES, ids=IDS)
def test_replace_asdict_copy_and_pickle(cls: Any, options: dict[str, bool], instance: Any) -> None:
    assert dataclasses.replace(instance) == instance
    assert dataclasses.astuple(instance) == tuple(
        getattr(instance, f.name) for f in dataclasses.fields(instance)
    )
    assert list(dataclasses.asdict(instance)) == list(cls.__match_args__)
    for copied in (
        copy.copy(instance),
        copy.deepcopy(instance),
        pickle.loads(pickle.dumps(instance)),
    ):
        assert copied == instance and type(copied) is cls


def test_decision_methods_are_those_a_dataclass_generates() -> None:
    reference = _reference(Decision, {})
    fields = (HTTPStatus.FORBIDDEN, (("WWW-Authenticate", 'Bearer error="x"'),), "Because.")
    ours, theirs = Decision(*fields), reference(*fields)
    assert (
        repr(ours)
        == repr(theirs)
        == (
            "Decision(status=<HTTPStatus.FORBIDDEN: 403>, "
            "headers=(('WWW-Authenticate', 'Bearer error=\"x\"'),), reason='Because.')"
        )
    )
    assert (
        hash(ours) == hash(theirs) == hash(Decision(fields[0], headers=fields[1], reason=fields[2]))
    )
    assert ours != Decision(HTTPStatus.OK, fields[1], fields[2])
    assert ours.__eq__(theirs) is NotImplemented  # another class, as a dataclass answers
    with pytest.raises(TypeError):
        Decision(*fields[:2])  # type: ignore[call-arg]
    match ours:
        case Decision(status, _, reason):
            assert (status, reason) == (HTTPStatus.FORBIDDEN, "Because.")


def test_challenge_repr_is_the_dataclass_repr() -> None:
    challenge = Challenge("Basic", {"realm": "x"})
    assert repr(challenge) == repr(_filled(_reference(Challenge, {"init": False}), challenge))
    assert (
        repr(challenge)
        == "Challenge(scheme='Basic', params=AuthParams([('realm', 'x')]), token68=None)"
    )


def test_a_dataclass_subclass_inherits_the_fields() -> None:
    @dataclasses.dataclass(frozen=True)
    class Tagged(Challenge):
        tag: str = "t"

    tagged = Tagged("Basic", AuthParams([("realm", "x")]), None, "z")
    assert [f.name for f in dataclasses.fields(tagged)] == ["scheme", "params", "token68", "tag"]
    assert tagged.tag == "z" and tagged.params["realm"] == "x"


def test_the_decorator_refuses_a_class_it_cannot_make_a_dataclass() -> None:
    with pytest.raises(TypeError, match="slot per field"):

        @frozen_dataclass(frozen=True)
        class NoSlots:
            a: int

    with pytest.raises(TypeError, match="__eq__"):

        @frozen_dataclass(frozen=True, init=False, repr=False)
        class NoEq:
            __slots__ = ("a",)
            a: int

    with pytest.raises(TypeError, match="frozen"):
        frozen_dataclass(frozen=False)


def test_import_wwwauth_loads_neither_typing_nor_dataclasses() -> None:
    """``import wwwauth`` stays cheap: typing, dataclasses and inspect load on first need."""
    code = (
        "import sys; before = set(sys.modules); import wwwauth; "
        "print(sorted({'typing', 'dataclasses', 'inspect', 'string'} & (set(sys.modules) - before)))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert shown.strip() == "[]"
