"""Starlette protected with wwwauth: ``python examples/starlette_app.py --port 8000``.

GET /public is open; /private takes Bearer ``read-token`` / ``admin-token`` or Basic
``aladdin`` / ``open sesame``; /admin needs scope ``admin`` too. Try
``curl -si -u aladdin:'open sesame' http://127.0.0.1:8000/private``.
"""

from __future__ import annotations

import argparse

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from wwwauth import Credentials, basic, bearer
from wwwauth.integrations.protect import Protection
from wwwauth.integrations.server import RequestInfo
from wwwauth.integrations.starlette import AuthBackend, AuthUser, protect
from wwwauth.integrations.verifiers import BasicVerifier, BearerVerifier, Principal

USERS = BasicVerifier({"aladdin": "open sesame"}, principal=lambda user: Principal(name=user))
TOKENS = BearerVerifier(
    {
        "read-token": Principal(name="read-token", scopes=frozenset({"read"})),
        "admin-token": Principal(name="admin-token", scopes=frozenset({"read", "admin"})),
    }
)


def verify(credentials: Credentials, request: RequestInfo) -> Principal | None:
    return TOKENS(credentials) or USERS(credentials)


auth = Protection[Principal](
    challenges=[bearer.challenge(realm="example"), basic.challenge("example")],
    verify=verify,
)


async def public(request: Request) -> PlainTextResponse:
    return PlainTextResponse("public")


@protect(auth)
async def private(request: Request) -> PlainTextResponse:
    user: AuthUser[Principal] = request.user
    return PlainTextResponse(user.principal.name)


@protect(auth, scopes=["admin"])
async def admin(request: Request) -> PlainTextResponse:
    user: AuthUser[Principal] = request.user
    return PlainTextResponse(user.principal.name)


app = Starlette(
    routes=[Route("/public", public), Route("/private", private), Route("/admin", admin)],
    middleware=[AuthBackend(auth).middleware()],  # request.user on every route
)

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    uvicorn.run(app, host="127.0.0.1", port=parser.parse_args().port, log_level="warning")
