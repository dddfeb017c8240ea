"""The one strict RFC 4648 codec (wwwauth._base64) and the schemes that decode through it."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwwauth import ParseError, basic, negotiate
from wwwauth._abnf import BASE64_CHAR, BASE64URL_CHAR
from wwwauth._base64 import Base64Error, decode, decode_padded, encode
from wwwauth.schemes import PrivateTokenCredentials

# RFC 4648 §10, verbatim: BASE64("") = "" ... BASE64("foobar") = "Zm9vYmFy".
RFC4648_10 = [
    (b"", ""),
    (b"f", "Zg=="),
    (b"fo", "Zm8="),
    (b"foo", "Zm9v"),
    (b"foob", "Zm9vYg=="),
    (b"fooba", "Zm9vYmE="),
    (b"foobar", "Zm9vYmFy"),
]


@pytest.mark.parametrize(("data", "text"), RFC4648_10)
@pytest.mark.parametrize("urlsafe", [False, True])
def test_rfc4648_10_vectors(data: bytes, text: str, urlsafe: bool) -> None:
    # The §10 vectors hold no "+" or "/", so they are the same in both alphabets.
    assert encode(data, urlsafe=urlsafe) == text
    assert decode(text, urlsafe=urlsafe) == data
    assert decode(text, urlsafe=urlsafe, padded=None) == data
    assert decode(text.rstrip("="), urlsafe=urlsafe, padded=None) == data
    assert decode(text.rstrip("="), urlsafe=urlsafe, padded=False) == data


def test_alphabets_rfc4648_4_and_5() -> None:
    assert BASE64_CHAR - BASE64URL_CHAR == set("+/")
    assert BASE64URL_CHAR - BASE64_CHAR == set("-_")
    assert len(BASE64_CHAR) == len(BASE64URL_CHAR) == 64
    assert encode(b"\xfb\xff") == "+/8="
    assert encode(b"\xfb\xff", urlsafe=True) == "-_8="
    assert decode("+/8=") == decode("-_8=", urlsafe=True) == b"\xfb\xff"
    # RFC 4648 §3.3: a character outside the alphabet is refused, the other alphabet's too.
    for text, urlsafe in (("-_8=", False), ("+/8=", True)):
        with pytest.raises(Base64Error) as info:
            decode(text, urlsafe=urlsafe)
        assert (info.value.reason, info.value.index) == ("alphabet", 0)


@pytest.mark.parametrize(
    ("text", "padded", "index"),
    [
        ("Zg", True, 2),  # §3.2: padding required
        ("Zg=", True, 3),
        ("Zg===", True, 5),
        ("Z", None, 1),  # one character past a quantum: no encoding has that length
        ("Z===", None, 4),
        ("Zg==", False, 2),  # padding forbidden
    ],
)
def test_padding_rule(text: str, padded: bool | None, index: int) -> None:
    with pytest.raises(Base64Error) as info:
        decode(text, padded=padded)
    assert (info.value.reason, info.value.index) == ("padding", index)


def test_pad_character_only_ends_an_encoding() -> None:
    with pytest.raises(Base64Error) as info:
        decode("Zm9=v")
    assert (info.value.reason, info.value.index) == ("alphabet", 3)


@pytest.mark.parametrize("text", ["Zh==", "Zm9=", "Zm9vYh==", "Zm9vYmF="])
@pytest.mark.parametrize("padded", [True, None])
def test_non_zero_pad_bits_are_refused(text: str, padded: bool | None) -> None:
    # RFC 4648 §3.5: a decoder MAY reject non-zero pad bits; this codec always does.
    with pytest.raises(Base64Error) as info:
        decode(text if padded else text.rstrip("="), padded=padded)
    assert (info.value.reason, info.value.index) == ("pad-bits", len(text.rstrip("=")) - 1)
    # The standard library's decoder takes them and drops the bits.
    assert base64.b64decode(text, validate=True)


@pytest.mark.parametrize("text", ["é", "Zm9vé", "Zm9v\u0130", "Zg==\n", " Zg=="])
def test_non_ascii_and_whitespace_are_refused(text: str) -> None:
    with pytest.raises(Base64Error):
        decode(text)
    with pytest.raises(ParseError):
        negotiate.decode_token(text)
    assert negotiate.ntlm_message_type(text) is None


@pytest.mark.parametrize("token", ["é", "Zm9vé", "Zm9v+", "Zm9vYh"])
def test_schemes_decode_strictly(token: str) -> None:
    with pytest.raises(ParseError, match="Expected token as base64url"):
        PrivateTokenCredentials(token=token).token_bytes()


def test_error_message_never_shows_the_text() -> None:
    with pytest.raises(Base64Error) as info:
        decode("c2VjcmV0!")
    assert "c2VjcmV0" not in str(info.value)


def test_negotiate_refuses_non_zero_pad_bits() -> None:
    """The one behaviour change of the unified codec: Negotiate took ``TR==`` as b"M"."""
    assert negotiate.decode_token("TQ==") == b"M"
    for token in ("TR==", "TQF="):
        with pytest.raises(ParseError, match="Expected base64"):
            negotiate.decode_token(token)
    assert negotiate.ntlm_message_type("TlRMTVNTUAABAAAAB4IIog==") == 1
    assert negotiate.ntlm_message_type("TlRMTVNTUAABAAAAB4IIoh==") is None


def test_basic_errors_keep_their_positions() -> None:
    cases = {
        "Basic dGVzdDoxMjPCow=": ("padded with '='", 21),
        "Basic dGVzd~oxMjPCow==": ("a base64 character", 11),
        "Basic dGVzdDoxMjPCox==": ("pad bits", 19),
    }
    for value, (message, position) in cases.items():
        with pytest.raises(ParseError, match=message) as info:
            basic.decode(value)
        assert info.value.position == position


@given(st.binary(max_size=64), st.booleans(), st.sampled_from([True, False, None]))
def test_round_trip(data: bytes, urlsafe: bool, padded: bool | None) -> None:
    text = encode(data, urlsafe=urlsafe, padded=padded is not False)
    assert decode(text, urlsafe=urlsafe, padded=padded) == data
    reference = base64.urlsafe_b64encode(data) if urlsafe else base64.b64encode(data)
    assert text == reference.decode().rstrip("=" if padded is False else "")


@given(st.binary(min_size=1, max_size=32), st.integers(min_value=1, max_value=3))
def test_only_the_canonical_encoding_decodes(data: bytes, flip: int) -> None:
    text = encode(data)
    body = text.rstrip("=")
    if len(body) % 4 == 0:
        return
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    unused = 4 if len(body) % 4 == 2 else 2  # pad bits in the last character, §3.5
    last = alphabet.index(body[-1])
    changed = body[:-1] + alphabet[last ^ (flip % (1 << unused) or 1)] + text[len(body) :]
    with pytest.raises(Base64Error):
        decode(changed)


# decode_padded, the fast path of Basic: exactly decode(text) (padded, §4 alphabet), or None
# where decode raises. On Python 3.11+ it is binascii's strict mode plus the checks it lacks.

_NEAR_BASE64 = st.text(alphabet="AQgh/+-._~=" + " \t\n\x00é", max_size=12)


def _decode_or_none(text: str) -> bytes | None:
    try:
        return decode(text)
    except Base64Error:
        return None


@given(st.one_of(_NEAR_BASE64, st.binary(max_size=12).map(lambda data: encode(data))))
def test_decode_padded_agrees_with_decode(text: str) -> None:
    assert decode_padded(text) == _decode_or_none(text)


@pytest.mark.parametrize(
    "text", ["", "AA==", "AQ==", "AAA=", "AAE=", "AAAA", "AAAA=", "AAAA==", "A===", "AA=", "AA"]
)
def test_decode_padded_edge_cases(text: str) -> None:
    # "AAAA=" is taken by binascii's strict mode on Python 3.13: refused here as by decode.
    assert decode_padded(text) == _decode_or_none(text)
