"""wwwauth.integrations.fastapi with FastAPI's TestClient: the scenario table, OpenAPI, more.

The TestClient (httpx) keeps every field line: ``headers.multi_items()`` is read, so two
challenges merged into one line would fail here, not only on the wire
(tests/adapters/test_examples_wire.py serves examples/fastapi_app.py with uvicorn and
checks its /openapi.json).
"""

# No ``from __future__ import annotations``: FastAPI evaluates a route's annotations in
# the module's globals, and these routes name ``auth`` from their enclosing function.
import asyncio
import doctest
import json
import logging
import threading
from collections.abc import Callable
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, Security
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

import wwwauth.integrations.fastapi as fastapi_adapter
from wwwauth import Credentials, basic, bearer, parse_www_authenticate
from wwwauth.integrations.fastapi import AuthRefused, FieldLines, HTTPAuth, handle_refusal
from wwwauth.integrations.protect import PROBLEM_JSON, Protection
from wwwauth.integrations.server import DigestVerifier, RequestInfo
from wwwauth.integrations.verifiers import Principal

from .accounts import BOTH_LINES, CHALLENGES, verify, verify_async
from .scenarios import ALADDIN, SCENARIOS, Scenario
from .test_examples_wire import Seen, problems


def make_app(auth: HTTPAuth[Principal], *, install: bool = True, style: str = "async") -> FastAPI:
    """The scenario routes; ``style`` is how the routes ask for the principal."""
    app = FastAPI(default_response_class=PlainTextResponse)
    if install:
        auth.install(app)

    @app.get("/public")
    async def public() -> str:
        return "public"

    if style == "async":

        @app.get("/private")
        async def private(principal: Annotated[Principal, Depends(auth)]) -> str:
            return principal.name

        @app.get("/admin")
        async def admin(principal: Annotated[Principal, Security(auth, scopes=["admin"])]) -> str:
            return principal.name

    elif style == "sync":

        @app.get("/private")
        def private_sync(principal: Annotated[Principal, Depends(auth)]) -> str:
            return principal.name

        @app.get("/admin")
        def admin_sync(principal: Annotated[Principal, Security(auth, scopes=["admin"])]) -> str:
            return principal.name

    else:  # nested: a dependency of the user's that needs scopes, under a router

        async def administrator(
            principal: Annotated[Principal, Security(auth, scopes=["admin"])],
        ) -> Principal:
            return principal

        router = APIRouter(dependencies=[Depends(auth)])

        @router.get("/private")
        async def private_nested(principal: Annotated[Principal, Depends(auth)]) -> str:
            return principal.name

        @router.get("/admin")
        async def admin_nested(principal: Annotated[Principal, Security(administrator)]) -> str:
            return principal.name

        app.include_router(router)
    return app


def auth_with(
    verify_with: Callable[..., object] = verify, **options: object
) -> HTTPAuth[Principal]:
    return HTTPAuth(Protection(challenges=CHALLENGES, verify=verify_with, **options))  # type: ignore[arg-type]


APPS: dict[str, Callable[[], FastAPI]] = {
    "installed": lambda: make_app(auth_with()),
    "async-verify": lambda: make_app(auth_with(verify_async)),
    "sync-routes": lambda: make_app(auth_with(), style="sync"),
    "nested-security": lambda: make_app(auth_with(), style="nested"),
    # Forgetting auth.install(app): FastAPI's own handler still refuses, each challenge
    # on its own line (the body is FastAPI's JSON detail).
    "not-installed": lambda: make_app(auth_with(), install=False),
}


@pytest.mark.parametrize("app", sorted(APPS))
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario(scenario: Scenario, app: str) -> None:
    with TestClient(APPS[app]()) as client:
        found: list[str] = []
        for value in scenario.authorizations:
            headers = {} if value is None else {"Authorization": value}
            found += problems(
                Seen.of_httpx(client.get(scenario.path, headers=headers)), scenario, value
            )
    assert not found, "\n".join(found)


