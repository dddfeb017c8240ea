"""The character classes against the RFC text, code point by code point (0-255)."""

from __future__ import annotations

import re

import pytest

from wwwauth import _abnf

ALL_OCTETS = [chr(code) for code in range(256)]


def _rfc_tchar(char: str) -> bool:
    # RFC 9110 §5.6.2, as printed.
    return char in "!#$%&'*+-.^_`|~" or char.isascii() and char.isalnum()


def _rfc_qdtext(char: str) -> bool:
    # RFC 9110 §5.6.4: HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
    code = ord(char)
    return (
        code in (0x09, 0x20, 0x21) or 0x23 <= code <= 0x5B or 0x5D <= code <= 0x7E or code >= 0x80
    )


def _rfc_quoted_pair_char(char: str) -> bool:
    # RFC 9110 §5.6.4: HTAB / SP / VCHAR / obs-text
    code = ord(char)
    return code in (0x09, 0x20) or 0x21 <= code <= 0x7E or code >= 0x80


def _rfc_token68_char(char: str) -> bool:
    # RFC 9110 §11.2: ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/"
    return char.isascii() and char.isalnum() or char in "-._~+/"


@pytest.mark.parametrize(
    ("chars", "rule"),
    [
        (_abnf.TCHAR, _rfc_tchar),
        (_abnf.QDTEXT, _rfc_qdtext),
        (_abnf.QUOTED_PAIR_CHAR, _rfc_quoted_pair_char),
        (_abnf.TOKEN68_CHAR, _rfc_token68_char),
    ],
    ids=["tchar", "qdtext", "quoted-pair", "token68"],
)
def test_class_matches_rfc_on_every_octet(chars: frozenset[str], rule: object) -> None:
    assert callable(rule)
    assert {c for c in ALL_OCTETS if rule(c)} == chars


def test_regexes_agree_with_sets_on_every_octet() -> None:
    for char in ALL_OCTETS:
        assert _abnf.is_token(char) == (char in _abnf.TCHAR)
        assert _abnf.is_token68(char) == (char in _abnf.TOKEN68_CHAR)
        assert (_abnf.NOT_VALUE_CHAR_RE.match(char) is None) == (char in _abnf.VALUE_CHAR)
        quoted = _abnf.QUOTED_STRING_RE.fullmatch(f'"{char}"')
        assert (quoted is not None) == (char in _abnf.QDTEXT), repr(char)
        pair = _abnf.QUOTED_STRING_RE.fullmatch(f'"\\{char}"')
        assert (pair is not None) == (char in _abnf.QUOTED_PAIR_CHAR), repr(char)


def test_containment() -> None:
    assert _abnf.TCHAR <= _abnf.QDTEXT
    assert _abnf.TOKEN68_CHAR - {"/"} <= _abnf.TCHAR
    assert _abnf.QDTEXT <= _abnf.QUOTED_PAIR_CHAR
    assert not (_abnf.CTL - {"\t"}) & _abnf.QUOTED_PAIR_CHAR


def test_token68_allows_padding_only_at_the_end() -> None:
    assert _abnf.is_token68("abc==")
    assert not _abnf.is_token68("=abc")
    assert not _abnf.is_token68("a=b")


def test_patterns_match_at_a_position_not_a_whole_header() -> None:
    for name in dir(_abnf):
        value = getattr(_abnf, name)
        if isinstance(value, re.Pattern):
            assert not value.pattern.startswith("^"), name
