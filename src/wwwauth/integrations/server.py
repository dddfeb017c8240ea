"""The server side shared by the ASGI and WSGI middleware, and a ready Digest verifier.

Standard library only. :class:`wwwauth.integrations.asgi.AuthMiddleware` and
:class:`wwwauth.integrations.wsgi.AuthMiddleware` call your ``verify`` with the parsed
credentials and a :class:`RequestInfo`, your optional ``authorize`` with what ``verify``
returned, and answer with :func:`wwwauth.decide` (401, 400, 403, 407, one field line per
challenge, Bearer error codes). :class:`DigestVerifier` is a ``verify`` for Digest with
a user table: it issues stateless signed nonces, checks them (``stale`` when only the
nonce expired, RFC 7616 §3.3), refuses a nonce count that does not grow, and can send
``Authentication-Info`` with ``rspauth`` and ``nextnonce`` (RFC 7616 §3.5).

Both middleware fail closed:

* a request is granted only when ``verify`` returns a principal that is neither None
  nor False (nor :data:`STALE`, nor an awaitable the middleware cannot await) and,
  when ``authorize`` is given, ``authorize`` returns exactly ``True``;
* a ``ValueError`` from ``verify`` (:class:`~wwwauth.ParseError` included, and what
  :func:`wwwauth.digest.verify` raises on parameters the client chose) means "not
  verified": the usual 401 (or 400, 407) of :func:`wwwauth.decide`;
* any other exception from ``verify``, ``authorize``, ``authentication_info`` or
  ``check_nonce``, and an awaitable where the middleware cannot await one, is logged on
  the ``wwwauth.integrations`` logger (its type and where it was raised, never its
  message, which may hold a credential) and answered 500 without calling the
  application;
* nothing before authentication costs more than the header fields: the request content
  is read only for Digest ``qop=auth-int`` credentials answering a challenge that
  offers ``auth-int``, with a nonce that a :class:`DigestVerifier` in play (or
  ``check_nonce``) says it issued, and at most ``max_body`` octets of it (413 above).

>>> from wwwauth import Credentials, basic
>>> from wwwauth.integrations.server import DigestVerifier, RequestInfo
>>> verifier = DigestVerifier({"Mufasa": "Circle of Life"}, realm="api")
>>> challenge = verifier.challenge()
>>> from wwwauth import digest
>>> credentials = digest.respond(challenge, username="Mufasa", password="Circle of Life",
...                              method="GET", uri="/")
>>> verifier(credentials, RequestInfo(method="GET", target="/"))
'Mufasa'
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import heapq
import hmac
import inspect
import logging
import secrets
import struct
import threading
import time
import traceback
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Final, Literal, TypeVar
from urllib.parse import unquote_to_bytes, urlsplit

from .. import digest
from ..decide import Decision, decide
from ..errors import ParseError
from ..formatting import format_authentication_info
from ..model import Challenge, Credentials, ascii_lower
from ..parsing import parse_authorization, parse_proxy_authorization

__all__ = [
    "DEFAULT_MAX_BODY",
    "PRINCIPAL_KEY",
    "STALE",
    "AsyncAuthorize",
    "AsyncVerify",
    "Authorize",
    "ChallengeSource",
    "DigestVerifier",
    "InfoCallback",
    "NonceCheck",
    "RequestInfo",
    "Stale",
    "Verify",
]

# Where the middleware puts the verified principal: ASGI scope / WSGI environ key.
PRINCIPAL_KEY: Final = "wwwauth.principal"

# The most request content the middleware reads for Digest auth-int (RFC 7616 §3.4.3):
# 1 MiB unless ``max_body`` says otherwise; more is answered 413 (RFC 9110 §15.5.14).
DEFAULT_MAX_BODY: Final = 1 << 20

# Exceptions, and refusals the developer should hear about, go here (never a credential).
_logger = logging.getLogger("wwwauth.integrations")


class Stale(enum.Enum):
    """The type of :data:`STALE`."""

    STALE = "stale"


# What ``verify`` returns when Digest credentials are right but their nonce expired:
# the middleware re-issues the Digest challenges with stale=true (RFC 7616 §3.3).
STALE: Final = Stale.STALE


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestInfo:
    """What ``verify`` and ``authorize`` see of a request.

    Attributes:
        method: the request method.
        target: the request-target, percent-encoded, with the query: the raw target
            when the server gives it (ASGI ``raw_path``, WSGI ``REQUEST_URI`` or
            ``RAW_URI``), else rebuilt from the decoded path.
        headers: the header fields, names lower-cased, values as ISO-8859-1 text.
        body: the request content, read only for Digest ``qop=auth-int`` credentials
            (RFC 7616 §3.4.3 hashes it) whose nonce was checked first (see the
            middleware's ``check_nonce``); None otherwise.
        authority: the authority the request was sent to (RFC 9110 §7.2): the ``Host``
            field, else the server's own name and port; None when unknown. A Digest
            ``uri`` in absolute-form must name it.
        target_is_raw: whether ``target`` is the request-target as received (False when
            rebuilt from a decoded path, as under ``wsgiref``, where ``%2F`` and ``/``
            look alike: a Digest ``uri`` path is then compared percent-decoded).

    >>> RequestInfo(method="GET", target="/a?b=1").body is None
    True
    """

    method: str
    target: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    authority: str | None = None
    target_is_raw: bool = True


_P = TypeVar("_P")

# A challenge, or a function returning a fresh one per response (a Digest nonce).
ChallengeSource = Challenge | Callable[[], Challenge]
# verify(credentials, request) -> principal, None (not verified) or STALE. A principal
# of False is a refusal too, so ``return (user, password) == stored`` fails closed.
Verify = Callable[[Credentials, RequestInfo], _P | Stale | None]
# The same as a coroutine function (ASGI only).
AsyncVerify = Callable[[Credentials, RequestInfo], Awaitable[_P | Stale | None]]
# authorize(principal, request) -> True when the principal may do this; anything else is 403.
Authorize = Callable[[_P, RequestInfo], bool]
# The same as a coroutine function (ASGI only).
AsyncAuthorize = Callable[[_P, RequestInfo], Awaitable[bool]]
# authentication_info(credentials, request) -> Authentication-Info params, or None.
InfoCallback = Callable[[Credentials, RequestInfo], Mapping[str, str] | None]
# check_nonce(nonce) -> whether you issued this Digest nonce (cheaply: before any user lookup).
NonceCheck = Callable[[str], bool]


def _is_async_callable(function: object) -> bool:
    """Whether calling ``function`` gives a coroutine or an async generator.

    Sees through :func:`functools.partial` and objects whose ``__call__`` is a
    coroutine function.

    >>> async def verify(credentials, request): ...
    >>> _is_async_callable(verify), _is_async_callable(len)
    (True, False)
    """
    call = getattr(function, "__call__", None)  # noqa: B004 - is __call__ a coroutine function
    return any(
        inspect.iscoroutinefunction(candidate) or inspect.isasyncgenfunction(candidate)
        for candidate in (function, call)
    )


def _is_awaitable(value: object) -> bool:
    return inspect.isawaitable(value) or inspect.isasyncgen(value)


def _where(exc: BaseException) -> str:
    """Where ``exc`` was raised, as ``file:line in function`` (never its message)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "an unknown place"
    last = frames[-1]
    return f"{last.filename}:{last.lineno} in {last.name}"


def _server_error(role: str) -> _Outcome:
    return _Outcome(
        Decision(
            HTTPStatus.INTERNAL_SERVER_ERROR,
            (),
            f"The server could not check the credentials ({role} failed).",
        )
    )


def _crashed(role: str, exc: Exception) -> _Outcome:
    # The message of exc may hold a credential (a KeyError on a token table): left out.
    _logger.error(
        "%s raised %s at %s: answered 500 without calling the application",
        role,
        type(exc).__qualname__,
        _where(exc),
    )
    return _server_error(role)


def _not_awaited(role: str, value: object) -> _Outcome:
    if inspect.iscoroutine(value):
        value.close()  # no "never awaited" warning: it was refused on purpose
    _logger.error(
        "%s returned an awaitable (%s), which this middleware does not await: "
        "answered 500 without calling the application",
        role,
        type(value).__qualname__,
    )
    return _server_error(role)


def _too_large(limit: int) -> _Outcome:
    # RFC 9110 §15.5.14: 413 Content Too Large.
    return _Outcome(
        Decision(
            HTTPStatus(413),  # REQUEST_ENTITY_TOO_LARGE, CONTENT_TOO_LARGE from 3.13
            (),
            f"The request content is larger than the {limit} octets this server reads "
            "to check Digest auth-int credentials.",
        )
    )


def _declared_length(value: str | None) -> int | None:
    """A ``Content-Length`` value as an integer, or None when absent or malformed.

    RFC 9110 §8.6: ``Content-Length = 1*DIGIT`` (no sign, no space, no ``_``).

    >>> _declared_length("12"), _declared_length("1_2"), _declared_length(None)
    (12, None, None)
    """
    if value is None:
        return None
    value = value.strip(" \t")
    if not value or not value.isascii() or not value.isdigit():
        return None
    return int(value)


def _sha512_256_is_native() -> bool:
    """Whether ``hashlib`` (OpenSSL) computes SHA-512/256, rather than the slow fallback.

    >>> isinstance(_sha512_256_is_native(), bool)
    True
    """
    try:
        hashlib.new("sha512_256", b"")
    except ValueError:
        return False
    return True


def _is_sha512_256(algorithm: str) -> bool:
    return ascii_lower(algorithm).startswith("sha-512-256")


def _offers_auth_int(challenge: Challenge) -> bool:
    """Whether ``challenge`` is Digest with ``auth-int`` among its qop options (RFC 7616 §3.3)."""
    if ascii_lower(challenge.scheme) != "digest":
        return False
    qop = challenge.params.get("qop")
    # RFC 7616 §3.3: qop-options = "qop" "=" DQUOTE qop-value *("," qop-value) DQUOTE
    return qop is not None and any(
        ascii_lower(option.strip(" \t")) == digest.QOP_AUTH_INT for option in qop.split(",")
    )


@dataclass(frozen=True, slots=True)
class _Outcome:
    """The gate's answer: the decision, the principal when granted, headers to add then."""

    decision: Decision
    principal: object = None
    granted_headers: tuple[tuple[str, str], ...] = ()

    @property
    def body(self) -> bytes:
        """The plain-text body of a refusal."""
        return (self.decision.reason + "\n").encode("utf-8")

    @property
    def refusal_headers(self) -> list[tuple[str, str]]:
        body = self.body
        return [
            *self.decision.headers,
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
        ]


class _Gate:
    """The logic of both middleware: read the credentials, verify, authorize, decide.

    Args:
        challenges: see ``AuthMiddleware``.
        verify, authorize, proxy, authentication_info, check_nonce, max_body: see
            ``AuthMiddleware``.

    Raises:
        ValueError: ``challenges`` is empty, or ``max_body`` negative.
    """

    def __init__(
        self,
        *,
        challenges: Sequence[ChallengeSource],
        verify: Callable[..., object],
        authorize: Callable[..., object] | None,
        proxy: bool,
        authentication_info: InfoCallback | None,
        check_nonce: NonceCheck | None,
        max_body: int,
    ) -> None:
        if isinstance(challenges, Challenge) or not challenges:
            raise ValueError("challenges must be a non-empty sequence (RFC 9110 §15.5.2)")
        if max_body < 0:
            raise ValueError("max_body must not be negative")
        self._challenges = tuple(challenges)
        self._verify = verify
        self._authorize = authorize
        self.proxy = proxy
        self._authentication_info = authentication_info
        self.max_body = max_body
        # RFC 9110 §11.7.2: a proxy reads Proxy-Authorization; §11.6.2 Authorization
        self.credentials_header: Final = "proxy-authorization" if proxy else "authorization"
        checks: list[NonceCheck] = [] if check_nonce is None else [check_nonce]
        for source in (*self._challenges, verify):
            owner = (
                source if isinstance(source, DigestVerifier) else getattr(source, "__self__", None)
            )
            if isinstance(owner, DigestVerifier) and owner.is_issued_nonce not in checks:
                checks.append(owner.is_issued_nonce)
        self._nonce_checks = tuple(checks)
        self._warned_no_nonce_check = False

    def _parse(self, value: str) -> Credentials:
        return (parse_proxy_authorization if self.proxy else parse_authorization)(value)

    def current_challenges(self) -> list[Challenge]:
        """The challenges for this request (a fresh Digest nonce from each source)."""
        return [
            source if isinstance(source, Challenge) else source() for source in self._challenges
        ]

    def wants_body(self, challenges: Sequence[Challenge], value: str | None) -> bool:
        """Whether to read the content before deciding (at most ``max_body`` octets).

        Only for Digest ``qop=auth-int`` credentials (RFC 7616 §3.4.3 hashes the
        content) when one of ``challenges`` offers ``auth-int``, the algorithm is not
        SHA-512-256 computed in pure Python, and a nonce check says the nonce was
        issued here. Without a nonce check (no :class:`DigestVerifier` in play and no
        ``check_nonce``) the content is never read: ``verify`` sees ``body=None``.
        """
        if value is None or not any(_offers_auth_int(challenge) for challenge in challenges):
            return False
        try:
            credentials = self._parse(value)
        except ParseError:
            return False
        params = credentials.params
        qop, nonce, algorithm = params.get("qop"), params.get("nonce"), params.get("algorithm")
        if (
            ascii_lower(credentials.scheme) != "digest"
            or qop is None
            or ascii_lower(qop) != digest.QOP_AUTH_INT
            or not nonce
        ):
            return False
        if algorithm is not None and _is_sha512_256(algorithm) and not _sha512_256_is_native():
            return False  # pure-Python SHA-512/256 of a large body costs seconds
        if not self._nonce_checks:
            if not self._warned_no_nonce_check:
                self._warned_no_nonce_check = True
                _logger.warning(
                    "Digest auth-int credentials arrived but no nonce check is configured "
                    "(a DigestVerifier among the challenges or as verify, or check_nonce): "
                    "the request content is not read and verify gets body=None"
                )
            return False
        for check in self._nonce_checks:
            try:
                issued = check(nonce)
            except Exception as exc:  # noqa: BLE001 - any failure of a callback is a 500, logged
                _crashed("check_nonce", exc)
                return False
            if issued is True:
                return True
        return False

    def too_large(self) -> _Outcome:
        """The 413 answer to content larger than ``max_body``."""
        return _too_large(self.max_body)

    def _start(self, challenges: list[Challenge], value: str | None) -> _Outcome | Credentials:
        """The refusal for missing or malformed credentials, or the credentials."""
        if value is None:
            return _Outcome(
                decide(
                    challenges=challenges, credentials=None, authenticated=False, proxy=self.proxy
                )
            )
        try:
            return self._parse(value)
        except ParseError:
            # decide tells a malformed Bearer (400) from other broken attempts (401).
            return _Outcome(
                decide(
                    challenges=challenges, credentials=value, authenticated=False, proxy=self.proxy
                )
            )

    def _refusal(
        self, challenges: list[Challenge], credentials: Credentials, result: object
    ) -> _Outcome | None:
        """The refusal for what ``verify`` returned, or None when it is a principal."""
        if result is STALE:
            try:
                return _Outcome(
                    decide(
                        challenges=challenges,
                        credentials=credentials,
                        authenticated=False,
                        proxy=self.proxy,
                        stale=True,
                    )
                )
            except ValueError:
                result = None  # not Digest after all: an ordinary refusal
        # Fail closed: None and False are refusals (``return password == stored``).
        if result is None or result is False:
            return _Outcome(
                decide(
                    challenges=challenges,
                    credentials=credentials,
                    authenticated=False,
                    proxy=self.proxy,
                )
            )
        return None

    def _decided(
        self,
        challenges: list[Challenge],
        credentials: Credentials,
        request: RequestInfo,
        principal: object,
        allowed: object,
    ) -> _Outcome:
        """The answer once verified: 200 only when ``allowed`` is exactly True."""
        decision = decide(
            challenges=challenges,
            credentials=credentials,
            authenticated=True,
            authorized=allowed is True,
            proxy=self.proxy,
        )
        granted: tuple[tuple[str, str], ...] = ()
        if decision.status == HTTPStatus.OK and self._authentication_info is not None:
            try:
                params: object = self._authentication_info(credentials, request)
                if _is_awaitable(params):
                    return _not_awaited("authentication_info", params)
                if params:
                    assert isinstance(params, Mapping)
                    # RFC 9110 §11.6.3 / §11.7.3
                    name = "Proxy-Authentication-Info" if self.proxy else "Authentication-Info"
                    granted = ((name, format_authentication_info(params)),)
            except Exception as exc:  # noqa: BLE001 - any failure of a callback is a 500, logged
                return _crashed("authentication_info", exc)
        return _Outcome(decision, principal, granted)

    def check(
        self, challenges: list[Challenge], request: RequestInfo, value: str | None
    ) -> _Outcome:
        """Decide on ``request`` carrying the credentials field ``value`` (or none)."""
        credentials = self._start(challenges, value)
        if isinstance(credentials, _Outcome):
            return credentials
        try:
            result = self._verify(credentials, request)
        except ValueError:
            result = None  # ParseError, or digest.verify on odd parameters: not verified
        except Exception as exc:  # noqa: BLE001 - any failure of a callback is a 500, logged
            return _crashed("verify", exc)
        if _is_awaitable(result):
            return _not_awaited("verify", result)
        refusal = self._refusal(challenges, credentials, result)
        if refusal is not None:
            return refusal
        allowed: object = True
        if self._authorize is not None:
            try:
                allowed = self._authorize(result, request)
            except Exception as exc:  # noqa: BLE001 - any failure of a callback is a 500, logged
                return _crashed("authorize", exc)
            if _is_awaitable(allowed):
                return _not_awaited("authorize", allowed)
        return self._decided(challenges, credentials, request, result, allowed)

    async def check_async(
        self, challenges: list[Challenge], request: RequestInfo, value: str | None
    ) -> _Outcome:
        """:meth:`check`, awaiting what ``verify`` and ``authorize`` return when awaitable."""
        credentials = self._start(challenges, value)
        if isinstance(credentials, _Outcome):
            return credentials
        try:
            result = self._verify(credentials, request)
            if inspect.isawaitable(result):
                result = await result
        except ValueError:
            result = None  # ParseError, or digest.verify on odd parameters: not verified
        except Exception as exc:  # noqa: BLE001 - any failure of a callback is a 500, logged
            return _crashed("verify", exc)
        if _is_awaitable(result):
            return _not_awaited("verify", result)  # an awaitable that gave an awaitable
        refusal = self._refusal(challenges, credentials, result)
        if refusal is not None:
            return refusal
        allowed: object = True
        if self._authorize is not None:
            try:
                allowed = self._authorize(result, request)
                if inspect.isawaitable(allowed):
                    allowed = await allowed
            except Exception as exc:  # noqa: BLE001 - any failure of a callback is a 500, logged
                return _crashed("authorize", exc)
            if _is_awaitable(allowed):
                return _not_awaited("authorize", allowed)
        return self._decided(challenges, credentials, request, result, allowed)


# --------------------------------------------------------------------------- Digest


_NONCE_STRUCT: Final = struct.Struct(">Q12s16s")  # issued (ms), salt, MAC

# RFC 9110 §4.2.1, §4.2.2: the schemes an absolute-form target may carry, their default ports.
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


def _host_and_port(authority: str, default_port: int) -> tuple[str, int] | None:
    """RFC 9110 §7.2 / RFC 3986 §3.2: ``uri-host [ ":" port ]``, host lower-cased, or None."""
    authority = authority.strip(" \t")  # RFC 9110 §5.5: OWS around a field value is not in it
    if (
        not authority
        or not authority.isascii()
        or not authority.isprintable()
        or any(char in authority for char in " /?#@\\")
    ):
        return None
    try:
        parts = urlsplit("//" + authority)
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return parts.hostname, default_port if port is None else port


# (scheme, host, port) of an absolute-form target, None for origin-form; path; query.
_Split = tuple[tuple[str, str, int] | None, str, str | None]


def _split_target(target: str) -> _Split | None:
    """Split an origin-form or absolute-form request-target (RFC 9112 §3.2.1, §3.2.2).

    ``origin-form = absolute-path [ "?" query ]``; ``absolute-form = absolute-URI``
    with an ``http`` or ``https`` scheme and no userinfo (RFC 9110 §4.2.4); an empty
    path is ``/`` (RFC 9110 §4.2.3). The scheme and host are lower-cased and a missing
    port is the scheme's default. None for anything else (``*``, authority-form, a
    fragment, whitespace, a port that does not parse).

    >>> _split_target("/a?b"), _split_target("HTTP://Example.org?b")
    ((None, '/a', 'b'), (('http', 'example.org', 80), '/', 'b'))
    """
    # RFC 9110 §4.1: a URI is visible ASCII; urlsplit would drop tabs and newlines.
    if not target.isascii() or not target.isprintable() or " " in target or "#" in target:
        return None
    if target.startswith("/"):
        path, mark, query = target.partition("?")
        return None, path, query if mark else None
    try:
        parts = urlsplit(target)
        port = parts.port
    except ValueError:
        return None
    scheme = ascii_lower(parts.scheme)
    default_port = _DEFAULT_PORTS.get(scheme)
    if default_port is None or not parts.hostname or "@" in parts.netloc:
        return None
    rest = target[len(parts.scheme) + 3 + len(parts.netloc) :]
    if target[len(parts.scheme) : len(parts.scheme) + 3] != "://" or rest[:1] not in ("", "/", "?"):
        return None
    path, mark, query = rest.partition("?")
    origin = (scheme, parts.hostname, default_port if port is None else port)
    return origin, path or "/", query if mark else None


def _request_authority(request: RequestInfo) -> str | None:
    if request.authority is not None:
        return request.authority
    return next((value for name, value in request.headers if name == "host"), None)


def _table_name(view: digest.DigestCredentials) -> str:
    """The plain user name as a user table spells it.

    The decoded ``username*`` (RFC 8187); else the ``username`` octets read as UTF-8
    when they are UTF-8 (the challenge says ``charset=UTF-8``, RFC 7616 §4, and curl,
    wget and Chromium send the name's UTF-8 octets in ``username``), else as
    ISO-8859-1 (the header's own reading).

    >>> view = digest.DigestCredentials(realm="r", nonce="n", uri="/", response="0",
    ...                                 username="Jos\u00c3\u00a9")
    >>> _table_name(view)
    'José'
    """
    name = view.name
    if view.username_ext is not None or name.isascii():
        return name
    try:
        return name.encode("latin-1").decode("utf-8")
    except UnicodeError:  # not UTF-8 (or not octets at all): the header's reading
        return name


class DigestVerifier:
    """Digest for the middleware: fresh signed nonces, verification, Authentication-Info.

    Pass :meth:`challenge` (the method itself, so each 401 gets a fresh nonce) among the
    middleware's challenges, the verifier as ``verify`` (or call it from yours for
    Digest credentials), and :meth:`authentication_info` as ``authentication_info``.
    The middleware then checks an auth-int nonce with :meth:`is_issued_nonce` before it
    reads any request content.

    Nonces are ``base64url(issued-time, salt, HMAC-SHA-256(secret, ...))``: nothing is
    stored per nonce issued. A request is checked in order of cost: realm, algorithm,
    qop, the nonce's MAC, the ``uri``, and only then the user and the response hash, so
    a nonce never issued costs one HMAC and no user lookup. With ``userhash`` the user
    is found in an index of hashed names, built when first needed and again whenever
    the number of users changes (a user renamed in place is found only after that);
    the password is always read from ``users``. A nonce older than ``nonce_lifetime``
    seconds answered correctly gives :data:`STALE` (RFC 7616 §3.3); a nonce count that
    does not grow also gives :data:`STALE` (the client knows the password; a replay is
    refused).

    Replay protection is per process (and per verifier): the highest count seen per
    nonce is kept in memory, for at most ``max_nonces`` nonces (about 210 bytes each,
    2 MB for the default 10,000) and at most the nonce's lifetime. Only correctly
    answered nonces are kept, so an unauthenticated client cannot fill the table. When
    it is full, the nonce issued earliest is forgotten, and any nonce issued no later
    than a forgotten one and not in the table gets :data:`STALE` (the client retries
    with a fresh nonce): a replay is never accepted because its count was forgotten.
    Processes sharing ``secret`` accept each other's nonces but not each other's
    counts, so a replay sent to another process is accepted there: keep a client on one
    process, or do not share the secret. Without qop (RFC 2069) there is no count, so a
    replay within the lifetime goes unnoticed: offer ``qop`` unless old clients need it.

    The ``uri`` must name the request-target's path and query, in origin-form or
    absolute-form whichever form the request line used (curl through a forward proxy
    sends ``GET http://host/x?y=1`` with ``uri="/x?y=1"``). An absolute-form ``uri``
    must name the request's own origin: its absolute-form target, else
    :attr:`RequestInfo.authority` (else its ``Host`` field), host compared
    case-insensitively, default ports filled in. When the server gave no raw target
    (:attr:`RequestInfo.target_is_raw` is False: ``wsgiref``) the paths are compared
    percent-decoded, as the server decoded its own. A ``uri`` that does not parse is a
    refusal, never an exception.

    A plain ``username`` is looked up as UTF-8 when its octets are UTF-8 (the
    challenge says ``charset=UTF-8``, RFC 7616 §4; curl, wget and Chromium send the
    name's UTF-8 octets), else as ISO-8859-1; ``username*`` is decoded (RFC 8187). The
    response is checked against the octets the client sent, so either spelling needs
    the user's password. Keep the names in ``users`` as text (``"José"``).

    ``auth-int`` hashes the whole request content (the middleware reads at most its
    ``max_body``). With SHA-512-256 and no OpenSSL SHA-512/256 (the pure-Python
    fallback, about 1.3 s per MiB), offering ``auth-int`` is refused at construction.

    Args:
        users: user name -> password (plain; hashed per request).
        realm: the realm of the challenges.
        algorithm: one of :data:`wwwauth.digest.ALGORITHMS`.
        qop: the qop options offered (``("auth",)``, ``("auth", "auth-int")``, or
            ``()`` for RFC 2069 clients).
        nonce_lifetime: seconds a nonce stays fresh.
        userhash: offer hashed user names (RFC 7616 §3.4.4).
        nextnonce: send a fresh ``nextnonce`` in Authentication-Info.
        secret: the HMAC key for nonces; random per verifier when None (give the same
            key to every process that must accept the others' nonces).
        clock: seconds since the epoch, for tests.
        max_nonces: the most nonces whose count is remembered (at least 1).

    Raises:
        ValueError: an unsupported algorithm (as :func:`wwwauth.digest.challenge`);
            ``auth-int`` with SHA-512-256 computed in pure Python; ``max_nonces`` < 1.

    >>> verifier = DigestVerifier({"u": "p"}, realm="r", algorithm="SHA-512-256")
    >>> verifier.challenge().params["algorithm"]
    'SHA-512-256'
    """

    def __init__(
        self,
        users: Mapping[str, str],
        *,
        realm: str,
        algorithm: str = "SHA-256",
        qop: Sequence[str] = (digest.QOP_AUTH,),
        nonce_lifetime: float = 300.0,
        userhash: bool = False,
        nextnonce: bool = False,
        secret: bytes | None = None,
        clock: Callable[[], float] = time.time,
        max_nonces: int = 10_000,
    ) -> None:
        if max_nonces < 1:
            raise ValueError("max_nonces must be at least 1")
        self._users = users
        self.realm = realm
        self.algorithm = algorithm
        self._qop = tuple(qop)
        self._lifetime = nonce_lifetime
        self._userhash = userhash
        self._nextnonce = nextnonce
        self._secret = secrets.token_bytes(32) if secret is None else secret
        self._clock = clock
        self.max_nonces = max_nonces
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}  # nonce -> the highest nc accepted
        self._by_issue: list[tuple[float, str]] = []  # heap of (issued, nonce) of _counts
        self._forgotten_up_to = float("-inf")  # the latest issue time evicted for room
        self._hashed_names: dict[str, str] = {}  # userhash index: H(name:realm) -> name
        self._hashed_count = -1  # len(users) when the index was built
        self.challenge()  # fail now on a bad algorithm or qop
        if self._offers_auth_int and not self._auth_int_affordable():
            raise ValueError(
                "auth-int with SHA-512-256 needs OpenSSL's sha512_256: the pure-Python "
                "fallback would hash each request body at about 1.3 s per MiB"
            )

    @property
    def _offers_auth_int(self) -> bool:
        return digest.QOP_AUTH_INT in map(ascii_lower, self._qop)

    def _auth_int_affordable(self) -> bool:
        return not _is_sha512_256(self.algorithm) or _sha512_256_is_native()

    def _mac(self, issued: int, salt: bytes) -> bytes:
        data = b"%d:%b:%b" % (issued, salt, self.realm.encode("utf-8"))
        return hmac.new(self._secret, data, hashlib.sha256).digest()[:16]

    def new_nonce(self) -> str:
        """A fresh nonce (RFC 7616 §3.3: "uniquely generated each time a 401 ... is made")."""
        issued = int(self._clock() * 1000)
        salt = secrets.token_bytes(12)
        packed = _NONCE_STRUCT.pack(issued, salt, self._mac(issued, salt))
        return base64.urlsafe_b64encode(packed).decode("ascii")

    def _nonce_issued(self, nonce: str) -> float | None:
        """When this verifier issued ``nonce`` (seconds), or None if it did not."""
        if len(nonce) != 48:  # base64 of the 36 packed octets: refuse the rest unread
            return None
        try:
            packed = base64.urlsafe_b64decode(nonce.encode("ascii"))
            issued, salt, mac = _NONCE_STRUCT.unpack(packed)
        except (UnicodeEncodeError, binascii.Error, struct.error, ValueError):
            return None
        if base64.urlsafe_b64encode(packed).decode("ascii") != nonce:
            return None  # one nonce, one spelling: the nonce count is kept per spelling
        if not hmac.compare_digest(mac, self._mac(issued, salt)):
            return None
        return float(issued) / 1000

    def is_issued_nonce(self, nonce: str) -> bool:
        """Whether this verifier (or one with its secret and realm) issued ``nonce``.

        One HMAC-SHA-256 over a few octets: the middleware asks it before reading the
        content of an ``auth-int`` request. An expired nonce is still one it issued
        (its correct answer gets :data:`STALE`).

        >>> verifier = DigestVerifier({}, realm="r")
        >>> verifier.is_issued_nonce(verifier.new_nonce()), verifier.is_issued_nonce("abc")
        (True, False)
        """
        return self._nonce_issued(nonce) is not None

    def challenge(self) -> Challenge:
        """A Digest challenge with a fresh nonce (RFC 7616 §3.3).

        >>> DigestVerifier({}, realm="r").challenge().scheme
        'Digest'
        """
        return digest.challenge(
            realm=self.realm,
            nonce=self.new_nonce(),
            qop=self._qop,
            algorithm=self.algorithm,
            userhash=self._userhash,
        )

    def _name_of_hash(self, hashed: str) -> str | None:
        """The user whose hashed name (RFC 7616 §3.4.4) is ``hashed``, or None."""
        with self._lock:
            if self._hashed_count != len(self._users):
                # Built once per change in the number of users, never per request.
                self._hashed_names = {
                    digest.hash_username(name, self.realm, algorithm=self.algorithm): name
                    for name in self._users
                }
                self._hashed_count = len(self._users)
            return self._hashed_names.get(ascii_lower(hashed))

    def _user(self, view: digest.DigestCredentials) -> tuple[str, str] | None:
        """(name, password) of the user the credentials name, or None."""
        name = self._name_of_hash(view.name) if view.userhash else _table_name(view)
        found = None if name is None else self._users.get(name)
        return None if name is None or found is None else (name, found)

    def _matches_target(self, uri: str, request: RequestInfo) -> bool:
        """RFC 7616 §3.4.6: ``uri`` is the request-target, in either form.

        A client may write the ``uri`` in origin-form while its request line is in
        absolute-form (curl through a forward proxy), and a proxy may forward an
        absolute-form ``uri`` to an origin that receives origin-form (RFC 9110 §7.1):
        path and query must be the same, and an absolute-form ``uri`` must name the
        request's origin (its absolute-form target, else its authority).
        """
        if uri == request.target:
            return True
        given, received = _split_target(uri), _split_target(request.target)
        if given is None or received is None:
            return False
        (given_origin, given_path, given_query) = given
        (received_origin, received_path, received_query) = received
        if given_query != received_query:
            return False
        if request.target_is_raw:
            if given_path != received_path:
                return False
        # Rebuilt from a decoded path: compare decoded octets (PEP 3333 PATH_INFO).
        elif unquote_to_bytes(given_path) != unquote_to_bytes(received_path):
            return False
        if given_origin is None:
            return True  # origin-form: a resource of whatever origin received the request
        if received_origin is not None:
            return given_origin == received_origin
        authority = _request_authority(request)
        if authority is None:
            return False
        scheme, host, port = given_origin
        return (host, port) == _host_and_port(authority, _DEFAULT_PORTS[scheme])

    def __call__(
        self, credentials: Credentials, request: RequestInfo
    ) -> str | Literal[Stale.STALE] | None:
        """Verify Digest credentials: the user name, :data:`STALE`, or None.

        Args:
            credentials: the credentials received (other schemes give None).
            request: the request (its method, target, authority and, for auth-int,
                body: ``body=None`` refuses auth-int credentials).

        Returns:
            The plain user name when the response is right and the nonce fresh;
            :data:`STALE` when it is right but the nonce expired or its count did not
            grow (or may have been forgotten); None otherwise.

        Raises:
            ParseError: never; malformed Digest credentials give None.
        """
        if ascii_lower(credentials.scheme) != "digest":
            return None
        try:
            view = digest.DigestCredentials.from_credentials(credentials)
        except ParseError:
            return None
        # Everything that costs no more than the header fields comes first, then the
        # nonce's MAC; the user and the response hash only for a nonce issued here.
        if view.realm != self.realm or ascii_lower(view.effective_algorithm) != ascii_lower(
            self.algorithm
        ):
            return None
        if (view.qop is None) != (not self._qop) or (
            view.qop is not None and ascii_lower(view.qop) not in map(ascii_lower, self._qop)
        ):
            return None
        auth_int = view.qop is not None and ascii_lower(view.qop) == digest.QOP_AUTH_INT
        if auth_int and (request.body is None or not self._auth_int_affordable()):
            return None  # the content was not read (or would cost too much to hash)
        issued = self._nonce_issued(view.nonce)
        if issued is None or not self._matches_target(view.uri, request):
            return None
        # An expired nonce still gets the response checked: RFC 7616 §3.3 wants
        # stale=true only for a right answer. (Any client can get a fresh nonce from a
        # 401, so checking freshness first would save an attacker nothing.)
        user = self._user(view)
        if user is None:
            return None
        name, password = user
        try:
            right = digest.verify(
                view,
                method=request.method,
                password=password,
                # A plain name is hashed as the octets the client sent (no username):
                # the table may spell it otherwise (read as UTF-8, see _table_name).
                username=name if view.userhash else None,
                body=request.body or b"",
            )
        except ValueError:
            return None
        if not right:
            return None
        now = self._clock()
        if now - issued > self._lifetime:
            return STALE
        count = view.nonce_count
        if count is not None and not self._count_grows(view.nonce, issued, count, now):
            return STALE  # RFC 7616 §5.5: a count that does not grow is a replay
        return name

    def _count_grows(self, nonce: str, issued: float, count: int, now: float) -> bool:
        """Record ``count`` for ``nonce`` if it is above the last one (bounded state)."""
        with self._lock:
            # Forget nonces past their lifetime (they get STALE from the clock anyway).
            while self._by_issue and now - self._by_issue[0][0] > self._lifetime:
                _, old = heapq.heappop(self._by_issue)
                del self._counts[old]
            last = self._counts.get(nonce)
            if last is None:
                if issued <= self._forgotten_up_to:
                    return False  # its count may have been forgotten: never a replay
                heapq.heappush(self._by_issue, (issued, nonce))
            elif count <= last:
                return False
            self._counts[nonce] = count
            while len(self._counts) > self.max_nonces:
                forgotten_issued, old = heapq.heappop(self._by_issue)
                del self._counts[old]
                self._forgotten_up_to = max(self._forgotten_up_to, forgotten_issued)
            return True

    @property
    def remembered_nonces(self) -> int:
        """How many nonce counts are kept now (never more than ``max_nonces``)."""
        with self._lock:
            return len(self._counts)

    def authentication_info(
        self, credentials: Credentials, request: RequestInfo
    ) -> Mapping[str, str] | None:
        """The Authentication-Info for accepted credentials: ``rspauth``, ``nextnonce``.

        ``rspauth`` proves the server knows the password (RFC 7616 §3.5); it is left
        out for ``qop=auth-int``, whose ``rspauth`` hashes the response content, which
        the middleware has not seen yet.

        Returns:
            The params, or None for credentials that are not this verifier's Digest.
        """
        if ascii_lower(credentials.scheme) != "digest":
            return None
        try:
            view = digest.DigestCredentials.from_credentials(credentials)
        except ParseError:
            return None
        user = self._user(view)
        if user is None:
            return None
        nextnonce = self.new_nonce() if self._nextnonce else None
        if view.qop is not None and ascii_lower(view.qop) == digest.QOP_AUTH_INT:
            return None if nextnonce is None else {"nextnonce": nextnonce}
        name, password = user
        return digest.authentication_info(
            view,
            password=password,
            username=name if view.userhash else None,
            nextnonce=nextnonce,
        )