def test_the_refusal_body_is_the_answers_when_installed_and_json_when_not() -> None:
    with TestClient(make_app(auth_with())) as installed:
        ours = installed.get("/private")
    with TestClient(make_app(auth_with(), install=False)) as forgotten:
        theirs = forgotten.get("/private")
    assert ours.headers["content-type"] == "text/plain; charset=utf-8"
    assert ours.text.startswith("No credentials were sent")
    assert theirs.headers["content-type"] == "application/json"
    assert theirs.json() == {"detail": ours.text.strip()}
    assert ours.headers.get_list("www-authenticate") == BOTH_LINES
    assert theirs.headers.get_list("www-authenticate") == BOTH_LINES


# ------------------------------------------------------------------------- OpenAPI


def test_openapi_lists_each_offered_scheme_and_the_route_requirements() -> None:
    digest = DigestVerifier({"aladdin": "open sesame"}, realm="example")
    auth = HTTPAuth(
        Protection[Principal](challenges=[*CHALLENGES, digest.challenge], verify=verify)
    )
    with TestClient(make_app(auth)) as client:
        response = client.get("/openapi.json")
        docs = client.get("/docs")
    assert response.status_code == 200
    assert docs.status_code == 200
    document = response.json()
    assert document["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer"},
        "basic": {"type": "http", "scheme": "basic"},
        "digest": {"type": "http", "scheme": "digest"},
    }
    paths = document["paths"]
    assert "security" not in paths["/public"]["get"]
    assert paths["/private"]["get"]["security"] == [{"bearer": []}, {"basic": []}, {"digest": []}]
    assert paths["/admin"]["get"]["security"] == [
        {"bearer": ["admin"]},
        {"basic": ["admin"]},
        {"digest": ["admin"]},
    ]


def test_one_scheme_offered_twice_is_listed_once() -> None:
    auth = HTTPAuth(
        Protection[Principal](
            challenges=[bearer.challenge(realm="a"), bearer.challenge(realm="b")], verify=verify
        )
    )
    assert [scheme.scheme_name for scheme in auth.schemes] == ["bearer"]


def test_docs_and_openapi_stay_public_with_router_wide_protection() -> None:
    with TestClient(make_app(auth_with(), style="nested")) as client:
        assert client.get("/openapi.json").status_code == 200
        assert client.get("/docs").status_code == 200
        assert client.get("/private").status_code == 401


# ------------------------------------------------------------------------ failures


