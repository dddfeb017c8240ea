"""The client side of the requests and httpx integrations, free of any framework.

A :class:`ClientAuth` holds one user's name and password (and, apart, a proxy's) and,
per origin, the protection space it last answered: Basic, or a Digest challenge with its
nonce and a nonce count per nonce. :meth:`ClientAuth.exchange` drives the attempts of one
request: it yields the authentication header fields to send and is sent each response
back. The integrations only translate their request and response objects. What it
answers and what it refuses (its policy) is in :mod:`._client_policy`.

A user name that is not ASCII goes in a Digest answer as its UTF-8 octets in the quoted
``username`` (RFC 7616 §3.4 allows both forms; §4: the charset is UTF-8), as curl, wget,
aiohttp and browsers send it, because Apache's mod_auth_digest does not know
``username*``; ``username*`` (RFC 8187) is kept for a name holding ``"``, ``\\`` or a control
character, whose octets would need escaping in the quoted-string. With ``userhash`` the
hash goes in ``username`` as before.
"""

from __future__ import annotations

import dataclasses
import threading
import unicodedata
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Final

from .. import _registry, basic, digest
from .._abnf import CTL_RE
from .._select import select_challenge
from ..model import Challenge, Credentials, ascii_lower
from . import _client_log as log
from ._client_messages import (
    MutualAuthenticationError,
    Origin,
    OutgoingRequest,
    ResponseView,
    merge_cookie_header,
    origin_of,
)
from ._client_policy import (
    ANSWERABLE,
    BASIC_RANK,
    DIGEST_ALGORITHM_RANKS,
    MAX_CREDENTIALS_LENGTH,
    MAX_ECHOED_PARAM_LENGTH,
    STRONG_RANK,
    basic_refusal,
    digest_rank,
    is_echoable,
    read_challenges,
    read_info,
    refusals,
)

_read_info: Final = read_info  # its name here before the policy had a module of its own

__all__ = [
    "DIGEST_ALGORITHM_RANKS",
    "MAX_CREDENTIALS_LENGTH",
    "MAX_ECHOED_PARAM_LENGTH",
    "ClientAuth",
    "HTTPAuthBase",
    "MutualAuthenticationError",
    "Origin",
    "OutgoingRequest",
    "ResponseView",
    "digest_rank",
    "merge_cookie_header",
    "origin_of",
    "read_challenges",
]

# A protection space as this client keys it: the origin, and whether it is a proxy's.
_SpaceKey = tuple[Origin, bool]

_MAX_SPACES: Final = 256  # origins remembered; the oldest is dropped beyond this
_MAX_NONCES: Final = 8  # nonce counts kept per protection space
_MAX_FLOORS: Final = 4096  # protection spaces whose accepted scheme is remembered


@dataclass(slots=True)
class _Space:
    """A protection space answered before; mutable, guarded by ``ClientAuth._lock``."""

    scheme: str  # "basic" or "digest"
    challenge: digest.DigestChallenge | None = None
    utf8: bool = False  # Basic with charset="UTF-8" (RFC 7617 §2.1)
    counts: dict[str, int] = field(default_factory=dict)  # nonce -> last nc sent


@dataclass(frozen=True, slots=True)
class _User:
    """A name and password; the repr hides the password."""

    username: str
    password: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class _Sent:
    """Credentials sent on one attempt, and the space they came from."""

    key: _SpaceKey
    space: _Space
    credentials: Credentials

    @property
    def field(self) -> str:
        return _registry.PROXY_AUTHORIZATION if self.key[1] else _registry.AUTHORIZATION


