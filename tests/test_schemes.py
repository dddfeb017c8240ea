"""DPoP, Negotiate/NTLM, HOBA, Mutual, SCRAM, vapid, PrivateToken, Concealed: RFC examples and views."""

from __future__ import annotations

import base64
import hashlib
import re
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwwauth import (
    AuthParams,
    Challenge,
    Credentials,
    ParseError,
    dpop,
    negotiate,
    parse_authentication_info,
    parse_authorization,
    parse_www_authenticate,
)
from wwwauth.dpop import DPoPChallenge
from wwwauth.schemes import (
    ConcealedCredentials,
    HobaChallenge,
    HobaResult,
    MutualChallenge,
    MutualCredentials,
    PrivateTokenChallenge,
    PrivateTokenCredentials,
    ScramChallenge,
    ScramCredentials,
    TokenChallenge,
    VapidCredentials,
    hoba_tbs,
    scram_data,
)


def unwrap_rfc8792(figure: str) -> str:
    """RFC 8792 §7.2.2 single-backslash wrapping: a line ending in "\\" continues, minus the next line's indent."""
    return re.sub(r"\\\n[ \t]*", "", textwrap.dedent(figure).strip())


def obs_fold(figure: str) -> str:
    """One field line from a figure whose continuation lines are obs-fold.

    RFC 9112 §5.2 (obs-fold = OWS CRLF RWS), as RFC 9110 §5.5 asks a recipient
    to read it: each line break and the indentation after it become one SP.
    """
    return re.sub(r"\n[ \t]+", " ", textwrap.dedent(figure).strip())


def unwrap_editorial(figure: str) -> str:
    """One field line from a figure whose RFC says its line wrapping is editorial.

    RFC 8292 §2.4 ("the example header fields in this document include extra line
    wrapping to meet formatting constraints") and RFC 7804 §5 break a field line after
    the auth-scheme or after the comma between two auth-params, and also inside long
    base64 values. Reading every break as obs-fold (one SP) would cut those values in
    two, so: a break after the first line or after a "," is one SP, any other break
    joins the two pieces of one value.
    """
    lines = [line.strip() for line in textwrap.dedent(figure).strip().splitlines()]
    text = lines[0]
    for index, line in enumerate(lines[1:], start=1):
        text += " " if index == 1 or text.endswith(",") else ""
        text += line
    return text


def unwrap_fixed_width(figure: str) -> str:
    """One field line from RFC 9577 Appendix A.2, cut at a fixed width.

    "Line folding is only used to fit the document formatting constraints and not
    supported in actual requests": the pieces join with nothing between them, so
    only a space the RFC prints after the indentation (" token-key=") is kept.
    """
    return "".join(textwrap.dedent(figure).strip("\n").splitlines())


def field(text: str, name: str) -> str:
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            return value.strip()
    raise AssertionError(f"no {name}")


def assert_secret_free(value: object, *secrets: str) -> None:
    text = repr(value)
    assert "<redacted>" in text
    for secret in secrets:
        assert secret not in text


# --------------------------------------------------------------------------- DPoP, RFC 9449

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


# --------------------------------------------------------------------------- Negotiate, RFC 4559; NTLM

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


# --------------------------------------------------------------------------- HOBA, RFC 7486
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


# --------------------------------------------------------------------------- Mutual, RFC 8120
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


# --------------------------------------------------------------------------- SCRAM, RFC 7804
# RFC 7804 §5's exchange. Its data values are base64 of RFC 7677 §3's SCRAM-SHA-256
# messages, each with a trailing newline; the server-first drops "$k0" from the nonce.
# The figures are as this file has carried them: RFC 7804's text could not be consulted
# again when the other RFC examples were checked, so their layout is unverified; the
# values agree with other implementations' tests taken from the same exchange.

RFC7804_CLIENT_FIRST = """
   C: Authorization: SCRAM-SHA-256 realm="testrealm@example.com",
          data=biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8K
"""

RFC7804_SERVER_FIRST = """
   S: WWW-Authenticate: SCRAM-SHA-256
          sid=AAAABBBBCCCCDDDD,
          data=cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJ
          bGopaE5sRixzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTYK
"""

