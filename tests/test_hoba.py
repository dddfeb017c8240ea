"""HOBA (RFC 7486): the RFC's examples and the typed views, read and built back."""

from __future__ import annotations

import pytest

from wwwauth import Challenge, ParseError, parse_authorization, parse_www_authenticate
from wwwauth.schemes import HobaChallenge, HobaResult, hoba_tbs

from .rfc_figures import assert_secret_free

# RFC 7486 prints no WWW-Authenticate or Authorization example: the tests below follow
# the grammar and wording of §2 (HOBA-TBS, HOBA-RES) and §3 (the challenge parameters),
# with values made up for the purpose.


def test_rfc7486_3_challenge() -> None:
    """RFC 7486 prints no challenge example; this follows §3 ("challenge" and "max-age" MUST be included)."""
    value = 'HOBA challenge="aGVsbG8=", max-age=10, realm="hoba@example.com"'
    view = HobaChallenge.from_challenge(value)
    assert view == HobaChallenge(challenge="aGVsbG8=", max_age=10, realm="hoba@example.com")
    assert view.to_challenge() == parse_www_authenticate(value)[0]
    assert str(view.to_challenge()) == value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("HOBA max-age=10", "Expected a 'challenge' parameter (RFC 7486 §3)"),
        ('HOBA challenge="x"', "Expected a 'max-age' parameter (RFC 7486 §3)"),
        ('HOBA challenge="x", max-age=-1', "Expected max-age as a non-negative decimal integer"),
    ],
)
def test_rfc7486_3_challenge_needs_challenge_and_max_age(value: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        HobaChallenge.from_challenge(value)
    assert caught.value.message == message


def test_rfc7486_2_result() -> None:
    """RFC 7486 prints no Authorization example; this follows §2's HOBA-RES = kid "." challenge "." nonce "." sig."""
    result = HobaResult(kid="a2lk", challenge="aGVsbG8", nonce="bm9uY2U", signature="c2ln")
    credentials = result.to_credentials()
    assert str(credentials) == "HOBA result=a2lk.aGVsbG8.bm9uY2U.c2ln"  # a token: sent unquoted
    assert parse_authorization(str(credentials)) == credentials
    assert HobaResult.from_credentials(str(credentials)) == result
    assert_secret_free(result, "a2lk", "c2ln")


def test_rfc7486_2_result_needs_four_parts() -> None:
    with pytest.raises(ParseError) as caught:
        HobaResult.from_credentials('HOBA result="a.b.c"')
    assert str(caught.value) == (
        "Expected kid.challenge.nonce.sig in base64url (RFC 7486 §2)\n"
        "    HOBA result=*****\n"
        "                ^"
    )


def test_rfc7486_2_tbs() -> None:
    """RFC 7486 prints no HOBA-TBS example; this follows §2's definition of the blob."""
    # HOBA-TBS = len ":" nonce len ":" alg len ":" origin len ":" [ realm ] len ":" kid len ":" challenge
    assert (
        hoba_tbs(
            nonce="bm9uY2U",
            alg="0",
            origin="https://example.com:443",
            realm="r\u00e9alm",
            kid="a2lk",
            challenge="Y2g",
        )
        == "7:bm9uY2U1:023:https://example.com:4436:r\u00e9alm4:a2lk3:Y2g"
    )


def test_types() -> None:
    assert isinstance(HobaChallenge(challenge="c", max_age=0).to_challenge(), Challenge)
