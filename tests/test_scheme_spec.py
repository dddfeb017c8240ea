"""The shared reader of the scheme views, ``wwwauth._scheme.SchemeSpec``, on a toy scheme."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from wwwauth import AuthParams, Challenge, ParseError
from wwwauth._scheme import SchemeSpec, SchemeValue
from wwwauth.schemes._shared import check_fields, read_int


def _upper(value: SchemeValue, name: str) -> str:
    return value.params[name].upper()


_TOY = SchemeSpec(
    "Toy",
    ("a", "max-age", "b-c"),
    required=("a", "max-age"),
    rfc="RFC 0 §1",
    readers={"max-age": read_int, "b-c": _upper},
)
_FAMILY = SchemeSpec("Fam-", ("a",), rfc="RFC 0 §2", family=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Toy:
    a: str
    max_age: int
    b_c: str | None = None
    extensions: AuthParams = field(default_factory=AuthParams)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Fam:
    scheme: str
    a: str | None = None
    extensions: AuthParams = field(default_factory=AuthParams)


def test_build_types_each_parameter_and_keeps_the_rest() -> None:
    view = _TOY.challenge('toy B-C=x, max-age=7, a="q", z=1').build(_Toy)
    assert view == _Toy(a="q", max_age=7, b_c="X", extensions=AuthParams([("z", "1")]))
    assert _TOY.items(view) == [("a", "q"), ("max-age", "7"), ("b-c", "X"), ("z", "1")]


def test_required_parameters_are_checked_in_order_with_the_caret_at_the_end() -> None:
    with pytest.raises(ParseError) as caught:
        _TOY.challenge("Toy b-c=1")
    assert caught.value.message == "Expected a 'a' parameter (RFC 0 §1)"
    assert caught.value.position == len("Toy b-c=1")


def test_a_reader_error_points_at_the_value() -> None:
    with pytest.raises(ParseError) as caught:
        _TOY.challenge("Toy a=1, max-age=x").build(_Toy)
    assert caught.value.message == "Expected max-age as a non-negative decimal integer"
    assert caught.value.position == len("Toy a=1, max-age=")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Other a=1", "Expected the Toy scheme, not 'Other'"),
        ("Toy abc==", "Expected auth-params after 'Toy', not a token68"),
    ],
)
def test_scheme_and_form(value: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        _TOY.challenge(value)
    assert caught.value.message == message


def test_a_family_keeps_the_scheme_as_sent() -> None:
    assert _FAMILY.credentials("fam-x a=1").build(_Fam) == _Fam(scheme="fam-x", a="1")
    with pytest.raises(ParseError, match=r"Expected a Fam-\* scheme, not 'Fa'"):
        _FAMILY.challenge(Challenge("Fa", [("a", "1")]))
    with pytest.raises(ValueError, match=r"scheme 'Fa' is not a Fam-\* scheme \(RFC 0 §2\)"):
        _FAMILY.check(_Fam(scheme="Fa"))


def test_check_fields_refuses_what_the_reader_would_not_read_back() -> None:
    with pytest.raises(ValueError, match="max_age must be an integer from 0"):
        check_fields(_Toy(a="q", max_age=-1), _TOY)
    with pytest.raises(ValueError, match="extension 'B-C' is a parameter of _Toy"):
        check_fields(_Toy(a="q", max_age=1, extensions=AuthParams([("B-C", "1")])), _TOY)
