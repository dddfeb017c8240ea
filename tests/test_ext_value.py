"""RFC 8187 ext-values: decode, encode, the x / x* rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwwauth import AuthParams, ParseError
from wwwauth._abnf import TCHAR, is_token
from wwwauth.ext_value import (
    ATTR_CHAR,
    ExtValue,
    decode_ext_value,
    encode_ext_value,
    is_ext_value_safe,
    resolve_param,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # RFC 8187 §3.2.2, verbatim (the parameter name stripped)
        pytest.param(
            "iso-8859-1'en'%A3%20rates",
            ExtValue(value="£ rates", charset="ISO-8859-1", language="en"),
            id="RFC8187-3.2.2-iso-8859-1",
        ),
        pytest.param(
            "UTF-8''%c2%a3%20and%20%e2%82%ac%20rates",
            ExtValue(value="£ and € rates", charset="UTF-8", language=""),
            id="RFC8187-3.2.2-utf-8",
        ),
        # RFC 7616 §3.9.2, verbatim
        pytest.param(
            "UTF-8''J%C3%A4s%C3%B8n%20Doe",
            ExtValue(value="Jäsøn Doe", charset="UTF-8", language=""),
            id="RFC7616-3.9.2-username*",
        ),
        pytest.param(
            "utf-8'EN-gb'plain",
            ExtValue(value="plain", language="EN-gb"),
            id="case-insensitive-charset",
        ),
        pytest.param("UTF-8''", ExtValue(value=""), id="empty-value"),
        pytest.param(
            "UTF-8'x-klingon'a", ExtValue(value="a", language="x-klingon"), id="private-use-tag"
        ),
    ],
)
def test_decode(text: str, expected: ExtValue) -> None:
    assert decode_ext_value(text) == expected


def test_encode_rfc7616_username() -> None:
    # RFC 7616 §3.9.2: username*=UTF-8''J%C3%A4s%C3%B8n%20Doe
    assert encode_ext_value("Jäsøn Doe") == "UTF-8''J%C3%A4s%C3%B8n%20Doe"


def test_encode_rfc8187_iso_8859_1_example() -> None:
    # RFC 8187 §3.2.2 writes the charset in lower case; we write it canonically.
    assert (
        encode_ext_value("£ rates", charset="ISO-8859-1", language="en")
        == "ISO-8859-1'en'%A3%20rates"
    )


def test_encode_keeps_attr_chars_and_escapes_the_rest() -> None:
    assert encode_ext_value("a*'%b") == "UTF-8''a%2A%27%25b"


def test_attr_char_is_token_minus_three() -> None:
    # RFC 8187 §3.2.1: attr-char = token except ( "*" / "'" / "%" )
    assert ATTR_CHAR == TCHAR - {"*", "'", "%"}
    assert len(ATTR_CHAR) == 26 * 2 + 10 + 12


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "abc",
            'Expected "\'" after the charset of an ext-value (RFC 8187 §3.2.1)\n    abc\n    ~~~^',
            id="no-quote",
        ),
        pytest.param(
            "KOI8-R''x",
            "Unsupported charset 'KOI8-R' in an ext-value: expected UTF-8 or ISO-8859-1 (RFC 8187 §3.2.1)\n"
            "    KOI8-R''x\n    ^",
            id="other-charset",
        ),
        pytest.param(
            "UTF-8''a%2",
            "Expected two hex digits after '%' (RFC 8187 §3.2.1 pct-encoded)\n    UTF-8''a%2\n            ~~^",
            id="truncated-escape",
        ),
        pytest.param(
            "UTF-8''a%zz",
            "Expected two hex digits after '%' (RFC 8187 §3.2.1 pct-encoded)\n    UTF-8''a%zz\n            ~^",
            id="bad-escape",
        ),
        pytest.param(
            "UTF-8''a b",
            "Expected an attr-char or '%' in an ext-value (RFC 8187 §3.2.1)\n    UTF-8''a b\n            ^",
            id="space",
        ),
        pytest.param(
            "UTF-8''%c2",
            "The octets of an ext-value are not valid UTF-8 (octet 1 of 1)\n    UTF-8''%c2\n           ^",
            id="invalid-utf-8",
        ),
        pytest.param(
            "UTF-8'e n'x",
            "Expected a language tag (RFC 5646 §2.1)\n    UTF-8'e n'x\n          ^",
            id="bad-language",
        ),
        pytest.param(
            "UTF-8'en",
            "Expected \"'\" after the language of an ext-value (RFC 8187 §3.2.1)\n    UTF-8'en\n          ~~^",
            id="no-second-quote",
        ),
    ],
)
def test_decode_errors(text: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        decode_ext_value(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"charset": "KOI8-R"}, "charset 'KOI8-R' is not UTF-8 or ISO-8859-1 (RFC 8187 §3.2.1)"),
        ({"language": "not a tag"}, "language 'not a tag' is not a language tag (RFC 5646 §2.1)"),
        ({"charset": "ISO-8859-1"}, "character U+20AC at index 0 cannot be encoded in ISO-8859-1"),
    ],
)
def test_encode_errors(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        encode_ext_value("€", **kwargs)  # type: ignore[arg-type]  # charset literal given as str on purpose
    assert str(caught.value) == message


@given(st.text(), st.sampled_from(["UTF-8", "ISO-8859-1"]), st.sampled_from(["", "en", "de-CH"]))
def test_round_trip(value: str, charset: str, language: str) -> None:
    if charset == "ISO-8859-1":
        value = value.encode("latin-1", "replace").decode("latin-1")
    value = value.encode("utf-8", "replace").decode("utf-8")  # no lone surrogates
    encoded = encode_ext_value(value, charset=charset, language=language)  # type: ignore[arg-type]  # sampled literals
    assert is_token(encoded)
    assert decode_ext_value(encoded) == ExtValue(value=value, charset=charset, language=language)  # type: ignore[arg-type]


def test_star_parameter_wins() -> None:
    params = AuthParams([("title", "EURO rates"), ("title*", "UTF-8''%e2%82%ac%20rates")])
    assert resolve_param(params, "title") == "€ rates"
    assert resolve_param(params, "TITLE") == "€ rates"  # AuthParams ignores case


def test_plain_parameter_when_no_star() -> None:
    assert resolve_param(AuthParams([("title", "EURO rates")]), "title") == "EURO rates"
    assert resolve_param(AuthParams([("other", "x")]), "title") is None


def test_bad_star_parameter_is_an_error() -> None:
    with pytest.raises(ParseError):
        resolve_param(AuthParams([("title", "ok"), ("title*", "nope")]), "title")


@pytest.mark.parametrize(
    ("text", "safe"),
    [("Mufasa", True), ("a b", True), ("Jäsøn Doe", False), ("tab\there", False), ("", True)],
)
def test_is_ext_value_safe(text: str, safe: bool) -> None:
    assert is_ext_value_safe(text) is safe
