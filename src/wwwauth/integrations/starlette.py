"""Starlette: an authentication backend and a per-route decorator built on :class:`Protection`.

Needs Starlette (``pip install 'pywwwauth[starlette]'``); nothing else in
``wwwauth.integrations`` imports this module.

* :func:`protect` guards one endpoint: a request it does not grant is answered with
  :func:`wwwauth.decide`'s answer (401 with one ``WWW-Authenticate`` field line per
  challenge, 400 for malformed Bearer credentials, 403 with Bearer
  ``error="insufficient_scope"`` for a principal lacking a scope the route needs), never
  Starlette's ``@requires`` answer (403 without a challenge). A granted request reaches
  the endpoint with ``request.user`` an :class:`AuthUser` holding the principal,
  ``request.auth.scopes`` the principal's scopes and ``"authenticated"``, and the
  principal under ``request.scope["wwwauth.principal"]``.
* :class:`AuthBackend` is a Starlette ``AuthenticationBackend`` for
  ``AuthenticationMiddleware``: it fills ``request.user`` / ``request.auth`` for every
  route from the same :class:`Protection` and leaves routes without :func:`protect`
  open. Give the middleware ``on_error=backend.on_error`` (or use
  :meth:`AuthBackend.middleware`): Starlette's default answers 400 with the exception's
  message. :func:`protect` reuses the backend's verdict instead of verifying twice.

``verify`` and ``authorize`` may be coroutine functions (awaited) or plain functions (run
in Starlette's thread pool, like a sync endpoint, so a password hash does not stall the
event loop). An exception in them is logged without its message and answered 500.
Refusal bodies are the :class:`Protection`'s (plain text, RFC 9457 problem+json or your
own). Digest ``auth-int`` is not offered here: the request content is not read before
the route runs, so ``verify`` sees ``body=None``.

>>> from starlette.applications import Starlette
>>> from starlette.requests import Request
>>> from starlette.responses import PlainTextResponse
>>> from starlette.routing import Route
>>> from starlette.testclient import TestClient
>>> from wwwauth import basic, bearer
>>> from wwwauth.integrations.protect import Protection
>>> from wwwauth.integrations.verifiers import BasicVerifier
>>> protection = Protection[str](
...     challenges=[bearer.challenge(realm="example"), basic.challenge("example")],
...     verify=BasicVerifier({"aladdin": "open sesame"}),
... )
>>> @protect(protection)
... async def private(request: Request) -> PlainTextResponse:
...     return PlainTextResponse(request.user.principal)
>>> client = TestClient(Starlette(routes=[Route("/private", private)]))
>>> client.get("/private").headers.get_list("WWW-Authenticate")
['Bearer realm="example"', 'Basic realm="example"']
>>> client.get("/private", auth=("aladdin", "open sesame")).text
'aladdin'
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Iterable
from typing import Final, Generic, ParamSpec, TypeVar, cast, overload

from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    AuthenticationError,
    BaseUser,
)
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response

from ._asgi_request import request_from_scope
from ._gate import PRINCIPAL_KEY, RequestInfo
from ._gate_options import _is_async_callable
from .protect import Answer, Protection
from .verifiers import scopes_of

__all__ = [
    "AuthBackend",
    "AuthRefused",
    "AuthUser",
    "check",
    "protect",
    "request_info",
    "response_for",
]

_P = TypeVar("_P")
_Params = ParamSpec("_Params")

# Where AuthBackend leaves its verdict for protect: (protection, credentials, answer).
_VERDICT_KEY: Final = "wwwauth.verdict"


class AuthUser(BaseUser, Generic[_P]):
    """``request.user`` of a granted request: an authenticated user holding the principal.

    Attributes:
        principal: what ``verify`` returned.

    >>> AuthUser("aladdin").display_name
    'aladdin'
    """

    def __init__(self, principal: _P) -> None:
        self.principal: Final = principal

    @property
    def is_authenticated(self) -> bool:
        """Always True: only a granted request has an :class:`AuthUser`."""
        return True

    @property
    def display_name(self) -> str:
        """The principal's ``name`` (a str), or the principal itself when it is a str."""
        if isinstance(self.principal, str):
            return self.principal
        name = getattr(self.principal, "name", "")
        return name if isinstance(name, str) else ""

    @property
    def identity(self) -> str:
        """Same as :attr:`display_name`."""
        return self.display_name

    def __repr__(self) -> str:
        return f"AuthUser({self.display_name!r})"


