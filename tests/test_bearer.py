"""The Bearer scheme (RFC 6750): RFC examples, character rules, the typed challenge view."""

from __future__ import annotations

import re
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwwauth import (
    Challenge,
    Credentials,
    ParseError,
    bearer,
    parse_authorization,
    parse_www_authenticate,
    strategies,
)
from wwwauth._scheme import token68_of
from wwwauth.bearer import NQCHAR, NQSCHAR, BearerChallenge, token

_CONTINUATION = re.compile(r"\n[ \t]+")


def unfold(figure: str) -> str:
    """Join an RFC figure's field value: an indented line continues the one before.

    A continuation that starts a new ``name=`` parameter follows a separator, so it gets
    one space; anything else (a value broken in the middle) is joined as is.
    """
    text = textwrap.dedent(figure).strip()

    def join(match: re.Match[str]) -> str:
        rest = text[match.end() :]
        return " " if re.match(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+=", rest) else ""

    return _CONTINUATION.sub(join, text)


def field_value(figure: str, name: str) -> str:
    """The value of field ``name`` in an unfolded RFC figure."""
    for line in unfold(figure).splitlines():
        if line.lower().startswith(name.lower() + ":"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"no {name} in figure")


# --------------------------------------------------------------------------- RFC 6750

RFC6750_2_1 = """
     GET /resource HTTP/1.1
     Host: server.example.com
     Authorization: Bearer mF_9.B5f-4.1JqM
"""

RFC6750_3_NO_TOKEN = """
     HTTP/1.1 401 Unauthorized
     WWW-Authenticate: Bearer realm="example"
"""

RFC6750_3_EXPIRED = """
     HTTP/1.1 401 Unauthorized
     WWW-Authenticate: Bearer realm="example",
                       error="invalid_token",
                       error_description="The access token expired"
"""


def test_rfc6750_2_1_token() -> None:
    value = field_value(RFC6750_2_1, "Authorization")
    assert bearer.token(value) == "mF_9.B5f-4.1JqM"
    assert str(bearer.credentials("mF_9.B5f-4.1JqM")) == value


def test_rfc6750_3_no_token() -> None:
    value = field_value(RFC6750_3_NO_TOKEN, "WWW-Authenticate")
    assert parse_www_authenticate(value) == [bearer.challenge(realm="example")]
    assert str(bearer.challenge(realm="example")) == value


def test_rfc6750_3_expired_token() -> None:
    value = field_value(RFC6750_3_EXPIRED, "WWW-Authenticate")
    built = bearer.challenge(
        realm="example", error="invalid_token", error_description="The access token expired"
    )
    assert parse_www_authenticate(value) == [built]
    assert str(built) == value
    view = BearerChallenge.from_challenge(value)
    assert view == BearerChallenge(
        realm="example", error="invalid_token", error_description="The access token expired"
    )
    assert view.status == 401


@pytest.mark.parametrize(
    ("value", "scope"),
    [
        # RFC 6750 §3, the two example scope values, verbatim
        pytest.param(
            'scope="openid profile email"', ("openid", "profile", "email"), id="RFC6750-3-openid"
        ),
        pytest.param(
            'scope="urn:example:channel=HBO&urn:example:rating=G,PG-13"',
            ("urn:example:channel=HBO&urn:example:rating=G,PG-13",),
            id="RFC6750-3-omap",
        ),
    ],
)
def test_rfc6750_3_scope_examples(value: str, scope: tuple[str, ...]) -> None:
    view = BearerChallenge.from_challenge(f"Bearer {value}")
    assert view.scope == scope
    assert str(view.to_challenge()) == f"Bearer {value}"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        ("invalid_request", 400),
        ("invalid_token", 401),
        ("insufficient_scope", 403),
        ("use_dpop_nonce", None),
    ],
)
def test_rfc6750_3_1_error_status(error: str, status: int | None) -> None:
    assert BearerChallenge(error=error).status == status


def test_rfc9728_5_1_resource_metadata() -> None:
    # RFC 9728 §5.1
    figure = """
HTTP/1.1 401 Unauthorized
WWW-Authenticate: Bearer resource_metadata=
  "https://resource.example.com/.well-known/oauth-protected-resource"
"""
    value = field_value(figure, "WWW-Authenticate")
    view = BearerChallenge.from_challenge(value)
    assert (
        view.resource_metadata
        == "https://resource.example.com/.well-known/oauth-protected-resource"
    )
    assert view.to_challenge() == parse_www_authenticate(value)[0]
    built = bearer.challenge(
        resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource"
    )
    assert str(built) == value


