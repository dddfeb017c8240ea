"""mypy rejects callbacks of the wrong shape (CI runs ``mypy --strict`` on tests/).

Each line marked ``# type: ignore[code]`` is a call mypy must reject: ``--strict`` turns
on ``warn_unused_ignores``, so if a signature stopped rejecting it, mypy would fail CI
on the unused ignore. The unmarked calls are the shapes that must stay accepted. At
run time the constructors only store the callbacks (WSGI refuses coroutine functions).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pytest

from wwwauth import Credentials, basic
from wwwauth.integrations import asgi, wsgi
from wwwauth.integrations.server import STALE, DigestVerifier, RequestInfo, Stale

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

CHALLENGES = [basic.challenge("typing")]


async def asgi_app(scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
    return None


def wsgi_app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    return []


# the shapes that are right


def verify_user(credentials: Credentials, request: RequestInfo) -> str | None:
    return None


def verify_or_stale(credentials: Credentials, request: RequestInfo) -> str | Stale | None:
    return STALE


async def verify_async(credentials: Credentials, request: RequestInfo) -> str | None:
    return None


def authorize_user(principal: str, request: RequestInfo) -> bool:
    return principal == "alice"


async def authorize_async(principal: str, request: RequestInfo) -> bool:
    return True


# the shapes that are wrong


def verify_one_argument(credentials: Credentials) -> str | None:
    return None


def verify_of_text(credentials: str, request: RequestInfo) -> str | None:
    return None


def authorize_text_answer(principal: str, request: RequestInfo) -> str:
    return "yes"


def authorize_optional(principal: str, request: RequestInfo) -> bool | None:
    return None


def authorize_int_principal(principal: int, request: RequestInfo) -> bool:
    return True


def test_right_shapes_are_accepted() -> None:
    verifier = DigestVerifier({}, realm="typing")
    asgi.AuthMiddleware(asgi_app, challenges=CHALLENGES, verify=verify_user)
    asgi.AuthMiddleware(asgi_app, challenges=CHALLENGES, verify=verify_or_stale)
    asgi.AuthMiddleware(asgi_app, challenges=CHALLENGES, verify=verifier)
    asgi.AuthMiddleware(
        asgi_app, challenges=CHALLENGES, verify=verify_user, authorize=authorize_user
    )
    asgi.AuthMiddleware(
        asgi_app, challenges=CHALLENGES, verify=verify_async, authorize=authorize_user
    )
    asgi.AuthMiddleware(
        asgi_app, challenges=CHALLENGES, verify=verify_async, authorize=authorize_async
    )
    asgi.AuthMiddleware(asgi_app, challenges=CHALLENGES, verify=verifier, authorize=authorize_async)
    asgi.AuthMiddleware(
        asgi_app, challenges=[verifier.challenge], verify=verifier, check_nonce=len.__eq__
    )
    wsgi.AuthMiddleware(wsgi_app, challenges=CHALLENGES, verify=verify_user)
    wsgi.AuthMiddleware(wsgi_app, challenges=CHALLENGES, verify=verifier, authorize=authorize_user)
    wsgi.AuthMiddleware(
        wsgi_app, challenges=CHALLENGES, verify=verify_or_stale, authorize=authorize_user
    )


A = asgi.AuthMiddleware
W = wsgi.AuthMiddleware
C = CHALLENGES


def test_wrong_shapes_are_rejected_by_mypy() -> None:
    # verify must take (credentials, request)
    A(asgi_app, challenges=C, verify=verify_one_argument)  # type: ignore[arg-type]
    A(asgi_app, challenges=C, verify=verify_of_text)  # type: ignore[arg-type]
    W(wsgi_app, challenges=C, verify=verify_one_argument)  # type: ignore[arg-type]
    W(wsgi_app, challenges=C, verify=verify_of_text)  # type: ignore[arg-type]
    # authorize must answer bool, not a truthy str or an Optional
    A(asgi_app, challenges=C, verify=verify_user, authorize=authorize_text_answer)  # type: ignore[arg-type]
    A(asgi_app, challenges=C, verify=verify_user, authorize=authorize_optional)  # type: ignore[arg-type]
    W(wsgi_app, challenges=C, verify=verify_user, authorize=authorize_text_answer)  # type: ignore[arg-type]
    W(wsgi_app, challenges=C, verify=verify_user, authorize=authorize_optional)  # type: ignore[arg-type]
    # authorize must take the principal verify gives (str here, not int)
    A(asgi_app, challenges=C, verify=verify_user, authorize=authorize_int_principal)  # type: ignore[arg-type]
    A(asgi_app, challenges=C, verify=verify_async, authorize=authorize_int_principal)  # type: ignore[misc]
    W(wsgi_app, challenges=C, verify=verify_user, authorize=authorize_int_principal)  # type: ignore[misc]
    # an async authorize under WSGI: an awaitable is not a bool (and TypeError at run time)
    with pytest.raises(TypeError):
        W(wsgi_app, challenges=C, verify=verify_user, authorize=authorize_async)  # type: ignore[arg-type]
    # max_body is an int, check_nonce takes the nonce
    with pytest.raises(TypeError):
        A(asgi_app, challenges=C, verify=verify_user, max_body="1M")  # type: ignore[call-overload]
    W(wsgi_app, challenges=C, verify=verify_user, check_nonce=verify_user)  # type: ignore[arg-type]
