"""vapid (RFC 8292): the RFC's examples and the typed views, read and built back."""

from __future__ import annotations

import base64

import pytest

from wwwauth import ParseError, parse_authorization
from wwwauth.schemes import VapidCredentials

from .rfc_figures import assert_secret_free, field, unwrap_editorial

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