def test_insufficient_claims_challenge() -> None:
    value = 'Bearer realm="", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="'
    view = BearerChallenge.from_challenge(value)
    assert (view.error, view.claims) == (bearer.INSUFFICIENT_CLAIMS, "eyJhY2Nlc3NfdG9rZW4iOnt9fQ==")
    assert view.to_challenge() == parse_www_authenticate(value)[0]


# --------------------------------------------------------------------------- builder


def test_builder_order_and_quoting() -> None:
    built = bearer.challenge(
        realm="r",
        scope=["a", "b"],
        error="insufficient_scope",
        error_description="d",
        error_uri="https://e/x",
        x="y",
    )
    assert str(built) == (
        'Bearer realm="r", scope="a b", error="insufficient_scope", error_description="d", '
        'error_uri="https://e/x", x=y'
    )


def test_bare_challenge() -> None:
    assert str(bearer.challenge()) == "Bearer"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"scope": "a  b"},
            "a scope-token must not be empty (RFC 6749 §3.3 scope-token = 1*NQCHAR)",
        ),
        (
            {"scope": 'a"b'},
            "a scope-token holds U+0022 at index 1, outside RFC 6749 §3.3 scope-token = 1*NQCHAR",
        ),
        ({"scope": []}, "scope must hold at least one scope-token (RFC 6749 §3.3)"),
        (
            {"error": "bad\\code"},
            "error holds U+005C at index 3, outside RFC 6750 §3 %x20-21 / %x23-5B / %x5D-7E",
        ),
        (
            {"error_description": "caf\u00e9"},
            "error_description holds U+00E9 at index 3, outside RFC 6750 §3 %x20-21 / %x23-5B / %x5D-7E",
        ),
        (
            {"error_uri": "https://e/a b"},
            "error_uri holds U+0020 at index 11, outside RFC 6750 §3 %x21 / %x23-5B / %x5D-7E",
        ),
        ({"error": ""}, "error must not be empty (RFC 6750 §3 %x20-21 / %x23-5B / %x5D-7E)"),
    ],
)
def test_builder_refuses(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        bearer.challenge(**kwargs)  # type: ignore[arg-type]  # values of several types on purpose
    assert str(caught.value) == message


def test_character_classes() -> None:
    # RFC 6749 App. A: NQCHAR = %x21 / %x23-5B / %x5D-7E ; NQSCHAR adds %x20
    for code in range(256):
        char = chr(code)
        assert (char in NQCHAR) == (code == 0x21 or 0x23 <= code <= 0x5B or 0x5D <= code <= 0x7E)
        assert (char in NQSCHAR) == (char in NQCHAR or code == 0x20)


# --------------------------------------------------------------------------- credentials


def test_credentials_refuses_non_b64token_without_echo() -> None:
    with pytest.raises(ValueError) as caught:
        bearer.credentials("secret token")
    assert str(caught.value) == "the access token is not a b64token (RFC 6750 §2.1)"
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(
            "Basic mF_9.B5f-4.1JqM",
            "Expected the Bearer scheme, not 'Basic'\n    Basic ***************\n    ^",
            id="scheme",
        ),
        pytest.param(
            "Bearer token=mF_9",
            "Expected a b64token after 'Bearer' (RFC 6750 §2.1)\n    Bearer token=****\n    ^",
            id="params",
        ),
        pytest.param(
            "Bearer",
            "Expected a b64token after 'Bearer' (RFC 6750 §2.1)\n    Bearer\n    ^",
            id="bare",
        ),
    ],
)
def test_token_errors(value: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        bearer.token(value)
    assert str(caught.value) == message
    assert "mF_9" not in str(caught.value)


def test_token_accepts_credentials_and_bytes() -> None:
    assert bearer.token(parse_authorization(b"bearer abc==")) == "abc=="
    assert bearer.token(b"Bearer abc==") == "abc=="


def test_credentials_repr_hides_the_token() -> None:
    assert "mF_9" not in repr(bearer.credentials("mF_9.B5f-4.1JqM"))


# --------------------------------------------------------------------------- view


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(
            'Bearer realm="x", scope="a  b"',
            "Expected scope-tokens separated by single spaces (RFC 6749 §3.3, RFC 6750 §3)\n"
            '    Bearer realm="x", scope="a  b"\n'
            "                             ^",
            id="double-space",
        ),
        pytest.param(
            'Bearer error_description="say \\"hi\\""',
            "Expected error_description of %x20-21 / %x23-5B / %x5D-7E only (RFC 6750 §3)\n"
            '    Bearer error_description="say \\"hi\\""\n'
            "                              ^",
            id="quote-in-description",
        ),
        pytest.param(
            "Basic realm=x",
            "Expected the Bearer scheme, not 'Basic'\n    Basic realm=\"x\"\n    ^",
            id="scheme",
        ),
        pytest.param(
            "Bearer abc",
            "Expected auth-params after 'Bearer', not a token68\n    Bearer abc\n    ^",
            id="token68",
        ),
    ],
)
def test_view_errors(value: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        BearerChallenge.from_challenge(value)
    assert str(caught.value) == message


def test_view_lenient_mode_takes_values_as_they_are() -> None:
    view = BearerChallenge.from_challenge(
        'Bearer scope="a  b", error_description="say \\"hi\\""', strict=False
    )
    assert view.scope == ("a", "b")
    assert view.error_description == 'say "hi"'


def test_view_keeps_extensions_in_order() -> None:
    view = BearerChallenge.from_challenge('Bearer z=1, realm="r", a=2')
    assert list(view.extensions.items()) == [("z", "1"), ("a", "2")]


def test_view_from_one_of_several_challenges_needs_a_challenge() -> None:
    with pytest.raises(ParseError) as caught:
        BearerChallenge.from_challenge('Bearer realm="a", Basic realm="b"')
    assert caught.value.message == "Expected exactly one challenge, found 2"


scope_tokens = st.text(st.sampled_from(sorted(NQCHAR)), min_size=1, max_size=8)
nqs_text = st.text(st.sampled_from(sorted(NQSCHAR)), min_size=1, max_size=20)
views = st.builds(
    BearerChallenge,
    realm=st.none() | st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=10),
    scope=st.lists(scope_tokens, max_size=4).map(tuple),
    error=st.none() | nqs_text,
    error_description=st.none() | nqs_text,
    error_uri=st.none() | scope_tokens,
    resource_metadata=st.none() | scope_tokens,
    claims=st.none() | scope_tokens,
)


