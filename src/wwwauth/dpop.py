"""The DPoP scheme (RFC 9449 §7.1): sender-constrained access tokens.

The Authorization field carries the access token as a token68, like Bearer; the
proof travels in the separate ``DPoP`` header, which is not this library's business.
A challenge reuses RFC 6750's ``realm``, ``scope``, ``error`` and ``error_description``
and adds ``algs``, the JWS algorithms the server accepts for the proof. A resource
server that wants a nonce answers ``error="use_dpop_nonce"`` (RFC 9449 §9) along with a
``DPoP-Nonce`` header.

>>> from wwwauth import dpop
>>> str(dpop.challenge(algs=["ES256", "PS256"]))
'DPoP algs="ES256 PS256"'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar, Final

from ._oauth import (
    NqcharList,
    OAuthChallengeView,
    common_challenge_items,
    scope_tokens,
    token_credentials,
)
from ._scheme import SchemeSpec, token68_of
from .model import AuthParams, Challenge, Credentials

__all__ = [
    "INVALID_DPOP_PROOF",
    "SCHEME",
    "USE_DPOP_NONCE",
    "DPoPChallenge",
    "challenge",
    "credentials",
    "token",
]

SCHEME: Final = "DPoP"
# RFC 9449 §7.1: "use_dpop_nonce can be used as described in Section 9 to signal that a
# nonce is needed"; "invalid_dpop_proof is used to indicate that the DPoP proof itself
# was deemed invalid".
USE_DPOP_NONCE: Final = "use_dpop_nonce"
INVALID_DPOP_PROOF: Final = "invalid_dpop_proof"

# RFC 9449 §7.1; none required. error_uri is RFC 6750's, but RFC 9449 §7.1 does not
# list it: it stays an extension.
_CHALLENGE: Final = SchemeSpec(
    SCHEME, ("realm", "scope", "error", "error_description", "algs"), rfc="RFC 9449 §7.1"
)


# RFC 9449 §7.1: algs = "a space-delimited list of JWS alg (Algorithm) header values"
_algs: Final = NqcharList(
    item="a JWS alg",
    rule="RFC 9449 §7.1: space-delimited alg values",
    empty="algs must name at least one JWS algorithm (RFC 9449 §7.1)",
)


def challenge(
    realm: str | None = None,
    *,
    scope: str | Iterable[str] | None = None,
    error: str | None = None,
    error_description: str | None = None,
    algs: str | Iterable[str] | None = None,
    **params: str,
) -> Challenge:
    """Build a DPoP challenge (RFC 9449 §7.1).

    Parameters go out in this order: realm, scope, error, error_description, algs, then
    ``params`` as given, matching RFC 9449's figures.

    Args:
        realm: the protection space; by position or keyword, as in every scheme's
            ``challenge`` builder (everything else is keyword-only).
        scope: scope-tokens (RFC 6750 §3).
        error: an RFC 6750 §3.1 code, :data:`USE_DPOP_NONCE` or :data:`INVALID_DPOP_PROOF`.
        error_description: a developer-readable explanation.
        algs: the JWS algorithms accepted for DPoP proofs, e.g. ``["ES256", "PS256"]``.
        **params: extension parameters.

    Returns:
        The challenge.

    Raises:
        ValueError: a value outside RFC 6750 §3's characters, an empty ``algs``, or a
            parameter the model refuses.

    >>> str(challenge(error="use_dpop_nonce",
    ...               error_description="Resource server requires nonce in DPoP proof"))
    'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"'
    >>> challenge("api") == challenge(realm="api")  # realm by position or keyword
    True
    """
    items = common_challenge_items(realm, scope, error, error_description)
    if algs is not None:
        items.append(("algs", " ".join(_algs(algs))))
    items.extend(params.items())
    return Challenge(SCHEME, items)


@dataclass(frozen=True, slots=True, kw_only=True)
class DPoPChallenge(OAuthChallengeView):
    """A DPoP challenge, its parameters typed (RFC 9449 §7.1).

    Attributes:
        realm: the protection space, or None.
        scope: the scope-tokens.
        error: the error code, or None.
        error_description: the explanation, or None.
        algs: the JWS algorithms accepted, in order.
        extensions: every other parameter (``error_uri`` included), in order.

    >>> DPoPChallenge.from_challenge('DPoP algs="ES256 PS256"').algs
    ('ES256', 'PS256')
    """

    algs: tuple[str, ...] = ()
    extensions: AuthParams = field(default_factory=AuthParams)

    _SPEC: ClassVar[SchemeSpec] = _CHALLENGE

    @property
    def needs_nonce(self) -> bool:
        """Whether the server asks for a DPoP nonce (``error="use_dpop_nonce"``, RFC 9449 §9)."""
        return self.error == USE_DPOP_NONCE

    @classmethod
    def from_challenge(cls, value: Challenge | str | bytes) -> DPoPChallenge:
        """Read a received DPoP challenge.

        Raises:
            ParseError: not DPoP, a token68, or a scope or algs that is not a
                space-delimited list of NQCHAR values.

        >>> DPoPChallenge.from_challenge('DPoP error="use_dpop_nonce"').needs_nonce
        True
        """
        params = _CHALLENGE.challenge(value)
        lists: dict[str, tuple[str, ...]] = {}
        for name, reader in (("scope", scope_tokens), ("algs", _algs)):
            raw = params.get(name)
            if raw is None:
                lists[name] = ()
                continue
            try:
                lists[name] = reader(raw)
            except ValueError:
                raise params.error(
                    name, f"Expected {name} as values separated by single spaces (RFC 9449 §7.1)"
                ) from None
        return cls(
            realm=params.get("realm"),
            scope=lists["scope"],
            error=params.get("error"),
            error_description=params.get("error_description"),
            algs=lists["algs"],
            extensions=params.extensions,
        )

    def to_challenge(self) -> Challenge:
        """Build the generic challenge; see :func:`challenge`."""
        return challenge(**self._head(), algs=self.algs or None, **dict(self.extensions.items()))


def credentials(token: str) -> Credentials:
    """Build DPoP credentials for a DPoP-bound access token (RFC 9449 §7.1).

    Raises:
        ValueError: the token is not a token68 (the message does not show it).

    >>> str(credentials("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"))
    'DPoP Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU'
    """
    # RFC 9449 §7.1: credentials = "DPoP" 1*SP token68
    return token_credentials(SCHEME, token, "the access token is not a token68 (RFC 9449 §7.1)")


def token(credentials: Credentials | str | bytes) -> str:
    """The access token of DPoP credentials (RFC 9449 §7.1).

    Raises:
        ParseError: not DPoP, or auth-params instead of a token68 (the echo is masked).

    >>> token("DPoP Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU")
    'Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU'
    """
    return token68_of(credentials, SCHEME, "Expected a token68 after 'DPoP' (RFC 9449 §7.1)")
