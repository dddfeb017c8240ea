"""decide() behind a real endpoint of Starlette (ASGI), Flask (WSGI) and aiohttp.

Each app protects ``GET /orders`` the same way: the app checks the credentials itself
(``verify``), ``decide`` picks the status and the challenge fields, and every field line
reaches the client unmerged. Each is driven by its own test client, and every answer
is checked with ``assert_auth_response``. The frameworks are in the ``test`` extra.
"""

from __future__ import annotations

import asyncio
import base64
import hmac
from dataclasses import dataclass

import flask
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient as AiohttpClient
from aiohttp.test_utils import TestServer
from multidict import CIMultiDict
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient as StarletteClient

from wwwauth import Challenge, ParseError, basic, bearer, parse_authorization
from wwwauth.decide import Decision, decide
from wwwauth.testing import HeadersInput, assert_auth_response

CHALLENGES = [
    Challenge("Basic", {"realm": "orders"}),
    Challenge("Bearer", {"realm": "orders", "scope": "orders:write"}),
]
PASSWORDS = {"alice": "correct horse"}
TOKEN_SCOPES = {"writer-token": {"orders:write"}, "reader-token": {"orders:read"}}
AUTH_FIELDS = {"www-authenticate", "proxy-authenticate", "authentication-info"}


def verify(authorization: str | None) -> tuple[bool, bool]:
    """The app's own check of the credentials: (authenticated, authorized)."""
    if authorization is None:
        return False, False
    try:
        scheme = parse_authorization(authorization).scheme.lower()
        if scheme == "basic":
            user, password = basic.decode(authorization)
            expected = PASSWORDS.get(user, "")
            ok = user in PASSWORDS and hmac.compare_digest(password.encode(), expected.encode())
            return ok, ok
        if scheme == "bearer":
            scopes = TOKEN_SCOPES.get(bearer.token(authorization))
            return scopes is not None, scopes is not None and "orders:write" in scopes
    except ParseError:
        pass
    return False, False


def check(authorization: str | None) -> Decision:
    authenticated, authorized = verify(authorization)
    return decide(
        challenges=CHALLENGES,
        credentials=authorization,
        authenticated=authenticated,
        authorized=authorized,
    )


# Starlette (ASGI)


async def starlette_orders(request: Request) -> PlainTextResponse:
    decision = check(request.headers.get("authorization"))
    body = "orders" if decision.status == 200 else decision.reason
    response = PlainTextResponse(body, status_code=decision.status)
    for name, value in decision.headers:
        response.headers.append(name, value)  # one field line per challenge
    return response


starlette_app = Starlette(routes=[Route("/orders", starlette_orders)])


# Flask (WSGI)

flask_app = flask.Flask(__name__)


@flask_app.get("/orders")
def flask_orders() -> tuple[str, int, list[tuple[str, str]]]:
    decision = check(flask.request.headers.get("Authorization"))
    body = "orders" if decision.status == 200 else decision.reason
    return body, decision.status, list(decision.headers)  # a list keeps repeated names


# aiohttp


async def aiohttp_orders(request: web.Request) -> web.Response:
    decision = check(request.headers.get("Authorization"))
    body = "orders" if decision.status == 200 else decision.reason
    return web.Response(text=body, status=decision.status, headers=CIMultiDict(decision.headers))


def aiohttp_app() -> web.Application:
    app = web.Application()
    app.router.add_get("/orders", aiohttp_orders)
    return app


# The requests, and what each framework answered.


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: list[tuple[str, str]]  # every field line, in order, names lower-cased
    body: str
    raw: HeadersInput  # the framework's own headers object


def _headers(authorization: str | None) -> dict[str, str]:
    return {} if authorization is None else {"Authorization": authorization}


def _auth_lines(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name.lower(), value) for name, value in pairs]


def ask_starlette(authorization: str | None) -> Answer:
    with StarletteClient(starlette_app) as client:
        response = client.get("/orders", headers=_headers(authorization))
    headers = response.headers
    return Answer(response.status_code, _auth_lines(headers.multi_items()), response.text, headers)


def ask_flask(authorization: str | None) -> Answer:
    response = flask_app.test_client().get("/orders", headers=_headers(authorization))
    headers = response.headers
    return Answer(
        response.status_code, _auth_lines(list(headers.items())), response.get_data(True), headers
    )


def ask_aiohttp(authorization: str | None) -> Answer:
    async def ask() -> Answer:
        async with (
            AiohttpClient(TestServer(aiohttp_app())) as client,
            client.get("/orders", headers=_headers(authorization)) as response,
        ):
            body = await response.text()
            headers = response.headers
            return Answer(response.status, _auth_lines(list(headers.items())), body, headers)

    return asyncio.run(ask())


FRAMEWORKS = {"starlette": ask_starlette, "flask": ask_flask, "aiohttp": ask_aiohttp}

BASIC_ALICE = "Basic " + base64.b64encode(b"alice:correct horse").decode()
BASIC_WRONG = "Basic " + base64.b64encode(b"alice:wrong").decode()

# (id, Authorization sent, status expected, a fragment of a WWW-Authenticate value or "")
REQUESTS: list[tuple[str, str | None, int, str]] = [
    ("RFC 9110 §15.5.2: no credentials", None, 401, 'Basic realm="orders"'),
    ("RFC 9110 §11.6.2: right password", BASIC_ALICE, 200, ""),
    ("RFC 9110 §15.5.2: wrong password", BASIC_WRONG, 401, 'Basic realm="orders"'),
    ("RFC 9110 §15.5.2: Authorization that does not parse", "Basic a b", 401, "Basic"),
    ("RFC 9110 §15.5.2: a scheme not offered", "Token abc", 401, 'Bearer realm="orders"'),
    ("RFC 6750 §3.1: token with the scope", "Bearer writer-token", 200, ""),
    ("RFC 6750 §3.1: unknown token", "Bearer stolen-token", 401, 'error="invalid_token"'),
    (
        "RFC 6750 §3.1: token without the scope",
        "Bearer reader-token",
        403,
        'error="insufficient_scope"',
    ),
    ("RFC 6750 §3.1: malformed Bearer", "Bearer a b", 400, 'error="invalid_request"'),
]


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize(
    ("authorization", "status", "fragment"), [r[1:] for r in REQUESTS], ids=[r[0] for r in REQUESTS]
)
def test_protected_endpoint(
    framework: str, authorization: str | None, status: int, fragment: str
) -> None:
    answer = FRAMEWORKS[framework](authorization)
    decision = check(authorization)
    # THEN the client got decide()'s status and every field line, unmerged and in order,
    assert answer.status == status == decision.status
    sent = [(name, value) for name, value in answer.headers if name in AUTH_FIELDS]
    assert sent == [(name.lower(), value) for name, value in decision.headers]
    assert any(fragment in value for _, value in sent) if fragment else sent == []
    # AND the whole answer passes the testing kit.
    assert_auth_response(answer.status, answer.headers)
    assert_auth_response(answer.status, answer.raw)  # as the framework gives them
    if status != 200:
        assert answer.body == decision.reason
    for secret in ("correct horse", "writer-token", "reader-token", "stolen-token"):
        assert secret not in answer.body


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_challenge_on_its_own_field_line(framework: str) -> None:
    answer = FRAMEWORKS[framework](None)
    assert [value for name, value in answer.headers if name == "www-authenticate"] == [
        'Basic realm="orders"',
        'Bearer realm="orders", scope="orders:write"',
    ]
