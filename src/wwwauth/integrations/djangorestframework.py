"""Django REST framework: an authentication class, a scope permission, one challenge per line.

Built on :class:`~wwwauth.integrations.protect.Protection` and the Django adapter
(:mod:`wwwauth.integrations.django`), so a request gets the same status and challenges
as in every other adapter; the refusal body is REST framework's own
(``{"detail": reason}``, rendered by its renderers), unless the protection was built
with ``refusal_body="problem"`` or a callable, whose body is then sent.

* :class:`WWWAuthentication`, subclassed with a ``protection``: ``authenticate`` returns
  ``(user, principal)`` (so ``request.auth`` is the principal and ``request.user`` a
  :class:`PrincipalUser`, or your :meth:`~WWWAuthentication.user`), None when no
  credentials (or credentials of a scheme it does not offer) were sent, and refuses
  other credentials with the protection's answer (401, or 400 for malformed Bearer
  credentials). Its ``authenticate_header`` makes REST framework answer 401, not 403,
  when credentials are missing: put it FIRST in ``authentication_classes`` (REST
  framework asks only the first one).
* :class:`HasScopes`: a permission for the view's ``required_scopes``; a Bearer principal
  lacking one gets 403 with ``error="insufficient_scope"`` and ``scope="..."`` (RFC 6750
  §3.1); a principal without scopes (Basic) gets a plain 403.
* One challenge per field line: ``authenticate_header`` returns one string, and REST
  framework sends it as one field line holding every challenge (valid: RFC 9110 §11.6.1
  allows a list). To send each challenge on its own line, set
  ``REST_FRAMEWORK["EXCEPTION_HANDLER"]`` to :func:`exception_handler` (it wraps REST
  framework's own), or add :class:`FieldLinesMixin` to your views.

REST framework calls authentication synchronously: a ``protection`` with
coroutine-function callbacks is refused when the subclass is defined.

>>> from wwwauth import bearer
>>> from wwwauth.integrations.verifiers import BearerVerifier, Principal
>>> class TokenAuth(WWWAuthentication[Principal]):
...     protection = Protection(
...         challenges=[bearer.challenge(realm="example")],
...         verify=BearerVerifier({"t": Principal(name="t", scopes=frozenset({"admin"}))}),
...     )
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Final, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from rest_framework import views
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import APIException
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from ..model import ascii_lower
from ..parsing import parse_www_authenticate
from .django import PRINCIPAL_ATTRIBUTE, add_field_line, answer_response, request_info
from .protect import Answer, Protection

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from rest_framework.views import APIView

    _ViewBase = APIView
else:
    _ViewBase = object

__all__ = [
    "FieldLinesMixin",
    "HasScopes",
    "PrincipalUser",
    "WWWAuthRefusal",
    "WWWAuthentication",
    "exception_handler",
    "principal_of",
]

_P = TypeVar("_P")
_T = TypeVar("_T")

# The attribute of the Django request holding the refusal, so the response can be given
# one field line per challenge.
_REFUSAL_ATTRIBUTE: Final = "wwwauth_refusal"


@dataclass(frozen=True, slots=True)
class _Refusal:
    answer: Answer[object]
    own_body: bool  # refusal_body was "problem" or a callable: send the answer's body


@dataclass(frozen=True, slots=True)
class PrincipalUser(Generic[_P]):
    """``request.user`` for a principal: authenticated, named after it.

    REST framework's ``IsAuthenticated`` (and throttles) read ``is_authenticated`` and
    ``pk``; the principal itself is :attr:`principal` (and ``request.auth``).

    >>> user = PrincipalUser("aladdin")
    >>> user.is_authenticated, user.get_username(), str(user)
    (True, 'aladdin', 'aladdin')
    """

    principal: _P
    is_authenticated: ClassVar[bool] = True
    is_anonymous: ClassVar[bool] = False

    @property
    def username(self) -> str:
        """The principal if it is a str, else its ``name`` attribute, else its str()."""
        if isinstance(self.principal, str):
            return self.principal
        name = getattr(self.principal, "name", None)
        return name if isinstance(name, str) else str(self.principal)

    @property
    def pk(self) -> str:
        """The username (what a throttle keys on)."""
        return self.username

    def get_username(self) -> str:
        """The username, as a Django user gives it."""
        return self.username

    def __str__(self) -> str:
        return self.username


class WWWAuthRefusal(APIException):
    """A refusal: the protection's answer as a REST framework exception.

    Its status is the answer's; ``auth_header`` (which REST framework's exception
    handler sends as ``WWW-Authenticate``) holds every challenge on one line, which
    :func:`exception_handler` and :class:`FieldLinesMixin` split one per line.

    Attributes:
        answer: the protection's answer (status, header fields, body).
    """

    def __init__(self, answer: Answer[object]) -> None:
        super().__init__(detail=answer.decision.reason, code=f"http_{answer.status}")
        self.status_code = answer.status
        self.answer: Final = answer
        self.auth_header: Final = _challenge_line(answer)


def _challenges(answer: Answer[object]) -> list[str]:
    return [value for name, value in answer.headers if ascii_lower(name) == "www-authenticate"]


def _challenge_line(answer: Answer[object]) -> str | None:
    # RFC 9110 §11.6.1: WWW-Authenticate = #challenge, so one line may hold them all.
    return ", ".join(_challenges(answer)) or None


def _remember(request: Request, answer: Answer[object], protection: Protection[_P]) -> None:
    refusal = _Refusal(answer, own_body=protection.refusal_body != "text")
    setattr(request._request, _REFUSAL_ATTRIBUTE, refusal)


class WWWAuthentication(BaseAuthentication, Generic[_P]):
    """REST framework authentication by a :class:`Protection`; subclass it with one.

    Attributes:
        protection: the challenges, verifier and options (not ``proxy``: REST framework
            answers 401 with ``WWW-Authenticate``). Checked when the subclass is
            defined: coroutine-function callbacks are refused (REST framework calls
            authentication synchronously).

    Raises:
        django.core.exceptions.ImproperlyConfigured: ``protection`` is not a
            :class:`Protection`, or is a proxy's (when the subclass is defined), or is
            missing (when used).
        TypeError: ``verify`` or ``authorize`` is a coroutine function.
    """

    protection: Protection[_P]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "protection" in cls.__dict__:
            _check_protection(cls, cls.__dict__["protection"])

    def __init__(self) -> None:
        _check_protection(type(self), getattr(self, "protection", None))

    def user(self, principal: _P) -> AbstractBaseUser | AnonymousUser | PrincipalUser[_P]:
        """``request.user`` for ``principal``: a :class:`PrincipalUser` unless overridden.

        Override it to return a Django user (``User.objects.get(...)``).
        """
        return PrincipalUser(principal)

    def authenticate(
        self, request: Request
    ) -> tuple[AbstractBaseUser | AnonymousUser | PrincipalUser[_P], _P] | None:
        """``(user, principal)`` for granted credentials; None for none or another scheme.

        Raises:
            WWWAuthRefusal: credentials of a scheme offered were refused (401; 400 for
                malformed Bearer credentials; 403 when ``authorize`` says no; 500 when
                a callback raised).
        """
        info, value = request_info(request._request, self.protection.credentials_header)
        if value is None:
            return None
        answer = self.protection.check(info, value)
        if not answer.granted:
            if answer.status == 401 and not _offers_scheme_of(answer, value):
                return None  # another authentication class may take it
            _remember(request, answer, self.protection)
            raise WWWAuthRefusal(answer)
        principal: _P = answer.principal  # type: ignore[assignment]  # granted: not None
        setattr(request._request, PRINCIPAL_ATTRIBUTE, principal)
        return self.user(principal), principal

    def authenticate_header(self, request: Request) -> str:
        """Every challenge, on one line (split one per line by :func:`exception_handler`).

        REST framework answers 401 with it when the request is not authenticated (403
        when the first authentication class gives none).
        """
        info, _ = request_info(request._request, self.protection.credentials_header)
        answer = self.protection.check(info, None)
        _remember(request, answer, self.protection)
        return _challenge_line(answer) or ""


def principal_of(request: Request, kind: type[_T]) -> _T:
    """The principal a :class:`WWWAuthentication` granted the request (``request.auth``).

    Args:
        request: the request the view got.
        kind: the principal's type (``object`` for any).

    Raises:
        LookupError: no :class:`WWWAuthentication` authenticated the request.
        TypeError: the principal is not a ``kind``.
    """
    if not isinstance(request.successful_authenticator, WWWAuthentication):
        raise LookupError(  # noqa: TRY004 - a missing principal, as in .django.principal_of
            "this request was not authenticated by wwwauth: no principal"
        )
    principal: object = request.auth
    if not isinstance(principal, kind):
        raise TypeError(f"the principal is a {type(principal).__name__}, not a {kind.__name__}")
    return principal


def _check_protection(owner: type, protection: object) -> None:
    if not isinstance(protection, Protection):
        raise ImproperlyConfigured(
            f"{owner.__qualname__} needs a protection: set protection = Protection(...)"
        )
    if protection.proxy:
        raise ImproperlyConfigured(
            "REST framework answers 401 with WWW-Authenticate: a proxy's protection does not fit"
        )
    protection.require_sync("REST framework")


def _offers_scheme_of(answer: Answer[object], value: str) -> bool:
    """Whether the scheme of the credentials ``value`` is among the answer's challenges."""
    scheme = ascii_lower(value.lstrip(" \t").split(" ", 1)[0])
    offered: set[str] = set()
    for line in _challenges(answer):
        offered.update(ascii_lower(challenge.scheme) for challenge in parse_www_authenticate(line))
    return scheme in offered


