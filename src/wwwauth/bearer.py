"""The Bearer scheme (RFC 6750): OAuth 2.0 access tokens, challenges with error codes.

>>> from wwwauth import bearer
>>> str(bearer.challenge(realm="example", error="invalid_token",
...                      error_description="The access token expired"))
'Bearer realm="example", error="invalid_token", error_description="The access token expired"'
>>> bearer.token("Bearer mF_9.B5f-4.1JqM")
'mF_9.B5f-4.1JqM'

Besides RFC 6750's own attributes, :class:`BearerChallenge` reads the extension
parameters seen in the wild: ``resource_metadata`` (RFC 9728 §5.1, where a protected
resource publishes its metadata), and ``claims`` that accompanies
``error="insufficient_claims"`` (a base64 JSON claims request used by Microsoft Entra ID
continuous access evaluation; not an RFC). Every other parameter is kept in
``extensions``, in order.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar, Final

from . import _abnf
from ._oauth import (
    OAuthChallengeView,
    bad_index,
    check_chars,
    common_challenge_items,
    scope_tokens,
    token_credentials,
)
from ._registry import BEARER_ERROR_STATUS
from ._registry import BEARER_INSUFFICIENT_SCOPE as INSUFFICIENT_SCOPE
from ._registry import BEARER_INVALID_REQUEST as INVALID_REQUEST
from ._registry import BEARER_INVALID_TOKEN as INVALID_TOKEN
from ._scheme import SchemeSpec, token68_of
from .model import AuthParams, Challenge, Credentials

__all__ = [
    "ERROR_STATUS",
    "INSUFFICIENT_CLAIMS",
    "INSUFFICIENT_SCOPE",
    "INVALID_REQUEST",
    "INVALID_TOKEN",
    "SCHEME",
    "BearerChallenge",
    "challenge",
    "credentials",
    "token",
]

SCHEME: Final = "Bearer"

# RFC 6750 §3.1: the error codes (INVALID_REQUEST, INVALID_TOKEN, INSUFFICIENT_SCOPE,
# imported above from the registry, their one home), and the status code each goes with.
ERROR_STATUS: Final[Mapping[str, int]] = BEARER_ERROR_STATUS
# Microsoft Entra ID continuous access evaluation: 401 with a "claims" challenge.
INSUFFICIENT_CLAIMS: Final = "insufficient_claims"

# RFC 6749 App. A character classes; defined in _abnf, kept here for existing callers.
NQCHAR: Final = _abnf.NQCHAR
NQSCHAR: Final = _abnf.NQSCHAR


# RFC 6750 §3 (and RFC 9728 §5.1's resource_metadata, Entra ID's claims); none required.
_CHALLENGE: Final = SchemeSpec(
    SCHEME,
    ("realm", "scope", "error", "error_description", "error_uri", "resource_metadata", "claims"),
    rfc="RFC 6750 §3",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class BearerChallenge(OAuthChallengeView):
    """A Bearer challenge, its parameters typed (RFC 6750 §3).

    Attributes:
        realm: the protection space, or None.
        scope: the scope-tokens, in order (empty when there is no ``scope``).
        error: the error code (see :data:`ERROR_STATUS`), or None.
        error_description: a developer-readable explanation, or None.
        error_uri: a URI of a page about the error, or None.
        resource_metadata: the protected resource's metadata URL (RFC 9728 §5.1), or None.
        claims: the claims challenge sent with ``insufficient_claims``, or None.
        extensions: every other parameter, in order.

    >>> view = BearerChallenge.from_challenge('Bearer realm="example", scope="openid profile"')
    >>> view.scope
    ('openid', 'profile')
    >>> str(view.to_challenge())
    'Bearer realm="example", scope="openid profile"'
    """

    error_uri: str | None = None
    resource_metadata: str | None = None
    claims: str | None = None
    extensions: AuthParams = field(default_factory=AuthParams)

    _SPEC: ClassVar[SchemeSpec] = _CHALLENGE

    @classmethod
    def from_challenge(
        cls, value: Challenge | str | bytes, *, strict: bool = True
    ) -> BearerChallenge:
        """Read a received Bearer challenge.

        Args:
            value: a :class:`~wwwauth.Challenge`, or a WWW-Authenticate value holding one.
            strict: check the character rules of RFC 6750 §3 (the default). With
                ``strict=False`` values are taken as they are and ``scope`` is split on
                any run of spaces, for servers that send e.g. a quote in a description.

        Returns:
            The typed view.

        Raises:
            ParseError: not a Bearer challenge, a token68 instead of auth-params, or
                (strict) a value that breaks RFC 6750 §3's character rules.

        >>> BearerChallenge.from_challenge('Bearer error="insufficient_scope", scope="a b"').error
        'insufficient_scope'
        """
        params = _CHALLENGE.challenge(value)
        scope: tuple[str, ...] = ()
        raw = params.get("scope")
        if raw is not None:
            if strict:
                try:
                    scope = scope_tokens(raw)
                except ValueError:
                    raise params.error(
                        "scope",
                        "Expected scope-tokens separated by single spaces (RFC 6749 §3.3, RFC 6750 §3)",
                    ) from None  # fmt: skip
            else:
                scope = tuple(raw.split())
        if strict:
            # RFC 6750 §3: error and error_description MUST NOT include characters outside
            # NQSCHAR; error_uri is a URI-reference, so NQCHAR only.
            for name, allowed, rule in (
                ("error", NQSCHAR, "%x20-21 / %x23-5B / %x5D-7E"),
                ("error_description", NQSCHAR, "%x20-21 / %x23-5B / %x5D-7E"),
                ("error_uri", NQCHAR, "%x21 / %x23-5B / %x5D-7E"),
            ):
                text = params.get(name)
                if text is not None and (not text or bad_index(text, allowed) is not None):
                    raise params.error(name, f"Expected {name} of {rule} only (RFC 6750 §3)")
        return cls(
            realm=params.get("realm"),
            scope=scope,
            error=params.get("error"),
            error_description=params.get("error_description"),
            error_uri=params.get("error_uri"),
            resource_metadata=params.get("resource_metadata"),
            claims=params.get("claims"),
            extensions=params.extensions,
        )

    @property
    def status(self) -> int | None:
        """The status code RFC 6750 §3.1 pairs with :attr:`error` (None for other codes)."""
        return None if self.error is None else ERROR_STATUS.get(self.error)

    def to_challenge(self) -> Challenge:
        """Build the generic challenge; see :func:`challenge` (same checks, same order)."""
        known = {"resource_metadata": self.resource_metadata, "claims": self.claims}
        return challenge(
            **self._head(),
            error_uri=self.error_uri,
            **{name: value for name, value in known.items() if value is not None},
            **dict(self.extensions.items()),
        )


def challenge(
    realm: str | None = None,
    *,
    scope: str | Iterable[str] | None = None,
    error: str | None = None,
    error_description: str | None = None,
    error_uri: str | None = None,
    **params: str,
) -> Challenge:
    """Build a Bearer challenge (RFC 6750 §3).

    Parameters are written in this order: realm, scope, error, error_description,
    error_uri, then ``params`` as given (e.g. ``resource_metadata=...`` of RFC 9728
    §5.1, ``claims=...``).

    Args:
        realm: the protection space; by position or keyword, as in every scheme's
            ``challenge`` builder (everything else is keyword-only).
        scope: the scope-tokens, as one space-separated string or an iterable.
        error: ``invalid_request``, ``invalid_token``, ``insufficient_scope`` (RFC 6750
            §3.1) or an extension code. Leave it out when the request carried no
            token (RFC 6750 §3.1: "SHOULD NOT include an error code").
        error_description: a developer-readable explanation.
        error_uri: a URI of a human-readable page about the error.
        **params: extension parameters.

    Returns:
        The challenge. With no parameter at all it is the bare ``Bearer``.

    Raises:
        ValueError: a scope-token, error or error_description outside the characters
            RFC 6750 §3 allows, an error_uri with a space, an empty value, or an
            extension parameter the model refuses (not a token name, given twice).

    >>> str(challenge(scope=["openid", "profile", "email"]))
    'Bearer scope="openid profile email"'
    >>> challenge("api") == challenge(realm="api")  # realm by position or keyword
    True
    """
    if scope is None or type(scope) is str:
        # A server sends the same few challenges again and again: the frozen result
        # (and with it its serialized text) is kept for the same arguments.
        try:
            return _kept_challenge(realm, scope, error, error_description, error_uri, **params)
        except TypeError:  # an unhashable argument: refused below with the usual message
            pass
    return _challenge(realm, scope, error, error_description, error_uri, **params)


def _challenge(
    realm: str | None,
    scope: str | Iterable[str] | None,
    error: str | None,
    error_description: str | None,
    error_uri: str | None,
    **params: str,
) -> Challenge:
    items = common_challenge_items(realm, scope, error, error_description)
    # RFC 6750 §3: error_uri is a URI-reference, so NQCHAR only.
    if error_uri is not None:
        rule = "RFC 6750 §3 %x21 / %x23-5B / %x5D-7E"
        items.append(("error_uri", check_chars("error_uri", error_uri, NQCHAR, rule)))
    items.extend(params.items())
    return Challenge(SCHEME, items)


# Bounded, so callers that put a fresh value in each challenge do not grow it.
_kept_challenge: Final = functools.lru_cache(maxsize=64)(_challenge)


def credentials(token: str) -> Credentials:
    """Build Bearer credentials for an access token (RFC 6750 §2.1).

    Args:
        token: the access token; RFC 6750 §2.1 ``b64token`` syntax.

    Returns:
        The credentials; ``str()`` gives the Authorization field value.

    Raises:
        ValueError: the token is not a b64token (the message does not show it).

    >>> str(credentials("mF_9.B5f-4.1JqM"))
    'Bearer mF_9.B5f-4.1JqM'
    """
    # RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
    # which is RFC 9110 §11.2's token68, character for character.
    return token_credentials(SCHEME, token, "the access token is not a b64token (RFC 6750 §2.1)")


def token(credentials: Credentials | str | bytes) -> str:
    """The access token of Bearer credentials (RFC 6750 §2.1).

    Args:
        credentials: parsed credentials, or an Authorization field value (parsed strictly).

    Returns:
        The b64token.

    Raises:
        ParseError: not Bearer, or auth-params instead of a b64token. The echo masks
            the credentials.

    >>> token(credentials("mF_9.B5f-4.1JqM"))
    'mF_9.B5f-4.1JqM'
    """
    if type(credentials) is str:
        # The canonical form "Bearer <b64token>" (scheme in any case, one SP, no OWS),
        # checked in C: b64token = 1*( its characters ) *"=", all ASCII, so deleting
        # them from what precedes the "=" padding must leave nothing.
        if (
            credentials[6:7] == " "
            and credentials.isascii()
            and credentials[:6].lower() == "bearer"
        ):
            token = credentials[7:]
            body = token.rstrip("=")
            if body and not body.encode().translate(None, _TOKEN68_BYTES):
                return token
        match = _match_bearer(credentials)
        if match is not None:
            return match.group(1)
    # Anything else, and every refusal, through the parser (which says what is wrong).
    return token68_of(credentials, SCHEME, "Expected a b64token after 'Bearer' (RFC 6750 §2.1)")


# RFC 9110 §11.4 credentials = auth-scheme 1*SP token68 (RFC 6750 §2.1's b64token, the
# same characters), with the OWS of §5.5 around the field value, and the auth-scheme
# "Bearer" in any case: exactly what parse_authorization reads as Bearer credentials
# with a token68.
_BEARER_TOKEN68_RE: Final = re.compile(
    "[ \t]*[Bb][Ee][Aa][Rr][Ee][Rr] +(["
    + re.escape("".join(sorted(_abnf.TOKEN68_CHAR)))
    + "]+=*)[ \\t]*\\Z"
)
_match_bearer: Final = _BEARER_TOKEN68_RE.match
_TOKEN68_BYTES: Final = "".join(sorted(_abnf.TOKEN68_CHAR)).encode("ascii")