RFC7804_SERVER_FINAL = """
   S: Authentication-Info: sid=AAAABBBBCCCCDDDD,
          data=dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQo=
"""


def test_rfc7804_5_client_first() -> None:
    """RFC 7804 §5, the client-first request: valid RFC 9110 syntax, read strictly."""
    value = field(unwrap_editorial(RFC7804_CLIENT_FIRST).removeprefix("C: "), "Authorization")
    credentials = parse_authorization(value)
    assert credentials.params["realm"] == "testrealm@example.com"
    view = ScramCredentials.from_credentials(credentials)
    assert (view.scheme, view.realm) == ("SCRAM-SHA-256", "testrealm@example.com")
    assert view.message() == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO\n"
    assert ScramCredentials.for_message(view.message() or "", realm="testrealm@example.com") == view
    assert str(view.to_credentials()) == value
    assert_secret_free(view, "biwsbj11")


def test_rfc7804_5_server_first() -> None:
    """RFC 7804 §5, the server-first challenge: valid RFC 9110 syntax, read strictly."""
    value = field(unwrap_editorial(RFC7804_SERVER_FIRST).removeprefix("S: "), "WWW-Authenticate")
    (challenge,) = parse_www_authenticate(value)
    view = ScramChallenge.from_challenge(challenge)
    assert view.sid == "AAAABBBBCCCCDDDD"
    assert (
        view.message()
        == "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096\n"
    )
    assert view.to_challenge() == challenge


def test_rfc7804_5_server_final_needs_lenient_parsing() -> None:
    """RFC 7804 §5, the server-final Authentication-Info: not RFC 9110 syntax, read leniently."""
    # The "=" padding of an unquoted value is not a token (RFC 9110 §5.6.2): strict
    # parsing refuses what RFC 7804 prints, lenient parsing reads it.
    value = field(unwrap_editorial(RFC7804_SERVER_FINAL).removeprefix("S: "), "Authentication-Info")
    with pytest.raises(ParseError):
        parse_authentication_info(value)
    params = parse_authentication_info(value, strict=False)
    assert params["sid"] == "AAAABBBBCCCCDDDD"
    assert scram_data(params) == "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=\n"


def test_scram_builder_quotes_what_is_not_a_token() -> None:
    view = ScramCredentials.for_message(
        "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=\n", sid="AAAABBBBCCCCDDDD"
    )
    text = str(view.to_credentials())
    assert text == (
        'SCRAM-SHA-256 sid=AAAABBBBCCCCDDDD, data="dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQo="'
    )
    assert ScramCredentials.from_credentials(text) == view


def test_scram_scheme_check() -> None:
    with pytest.raises(ParseError) as caught:
        ScramChallenge.from_challenge("Digest realm=x, nonce=y")
    assert caught.value.message == "Expected a SCRAM-* scheme, not 'Digest'"


def test_scram_data_must_be_base64() -> None:
    with pytest.raises(ValueError):
        scram_data({"data": "not base64!"})


# --------------------------------------------------------------------------- vapid, RFC 8292

# RFC 8292 §2.4, Figure 1 ("Requesting Push Message Delivery with JWT"), the Authorization
# field line only. The RFC: "the example header fields in this document include extra line
# wrapping to meet formatting constraints", hence unwrap_editorial.
RFC8292_2_4_FIGURE_1 = """
   Authorization: vapid
      t=eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.eyJhdWQiOiJodHRwczovL3
        B1c2guZXhhbXBsZS5uZXQiLCJleHAiOjE0NTM1MjM3NjgsInN1YiI6Im1ha
        Wx0bzpwdXNoQGV4YW1wbGUuY29tIn0.i3CYb7t4xfxCDquptFOepC9GAu_H
        LGkMlMuCGSK2rpiUfnK9ojFwDXb1JrErtmysazNjjvW2L9OkSSHzvoD1oA,
      k=BA1Hxzyi1RUM1b5wjxsn7nGxAszw2u61m164i3MrAIxHF6YK5h4SDYic-dR
        uU_RCPCfA5aq9ojSwk5Y2EmClBPs
"""


