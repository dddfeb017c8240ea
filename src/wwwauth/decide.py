"""401 vs 403 vs 407: what to answer a request, and which challenge fields to send.

RFC 9110 §15.5.2 (401), §15.5.4 (403), §15.5.8 (407), RFC 6750 §3.1 (Bearer error
codes), RFC 7616 §3.3 (Digest ``stale``), RFC 4559 §5 (Negotiate's continuation token).

A reverse proxy or gateway that authenticates on behalf of the origin server *is* the
origin as far as the client can tell (RFC 9110 §3.7: a gateway "acts as an origin
server"): it answers 401 with ``WWW-Authenticate`` and reads ``Authorization``, which is
what ``proxy=False`` (the default) does. ``proxy=True`` is only for a forward proxy that
the client chose and authenticates to with ``Proxy-Authorization`` (407).
"""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus

from ._abnf import NQSCHAR, TOKEN_RE
from ._registry import (
    AUTHORIZATION,
    PROXY_AUTHENTICATE,
    PROXY_AUTHORIZATION,
    WWW_AUTHENTICATE,
)
from .errors import ParseError
from .model import Challenge, Credentials, ascii_lower
from .parsing import parse_authorization, parse_proxy_authorization

__all__ = ["Decision", "decide"]

TYPE_CHECKING = False  # not typing's: `import wwwauth` does not load typing
if TYPE_CHECKING:
    from dataclasses import dataclass
    from typing import Final, Literal

    ChallengeField = Literal["WWW-Authenticate", "Proxy-Authenticate"]
    BearerError = Literal["invalid_request", "invalid_token", "insufficient_scope"]
else:  # the same dataclass, without importing dataclasses (see _dataclass)
    from ._dataclass import frozen_dataclass as dataclass

# RFC 6750 §3: the attributes that describe an error; replaced whenever decide sets one.
_BEARER_ERROR_PARAMS: Final = frozenset({"error", "error_description", "error_uri"})

# How many challenge sequences :func:`decide` remembers the answers for (see _Offer).
_MEMO_SIZE: Final = 64


@dataclass(frozen=True)  # slotted: __slots__ below
class Decision:
    """What to answer: a status, the header fields to add, and why.

    Not ``kw_only``: API.md pins this shape, and positional construction stays valid.

    >>> decision = Decision(HTTPStatus.OK, (), "Granted.")
    >>> decision.status.value, decision.headers
    (200, ())
    """

    __slots__ = ("headers", "reason", "status")
    status: HTTPStatus
    headers: tuple[tuple[str, str], ...]  # one field line per pair, in order
    reason: str  # one plain sentence; never holds a credential

    # The methods @dataclass(frozen=True, slots=True) would generate (see _dataclass).
    def __init__(
        self, status: HTTPStatus, headers: tuple[tuple[str, str], ...], reason: str
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "status", status)
        setattr_(self, "headers", headers)
        setattr_(self, "reason", reason)

    def __repr__(self) -> str:
        return (
            f"{type(self).__qualname__}(status={self.status!r}, headers={self.headers!r}, "
            f"reason={self.reason!r})"
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            assert isinstance(other, Decision)
            return (self.status, self.headers, self.reason) == (
                other.status,
                other.headers,
                other.reason,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.status, self.headers, self.reason))

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.status, self.headers, self.reason))


# The answer to authenticated and authorized credentials without a continuation token:
# always this one (frozen, so one instance serves every caller).
_GRANTED: Final = Decision(
    HTTPStatus.OK, (), "The request is authenticated and allowed: 200, no challenge."
)


class _Offer:
    """What :func:`decide` remembers of a checked sequence of challenges.

    Holding ``challenges`` keeps the objects alive, so no other object can take one of
    their ``id()`` values while this entry exists: an entry found under the ids of the
    challenges given *is* for those very objects (and they are frozen, so the field
    lines once serialized stay right). Digest challenges are never remembered (a fresh
    nonce per response: an entry would never be found again, and would keep the nonce),
    nor sequences holding a subclass of Challenge. Callers that build new challenge
    objects per call are served right but not faster (and start the memo over every
    ``_MEMO_SIZE`` calls).
    """

    __slots__ = ("answers", "challenges")

    def __init__(self, challenges: tuple[Challenge, ...]) -> None:
        self.challenges: Final = challenges
        # (what, proxy) -> the field lines, or the Decision, for that case
        self.answers: dict[tuple[str | None, bool], object] = {}