class AuthRefused(AuthenticationError):
    """Raised by :class:`AuthBackend` when a callback failed; carries the answer (a 500).

    Its message is the decision's reason, which never quotes a credential.

    Attributes:
        answer: the :class:`~wwwauth.integrations.protect.Answer` to send.
    """

    def __init__(self, answer: Answer[object]) -> None:
        super().__init__(answer.decision.reason)
        self.answer: Final = answer


def request_info(
    conn: HTTPConnection, header: str = "authorization"
) -> tuple[RequestInfo, str | None]:
    """What ``verify`` sees of ``conn``, and the value of its credentials field ``header``.

    The target is the raw one when the server gave it; several field lines of ``header``
    are joined with ", " as RFC 9110 §5.3 says (the strict parser then refuses them).

    >>> from starlette.requests import Request
    >>> request = Request({"type": "http", "method": "GET", "path": "/a",
    ...                    "headers": [(b"authorization", b"Bearer t")]})
    >>> info, value = request_info(request)
    >>> info.target, value
    ('/a', 'Bearer t')
    """
    return request_from_scope(conn.scope, header)


def response_for(answer: Answer[object]) -> Response:
    """The Starlette response of a refusal: its status, each header on its own field line, body.

    >>> from starlette.requests import Request
    >>> from wwwauth import basic, bearer
    >>> protection = Protection[str](
    ...     challenges=[bearer.challenge(realm="a"), basic.challenge("a")],
    ...     verify=lambda credentials, request: None)
    >>> info, value = request_info(Request({"type": "http", "path": "/private", "headers": []}))
    >>> response = response_for(protection.check(info, value))
    >>> response.status_code, response.headers.getlist("www-authenticate")
    (401, ['Bearer realm="a"', 'Basic realm="a"'])
    """
    response = Response(content=answer.body, status_code=answer.status)
    for name, value in answer.headers:
        # One field line per entry: MutableHeaders.append never merges (RFC 9110 §5.3).
        response.headers.append(name, value)
    return response


def _grant(conn: HTTPConnection, principal: object) -> None:
    scope = conn.scope
    scope[PRINCIPAL_KEY] = principal
    scope["user"] = AuthUser(principal)
    scope["auth"] = AuthCredentials(["authenticated", *sorted(scopes_of(principal))])


def _is_async(protection: Protection[_P]) -> bool:
    return any(
        function is not None and _is_async_callable(function)
        for function in (protection.verify, protection.authorize)
    )


async def check(protection: Protection[_P], conn: HTTPConnection) -> tuple[str | None, Answer[_P]]:
    """Check ``conn`` against ``protection``: its credentials value and the answer.

    Coroutine-function callbacks are awaited in the event loop; plain ones run in
    Starlette's thread pool (as Starlette and FastAPI run sync endpoints and
    dependencies), so a slow password hash does not stall the loop.
    """
    info, value = request_info(conn, protection.credentials_header)
    if _is_async(protection):
        return value, await protection.check_async(info, value)
    return value, await run_in_threadpool(protection.check, info, value)


class AuthBackend(AuthenticationBackend, Generic[_P]):
    """A Starlette authentication backend: ``request.user`` from a :class:`Protection`.

    Requests without credentials, and requests whose credentials are refused, go on
    unauthenticated (``request.user.is_authenticated`` is False): routes without
    :func:`protect` stay open, and :func:`protect` answers the refusal with its
    challenges. A failing callback (500) is raised as :class:`AuthRefused`, which
    :meth:`on_error` answers.

    Args:
        protection: the challenges, ``verify``, scopes and ``authorize`` to apply.

    >>> from wwwauth import basic
    >>> backend = AuthBackend(Protection[str](challenges=[basic.challenge("a")],
    ...                                       verify=lambda credentials, request: None))
    >>> backend.middleware().cls.__name__
    'AuthenticationMiddleware'
    """

    def __init__(self, protection: Protection[_P]) -> None:
        self.protection: Final = protection

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        """The credentials and user of a granted request; None for any other.

        Raises:
            AuthRefused: a callback raised (the answer is a 500).
        """
        value, answer = await check(self.protection, conn)
        conn.scope[_VERDICT_KEY] = (self.protection, value, answer)
        if answer.status >= 500:
            raise AuthRefused(answer)
        if not answer.granted:
            return None
        _grant(conn, answer.principal)
        return conn.scope["auth"], conn.scope["user"]

    def on_error(self, conn: HTTPConnection, exc: AuthenticationError) -> Response:
        """``on_error`` for ``AuthenticationMiddleware``: answer with the Protection's answer.

        An :class:`AuthRefused` is sent as it is. Any other ``AuthenticationError`` (from
        a backend of yours) is a refusal: 401 with the challenges, never its message.
        """
        if isinstance(exc, AuthRefused):
            return response_for(exc.answer)
        info, _ = request_info(conn, self.protection.credentials_header)
        return response_for(self.protection.check(info, None))

    def middleware(self) -> Middleware:
        """``Middleware(AuthenticationMiddleware, backend=self, on_error=self.on_error)``."""
        return Middleware(AuthenticationMiddleware, backend=self, on_error=self.on_error)


