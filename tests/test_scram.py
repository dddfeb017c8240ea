"""SCRAM (RFC 7804): the RFC's examples and the typed views, read and built back."""

from __future__ import annotations

import pytest

from wwwauth import (
    ParseError,
    parse_authentication_info,
    parse_authorization,
    parse_www_authenticate,
)
from wwwauth.schemes import ScramChallenge, ScramCredentials, scram_data

from .rfc_figures import assert_secret_free, field, unwrap_editorial

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