class HasScopes(BasePermission):
    """Allow a request whose principal holds the view's ``required_scopes``.

    The scopes needed are the view's ``required_scopes`` attribute and, for a class made
    by :meth:`of`, its own. A request not authenticated by a :class:`WWWAuthentication`
    is refused as REST framework does (401 with the challenges when it is not
    authenticated at all). A principal lacking a scope gets the protection's 403: on
    Bearer, ``error="insufficient_scope"`` with ``scope="..."`` (RFC 6750 §3.1); a
    principal without scopes (Basic), a plain 403.
    """

    scopes: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def of(cls, *scopes: str) -> type[HasScopes]:
        """A :class:`HasScopes` that needs ``scopes`` too (for ``@permission_classes``)."""
        return type("HasScopes", (cls,), {"scopes": cls.scopes | frozenset(scopes)})

    def has_permission(self, request: Request, view: APIView) -> bool:
        """True when the principal holds the scopes; else False or a refusal raised.

        Raises:
            WWWAuthRefusal: the principal lacks a scope (403).
        """
        needed = self.scopes | _scopes_of_view(view)
        authenticator = request.successful_authenticator
        if not isinstance(authenticator, WWWAuthentication):
            return not needed and authenticator is not None
        if not needed:
            return True
        principal: object = request.auth
        base = authenticator.protection
        # Decide again for the verified principal, now needing the view's scopes: the
        # credentials are not verified twice.
        route = Protection[object](
            challenges=base.challenges,
            verify=lambda credentials, info: principal,
            scopes=base.scopes | needed,
            refusal_body=base.refusal_body,
        )
        info, value = request_info(request._request, base.credentials_header)
        answer = route.check(info, value)
        if answer.granted:
            return True
        _remember(request, answer, route)
        raise WWWAuthRefusal(answer)


