"""The server-side gate shared by the ASGI and WSGI middleware: credentials, verify, decide.

Standard library only. :class:`wwwauth.integrations.asgi.AuthMiddleware` and
:class:`wwwauth.integrations.wsgi.AuthMiddleware` adapt their request and response to a
:class:`_Gate`, which calls your ``verify`` with the parsed credentials and a
:class:`RequestInfo`, your optional ``authorize`` with what ``verify`` returned, and
answers with :func:`wwwauth.decide` (401, 400, 403, 407, one field line per challenge,
Bearer error codes). What is a grant, and what a failing callback gives, is in
:mod:`wwwauth.integrations.server`.

>>> RequestInfo(method="GET", target="/").target_is_raw
True
"""

from __future__ import annotations

import enum
import hashlib
import inspect
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from http import HTTPStatus
from typing import TYPE_CHECKING, Final, TypeVar

from .. import digest
from .._registry import (
    AUTHENTICATION_INFO,
    AUTHORIZATION,
    PROXY_AUTHENTICATION_INFO,
    PROXY_AUTHORIZATION,
)
from ..decide import _GRANTED, Decision, _check_challenges, decide
from ..errors import ParseError
from ..formatting import format_authentication_info
from ..model import Challenge, Credentials, ascii_lower
from ..parsing import parse_authorization, parse_proxy_authorization
from ._exclude import ExcludeRule
from ._gate_options import DEFAULT_MAX_BODY
from ._log import where as _where
from ._request import RequestInfo

if TYPE_CHECKING:
    from ._gate_options import _GateOptions

__all__ = [
    "DEFAULT_MAX_BODY",
    "PRINCIPAL_KEY",
    "STALE",
    "AsyncAuthorize",
    "AsyncVerify",
    "Authorize",
    "ChallengeSource",
    "ExcludeRule",
    "InfoCallback",
    "NonceCheck",
    "RequestInfo",
    "Stale",
    "Verify",
]

# Where the middleware puts the verified principal: ASGI scope / WSGI environ key.
PRINCIPAL_KEY: Final = "wwwauth.principal"

# Exceptions, and refusals the developer should hear about, go here (never a credential).
_logger = logging.getLogger("wwwauth.integrations")


class Stale(enum.Enum):
    """The type of :data:`STALE`."""

    STALE = "stale"


# What ``verify`` returns when Digest credentials are right but their nonce expired:
# the middleware re-issues the Digest challenges with stale=true (RFC 7616 §3.3).
STALE: Final = Stale.STALE


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


class _NonceIssuer:
    """A ``verify`` (or challenge source) that issues Digest nonces and can tell them.

    The gate asks :meth:`is_issued_nonce` of every one in play before it reads the
    content of an ``auth-int`` request (:class:`~wwwauth.integrations.server.DigestVerifier`
    is one).
    """

    def is_issued_nonce(self, nonce: str) -> bool:
        """Whether ``nonce`` was issued here (cheaply: before any user lookup)."""
        raise NotImplementedError


# What verify and authorize return most: never awaitable, told by one type check.
_PLAIN_RESULTS: Final = frozenset({str, bool, type(None), int, dict, tuple, Stale})


def _is_awaitable(value: object) -> bool:
    if type(value) in _PLAIN_RESULTS:
        return False
    return inspect.isawaitable(value) or inspect.isasyncgen(value)


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


def _is_auth_int(qop: str | None) -> bool:
    """Whether a credentials' ``qop`` is ``auth-int`` (RFC 7616 §3.4: the content is hashed)."""
    return qop is not None and ascii_lower(qop) == digest.QOP_AUTH_INT


def _offers_auth_int(challenge: Challenge) -> bool:
    """Whether ``challenge`` is Digest with ``auth-int`` among its qop options (RFC 7616 §3.3)."""
    if ascii_lower(challenge.scheme) != "digest":
        return False
    qop = challenge.params.get("qop")
    # RFC 7616 §3.3: qop-options = "qop" "=" DQUOTE qop-value *("," qop-value) DQUOTE
    return qop is not None and any(
        ascii_lower(option.strip(" \t")) == digest.QOP_AUTH_INT for option in qop.split(",")
    )


def _accepted_by_decide(challenges: Sequence[ChallengeSource]) -> bool:
    """Whether :func:`wwwauth.decide` accepts ``challenges`` (else it raises, as before)."""
    try:
        _check_challenges(challenges)  # type: ignore[arg-type]  # it checks the types
    except (TypeError, ValueError):
        return False
    return True


