"""wwwauth.integrations.starlette with Starlette's TestClient: the scenario table and more.

The TestClient (httpx) keeps every field line: ``headers.multi_items()`` is read, so two
challenges merged into one line would fail here, not only on the wire
(tests/adapters/test_examples_wire.py serves examples/starlette_app.py with uvicorn).
"""

from __future__ import annotations

import asyncio
import doctest
import json
import logging
import subprocess
import sys
import threading
from collections.abc import Callable

import pytest
from starlette.applications import Starlette
from starlette.authentication import AuthenticationError
from starlette.endpoints import HTTPEndpoint
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

import wwwauth.integrations.starlette as starlette_adapter
from wwwauth import Credentials
from wwwauth.integrations.protect import PROBLEM_JSON, Protection
from wwwauth.integrations.server import RequestInfo
from wwwauth.integrations.starlette import AuthBackend, AuthRefused, AuthUser, protect
from wwwauth.integrations.verifiers import Principal

from .accounts import CHALLENGES, verify, verify_async
from .scenarios import ALADDIN, ALADDIN_WRONG, SCENARIOS, Scenario
from .test_examples_wire import Seen, problems


def name_of(request: Request) -> str:
    user: AuthUser[Principal] = request.user
    return user.principal.name


def make_app(auth: Protection[Principal], *, backend: bool, style: str = "async") -> Starlette:
    """The scenario routes; ``style`` is how the endpoints are written."""

    async def public(request: Request) -> Response:
        return PlainTextResponse("public")

    if style == "async":

        @protect(auth)
        async def private(request: Request) -> Response:
            return PlainTextResponse(name_of(request))

        @protect(auth, scopes=["admin"])
        async def admin(request: Request) -> Response:
            return PlainTextResponse(name_of(request))

        routes = [Route("/private", private), Route("/admin", admin)]
    elif style == "sync":

        @protect(auth)
        def private_sync(request: Request) -> Response:
            return PlainTextResponse(name_of(request))

        @protect(auth, scopes=["admin"])
        def admin_sync(request: Request) -> Response:
            return PlainTextResponse(name_of(request))

        routes = [Route("/private", private_sync), Route("/admin", admin_sync)]
    else:

        class Private(HTTPEndpoint):
            @protect(auth)
            async def get(self, request: Request) -> Response:
                return PlainTextResponse(name_of(request))

        class Admin(HTTPEndpoint):
            @protect(auth, scopes=["admin"])
            async def get(self, request: Request) -> Response:
                return PlainTextResponse(name_of(request))

        routes = [Route("/private", Private), Route("/admin", Admin)]
    middleware = [AuthBackend(auth).middleware()] if backend else []
    return Starlette(routes=[Route("/public", public), *routes], middleware=middleware)


def get(client: TestClient, path: str, authorization: str | None) -> Seen:
    headers = {} if authorization is None else {"Authorization": authorization}
    return Seen.of_httpx(client.get(path, headers=headers))


APPS: dict[str, Callable[[], Starlette]] = {
    "decorator": lambda: make_app(Protection(challenges=CHALLENGES, verify=verify), backend=False),
    "backend+decorator": lambda: make_app(
        Protection(challenges=CHALLENGES, verify=verify), backend=True
    ),
    "async-verify": lambda: make_app(
        Protection(challenges=CHALLENGES, verify=verify_async), backend=True
    ),
    "sync-endpoints": lambda: make_app(
        Protection(challenges=CHALLENGES, verify=verify), backend=True, style="sync"
    ),
    "http-endpoint": lambda: make_app(
        Protection(challenges=CHALLENGES, verify=verify), backend=False, style="endpoint"
    ),
}


@pytest.mark.parametrize("app", sorted(APPS))
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario(scenario: Scenario, app: str) -> None:
    with TestClient(APPS[app]()) as client:
        found: list[str] = []
        for authorization in scenario.authorizations:
            found += problems(get(client, scenario.path, authorization), scenario, authorization)
    assert not found, "\n".join(found)


# --------------------------------------------------------------------- the backend


def whoami_app(
    auth: Protection[Principal],
    on_error: Callable[[HTTPConnection, AuthenticationError], Response] | None = None,
) -> Starlette:
    async def whoami(request: Request) -> Response:
        user = request.user
        scopes = " ".join(sorted(request.auth.scopes))
        return PlainTextResponse(f"{user.is_authenticated} {user.display_name} {scopes}")

    return Starlette(
        routes=[Route("/whoami", whoami)],
        middleware=[
            Middleware(AuthenticationMiddleware, backend=AuthBackend(auth), on_error=on_error)
        ],
    )


