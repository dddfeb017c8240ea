"""What every framework adapter shares: protect one route, answer in the framework's terms.

:class:`Protection` is the framework-neutral core of the adapters in
``wwwauth.integrations`` (FastAPI, Starlette, Django, Flask, aiohttp, Litestar): it reads
the credentials field, calls ``verify``, checks the scopes the route needs and
``authorize``, and answers with :func:`wwwauth.decide` — so a request is treated the same
in every framework. An adapter turns the framework's request into a
:class:`~wwwauth.integrations.server.RequestInfo` and the credentials value, calls
:meth:`Protection.check` (or :meth:`Protection.check_async`), and turns the
:class:`Answer` into the framework's response, **one field line per header entry**.

It fails closed like the middleware: a request is granted only when ``verify`` returns a
principal (not None, not False, not ``STALE``, not an awaitable it cannot await), the
principal holds every scope the route needs, and ``authorize`` (if given) returns exactly
``True``. Exceptions from the callbacks are logged without their message and answered 500.

Scopes (RFC 6750 §3.1): a route that needs scopes refuses a verified principal that
lacks one with 403; the Bearer challenges of that 403 carry
``error="insufficient_scope"`` and ``scope="..."`` (the scopes the route needs). A
principal holds the scopes :func:`~wwwauth.integrations.verifiers.scopes_of` finds: a
``scopes`` set of str, as on a :class:`~wwwauth.integrations.verifiers.Principal`; a
principal without one (a Basic user name, or ``scopes`` given as a str) holds none, so it
gets a plain 403.

Refusal bodies: plain text by default, RFC 9457 ``application/problem+json`` with
``refusal_body="problem"``, or your own with a callable. None of them ever holds a
credential: they are built from the decision's reason, which never quotes one.

>>> from wwwauth import basic
>>> from wwwauth.integrations.server import RequestInfo
>>> protection = Protection(
...     challenges=[basic.challenge("example")],
...     verify=lambda credentials, request: None,
... )
>>> answer = protection.check(RequestInfo(method="GET", target="/"), None)
>>> answer.status, answer.headers[0]
(401, ('WWW-Authenticate', 'Basic realm="example"'))
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Final, Generic, Literal, TypeVar

from .._abnf import CTL_RE, NQCHAR
from .._oauth import check_chars
from ..decide import Decision, decide
from ..model import Challenge, ascii_lower
from ._gate import (
    DEFAULT_MAX_BODY,
    ChallengeSource,
    InfoCallback,
    NonceCheck,
    RequestInfo,
    _Gate,
    _Outcome,
)
from ._gate_options import _first_async
from .verifiers import scopes_of

__all__ = [
    "PROBLEM_JSON",
    "Answer",
    "Protection",
    "RefusalBody",
]

_logger = logging.getLogger("wwwauth.integrations")

# RFC 9457 §3: the media type of a problem details object.
PROBLEM_JSON: Final = "application/problem+json"

_P = TypeVar("_P")
_P_co = TypeVar("_P_co", covariant=True)


# refusal_body(decision) -> (content type, body). Never put a credential in it.
RefusalBody = Literal["text", "problem"] | Callable[[Decision], tuple[str, bytes]]


@dataclass(frozen=True, slots=True)
class Answer(Generic[_P_co]):
    """What to send: the status, the header fields (one entry per field line), the body.

    Attributes:
        status: 200 when granted; else the refusal's status (400, 401, 403, 407, 413,
            500).
        headers: the header fields to add, in order, each its own field line: the
            challenges of a refusal (``WWW-Authenticate`` or ``Proxy-Authenticate``) and
            its ``Content-Type``; ``Authentication-Info`` on a grant when configured.
        body: the refusal's content (empty on a grant).
        principal: what ``verify`` returned, on a grant only; None otherwise.
        decision: the :class:`~wwwauth.Decision` behind the answer.
    """

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    principal: _P_co | None
    decision: Decision

    @property
    def granted(self) -> bool:
        """Whether the request may go on to the route (status 200 and a principal)."""
        return self.status == HTTPStatus.OK and self.principal is not None


def _text_body(decision: Decision) -> tuple[str, bytes]:
    return "text/plain; charset=utf-8", (decision.reason + "\n").encode("utf-8")


def _problem_body(decision: Decision) -> tuple[str, bytes]:
    # RFC 9457 §3.1: type (about:blank: the status says it all, §4.2.1), title, status,
    # detail. The reason never quotes a credential.
    status = HTTPStatus(decision.status)
    problem = {
        "type": "about:blank",
        "title": status.phrase,
        "status": int(status),
        "detail": decision.reason,
    }
    return PROBLEM_JSON, json.dumps(problem).encode("utf-8")


def _holds(principal: object, needed: frozenset[str]) -> bool:
    """Whether ``principal`` was granted every scope in ``needed`` (fails closed)."""
    return not needed or needed <= scopes_of(principal)


def _scope_set(scopes: Iterable[str]) -> frozenset[str]:
    if isinstance(scopes, str):  # frozenset("admin") would be five one-letter scopes
        raise TypeError('scopes takes a list of scope tokens (["admin"]), not a str')
    needed = frozenset(scopes)
    for scope in needed:
        check_chars("a scope-token", scope, NQCHAR, "RFC 6749 §3.3 scope-token = 1*NQCHAR")
    return needed


def _with_scope(challenge: Challenge, needed: frozenset[str]) -> Challenge:
    """A Bearer challenge naming the scopes needed (RFC 6750 §3); others unchanged."""
    if ascii_lower(challenge.scheme) != "bearer" or challenge.token68 is not None:
        return challenge
    params = {name: value for name, value in challenge.params.items() if name != "scope"}
    return Challenge(challenge.scheme, {**params, "scope": " ".join(sorted(needed))})


class Protection(Generic[_P]):
    """The protection of a route: challenges, verifier, scopes, authorize, refusal body.

    Args:
        challenges: what the route accepts, in order of preference (each a
            :class:`~wwwauth.Challenge` or a callable giving a fresh one, such as a
            :class:`~wwwauth.integrations.server.DigestVerifier`); each is sent on its own
            field line.
        verify: ``verify(credentials, request)`` → a principal, or None / False (not
            verified), or ``STALE``; may be a coroutine function for
            :meth:`check_async`. A ``ValueError`` means "not verified".
        scopes: the scopes a principal must hold (see the module docstring).
        authorize: ``authorize(principal, request)`` → exactly ``True`` to allow.
        proxy: answer as a forward proxy (407, ``Proxy-Authenticate``,
            ``Proxy-Authorization``).
        refusal_body: ``"text"`` (default), ``"problem"`` (RFC 9457), or a callable
            ``(decision) -> (content type, body)``; if it raises, the text body is sent
            (the refusal stands).
        authentication_info, check_nonce, max_body: as for the middleware.

    Raises:
        ValueError: ``challenges`` is empty; a scope is not a scope-token.
        TypeError: ``scopes`` is a single str (give a list: ``["admin"]``).
    """

    def __init__(
        self,
        *,
        challenges: Sequence[ChallengeSource],
        verify: Callable[..., object],
        scopes: Iterable[str] = (),
        authorize: Callable[..., object] | None = None,
        proxy: bool = False,
        refusal_body: RefusalBody = "text",
        authentication_info: InfoCallback | None = None,
        check_nonce: NonceCheck | None = None,
        max_body: int = DEFAULT_MAX_BODY,
    ) -> None:
        self.challenges: Final = tuple(challenges)
        self.scopes = _scope_set(scopes)
        self.verify: Final = verify
        self.authorize: Final = authorize
        self.proxy: Final = proxy
        self.refusal_body: Final = refusal_body
        self.authentication_info: Final = authentication_info
        self.check_nonce: Final = check_nonce
        self.max_body: Final = max_body
        self._gate: Final = _Gate(self)
        # The protections of routes that need more scopes, by the scopes added (needing).
        self._needing: dict[frozenset[str], Protection[_P]] = {frozenset(): self}

    @property
    def credentials_header(self) -> str:
        """The request field to read, lower-cased: ``authorization`` or ``proxy-authorization``."""
        return self._gate.credentials_header

    @property
    def challenge_header(self) -> str:
        """The response field of the challenges (RFC 9110 §11.6.1, §11.7.1)."""
        return "Proxy-Authenticate" if self.proxy else "WWW-Authenticate"

    def needing(self, scopes: Iterable[str]) -> Protection[_P]:
        """This protection for a route that needs ``scopes`` too (same gate).

        Remembered per set of scopes: asked again for the same scopes, it gives the same
        object (a frozenset is looked up as it is, so a per-request call costs a lookup).
        """
        key = scopes if type(scopes) is frozenset else _scope_set(scopes)
        known = self._needing.get(key)
        if known is None:
            known = copy.copy(self)
            known.scopes = self.scopes | _scope_set(key)
            known._needing = {frozenset(): known}
            self._needing[key] = known
        return known

    def require_sync(self, framework: str) -> None:
        """Refuse coroutine-function callbacks, for a framework that cannot await them.

        Raises:
            TypeError: ``verify`` or ``authorize`` is a coroutine function.
        """
        role = _first_async(self, ("verify", "authorize"))
        if role is not None:
            raise TypeError(
                f"{framework} calls {role} synchronously: give a plain function, "
                "not a coroutine function"
            )

    def check(self, request: RequestInfo, value: str | None) -> Answer[_P]:
        """Decide on ``request`` carrying the credentials ``value`` (None when absent).

        An awaitable from a callback is refused (500): use :meth:`check_async`.
        """
        challenges = self._gate.current_challenges()
        return self._answer(challenges, value, self._gate.check(challenges, request, value))

    async def check_async(self, request: RequestInfo, value: str | None) -> Answer[_P]:
        """:meth:`check`, awaiting what ``verify`` and ``authorize`` return."""
        challenges = self._gate.current_challenges()
        outcome = await self._gate.check_async(challenges, request, value)
        return self._answer(challenges, value, outcome)

    def _answer(
        self, challenges: list[Challenge], value: str | None, outcome: _Outcome
    ) -> Answer[_P]:
        decision = outcome.decision
        principal = outcome.principal
        if decision.status == HTTPStatus.OK and not _holds(principal, self.scopes):
            # RFC 6750 §3.1: insufficient_scope, 403, naming the scopes needed.
            decision = decide(
                challenges=[_with_scope(c, self.scopes) for c in challenges],
                credentials=value,
                authenticated=True,
                authorized=False,
                proxy=self.proxy,
            )
        if decision.status == HTTPStatus.OK:
            # The gate grants only a principal; the cast is its promise.
            granted: _P = principal  # type: ignore[assignment]
            return Answer(int(decision.status), outcome.granted_headers, b"", granted, decision)
        content_type, body = self._body(decision)
        headers = (*decision.headers, ("Content-Type", content_type))
        return Answer(int(decision.status), headers, body, None, decision)

    def _body(self, decision: Decision) -> tuple[str, bytes]:
        style = self.refusal_body
        if style == "text":
            return _text_body(decision)
        if style == "problem":
            return _problem_body(decision)
        try:
            result: object = style(decision)
        except Exception as exc:  # noqa: BLE001 - a failing body hook must not grant or crash
            _logger.error(
                "refusal_body raised %s: sent the plain-text body", type(exc).__qualname__
            )
            return _text_body(decision)
        match result:
            # no header injection through the hook's content type
            case (str() as content_type, bytes() as body) if not CTL_RE.search(content_type):
                return content_type, body
        _logger.error("refusal_body returned an unusable value: sent the plain-text body")
        return _text_body(decision)
