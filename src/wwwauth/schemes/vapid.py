"""The vapid scheme view, RFC 8292 §3: :class:`VapidCredentials`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import ClassVar, Final

from .._scheme import SchemeSpec
from ..model import AuthParams
from ._shared import CredentialsView, decoded_param, value_error

VAPID: Final = "vapid"


# RFC 8292 §3: t and k, both required; written t then k, as §3 shows.
_VAPID: Final = SchemeSpec(VAPID, ("t", "k"), required=("t", "k"), rfc="RFC 8292 §3")


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class VapidCredentials(CredentialsView):
    """vapid credentials (RFC 8292 §3): a signed JWT ``t`` and the signer's public key ``k``.

    Both are required (RFC 8292 §3), written ``t`` then ``k``. ``repr`` shows no value.

    Attributes:
        t: the JWT (RFC 8292 §3.1).
        k: the base64url uncompressed P-256 public key (RFC 8292 §3.2).
        extensions: every other parameter.
    """

    t: str
    k: str
    extensions: AuthParams = field(default_factory=AuthParams)

    _SPEC: ClassVar[SchemeSpec] = _VAPID

    def claims(self) -> dict[str, object]:
        """The JWT's claims (``aud``, ``exp``, ``sub``), decoded but NOT verified.

        Raises:
            ParseError: ``t`` is not three base64url parts with a JSON object in the
                middle (UTF-8, nested at most as deep as the interpreter's recursion
                limit allows). The error's ``source`` is ``t``, masked.
        """
        parts = self.t.split(".")
        if len(parts) != 3:
            raise value_error(
                "Expected t as a JWS compact serialization (RFC 7515 §7.1)", self.t, secret=True
            )
        payload = decoded_param(parts[1], "t", urlsafe=True, padded=False, secret=True)
        try:
            # RFC 7519 §7.2: the claims are a JSON object, UTF-8 encoded (RFC 8259 §8.1).
            claims = json.loads(payload.decode("utf-8"))
        except (ValueError, RecursionError) as exc:
            # ValueError: not UTF-8 or not JSON (or an integer past Python's digit
            # limit); RecursionError: arrays or objects nested too deep to decode.
            raise value_error(
                "Expected t to carry JSON claims (RFC 7519 §7.2)", self.t, secret=True
            ) from exc
        if not isinstance(claims, dict):
            raise value_error(
                "Expected t to carry a JSON object (RFC 7519 §7.2)", self.t, secret=True
            )
        return {str(name): claim for name, claim in claims.items()}

    def public_key(self) -> bytes:
        """The 65-octet uncompressed P-256 point of ``k`` (RFC 8292 §3.2).

        Raises:
            ParseError: ``k`` is not base64url of 65 octets starting 0x04 (``source`` is
                ``k``, masked).
        """
        key = decoded_param(self.k, "k", urlsafe=True, padded=None, secret=True)
        if len(key) != 65 or key[0] != 4:
            raise value_error(
                "Expected k as an uncompressed P-256 point (RFC 8292 §3.2)", self.k, secret=True
            )
        return key
