"""Litestar protected with wwwauth: ``python examples/litestar_app.py --port 8000``.

GET /public is open; /private takes Bearer ``read-token`` / ``admin-token`` or Basic
``aladdin`` / ``open sesame``; /admin needs scope ``admin`` too. The OpenAPI document
(/schema, public) lists both schemes. Try
``curl -si -u aladdin:'open sesame' http://127.0.0.1:8000/private``.
"""

from __future__ import annotations

import argparse

import uvicorn
from litestar import Litestar, Request, get
from litestar.datastructures import State

from wwwauth import Credentials, basic, bearer
from wwwauth.integrations.litestar import WWWAuth
from wwwauth.integrations.protect import Protection
from wwwauth.integrations.server import RequestInfo
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


auth = WWWAuth(
    Protection[Principal](
        challenges=[bearer.challenge(realm="example"), basic.challenge("example")],
        verify=verify,
    )
)


@get("/public", media_type="text/plain")
async def public() -> str:
    return "public"


@get("/private", guards=[auth], media_type="text/plain")
async def private(request: Request[Principal, Credentials, State]) -> str:
    return request.user.name


@get("/admin", guards=[auth.guard(scopes=["admin"])], media_type="text/plain")
async def admin(request: Request[Principal, Credentials, State]) -> str:
    return request.user.name


# The plugin answers refusals with each challenge on its own WWW-Authenticate line.
app = Litestar([public, private, admin], plugins=[auth])

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    uvicorn.run(app, host="127.0.0.1", port=parser.parse_args().port, log_level="warning")