def test_rfc8292_2_4_figure_1() -> None:
    """RFC 8292 §2.4 Figure 1, read strictly (valid RFC 9110 syntax), against Figure 2's decoded values."""
    value = field(unwrap_editorial(RFC8292_2_4_FIGURE_1), "Authorization")
    credentials = parse_authorization(value)
    assert credentials.scheme == "vapid"
    view = VapidCredentials.from_credentials(credentials)
    # Figure 2: JWT body = { "aud": "https://push.example.net", "exp": 1453523768,
    #                        "sub": "mailto:push@example.com" }
    assert view.claims() == {
        "aud": "https://push.example.net",
        "exp": 1453523768,
        "sub": "mailto:push@example.com",
    }
    # Figure 2: the JWK of the signing key, whose x and y are the point that k carries.
    jwk_x = base64.urlsafe_b64decode("DUfHPKLVFQzVvnCPGyfucbECzPDa7rWbXriLcysAjEc=")
    jwk_y = base64.urlsafe_b64decode("F6YK5h4SDYic-dRuU_RCPCfA5aq9ojSwk5Y2EmClBPs=")
    assert view.public_key() == b"\x04" + jwk_x + jwk_y
    assert view.to_credentials() == credentials
    assert str(view.to_credentials()) == value
    assert_secret_free(view, "eyJ0eXAi", "BA1Hxzyi")


def test_vapid_needs_t_and_k() -> None:
    with pytest.raises(ParseError) as caught:
        VapidCredentials.from_credentials("vapid t=a.b.c")
    assert caught.value.message == "Expected a 'k' parameter (RFC 8292 §3)"


@pytest.mark.parametrize(
    "k",
    [
        "BA",
        "AA1Hxzyi1RUM1b5wjxsn7nGxAszw2u61m164i3MrAIxHF6YK5h4SDYic-dRuU_RCPCfA5aq9ojSwk5Y2EmClBPs",
    ],
)
def test_vapid_public_key_must_be_an_uncompressed_point(k: str) -> None:
    with pytest.raises(ValueError):
        VapidCredentials(t="a.b.c", k=k).public_key()


# --------------------------------------------------------------------------- PrivateToken, RFC 9577
# RFC 9577 §2.1.2, §2.1.2.1 and §2.2.2 print examples with placeholder values ("abc...");
# Appendix A prints test vectors with real ones. (Read from the RFC's final draft,
# draft-ietf-privacypass-auth-scheme-15, the version the RFC Editor published as RFC 9577.)

RFC9577_2_1_2 = """
WWW-Authenticate:
  PrivateToken challenge="abc...", token-key="123..."
"""

RFC9577_2_1_2_1 = """
WWW-Authenticate:
  PrivateToken challenge="abc...", token-key="123...",
  PrivateToken challenge="def...", token-key="234..."
"""

RFC9577_2_2_2 = """
Authorization: PrivateToken token="abc..."
"""


def test_rfc9577_2_1_2_challenge() -> None:
    """RFC 9577 §2.1.2's example, read strictly: its line break is obs-fold."""
    value = field(obs_fold(RFC9577_2_1_2), "WWW-Authenticate")
    assert value == 'PrivateToken challenge="abc...", token-key="123..."'
    (challenge,) = parse_www_authenticate(value)
    view = PrivateTokenChallenge.from_challenge(challenge)
    assert (view.challenge, view.token_key, view.max_age) == ("abc...", "123...", None)
    assert view.to_challenge() == challenge
    assert (
        str(view.to_challenge()) == "PrivateToken challenge=abc..., token-key=123..."
    )  # tokens: unquoted
    # The RFC's values are placeholders, not base64url: decoding them is an error.
    with pytest.raises(ValueError):
        view.token_challenge()


def test_rfc9577_2_1_2_1_multiple_challenges() -> None:
    """RFC 9577 §2.1.2.1's example, read strictly: two challenges in one field line."""
    value = field(obs_fold(RFC9577_2_1_2_1), "WWW-Authenticate")
    views = [
        PrivateTokenChallenge.from_challenge(challenge)
        for challenge in parse_www_authenticate(value)
    ]
    assert [(v.challenge, v.token_key) for v in views] == [
        ("abc...", "123..."),
        ("def...", "234..."),
    ]