@pytest.mark.parametrize("install", [True, False], ids=["installed", "not-installed"])
def test_an_exception_in_verify_is_a_500_without_the_credential(
    install: bool, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(credentials: Credentials, request: RequestInfo) -> Principal | None:
        raise RuntimeError(f"secret-in-message {credentials.token68}")

    caplog.set_level(logging.DEBUG)
    with TestClient(make_app(auth_with(explode), install=install)) as client:
        response = client.get("/private", headers={"Authorization": ALADDIN})
    assert response.status_code == 500
    secret = ALADDIN.split()[1]
    assert secret not in response.text and "secret-in-message" not in response.text
    assert "RuntimeError" in caplog.text
    assert secret not in caplog.text and "secret-in-message" not in caplog.text


def test_handle_refusal_passes_other_exceptions_on() -> None:
    request = Request({"type": "http", "method": "GET", "path": "/", "headers": []})
    with pytest.raises(KeyError):
        asyncio.run(handle_refusal(request, KeyError("x")))


def test_auth_refused_is_an_http_exception_with_field_lines() -> None:
    answer = auth_with().protection.check(RequestInfo(method="GET", target="/"), None)
    refused = AuthRefused(answer)
    assert isinstance(refused, HTTPException)
    assert (refused.status_code, refused.detail, refused.answer) == (
        401,
        answer.decision.reason,
        answer,
    )
    assert isinstance(refused.headers, FieldLines)
    assert list(refused.headers.items()) == [("WWW-Authenticate", value) for value in BOTH_LINES]


def test_field_lines_looked_up_by_name_keep_every_challenge() -> None:
    fields = FieldLines([("WWW-Authenticate", "Bearer"), ("X", "1"), ("www-authenticate", "Basic")])
    assert list(fields) == ["WWW-Authenticate", "X", "www-authenticate"]
    assert dict(fields)["X"] == "1"
    assert fields["WWW-AUTHENTICATE"] == "Bearer, Basic"
    assert len(fields) == 3 and len(fields.items()) == 3
    assert ("X", "1") in fields.items()
    with pytest.raises(KeyError):
        fields["Y"]


# ----------------------------------------------------------------------- features


def test_problem_json_refusal_body() -> None:
    with TestClient(make_app(auth_with(refusal_body="problem"))) as client:
        response = client.get("/admin", headers={"Authorization": "Bearer read-token"})
    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM_JSON
    problem = json.loads(response.content)
    assert (problem["status"], problem["title"]) == (403, "Forbidden")
    assert "read-token" not in response.text


def test_authentication_info_is_added_to_a_granted_response() -> None:
    auth = auth_with(authentication_info=lambda credentials, request: {"nextnonce": "abc"})
    with TestClient(make_app(auth)) as client:
        response = client.get("/private", headers={"Authorization": ALADDIN})
    assert (response.status_code, response.text) == (200, "aladdin")
    assert response.headers.get_list("authentication-info") == ['nextnonce="abc"']


@pytest.mark.parametrize("answer", [False, None, "yes", 1])
def test_authorize_must_say_exactly_true(answer: object) -> None:
    with TestClient(make_app(auth_with(authorize=lambda principal, request: answer))) as client:
        response = client.get("/private", headers={"Authorization": ALADDIN})
    assert response.status_code == 403


def test_async_authorize_is_awaited() -> None:
    async def only_admins(principal: Principal, request: RequestInfo) -> bool:
        return "admin" in principal.scopes

    with TestClient(make_app(auth_with(authorize=only_admins))) as client:
        assert client.get("/private", headers={"Authorization": "Bearer admin-token"}).text == (
            "admin-token"
        )
        assert client.get("/private", headers={"Authorization": ALADDIN}).status_code == 403


def test_proxy_protection_answers_407() -> None:
    with TestClient(make_app(auth_with(proxy=True))) as client:
        refused = client.get("/private", headers={"Authorization": ALADDIN})
        granted = client.get("/private", headers={"Proxy-Authorization": ALADDIN})
    assert refused.status_code == 407
    assert refused.headers.get_list("proxy-authenticate") == BOTH_LINES
    assert (granted.status_code, granted.text) == (200, "aladdin")


def test_a_bad_route_scope_is_a_500_not_a_grant() -> None:
    auth = auth_with()
    app = FastAPI()
    auth.install(app)

    @app.get("/odd")
    async def odd(principal: Annotated[Principal, Security(auth, scopes=["two words"])]) -> str:
        return principal.name

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/odd", headers={"Authorization": "Bearer admin-token"})
    assert response.status_code == 500


def test_docstring_examples() -> None:
    result = doctest.testmod(fastapi_adapter, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10
    assert result.failed == 0


def test_a_plain_verify_runs_off_the_event_loop() -> None:
    threads: dict[str, int] = {}

    def plain(credentials: Credentials, request: RequestInfo) -> Principal | None:
        threads["verify"] = threading.get_ident()
        return verify(credentials, request)

    auth = auth_with(plain)
    app = FastAPI(default_response_class=PlainTextResponse)

    @app.get("/p")
    async def loop_thread(principal: Annotated[Principal, Depends(auth)]) -> str:
        threads["loop"] = threading.get_ident()
        return principal.name

    with TestClient(app) as client:
        assert client.get("/p", headers={"Authorization": ALADDIN}).text == "aladdin"
    assert threads["verify"] != threads["loop"]


def test_a_realm_with_quotes_is_escaped_unlike_fastapis_http_basic() -> None:
    # FastAPI's HTTPBasic(realm='Team "Orders"') sends Basic realm="Team "Orders"".
    auth = HTTPAuth(
        Protection[Principal](challenges=[basic.challenge('Team "Orders"')], verify=verify)
    )
    with TestClient(make_app(auth)) as client:
        response = client.get("/private")
    assert response.headers.get_list("www-authenticate") == ['Basic realm="Team \\"Orders\\""']
    (challenge,) = parse_www_authenticate(response.headers["www-authenticate"])
    assert challenge.params["realm"] == 'Team "Orders"'