@given(views)
def test_view_round_trips_through_the_model(view: BearerChallenge) -> None:
    challenge = view.to_challenge()
    assert BearerChallenge.from_challenge(challenge) == view
    assert BearerChallenge.from_challenge(str(challenge)) == view
    assert BearerChallenge.from_challenge(challenge).to_challenge() == challenge


def test_types() -> None:
    assert isinstance(bearer.challenge(), Challenge)
    assert isinstance(bearer.credentials("a"), Credentials)


# The fast path of token() answers exactly as the parser, or leaves the value to it.

_BEARER_LIKE = st.builds(
    lambda scheme, space, token, tail: scheme + space + token + tail,
    st.sampled_from(["Bearer", "bearer", "BEARER", "bEaReR", "Basic", " Bearer", "Beare"]),
    st.sampled_from([" ", "  ", "\t", ""]),
    st.text(alphabet="aZ09-._~+/=" + ' ,"\x00é\u212a', max_size=10),
    st.sampled_from(["", " ", "\t", ",", " x", "="]),
)


@given(st.one_of(_BEARER_LIKE, strategies.header_values("Authorization")))
def test_token_fast_path_agrees_with_the_parser(value: str) -> None:
    try:
        expected: str | None = token68_of(value, "Bearer", "no b64token")
    except ParseError:
        expected = None
    try:
        assert token(value) == expected
    except ParseError:
        assert expected is None


def test_challenges_are_kept_for_the_same_arguments() -> None:
    first = bearer.challenge(realm="kept", error="invalid_token")
    assert bearer.challenge(realm="kept", error="invalid_token") is first
    assert str(first) == 'Bearer realm="kept", error="invalid_token"'
    # An iterable scope, or an unhashable value, is built afresh (and refused as before).
    assert bearer.challenge(scope=["a", "b"]) == bearer.challenge(scope="a b")
    with pytest.raises(TypeError, match="must be a str, not list"):
        bearer.challenge(realm=["x"])  # type: ignore[arg-type]  # the point of the test
    for index in range(200):  # a fresh value each time: the memo stays bounded
        bearer.challenge(realm=f"r{index}")
    assert bearer._kept_challenge.cache_info().currsize <= 64