def test_rfc9577_2_2_2_credentials() -> None:
    """RFC 9577 §2.2.2's example, read strictly."""
    value = field(RFC9577_2_2_2, "Authorization")
    credentials = parse_authorization(value)
    view = PrivateTokenCredentials.from_credentials(credentials)
    assert view.token == "abc..."
    assert view.to_credentials() == credentials
    assert_secret_free(view, "abc...")


# RFC 9577 Appendix A.2, the three WWW-Authenticate field lines, each with the parameters
# the RFC lists for its challenges: (token type, token-key, max-age, token-challenge) in
# hexadecimal, None for the Basic challenge. The hex strings keep the RFC's line breaks.
_A2_TOKEN_KEY_2 = (
    "30820152303d06092a864886f70d01010a3030a00d300b060960864"
    "8016503040202a11a301806092a864886f70d010108300b060960864801650304020"
    "2a2030201300382010f003082010a0282010100cb1aed6b6a95f5b1ce013a4cfcab2"
    "5b94b2e64a23034e4250a7eab43c0df3a8c12993af12b111908d4b471bec31d4b6c9"
    "ad9cdda90612a2ee903523e6de5a224d6b02f09e5c374d0cfe01d8f529c500a78a2f"
    "67908fa682b5a2b430c81eaf1af72d7b5e794fc98a3139276879757ce453b526ef9b"
    "f6ceb99979b8423b90f4461a22af37aab0cf5733f7597abe44d31c732db68a181c6c"
    "bbe607d8c0e52e0655fd9996dc584eca0be87afbcd78a337d17b1dba9e828bbd81e2"
    "91317144e7ff89f55619709b096cbb9ea474cead264c2073fe49740c01f00e109106"
    "066983d21e5f83f086e2e823c879cd43cef700d2a352a9babd612d03cad02db134b7"
    "e225a5f0203010001"
)
_A2_TOKEN_CHALLENGE_2 = (
    "0002000e6973737565722e6578616d706c65208a3e83a33d9"
    "8005d2f30bef419fa6bf4cd5c6005e36b1285bbb4ccd40fa4b383000e6f726967696"
    "e2e6578616d706c65"
)
_A2_TOKEN_KEY_1 = (
    "ebb1fed338310361c08d0c7576969671296e05e99a17d7926dfc28a"
    "53fabd489fac0f82bca86249a668f3a5bfab374c9"
)
_A2_TOKEN_CHALLENGE_1 = (
    "0001000e6973737565722e6578616d706c65208a3e83a33d9"
    "8005d2f30bef419fa6bf4cd5c6005e36b1285bbb4ccd40fa4b383000e6f726967696"
    "e2e6578616d706c65"
)
_A2_TOKEN_KEY_0 = (
    "856de3c710b892e7cca1ae5eb121af42ca8e779137a11224228c9b9"
    "9b0729bf84d5057d030000309b8f0d06ccffa17561f9eacd4c312e985a6bc60ffbea"
    "0610264dcb1726255313da81d665692686a1d8644f1516bf612cea009e6dff6d9a9a"
    "959fb538e1b5b2343c092992942382bdde22d5b324b1e4618ed21d7806286c2ce"
)
_A2_TOKEN_CHALLENGE_0 = (
    "0000acc3b25795c636fd9dd8b12982394abba8777d35978e8"
    "77fc8848892a217233045ac25a3d55c07c54efe6372973fee0073e77fc61bf19ab88"
    "0f20edf5d627502"
)

