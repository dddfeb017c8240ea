"""The strict parser's shortcuts read less, and decide exactly as the plain path does.

``parse_credentials`` keeps what its "scheme 1*SP token68" pattern read when something
other than the end follows, and then matches the head without the auth-param attempt
when the value holds no "=" (issue 12: a failed 1 MB value was read three times).
``_read_auth_params`` builds the name index after the loop and looks for the repeated
name only then. Each is checked here against the plain path: the same credentials, or
the same error at the same position.
"""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwwauth import (
    Credentials,
    ParseError,
    parse_authentication_info,
    parse_authorization,
    parse_www_authenticate,
    strategies,
)

Outcome = tuple[str, object]


def _outcome(value: str) -> Outcome:
    try:
        credentials = parse_authorization(value)
    except ParseError as error:
        return ("error", (error.message, error.position, error.span, error.source))
    return ("credentials", (credentials.scheme, credentials.params, credentials.token68))


def _plain_outcome(value: str) -> Outcome:
    """The outcome without the "scheme 1*SP token68" pattern: the head, then the body,
    each reading the value from the start (the path every other value takes)."""
    with mock.patch("wwwauth._parser._match_simple_credentials", return_value=None):
        return _outcome(value)


# What follows "Basic <token68>": the characters that decide between token68,
# auth-params and the errors, and junk.
_TAIL = st.text(alphabet=' \t,="\\/=!#abAB09-._~+\x01\x7f\xe9', max_size=12)


@given(
    scheme=st.sampled_from(["Basic", "Digest", " Bearer", "x"]),
    spaces=st.sampled_from([" ", "  "]),
    token68=st.text(alphabet="aZ09-._~+/", min_size=1, max_size=8),
    padding=st.sampled_from(["", "=", "=="]),
    tail=_TAIL,
)
def test_credentials_shortcuts_decide_as_the_plain_path(
    scheme: str, spaces: str, token68: str, padding: str, tail: str
) -> None:
    value = f"{scheme}{spaces}{token68}{padding}{tail}"
    assert _outcome(value) == _plain_outcome(value)


@given(value=strategies.hostile_header_values("Authorization"))
def test_credentials_shortcuts_on_hostile_values(value: str) -> None:
    assert _outcome(value) == _plain_outcome(value)


@pytest.mark.parametrize(
    "value",
    [
        "Basic abc\x01",
        "Basic abc ,",
        "Basic abc , x",
        "Basic abc x",
        "Basic abc=x",
        "Basic abc= x",
        "Basic abc =x",
        "Basic abc==x",
        "Basic a/b=c",
        "Basic ab!c=d",
        'Basic abc="x"',
        "Basic " + "A" * 100_000 + "\x01",
        "Basic " + "A" * 100_000 + "=\x01",
        "Basic " + "A" * 100_000 + ", x",
    ],
    ids=lambda value: repr(value[:16]),
)
def test_credentials_shortcuts_on_examples(value: str) -> None:
    assert _outcome(value) == _plain_outcome(value)


def test_a_long_bad_token68_is_reported_where_it_ends() -> None:
    value = "Basic " + "A" * 10**6 + "\x01"
    with pytest.raises(ParseError) as caught:
        parse_authorization(value)
    assert caught.value.position == len(value) - 1
    assert caught.value.message == "Control character not allowed in a field value (RFC 9110 §5.5)"
    assert caught.value.source == "Basic " + "*" * (10**6 + 1)
    # The masked value's last 60 columns, the control character masked too.
    assert str(caught.value) == (
        "Control character not allowed in a field value (RFC 9110 §5.5)\n"
        "    …" + "*" * 60 + "\n" + " " * 64 + "^"
    )


# ----------------------------------------------------------- repeated names


@pytest.mark.parametrize(
    ("value", "name", "position"),
    [
        ("Digest a=1, b=2, B=3, a=4", "B", 17),
        ("Digest a=1, A=2, junk!", "A", 12),
        ('Digest a="1", b=2, c="3", C=4', "C", 26),
        ("Digest a=1,,, b=2 , A=3", "A", 20),
    ],
)
def test_the_first_repeated_name_is_reported(value: str, name: str, position: int) -> None:
    with pytest.raises(ParseError) as caught:
        parse_www_authenticate(value)
    assert caught.value.message == f"Duplicate auth-param {name!r} (RFC 9110 §11.2)"
    assert caught.value.position == position


def test_repeated_names_in_authentication_info_and_credentials() -> None:
    with pytest.raises(ParseError) as caught:
        parse_authentication_info("x=1, y=2, Y=3")
    assert (caught.value.message, caught.value.position) == (
        "Duplicate auth-param 'Y' (RFC 9110 §11.2)",
        10,
    )
    with pytest.raises(ParseError) as caught:
        parse_authorization("Digest username=a, realm=b, USERNAME=c")
    assert caught.value.position == 28


def test_names_differing_only_past_ascii_are_not_repeats() -> None:
    # str.lower folds U+212A (Kelvin) to "k", but names are tokens: ASCII only, so
    # such a value is a syntax error, never a duplicate.
    with pytest.raises(ParseError) as caught:
        parse_www_authenticate("Digest k=1, \u212a=2")
    assert "Duplicate" not in caught.value.message


def test_params_keep_order_and_index() -> None:
    credentials = parse_authorization('Digest b=1, A="x\\"y", c=3')
    assert isinstance(credentials, Credentials)
    assert list(credentials.params.items()) == [("b", "1"), ("A", 'x"y'), ("c", "3")]
    assert credentials.params["a"] == 'x"y'
