"""Litestar: a guard, a middleware and a plugin built on :class:`Protection`.

Needs Litestar (``pip install 'pywwwauth[litestar]'``); nothing else in
``wwwauth.integrations`` imports this module.

:class:`WWWAuth` is a Litestar plugin: ``Litestar(plugins=[auth])`` registers the
handler of :class:`AuthRefused` (which answers with every challenge on its own field
line) and lists the offered schemes in the OpenAPI document. Protect routes with
either:

* a **guard**: ``guards=[auth]`` (on a route, a controller, a router or the app), or
  ``guards=[auth.guard(scopes=["admin"])]``; a route's ``opt={"scopes": [...]}`` adds
  scopes too (Litestar merges ``opt`` from the app down to the route, the closest layer
  winning), and ``opt={"exclude_from_auth": True}`` leaves a route open (for a guard
  on the app or a router). The guard raises :class:`AuthRefused` for a request it does
  not grant;
* the **middleware**: ``middleware=[auth.middleware(exclude=["^/schema"])]`` protects
  every route but those excluded the Litestar way: ``exclude`` patterns (regular
  expressions *searched* in the path, as Litestar does: anchor them with ``^``), a
  route's ``opt={"exclude_from_auth": True}``, and ``exclude_http_methods``. A route
  needs the scopes of its ``opt`` and of the plugin's guards on it (so the guards after
  it do not verify again), and the middleware answers refusals itself (no exception
  handler needed). It does not list routes in OpenAPI: give the app (or router)
  ``security=auth.security()``.

A granted request carries the principal in ``request.user`` and the parsed
:class:`~wwwauth.Credentials` in ``request.auth`` (so annotate
``request: Request[Principal, Credentials, State]``). A refusal is the
:class:`~wwwauth.integrations.protect.Answer`: its status (400, 401, 403, 407, 500),
each challenge on its own ``WWW-Authenticate`` field line (Litestar's ``Response``
keeps one value per header name: :class:`RefusalResponse` adds them one by one), and the
Protection's body (plain text, RFC 9457 problem+json or yours). An app where the plugin
is missing still refuses: the guard's :class:`AuthRefused` is then an unhandled
exception, answered 500 (and logged as an error naming the fix); it never grants.

``verify`` and ``authorize`` may be plain functions (called in the event loop: keep them
quick) or coroutine functions (awaited). An exception in them is logged without its
message and answered 500. Digest ``auth-int`` is not offered (the content is not read
before the route runs: ``verify`` sees ``body=None``).

>>> from litestar import Litestar, Request, get
>>> from litestar.datastructures import State
>>> from litestar.testing import TestClient
>>> from wwwauth import Credentials, basic, bearer
>>> from wwwauth.integrations.protect import Protection
>>> from wwwauth.integrations.verifiers import BasicVerifier
>>> auth = WWWAuth(Protection[str](
...     challenges=[bearer.challenge(realm="example"), basic.challenge("example")],
...     verify=BasicVerifier({"aladdin": "open sesame"}),
... ))
>>> @get("/private", guards=[auth], media_type="text/plain", sync_to_thread=False)
... def private(request: Request[str, Credentials, State]) -> str:
...     return request.user
>>> app = Litestar([private], plugins=[auth])
>>> with TestClient(app) as client:
...     client.get("/private").headers.get_list("WWW-Authenticate")
...     client.get("/private", auth=("aladdin", "open sesame")).text
['Bearer realm="example"', 'Basic realm="example"']
'aladdin'
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, MutableMapping, Sequence
from copy import copy
from dataclasses import dataclass
from typing import Final, Generic, TypeVar, cast

from litestar import Request
from litestar.config.app import AppConfig
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.enums import ScopeType
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.base import DefineMiddleware
from litestar.openapi.spec import Components, SecurityRequirement, SecurityScheme
from litestar.plugins import InitPlugin, ReceiveRoutePlugin
from litestar.routes import BaseRoute
from litestar.types import ASGIApp, Message, Method, Receive, Scope, Send

from ..errors import ParseError
from ..model import Challenge, Credentials, ascii_lower
from ..parsing import parse_authorization, parse_proxy_authorization
from ._asgi_request import request_from_scope
from ._litestar_refusal import AuthRefused, RefusalResponse, _encoded, handle_refusal
from .protect import Answer, Protection
from .server import PRINCIPAL_KEY, ChallengeSource, RequestInfo

__all__ = [
    "EXCLUDE_OPT_KEY",
    "SCOPES_OPT_KEY",
    "AuthRefused",
    "RefusalResponse",
    "WWWAuth",
    "WWWAuthGuard",
    "WWWAuthMiddleware",
    "handle_refusal",
    "request_info",
]

_logger = logging.getLogger("wwwauth.integrations")

_P = TypeVar("_P")

# The route ``opt`` key naming the scopes a route needs, read by the guard and middleware.
SCOPES_OPT_KEY: Final = "scopes"
# The route ``opt`` key excluding a route, Litestar's convention (AbstractSecurityConfig).
EXCLUDE_OPT_KEY: Final = "exclude_from_auth"
# Where the middleware notes a grant (and the scopes it covered) for the guards after it.
_GRANT_KEY: Final = "wwwauth.grant"
# Where a guard leaves the Authentication-Info field lines of a grant for the plugin's
# middleware to add to the response.
_GRANTED_HEADERS_KEY: Final = "wwwauth.granted_headers"


def _entries(scope: Scope) -> MutableMapping[str, object]:
    """The scope as the plain mapping it is (Litestar types it as closed TypedDicts)."""
    return cast("MutableMapping[str, object]", scope)


def _route_handler(scope: Scope) -> BaseRouteHandler | None:
    """The route Litestar matched (middleware runs after routing), if any."""
    route_handler = _entries(scope).get("route_handler")
    return route_handler if isinstance(route_handler, BaseRouteHandler) else None


# ------------------------------------------------------------------------ reading


def request_info(scope: Scope, header: str) -> tuple[RequestInfo, str | None]:
    """What ``verify`` sees of the request of ``scope``, and the value of its field ``header``.

    The target is the raw one when the server gave it; several field lines of ``header``
    (lower-case) are joined with ", " as RFC 9110 §5.3 says (the strict parser then
    refuses them).
    """
    return request_from_scope(_entries(scope), header)


def _credentials(value: str | None, *, proxy: bool) -> Credentials | None:
    """The granted credentials, parsed again for ``request.auth`` (they parsed to be granted)."""
    if value is None:
        return None
    try:
        return (parse_proxy_authorization if proxy else parse_authorization)(value)
    except ParseError:
        return None


def _scopes_in(value: object) -> frozenset[str]:
    """The scopes of a route's ``opt`` value: an iterable of str, or a space-separated str.

    Raises:
        TypeError: anything else (the request is then answered 500, never granted).
    """
    if value is None:
        return frozenset()
    if isinstance(value, str):
        # RFC 6749 §3.3: scope = scope-token *( SP scope-token )
        return frozenset(value.split())
    if isinstance(value, Iterable):
        scopes = tuple(value)
        if all(isinstance(scope, str) for scope in scopes):
            return frozenset(str(scope) for scope in scopes)
    raise TypeError(f"opt[{SCOPES_OPT_KEY!r}] must be str or an iterable of str")


def _scheme_names(challenges: Sequence[ChallengeSource]) -> tuple[str, ...]:
    """The offered schemes, lower-cased, in order, once each (a callable is called once)."""
    schemes = (
        ascii_lower((source if isinstance(source, Challenge) else source()).scheme)
        for source in challenges
    )
    return tuple(dict.fromkeys(schemes))


# ---------------------------------------------------------------------- the plugin


class WWWAuth(InitPlugin, ReceiveRoutePlugin, Generic[_P]):
    """A Litestar plugin and guard: protect routes with a :class:`Protection`.

    As a plugin (``Litestar(plugins=[auth])``) it registers :func:`handle_refusal` for
    :class:`AuthRefused` (unless the app has its own), a middleware adding the
    ``Authentication-Info`` of a guard's grant, and the OpenAPI ``http`` security scheme
    of each offered scheme (``components.securitySchemes``, named by the scheme in
    lower case), with each guarded route's ``security`` listing them as alternatives
    with its scopes. As a guard (``guards=[auth]``) it protects the layer it is on, with
    the scopes of the route's ``opt["scopes"]``.

    Args:
        protection: the challenges, ``verify``, scopes and ``authorize`` to apply.
        scopes_opt_key: the route ``opt`` key naming the scopes a route needs.
        exclude_opt_key: a route whose ``opt`` holds this key with a true value is
            neither guarded nor protected by the middleware (Litestar's
            ``exclude_from_auth`` convention): for a guard on the app or a router.

    Attributes:
        protection: as given.
        schemes: the offered schemes, lower-cased (the OpenAPI security scheme names).

    Raises:
        ValueError: from a challenge callable, called once to learn its scheme.
    """

    __slots__ = (
        "_guard",
        "exclude_opt_key",
        "protection",
        "schemes",
        "scopes_opt_key",
    )

    def __init__(
        self,
        protection: Protection[_P],
        *,
        scopes_opt_key: str = SCOPES_OPT_KEY,
        exclude_opt_key: str = EXCLUDE_OPT_KEY,
    ) -> None:
        self.protection: Final = protection
        self.scopes_opt_key: Final = scopes_opt_key
        self.exclude_opt_key: Final = exclude_opt_key
        self.schemes: Final = _scheme_names(protection.challenges)
        self._guard: Final = WWWAuthGuard(self)

    # -- protecting

    def protection_for(self, scopes: Iterable[str]) -> Protection[_P]:
        """The protection of a route needing ``scopes`` too (memoized)."""
        return self.protection.needing(frozenset(scopes))

    def excludes(self, route_handler: BaseRouteHandler | None) -> bool:
        """Whether ``route_handler.opt`` excludes the route (under :attr:`exclude_opt_key`)."""
        return route_handler is not None and bool(route_handler.opt.get(self.exclude_opt_key))

    def route_scopes(self, route_handler: BaseRouteHandler | None) -> frozenset[str]:
        """The scopes named by ``route_handler.opt`` (under :attr:`scopes_opt_key`)."""
        if route_handler is None:
            return frozenset()
        return _scopes_in(route_handler.opt.get(self.scopes_opt_key))

    async def check(self, scope: Scope, scopes: Iterable[str] = ()) -> Answer[_P]:
        """Decide on the request of ``scope`` for a route needing ``scopes`` (and the Protection's)."""
        protection = self.protection_for(scopes)
        info, value = request_info(scope, protection.credentials_header)
        answer = await protection.check_async(info, value)
        if answer.granted:
            entries = _entries(scope)
            entries["user"] = entries[PRINCIPAL_KEY] = answer.principal
            entries["auth"] = _credentials(value, proxy=protection.proxy)
            if answer.headers:
                entries[_GRANTED_HEADERS_KEY] = answer.headers
        return answer

    def guard(self, scopes: Iterable[str] = ()) -> WWWAuthGuard[_P]:
        """A guard for routes needing ``scopes`` (and those of the route's ``opt``)."""
        return WWWAuthGuard(self, scopes)

    async def __call__(
        self,
        connection: ASGIConnection[BaseRouteHandler, object, object, State],
        route_handler: BaseRouteHandler,
    ) -> None:
        """The guard needing the route's ``opt`` scopes only: ``guards=[auth]``."""
        await self._guard(connection, route_handler)

    def middleware(
        self,
        *,
        exclude: str | Sequence[str] | None = None,
        exclude_http_methods: Sequence[Method] = (),
    ) -> DefineMiddleware:
        """The whole-app middleware, for ``Litestar(middleware=[...])`` (or a router's).

        Args:
            exclude: regular expressions searched in the request path (Litestar's
                convention: ``"/schema"`` also excludes ``/api/schema``; anchor with
                ``^``); a match is not protected.
            exclude_http_methods: methods not protected (none by default; Litestar's own
                auth middleware skips OPTIONS: add ``["OPTIONS"]`` for CORS preflight).

        A route whose ``opt`` holds :attr:`exclude_opt_key` is not protected either.
        """
        return DefineMiddleware(
            WWWAuthMiddleware,
            auth=self,
            exclude=exclude,
            exclude_http_methods=exclude_http_methods,
        )

    # -- OpenAPI

    @property
    def openapi_components(self) -> Components:
        """``components.securitySchemes``: ``http`` with each offered scheme (OpenAPI 3.1 §4.8.27)."""
        return Components(
            security_schemes={
                scheme: SecurityScheme(type="http", scheme=scheme) for scheme in self.schemes
            }
        )

    def security(self, scopes: Iterable[str] = ()) -> list[SecurityRequirement]:
        """The ``security`` of a route needing ``scopes``: each offered scheme, an alternative.

        OpenAPI 3.1 lets an ``http`` scheme list the roles needed; 3.0 wanted an empty list.
        """
        needed = sorted(self.protection.scopes | frozenset(scopes))
        return [{scheme: list(needed)} for scheme in self.schemes]

    # -- the plugin

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        """Register :func:`handle_refusal`, the Authentication-Info middleware, the OpenAPI schemes."""
        app_config.exception_handlers.setdefault(AuthRefused, handle_refusal)
        app_config.middleware.insert(0, _add_granted_headers)
        if app_config.openapi_config is not None:
            config = app_config.openapi_config = copy(app_config.openapi_config)
            components = config.components
            config.components = [
                *(components if isinstance(components, list) else [components]),
                self.openapi_components,
            ]
        return app_config

    def receive_route(self, route: BaseRoute) -> None:
        """List the offered schemes in the ``security`` of each route this guards."""
        for route_handler in getattr(route, "route_handlers", ()):
            scopes = self.guard_scopes(route_handler)
            if scopes is None or self.excludes(route_handler):
                continue
            scopes |= self.route_scopes(route_handler)
            self.protection_for(scopes)  # refuses a bad scope at startup
            route_handler.security = [*(route_handler.security or ()), *self.security(scopes)]

    def guard_scopes(self, route_handler: BaseRouteHandler) -> frozenset[str] | None:
        """The scopes of this plugin's guards over ``route_handler``; None if it has none."""
        found: frozenset[str] | None = None
        for layer in route_handler.ownership_layers:
            for guard in getattr(layer, "guards", None) or ():
                if guard is self:
                    found = found or frozenset()
                elif isinstance(guard, WWWAuthGuard) and guard.auth is self:
                    found = (found or frozenset()) | guard.scopes
        return found


@dataclass(frozen=True, slots=True)
class _Grant:
    """The middleware's grant, noted in the scope: by which plugin, for which scopes."""

    auth: object  # the WWWAuth, compared by identity
    scopes: frozenset[str]


class WWWAuthGuard(Generic[_P]):
    """A Litestar guard: grants the request, or raises :class:`AuthRefused`.

    Made by :meth:`WWWAuth.guard`. The route needs the Protection's scopes, these, and
    those of its ``opt``. A request the :class:`WWWAuthMiddleware` of the same
    :class:`WWWAuth` already granted for all of them is not checked again (``verify``
    runs once per request).

    Args:
        auth: the plugin.
        scopes: the scopes needed (RFC 6749 §3.3 scope-tokens).

    Raises:
        ValueError: a scope is not a scope-token.
    """

    __slots__ = ("auth", "scopes")

    def __init__(self, auth: WWWAuth[_P], scopes: Iterable[str] = ()) -> None:
        self.auth: Final = auth
        self.scopes: Final = frozenset(scopes)
        auth.protection_for(self.scopes)  # refuses a bad scope now, not per request

    async def __call__(
        self,
        connection: ASGIConnection[BaseRouteHandler, object, object, State],
        route_handler: BaseRouteHandler,
    ) -> None:
        """Grant (``connection.user`` is the principal) or raise :class:`AuthRefused`."""
        if self.auth.excludes(route_handler):
            return
        needed = self.scopes | self.auth.route_scopes(route_handler)
        grant = _entries(connection.scope).get(_GRANT_KEY)
        if isinstance(grant, _Grant) and grant.auth is self.auth and needed <= grant.scopes:
            return
        answer = await self.auth.check(connection.scope, needed)
        if answer.granted:
            return
        _warn_if_unhandled(route_handler)
        raise AuthRefused(answer)


def _warn_if_unhandled(route_handler: BaseRouteHandler) -> None:
    """Log that :class:`AuthRefused` has no handler on this route: it becomes a 500."""
    handlers = route_handler.resolve_exception_handlers()
    # Litestar finds a handler by the exception's MRO (AuthRefused, Exception) or 500.
    if AuthRefused in handlers or Exception in handlers or 500 in handlers:
        return
    _logger.error(
        "AuthRefused has no exception handler on %s: the refusal is answered 500; "
        "add the WWWAuth plugin: Litestar(plugins=[auth])",
        route_handler.handler_name,
    )


def _adding_granted_headers(scope: Scope, send: Send) -> Send:
    """``send``, adding the field lines a grant left in ``scope`` (Authentication-Info).

    They are taken out of the scope when added, so two of these wrappers (the plugin's
    and the middleware's) add them once.
    """

    async def send_with_info(message: Message) -> None:
        if message["type"] == "http.response.start":
            extra = _entries(scope).pop(_GRANTED_HEADERS_KEY, None)
            if isinstance(extra, tuple) and extra:
                message["headers"] = [*message.get("headers", ()), *_encoded(extra)]
        await send(message)

    return send_with_info


def _add_granted_headers(app: ASGIApp) -> ASGIApp:
    """The plugin's middleware: adds a guard's Authentication-Info to the response."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            send = _adding_granted_headers(scope, send)
        await app(scope, receive, send)

    return middleware


# -------------------------------------------------------------------- the middleware


class WWWAuthMiddleware(Generic[_P]):
    """Litestar middleware protecting every route but the excluded ones.

    Made by :meth:`WWWAuth.middleware` (a ``DefineMiddleware``). It runs after routing,
    so it knows the route: a route needs the Protection's scopes and those of its
    ``opt``. A refusal is answered here (no exception handler needed); a grant goes on
    with ``request.user`` and ``request.auth`` set. HTTP and WebSocket requests are
    checked; a refused WebSocket handshake gets the HTTP refusal when the server offers
    ``websocket.http.response``, else it is closed before accepting (the server answers
    403).

    Args:
        app: the next ASGI application.
        auth: the plugin.
        exclude, exclude_http_methods: see :meth:`WWWAuth.middleware`.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        auth: WWWAuth[_P],
        exclude: str | Sequence[str] | None = None,
        exclude_http_methods: Sequence[Method] = (),
    ) -> None:
        patterns = [exclude] if isinstance(exclude, str) else list(exclude or ())
        self.app: Final = app
        self.auth: Final = auth
        self.exclude: Final = re.compile("|".join(patterns)) if patterns else None
        self.exclude_http_methods: Final = frozenset(exclude_http_methods)

    def excluded(self, scope: Scope) -> bool:
        """Whether the request of ``scope`` is not protected."""
        if self.auth.excludes(_route_handler(scope)):
            return True
        if scope.get("method") in self.exclude_http_methods:
            return True
        return self.exclude is not None and self.exclude.search(scope["path"]) is not None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the refusal, or call the route with the principal in ``scope["user"]``."""
        if _entries(scope).get("type") not in ("http", "websocket") or self.excluded(scope):
            await self.app(scope, receive, send)
            return
        route_handler = _route_handler(scope)
        # The scopes of this plugin's guards on the route too: they then find the request
        # granted and do not verify it again (a Digest nonce count would not pass twice).
        needed = self.auth.route_scopes(route_handler)
        if route_handler is not None:
            needed |= self.auth.guard_scopes(route_handler) or frozenset()
        answer = await self.auth.check(scope, needed)
        if answer.granted:
            _entries(scope)[_GRANT_KEY] = _Grant(self.auth, self.auth.protection.scopes | needed)
            if scope["type"] == ScopeType.HTTP:
                send = _adding_granted_headers(scope, send)
            await self.app(scope, receive, send)
            return
        await _refuse(scope, receive, send, answer)


async def _refuse(scope: Scope, receive: Receive, send: Send, answer: Answer[object]) -> None:
    if scope["type"] == ScopeType.HTTP:
        request: Request[object, object, State] = Request(scope, receive, send)
        await RefusalResponse(answer).to_asgi_response(None, request)(scope, receive, send)
        return
    if "websocket.http.response" in (scope.get("extensions") or {}):
        start = {"type": "websocket.http.response.start", "status": answer.status}
        await send(cast("Message", {**start, "headers": _encoded(answer.headers)}))
        await send(cast("Message", {"type": "websocket.http.response.body", "body": answer.body}))
    else:
        # ASGI: websocket.close before websocket.accept makes the server answer 403.
        await send({"type": "websocket.close", "code": 1008, "reason": ""})