_offers: dict[tuple[int, ...], _Offer] = {}


def _remembered(offered: tuple[Challenge, ...]) -> _Offer | None:
    """The memo entry of ``offered`` (checked challenges), or None when not kept."""
    key = tuple(map(id, offered))
    offer = _offers.get(key)
    if offer is not None and offer.challenges == offered:
        return offer
    if any(type(c) is not Challenge or ascii_lower(c.scheme) == "digest" for c in offered):
        return None  # a subclass may serialize differently each time: not remembered
    if len(_offers) >= _MEMO_SIZE:
        _offers.clear()  # bounded: callers that build challenges per request start over
    offer = _offers[key] = _Offer(offered)
    return offer


def _read_credentials(
    value: str | bytes | Credentials, *, proxy: bool
) -> tuple[Credentials | None, str | None]:
    """The credentials, or ``None`` and the first token when the value does not parse."""
    if isinstance(value, Credentials):
        return value, None
    if not isinstance(value, (str, bytes)):
        raise TypeError(
            f"credentials must be str, bytes, Credentials or None, not {type(value).__name__}"
        )
    parse = parse_proxy_authorization if proxy else parse_authorization
    try:
        return parse(value), None
    except ParseError:
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        first = TOKEN_RE.match(text, len(text) - len(text.lstrip(" \t")))
        return None, None if first is None else first.group()


def _is_bearer(scheme: str) -> bool:
    return ascii_lower(scheme) == "bearer"


def _with_params(
    challenge: Challenge, drop: frozenset[str], add: tuple[tuple[str, str], ...] = ()
) -> Challenge:
    """``challenge`` without the params named in ``drop``, then ``add`` appended."""
    kept = [
        (name, value) for name, value in challenge.params.items() if ascii_lower(name) not in drop
    ]
    return Challenge(challenge.scheme, [*kept, *add])


def _bearer_with_error(
    challenge: Challenge, error: BearerError | None, description: str | None = None
) -> Challenge:
    """The Bearer challenge with its RFC 6750 §3.1 error code (and description) set, or
    error attributes removed."""
    if error is None and not any(
        ascii_lower(name) in _BEARER_ERROR_PARAMS for name in challenge.params
    ):
        return challenge  # nothing to drop, nothing to add: the same challenge
    added: tuple[tuple[str, str], ...] = ()
    if error is not None:
        added = (("error", error),)
        if description is not None:
            added += (("error_description", description),)
    return _with_params(challenge, _BEARER_ERROR_PARAMS, added)


def _check_description(description: str | None) -> None:
    # RFC 6750 §3: error-description = *( %x20-21 / %x23-5B / %x5D-7E )
    if description is not None and any(char not in NQSCHAR for char in description):
        raise ValueError(
            "error_description may hold only printable ASCII without '\"' and '\\' (RFC 6750 §3)"
        )


def _check_challenges(challenges: Sequence[Challenge]) -> tuple[Challenge, ...]:
    checked = tuple(challenges)
    offer = _offers.get(tuple(map(id, checked)))
    if offer is not None and offer.challenges == checked:
        return checked  # these very (frozen) objects were checked before: see _Offer
    if not checked:
        # RFC 9110 §15.5.2 / §15.5.8: a 401 or 407 MUST carry at least one challenge.
        raise ValueError("challenges must not be empty: a 401 or 407 needs at least one")
    for challenge in checked:
        if not isinstance(challenge, Challenge):
            raise TypeError(f"expected a Challenge, not {type(challenge).__name__}")
        if _is_bearer(challenge.scheme) and challenge.token68 is not None:
            # RFC 6750 §3: challenge = "Bearer" [ 1*SP 1#auth-param ]
            raise ValueError("a Bearer challenge carries auth-params (RFC 6750 §3), not a token68")
    return checked


def _offered(challenges: tuple[Challenge, ...], scheme: str) -> Challenge | None:
    """The first challenge of ``scheme`` (RFC 9110 §11.1: schemes ignore ASCII case)."""
    key = ascii_lower(scheme)
    return next((c for c in challenges if ascii_lower(c.scheme) == key), None)


