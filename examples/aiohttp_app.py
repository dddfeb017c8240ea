"""aiohttp protected with wwwauth: ``python examples/aiohttp_app.py --port 8000``.

GET /public is open; /private takes Bearer ``read-token`` / ``admin-token`` or Basic
``aladdin`` / ``open sesame``; /admin needs scope ``admin`` too. Try
``curl -si -u aladdin:'open sesame' http://127.0.0.1:8000/private``.
"""

from __future__ import annotations

import argparse

from aiohttp import web

from wwwauth import Credentials, basic, bearer
from wwwauth.integrations.aiohttp import Auth
from wwwauth.integrations.protect import Protection
from wwwauth.integrations.server import RequestInfo
from wwwauth.integrations.verifiers import (
    AsyncBearerVerifier,
    BasicVerifier,
    Principal,
)

USERS = BasicVerifier({"aladdin": "open sesame"}, principal=lambda user: Principal(name=user))
TOKENS = AsyncBearerVerifier(  # a coroutine lookup (a database, say) fits here too
    {
        "read-token": Principal(name="read-token", scopes=frozenset({"read"})),
        "admin-token": Principal(name="admin-token", scopes=frozenset({"read", "admin"})),
    }
)


async def verify(credentials: Credentials, request: RequestInfo) -> Principal | None:
    return await TOKENS(credentials) or USERS(credentials)


auth = Auth(
    Protection[Principal](
        challenges=[bearer.challenge(realm="example"), basic.challenge("example")],
        verify=verify,
    )
)


async def public(request: web.Request) -> web.Response:
    return web.Response(text="public")


@auth.required
async def private(request: web.Request) -> web.Response:
    return web.Response(text=auth.principal(request).name)


@auth.required(scopes=["admin"])
async def admin(request: web.Request) -> web.Response:
    return web.Response(text=auth.principal(request).name)


def make_app() -> web.Application:
    app = web.Application()
    app.router.add_get("/public", public)
    app.router.add_get("/private", private)
    app.router.add_get("/admin", admin)
    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    web.run_app(make_app(), host="127.0.0.1", port=parser.parse_args().port, print=None)
