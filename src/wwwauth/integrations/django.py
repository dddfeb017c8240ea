"""Django: protect views with a decorator, or the whole site with a middleware.

Both are built on :class:`~wwwauth.integrations.protect.Protection`, so a request gets
the same answer as in every other adapter: 401 with one challenge per field line, 400
for malformed Bearer credentials, 403 (``insufficient_scope`` on Bearer, RFC 6750 §3.1)
for a principal lacking a scope the view needs, 500 (logged without the message) when a
callback raises.

* :func:`protected` decorates a view (sync or ``async def``), optionally needing scopes
  (a class-based view: ``method_decorator(protected(...), name="dispatch")``).
* :class:`WWWAuthMiddleware`, subclassed with a ``protection`` (and ``exclude`` paths or
  an :meth:`~WWWAuthMiddleware.excluded` predicate), protects every other path. A view
  behind it that needs more scopes takes :func:`protected` too, which verifies the
  credentials again (for Basic, one more password hash).

The principal: a granted request reaches the view with it as
``request.wwwauth_principal`` (read it typed with :func:`principal_of`). ``request.user``
is left alone unless you map the principal to a Django user (``user=`` of
:func:`protected`, :meth:`WWWAuthMiddleware.user`): its result becomes ``request.user``.
``REMOTE_USER`` is never set, because Django's ``RemoteUserMiddleware`` would create the
user and log it into a session, which an ``Authorization`` field per request does not
call for.

Repeated field lines: Django's :class:`~django.http.response.ResponseHeaders` keeps one
value per name, so ``response["WWW-Authenticate"] = ...`` twice sends only the last
challenge. Every response this module answers or passes holds :class:`FieldLineHeaders`
instead, whose ``items()`` (what Django's WSGI and ASGI handlers send) gives each added
value its own field line; :func:`add_field_line` does the same for any response (a REST
framework one too).

>>> from wwwauth import basic
>>> from wwwauth.integrations.protect import Protection
>>> from wwwauth.integrations.verifiers import BasicVerifier
>>> protection = Protection(
...     challenges=[basic.challenge("example")],
...     verify=BasicVerifier({"aladdin": "open sesame"}),
... )
>>> @protected(protection)
... def private(request):
...     return HttpResponse(principal_of(request, str))
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, ItemsView, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Final, Generic, TypeVar, cast

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase, ResponseHeaders

from . import asgi as _asgi
from . import wsgi as _wsgi
from ._exclude import _Exclusions
from .protect import Answer, Protection
from .server import RequestInfo

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    # What a principal may be mapped to for request.user.
    User = AbstractBaseUser | AnonymousUser

__all__ = [
    "PRINCIPAL_ATTRIBUTE",
    "FieldLineHeaders",
    "WWWAuthMiddleware",
    "add_field_line",
    "answer_response",
    "principal_of",
    "protected",
    "request_info",
]

_P = TypeVar("_P")
_T = TypeVar("_T")
_View = TypeVar("_View", bound=Callable[..., HttpResponseBase | Awaitable[HttpResponseBase]])

# The attribute of the request that holds the principal of a granted request.
PRINCIPAL_ATTRIBUTE: Final = "wwwauth_principal"


# -------------------------------------------------------------- repeated field lines


class _FieldLineItems(ItemsView[str, str]):
    """The (name, value) pairs of :class:`FieldLineHeaders`, one per field line."""

    def __init__(self, headers: FieldLineHeaders) -> None:
        super().__init__(headers)
        self._headers = headers

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return self._headers.field_lines()

    def __len__(self) -> int:
        return sum(1 for _ in self._headers.field_lines())


class FieldLineHeaders(ResponseHeaders):
    """Response headers that can hold several field lines of one name.

    A :class:`~django.http.response.ResponseHeaders` whose :meth:`add` appends a field
    line: ``items()`` (what Django's WSGI and ASGI handlers and the test client read)
    gives the first value where the name stands and each added one right after it, each
    as its own pair. Indexing gives the first value. Setting, deleting or popping the name
    replaces or removes all its lines (so other middleware keeps working as it did).

    >>> headers = FieldLineHeaders()
    >>> headers.add("WWW-Authenticate", 'Bearer realm="example"')
    >>> headers.add("WWW-Authenticate", 'Basic realm="example"')
    >>> list(headers.items())
    [('WWW-Authenticate', 'Bearer realm="example"'), ('WWW-Authenticate', 'Basic realm="example"')]
    >>> headers.get_all("www-authenticate")[1]
    'Basic realm="example"'
    """

    def __init__(self, data: Mapping[str, str] | None = None) -> None:
        # lower-cased name -> the value the lines were added after, the added values
        self._more: dict[str, tuple[str, tuple[str, ...]]] = {}
        super().__init__(data or {})

    def add(self, name: str, value: str) -> None:
        """Add a field line ``name: value`` after the lines of that name already here.

        Raises:
            django.http.BadHeaderError: ``value`` holds CR or LF.
        """
        key = name.lower()
        if key not in self._store:
            self[name] = value
            return
        # The same check and encoding as a value set by __setitem__ (no CR, no LF).
        converted = self._convert_to_charset(value, "latin-1", mime_encode=True)
        first = self._store[key][1]
        _, more = self._more.get(key, (first, ()))
        self._more[key] = (first, (*more, converted))

    def get_all(self, name: str) -> list[str]:
        """Every field line value of ``name``, in order ([] when absent)."""
        key = name.lower()
        return [value for line, value in self.field_lines() if line.lower() == key]

    def field_lines(self) -> Iterator[tuple[str, str]]:
        """Each field line as a (name, value) pair, in order."""
        for key, (name, value) in self._store.items():
            yield name, value
            first, more = self._more.get(key, (None, ()))
            if first == value:
                for added in more:
                    yield name, added

    def items(self) -> ItemsView[str, str]:
        """The field lines (name, value), a pair per line: several for an added name."""
        return _FieldLineItems(self)

    def __setitem__(self, key: str, value: str | bytes | int) -> None:
        super().__setitem__(key, value)
        self._more.pop(key.lower(), None)

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._more.pop(key.lower(), None)

    def pop(self, key: str, default: _T = None) -> _T | tuple[str, str]:  # type: ignore[assignment]
        self._more.pop(key.lower(), None)
        return super().pop(key, default)


def _field_line_headers(response: HttpResponseBase) -> FieldLineHeaders:
    """The response's headers as :class:`FieldLineHeaders` (installed if need be)."""
    headers = response.headers
    if not isinstance(headers, FieldLineHeaders):
        headers = FieldLineHeaders(response.headers)
        response.headers = headers
    return headers


def add_field_line(response: HttpResponseBase, name: str, value: str) -> None:
    """Add the field line ``name: value`` to ``response``, keeping those already there.

    Works for any Django response (a REST framework ``Response`` too): its headers become
    :class:`FieldLineHeaders`.

    >>> response = HttpResponse(status=401)
    >>> add_field_line(response, "WWW-Authenticate", 'Bearer realm="example"')
    >>> add_field_line(response, "WWW-Authenticate", 'Basic realm="example"')
    >>> [value for name, value in response.items() if name == "WWW-Authenticate"]
    ['Bearer realm="example"', 'Basic realm="example"']
    """
    _field_line_headers(response).add(name, value)


def answer_response(answer: Answer[object]) -> HttpResponse:
    """The response for a refusal: its status, each header on its own line, its body."""
    content_type = next(
        (value for name, value in answer.headers if name.lower() == "content-type"), None
    )
    response = HttpResponse(answer.body, status=answer.status, content_type=content_type)
    headers = _field_line_headers(response)
    for name, value in answer.headers:
        if name.lower() != "content-type":
            headers.add(name, value)
    return response


def _add_granted_headers(response: HttpResponseBase, answer: Answer[object]) -> None:
    """Add a grant's header fields (``Authentication-Info``) to the view's response."""
    for name, value in answer.headers:
        add_field_line(response, name, value)


# ------------------------------------------------------------------------ the request


def request_info(request: HttpRequest, field: str) -> tuple[RequestInfo, str | None]:
    """What ``verify`` sees of ``request``, and the value of the credentials ``field``.

    ``field`` is the lower-cased request field to read (``Protection.credentials_header``).
    Under ASGI the header fields come from the ASGI scope, so several field lines of
    ``field`` are joined with ", " as RFC 9110 §5.3 says (the strict parser then refuses
    them); under WSGI from ``request.META``, as the server joined them.
    """
    scope = getattr(request, "scope", None)  # django.core.handlers.asgi.ASGIRequest
    if isinstance(scope, dict):
        headers = tuple(
            (name.decode("latin-1").lower(), value.decode("latin-1"))
            for name, value in scope.get("headers", ())
        )
        query = scope.get("query_string", b"")
        if isinstance(query, str):  # Django's AsyncRequestFactory gives str, not bytes
            scope = {**scope, "query_string": query.encode("latin-1")}
        target = _asgi._target(scope)
        target_is_raw = _asgi._has_raw_target(scope)
        authority = _asgi._authority(scope, headers)
    else:
        meta = request.META
        headers = _wsgi._headers(meta)
        target = _wsgi._target(meta)
        target_is_raw = _wsgi._has_raw_target(meta)
        authority = _wsgi._authority(meta)
    lines = [value for name, value in headers if name == field]
    info = RequestInfo(
        method=request.method or "GET",
        target=target,
        headers=headers,
        authority=authority,
        target_is_raw=target_is_raw,
    )
    return info, ", ".join(lines) if lines else None


def principal_of(request: HttpRequest, kind: type[_T]) -> _T:
    """The principal of a request granted by :func:`protected` or the middleware.

    Args:
        request: the request the view got.
        kind: the principal's type (``object`` for any).

    Raises:
        LookupError: the request went through no protection (the view is not protected).
        TypeError: the principal is not a ``kind``.
    """
    try:
        principal: object = getattr(request, PRINCIPAL_ATTRIBUTE)
    except AttributeError:
        raise LookupError("this request was not granted by wwwauth: no principal") from None
    if not isinstance(principal, kind):
        raise TypeError(f"the principal is a {type(principal).__name__}, not a {kind.__name__}")
    return principal


def _grant(
    request: HttpRequest, principal: object, user: Callable[[_P], object] | None, *, sync: bool
) -> Awaitable[object] | None:
    """Hand the principal to the request; the user to await, if ``user`` gave one."""
    setattr(request, PRINCIPAL_ATTRIBUTE, principal)
    if user is None:
        return None
    mapped = user(cast("_P", principal))
    if not inspect.isawaitable(mapped):
        _set_user(request, mapped)
        return None
    if sync:
        close = getattr(mapped, "close", None)
        if callable(close):
            close()  # never awaited: no "coroutine was never awaited" warning
        raise TypeError("user returned an awaitable, which a sync Django view cannot await")
    return mapped


def _set_user(request: HttpRequest, mapped: object) -> None:
    # None leaves request.user as it was (AnonymousUser under AuthenticationMiddleware).
    if mapped is not None:
        request.user = cast("User", mapped)


# ------------------------------------------------------------------ the decorator


def protected(
    protection: Protection[_P],
    *,
    scopes: Iterable[str] = (),
    user: Callable[[_P], User | None] | Callable[[_P], Awaitable[User | None]] | None = None,
) -> Callable[[_View], _View]:
    """Protect a view: only a request ``protection`` grants reaches it.

    A sync view refuses, here, a ``protection`` whose ``verify`` or ``authorize`` is a
    coroutine function (and a coroutine ``user``): it cannot await them. An ``async def``
    view awaits them.

    Args:
        protection: the challenges, verifier and options.
        scopes: scopes this view needs on top of ``protection.scopes`` (403 without).
        user: maps the principal to the Django user set as ``request.user`` (None from
            it leaves ``request.user`` alone); not called when not given.

    Raises:
        TypeError: a coroutine-function callback for a sync view.
        ValueError: a scope that is not a scope-token.

    >>> from wwwauth import bearer
    >>> from wwwauth.integrations.verifiers import BearerVerifier, Principal
    >>> tokens = {"admin-token": Principal(name="admin-token", scopes=frozenset({"admin"}))}
    >>> protection = Protection(
    ...     challenges=[bearer.challenge(realm="example")], verify=BearerVerifier(tokens)
    ... )
    >>> @protected(protection, scopes=["admin"])
    ... def admin(request):
    ...     return HttpResponse(principal_of(request, Principal).name)
    """
    route = protection.needing(scopes) if scopes else protection
    field = route.credentials_header

    def decorate(view: _View) -> _View:
        if iscoroutinefunction(view):

            @functools.wraps(view)
            async def protected_async_view(
                request: HttpRequest, *args: object, **kwargs: object
            ) -> HttpResponseBase:
                info, value = request_info(request, field)
                answer = await route.check_async(info, value)
                if not answer.granted:
                    return answer_response(answer)
                pending = _grant(request, answer.principal, user, sync=False)
                if pending is not None:
                    _set_user(request, await pending)
                response = await cast("Awaitable[HttpResponseBase]", view(request, *args, **kwargs))
                _add_granted_headers(response, answer)
                return response

            return cast("_View", protected_async_view)

        route.require_sync("a sync Django view")
        if user is not None and inspect.iscoroutinefunction(user):
            raise TypeError("a sync Django view calls user synchronously: give a plain function")

        @functools.wraps(view)
        def protected_view(
            request: HttpRequest, *args: object, **kwargs: object
        ) -> HttpResponseBase:
            info, value = request_info(request, field)
            answer = route.check(info, value)
            if not answer.granted:
                return answer_response(answer)
            _grant(request, answer.principal, user, sync=True)
            response = cast("HttpResponseBase", view(request, *args, **kwargs))
            _add_granted_headers(response, answer)
            return response

        return cast("_View", protected_view)

    return decorate


# ------------------------------------------------------------------ the middleware


class WWWAuthMiddleware(Generic[_P]):
    """Protect the whole site; subclass it with a ``protection``, list it in MIDDLEWARE.

    Every request except the excluded ones must be granted by ``protection``. Exclusions:
    ``exclude`` holds paths (``request.path_info``) matched exactly, or as a prefix when
    they end with "/" (``"/static/"``), by the rule of the ASGI/WSGI middleware's
    ``exclude=`` (a path with empty, ``.`` or ``..`` segments, ``\\`` or ``%`` is never
    excluded); override :meth:`excluded` for any other rule.
    Override :meth:`user` to set ``request.user`` from the principal (then put this
    middleware after ``AuthenticationMiddleware``, which sets ``request.user`` itself).

    It runs sync under WSGI and async under ASGI (Django picks); sync, it refuses at
    start-up a ``protection`` with coroutine-function callbacks.

    Attributes:
        protection: what every request not excluded must pass.
        exclude: the public paths (exact, or prefixes ending with "/").

    Raises:
        django.core.exceptions.ImproperlyConfigured: no ``protection``, or an ``exclude``
            entry that is not a plain absolute path, or ``"/"`` (at start-up).
        TypeError: coroutine-function callbacks in the sync mode (at start-up).

    A project's ``auth.py``, listed as ``"myproject.auth.SiteAuth"`` in MIDDLEWARE:

    >>> from wwwauth import basic
    >>> from wwwauth.integrations.verifiers import BasicVerifier
    >>> class SiteAuth(WWWAuthMiddleware[str]):
    ...     protection = Protection(
    ...         challenges=[basic.challenge("example")],
    ...         verify=BasicVerifier({"aladdin": "open sesame"}),
    ...     )
    ...     exclude = ("/health", "/static/")
    """

    protection: Protection[_P]
    exclude: Sequence[str] = ()
    sync_capable: Final = True
    async_capable: Final = True

    def __init__(
        self, get_response: Callable[[HttpRequest], HttpResponseBase | Awaitable[HttpResponseBase]]
    ) -> None:
        protection = getattr(self, "protection", None)
        if not isinstance(protection, Protection):
            raise ImproperlyConfigured(
                f"{type(self).__qualname__} needs a protection: subclass WWWAuthMiddleware "
                "and set protection = Protection(...)"
            )
        try:
            self._public: Final = _Exclusions(self.exclude)
        except (TypeError, ValueError):
            raise ImproperlyConfigured(
                f"{type(self).__qualname__}.exclude must be a sequence of plain paths "
                "starting with / (no empty, '.' or '..' segments, '\\' or '%'), not '/'"
            ) from None
        self.get_response = get_response
        self.is_async: Final = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)
        else:
            protection.require_sync("Django middleware in sync mode (WSGI)")

    def excluded(self, request: HttpRequest) -> bool:
        """Whether ``request`` is public: by default, its path is in :attr:`exclude`."""
        return self._public(request.path_info)

    def user(self, principal: _P) -> User | None:
        """The Django user set as ``request.user`` for ``principal``; None leaves it alone."""
        return None

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        """Answer a refused request; pass a granted or excluded one on."""
        if self.is_async:
            return self._call_async(request)
        if self.excluded(request):
            return cast("HttpResponseBase", self.get_response(request))
        info, value = request_info(request, self.protection.credentials_header)
        answer = self.protection.check(info, value)
        if not answer.granted:
            return answer_response(answer)
        _grant(request, answer.principal, self.user, sync=True)
        response = cast("HttpResponseBase", self.get_response(request))
        _add_granted_headers(response, answer)
        return response

    async def _call_async(self, request: HttpRequest) -> HttpResponseBase:
        if self.excluded(request):
            return await cast("Awaitable[HttpResponseBase]", self.get_response(request))
        info, value = request_info(request, self.protection.credentials_header)
        answer = await self.protection.check_async(info, value)
        if not answer.granted:
            return answer_response(answer)
        pending = _grant(request, answer.principal, self.user, sync=False)
        if pending is not None:
            _set_user(request, await pending)
        response = await cast("Awaitable[HttpResponseBase]", self.get_response(request))
        _add_granted_headers(response, answer)
        return response
