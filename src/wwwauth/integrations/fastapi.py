"""FastAPI: a security dependency built on :class:`Protection`, with OpenAPI security schemes.

Needs FastAPI (``pip install 'pywwwauth[fastapi]'``); nothing else in
``wwwauth.integrations`` imports this module.

:class:`HTTPAuth` is a dependency: ``Depends(auth)`` guards a route and hands it the
principal; ``Security(auth, scopes=["admin"])`` also needs the scopes (FastAPI's
``SecurityScopes``, so scopes of enclosing ``Security`` dependencies add up). A request it
does not grant raises :class:`AuthRefused`, which :meth:`HTTPAuth.install` (one call per
app) answers with the :class:`~wwwauth.integrations.protect.Answer`: the status, each
challenge on its own ``WWW-Authenticate`` field line, the Protection's body (plain text,
RFC 9457 problem+json or yours). An app without the handler still refuses (FastAPI's
own handler sends the status, the challenges on their own lines and a JSON ``detail``):
it never grants.

The credentials are read from the raw ``Authorization`` field, never through FastAPI's
``HTTPBearer`` (which hands ``Bearer a b`` over as the token ``"a b"``): malformed Bearer
credentials get 400 with ``error="invalid_request"``.

OpenAPI: each scheme offered (``http``/``bearer``, ``http``/``basic``, ``http``/``digest``,
...) is listed in ``components.securitySchemes`` under the scheme's lower-case name, and a
guarded route lists each as an alternative security requirement with its scopes, so
``/docs`` shows its Authorize button. ``/docs`` and ``/openapi.json`` stay public: only
the routes that depend on ``auth`` are guarded.

``verify`` and ``authorize`` may be coroutine functions (awaited) or plain functions (run
in the thread pool, like a sync dependency, so a password hash does not stall the event
loop). An exception in them is logged without its message and answered 500. Digest
``auth-int`` is not offered here (the content is not read before the route runs:
``verify`` sees ``body=None``).

>>> from typing import Annotated
>>> from fastapi import Depends, FastAPI, Security
>>> from fastapi.testclient import TestClient
>>> from wwwauth import basic, bearer
>>> from wwwauth.integrations.protect import Protection
>>> from wwwauth.integrations.verifiers import BasicVerifier
>>> auth = HTTPAuth(Protection[str](
...     challenges=[bearer.challenge(realm="example"), basic.challenge("example")],
...     verify=BasicVerifier({"aladdin": "open sesame"}),
... ))
>>> app = FastAPI()
>>> auth.install(app)
>>> @app.get("/private")
... async def private(user: Annotated[str, Depends(auth)]) -> str:
...     return user
>>> client = TestClient(app)
>>> client.get("/private").headers.get_list("WWW-Authenticate")
['Bearer realm="example"', 'Basic realm="example"']
>>> client.get("/private", auth=("aladdin", "open sesame")).json()
'aladdin'
>>> sorted(app.openapi()["components"]["securitySchemes"])
['basic', 'bearer']
"""

from __future__ import annotations

import inspect
from collections.abc import ItemsView, Iterator, Mapping, Sequence
from typing import Final, Generic, TypeVar

from fastapi import Depends, FastAPI, HTTPException, Request, Response
from fastapi.openapi.models import HTTPBase as HTTPBaseModel
from fastapi.security import SecurityScopes
from fastapi.security.base import SecurityBase

from ..model import Challenge, ascii_lower
from .protect import Answer, Protection
from .server import ChallengeSource
from .starlette import check, response_for

__all__ = [
    "AuthRefused",
    "FieldLines",
    "HTTPAuth",
    "OfferedScheme",
    "handle_refusal",
]

_P = TypeVar("_P")


class _Lines(ItemsView[str, str]):
    """The items of :class:`FieldLines`: every field line, repeated names included."""

    def __init__(self, owner: FieldLines) -> None:
        super().__init__(owner)
        self._lines = owner.lines

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)

    def __contains__(self, item: object) -> bool:
        return item in self._lines


class FieldLines(Mapping[str, str]):
    """Header fields for ``HTTPException(headers=...)`` that keep one field line each.

    Starlette's ``Response`` builds its headers from ``headers.items()``: these items are
    the field lines as given, repeated names included, so no challenge is lost. Looking
    a name up (``fields["WWW-Authenticate"]``, or ``dict(fields)``) gives its values
    joined with ", " (RFC 9110 §5.3): still every challenge, on one line.

    >>> fields = FieldLines([("WWW-Authenticate", "Bearer"), ("WWW-Authenticate", "Basic")])
    >>> list(fields.items())
    [('WWW-Authenticate', 'Bearer'), ('WWW-Authenticate', 'Basic')]
    >>> fields["www-authenticate"]
    'Bearer, Basic'
    """

    def __init__(self, lines: Sequence[tuple[str, str]]) -> None:
        self.lines: Final = tuple(lines)

    def __getitem__(self, name: str) -> str:
        values = [value for field, value in self.lines if ascii_lower(field) == ascii_lower(name)]
        if not values:
            raise KeyError(name)
        return ", ".join(values)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(field for field, _ in self.lines))

    def __len__(self) -> int:
        return len(dict.fromkeys(field for field, _ in self.lines))

    def items(self) -> ItemsView[str, str]:
        """Every field line as (name, value), in order, repeated names included."""
        return _Lines(self)