class ClientAuth:
    """Answers Basic and Digest challenges for one user, remembering spaces per origin.

    Thread-safe: the remembered spaces and nonce counts are guarded by a lock. What it
    refuses to answer is listed in the module docstring.

    Args:
        username: the user's name; it must not hold ':' (RFC 7617 §2, RFC 7616 §4).
        password: the password.
        prefer: the schemes to answer, most preferred first: "Digest", "Basic" or both.
        verify_rspauth: require and check the server's ``rspauth`` (RFC 7616 §3.5).
        proxy_username: the name for a proxy's 407 (``Proxy-Authorization``); without
            it a 407 is not answered.
        proxy_password: the proxy's password, given with ``proxy_username``.
        allow_basic_over_http: answer Basic where the password would travel in clear
            (an ``http`` origin, or any proxy).
        min_digest_algorithm: the weakest Digest algorithm answered (ranks in
            :data:`DIGEST_ALGORITHM_RANKS`); None: MD5 only when no stronger Digest
            challenge is offered beside it.

    Raises:
        ValueError: a ':' in ``username`` or ``proxy_username``, only one of
            ``proxy_username`` and ``proxy_password``, a scheme in ``prefer`` other than
            Basic and Digest, or an unknown ``min_digest_algorithm``.
        TypeError: ``prefer`` is a single ``str``.

    >>> auth = ClientAuth("u", "p", prefer=("Basic",), verify_rspauth=False,
    ...                   allow_basic_over_http=True)
    >>> request = OutgoingRequest(method="GET", url="http://h/", target="/",
    ...                           proxy_target="http://h/", body=b"")
    >>> flow = auth.exchange(request)
    >>> next(flow)
    {}
    >>> lines = {"WWW-Authenticate": ['Basic realm="r"']}
    >>> flow.send(ResponseView(401, lambda name: lines.get(name, []), bytes))
    {'Authorization': 'Basic dTpw'}
    """

    def __init__(
        self,
        username: str,
        password: str,
        *,
        prefer: Sequence[str] = ("Digest", "Basic"),
        verify_rspauth: bool = False,
        proxy_username: str | None = None,
        proxy_password: str | None = None,
        allow_basic_over_http: bool = False,
        min_digest_algorithm: str | None = None,
    ) -> None:
        if isinstance(prefer, str):
            raise TypeError("prefer must be a sequence of scheme names, not a str")
        unknown = [name for name in prefer if ascii_lower(name) not in ANSWERABLE]
        if unknown:
            raise ValueError(
                f"cannot answer {', '.join(map(repr, unknown))}: only Digest and Basic"
            )
        if (proxy_username is None) != (proxy_password is None):
            raise ValueError("give proxy_username and proxy_password together, or neither")
        for name, what in ((username, "username"), (proxy_username, "proxy_username")):
            if name is not None and ":" in name:
                # RFC 7617 §2: "a user-id containing a colon character is invalid";
                # RFC 7616 §4 too.
                raise ValueError(f"the {what} holds ':' (RFC 7617 §2, RFC 7616 §4)")
        if min_digest_algorithm is None:
            self._min_digest_rank = 0
        else:
            rank = digest_rank(min_digest_algorithm)
            if rank is None:
                raise ValueError(
                    f"unknown min_digest_algorithm {min_digest_algorithm!r}: expected one of "
                    f"{', '.join(DIGEST_ALGORITHM_RANKS)}"
                )
            self._min_digest_rank = rank
        # key[1] of a space: False for the origin's user, True for the proxy's (if any)
        self._users: dict[bool, _User] = {False: _User(username, password)}
        if proxy_username is not None and proxy_password is not None:
            self._users[True] = _User(proxy_username, proxy_password)
        self._prefer = tuple(prefer)
        self._verify_rspauth = verify_rspauth
        self._allow_basic_over_http = allow_basic_over_http
        self._lock = threading.Lock()
        self._spaces: dict[_SpaceKey, _Space] = {}
        # the rank of the strongest scheme each space accepted (Basic 0, Digest MD5 1,
        # stronger Digest 2): nothing weaker is answered there again
        self._floors: dict[_SpaceKey, int] = {}

    @property
    def username(self) -> str:
        """The user's name."""
        return self._users[False].username

    @property
    def verify_rspauth(self) -> bool:
        """Whether the server's ``rspauth`` is required and checked (RFC 7616 §3.5)."""
        return self._verify_rspauth

    # ------------------------------------------------------------------ the exchange

    def exchange(
        self, request: OutgoingRequest, *, preemptive: bool = True
    ) -> Generator[dict[str, str], ResponseView, None]:
        """Drive one request: yield the auth header fields of each attempt, receive responses.

        The first value yielded holds the credentials to send at once (a space this
        origin challenged before), possibly none. Each response sent in is checked
        (``Authentication-Info``: ``nextnonce``, ``rspauth``); a 401 or 407 is answered
        once, and once more when the Digest challenge says ``stale=true`` (RFC 7616
        §3.3: the password was right, only the nonce expired), with a challenge the
        policy of the module docstring permits. The generator returns when the response
        is final: the 401 or 407 is then the caller's.

        Args:
            request: the request.
            preemptive: send remembered credentials on the first attempt.

        Raises:
            MutualAuthenticationError: ``verify_rspauth`` is on and ``rspauth`` is
                missing from a 2xx response, or wrong on any response.
        """
        origin = origin_of(request.url)
        sent: dict[bool, _Sent] = {}
        answered = {False: False, True: False}
        stale_retried = {False: False, True: False}
        if preemptive:
            first = self._from_space((origin, False), request)
            if first is not None:
                sent[False] = first
                log.sent_remembered(first.space.scheme.title(), origin)
        response = yield _header_fields(sent)
        while True:
            self._take_accepted(sent, response)
            proxy = self._challenged(response)
            if proxy is None:
                return
            chosen = self._choose((origin, proxy), response, request)
            view = None if chosen is None else _digest_view(chosen)
            if chosen is None or (
                answered[proxy] and not _may_answer_again(view, stale_retried[proxy])
            ):
                log.refused_again(response.status, origin, chosen)
                self._forget(sent.get(proxy))
                return
            if answered[proxy]:
                # RFC 7616 §3.3: stale=true means the password was right: answer the new
                # nonce once more, without taking it for a wrong password.
                stale_retried[proxy] = True
                log.stale_again(origin)
            answered[proxy] = True
            answer = self._answer((origin, proxy), chosen, view, request)
            if answer is None:
                log.answer_too_long(response.status, origin, chosen.scheme, MAX_CREDENTIALS_LENGTH)
                return
            sent[proxy] = answer
            self._renew_other(origin, not proxy, sent, request)
            response = yield _header_fields(sent)

    def _take_accepted(self, sent: dict[bool, _Sent], response: ResponseView) -> None:
        """Check Authentication-Info and raise the floor of each attempt not refused."""
        for proxy, attempt in sent.items():
            if response.status not in _refusals(proxy):
                self._check_info(attempt, response)
                self._raise_floor(attempt)

    def _challenged(self, response: ResponseView) -> bool | None:
        """Whether a 407 (True) or a 401 (False) is to be answered; None: the response is final."""
        if response.status not in (
            HTTPStatus.UNAUTHORIZED,
            HTTPStatus.PROXY_AUTHENTICATION_REQUIRED,
        ):
            return None
        proxy = response.status == HTTPStatus.PROXY_AUTHENTICATION_REQUIRED
        if proxy not in self._users:
            log.proxy_without_credentials()
            return None  # never the origin's credentials to a proxy
        return proxy

    def _choose(
        self, key: _SpaceKey, response: ResponseView, request: OutgoingRequest
    ) -> Challenge | None:
        """The challenge of ``response`` to answer in space ``key``, if any is permitted."""
        proxy = key[1]
        field_name = _registry.PROXY_AUTHENTICATE if proxy else _registry.WWW_AUTHENTICATE
        challenges = read_challenges(response.field_lines(field_name), proxy=proxy)
        offered = list(zip(challenges, self._refusals(key, challenges)))
        body_available = request.body is not None
        chosen = select_challenge(
            [challenge for challenge, reason in offered if reason is None],
            self._prefer,
            body_available=body_available,
        )
        log.choice(key, response.status, field_name, offered, chosen, self._prefer, body_available)
        return chosen

    def _renew_other(
        self, origin: Origin, other: bool, sent: dict[bool, _Sent], request: OutgoingRequest
    ) -> None:
        """Both fields go out again: the ``other`` one with its next nonce count."""
        if other not in sent:
            return
        again = self._from_space((origin, other), request)
        if again is None:
            del sent[other]
        else:
            sent[other] = again

    # ------------------------------------------------------------------ policy

    def _refusals(self, key: _SpaceKey, challenges: Sequence[Challenge]) -> list[str | None]:
        """Why this client may not answer each challenge in space ``key`` (:func:`refusals`).

        The minimum Digest rank is the caller's and the space's floor.
        """
        (scheme, _, _), proxy = key
        with self._lock:
            floor = self._floors.get(key, BASIC_RANK)
        return refusals(
            challenges,
            basic=basic_refusal(
                scheme, proxy=proxy, floor=floor, over_http=self._allow_basic_over_http
            ),
            minimum=max(self._min_digest_rank, floor),
        )

    def _raise_floor(self, attempt: _Sent) -> None:
        """Remember that ``attempt``'s space accepted it: nothing weaker is answered there."""
        view = attempt.space.challenge
        if view is None:
            return  # Basic: the floor stays where it is
        rank = min(digest_rank(view.effective_algorithm) or 0, STRONG_RANK)
        with self._lock:
            if self._floors.get(attempt.key, BASIC_RANK) < rank:
                self._floors.pop(attempt.key, None)
                self._floors[attempt.key] = rank
                while len(self._floors) > _MAX_FLOORS:
                    del self._floors[next(iter(self._floors))]

    # ------------------------------------------------------------------ spaces

    def _answer(
        self,
        key: _SpaceKey,
        chosen: Challenge,
        view: digest.DigestChallenge | None,
        request: OutgoingRequest,
    ) -> _Sent | None:
        if view is None:
            charset = chosen.params.get("charset")
            space = _Space("basic", utf8=charset is not None and ascii_lower(charset) == "utf-8")
        else:
            space = _Space("digest", challenge=view)
        with self._lock:
            old = self._spaces.pop(key, None)
            if old is not None and view is not None and view.nonce in old.counts:
                space.counts[view.nonce] = old.counts[view.nonce]  # the same nonce again
            self._spaces[key] = space
            while len(self._spaces) > _MAX_SPACES:
                del self._spaces[next(iter(self._spaces))]
        return self._from_space(key, request)

    def _forget(self, attempt: _Sent | None) -> None:
        """Drop the space of credentials that were refused (wrong password)."""
        if attempt is None:
            return
        with self._lock:
            if self._spaces.get(attempt.key) is attempt.space:
                del self._spaces[attempt.key]

    def _from_space(self, key: _SpaceKey, request: OutgoingRequest) -> _Sent | None:
        """Credentials for ``request`` from the space remembered under ``key``, if any."""
        with self._lock:
            space = self._spaces.get(key)
            if space is None:
                return None
            user = self._users[key[1]]
            if space.scheme == "basic":
                username, password = user.username, user.password
                if space.utf8:
                    # RFC 7617 §2.1: charset="UTF-8" asks for Normalization Form C.
                    username = unicodedata.normalize("NFC", username)
                    password = unicodedata.normalize("NFC", password)
                return _Sent(key, space, basic.encode(username, password))
            view = space.challenge
            assert view is not None
            offered = {ascii_lower(option) for option in view.qop}
            if request.body is None and offered and digest.QOP_AUTH not in offered:
                return None  # only auth-int, and the content is a stream
            # RFC 7616 §3.4: nc counts the requests sent with this nonce, from 1.
            nc = space.counts.pop(view.nonce, 0) + 1
            space.counts[view.nonce] = nc
            while len(space.counts) > _MAX_NONCES:
                del space.counts[next(iter(space.counts))]
        credentials = digest.respond(
            view,
            username=user.username,
            password=user.password,
            method=request.method,
            # RFC 7616 §3.4.6: uri is the request-target of the request line
            uri=request.proxy_target if key[1] else request.target,
            body=request.body or b"",
            nc=nc,
        )
        credentials = _octets_username(credentials, user.username)
        if len(str(credentials)) > MAX_CREDENTIALS_LENGTH:
            return None
        return _Sent(key, space, credentials)

    def _check_info(self, attempt: _Sent, response: ResponseView) -> None:
        """Read Authentication-Info after Digest credentials: check rspauth, take nextnonce."""
        if ascii_lower(attempt.credentials.scheme) != "digest":
            return
        proxy = attempt.key[1]
        info_field = _registry.PROXY_AUTHENTICATION_INFO if proxy else _registry.AUTHENTICATION_INFO
        info = read_info(response.field_lines(info_field), proxy=proxy)
        if self._verify_rspauth:
            self._check_rspauth(attempt, response, info, info_field)
        if info is not None and info.nextnonce and is_echoable(info.nextnonce):
            self._take_nextnonce(attempt, info.nextnonce)

    def _check_rspauth(
        self,
        attempt: _Sent,
        response: ResponseView,
        info: digest.DigestAuthenticationInfo | None,
        info_field: str,
    ) -> None:
        """Raise unless ``rspauth`` is right, or absent from a response that is not 2xx."""
        if info is None or info.rspauth is None:
            if 200 <= response.status < 300:
                raise MutualAuthenticationError(
                    f"the {response.status} response has no rspauth in {info_field}: the "
                    "server did not prove it knows the password (RFC 7616 §3.5)"
                )
            return
        credentials = attempt.credentials
        user = self._users[attempt.key[1]]
        hashed = credentials.params.get("userhash")
        if not digest.verify_authentication_info(
            info,
            credentials,
            password=user.password,
            # the name as sent (it may be its UTF-8 octets), unless only its hash was
            username=(user.username if hashed and ascii_lower(hashed) == "true" else None),
            body=response.content() if _is_auth_int(credentials) else b"",
        ):
            raise MutualAuthenticationError(
                f"the rspauth of the {response.status} response in {info_field} does "
                "not match: the server did not prove it knows the password "
                "(RFC 7616 §3.5)"
            )

    def _take_nextnonce(self, attempt: _Sent, nextnonce: str) -> None:
        """RFC 7616 §3.5: the client uses nextnonce for its next request in that space."""
        with self._lock:
            space = self._spaces.get(attempt.key)
            if space is attempt.space and space.challenge is not None:
                space.challenge = dataclasses.replace(space.challenge, nonce=nextnonce, stale=False)