RFC9577_A_2 = [
    (
        """
   WWW-Authenticate: PrivateToken challenge="AAIADmlzc3Vlci5leGFtcGxlII
   o-g6M9mABdLzC-9Bn6a_TNXGAF42sShbu0zNQPpLODAA5vcmlnaW4uZXhhbXBsZQ==",
    token-key="MIIBUjA9BgkqhkiG9w0BAQowMKANMAsGCWCGSAFlAwQCAqEaMBgGCSqG
   SIb3DQEBCDALBglghkgBZQMEAgKiAwIBMAOCAQ8AMIIBCgKCAQEAyxrta2qV9bHOATpM
   _KsluUsuZKIwNOQlCn6rQ8DfOowSmTrxKxEZCNS0cb7DHUtsmtnN2pBhKi7pA1I-beWi
   JNawLwnlw3TQz-Adj1KcUAp4ovZ5CPpoK1orQwyB6vGvcte155T8mKMTknaHl1fORTtS
   bvm_bOuZl5uEI7kPRGGiKvN6qwz1cz91l6vkTTHHMttooYHGy75gfYwOUuBlX9mZbcWE
   7KC-h6-814ozfRex26noKLvYHikTFxROf_ifVWGXCbCWy7nqR0zq0mTCBz_kl0DAHwDh
   CRBgZpg9IeX4PwhuLoI8h5zUPO9wDSo1Kpur1hLQPK0C2xNLfiJaXwIDAQAB",unknow
   nChallengeAttribute="ignore-me", max-age="10"
""",
        [(0x0002, _A2_TOKEN_KEY_2, 10, _A2_TOKEN_CHALLENGE_2)],
    ),
    (
        """
   WWW-Authenticate: PrivateToken challenge="AAIADmlzc3Vlci5leGFtcGxlII
   o-g6M9mABdLzC-9Bn6a_TNXGAF42sShbu0zNQPpLODAA5vcmlnaW4uZXhhbXBsZQ==",
    token-key="MIIBUjA9BgkqhkiG9w0BAQowMKANMAsGCWCGSAFlAwQCAqEaMBgGCSqG
   SIb3DQEBCDALBglghkgBZQMEAgKiAwIBMAOCAQ8AMIIBCgKCAQEAyxrta2qV9bHOATpM
   _KsluUsuZKIwNOQlCn6rQ8DfOowSmTrxKxEZCNS0cb7DHUtsmtnN2pBhKi7pA1I-beWi
   JNawLwnlw3TQz-Adj1KcUAp4ovZ5CPpoK1orQwyB6vGvcte155T8mKMTknaHl1fORTtS
   bvm_bOuZl5uEI7kPRGGiKvN6qwz1cz91l6vkTTHHMttooYHGy75gfYwOUuBlX9mZbcWE
   7KC-h6-814ozfRex26noKLvYHikTFxROf_ifVWGXCbCWy7nqR0zq0mTCBz_kl0DAHwDh
   CRBgZpg9IeX4PwhuLoI8h5zUPO9wDSo1Kpur1hLQPK0C2xNLfiJaXwIDAQAB",unknow
   nChallengeAttribute="ignore-me", max-age="10", PrivateToken challeng
   e="AAEADmlzc3Vlci5leGFtcGxlIIo-g6M9mABdLzC-9Bn6a_TNXGAF42sShbu0zNQPp
   LODAA5vcmlnaW4uZXhhbXBsZQ==", token-key="67H-0zgxA2HAjQx1dpaWcSluBem
   aF9eSbfwopT-r1In6wPgryoYkmmaPOlv6s3TJ",unknownChallengeAttribute="ig
   nore-me", max-age="10"
""",
        [
            (0x0002, _A2_TOKEN_KEY_2, 10, _A2_TOKEN_CHALLENGE_2),
            (0x0001, _A2_TOKEN_KEY_1, 10, _A2_TOKEN_CHALLENGE_1),
        ],
    ),
    (
        """
   WWW-Authenticate: Basic realm="grease", PrivateToken challenge="AACs
   w7JXlcY2_Z3YsSmCOUq7qHd9NZeOh3_IhIiSohcjMEWsJaPVXAfFTv5jcpc_7gBz53_G
   G_GauIDyDt9dYnUC",token-key="hW3jxxC4kufMoa5esSGvQsqOd5E3oRIkIoybmbB
   ym_hNUFfQMAADCbjw0GzP-hdWH56s1MMS6YWmvGD_vqBhAmTcsXJiVTE9qB1mVpJoah2
   GRPFRa_YSzqAJ5t_22ampWftTjhtbI0PAkpkpQjgr3eItWzJLHkYY7SHXgGKGws4=",
   PrivateToken challenge="AAEADmlzc3Vlci5leGFtcGxlIIo-g6M9mABdLzC-9Bn6
   a_TNXGAF42sShbu0zNQPpLODAA5vcmlnaW4uZXhhbXBsZQ==", token-key="67H-0z
   gxA2HAjQx1dpaWcSluBemaF9eSbfwopT-r1In6wPgryoYkmmaPOlv6s3TJ",unknownC
   hallengeAttribute="ignore-me", max-age="10"
""",
        [
            None,
            (0x0000, _A2_TOKEN_KEY_0, None, _A2_TOKEN_CHALLENGE_0),
            (0x0001, _A2_TOKEN_KEY_1, 10, _A2_TOKEN_CHALLENGE_1),
        ],
    ),
]


