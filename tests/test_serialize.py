"""The serializer: canonical form, quoting rules, escapes, and no injection."""

from __future__ import annotations

import pytest

from wwwauth import (
    AuthParams,
    Challenge,
    Credentials,
    format_authentication_info,
    format_challenges,
    format_credentials,
    parse_authentication_info,
    parse_www_authenticate,
)


@pytest.mark.parametrize(
    ("challenge", "expected"),
    [
        (Challenge("Basic"), "Basic"),
        (Challenge("Negotiate", token68="abc=="), "Negotiate abc=="),
        (Challenge("Newauth", [("type", "1")]), "Newauth type=1"),
        # RFC 9110 §11.5: realm is always a quoted-string, token or not.
        (Challenge("Basic", {"realm": "simple"}), 'Basic realm="simple"'),
        (Challenge("Basic", {"REALM": "simple"}), 'Basic REALM="simple"'),
        (Challenge("X", {"title": 'Login to "apps"'}), 'X title="Login to \\"apps\\""'),
        (Challenge("X", {"path": "C:\\dir"}), 'X path="C:\\\\dir"'),
        (Challenge("X", {"empty": ""}), 'X empty=""'),
        (Challenge("X", {"spaced": "a b"}), 'X spaced="a b"'),
        (Challenge("X", {"tab": "a\tb"}), 'X tab="a\tb"'),
        (Challenge("X", {"obs": "caf\xe9"}), 'X obs="caf\xe9"'),
        (Challenge("X", [("b", "2"), ("a", "1")]), "X b=2, a=1"),
        # RFC 7616 §3.3: Digest challenge quotes domain, nonce, opaque and qop.
        (
            Challenge(
                "Digest",
                [
                    ("nonce", "abc"),
                    ("qop", "auth"),
                    ("algorithm", "MD5"),
                    ("stale", "true"),
                    ("opaque", "x"),
                    ("domain", "/a"),
                ],
            ),
            'Digest nonce="abc", qop="auth", algorithm=MD5, stale=true, opaque="x", domain="/a"',
        ),
        # RFC 6750 §3: Bearer's scope and error attributes are quoted-strings.
        (
            Challenge("Bearer", [("error", "invalid_token"), ("scope", "read")]),
            'Bearer error="invalid_token", scope="read"',
        ),
    ],
    ids=lambda value: str(value) if isinstance(value, str) else None,
)
def test_challenge_serialization(challenge: Challenge, expected: str) -> None:
    assert str(challenge) == expected
    assert format_challenges([challenge]) == expected
    assert parse_www_authenticate(expected) == [challenge]


def test_digest_credentials_quote_only_what_rfc_7616_quotes() -> None:
    # RFC 7616 §3.4: qop and nc are tokens; username, uri, response, cnonce quoted.
    credentials = Credentials(
        "Digest",
        [
            ("username", "u"),
            ("uri", "/"),
            ("qop", "auth"),
            ("nc", "00000001"),
            ("cnonce", "c"),
            ("response", "r"),
            ("algorithm", "SHA-256"),
        ],
    )
    assert format_credentials(credentials) == (
        'Digest username="u", uri="/", qop=auth, nc=00000001, cnonce="c", response="r", '
        "algorithm=SHA-256"
    )
    assert str(credentials) == format_credentials(credentials)


def test_several_challenges_join_with_comma_space() -> None:
    challenges = [
        Challenge("Basic", {"realm": "a"}),
        Challenge("Bearer"),
        Challenge("N", token68="x="),
    ]
    assert format_challenges(challenges) == 'Basic realm="a", Bearer, N x='
    assert format_challenges([]) == ""


def test_format_challenges_refuses_other_types() -> None:
    with pytest.raises(TypeError):
        format_challenges(["Basic"])  # type: ignore[list-item]  # the point of the test


def test_authentication_info() -> None:
    # RFC 7616 §3.5: nextnonce, rspauth and cnonce quoted; qop and nc tokens.
    text = format_authentication_info(
        [("nextnonce", "n"), ("qop", "auth"), ("rspauth", "r"), ("cnonce", "c"), ("nc", "00000001")]
    )
    assert text == 'nextnonce="n", qop=auth, rspauth="r", cnonce="c", nc=00000001'
    assert parse_authentication_info(text) == AuthParams(
        {"nextnonce": "n", "qop": "auth", "rspauth": "r", "cnonce": "c", "nc": "00000001"}
    )
    assert format_authentication_info({"a": "1"}) == "a=1"
    assert format_authentication_info(AuthParams()) == ""


def test_authentication_info_validates() -> None:
    with pytest.raises(ValueError):
        format_authentication_info([("a", "1\r\nSet-Cookie: x=y")])
    with pytest.raises(ValueError):
        format_authentication_info([("a", "1"), ("A", "2")])


@pytest.mark.parametrize("injection", ["x\r\nSet-Cookie: a=b", "x\nY: z", "x\rY", "\x00"])
def test_no_header_injection_through_any_constructor(injection: str) -> None:
    with pytest.raises(ValueError):
        Challenge("Basic", {"realm": injection})
    with pytest.raises(ValueError):
        Credentials("Basic", {"a": injection})
    with pytest.raises(ValueError):
        Credentials("Basic", token68=injection)
    with pytest.raises(ValueError):
        Challenge(injection)
