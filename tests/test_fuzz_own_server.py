"""The testing kit used as the README says: fuzz a server with hostile credentials.

Our own ASGI and WSGI middleware, behind the Starlette and Flask test clients, answer
every hostile Authorization value with a 400 or a 401 whose fields pass the kit's
checks, and never reach the application.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from hypothesis import given, settings
from starlette.testclient import TestClient

from wwwauth import Credentials, basic, strategies
from wwwauth.integrations import asgi, wsgi
from wwwauth.testing import assert_auth_response

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

REACHED: list[str] = []


def _verify(credentials: Credentials, request: object) -> str | None:
    return None  # no credentials are right: only refusals are under test


async def _asgi_app(scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
    REACHED.append("asgi")
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"in"})


def _wsgi_app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    REACHED.append("wsgi")
    start_response("200 OK", [])
    return [b"in"]


ASGI_CLIENT = TestClient(
    asgi.AuthMiddleware(_asgi_app, challenges=[basic.challenge("fuzz")], verify=_verify)
)


@settings(max_examples=60)
@given(strategies.hostile_header_values("Authorization"))
def test_asgi_middleware_refuses_every_hostile_authorization(value: str) -> None:
    response = ASGI_CLIENT.get("/", headers={"Authorization": value.encode("latin-1")})
    assert response.status_code in (400, 401)
    assert_auth_response(response)
    assert REACHED == []


@settings(max_examples=60)
@given(strategies.hostile_header_values("Authorization"))
def test_wsgi_middleware_refuses_every_hostile_authorization(value: str) -> None:
    from werkzeug.test import Client

    client = Client(
        wsgi.AuthMiddleware(_wsgi_app, challenges=[basic.challenge("fuzz")], verify=_verify)
    )
    response = client.get("/", headers={"Authorization": value})
    assert response.status_code in (400, 401)
    assert_auth_response(response)
    assert REACHED == []
