"""DPoP (RFC 9449): the RFC's examples and the typed views, read and built back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwwauth import ParseError, dpop, parse_www_authenticate
from wwwauth.dpop import DPoPChallenge

from .rfc_figures import field, unwrap_rfc8792

RFC9449_FIGURE_13 = """
   GET /protectedresource HTTP/1.1
   Host: resource.example.org
   Authorization: DPoP Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU
"""

RFC9449_FIGURE_15 = """
    HTTP/1.1 401 Unauthorized
    WWW-Authenticate: DPoP algs="ES256 PS256"
"""

RFC9449_FIGURE_16 = """
   HTTP/1.1 401 Unauthorized
   WWW-Authenticate: DPoP error="invalid_token", \\
      error_description="Invalid DPoP key binding", algs="ES256"
"""

RFC9449_FIGURE_24 = """
    HTTP/1.1 401 Unauthorized
    WWW-Authenticate: DPoP error="use_dpop_nonce", \\
      error_description="Resource server requires nonce in DPoP proof"
    DPoP-Nonce: eyJ7S_zG.eyJH0-Z.HX4w-7v
"""

RFC9449_FIGURE_19 = """
   HTTP/1.1 400 Bad Request
   WWW-Authenticate: Bearer error="invalid_request", \\
    error_description="Multiple methods used to include access token", \\
    DPoP algs="ES256 PS256", error="invalid_request", \\
    error_description="Multiple methods used to include access token"
"""


def test_rfc9449_7_1_figure_13_credentials() -> None:
    value = field(unwrap_rfc8792(RFC9449_FIGURE_13), "Authorization")
    assert dpop.token(value) == "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"
    assert str(dpop.credentials("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU")) == value


def test_rfc9449_7_1_figure_15_algs() -> None:
    value = field(unwrap_rfc8792(RFC9449_FIGURE_15), "WWW-Authenticate")
    assert str(dpop.challenge(algs=["ES256", "PS256"])) == value
    assert DPoPChallenge.from_challenge(value).algs == ("ES256", "PS256")


def test_rfc9449_7_1_figure_16_invalid_token() -> None:
    value = field(unwrap_rfc8792(RFC9449_FIGURE_16), "WWW-Authenticate")
    built = dpop.challenge(
        error="invalid_token", error_description="Invalid DPoP key binding", algs="ES256"
    )
    assert str(built) == value
    assert parse_www_authenticate(value) == [built]
    view = DPoPChallenge.from_challenge(value)
    assert view == DPoPChallenge(
        error="invalid_token", error_description="Invalid DPoP key binding", algs=("ES256",)
    )
    assert not view.needs_nonce


def test_rfc9449_9_figure_24_use_dpop_nonce() -> None:
    value = field(unwrap_rfc8792(RFC9449_FIGURE_24), "WWW-Authenticate")
    built = dpop.challenge(
        error=dpop.USE_DPOP_NONCE, error_description="Resource server requires nonce in DPoP proof"
    )
    assert str(built) == value
    assert DPoPChallenge.from_challenge(value).needs_nonce


def test_rfc9449_7_2_figure_19_two_challenges() -> None:
    value = field(unwrap_rfc8792(RFC9449_FIGURE_19), "WWW-Authenticate")
    bearer_challenge, dpop_challenge = parse_www_authenticate(value)
    view = DPoPChallenge.from_challenge(dpop_challenge)
    assert view.algs == ("ES256", "PS256")
    assert view.error == "invalid_request"
    assert bearer_challenge.params["error"] == "invalid_request"


def test_dpop_view_errors() -> None:
    with pytest.raises(ParseError) as caught:
        DPoPChallenge.from_challenge('DPoP algs="ES256  PS256"')
    assert str(caught.value) == (
        "Expected algs as values separated by single spaces (RFC 9449 §7.1)\n"
        '    DPoP algs="ES256  PS256"\n'
        "               ^"
    )


def test_dpop_token_errors_mask_the_token() -> None:
    with pytest.raises(ParseError) as caught:
        dpop.token("Bearer Kz~8mXK1EalYznwH")
    assert (
        str(caught.value)
        == "Expected the DPoP scheme, not 'Bearer'\n    Bearer ****************\n    ^"
    )


def test_dpop_credentials_refuse_non_token68() -> None:
    with pytest.raises(ValueError) as caught:
        dpop.credentials("not a token")
    assert str(caught.value) == "the access token is not a token68 (RFC 9449 §7.1)"


@given(
    st.builds(
        DPoPChallenge,
        realm=st.none()
        | st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=8),
        scope=st.lists(st.sampled_from(["read", "write", "a:b"]), max_size=3).map(tuple),
        error=st.none()
        | st.sampled_from(["invalid_token", dpop.USE_DPOP_NONCE, dpop.INVALID_DPOP_PROOF]),
        error_description=st.none() | st.just("why not"),
        algs=st.lists(st.sampled_from(["ES256", "PS256", "EdDSA"]), max_size=3).map(tuple),
    )
)
def test_dpop_view_round_trips(view: DPoPChallenge) -> None:
    assert DPoPChallenge.from_challenge(view.to_challenge()) == view
    assert DPoPChallenge.from_challenge(str(view.to_challenge())) == view