class HTTPAuthBase(ClientAuth):
    """What the requests and httpx ``HTTPAuth`` share: the engine, for one user.

    Use one instance per user; it may be shared by threads and sessions. It remembers,
    per origin, the space it answered last, so later requests carry credentials at once.
    What it answers and what it refuses is in :mod:`wwwauth.integrations._client_policy`.

    Args:
        username: the user's name (no ':', RFC 7617 §2 and RFC 7616 §4).
        password: the password.
        prefer: the schemes to answer, most preferred first; "Digest" and "Basic".
        verify_rspauth: require the server's ``rspauth`` on 2xx responses to Digest
            credentials and check it on all (RFC 7616 §3.5).
        proxy_username: the name to answer a proxy's 407 with; without it a 407 is
            returned unanswered (the origin's credentials never go to a proxy).
        proxy_password: the proxy's password, given with ``proxy_username``.
        allow_basic_over_http: answer Basic challenges over plain ``http`` and from
            proxies, where the password travels in clear. Off: Basic only to ``https``.
        min_digest_algorithm: the weakest Digest algorithm to answer, one of "MD5",
            "SHA-256", "SHA-512-256" (a ``-sess`` variant ranks with its base). None:
            MD5 only when no stronger Digest challenge is offered beside it.

    Raises:
        ValueError: ':' in ``username`` or ``proxy_username``, one of ``proxy_username``
            and ``proxy_password`` without the other, ``prefer`` names a scheme other than
            Digest and Basic, or ``min_digest_algorithm`` is none of the three.
        MutualAuthenticationError: (when sending) ``verify_rspauth`` and the server's
            ``rspauth`` is missing or wrong.

    >>> HTTPAuthBase("Mufasa", "Circle of Life")
    HTTPAuth('Mufasa', '<redacted>')
    """

    def __repr__(self) -> str:
        return f"HTTPAuth({self.username!r}, '<redacted>')"


