"""The Negotiate (RFC 4559) and NTLM schemes: base64 GSS-API or NTLMSSP tokens as token68.

Both run a multi-leg handshake over one connection: the server challenges with a bare
scheme, the client answers with a token, the server may challenge again with a token
of its own (on a 401, or on the final 2xx, RFC 4559 §5). Both directions are a token68.
NTLM (Microsoft's [MS-NTHT]) has the same shape, so every function takes
``scheme="NTLM"`` too; and SPNEGO often carries raw NTLMSSP inside Negotiate, which
:func:`ntlm_message_type` recognizes.

>>> from wwwauth import negotiate
>>> str(negotiate.challenge()), str(negotiate.credentials("a87421000492aa874209af8bc028"))
('Negotiate', 'Negotiate a87421000492aa874209af8bc028')
"""

from __future__ import annotations

from typing import Final

from ._abnf import is_token68
from ._base64 import Base64Error
from ._base64 import decode as decode_base64
from ._scheme import check_scheme, param_error
from .errors import ParseError
from .model import Challenge, Credentials

__all__ = [
    "NTLM",
    "SCHEME",
    "challenge",
    "credentials",
    "decode_token",
    "ntlm_message_type",
    "token",
]

SCHEME: Final = "Negotiate"
NTLM: Final = "NTLM"

# [MS-NLMP] §2.2.1: every NTLM message starts with "NTLMSSP\0" and a 32-bit little-endian
# message type: 1 NEGOTIATE, 2 CHALLENGE, 3 AUTHENTICATE.
_NTLMSSP: Final = b"NTLMSSP\x00"


def _checked(token: str, scheme: str) -> str:
    # RFC 4559 §4: gssapi-data = base64 encoded GSS-API data, sent as RFC 9110 §11.2 token68
    if not is_token68(token):
        raise ValueError(f"the {scheme} token is not a token68 (RFC 9110 §11.2)")
    return token


def challenge(token: str | None = None, *, scheme: str = SCHEME) -> Challenge:
    """Build a Negotiate (or NTLM) challenge (RFC 4559 §4.1, §5).

    Args:
        token: the server's gssapi-data for the next leg, or None for the bare scheme
            that opens the handshake.
        scheme: ``"Negotiate"`` or ``"NTLM"``.

    Returns:
        The challenge.

    Raises:
        ValueError: the token is not a token68.

    >>> str(challenge("749efa7b23409c20b92356"))
    'Negotiate 749efa7b23409c20b92356'
    """
    return Challenge(scheme, token68=None if token is None else _checked(token, scheme))


def credentials(token: str, *, scheme: str = SCHEME) -> Credentials:
    """Build Negotiate (or NTLM) credentials (RFC 4559 §4.2).

    Raises:
        ValueError: the token is not a token68 (the message does not show it).

    >>> str(credentials("TlRMTVNTUAABAAAAB4IIog==", scheme="NTLM"))
    'NTLM TlRMTVNTUAABAAAAB4IIog=='
    """
    return Credentials(scheme, token68=_checked(token, scheme))


def token(value: Challenge | Credentials, *, scheme: str = SCHEME) -> str | None:
    """The token of a Negotiate (or NTLM) challenge or credentials.

    Args:
        value: a parsed challenge (WWW-Authenticate) or credentials (Authorization).
        scheme: the scheme expected.

    Returns:
        The token68; None for a bare challenge.

    Raises:
        ParseError: another scheme, auth-params instead of a token68, or credentials
            without a token.

    >>> token(challenge()) is None
    True
    """
    check_scheme(value, scheme)
    if value.params:
        raise param_error(
            value, None, f"Expected a token68 after {value.scheme!r}, not auth-params (RFC 4559 §4)"
        )
    if value.token68 is None and isinstance(value, Credentials):
        raise param_error(value, None, f"Expected a token68 after {value.scheme!r} (RFC 4559 §4.2)")
    return value.token68


def decode_token(token: str) -> bytes:
    """Decode a Negotiate or NTLM token (strict base64, RFC 4648 §4).

    Raises:
        ParseError: not base64 with correct padding, e.g. a non-ASCII character
            (``source`` is masked).

    >>> decode_token("TlRMTVNTUAABAAAAB4IIog==")[:8]
    b'NTLMSSP\\x00'
    """
    try:
        # RFC 4648 §4 with padding, and zero pad bits (§3.5) as everywhere: see _base64.py.
        return decode_base64(token)
    except Base64Error as exc:
        raise ParseError(
            "Expected base64 (RFC 4648 §4)", "*" * len(token), 0, span=(0, len(token))
        ) from exc


def ntlm_message_type(token: str) -> int | None:
    """The NTLM message type (1, 2 or 3) when ``token`` is an NTLMSSP message, else None.

    Useful with Negotiate, whose SPNEGO may fall back to raw NTLM ([MS-NLMP] §2.2.1).

    >>> ntlm_message_type("TlRMTVNTUAABAAAAB4IIog=="), ntlm_message_type("YIIGhgYGKwYBBQUCoIIGejCCBnY=")
    (1, None)
    """
    try:
        data = decode_token(token)
    except ParseError:
        return None
    if len(data) < 12 or not data.startswith(_NTLMSSP):
        return None
    kind = int.from_bytes(data[8:12], "little")
    return kind if kind in (1, 2, 3) else None