class AuthRefused(HTTPException):
    """A refusal by :class:`HTTPAuth`, carrying the answer to send.

    Its ``headers`` are the answer's header fields (but ``Content-Type``) as
    :class:`FieldLines`, its ``detail`` the decision's reason (never a credential), so
    FastAPI's own handler also sends the status and every challenge on its own line.
    :func:`handle_refusal` sends the answer exactly.

    Attributes:
        answer: the :class:`~wwwauth.integrations.protect.Answer` (status 400, 401, 403,
            407 or 500).
    """

    def __init__(self, answer: Answer[object]) -> None:
        fields = [
            (name, value) for name, value in answer.headers if ascii_lower(name) != "content-type"
        ]
        super().__init__(answer.status, detail=answer.decision.reason, headers=FieldLines(fields))
        self.answer: Final = answer


async def handle_refusal(request: Request, exc: Exception) -> Response:
    """The exception handler of :class:`AuthRefused`: the answer's status, each field, body.

    ``app.add_exception_handler(AuthRefused, handle_refusal)`` installs it
    (:meth:`HTTPAuth.install` does). Any other exception is re-raised.
    """
    if not isinstance(exc, AuthRefused):
        raise exc
    return response_for(exc.answer)


class OfferedScheme(SecurityBase):
    """An OpenAPI ``http`` security scheme for one offered challenge; a no-op dependency.

    FastAPI lists a ``SecurityBase`` dependency in ``components.securitySchemes`` (its
    ``model`` under its ``scheme_name``) and in the route's ``security``. This one reads
    nothing: :class:`HTTPAuth` reads the credentials itself.

    Args:
        scheme: the authentication scheme (``"bearer"``, ``"basic"``, ``"digest"``...).
        scheme_name: its name in ``components.securitySchemes``.
        description: shown by ``/docs``.

    >>> OfferedScheme("bearer", "bearer").model.model_dump(mode="json", by_alias=True, exclude_none=True)
    {'type': 'http', 'scheme': 'bearer'}
    """

    def __init__(self, scheme: str, scheme_name: str, description: str | None = None) -> None:
        self.model = HTTPBaseModel(scheme=scheme, description=description)
        self.scheme_name = scheme_name

    async def __call__(self) -> None:
        """Nothing to read: :class:`HTTPAuth` checks the credentials."""


def _scheme_of(source: ChallengeSource) -> str:
    challenge = source if isinstance(source, Challenge) else source()
    return ascii_lower(challenge.scheme)


def _offered(challenges: Sequence[ChallengeSource]) -> tuple[OfferedScheme, ...]:
    schemes = dict.fromkeys(_scheme_of(source) for source in challenges)
    # OpenAPI 3.1 §4.8.27: type "http" with an HTTP authentication scheme name (RFC 9110 §11).
    return tuple(OfferedScheme(scheme, scheme) for scheme in schemes)


class HTTPAuth(Generic[_P]):
    """A FastAPI security dependency: the principal, or a refusal with every challenge.

    Args:
        protection: the challenges, ``verify``, scopes and ``authorize`` to apply; a
            route's ``Security(..., scopes=[...])`` adds to its scopes.

    Attributes:
        protection: as given.
        schemes: the OpenAPI security schemes, one per offered scheme, in order.

    Raises:
        ValueError: from a challenge callable, called once to learn its scheme.

    >>> from wwwauth import basic
    >>> auth = HTTPAuth(Protection[str](challenges=[basic.challenge("a")],
    ...                                 verify=lambda credentials, request: None))
    >>> [scheme.scheme_name for scheme in auth.schemes]
    ['basic']
    """

    __signature__: inspect.Signature

    def __init__(self, protection: Protection[_P]) -> None:
        self.protection: Final = protection
        self.schemes: Final = _offered(protection.challenges)
        # FastAPI reads a dependency's parameters from its signature: the request, the
        # scopes, a response for Authentication-Info, and one sub-dependency per offered
        # scheme (which is how FastAPI's OpenAPI finds security schemes).
        parameter = inspect.Parameter
        kind = parameter.KEYWORD_ONLY
        self.__signature__ = inspect.Signature(
            [
                parameter("request", kind, annotation=Request),
                parameter("security_scopes", kind, annotation=SecurityScopes),
                parameter("response", kind, annotation=Response),
                *(
                    parameter(f"wwwauth_scheme_{index}", kind, default=Depends(scheme))
                    for index, scheme in enumerate(self.schemes)
                ),
            ]
        )

    async def __call__(
        self,
        *,
        request: Request,
        security_scopes: SecurityScopes,
        response: Response,
        **schemes: None,
    ) -> _P:
        """The principal of a granted request.

        Raises:
            AuthRefused: the request is not granted (the answer says how to refuse).
        """
        protection = self.protection.needing(frozenset(security_scopes.scopes))
        _, answer = await check(protection, request)
        principal = answer.principal
        if principal is None or not answer.granted:
            raise AuthRefused(answer)
        for name, field in answer.headers:  # Authentication-Info, when configured
            response.headers.append(name, field)
        return principal

    @staticmethod
    def install(app: FastAPI) -> None:
        """Answer :class:`AuthRefused` with its answer in ``app`` (call once per app)."""
        app.add_exception_handler(AuthRefused, handle_refusal)
