"""Properties: round trips, fixed points, strict ⊆ lenient, and agreement with the oracle.

The oracle, ``tests/reference.py``, was written from the RFC 9110 ABNF alone, by a
separate author who did not read the parser: where the two disagree, one has a bug.
"""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from wwwauth import (
    AuthParams,
    Challenge,
    Credentials,
    ParseError,
    format_authentication_info,
    format_challenges,
    format_credentials,
    parse_authentication_info,
    parse_authorization,
    parse_www_authenticate,
    strategies,
)

from .reference import (
    ReferenceParseError,
    reference_auth_info,
    reference_challenges,
    reference_credentials,
)

# parse(format(x)) == x


@given(st.lists(strategies.challenges(), max_size=5))
def test_challenges_round_trip(challenges: list[Challenge]) -> None:
    text = format_challenges(challenges)
    assert parse_www_authenticate(text) == challenges
    parsed = parse_www_authenticate(text)
    # Spelling and order survive too, not only equality.
    assert [(c.scheme, list(c.params.items()), c.token68) for c in parsed] == [
        (c.scheme, list(c.params.items()), c.token68) for c in challenges
    ]


@given(strategies.credentials())
def test_credentials_round_trip(credentials: Credentials) -> None:
    assert parse_authorization(format_credentials(credentials)) == credentials


@given(strategies.auth_params())
def test_authentication_info_round_trip(params: AuthParams) -> None:
    text = format_authentication_info(params)
    assert list(parse_authentication_info(text).items()) == list(params.items())


# format(parse(s)) is a fixed point


@given(strategies.header_values("WWW-Authenticate"))
def test_serialized_challenges_are_a_fixed_point(value: str) -> None:
    once = format_challenges(parse_www_authenticate(value))
    assert format_challenges(parse_www_authenticate(once)) == once


@given(strategies.header_values("Authorization"))
def test_serialized_credentials_are_a_fixed_point(value: str) -> None:
    once = format_credentials(parse_authorization(value))
    assert format_credentials(parse_authorization(once)) == once


# What strict accepts, lenient accepts with the same result


@given(strategies.header_values("WWW-Authenticate"))
def test_lenient_agrees_with_strict_on_valid_challenges(value: str) -> None:
    assert parse_www_authenticate(value, strict=False) == parse_www_authenticate(value)


@given(strategies.header_values("Authorization"))
def test_lenient_agrees_with_strict_on_valid_credentials(value: str) -> None:
    assert parse_authorization(value, strict=False) == parse_authorization(value)


# Agreement with the oracle, on valid values and on near-misses

_ALPHABET = 'ab=," \t\\\x01Bx/'


def _as_tuples(
    challenges: list[Challenge],
) -> list[tuple[str, tuple[tuple[str, str], ...], str | None]]:
    return [(c.scheme, tuple(c.params.items()), c.token68) for c in challenges]


def _agree_on_challenges(value: str) -> None:
    try:
        expected = reference_challenges(value)
    except ReferenceParseError:
        try:
            parse_www_authenticate(value)
        except ParseError:
            return
        raise AssertionError(f"strict parser accepts {value!r}, the ABNF does not")
    assert _as_tuples(parse_www_authenticate(value)) == expected


@given(strategies.header_values("WWW-Authenticate"))
def test_challenges_agree_with_the_oracle_on_valid_values(value: str) -> None:
    assume(len(value) < 120)
    _agree_on_challenges(value)


@given(st.text(alphabet=_ALPHABET, max_size=14))
def test_challenges_agree_with_the_oracle_on_any_short_text(value: str) -> None:
    _agree_on_challenges(value)


@given(strategies.header_values("WWW-Authenticate"), st.data())
def test_challenges_agree_with_the_oracle_on_mutations(value: str, data: st.DataObject) -> None:
    assume(0 < len(value) < 80)
    index = data.draw(st.integers(0, len(value) - 1))
    insert = data.draw(st.sampled_from(list(_ALPHABET) + [""]))
    drop = data.draw(st.integers(0, 2))
    _agree_on_challenges(value[:index] + insert + value[index + drop :])


@given(
    st.one_of(strategies.header_values("Authorization"), st.text(alphabet=_ALPHABET, max_size=12))
)
def test_credentials_agree_with_the_oracle(value: str) -> None:
    assume(len(value) < 120)
    try:
        expected = reference_credentials(value)
    except ReferenceParseError:
        try:
            parse_authorization(value)
        except ParseError:
            return
        raise AssertionError(f"strict parser accepts {value!r}, the ABNF does not")
    parsed = parse_authorization(value)
    assert (parsed.scheme, tuple(parsed.params.items()), parsed.token68) == expected


@given(
    st.one_of(
        strategies.header_values("Authentication-Info"), st.text(alphabet=_ALPHABET, max_size=12)
    )
)
def test_authentication_info_agrees_with_the_oracle(value: str) -> None:
    assume(len(value) < 120)
    try:
        expected = reference_auth_info(value)
    except ReferenceParseError:
        try:
            parse_authentication_info(value)
        except ParseError:
            return
        raise AssertionError(f"strict parser accepts {value!r}, the ABNF does not")
    assert tuple(parse_authentication_info(value).items()) == expected


# The text a challenge or credentials keeps after its first str() is a fresh serialization


@given(strategies.challenges())
def test_kept_challenge_text_equals_a_fresh_serialization(challenge: Challenge) -> None:
    first = str(challenge)
    assert str(challenge) == first
    assert (
        str(Challenge(challenge.scheme, list(challenge.params.items()), challenge.token68)) == first
    )
    assert parse_www_authenticate(first) == [challenge]


@given(strategies.credentials())
def test_kept_credentials_text_equals_a_fresh_serialization(credentials: Credentials) -> None:
    first = str(credentials)
    assert str(credentials) == first
    fresh = Credentials(credentials.scheme, list(credentials.params.items()), credentials.token68)
    assert str(fresh) == first
    assert parse_authorization(first) == credentials