def _digest_view(challenge: Challenge) -> digest.DigestChallenge | None:
    """The Digest view of a chosen challenge (it parsed when permitted), None for Basic."""
    if ascii_lower(challenge.scheme) != "digest":
        return None
    return digest.DigestChallenge.from_challenge(challenge)


def _may_answer_again(view: digest.DigestChallenge | None, stale_retried: bool) -> bool:
    """Whether a space already answered may be answered again: once, for ``stale=true``."""
    return view is not None and view.stale and not stale_retried


def _is_auth_int(credentials: Credentials) -> bool:
    """Whether Digest ``credentials`` hashed the content (RFC 7616 §3.4.3)."""
    qop = credentials.params.get("qop")
    return qop is not None and ascii_lower(qop) == digest.QOP_AUTH_INT


def _octets_username(credentials: Credentials, username: str) -> Credentials:
    """``credentials`` with a ``username*`` replaced by the name's UTF-8 octets, quoted.

    RFC 7616 §3.4 allows a name that is not ASCII in either ``username`` (§4: its
    charset is UTF-8) or ``username*`` (RFC 8187). Apache's mod_auth_digest knows only
    the first, which curl, wget, aiohttp and browsers send; lighttpd takes both. The
    octets go as ISO-8859-1 text (obs-text, RFC 9110 §5.6.4), the way header values are
    handled here. A name whose octets hold ``"``, ``\\`` or a control character keeps
    ``username*``: a quoted-pair there is read differently by different servers, and a
    control character cannot be sent at all.

    >>> from wwwauth import digest
    >>> challenge = digest.challenge(realm="r", nonce="n", qop=(), algorithm="MD5")
    >>> answer = digest.respond(challenge, username="Zoë", password="p", method="GET", uri="/")
    >>> _octets_username(answer, "Zoë").params["username"]
    'ZoÃ«'
    """
    if "username*" not in credentials.params:
        return credentials
    # The octets as ISO-8859-1 text: a CTL octet is a CTL character (RFC 5234 App. B.1).
    octets = username.encode("utf-8").decode("latin-1")
    if CTL_RE.search(octets) or '"' in octets or "\\" in octets:
        return credentials
    items = [
        ("username", octets) if ascii_lower(name) == "username*" else (name, value)
        for name, value in credentials.params.items()
    ]
    return Credentials(credentials.scheme, items)


def _refusals(proxy: bool) -> tuple[int, ...]:
    """The statuses that do not show ``Authorization`` (or ``Proxy-Authorization``) accepted.

    A 407 comes from the proxy before the origin saw the request; a 401 comes from
    behind a proxy that let it through.
    """
    if proxy:
        return (HTTPStatus.PROXY_AUTHENTICATION_REQUIRED,)
    return (HTTPStatus.UNAUTHORIZED, HTTPStatus.PROXY_AUTHENTICATION_REQUIRED)


def _header_fields(sent: dict[bool, _Sent]) -> dict[str, str]:
    return {attempt.field: str(attempt.credentials) for attempt in sent.values()}