def _scopes_of_view(view: object) -> frozenset[str]:
    scopes: object = getattr(view, "required_scopes", ())
    if isinstance(scopes, str) or not isinstance(scopes, Iterable):
        raise ImproperlyConfigured("required_scopes must be a list of scopes, not a str")
    return frozenset(str(scope) for scope in scopes)


def _with_field_lines(request: object, response: HttpResponseBase) -> HttpResponseBase:
    """``response`` with one WWW-Authenticate field line per challenge of the refusal.

    Only for the refusal remembered on the request, when the response answers it (the
    same status); the protection's own body replaces REST framework's when it was built
    with ``refusal_body="problem"`` or a callable.
    """
    http = request._request if isinstance(request, Request) else request
    refusal = getattr(http, _REFUSAL_ATTRIBUTE, None) if isinstance(http, HttpRequest) else None
    if not isinstance(refusal, _Refusal) or refusal.answer.status != response.status_code:
        return response
    if refusal.own_body:
        return answer_response(refusal.answer)
    if response.has_header("WWW-Authenticate"):
        del response["WWW-Authenticate"]
    for challenge in _challenges(refusal.answer):
        add_field_line(response, "WWW-Authenticate", challenge)
    return response


def exception_handler(exc: Exception, context: Mapping[str, object]) -> HttpResponseBase | None:
    """REST framework's exception handler, with one field line per challenge.

    Set ``REST_FRAMEWORK = {"EXCEPTION_HANDLER":
    "wwwauth.integrations.djangorestframework.exception_handler"}``. A refusal of a
    protection built with ``refusal_body="problem"`` (or a callable) gets that body.
    """
    response = views.exception_handler(exc, dict(context))
    if response is None:
        return None
    return _with_field_lines(context.get("request"), response)


class FieldLinesMixin(_ViewBase):
    """An APIView mixin: refusals send one WWW-Authenticate field line per challenge.

    For views when the project's ``EXCEPTION_HANDLER`` cannot be
    :func:`exception_handler`. Put it before ``APIView`` (or any of its subclasses) in
    the bases.
    """

    # REST framework's dispatch returns any HttpResponseBase it gets here (a view may
    # return a plain HttpResponse); the stubs say Response.
    def finalize_response(  # type: ignore[override]
        self, request: Request, response: HttpResponseBase, *args: object, **kwargs: object
    ) -> HttpResponseBase:
        """REST framework's ``finalize_response``, then one field line per challenge."""
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[arg-type]
        return _with_field_lines(request, response)
