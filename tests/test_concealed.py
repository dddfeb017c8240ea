"""Concealed (RFC 9729): the RFC's examples and the typed views, read and built back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwwauth import ParseError, parse_authorization
from wwwauth.schemes import ConcealedCredentials

from .rfc_figures import assert_secret_free, field, unwrap_rfc8792

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
