"""Flask protected with wwwauth: ``python examples/flask_app.py --port 8000``.

GET /public is open; /private takes Bearer ``read-token`` / ``admin-token`` or Basic
``aladdin`` / ``open sesame``; /admin needs scope ``admin`` too. Try
``curl -si -u aladdin:'open sesame' http://127.0.0.1:8000/private``.

Served with waitress (``pip install waitress``), a production WSGI server in pure Python:
Flask's own ``app.run`` is a development server. Both send each challenge on its own
field line.
"""

from __future__ import annotations

import argparse

import flask
import waitress  # type: ignore[import-untyped]  # waitress has no type stubs

from wwwauth import Credentials, basic, bearer
from wwwauth.integrations.flask import Auth
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


app = flask.Flask(__name__)
auth = Auth(
    Protection[Principal](
        challenges=[bearer.challenge(realm="example"), basic.challenge("example")],
        verify=verify,
    ),
    app,
)


@app.get("/public")
def public() -> str:
    return "public"


@app.get("/private")
@auth.required
def private() -> str:
    return auth.principal.name


@app.get("/admin")
@auth.required(scopes=["admin"])
def admin() -> str:
    return auth.principal.name


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    waitress.serve(app, host="127.0.0.1", port=parser.parse_args().port)