class _Outcome:
    """The gate's answer: the decision, the principal when granted, headers to add then.

    Read-only by convention (a slotted class, not a frozen dataclass: built on every
    request, and a frozen dataclass's ``__init__`` costs three times as much).
    """

    __slots__ = ("decision", "granted_headers", "principal")

    def __init__(
        self,
        decision: Decision,
        principal: object = None,
        granted_headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.decision: Final = decision
        self.principal: Final = principal
        self.granted_headers: Final = granted_headers

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
        options: the challenges, verify, authorize, proxy, authentication_info,
            check_nonce and max_body of ``AuthMiddleware`` (or a ``Protection``).

    Raises:
        ValueError: ``challenges`` is empty, or ``max_body`` negative.
    """

    def __init__(self, options: _GateOptions) -> None:
        challenges, verify, proxy = options.challenges, options.verify, options.proxy
        if isinstance(challenges, Challenge) or not challenges:
            raise ValueError("challenges must be a non-empty sequence (RFC 9110 §15.5.2)")
        if options.max_body < 0:
            raise ValueError("max_body must not be negative")
        self._challenges = tuple(challenges)
        self._verify = verify
        self._authorize = authorize = options.authorize
        self.proxy = proxy
        self._authentication_info = authentication_info = options.authentication_info
        self.max_body = options.max_body
        # RFC 9110 §11.7.2: a proxy reads Proxy-Authorization; §11.6.2 Authorization
        self.credentials_header: Final = ascii_lower(
            PROXY_AUTHORIZATION if proxy else AUTHORIZATION
        )
        checks = [] if options.check_nonce is None else [options.check_nonce]
        sources: tuple[object, ...] = (*self._challenges, verify)
        for source in sources:
            owner = (
                source if isinstance(source, _NonceIssuer) else getattr(source, "__self__", None)
            )
            if isinstance(owner, _NonceIssuer) and owner.is_issued_nonce not in checks:
                checks.append(owner.is_issued_nonce)
        self._nonce_checks = tuple(checks)
        self._warned_no_nonce_check = False
        # Fixed challenges (no source called per response) that decide() accepts: then
        # a grant is decide's GRANTED without asking it (see _decided), and the
        # no-credentials refusal is the same object for every request.
        self._static = all(isinstance(source, Challenge) for source in self._challenges)
        self._valid_static = self._static and _accepted_by_decide(self._challenges)
        self._no_credentials: _Outcome | None = None
        self._plain_grant = self._valid_static and authorize is None and authentication_info is None
        self._parse_value: Final = parse_proxy_authorization if proxy else parse_authorization
        self._static_auth_int = self._static and any(
            _offers_auth_int(source) for source in self._challenges if isinstance(source, Challenge)
        )
        # False when no request can want its content read (no challenge offers auth-int).
        self.may_want_body: Final = not self._static or self._static_auth_int

    def current_challenges(self) -> list[Challenge]:
        """The challenges for this request (a fresh Digest nonce from each source)."""
        if self._static:
            return list(self._challenges)  # type: ignore[arg-type]  # all Challenge
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
        if value is None or (self._static and not self._static_auth_int):
            return False
        if not any(_offers_auth_int(challenge) for challenge in challenges):
            return False
        nonce = self._auth_int_nonce(value)
        return nonce is not None and self._is_issued_nonce(nonce)

    def _auth_int_nonce(self, value: str) -> str | None:
        """The nonce of Digest auth-int credentials worth reading the content for, or None."""
        try:
            credentials = self._parse_value(value)
        except ParseError:
            return None
        params = credentials.params
        nonce, algorithm = params.get("nonce"), params.get("algorithm")
        if (
            ascii_lower(credentials.scheme) != "digest"
            or not _is_auth_int(params.get("qop"))
            or not nonce
        ):
            return None
        if algorithm is not None and _is_sha512_256(algorithm) and not _sha512_256_is_native():
            return None  # pure-Python SHA-512/256 of a large body costs seconds
        return nonce

    def _is_issued_nonce(self, nonce: str) -> bool:
        """Whether a nonce check says ``nonce`` was issued here (a failing check: no)."""
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

    def _refused(
        self,
        challenges: list[Challenge],
        credentials: Credentials | str | None,
        *,
        stale: bool = False,
    ) -> _Outcome:
        """:func:`wwwauth.decide`'s refusal of unauthenticated ``credentials`` (401, 400, 407)."""
        return _Outcome(
            decide(
                challenges=challenges,
                credentials=credentials,
                authenticated=False,
                proxy=self.proxy,
                stale=stale,
            )
        )

    def _no_credentials_refusal(self, challenges: list[Challenge]) -> _Outcome:
        """The refusal of a request without credentials (401, 407)."""
        if not self._valid_static:
            return self._refused(challenges, None)
        # decide() gives the same answer for the same fixed challenges every time.
        known = self._no_credentials
        if known is None:
            known = self._no_credentials = self._refused(challenges, None)
        return known

    def _refusal(
        self, challenges: list[Challenge], credentials: Credentials, result: object
    ) -> _Outcome | None:
        """The refusal for what ``verify`` returned, or None when it is a principal."""
        if _is_awaitable(result):
            return _not_awaited("verify", result)
        if result is STALE:
            try:
                return self._refused(challenges, credentials, stale=True)
            except ValueError:
                result = None  # not Digest after all: an ordinary refusal
        # Fail closed: None and False are refusals (``return password == stored``).
        if result is None or result is False:
            return self._refused(challenges, credentials)
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
        if allowed is not True and _is_awaitable(allowed):  # True: the common grant, quickly
            return _not_awaited("authorize", allowed)
        if allowed is True and self._valid_static:
            # What decide() answers here, without asking it. The gate never passes a
            # continuation or stale=True with authenticated=True; the challenges are the
            # fixed ones _accepted_by_decide checked (frozen: still valid); credentials
            # are parsed Credentials (decide reads them without raising). Then decide
            # checks the challenges, builds its context, finds no final token and
            # returns its _granted(context, ()), which is always GRANTED: 200, no
            # header lines. tests/test_gate_fast_paths.py checks this equality.
            decision = _GRANTED
        else:
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
                    name = PROXY_AUTHENTICATION_INFO if self.proxy else AUTHENTICATION_INFO
                    granted = ((name, format_authentication_info(params)),)
            except Exception as exc:  # noqa: BLE001 - any failure of a callback is a 500, logged
                return _crashed("authentication_info", exc)
        return _Outcome(decision, principal, granted)

    def check(
        self, challenges: list[Challenge], request: RequestInfo, value: str | None
    ) -> _Outcome:
        """Decide on ``request`` carrying the credentials field ``value`` (or none).

        An awaitable from ``verify``, ``authorize`` or ``authentication_info`` is a 500.
        """
        steps = self._check(challenges, request, value, awaiting=False)
        try:
            steps.send(None)
        except StopIteration as done:
            outcome: _Outcome = done.value
            return outcome
        # Unreachable: without ``awaiting`` nothing is awaited. Fail closed all the same.
        steps.close()
        raise RuntimeError("the gate awaited while checking synchronously")

    def check_async(
        self, challenges: list[Challenge], request: RequestInfo, value: str | None
    ) -> Coroutine[object, None, _Outcome]:
        """:meth:`check`, awaiting what ``verify`` and ``authorize`` return when awaitable.

        An awaitable that gives an awaitable is a 500, as is one from
        ``authentication_info``. (The coroutine of the check itself, without a frame of
        its own around it.)
        """
        return self._check(challenges, request, value, awaiting=True)

    async def _check(
        self,
        challenges: list[Challenge],
        request: RequestInfo,
        value: str | None,
        *,
        awaiting: bool,
    ) -> _Outcome:
        """Both checks: the callbacks' awaitables are awaited only when ``awaiting``."""
        if value is None:
            return self._no_credentials_refusal(challenges)
        try:
            credentials = self._parse_value(value)
        except ParseError:
            # decide tells a malformed Bearer (400) from other broken attempts (401).
            return self._refused(challenges, value)
        try:
            result = self._verify(credentials, request)
            if awaiting and type(result) not in _PLAIN_RESULTS and inspect.isawaitable(result):
                result = await result
        except ValueError:
            result = None  # ParseError, or digest.verify on odd parameters: not verified
        except Exception as exc:  # noqa: BLE001 - any failure of a callback is a 500, logged
            return _crashed("verify", exc)
        if (
            result is None
            or result is False
            or result is STALE
            or type(result) not in _PLAIN_RESULTS  # perhaps awaitable
        ):
            refusal = self._refusal(challenges, credentials, result)
            if refusal is not None:
                return refusal
        # Else a principal: _refusal would return None for it.
        if self._plain_grant:
            # What _decided(..., allowed=True) returns without authentication_info.
            return _Outcome(_GRANTED, result)
        allowed: object = True
        if self._authorize is not None:
            try:
                allowed = self._authorize(result, request)
                if awaiting and allowed is not True and inspect.isawaitable(allowed):
                    allowed = await allowed
            except Exception as exc:  # noqa: BLE001 - any failure of a callback is a 500, logged
                return _crashed("authorize", exc)
        return self._decided(challenges, credentials, request, result, allowed)