@pytest.mark.parametrize(
    ("figure", "expected"),
    RFC9577_A_2,
    ids=[f"RFC9577-A.2-vector{i}" for i in range(1, len(RFC9577_A_2) + 1)],
)
def test_rfc9577_a_2_header_vectors(
    figure: str, expected: list[tuple[int, str, int | None, str] | None]
) -> None:
    """RFC 9577 Appendix A.2: valid RFC 9110 syntax, read strictly, each challenge against its listed values."""
    value = field(unwrap_fixed_width(figure), "WWW-Authenticate")
    challenges = parse_www_authenticate(value)
    assert len(challenges) == len(expected)
    for challenge, listed in zip(challenges, expected, strict=True):
        if listed is None:
            assert challenge.scheme == "Basic"
            continue
        token_type, token_key, max_age, token_challenge = listed
        view = PrivateTokenChallenge.from_challenge(challenge)
        assert view.max_age == max_age
        assert view.token_key_bytes() == bytes.fromhex(token_key)
        raw = base64.urlsafe_b64decode(view.challenge)
        assert raw == bytes.fromhex(token_challenge)
        if token_type == 0x0000:
            # A grease challenge: random octets after the type, which clients ignore.
            with pytest.raises(ValueError):
                view.token_challenge()
        else:
            decoded = view.token_challenge()
            assert decoded.token_type == token_type
            assert (decoded.issuer_name, decoded.origin_info) == (
                "issuer.example",
                ("origin.example",),
            )
            assert decoded.encode() == raw
            # "an unknown (not specified) parameter that implementations are meant to ignore"
            assert view.extensions == AuthParams([("unknownChallengeAttribute", "ignore-me")])
        assert PrivateTokenChallenge.from_challenge(view.to_challenge()) == view


# RFC 9577 Appendix A.1, test vectors 1-5 (token type 0x0002, issuer_name "issuer.example"):
# (redemption_context, origin_info, token_authenticator_input), in hexadecimal.
# token_authenticator_input = token_type || nonce || SHA-256(TokenChallenge) || token_key_id.
_A1_NONCE = "e01978182c469e5e026d66558ee186568614f235e41ef7e2378e6f202688abab"
_A1_TOKEN_KEY_ID = "ca572f8982a9ca248a3056186322d93ca147266121ddeb5632c07f1f71cd2708"
_A1_CONTEXT = "476ac2c935f458e9b2d7af32dacfbd22dd6023ef5887a789f1abe004e79bb5bb"
RFC9577_A_1 = [
    (
        _A1_CONTEXT,
        "6f726967696e2e6578616d706c65",
        (
            "0002e01978182c469e5e026d66558ee1865686"
            "14f235e41ef7e2378e6f202688abab8e1d5518ec82964255526efd8f9db88205a"
            "8ddd3ffb1db298fcc3ad36c42388fca572f8982a9ca248a3056186322d93ca147"
            "266121ddeb5632c07f1f71cd2708"
        ),
    ),
    (
        "",
        "6f726967696e2e6578616d706c65",
        (
            "0002e01978182c469e5e026d66558ee1865686"
            "14f235e41ef7e2378e6f202688abab11e15c91a7c2ad02abd66645802373db1d8"
            "23bea80f08d452541fb2b62b5898bca572f8982a9ca248a3056186322d93ca147"
            "266121ddeb5632c07f1f71cd2708"
        ),
    ),
    (
        "",
        "",
        (
            "0002e01978182c469e5e026d66558ee1865686"
            "14f235e41ef7e2378e6f202688ababb741ec1b6fd05f1e95f8982906aec161289"
            "6d9ca97d53eef94ad3c9fe023f7a4ca572f8982a9ca248a3056186322d93ca147"
            "266121ddeb5632c07f1f71cd2708"
        ),
    ),
    (
        _A1_CONTEXT,
        "",
        (
            "0002e01978182c469e5e026d66558ee1865686"
            "14f235e41ef7e2378e6f202688ababb85fb5bc06edeb0e8e8bdb5b3bea8c4fa40"
            "837c82e8bcaf5882c81e14817ea18ca572f8982a9ca248a3056186322d93ca147"
            "266121ddeb5632c07f1f71cd2708"
        ),
    ),
    (
        _A1_CONTEXT,
        "666f6f2e6578616d706c652c6261722e6578616d706c65",
        (
            "0002e01978182c469e5e026d66558ee1865686"
            "14f235e41ef7e2378e6f202688ababa2a775866b6ae0f98944910c8f48728d8a2"
            "735b9157762ddbf803f70e2e8ba3eca572f8982a9ca248a3056186322d93ca147"
            "266121ddeb5632c07f1f71cd2708"
        ),
    ),
]


