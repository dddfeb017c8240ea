"""Negotiate and NTLM (RFC 4559): the RFC's examples and the typed views, read and built back."""

from __future__ import annotations

import base64

import pytest

from wwwauth import ParseError, negotiate, parse_authorization, parse_www_authenticate

RFC4559_5 = [
    ("S: WWW-Authenticate: Negotiate", None),
    ("C: Authorization: Negotiate a87421000492aa874209af8bc028", "a87421000492aa874209af8bc028"),
    ("S: WWW-Authenticate: Negotiate 749efa7b23409c20b92356", "749efa7b23409c20b92356"),
    ("C: Authorization: Negotiate 89a8742aa8729a8b028", "89a8742aa8729a8b028"),
    (
        "S: WWW-Authenticate: Negotiate ade0234568a4209af8bc0280289eca",
        "ade0234568a4209af8bc0280289eca",
    ),
]


@pytest.mark.parametrize(
    ("line", "token"), RFC4559_5, ids=[f"RFC4559-5-leg{i}" for i in range(1, 6)]
)
def test_rfc4559_5_exchange(line: str, token: str | None) -> None:
    side, _, header = line.partition(": ")
    _name, _, value = header.partition(": ")
    if side == "S":
        (challenge,) = parse_www_authenticate(value)
        assert negotiate.token(challenge) == token
        assert str(negotiate.challenge(token)) == value
    else:
        assert token is not None
        assert negotiate.token(parse_authorization(value)) == token
        assert str(negotiate.credentials(token)) == value


def test_negotiate_credentials_need_a_token() -> None:
    with pytest.raises(ParseError) as caught:
        negotiate.token(parse_authorization("Negotiate"))
    assert (
        str(caught.value)
        == "Expected a token68 after 'Negotiate' (RFC 4559 §4.2)\n    Negotiate\n    ^"
    )


def test_negotiate_refuses_params_and_other_schemes() -> None:
    with pytest.raises(ParseError, match="not auth-params"):
        negotiate.token(parse_www_authenticate('Negotiate realm="x"')[0])
    with pytest.raises(ParseError, match="Expected the Negotiate scheme, not 'NTLM'"):
        negotiate.token(parse_www_authenticate("NTLM")[0])


def test_ntlm_type_1_message() -> None:
    # [MS-NLMP] §2.2.1.1 NEGOTIATE_MESSAGE: "NTLMSSP\0", type 1, flags 0xa2088207
    message = b"NTLMSSP\x00" + (1).to_bytes(4, "little") + bytes.fromhex("078208a2")
    token = base64.b64encode(message).decode()
    credentials = negotiate.credentials(token, scheme=negotiate.NTLM)
    assert str(credentials) == f"NTLM {token}"
    assert negotiate.token(parse_authorization(str(credentials)), scheme="NTLM") == token
    assert negotiate.ntlm_message_type(token) == 1
    assert negotiate.decode_token(token) == message
    assert str(negotiate.challenge(scheme="NTLM")) == "NTLM"


@pytest.mark.parametrize(
    ("token", "kind"),
    [
        (base64.b64encode(b"NTLMSSP\x00\x02\x00\x00\x00" + b"\x00" * 8).decode(), 2),
        (base64.b64encode(b"NTLMSSP\x00\x07\x00\x00\x00").decode(), None),
        (base64.b64encode(b"\x60\x82\x06\x86\x06\x06\x2b\x06").decode(), None),  # SPNEGO / Kerberos
        ("a87421000492aa874209af8bc028", None),
        ("not-base64!", None),
    ],
)
def test_ntlm_message_type(token: str, kind: int | None) -> None:
    assert negotiate.ntlm_message_type(token) == kind


def test_decode_token_errors_mask() -> None:
    with pytest.raises(ParseError) as caught:
        negotiate.decode_token("abc")
    assert caught.value.source == "***"


def test_negotiate_refuses_non_token68() -> None:
    with pytest.raises(ValueError) as caught:
        negotiate.credentials("a b")
    assert str(caught.value) == "the Negotiate token is not a token68 (RFC 9110 §11.2)"