def test_backend_fills_request_user_and_auth_on_unprotected_routes() -> None:
    auth = Protection[Principal](challenges=CHALLENGES, verify=verify)
    backend = AuthBackend(auth)
    app = whoami_app(auth, on_error=backend.on_error)
    with TestClient(app) as client:
        granted = client.get("/whoami", headers={"Authorization": "Bearer admin-token"})
        assert granted.text == "True admin-token admin authenticated read"
        assert client.get("/whoami", headers={"Authorization": ALADDIN}).text == (
            "True aladdin authenticated"
        )
        assert client.get("/whoami").text == "False  "
        # Refused credentials on a route without protect: it stays open, unauthenticated.
        refused = client.get("/whoami", headers={"Authorization": ALADDIN_WRONG})
        assert (refused.status_code, refused.text) == (200, "False  ")
        malformed = client.get("/whoami", headers={"Authorization": "Bearer a b"})
        assert (malformed.status_code, malformed.text) == (200, "False  ")


def test_the_principal_is_in_the_scope_too() -> None:
    auth = Protection[Principal](challenges=CHALLENGES, verify=verify)

    @protect(auth)
    async def scope_principal(request: Request) -> Response:
        principal = request.scope["wwwauth.principal"]
        assert isinstance(principal, Principal)
        return PlainTextResponse(principal.name)

    with TestClient(Starlette(routes=[Route("/p", scope_principal)])) as client:
        assert client.get("/p", headers={"Authorization": ALADDIN}).text == "aladdin"


def test_verify_runs_once_when_backend_and_decorator_agree() -> None:
    calls: list[str] = []

    def counting(credentials: Credentials, request: RequestInfo) -> Principal | None:
        calls.append(credentials.scheme)
        return verify(credentials, request)

    app = make_app(Protection(challenges=CHALLENGES, verify=counting), backend=True)
    with TestClient(app) as client:
        for path, value in [
            ("/private", ALADDIN),
            ("/admin", "Bearer admin-token"),
            ("/private", ALADDIN_WRONG),
        ]:
            calls.clear()
            client.get(path, headers={"Authorization": value})
            assert len(calls) == 1, (path, value)


def test_a_foreign_authentication_error_is_answered_with_challenges_not_its_message() -> None:
    # Starlette's default on_error answers 400 with str(exc): ours never does.
    auth = Protection[Principal](challenges=CHALLENGES, verify=verify)
    backend = AuthBackend(auth)
    response = backend.on_error(
        HTTPConnection({"type": "http", "method": "GET", "path": "/", "headers": []}),
        AuthenticationError("secret-in-message"),
    )
    assert response.status_code == 401
    assert b"secret-in-message" not in response.body
    assert response.headers.getlist("www-authenticate") == [
        'Bearer realm="example"',
        'Basic realm="example"',
    ]


@pytest.fixture
def exploding() -> Protection[Principal]:
    def explode(credentials: Credentials, request: RequestInfo) -> Principal | None:
        raise RuntimeError(f"secret-in-message {credentials.token68}")

    return Protection(challenges=CHALLENGES, verify=explode)


