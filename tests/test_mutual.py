"""Mutual (RFC 8120): the RFC's examples and the typed views, read and built back."""

from __future__ import annotations

import pytest

from wwwauth import ParseError, parse_www_authenticate
from wwwauth.schemes import MutualChallenge, MutualCredentials

from .rfc_figures import assert_secret_free

# RFC 8120's text could not be consulted when these tests were written, so whether it
# prints a header example is unchecked: the values are placeholders, the parameter
# rules are those of §4.1-§4.4 as the view documents them.


def test_rfc8120_4_1_init_challenge() -> None:
    """Placeholder values (no RFC 8120 example at hand); §4.1's 401-INIT parameters."""
    value = 'Mutual version=1, algorithm=iso-kam3-dl-2048-sha256, validation=host, realm="example.com", reason=initial'
    view = MutualChallenge.from_challenge(value)
    assert (view.message, view.version, view.reason, view.validation) == (
        "401-INIT",
        1,
        "initial",
        "host",
    )
    assert view.to_challenge() == parse_www_authenticate(value)[0]


def test_rfc8120_4_stale_and_kex_s1() -> None:
    """Placeholder values (no RFC 8120 example at hand); §4.1 401-STALE and §4.3 401-KEX-S1."""
    assert MutualChallenge(reason="stale-session").message == "401-STALE"
    view = MutualChallenge.from_challenge(
        "Mutual sid=AAA, ks1=BBB, nc-max=10, nc-window=5, time=300, version=1"
    )
    assert (view.message, view.nc_max, view.nc_window, view.time) == ("401-KEX-S1", 10, 5, 300)
    assert MutualChallenge.from_challenge(view.to_challenge()) == view


def test_rfc8120_4_requests() -> None:
    """Placeholder values (no RFC 8120 example at hand); §4.2 req-KEX-C1 and §4.4 req-VFY-C."""
    kex = MutualCredentials.from_credentials('Mutual version=1, user="john", kc1=AAAA')
    assert kex.message == "req-KEX-C1"
    vfy = MutualCredentials.from_credentials("Mutual sid=S, nc=0, vkc=VVV")
    assert (vfy.message, vfy.nc) == ("req-VFY-C", 0)
    assert MutualCredentials.from_credentials(vfy.to_credentials()) == vfy
    assert_secret_free(kex, "john", "AAAA")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Mutual reason=initial, ks1=x", "Expected only one of reason, ks# and vks (RFC 8120 §4)"),
        ("Mutual reason=initial, kc1=x", "A challenge must not carry 'kc1' (RFC 8120 §4)"),
        ("Mutual version=one", "Expected version as a non-negative decimal integer"),
    ],
)
def test_rfc8120_4_challenge_rules(value: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        MutualChallenge.from_challenge(value)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Mutual kc1=a, vkc=b", "Expected only one of kc# and vkc (RFC 8120 §4)"),
        ("Mutual vkc=b, reason=initial", "A request must not carry 'reason' (RFC 8120 §4)"),
    ],
)
def test_rfc8120_4_request_rules(value: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        MutualCredentials.from_credentials(value)
    assert caught.value.message == message
