"""The Concealed scheme view, RFC 9729 §4: :class:`ConcealedCredentials`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Final

from .._abnf import DIGIT
from .._base64 import decode as decode_base64
from .._scheme import SchemeSpec, SchemeValue, param_error
from ..model import AuthParams, Credentials
from ._shared import CredentialsView, b64url

CONCEALED: Final = "Concealed"


_NONZERO: Final = DIGIT - {"0"}


def _byte_sequence(value: SchemeValue, name: str) -> bytes:
    try:
        # RFC 9729 §4: concealed-byte-sequence-param-value = *( ALPHA / DIGIT / "-" / "_" )
        return decode_base64(value.params[name], urlsafe=True, padded=False)
    except ValueError:
        raise param_error(
            value, name, f"Expected {name} as base64url without padding (RFC 9729 §4)"
        ) from None


def _integer(value: SchemeValue, name: str) -> int:
    s = value.params[name]
    # RFC 9729 §4: concealed-integer-param-value = %x31-39 1*4( DIGIT ) / "0"
    # (read with the prose: "MUST NOT start with a zero unless the full value is "0"",
    # so a single non-zero digit is allowed, which the ABNF's 1*4 DIGIT would refuse).
    well_formed = s == "0" or (s[:1] in _NONZERO and len(s) <= 5 and all(c in DIGIT for c in s))
    if not well_formed or int(s) > 0xFFFF:
        raise param_error(
            value,
            name,
            "Expected s as an integer from 0 to 65535 without leading zeros (RFC 9729 §4)",
        )
    return int(s)


# RFC 9729 §4: all five are REQUIRED; read (and checked) in this order.
_CONCEALED: Final = SchemeSpec(
    CONCEALED,
    ("k", "a", "p", "v", "s"),
    required=("k", "a", "p", "s", "v"),
    rfc="RFC 9729 §4",
    readers={**dict.fromkeys("kapv", _byte_sequence), "s": _integer},
)


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class ConcealedCredentials(CredentialsView):
    """Concealed credentials (RFC 9729 §4): a TLS-exporter-bound signature. ``repr`` shows no value.

    All five parameters are REQUIRED; the byte sequences are unpadded base64url, ``s`` a
    decimal integer without leading zeros up to 65535 (RFC 9729 §4). A frontend ignores
    a field that :meth:`from_credentials` refuses (RFC 9729 §6.1).

    Attributes:
        k: the key ID.
        a: the public key.
        p: the proof (signature).
        s: the TLS SignatureScheme of the proof (0-65535).
        v: the verification (16 octets of the key exporter output).
        extensions: every other parameter.
    """

    k: bytes
    a: bytes
    p: bytes
    s: int
    v: bytes
    extensions: AuthParams = field(default_factory=AuthParams)

    _SPEC: ClassVar[SchemeSpec] = _CONCEALED

    def to_credentials(self) -> Credentials:
        """Build the generic credentials (k, a, s, v, p, as RFC 9729 §5's example orders them).

        Raises:
            ValueError: ``s`` outside 0-65535.
        """
        if not 0 <= self.s <= 0xFFFF:
            raise ValueError("s must be from 0 to 65535 (RFC 9729 §4)")
        items = [
            ("k", b64url(self.k, padded=False)),
            ("a", b64url(self.a, padded=False)),
            ("s", str(self.s)),
            ("v", b64url(self.v, padded=False)),
            ("p", b64url(self.p, padded=False)),
        ]
        return Credentials(CONCEALED, [*items, *self.extensions.items()])