@pytest.mark.parametrize("backend", [True, False], ids=["backend", "decorator"])
def test_an_exception_in_verify_is_a_500_without_the_credential(
    exploding: Protection[Principal], backend: bool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with TestClient(make_app(exploding, backend=backend), raise_server_exceptions=True) as client:
        response = client.get("/private", headers={"Authorization": ALADDIN})
    assert response.status_code == 500
    secret = ALADDIN.split()[1]
    assert secret not in response.text and "secret-in-message" not in response.text
    assert "RuntimeError" in caplog.text
    assert secret not in caplog.text and "secret-in-message" not in caplog.text


def test_an_exception_in_verify_under_the_default_on_error_is_no_grant(
    exploding: Protection[Principal],
) -> None:
    # Forgetting on_error: Starlette's own answers 400 with the message, the reason
    # (never a credential). Still not a grant.
    app = whoami_app(exploding)
    with TestClient(app) as client:
        response = client.get("/whoami", headers={"Authorization": ALADDIN})
    assert response.status_code == 400
    assert ALADDIN.split()[1] not in response.text
    assert "secret-in-message" not in response.text


def test_auth_refused_carries_the_answer_and_a_safe_message() -> None:
    answer = Protection[str](challenges=CHALLENGES, verify=verify).check(
        RequestInfo(method="GET", target="/"), None
    )
    refused = AuthRefused(answer)
    assert refused.answer is answer
    assert str(refused) == answer.decision.reason


# ----------------------------------------------------------------------- features


def test_problem_json_refusal_body() -> None:
    auth = Protection[Principal](challenges=CHALLENGES, verify=verify, refusal_body="problem")
    with TestClient(make_app(auth, backend=True)) as client:
        response = client.get("/admin", headers={"Authorization": "Bearer read-token"})
    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM_JSON
    problem = json.loads(response.content)
    assert (problem["status"], problem["title"]) == (403, "Forbidden")
    assert "read-token" not in response.text


def test_authentication_info_is_added_to_a_granted_response() -> None:
    auth = Protection[Principal](
        challenges=CHALLENGES,
        verify=verify,
        authentication_info=lambda credentials, request: {"nextnonce": "abc"},
    )
    with TestClient(make_app(auth, backend=False)) as client:
        response = client.get("/private", headers={"Authorization": ALADDIN})
    assert response.status_code == 200
    assert response.headers.get_list("authentication-info") == ['nextnonce="abc"']


def test_authorize_false_is_403() -> None:
    auth = Protection[Principal](
        challenges=CHALLENGES, verify=verify, authorize=lambda principal, request: "yes"
    )
    with TestClient(make_app(auth, backend=True)) as client:
        response = client.get("/private", headers={"Authorization": ALADDIN})
    assert response.status_code == 403


def test_proxy_protection_answers_407() -> None:
    auth = Protection[Principal](challenges=CHALLENGES, verify=verify, proxy=True)
    with TestClient(make_app(auth, backend=True)) as client:
        refused = client.get("/private", headers={"Authorization": ALADDIN})
        granted = client.get("/private", headers={"Proxy-Authorization": ALADDIN})
    assert refused.status_code == 407
    assert refused.headers.get_list("proxy-authenticate") == [
        'Bearer realm="example"',
        'Basic realm="example"',
    ]
    assert (granted.status_code, granted.text) == (200, "aladdin")


def test_several_authorization_lines_are_refused() -> None:
    # RFC 9110 §5.3 joins them; the strict parser refuses the joined value.
    app = make_app(Protection(challenges=CHALLENGES, verify=verify), backend=True)
    with TestClient(app) as client:
        response = client.get(
            "/private", headers=[("Authorization", ALADDIN), ("Authorization", ALADDIN)]
        )
    assert response.status_code in (400, 401)


def test_an_endpoint_without_a_request_is_a_type_error() -> None:
    auth = Protection[Principal](challenges=CHALLENGES, verify=verify)

    @protect(auth)
    async def odd(request: object) -> Response:
        return PlainTextResponse("never")

    async def call() -> Response:
        return await odd("not a request")

    with pytest.raises(TypeError, match="request"):
        asyncio.run(call())


def test_a_bad_scope_is_refused_at_decoration() -> None:
    auth = Protection[Principal](challenges=CHALLENGES, verify=verify)
    with pytest.raises(ValueError, match="scope-token"):
        protect(auth, scopes=["two words"])


def test_auth_user() -> None:
    assert AuthUser(Principal(name="ops")).display_name == "ops"
    assert AuthUser("aladdin").identity == "aladdin"
    assert AuthUser(42).display_name == ""
    assert AuthUser("x").is_authenticated
    assert repr(AuthUser("x")) == "AuthUser('x')"


def test_docstring_examples() -> None:
    result = doctest.testmod(starlette_adapter, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 5
    assert result.failed == 0


def test_no_other_module_imports_the_adapter() -> None:
    code = (
        "import sys, wwwauth, wwwauth.integrations, wwwauth.integrations.protect, "
        "wwwauth.integrations.verifiers, wwwauth.integrations.server, "
        "wwwauth.integrations.asgi\n"
        "print(sorted({'starlette', 'fastapi', 'wwwauth.integrations.starlette', "
        "'wwwauth.integrations.fastapi'} & set(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


def test_a_plain_verify_runs_off_the_event_loop_and_a_coroutine_one_on_it() -> None:
    threads: dict[str, int] = {}

    def plain(credentials: Credentials, request: RequestInfo) -> Principal | None:
        threads["plain"] = threading.get_ident()
        return verify(credentials, request)

    async def awaited(credentials: Credentials, request: RequestInfo) -> Principal | None:
        threads["awaited"] = threading.get_ident()
        return verify(credentials, request)

    for name, function in (("plain", plain), ("awaited", awaited)):
        auth = Protection[Principal](challenges=CHALLENGES, verify=function)

        @protect(auth)
        async def loop_thread(request: Request) -> Response:
            threads["loop"] = threading.get_ident()
            return PlainTextResponse(name_of(request))

        with TestClient(Starlette(routes=[Route("/p", loop_thread)])) as client:
            assert client.get("/p", headers={"Authorization": ALADDIN}).text == "aladdin"
        assert (threads[name] == threads["loop"]) == (name == "awaited"), name
