"""Flask: an extension object and a per-view decorator built on :class:`Protection`.

Needs Flask (``pip install 'pywwwauth[flask]'``); nothing else in
``wwwauth.integrations`` imports this module.

* :meth:`Auth.required` guards one view: a request it does not grant is answered with
  :func:`wwwauth.decide`'s answer (401 with one ``WWW-Authenticate`` field line per
  challenge, 400 for malformed Bearer credentials, 403 with Bearer
  ``error="insufficient_scope"`` for a principal lacking a scope the view needs), with
  the :class:`Protection`'s refusal body (plain text, RFC 9457 problem+json or your own).
  A granted request reaches the view with the principal in ``flask.g.wwwauth_principal``
  and, typed, in :attr:`Auth.principal`.
* ``Auth(protection, app, protect_all=True, exclude=[...])`` guards every request of the
  app (a ``before_request`` hook) except the excluded paths; a view with its own
  :meth:`Auth.required` is checked by that decorator only (once per request).
* :func:`wrap_wsgi_app` installs a WSGI middleware such as
  :class:`wwwauth.integrations.wsgi.AuthMiddleware` as ``app.wsgi_app`` so that it
  type-checks (``app.wsgi_app = ...`` is an assignment to a method for mypy).

Flask calls views synchronously, so ``verify`` and ``authorize`` must be plain functions:
a coroutine function is refused when the :class:`Auth` is built (TypeError), and so are
:class:`~wwwauth.integrations.verifiers.AsyncBasicVerifier` and
:class:`~wwwauth.integrations.verifiers.AsyncBearerVerifier`. Async views (``flask[async]``)
may be protected: the check runs synchronously, before the view's coroutine is awaited.
An exception in a callback is logged without its message and answered 500. Digest
``auth-int`` is not offered here: the request content is not read before the view
runs, so ``verify`` sees ``body=None``.

>>> import flask
>>> from wwwauth import basic, bearer
>>> from wwwauth.integrations.protect import Protection
>>> from wwwauth.integrations.verifiers import BasicVerifier
>>> app = flask.Flask("example")
>>> auth = Auth(Protection[str](
...     challenges=[bearer.challenge(realm="example"), basic.challenge("example")],
...     verify=BasicVerifier({"aladdin": "open sesame"}),
... ), app)
>>> @app.get("/private")
... @auth.required
... def private() -> str:
...     return auth.principal
>>> client = app.test_client()
>>> client.get("/private").headers.getlist("WWW-Authenticate")
['Bearer realm="example"', 'Basic realm="example"']
>>> client.get("/private", auth=("aladdin", "open sesame")).text
'aladdin'
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Final, Generic, ParamSpec, Protocol, TypeVar, overload

import flask

from ._exclude import _request_exclusion
from .protect import Answer, Protection
from .server import RequestInfo
from .wsgi import _authority, _has_raw_target, _headers, _target

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication, WSGIEnvironment

__all__ = [
    "G_PRINCIPAL",
    "Auth",
    "request_info",
    "response_for",
    "wrap_wsgi_app",
]

_P = TypeVar("_P")
_R = TypeVar("_R")
_Params = ParamSpec("_Params")
_W = TypeVar("_W", bound="WSGIApplication")

# The name of the principal on flask.g: flask.g.wwwauth_principal.
G_PRINCIPAL: Final = "wwwauth_principal"

# Marks a view wrapped by Auth.required, so protect_all does not check it a second time.
_PROTECTED_MARK: Final = "__wwwauth_protected__"


class _ViewDecorator(Protocol):
    """What ``Auth.required(scopes=...)`` returns: wraps a sync or an async view."""

    @overload
    def __call__(
        self, view: Callable[_Params, Awaitable[_R]]
    ) -> Callable[_Params, Awaitable[_R | flask.Response]]: ...

    @overload
    def __call__(self, view: Callable[_Params, _R]) -> Callable[_Params, _R | flask.Response]: ...


def request_info(
    environ: WSGIEnvironment, header: str = "authorization"
) -> tuple[RequestInfo, str | None]:
    """What ``verify`` sees of the WSGI request ``environ``, and its credentials value.

    Built as :class:`wwwauth.integrations.wsgi.AuthMiddleware` builds it: the raw target
    when the server gives it (``REQUEST_URI``, ``RAW_URI``), header names lower-cased,
    the authority from ``Host``. ``header`` is the lower-cased credentials field
    (``authorization`` or ``proxy-authorization``); a WSGI server has already joined
    several field lines of it with "," (RFC 9110 §5.3), which the strict parser refuses.

    >>> info, value = request_info({"REQUEST_METHOD": "GET", "PATH_INFO": "/a b",
    ...                             "HTTP_AUTHORIZATION": "Bearer t"})
    >>> info.target, value
    ('/a%20b', 'Bearer t')
    """
    raw = environ.get("HTTP_" + header.upper().replace("-", "_"))
    info = RequestInfo(
        method=str(environ.get("REQUEST_METHOD", "GET")),
        target=_target(environ),
        headers=_headers(environ),
        authority=_authority(environ),
        target_is_raw=_has_raw_target(environ),
    )
    return info, None if raw is None else str(raw)


def response_for(answer: Answer[object]) -> flask.Response:
    """The Flask response of a refusal: its status, each header on its own field line, body.

    >>> from wwwauth import basic, bearer
    >>> protection = Protection[str](
    ...     challenges=[bearer.challenge(realm="a"), basic.challenge("a")],
    ...     verify=lambda credentials, request: None)
    >>> info, value = request_info({"REQUEST_METHOD": "GET", "PATH_INFO": "/private"})
    >>> response = response_for(protection.check(info, value))
    >>> response.status_code, response.headers.getlist("WWW-Authenticate")
    (401, ['Bearer realm="a"', 'Basic realm="a"'])
    """
    response = flask.Response(answer.body, status=answer.status)
    del response.headers["Content-Type"]  # the Answer names its own
    for name, value in answer.headers:
        # One field line per entry: Headers.add never merges (RFC 9110 §5.3), where
        # headers[name] = value would keep only the last challenge.
        response.headers.add(name, value)
    return response


def _with_headers(result: object, headers: tuple[tuple[str, str], ...]) -> flask.Response:
    response = flask.make_response(result)
    for name, value in headers:
        response.headers.add(name, value)
    return response


class Auth(Generic[_P]):
    """Flask extension: protect views (and optionally the whole app) with a :class:`Protection`.

    Args:
        protection: the challenges, ``verify``, scopes, ``authorize`` and refusal body
            (``verify`` and ``authorize`` plain functions: Flask cannot await them).
        app: the app to set up now; or call :meth:`init_app` later (factory pattern).
        protect_all: check every request of the app, not only decorated views.
        exclude: with ``protect_all``, the requests left open: request paths (an exact
            path such as ``"/health"``, or a path ending in ``"/"`` for everything
            under it, such as ``"/static/"``), or a predicate on the request. Paths
            are compared with ``flask.request.path``, the path Flask routes on, as the
            WSGI middleware's ``exclude=`` does: a path with empty, ``.`` or ``..``
            segments, ``\\`` or ``%`` is never excluded.

    Raises:
        TypeError: ``verify`` or ``authorize`` is a coroutine function; ``exclude`` is
            a single str.
        ValueError: ``exclude`` without ``protect_all``; an excluded path that is not
            plain and absolute, or ``"/"``.

    >>> from wwwauth import basic
    >>> from wwwauth.integrations.verifiers import AsyncBasicVerifier
    >>> Auth(Protection[str](challenges=[basic.challenge("a")],
    ...                      verify=AsyncBasicVerifier({"a": "b"})))
    Traceback (most recent call last):
    ...
    TypeError: Flask calls verify synchronously: give a plain function, not a coroutine function
    """

    def __init__(
        self,
        protection: Protection[_P],
        app: flask.Flask | None = None,
        *,
        protect_all: bool = False,
        exclude: Iterable[str] | Callable[[flask.Request], bool] = (),
    ) -> None:
        protection.require_sync("Flask")
        self.protection: Final = protection
        self.protect_all: Final = protect_all
        self._excluded: Final = _request_exclusion(exclude, lambda request: request.path)
        if self._excluded is not None and not protect_all:
            raise ValueError("exclude works with protect_all=True only (views are opt-in)")
        if app is not None:
            self.init_app(app)

    def init_app(self, app: flask.Flask) -> None:
        """Set up ``app``: register the extension, and the whole-app check if asked."""
        app.extensions["wwwauth"] = self
        if self.protect_all:
            app.before_request(self._check_app_request)

    @property
    def principal(self) -> _P:
        """The principal of the current request, granted by this extension.

        Raises:
            LookupError: the request was not granted (a view without protection).
        """
        principal: _P | None = flask.g.get(G_PRINCIPAL)
        if principal is None:
            raise LookupError("no principal: this request was not checked by wwwauth")
        return principal

    @overload
    def required(
        self, view: Callable[_Params, Awaitable[_R]]
    ) -> Callable[_Params, Awaitable[_R | flask.Response]]: ...

    @overload
    def required(self, view: Callable[_Params, _R]) -> Callable[_Params, _R | flask.Response]: ...

    @overload
    def required(self, *, scopes: Iterable[str] = ()) -> _ViewDecorator: ...

    def required(
        self, view: Callable[..., object] | None = None, *, scopes: Iterable[str] = ()
    ) -> Callable[..., object] | _ViewDecorator:
        """Protect a view: ``@auth.required`` or ``@auth.required(scopes=["admin"])``.

        Put it under ``@app.get(...)`` / ``@app.route(...)``. A refused request gets the
        refusal (a :class:`flask.Response`) and never reaches the view.

        Args:
            view: the view, a plain or an ``async def`` function (when used without
                parentheses).
            scopes: the scopes the view needs, on top of the protection's own.

        Raises:
            ValueError: a scope is not a scope-token (RFC 6749 §3.3).
            TypeError: ``scopes`` is a single str.
        """
        protection = self.protection.needing(scopes) if scopes else self.protection
        decorator = _decorator(protection)
        return decorator if view is None else decorator(view)

    def _check_app_request(self) -> flask.Response | None:
        request = flask.request
        if self._excluded is not None and self._excluded(request):
            return None
        if _is_protected(request):
            return None  # its own Auth.required checks it (and its scopes)
        answer = _check(self.protection)
        if not answer.granted:
            return response_for(answer)
        if answer.headers:
            headers = answer.headers
            flask.after_this_request(functools.partial(_add_headers, headers=headers))
        return None


def _add_headers(
    response: flask.Response, *, headers: tuple[tuple[str, str], ...]
) -> flask.Response:
    for name, value in headers:
        response.headers.add(name, value)
    return response


def _is_protected(request: flask.Request) -> bool:
    """Whether the view routed to (or its ``View`` class's method) has Auth.required."""
    endpoint = request.endpoint
    view = flask.current_app.view_functions.get(endpoint) if endpoint else None
    # View.as_view() keeps the class on the view function (flask.views)
    view_class = getattr(view, "view_class", None)
    method = getattr(view_class, request.method.lower(), None) if view_class else None
    return any(getattr(found, _PROTECTED_MARK, False) for found in (view, method))


def _check(protection: Protection[_P]) -> Answer[_P]:
    """Check the current request; on a grant, put the principal on ``flask.g``."""
    info, value = request_info(flask.request.environ, protection.credentials_header)
    answer = protection.check(info, value)
    if answer.granted:
        setattr(flask.g, G_PRINCIPAL, answer.principal)
    return answer


def _decorator(protection: Protection[_P]) -> _ViewDecorator:
    def decorate(view: Callable[..., object]) -> Callable[..., object]:
        if inspect.iscoroutinefunction(view):
            coroutine_view = view

            @functools.wraps(view)
            async def async_wrapper(*args: object, **kwargs: object) -> object:
                # Flask runs an async view in an event loop of its own (asgiref):
                # the synchronous check cannot block other requests' loops.
                answer = _check(protection)
                if not answer.granted:
                    return response_for(answer)
                result = await coroutine_view(*args, **kwargs)
                return _with_headers(result, answer.headers) if answer.headers else result

            wrapper: Callable[..., object] = async_wrapper
        else:

            @functools.wraps(view)
            def sync_wrapper(*args: object, **kwargs: object) -> object:
                answer = _check(protection)
                if not answer.granted:
                    return response_for(answer)
                result = view(*args, **kwargs)
                return _with_headers(result, answer.headers) if answer.headers else result

            wrapper = sync_wrapper
        setattr(wrapper, _PROTECTED_MARK, True)
        return wrapper

    return decorate  # type: ignore[return-value]  # the Protocol's overloads describe it


def wrap_wsgi_app(app: flask.Flask, middleware: Callable[[WSGIApplication], _W]) -> _W:
    """Install ``middleware(app.wsgi_app)`` as ``app.wsgi_app``; returns the middleware.

    Flask's documented way to wrap an app is ``app.wsgi_app = Middleware(app.wsgi_app)``,
    which mypy refuses (``Cannot assign to a method [method-assign]``: ``wsgi_app`` is a
    method of :class:`flask.Flask`). This does the same assignment, typed.

    >>> from wwwauth import basic
    >>> from wwwauth.integrations.verifiers import BasicVerifier
    >>> from wwwauth.integrations.wsgi import AuthMiddleware
    >>> app = flask.Flask("example")
    >>> middleware = wrap_wsgi_app(app, lambda wsgi_app: AuthMiddleware(
    ...     wsgi_app, challenges=[basic.challenge("example")],
    ...     verify=BasicVerifier({"aladdin": "open sesame"})))
    >>> app.test_client().get("/").status_code
    401
    """
    wrapped = middleware(app.wsgi_app)
    # Flask's own documented pattern; mypy sees a method (method-assign) whose parameters
    # may be passed by name, which a WSGIApplication's need not be (assignment).
    app.wsgi_app = wrapped  # type: ignore[method-assign, assignment]
    return wrapped