def decide(
    *,
    challenges: Sequence[Challenge],
    credentials: str | bytes | Credentials | None,
    authenticated: bool,
    authorized: bool = True,
    proxy: bool = False,
    stale: bool = False,
    continuation: str | None = None,
    error_description: str | None = None,
) -> Decision:
    """Decide between 200, 400, 401, 403 and 407, and the challenge fields to send.

    A 401 (or 407) lists every challenge, one field line each, in the order given:
    browsers mis-read several challenges on one line. When ``challenges`` include Bearer
    (and ``proxy`` is false), RFC 6750 §3.1's error codes are set on the Bearer
    challenges: none when no Bearer token was sent, ``invalid_request`` (400) for
    malformed Bearer credentials, ``invalid_token`` (401) for a token that was not
    accepted, ``insufficient_scope`` (403) for a verified token that may not do this.
    Any ``error``, ``error_description`` or ``error_uri`` the given Bearer challenges
    carry is replaced.

    A reverse proxy or gateway that authenticates for the origin answers as the origin:
    leave ``proxy`` false (401, ``WWW-Authenticate``).

    Args:
        challenges: what this server (or proxy) accepts, in order of preference; not
            empty.
        credentials: the Authorization (or, with ``proxy``, Proxy-Authorization) value
            received, parsed or not; ``None`` when the request had none.
        authenticated: the caller verified the credentials (or authenticated the
            request some other way, e.g. a session). It wins over the scheme and form
            of ``credentials``.
        authorized: the authenticated principal may do what it asks.
        proxy: decide as a forward proxy: 407 and ``Proxy-Authenticate`` (RFC 9110
            §15.5.8) instead of 401 and ``WWW-Authenticate``.
        stale: the Digest credentials were right but their nonce expired: the Digest
            challenges (give them a fresh nonce) are sent with ``stale=true`` so the
            client retries without asking the user (RFC 7616 §3.3). Needs Digest
            credentials, a Digest challenge and ``authenticated=False``.
        continuation: the server's token for a multi-leg scheme (Negotiate, NTLM),
            answered in the scheme of the credentials: with ``authenticated=False``, 401
            and ``WWW-Authenticate: Negotiate <token>`` to continue the handshake; with
            ``authenticated=True``, the final token on the 200 (or 403) (RFC 4559 §5).
        error_description: a human-readable Bearer ``error_description`` ("token
            expired") sent beside the error code the decision sets on the Bearer
            challenges (``invalid_request``, ``invalid_token``, ``insufficient_scope``);
            ignored when no error code is set (RFC 6750 §3, §3.1). Never put a credential
            in it: it is sent to the client as is.

    Returns:
        The :class:`Decision`. ``reason`` never holds a credential.

    Raises:
        ValueError: ``challenges`` is empty, a Bearer challenge has a token68, or
            ``stale`` / ``continuation`` do not fit the other arguments, or
            ``error_description`` holds a character RFC 6750 §3 does not allow.
        TypeError: an argument has the wrong type.

    >>> basic = Challenge("Basic", {"realm": "simple"})
    >>> decision = decide(challenges=[basic], credentials=None, authenticated=False)
    >>> decision.status.value, decision.headers
    (401, (('WWW-Authenticate', 'Basic realm="simple"'),))
    >>> decide(challenges=[basic], credentials="Basic dTpw", authenticated=True).status.value
    200
    """
    offered = _check_challenges(challenges)
    _check_description(error_description)
    if stale and continuation is not None:
        raise ValueError("stale and continuation exclude each other")
    if credentials is None and not authenticated and not stale and continuation is None:
        # Only (offered, proxy) decide this answer: remembered per challenge sequence.
        return _no_credentials(offered, proxy=proxy)
    context = _context(offered, credentials, proxy=proxy, description=error_description)
    final_token = _final_token(context, continuation, authenticated=authenticated)
    if authenticated:
        if stale:
            raise ValueError("stale=True means the credentials were not accepted")
        if authorized:
            return _granted(context, final_token)
        return _forbidden(context, final_token)
    if stale:
        return _stale(context)
    if final_token:
        return Decision(
            context.deny,
            final_token,
            f"The {context.scheme} handshake needs another leg: {context.deny.value} with the "
            f"server's token in {context.field} (RFC 4559 §5).",
        )
    return _not_authenticated(context, sent=credentials is not None)


