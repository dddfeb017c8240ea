"""DPoP, Negotiate/NTLM, HOBA, Mutual, SCRAM, vapid, PrivateToken, Concealed: RFC examples and views."""

from __future__ import annotations

import base64
import re
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwwauth import (
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


def unfold(figure: str) -> str:
    """An indented line continues the one before: after a comma with one space, else as is."""
    text = textwrap.dedent(figure).strip()

    def join(match: re.Match[str]) -> str:
        return " " if re.match(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+=", text[match.end() :]) else ""

    return re.sub(r"\n[ \t]+", join, text)


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
# RFC 7486 prints no header example; these follow its §2-§3 grammar and wording.


def test_rfc7486_3_challenge() -> None:
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
    result = HobaResult(kid="a2lk", challenge="aGVsbG8", nonce="bm9uY2U", signature="c2ln")
    credentials = result.to_credentials()
    assert str(credentials) == "HOBA result=a2lk.aGVsbG8.bm9uY2U.c2ln"  # a token: sent unquoted
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
# Values here are placeholders; the parameter rules are RFC 8120 §4's.


def test_rfc8120_4_1_init_challenge() -> None:
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
    assert MutualChallenge(reason="stale-session").message == "401-STALE"
    view = MutualChallenge.from_challenge(
        "Mutual sid=AAA, ks1=BBB, nc-max=10, nc-window=5, time=300, version=1"
    )
    assert (view.message, view.nc_max, view.nc_window, view.time) == ("401-KEX-S1", 10, 5, 300)
    assert MutualChallenge.from_challenge(view.to_challenge()) == view


def test_rfc8120_4_requests() -> None:
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
    value = field(unfold(RFC7804_CLIENT_FIRST).removeprefix("C: "), "Authorization")
    view = ScramCredentials.from_credentials(value)
    assert (view.scheme, view.realm) == ("SCRAM-SHA-256", "testrealm@example.com")
    assert view.message() == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO\n"
    assert ScramCredentials.for_message(view.message() or "", realm="testrealm@example.com") == view
    assert str(view.to_credentials()) == value
    assert_secret_free(view, "biwsbj11")


def test_rfc7804_5_server_first() -> None:
    value = field(unfold(RFC7804_SERVER_FIRST).removeprefix("S: "), "WWW-Authenticate")
    view = ScramChallenge.from_challenge(value)
    assert view.sid == "AAAABBBBCCCCDDDD"
    assert (
        view.message()
        == "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096\n"
    )
    assert view.to_challenge() == parse_www_authenticate(value)[0]


def test_rfc7804_5_server_final_needs_lenient_parsing() -> None:
    # The "=" padding of an unquoted value is not a token (RFC 9110 §5.6.2): strict
    # parsing refuses what RFC 7804 prints, lenient parsing reads it.
    value = field(unfold(RFC7804_SERVER_FINAL).removeprefix("S: "), "Authentication-Info")
    with pytest.raises(ParseError):
        parse_authentication_info(value)
    params = parse_authentication_info(value, strict=False)
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

RFC8292_2_4 = """
   Authorization: vapid
      t=eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.eyJhdWQiOiJodHRwczovL3
        B1c2guZXhhbXBsZS5uZXQiLCJleHAiOjE0NTM1MjM3NjgsInN1YiI6Im1ha
        Wx0bzpwdXNoQGV4YW1wbGUuY29tIn0.i3CYb7t4xfxCDquptFOepC9GAu_H
        LGkMlMuCGSK2rpiUfnK9ojFwDXb1JrErtmysazNjjvW2L9OkSSHzvoD1oA,
      k=BA1Hxzyi1RUM1b5wjxsn7nGxAszw2u61m164i3MrAIxHF6YK5h4SDYic-dR
        uU_RCPCfA5aq9ojSwk5Y2EmClBPs
"""


def test_rfc8292_2_4_example() -> None:
    value = field(unfold(RFC8292_2_4), "Authorization")
    view = VapidCredentials.from_credentials(value)
    assert view.claims() == {
        "aud": "https://push.example.net",
        "exp": 1453523768,
        "sub": "mailto:push@example.com",
    }
    key = view.public_key()
    assert len(key) == 65 and key[0] == 4
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

RFC9577_2_1 = """
WWW-Authenticate:
  PrivateToken challenge="abc...", token-key="123..."
"""

RFC9577_2_1_BATCH = """
WWW-Authenticate:
  PrivateToken challenge="abc...", token-key="123...",
  PrivateToken challenge="def...", token-key="234..."
"""


def test_rfc9577_2_1_challenge() -> None:
    value = unfold(RFC9577_2_1).partition(":")[2].strip()
    view = PrivateTokenChallenge.from_challenge(value)
    assert (view.challenge, view.token_key) == ("abc...", "123...")
    assert view.to_challenge() == parse_www_authenticate(value)[0]
    assert (
        str(view.to_challenge()) == "PrivateToken challenge=abc..., token-key=123..."
    )  # tokens: unquoted
    # The RFC's values are placeholders, not base64url: decoding them is an error.
    with pytest.raises(ValueError):
        view.token_challenge()


def test_rfc9577_2_1_batch_of_challenges() -> None:
    value = unfold(RFC9577_2_1_BATCH).partition(":")[2].strip()
    views = [
        PrivateTokenChallenge.from_challenge(challenge)
        for challenge in parse_www_authenticate(value)
    ]
    assert [(v.challenge, v.token_key) for v in views] == [
        ("abc...", "123..."),
        ("def...", "234..."),
    ]


def test_rfc9577_2_2_credentials() -> None:
    value = (
        'PrivateToken token="abc..."'  # RFC 9577 §2.2: Authorization: PrivateToken token="abc..."
    )
    view = PrivateTokenCredentials.from_credentials(value)
    assert view.token == "abc..."
    assert view.to_credentials() == parse_authorization(value)
    assert_secret_free(view, "abc...")


def test_token_challenge_structure() -> None:
    context = bytes(range(32))
    token_challenge = TokenChallenge(
        token_type=0x0002,
        issuer_name="issuer.example",
        redemption_context=context,
        origin_info=("origin.example", "other.example"),
    )
    encoded = token_challenge.encode()
    # RFC 9577 §2.1: uint16 type, <1..2^16-1> issuer, <0..32> context, <0..2^16-1> origin_info
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
    # base64url with its padding (RFC 9577 §2.1), so a padded value goes out quoted
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

RFC9729_EXAMPLE = """
NOTE: '\\' line wrapping per RFC 8792

Authorization: Concealed \\
  k=YmFzZW1lbnQ, \\
  a=VGhpcyBpcyBh-HB1YmxpYyBrZXkgaW4gdXNl_GhlcmU, \\
  s=2055, \\
  v=dmVyaWZpY2F0aW9u_zE2Qg, \\
  p=SW5zZXJ0_HNpZ25hdHVyZSBvZiBub25jZSBoZXJlIHdo\\
    aWNoIHRha2VzIDUxMiBiaXRz-GZvciBFZDI1NTE5IQ
"""


def test_rfc9729_example() -> None:
    value = field(unwrap_rfc8792(RFC9729_EXAMPLE), "Authorization")
    view = ConcealedCredentials.from_credentials(value)
    assert view.k == b"basement"  # 'the key ID "basement"'
    assert view.s == 2055  # ed25519 in the TLS SignatureScheme registry
    assert view.a.startswith(b"This is a") and view.v.startswith(b"verification")
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
    value = field(unwrap_rfc8792(RFC9729_EXAMPLE), "Authorization").replace(*change)
    with pytest.raises(ParseError) as caught:
        ConcealedCredentials.from_credentials(value)
    assert caught.value.message == message
    assert "YmFzZW1lbnQ" not in str(caught.value)


@pytest.mark.parametrize("s", ["0", "7", "65535"])
def test_rfc9729_4_integers(s: str) -> None:
    value = field(unwrap_rfc8792(RFC9729_EXAMPLE), "Authorization").replace("s=2055", f"s={s}")
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