async def _verdict(
    protection: Protection[_P], base: Protection[_P], conn: HTTPConnection
) -> Answer[_P]:
    """The answer for this route, reusing :class:`AuthBackend`'s when it is the same."""
    cached = conn.scope.get(_VERDICT_KEY)
    if isinstance(cached, tuple) and len(cached) == 3 and cached[0] is base:
        _, value, answer = cached
        _, current = request_info(conn, protection.credentials_header)
        # The scopes a route adds only turn a grant into a 403: a refusal stands as it is.
        if value == current and (
            not answer.granted or protection.scopes <= scopes_of(answer.principal)
        ):
            return cast(Answer[_P], answer)
    return (await check(protection, conn))[1]


def _request_of(
    signature: inspect.Signature, args: tuple[object, ...], kwargs: dict[str, object]
) -> Request:
    names = list(signature.parameters)
    index = names.index("request") if "request" in names else 0
    found = kwargs.get("request", args[index] if index < len(args) else None)
    if not isinstance(found, Request):
        raise TypeError("a protected endpoint takes the request (a parameter named 'request')")
    return found


class _Protect(Generic[_P]):
    def __init__(self, protection: Protection[_P], scopes: Iterable[str]) -> None:
        needed = frozenset(scopes)
        self.base: Final = protection
        self.protection: Final = protection.needing(needed) if needed else protection

    @overload
    def __call__(
        self, endpoint: Callable[_Params, Awaitable[Response]]
    ) -> Callable[_Params, Awaitable[Response]]: ...

    @overload
    def __call__(
        self, endpoint: Callable[_Params, Response]
    ) -> Callable[_Params, Awaitable[Response]]: ...

    def __call__(
        self, endpoint: Callable[_Params, Awaitable[Response]] | Callable[_Params, Response]
    ) -> Callable[_Params, Awaitable[Response]]:
        signature = inspect.signature(endpoint)
        is_async = inspect.iscoroutinefunction(endpoint)

        @functools.wraps(endpoint)
        async def guarded(*args: _Params.args, **kwargs: _Params.kwargs) -> Response:
            request = _request_of(signature, args, kwargs)
            answer = await _verdict(self.protection, self.base, request)
            if not answer.granted:
                return response_for(answer)
            _grant(request, answer.principal)
            if is_async:
                response = await cast(Callable[_Params, Awaitable[Response]], endpoint)(
                    *args, **kwargs
                )
            else:
                response = await run_in_threadpool(
                    cast(Callable[_Params, Response], endpoint), *args, **kwargs
                )
            for name, value in answer.headers:  # Authentication-Info, when configured
                response.headers.append(name, value)
            return response

        return guarded


def protect(protection: Protection[_P], *, scopes: Iterable[str] = ()) -> _Protect[_P]:
    """Guard a Starlette endpoint (a function or an ``HTTPEndpoint`` method) with ``protection``.

    Args:
        protection: the challenges, ``verify``, scopes and ``authorize`` to apply.
        scopes: scopes this route needs on top of ``protection.scopes``: a principal
            lacking one gets 403 (Bearer: ``error="insufficient_scope"``, ``scope``).

    Returns:
        A decorator. The endpoint must take the request as a parameter named
        ``request`` (or as its first argument); a sync endpoint runs in the thread pool.

    Raises:
        ValueError: a scope is not a scope-token (RFC 6749 §3.3).
    """
    return _Protect(protection, scopes)
