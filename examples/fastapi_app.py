"""FastAPI protected with wwwauth: ``python examples/fastapi_app.py --port 8000``.

GET /public is open; /private takes Bearer ``read-token`` / ``admin-token`` or Basic
``aladdin`` / ``open sesame``; /admin needs scope ``admin`` too. /docs has an Authorize
button (and, like /openapi.json, stays public). Try
``curl -si -u aladdin:'open sesame' http://127.0.0.1:8000/private``.
"""

from __future__ import annotations

import argparse
from typing import Annotated

import uvicorn
from fastapi import Depends, FastAPI, Security
from fastapi.responses import PlainTextResponse

from wwwauth import Credentials, basic, bearer
from wwwauth.integrations.fastapi import HTTPAuth
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


auth = HTTPAuth(
    Protection[Principal](
        challenges=[bearer.challenge(realm="example"), basic.challenge("example")],
        verify=verify,
    )
)
app = FastAPI(default_response_class=PlainTextResponse)
auth.install(app)  # refusals: each challenge on its own WWW-Authenticate line


@app.get("/public")
async def public() -> str:
    return "public"


@app.get("/private")
async def private(principal: Annotated[Principal, Depends(auth)]) -> str:
    return principal.name


@app.get("/admin")
async def admin(principal: Annotated[Principal, Security(auth, scopes=["admin"])]) -> str:
    return principal.name


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    uvicorn.run(app, host="127.0.0.1", port=parser.parse_args().port, log_level="warning")