class _Context:
    """What every outcome of :func:`decide` needs to know about the request.

    A plain slotted class, not a dataclass: it is private and never compared, and each
    dataclass costs ``import wwwauth`` about 0.7 ms to build.
    """

    __slots__ = ("description", "first_token", "offered", "parsed", "proxy", "scheme")

    def __init__(
        self,
        offered: tuple[Challenge, ...],
        proxy: bool,
        parsed: Credentials | None,  # None: no credentials, or they do not parse
        first_token: str | None,  # the first token of credentials that do not parse
        scheme: str | None,  # the server's spelling of the credentials' scheme: never a secret
        description: str | None = None,  # the Bearer error_description to send with an error
    ) -> None:
        self.offered = offered
        self.proxy = proxy
        self.parsed = parsed
        self.first_token = first_token
        self.scheme = scheme
        self.description = description

    @property
    def field(self) -> ChallengeField:
        return PROXY_AUTHENTICATE if self.proxy else WWW_AUTHENTICATE

    @property
    def deny(self) -> HTTPStatus:
        return HTTPStatus.PROXY_AUTHENTICATION_REQUIRED if self.proxy else HTTPStatus.UNAUTHORIZED

    @property
    def asked(self) -> str:
        return f"{self.deny.value} with a {self.field} field line per accepted scheme"

    @property
    def source(self) -> str:
        return f"RFC 9110 §15.5.{8 if self.proxy else 2}"

    @property
    def bearer_offered(self) -> bool:
        # RFC 6750 §3.1 covers resource servers, not proxies.
        return not self.proxy and any(_is_bearer(c.scheme) for c in self.offered)

    def challenge_lines(self, error: BearerError | None = None) -> tuple[tuple[str, str], ...]:
        """One field line per offered challenge, Bearer ones with ``error`` set.

        Remembered per (challenges, error, proxy): see :class:`_Offer`.
        """
        offer = None if self.description is not None else _remembered(self.offered)
        if offer is None:
            return _challenge_lines(
                self.offered, error, proxy=self.proxy, description=self.description
            )
        key = (error, self.proxy)
        lines = offer.answers.get(key)
        if lines is None:
            lines = offer.answers[key] = _challenge_lines(self.offered, error, proxy=self.proxy)
        assert isinstance(lines, tuple)
        return lines


def _challenge_lines(
    offered: tuple[Challenge, ...],
    error: BearerError | None,
    *,
    proxy: bool,
    description: str | None = None,
) -> tuple[tuple[str, str], ...]:
    field = PROXY_AUTHENTICATE if proxy else WWW_AUTHENTICATE
    # RFC 6750 §3.1 covers resource servers, not proxies.
    bearer_offered = not proxy and any(_is_bearer(c.scheme) for c in offered)
    lines = []
    for challenge in offered:
        if bearer_offered and _is_bearer(challenge.scheme):
            challenge = _bearer_with_error(challenge, error, description)
        lines.append((field, str(challenge)))
    return tuple(lines)


def _no_credentials(offered: tuple[Challenge, ...], *, proxy: bool) -> Decision:
    """401 (407) to a request without credentials, remembered per (challenges, proxy)."""
    offer = _remembered(offered)
    if offer is not None:
        known = offer.answers.get(("no credentials", proxy))
        if known is not None:
            assert isinstance(known, Decision)
            return known
    decision = _not_authenticated(_Context(offered, proxy, None, None, None), sent=False)
    if offer is not None:
        offer.answers["no credentials", proxy] = decision
    return decision


def _context(
    offered: tuple[Challenge, ...],
    credentials: str | bytes | Credentials | None,
    *,
    proxy: bool,
    description: str | None = None,
) -> _Context:
    parsed: Credentials | None = None
    first_token: str | None = None
    if credentials is not None:
        parsed, first_token = _read_credentials(credentials, proxy=proxy)
    used = None if parsed is None else _offered(offered, parsed.scheme)
    scheme = None if used is None else used.scheme
    return _Context(offered, proxy, parsed, first_token, scheme, description)


def _final_token(
    context: _Context, continuation: str | None, *, authenticated: bool
) -> tuple[tuple[str, str], ...]:
    """The field line carrying a multi-leg scheme's server token, if one is given."""
    if continuation is None:
        return ()
    if context.scheme is None:
        raise ValueError(
            "continuation needs the credentials of the leg it answers, in a scheme offered"
        )
    if context.proxy and authenticated:
        raise ValueError("a proxy cannot send a final token: Proxy-Authenticate is for 407")
    # RFC 4559 §5: the server's gssapi-data goes back as the challenge's token68.
    return ((context.field, str(Challenge(context.scheme, token68=continuation))),)