@pytest.mark.parametrize(
    ("redemption_context", "origin_info", "token_authenticator_input"),
    RFC9577_A_1,
    ids=[f"RFC9577-A.1-vector{i}" for i in range(1, len(RFC9577_A_1) + 1)],
)
def test_rfc9577_a_1_token_challenge_vectors(
    redemption_context: str, origin_info: str, token_authenticator_input: str
) -> None:
    """RFC 9577 Appendix A.1: the TokenChallenge encoding, checked through its SHA-256 digest."""
    origins = bytes.fromhex(origin_info).decode("ascii")
    token_challenge = TokenChallenge(
        token_type=0x0002,
        issuer_name=bytes.fromhex("6973737565722e6578616d706c65").decode("ascii"),
        redemption_context=bytes.fromhex(redemption_context),
        origin_info=tuple(origins.split(",")) if origins else (),
    )
    encoded = token_challenge.encode()
    digest = hashlib.sha256(encoded).digest()
    assert (
        b"\x00\x02" + bytes.fromhex(_A1_NONCE) + digest + bytes.fromhex(_A1_TOKEN_KEY_ID)
    ) == bytes.fromhex(token_authenticator_input)
    assert TokenChallenge.decode(encoded) == token_challenge


def test_token_challenge_structure() -> None:
    context = bytes(range(32))
    token_challenge = TokenChallenge(
        token_type=0x0002,
        issuer_name="issuer.example",
        redemption_context=context,
        origin_info=("origin.example", "other.example"),
    )
    encoded = token_challenge.encode()
    # RFC 9577 §2.1.1: uint16 type, <1..2^16-1> issuer, <0..32> context, <0..2^16-1> origin_info
    assert encoded == (
        b"\x00\x02"
        + b"\x00\x0eissuer.example"
        + b"\x20"
        + context
        + b"\x00\x1corigin.example,other.example"
    )
    view = PrivateTokenChallenge.for_token_challenge(
        token_challenge, token_key=b"\x01\x02", max_age=10
    )
    text = str(view.to_challenge())
    # base64url with its padding (RFC 9577 §2.1.2), so a padded value goes out quoted
    assert text.endswith(', token-key="AQI=", max-age=10')
    again = PrivateTokenChallenge.from_challenge(text)
    assert again == view
    assert again.token_challenge() == token_challenge
    assert again.token_key_bytes() == b"\x01\x02"


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x02\x00",
        b"\x00\x02\x00\x00\x00\x00\x00",
        b"\x00\x02\x00\x01i\x05abcde\x00\x00",
        b"\x00\x02\x00\x01i\x00\x00\x00!",
    ],
    ids=["truncated", "empty-issuer", "bad-context-length", "trailing"],
)
def test_token_challenge_refuses(data: bytes) -> None:
    with pytest.raises(ValueError):
        TokenChallenge.decode(data)


