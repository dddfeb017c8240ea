"""aiohttp: a whole-app middleware and a per-handler decorator built on :class:`Protection`.

Needs aiohttp (``pip install 'pywwwauth[aiohttp]'``); nothing else in
``wwwauth.integrations`` imports this module.

* :meth:`Auth.required` guards one handler (a function, or a method of a
  ``web.View``): a request it does not grant is answered with :func:`wwwauth.decide`'s
  answer (401 with one ``WWW-Authenticate`` field line per challenge, 400 for malformed
  Bearer credentials, 403 with Bearer ``error="insufficient_scope"`` for a principal
  lacking a scope the handler needs), with the :class:`Protection`'s refusal body
  (plain text, RFC 9457 problem+json or your own).
* :attr:`Auth.middleware` guards every request of the app except the ``exclude``\\ d
  ones; a handler with its own :meth:`Auth.required` is checked by that decorator only
  (once per request).

A granted request reaches the handler with the principal in
``request["wwwauth.principal"]`` and, typed, from :meth:`Auth.principal`. ``verify`` and
``authorize`` may be plain functions (called in the event loop: keep them quick) or
coroutine functions (awaited), so :class:`~wwwauth.integrations.verifiers.AsyncBasicVerifier`
and :class:`~wwwauth.integrations.verifiers.AsyncBearerVerifier` fit. An exception in
them is logged without its message and answered 500. Digest ``auth-int`` is not offered
here: the request content is not read before the handler runs, so ``verify`` sees
``body=None``.

>>> import asyncio
>>> from aiohttp import web
>>> from aiohttp.test_utils import TestClient, TestServer
>>> from wwwauth import basic, bearer
>>> from wwwauth.integrations.protect import Protection
>>> from wwwauth.integrations.verifiers import BasicVerifier
>>> auth = Auth(Protection[str](
...     challenges=[bearer.challenge(realm="example"), basic.challenge("example")],
...     verify=BasicVerifier({"aladdin": "open sesame"}),
... ))
>>> @auth.required
... async def private(request: web.Request) -> web.Response:
...     return web.Response(text=auth.principal(request))
>>> async def ask(headers: dict[str, str]) -> tuple[list[str], str]:
...     app = web.Application()
...     app.router.add_get("/private", private)
...     async with TestClient(TestServer(app)) as client:
...         async with client.get("/private", headers=headers) as response:
...             return response.headers.getall("WWW-Authenticate", []), await response.text()
>>> asyncio.run(ask({}))[0]
['Bearer realm="example"', 'Basic realm="example"']
>>> asyncio.run(ask({"Authorization": str(basic.encode("aladdin", "open sesame"))}))[1]
'aladdin'
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Final, Generic, TypeVar, overload

from aiohttp import web
from aiohttp.abc import AbstractView
from aiohttp.typedefs import Handler, Middleware
from multidict import CIMultiDict

from ._exclude import _request_exclusion
from .protect import Answer, Protection
from .server import PRINCIPAL_KEY, RequestInfo

__all__ = [
    "PRINCIPAL_KEY",
    "Auth",
    "request_info",
    "response_for",
]

_P = TypeVar("_P")
_R = TypeVar("_R", bound=web.StreamResponse)
# What a handler takes: the request, or (a web.View's method) the view itself.
_Arg = TypeVar("_Arg", bound="web.Request | AbstractView")

_logger = logging.getLogger("wwwauth.integrations")

# Marks a handler wrapped by Auth.required, so the middleware does not check it again.
_PROTECTED_MARK: Final = "__wwwauth_protected__"


def request_info(
    request: web.BaseRequest, header: str = "authorization"
) -> tuple[RequestInfo, str | None]:
    """What ``verify`` sees of ``request``, and the value of its credentials field ``header``.

    The target is the request-target as received; header values are the octets
    received read as ISO-8859-1, names lower-cased; several field lines of ``header``
    are joined with ", " as RFC 9110 §5.3 says (the strict parser then refuses them).

    >>> from aiohttp.test_utils import make_mocked_request
    >>> request = make_mocked_request("GET", "/a%20b?c=1", headers={"Authorization": "Bearer t"})
    >>> info, value = request_info(request)
    >>> info.target, value
    ('/a%20b?c=1', 'Bearer t')
    """
    headers = tuple(
        (name.decode("latin-1").lower(), value.decode("latin-1"))
        for name, value in request.raw_headers
    )
    lines = [value for name, value in headers if name == header]
    info = RequestInfo(
        method=request.method,
        target=request.raw_path,
        headers=headers,
        # RFC 9110 §7.2: the Host field
        authority=next((value for name, value in headers if name == "host"), None),
        target_is_raw=True,
    )
    return info, ", ".join(lines) if lines else None


def response_for(answer: Answer[object]) -> web.Response:
    """The aiohttp response of a refusal: its status, each header on its own field line, body.

    >>> from aiohttp.test_utils import make_mocked_request
    >>> from wwwauth import basic, bearer
    >>> protection = Protection[str](
    ...     challenges=[bearer.challenge(realm="a"), basic.challenge("a")],
    ...     verify=lambda credentials, request: None)
    >>> info, value = request_info(make_mocked_request("GET", "/private"))
    >>> response = response_for(protection.check(info, value))
    >>> response.status, response.headers.getall("WWW-Authenticate")
    (401, ['Bearer realm="a"', 'Basic realm="a"'])
    """
    # A CIMultiDict keeps one entry per field line (RFC 9110 §5.3); a dict would keep one
    # challenge only.
    return web.Response(body=answer.body, status=answer.status, headers=CIMultiDict(answer.headers))


def _add_headers(response: web.StreamResponse, headers: tuple[tuple[str, str], ...]) -> None:
    if response.prepared:
        # A handler that streamed has sent its header section already.
        _logger.warning("the response was already sent: Authentication-Info not added")
        return
    for name, value in headers:
        response.headers.add(name, value)


async def _check(protection: Protection[_P], request: web.Request) -> Answer[_P]:
    """Check ``request``; on a grant, put the principal in ``request[PRINCIPAL_KEY]``."""
    info, value = request_info(request, protection.credentials_header)
    answer = await protection.check_async(info, value)
    if answer.granted:
        request[PRINCIPAL_KEY] = answer.principal
    return answer


def _request_of(argument: web.Request | AbstractView) -> web.Request:
    """The request a handler got: itself, or a ``web.View``'s request."""
    return argument.request if isinstance(argument, AbstractView) else argument