def _granted(context: _Context, final_token: tuple[tuple[str, str], ...]) -> Decision:
    if final_token:
        return Decision(
            HTTPStatus.OK,
            final_token,
            f"The {context.scheme} handshake completed: 200 with the server's final token "
            f"in {context.field} (RFC 4559 §5).",
        )
    return _GRANTED


def _forbidden(context: _Context, final_token: tuple[tuple[str, str], ...]) -> Decision:
    parsed = context.parsed
    if context.bearer_offered and parsed is not None and _is_bearer(parsed.scheme):
        bearer = tuple(
            (context.field, str(_bearer_with_error(c, "insufficient_scope", context.description)))
            for c in context.offered
            if _is_bearer(c.scheme)
        )
        return Decision(
            HTTPStatus.FORBIDDEN,
            bearer,
            "The Bearer token is valid but lacks the privileges this needs: 403 with "
            'error="insufficient_scope" (RFC 6750 §3.1).',
        )
    return Decision(
        HTTPStatus.FORBIDDEN,
        final_token,
        "The request is authenticated but not allowed: 403, as other credentials "
        "would not help either (RFC 9110 §15.5.4).",
    )


def _stale(context: _Context) -> Decision:
    """RFC 7616 §3.3: re-issue the Digest challenges with ``stale=true``."""
    digest = next((c for c in context.offered if ascii_lower(c.scheme) == "digest"), None)
    if digest is None or context.scheme is None or ascii_lower(context.scheme) != "digest":
        raise ValueError("stale=True needs Digest credentials and a Digest challenge")
    lines = []
    for challenge in context.offered:
        if ascii_lower(challenge.scheme) == "digest":
            if challenge.token68 is not None:
                raise ValueError("a Digest challenge carries auth-params (RFC 7616 §3.3)")
            # RFC 7616 §3.3: stale=true, the nonce was invalid but the digest valid.
            challenge = _with_params(challenge, frozenset({"stale"}), (("stale", "true"),))
        lines.append((context.field, str(challenge)))
    deny = context.deny
    return Decision(
        deny,
        tuple(lines),
        f"Only the Digest nonce expired: {deny.value} with the Digest challenge re-issued "
        "with stale=true, so the client retries without asking the user (RFC 7616 §3.3).",
    )


def _malformed(context: _Context) -> Decision | None:
    """The answer to credentials that do not parse (or a Bearer without a token), if any."""
    parsed = context.parsed
    bearer_offered = context.bearer_offered
    if parsed is not None and not (
        bearer_offered and _is_bearer(parsed.scheme) and parsed.token68 is None
    ):
        return None
    attempt = context.first_token if parsed is None else parsed.scheme
    if bearer_offered and attempt is not None and _is_bearer(attempt):
        # RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; anything else is malformed.
        return Decision(
            HTTPStatus.BAD_REQUEST,
            context.challenge_lines("invalid_request"),
            "The Bearer credentials are malformed: 400 with "
            'error="invalid_request" (RFC 6750 §3.1).',
        )
    if parsed is None:
        what = PROXY_AUTHORIZATION if context.proxy else AUTHORIZATION
        return Decision(
            context.deny,
            context.challenge_lines(),
            f"The {what} value does not parse, which is still an attempt: "
            f"{context.asked} ({context.source}).",
        )
    return None


def _not_authenticated(context: _Context, *, sent: bool) -> Decision:
    """401 (or 407): no credentials, malformed ones, an unknown scheme, or not verified."""
    deny, asked, source = context.deny, context.asked, context.source
    if not sent:
        return Decision(
            deny, context.challenge_lines(), f"No credentials were sent: {asked} ({source})."
        )
    malformed = _malformed(context)
    if malformed is not None:
        return malformed
    scheme = context.scheme
    if scheme is None:
        return Decision(
            deny,
            context.challenge_lines(),
            f"The credentials use a scheme not offered here: {asked} ({source}).",
        )
    if context.bearer_offered and _is_bearer(scheme):
        return Decision(
            deny,
            context.challenge_lines("invalid_token"),
            f'The Bearer token was not accepted: {deny.value} with error="invalid_token" '
            "(RFC 6750 §3.1).",
        )
    return Decision(
        deny,
        context.challenge_lines(),
        f"The {scheme} credentials were not accepted: {asked}, so the client can try "
        f"again ({source}).",
    )