# --------------------------------------------------------------------------- Concealed, RFC 9729

# RFC 9729 §5, Figure 5 ("Example Header Field"), as published. (Drafts of the document
# printed another "p" value; this is the RFC's.)
RFC9729_5_FIGURE_5 = """
NOTE: '\\' line wrapping per RFC 8792

Authorization: Concealed \\
  k=YmFzZW1lbnQ, \\
  a=VGhpcyBpcyBh-HB1YmxpYyBrZXkgaW4gdXNl_GhlcmU, \\
  s=2055, \\
  v=dmVyaWZpY2F0aW9u_zE2Qg, \\
  p=QzpcV2luZG93c_xTeXN0ZW0zMlxkcml2ZXJz-ENyb3dkU\\
    3RyaWtlXEMtMDAwMDAwMDAyOTEtMD-wMC0w_DAwLnN5cw
"""


def test_rfc9729_5_example() -> None:
    """RFC 9729 §5's example, read strictly (valid RFC 9110 syntax): "the key ID "basement" and ... Ed25519"."""
    value = field(unwrap_rfc8792(RFC9729_5_FIGURE_5), "Authorization")
    credentials = parse_authorization(value)
    assert [name for name in credentials.params] == ["k", "a", "s", "v", "p"]
    view = ConcealedCredentials.from_credentials(credentials)
    assert view.k == b"basement"
    assert view.s == 2055  # 0x0807, ed25519 in the TLS SignatureScheme registry
    assert len(view.v) == 16  # RFC 9729 §3.2: the last 16 octets of the key exporter output
    assert view.a.startswith(b"This is a") and view.v.startswith(b"verification")
    assert view.p.startswith(b"C:\\Windows")
    assert view.to_credentials() == credentials
    assert str(view.to_credentials()) == value
    assert_secret_free(view, "basement", "YmFzZW1lbnQ")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("s=2055", "s=02055"),
            "Expected s as an integer from 0 to 65535 without leading zeros (RFC 9729 §4)",
        ),
        (
            ("s=2055", "s=65536"),
            "Expected s as an integer from 0 to 65535 without leading zeros (RFC 9729 §4)",
        ),
        (
            ("k=YmFzZW1lbnQ", 'k="YmFzZW1lbnQ="'),
            "Expected k as base64url without padding (RFC 9729 §4)",
        ),
        (
            ("k=YmFzZW1lbnQ", "k=YmFz.W1lbnQ"),
            "Expected k as base64url without padding (RFC 9729 §4)",
        ),
        (("v=dmVyaWZpY2F0aW9u_zE2Qg, ", ""), "Expected a 'v' parameter (RFC 9729 §4)"),
    ],
)
def test_rfc9729_4_value_syntax(change: tuple[str, str], message: str) -> None:
    value = field(unwrap_rfc8792(RFC9729_5_FIGURE_5), "Authorization").replace(*change)
    with pytest.raises(ParseError) as caught:
        ConcealedCredentials.from_credentials(value)
    assert caught.value.message == message
    assert "YmFzZW1lbnQ" not in str(caught.value)


@pytest.mark.parametrize("s", ["0", "7", "65535"])
def test_rfc9729_4_integers(s: str) -> None:
    value = field(unwrap_rfc8792(RFC9729_5_FIGURE_5), "Authorization").replace("s=2055", f"s={s}")
    assert ConcealedCredentials.from_credentials(value).s == int(s)


@given(
    st.binary(max_size=40),
    st.binary(max_size=40),
    st.binary(max_size=40),
    st.integers(0, 65535),
    st.binary(max_size=16),
)
def test_concealed_view_round_trips(k: bytes, a: bytes, p: bytes, s: int, v: bytes) -> None:
    view = ConcealedCredentials(k=k, a=a, p=p, s=s, v=v)
    assert ConcealedCredentials.from_credentials(view.to_credentials()) == view
    assert ConcealedCredentials.from_credentials(str(view.to_credentials())) == view


def test_types() -> None:
    assert isinstance(HobaChallenge(challenge="c", max_age=0).to_challenge(), Challenge)
    assert isinstance(PrivateTokenCredentials(token="t").to_credentials(), Credentials)