def _is_protected(handler: object, method: str) -> bool:
    """Whether ``handler`` (a function or a ``web.View`` class) has its own Auth.required."""
    if isinstance(handler, type) and issubclass(handler, AbstractView):
        handler = getattr(handler, method.lower(), None)
    return bool(getattr(handler, _PROTECTED_MARK, False))


class Auth(Generic[_P]):
    """Protect aiohttp handlers, or the whole app, with a :class:`Protection`.

    Args:
        protection: the challenges, ``verify``, scopes, ``authorize`` and refusal body;
            ``verify`` and ``authorize`` may be coroutine functions.
        exclude: for :attr:`middleware`, the requests left open: request paths (an
            exact path such as ``"/health"``, or a path ending in ``"/"`` for
            everything under it, such as ``"/static/"``), or a predicate on the
            request. Paths are compared with ``request.path`` (percent-decoded), as
            the ASGI middleware's ``exclude=`` does: a path with empty, ``.`` or ``..``
            segments, ``\\`` or ``%`` is never excluded.

    Attributes:
        middleware: the whole-app middleware, for ``web.Application(middlewares=[...])``.

    Raises:
        TypeError: ``exclude`` is a single str.
        ValueError: an excluded path that is not plain and absolute, or ``"/"``.

    >>> from wwwauth import basic
    >>> from wwwauth.integrations.verifiers import BasicVerifier
    >>> auth = Auth(Protection[str](challenges=[basic.challenge("a")],
    ...                             verify=BasicVerifier({"a": "b"})), exclude=["/health"])
    >>> app = web.Application(middlewares=[auth.middleware])
    """

    def __init__(
        self,
        protection: Protection[_P],
        *,
        exclude: Iterable[str] | Callable[[web.Request], bool] = (),
    ) -> None:
        self.protection: Final = protection
        self._excluded: Final = _request_exclusion(exclude, lambda request: request.path)
        self.middleware: Final[Middleware] = self._middleware()

    def principal(self, request: web.BaseRequest) -> _P:
        """The principal of ``request``, granted by this :class:`Auth`.

        Raises:
            LookupError: the request was not granted (a handler without protection).
        """
        principal: _P | None = request.get(PRINCIPAL_KEY)
        if principal is None:
            raise LookupError("no principal: this request was not checked by wwwauth")
        return principal

    @overload
    def required(
        self, handler: Callable[[_Arg], Awaitable[_R]]
    ) -> Callable[[_Arg], Awaitable[_R | web.Response]]: ...

    @overload
    def required(
        self, *, scopes: Iterable[str] = ()
    ) -> Callable[
        [Callable[[_Arg], Awaitable[_R]]], Callable[[_Arg], Awaitable[_R | web.Response]]
    ]: ...

    def required(
        self,
        handler: Callable[[_Arg], Awaitable[_R]] | None = None,
        *,
        scopes: Iterable[str] = (),
    ) -> (
        Callable[[_Arg], Awaitable[_R | web.Response]]
        | Callable[
            [Callable[[_Arg], Awaitable[_R]]], Callable[[_Arg], Awaitable[_R | web.Response]]
        ]
    ):
        """Protect a handler: ``@auth.required`` or ``@auth.required(scopes=["admin"])``.

        A refused request gets the refusal (a :class:`web.Response`) and never reaches
        the handler. Works on a handler function and on a ``web.View`` method.

        Args:
            handler: the handler, a coroutine function or a ``web.View`` method (when
                used without parentheses).
            scopes: the scopes the handler needs, on top of the protection's own.

        Raises:
            ValueError: a scope is not a scope-token (RFC 6749 §3.3).
            TypeError: ``scopes`` is a single str.
        """
        protection = self.protection.needing(scopes) if scopes else self.protection

        def decorate(
            wrapped: Callable[[_Arg], Awaitable[_R]],
        ) -> Callable[[_Arg], Awaitable[_R | web.Response]]:
            @functools.wraps(wrapped)
            async def wrapper(argument: _Arg) -> _R | web.Response:
                answer = await _check(protection, _request_of(argument))
                if not answer.granted:
                    return response_for(answer)
                response = await wrapped(argument)
                _add_headers(response, answer.headers)
                return response

            setattr(wrapper, _PROTECTED_MARK, True)
            return wrapper

        return decorate if handler is None else decorate(handler)

    def _middleware(self) -> Middleware:
        @web.middleware
        async def wwwauth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
            excluded = self._excluded is not None and self._excluded(request)
            if excluded or _is_protected(request.match_info.handler, request.method):
                return await handler(request)
            answer = await _check(self.protection, request)
            if not answer.granted:
                return response_for(answer)
            response = await handler(request)
            _add_headers(response, answer.headers)
            return response

        return wwwauth_middleware
