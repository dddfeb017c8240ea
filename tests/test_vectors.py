"""RFC examples, parsed in both modes and written back by the serializer."""

from __future__ import annotations

import pytest

from wwwauth import (
    Challenge,
    Credentials,
    format_challenges,
    format_credentials,
    parse_authorization,
    parse_proxy_authenticate,
    parse_proxy_authorization,
    parse_www_authenticate,
)

from .vectors import VECTORS, Vector

CHALLENGE_VECTORS = [v for v in VECTORS if v.field == "WWW-Authenticate"]
CREDENTIAL_VECTORS = [v for v in VECTORS if v.field == "Authorization"]


def _expected_challenges(vector: Vector) -> list[Challenge]:
    return [Challenge(scheme, params, token68) for scheme, params, token68 in vector.expected]


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "lenient"])
@pytest.mark.parametrize("vector", CHALLENGE_VECTORS, ids=lambda v: v.id)
def test_challenge_vector_parses(vector: Vector, strict: bool) -> None:
    parsed = parse_www_authenticate(vector.value, strict=strict)
    assert parsed == _expected_challenges(vector)
    # Schemes and names as written, in order, not only equal ignoring case and order.
    assert [c.scheme for c in parsed] == [scheme for scheme, _, _ in vector.expected]
    assert [list(c.params.items()) for c in parsed] == [list(p) for _, p, _ in vector.expected]
    assert parse_proxy_authenticate(vector.value, strict=strict) == parsed


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "lenient"])
@pytest.mark.parametrize("vector", CREDENTIAL_VECTORS, ids=lambda v: v.id)
def test_credentials_vector_parses(vector: Vector, strict: bool) -> None:
    [(scheme, params, token68)] = vector.expected
    parsed = parse_authorization(vector.value, strict=strict)
    assert parsed == Credentials(scheme, params, token68)
    assert list(parsed.params.items()) == list(params)
    assert parse_proxy_authorization(vector.value, strict=strict) == parsed


@pytest.mark.parametrize("vector", CHALLENGE_VECTORS, ids=lambda v: v.id)
def test_challenge_vector_round_trips(vector: Vector) -> None:
    challenges = _expected_challenges(vector)
    assert parse_www_authenticate(format_challenges(challenges)) == challenges


@pytest.mark.parametrize("vector", CREDENTIAL_VECTORS, ids=lambda v: v.id)
def test_credentials_vector_round_trips(vector: Vector) -> None:
    [(scheme, params, token68)] = vector.expected
    credentials = Credentials(scheme, params, token68)
    assert parse_authorization(format_credentials(credentials)) == credentials


def test_rfc7616_3_9_1_challenges_as_two_field_lines() -> None:
    """RFC 7616 §3.9.1 sends its two Digest challenges as two field lines (RFC 9110 §5.3)."""
    [vector] = [v for v in VECTORS if v.id == "RFC7616-3.9.1-challenges-two-field-lines"]
    first, second = vector.value.split(", Digest ")
    assert parse_www_authenticate([first, "Digest " + second]) == _expected_challenges(vector)
    assert parse_www_authenticate([first.encode(), ("Digest " + second).encode()]) == (
        _expected_challenges(vector)
    )


def test_rfc7616_digest_values_serialize_quoted_as_the_rfc_writes_them() -> None:
    """RFC 7616 §3.4: username, realm, uri, nonce, cnonce, response, opaque quoted; the
    algorithm, nc and qop tokens are not."""
    [vector] = [v for v in VECTORS if v.id == "RFC7616-3.9.1-credentials-MD5"]
    [(scheme, params, token68)] = vector.expected
    assert format_credentials(Credentials(scheme, params, token68)) == vector.value


def test_rfc7616_digest_challenge_serializes_as_the_rfc_writes_it() -> None:
    """RFC 7616 §3.3: realm, qop, nonce and opaque quoted, algorithm a token."""
    [vector] = [v for v in VECTORS if v.id == "RFC7616-3.9.1-challenges-two-field-lines"]
    assert format_challenges(_expected_challenges(vector)) == vector.value


def test_rfc6750_challenge_serializes_as_the_rfc_writes_it() -> None:
    [vector] = [v for v in VECTORS if v.id == "RFC6750-3-invalid-token"]
    assert format_challenges(_expected_challenges(vector)) == vector.value
