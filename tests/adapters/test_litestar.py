"""wwwauth.integrations.litestar with Litestar's test clients: the scenario table and more.

Litestar's TestClient and AsyncTestClient (httpx) keep every field line:
``headers.multi_items()`` is read, so two challenges merged into one line fail here,
not only on the wire (tests/adapters/test_examples_wire.py serves
examples/litestar_app.py with uvicorn and reads it with curl and requests).
"""

from __future__ import annotations

import asyncio
import doctest
import json
import logging
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import cast

import pytest
from litestar import Controller, Litestar, Request, Response, Router, get, websocket
from litestar.connection import WebSocket
from litestar.datastructures import State
from litestar.exceptions import HTTPException, WebSocketDisconnect
from litestar.testing import AsyncTestClient, TestClient
from litestar.types import (
    ASGIApp,
    ControllerRouterHandler,
    Guard,
    HTTPScope,
    Middleware,
    Receive,
    Scope,
    Send,
)

import wwwauth.integrations.litestar as litestar_adapter
from wwwauth import Challenge, Credentials, parse_authentication_info
from wwwauth.integrations.litestar import (
    AuthRefused,
    RefusalResponse,
    WWWAuth,
    WWWAuthMiddleware,
    handle_refusal,
)
from wwwauth.integrations.protect import PROBLEM_JSON, Protection
from wwwauth.integrations.server import RequestInfo
from wwwauth.integrations.verifiers import Principal

from .accounts import BOTH_LINES, CHALLENGES, verify, verify_async
from .scenarios import ALADDIN, SCENARIOS, Scenario
from .test_examples_wire import Seen, problems

TEXT = "text/plain; charset=utf-8"


def auth_with(verify_with: Callable[..., object] = verify, **options: object) -> WWWAuth[Principal]:
    return WWWAuth(Protection(challenges=CHALLENGES, verify=verify_with, **options))  # type: ignore[arg-type]


# ------------------------------------------------------------------------ the apps


@get("/public", media_type="text/plain", sync_to_thread=False)
def public() -> str:
    return "public"


def routes(
    auth: WWWAuth[Principal], style: str
) -> tuple[list[ControllerRouterHandler], list[Middleware], dict[str, object]]:
    """The scenario routes, protected the way ``style`` names; the app's middleware and opt."""
    guarded = style in ("guard", "guard-opt", "sync-handlers")
    private_guards: list[Guard] = [auth] if guarded else []
    admin_guards: list[Guard] = []
    if style in ("guard", "sync-handlers"):
        admin_guards = [auth.guard(scopes=["admin"])]
    if style == "guard-opt":
        admin_guards = [auth]
    admin_opt: dict[str, object] = (
        {} if style in ("guard", "sync-handlers") else {"scopes": "admin"}
    )

    if style == "sync-handlers":

        @get("/private", guards=private_guards, media_type="text/plain", sync_to_thread=False)
        def private_sync(request: Request[Principal, Credentials, State]) -> str:
            return request.user.name

        @get("/admin", guards=admin_guards, media_type="text/plain", sync_to_thread=False)
        def admin_sync(request: Request[Principal, Credentials, State]) -> str:
            return request.user.name

        return [public, private_sync, admin_sync], [], {}

    @get("/private", guards=private_guards, media_type="text/plain")
    async def private(request: Request[Principal, Credentials, State]) -> str:
        return request.user.name

    @get("/admin", guards=admin_guards, opt=admin_opt, media_type="text/plain")
    async def admin(request: Request[Principal, Credentials, State]) -> str:
        return request.user.name

    if style in ("guard", "guard-opt"):
        return [public, private, admin], [], {}
    if style == "controller":

        class Protected(Controller):
            path = "/"
            guards = [auth]  # noqa: RUF012 - Litestar reads the class attribute

            @get("/private", media_type="text/plain")
            async def private(self, request: Request[Principal, Credentials, State]) -> str:
                return request.user.name

            @get("/admin", opt={"scopes": ["admin"]}, media_type="text/plain")
            async def admin(self, request: Request[Principal, Credentials, State]) -> str:
                return request.user.name

        return [public, Protected], [], {}
    if style == "router":
        return [public, Router("/", guards=[auth], route_handlers=[private, admin])], [], {}
    if style == "app-guard":
        # A guard on the app: /public is excluded by its opt (Litestar's exclude_from_auth).

        @get("/public", media_type="text/plain", opt={"exclude_from_auth": True})
        async def open_public() -> str:
            return "public"

        return [open_public, private, admin], [], {"guards": [auth]}
    if style == "middleware":
        return [public, private, admin], [auth.middleware(exclude=["^/public$"])], {}
    if style == "middleware-opt":

        @get("/public", media_type="text/plain", opt={"exclude_from_auth": True})
        async def excluded_public() -> str:
            return "public"

        return [excluded_public, private, admin], [auth.middleware()], {}
    if style == "middleware-and-guard":
        # The middleware grants; the guard with scopes on /admin does not verify again.
        @get("/admin", guards=[auth.guard(scopes=["admin"])], media_type="text/plain")
        async def admin_guarded(request: Request[Principal, Credentials, State]) -> str:
            return request.user.name

        return [public, private, admin_guarded], [auth.middleware(exclude="^/public$")], {}
    raise AssertionError(style)


def make_app(auth: WWWAuth[Principal], style: str = "guard", *, plugin: bool = True) -> Litestar:
    handlers, middleware, options = routes(auth, style)
    return Litestar(
        handlers,
        middleware=middleware,
        plugins=[auth] if plugin else [],
        guards=options.get("guards"),  # type: ignore[arg-type]
        logging_config=None,  # Litestar's dictConfig would take caplog's handler away
    )


STYLES = (
    "guard",
    "guard-opt",
    "sync-handlers",
    "controller",
    "router",
    "app-guard",
    "middleware",
    "middleware-opt",
    "middleware-and-guard",
)


def table_problems(client: TestClient[Litestar], scenario: Scenario) -> list[str]:
    found: list[str] = []
    for value in scenario.authorizations:
        headers = {} if value is None else {"Authorization": value}
        found += problems(
            Seen.of_httpx(client.get(scenario.path, headers=headers)), scenario, value
        )
    return found


# ------------------------------------------------------------------ the scenario table


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario(scenario: Scenario, style: str) -> None:
    with TestClient(make_app(auth_with(), style)) as client:
        found = table_problems(client, scenario)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("style", ["guard", "middleware"])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario_with_async_verify(scenario: Scenario, style: str) -> None:
    with TestClient(make_app(auth_with(verify_async), style)) as client:
        found = table_problems(client, scenario)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("style", ["guard", "middleware"])
def test_scenario_table_with_the_async_test_client(style: str) -> None:
    async def drive() -> list[str]:
        found: list[str] = []
        async with AsyncTestClient(make_app(auth_with(verify_async), style)) as client:
            for scenario in SCENARIOS:
                for value in scenario.authorizations:
                    headers = {} if value is None else {"Authorization": value}
                    response = await client.get(scenario.path, headers=headers)
                    found += problems(Seen.of_httpx(response), scenario, value)
        return found

    found = asyncio.run(drive())
    assert not found, "\n".join(found)


# ------------------------------------------------------------------ what verify sees


@pytest.mark.parametrize("style", ["guard", "middleware"])
def test_verify_sees_the_raw_target_the_authority_and_lower_case_names(style: str) -> None:
    seen_requests: list[RequestInfo] = []

    def recording(credentials: Credentials, request: RequestInfo) -> Principal | None:
        seen_requests.append(request)
        return verify(credentials, request)

    with TestClient(make_app(auth_with(recording), style)) as client:
        response = client.get("/private?next=%2Fa%20b", headers={"Authorization": ALADDIN})
    assert response.text == "aladdin"
    (request,) = seen_requests
    assert request.method == "GET"
    assert request.target == "/private?next=%2Fa%20b"
    assert request.authority == "testserver.local"
    assert ("authorization", ALADDIN) in request.headers


def test_several_authorization_lines_are_joined_and_refused() -> None:
    # RFC 9110 §5.3: the lines are one comma-joined value, which is not one credentials.
    with TestClient(make_app(auth_with())) as client:
        response = client.get(
            "/private",
            headers=[("Authorization", ALADDIN), ("Authorization", "Bearer admin-token")],
        )
    assert response.status_code in (400, 401)
    assert response.text not in ("aladdin", "admin-token")


# ------------------------------------------------------------------- the principal


def test_the_route_gets_the_principal_in_user_and_the_credentials_in_auth() -> None:
    auth = auth_with()

    @get("/who", guards=[auth], sync_to_thread=False)
    def who(request: Request[Principal, Credentials, State]) -> dict[str, object]:
        return {
            "user": request.user.name,
            "scheme": request.auth.scheme,
            "auth": repr(request.auth),
            "key": request.scope["wwwauth.principal"] is request.user,  # type: ignore[typeddict-item]
        }

    with TestClient(Litestar([who], plugins=[auth])) as client:
        body = client.get("/who", headers={"Authorization": ALADDIN}).json()
    assert body == {
        "user": "aladdin",
        "scheme": "Basic",
        "auth": "Credentials(scheme='Basic', params=AuthParams([]), token68='<redacted>')",
        "key": True,
    }


# ------------------------------------------------------------ the refusal, exactly


def test_a_refusal_is_the_answer_status_each_line_and_body() -> None:
    with TestClient(make_app(auth_with())) as client:
        response = client.get("/private")
    assert response.status_code == 401
    assert response.headers.get_list("WWW-Authenticate") == BOTH_LINES
    assert response.headers.get_list("Content-Type") == [TEXT]  # Litestar adds no 2nd charset
    assert response.text.startswith("No credentials were sent")


def test_problem_json_refusal_body() -> None:
    with TestClient(make_app(auth_with(refusal_body="problem"), "middleware")) as client:
        response = client.get("/admin", headers={"Authorization": "Bearer read-token"})
    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM_JSON
    assert json.loads(response.content)["status"] == 403
    assert b"read-token" not in response.content


def test_proxy_protection_answers_407_with_each_proxy_challenge() -> None:
    auth = auth_with(proxy=True)
    with TestClient(make_app(auth)) as client:
        refused = client.get("/private", headers={"Authorization": ALADDIN})
        granted = client.get("/private", headers={"Proxy-Authorization": ALADDIN})
    assert refused.status_code == 407
    assert refused.headers.get_list("Proxy-Authenticate") == BOTH_LINES
    assert "WWW-Authenticate" not in refused.headers
    assert granted.status_code == 200
    assert granted.text == "aladdin"


# -------------------------------------------------------- forgetting the plugin


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_without_the_plugin_a_guard_still_refuses(
    scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.ERROR, "wwwauth.integrations"),
        TestClient(make_app(auth_with(), plugin=False)) as client,
    ):
        for value in scenario.authorizations:
            headers = {} if value is None else {"Authorization": value}
            response = client.get(scenario.path, headers=headers)
            if scenario.status == 200:
                assert response.status_code == 200
                assert scenario.body(response.content)
            else:
                # AuthRefused unhandled: Litestar answers 500; the route never runs.
                assert response.status_code == 500
                assert "WWW-Authenticate" not in response.headers
                for secret in scenario.secrets:
                    assert secret.encode() not in response.content
    if scenario.status != 200:
        assert "add the WWWAuth plugin" in caplog.text


def test_the_handler_can_be_registered_by_hand() -> None:
    auth = auth_with()
    handlers, _, _ = routes(auth, "guard")
    app = Litestar(handlers, exception_handlers={AuthRefused: handle_refusal})
    with TestClient(app) as client:
        response = client.get("/private")
    assert response.status_code == 401
    assert response.headers.get_list("WWW-Authenticate") == BOTH_LINES


def test_an_apps_status_code_handler_does_not_take_the_refusal() -> None:
    # Litestar prefers a status-code handler for an HTTPException: AuthRefused is not one.
    def own_401(request: Request[object, object, State], exc: Exception) -> Response[str]:
        return Response("theirs", status_code=401, media_type="text/plain")

    auth = auth_with()
    handlers, _, _ = routes(auth, "guard")
    app = Litestar(handlers, plugins=[auth], exception_handlers={401: own_401})
    with TestClient(app) as client:
        response = client.get("/private")
    assert response.headers.get_list("WWW-Authenticate") == BOTH_LINES


def test_the_plugin_keeps_the_apps_own_handler_of_auth_refused() -> None:
    def own(request: Request[object, object, State], exc: Exception) -> Response[str]:
        return Response("own", status_code=418, media_type="text/plain")

    auth = auth_with()
    handlers, _, _ = routes(auth, "guard")
    app = Litestar(handlers, plugins=[auth], exception_handlers={AuthRefused: own})
    with TestClient(app) as client:
        assert client.get("/private").status_code == 418


def test_handle_refusal_answers_500_to_any_other_exception() -> None:
    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "app": Litestar([])}
    request: Request[object, object, State] = Request(cast("HTTPScope", scope))
    assert handle_refusal(request, RuntimeError("x")).status_code == 500


def test_the_middleware_needs_no_exception_handler() -> None:
    with TestClient(make_app(auth_with(), "middleware", plugin=False)) as client:
        found = [p for s in SCENARIOS for p in table_problems(client, s)]
    assert not found, "\n".join(found)


# ---------------------------------------------------------------------- exclusions


def test_middleware_exclusion_patterns_are_searched_as_litestar_does() -> None:
    auth = auth_with()

    @get("/api/health", media_type="text/plain", sync_to_thread=False)
    def health() -> str:
        return "ok"

    @get("/health/private", media_type="text/plain", sync_to_thread=False)
    def not_health() -> str:
        return "leak"

    for exclude, open_paths, closed_paths in (
        ("/health", ["/api/health", "/health/private"], []),
        (["^/api/health$"], ["/api/health"], ["/health/private"]),
    ):
        app = Litestar([health, not_health], middleware=[auth.middleware(exclude=exclude)])
        with TestClient(app) as client:
            for path in open_paths:
                assert client.get(path).status_code == 200, (exclude, path)
            for path in closed_paths:
                assert client.get(path).status_code == 401, (exclude, path)


def test_middleware_exclude_http_methods() -> None:
    auth = auth_with()

    @get("/thing", media_type="text/plain", sync_to_thread=False)
    def thing() -> str:
        return "thing"

    plain = Litestar([thing], middleware=[auth.middleware()])
    skipping_get = Litestar([thing], middleware=[auth.middleware(exclude_http_methods=["GET"])])
    with TestClient(plain) as client:
        assert client.get("/thing").status_code == 401
    with TestClient(skipping_get) as client:
        assert client.get("/thing").status_code == 200


def test_a_guard_honours_exclude_from_auth_and_the_key_is_configurable() -> None:
    auth = WWWAuth[Principal](
        Protection(challenges=CHALLENGES, verify=verify), exclude_opt_key="open"
    )

    @get("/a", opt={"open": True}, media_type="text/plain", sync_to_thread=False)
    def a() -> str:
        return "a"

    @get("/b", opt={"exclude_from_auth": True}, media_type="text/plain", sync_to_thread=False)
    def b() -> str:
        return "b"

    with TestClient(Litestar([a, b], guards=[auth], plugins=[auth])) as client:
        assert client.get("/a").status_code == 200
        assert client.get("/b").status_code == 401


# -------------------------------------------------------------------------- scopes


def test_opt_scopes_closest_layer_wins_and_guard_scopes_add() -> None:
    auth = auth_with()

    @get("/read", opt={"scopes": ["read"]}, media_type="text/plain", sync_to_thread=False)
    def read(request: Request[Principal, Credentials, State]) -> str:
        return request.user.name

    @get(
        "/both",
        guards=[auth.guard(scopes=["admin"])],
        media_type="text/plain",
        sync_to_thread=False,
    )
    def both(request: Request[Principal, Credentials, State]) -> str:
        return request.user.name

    router = Router("/", guards=[auth], opt={"scopes": ["admin"]}, route_handlers=[read, both])
    with TestClient(Litestar([router], plugins=[auth])) as client:
        read_token = {"Authorization": "Bearer read-token"}
        # The route's opt replaces the router's (Litestar merges opt, closest wins).
        assert client.get("/read", headers=read_token).status_code == 200
        assert client.get("/both", headers=read_token).status_code == 403
        assert (
            client.get("/both", headers={"Authorization": "Bearer admin-token"}).status_code == 200
        )


def test_unusable_opt_scopes_fail_at_startup_or_answer_500() -> None:
    auth = auth_with()

    @get("/odd", guards=[auth], opt={"scopes": 7}, media_type="text/plain", sync_to_thread=False)
    def odd() -> str:
        return "granted"

    # The plugin finds it at startup; a guard alone, at the request (500, never a grant).
    with pytest.raises(TypeError, match="scopes"):
        Litestar([odd], plugins=[auth])
    app = Litestar([odd], exception_handlers={AuthRefused: handle_refusal}, logging_config=None)
    with TestClient(app) as client:
        response = client.get("/odd", headers={"Authorization": "Bearer admin-token"})
    assert response.status_code == 500
    assert response.text != "granted"


def test_a_guard_refuses_a_bad_scope_at_construction() -> None:
    with pytest.raises(ValueError, match="scope-token"):
        auth_with().guard(scopes=['bad"scope'])


def test_the_middleware_grant_spares_a_second_verify() -> None:
    calls: list[str] = []

    def counting(credentials: Credentials, request: RequestInfo) -> Principal | None:
        calls.append(credentials.scheme)
        return verify(credentials, request)

    auth = auth_with(counting)
    with TestClient(make_app(auth, "middleware-and-guard")) as client:
        assert client.get("/admin", headers={"Authorization": "Bearer admin-token"}).text == (
            "admin-token"
        )
        assert calls == ["Bearer"]
        # /private's grant (no scopes) does not cover the guard's admin scope elsewhere.
        assert (
            client.get("/admin", headers={"Authorization": "Bearer read-token"}).status_code == 403
        )


def test_a_guard_trusts_only_its_own_plugins_grant_for_its_scopes() -> None:
    lax = auth_with(lambda credentials, request: Principal(name="anyone"))
    strict = auth_with()

    @get("/strict", guards=[strict], media_type="text/plain", sync_to_thread=False)
    def strict_route(request: Request[Principal, Credentials, State]) -> str:
        return request.user.name

    app = Litestar([strict_route], middleware=[lax.middleware()], plugins=[strict])
    with TestClient(app) as client:
        # Another WWWAuth's grant does not count: the guard verifies (and refuses).
        assert client.get("/strict", headers={"Authorization": "Bearer bogus"}).status_code == 401
        assert client.get("/strict", headers={"Authorization": ALADDIN}).text == "aladdin"


def test_a_grant_noted_for_fewer_scopes_does_not_pass_a_guard() -> None:
    auth = auth_with()

    def noting(app: ASGIApp) -> ASGIApp:
        # As if the middleware had granted the request for no scope at all.
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            entries = cast("dict[str, object]", scope)
            entries[litestar_adapter._GRANT_KEY] = litestar_adapter._Grant(auth, frozenset())
            entries["user"] = Principal(name="noted")
            await app(scope, receive, send)

        return middleware

    handlers, _, _ = routes(auth, "guard")
    with TestClient(Litestar(handlers, middleware=[noting], plugins=[auth])) as client:
        refused = client.get("/admin", headers={"Authorization": "Bearer read-token"})
        anonymous = client.get("/private")
    assert refused.status_code == 403
    assert anonymous.text == "noted"  # the grant for no scope covers /private


# --------------------------------------------------------- exceptions and logging


@pytest.mark.parametrize("style", ["guard", "middleware"])
def test_an_exception_in_verify_is_500_without_the_credentials(
    style: str, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(credentials: Credentials, request: RequestInfo) -> Principal | None:
        raise RuntimeError(f"lookup failed for {credentials.token68}")

    with (
        caplog.at_level(logging.DEBUG),
        TestClient(make_app(auth_with(broken), style)) as client,
    ):
        response = client.get("/private", headers={"Authorization": ALADDIN})
    token68 = ALADDIN.split()[1]
    assert response.status_code == 500
    assert token68.encode() not in response.content
    assert all(token68 not in value for _, value in response.headers.multi_items())
    assert token68 not in caplog.text
    assert "RuntimeError" in caplog.text


def test_an_async_verify_exception_is_500_too() -> None:
    async def broken(credentials: Credentials, request: RequestInfo) -> Principal | None:
        raise RuntimeError("secret-in-message")

    with TestClient(make_app(auth_with(broken))) as client:
        response = client.get("/private", headers={"Authorization": ALADDIN})
    assert response.status_code == 500
    assert b"secret-in-message" not in response.content


# ------------------------------------------------------------ Authentication-Info


def info(credentials: Credentials, request: RequestInfo) -> dict[str, str]:
    return {"nextnonce": "abc"}


@pytest.mark.parametrize("plugin", [True, False])
@pytest.mark.parametrize("style", ["guard", "middleware", "middleware-and-guard"])
def test_authentication_info_is_added_to_a_grant_once(style: str, plugin: bool) -> None:
    auth = auth_with(authentication_info=info)
    with TestClient(make_app(auth, style, plugin=plugin or style == "guard")) as client:
        granted = client.get("/private", headers={"Authorization": ALADDIN})
        public_ = client.get("/public")
    assert granted.status_code == 200
    (line,) = granted.headers.get_list("Authentication-Info")
    assert parse_authentication_info(line)["nextnonce"] == "abc"
    assert "Authentication-Info" not in public_.headers


# ------------------------------------------------------------------------- OpenAPI


def test_openapi_lists_each_scheme_and_each_guarded_routes_security() -> None:
    with TestClient(make_app(auth_with(), "controller")) as client:
        document = client.get("/schema/openapi.json").json()
    assert document["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer"},
        "basic": {"type": "http", "scheme": "basic"},
    }
    paths = document["paths"]
    assert "security" not in paths["/public"]["get"]
    assert paths["/private"]["get"]["security"] == [{"bearer": []}, {"basic": []}]
    assert paths["/admin"]["get"]["security"] == [{"bearer": ["admin"]}, {"basic": ["admin"]}]


def test_openapi_keeps_the_apps_own_components_and_the_schema_stays_public() -> None:
    auth = auth_with()
    handlers, _, _ = routes(auth, "guard")
    with TestClient(Litestar(handlers, plugins=[auth], guards=[])) as client:
        assert client.get("/schema/openapi.json").status_code == 200
    assert auth.security(["admin"]) == [{"bearer": ["admin"]}, {"basic": ["admin"]}]
    assert auth.openapi_components.security_schemes is not None


def test_openapi_for_the_middleware_is_the_apps_security() -> None:
    auth = auth_with()
    handlers, _, _ = routes(auth, "middleware")
    protected = Litestar(handlers, middleware=[auth.middleware()], plugins=[auth])
    app = Litestar(
        handlers,
        middleware=[auth.middleware(exclude=["^/public$", "^/schema"])],
        plugins=[auth],
        security=auth.security(),
    )
    with TestClient(protected) as client:
        assert client.get("/schema/openapi.json").status_code == 401  # closed unless excluded
    with TestClient(app) as client:
        document = client.get("/schema/openapi.json")
    assert document.status_code == 200
    operation = document.json()["paths"]["/private"]["get"]
    assert operation["security"] == [{"bearer": []}, {"basic": []}]


def test_a_challenge_callable_names_its_scheme_once() -> None:
    made: list[int] = []

    def fresh() -> Challenge:
        made.append(1)
        return Challenge("Digest", {"realm": "example", "nonce": "n"})

    auth = WWWAuth(Protection[str](challenges=[fresh], verify=lambda c, r: None))
    assert auth.schemes == ("digest",)
    assert made == [1]


# ----------------------------------------------------------------------- websocket


@websocket("/ws")
async def ws(socket: WebSocket[Principal, Credentials, State]) -> None:
    await socket.accept()
    await socket.send_text(socket.user.name)
    await socket.close()


def test_the_middleware_protects_a_websocket_handshake() -> None:
    auth = auth_with()
    with TestClient(Litestar([ws], middleware=[auth.middleware()])) as client:
        with pytest.raises(WebSocketDisconnect), client.websocket_connect("/ws") as socket:
            socket.receive_text()
        with client.websocket_connect("/ws", headers={"Authorization": ALADDIN}) as socket:
            assert socket.receive_text() == "aladdin"


def test_a_guard_refuses_a_websocket_handshake() -> None:
    auth = auth_with()
    guarded = websocket("/ws", guards=[auth])(ws.fn)
    with (
        TestClient(Litestar([guarded], plugins=[auth])) as client,
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect("/ws") as socket,
    ):
        socket.receive_text()


# -------------------------------------------------------------------- the module


def test_refusal_response_keeps_every_line_of_the_answer() -> None:
    protection = Protection[str](challenges=CHALLENGES, verify=lambda c, r: None)
    answer = protection.check(RequestInfo(method="GET", target="/"), None)
    response = RefusalResponse(answer)
    assert response.status_code == 401
    assert response.fields == tuple((n, v) for n, v in answer.headers if n != "Content-Type")
    assert isinstance(AuthRefused(answer), Exception)
    assert not isinstance(AuthRefused(answer), HTTPException)
    assert "Credentials" not in str(AuthRefused(answer))


def test_the_middleware_class_is_made_by_define_middleware() -> None:
    define = auth_with().middleware(exclude="^/x")
    assert define.middleware is WWWAuthMiddleware


def test_nothing_else_imports_the_litestar_adapter() -> None:
    code = (
        "import sys, wwwauth, wwwauth.integrations, wwwauth.integrations.asgi, "
        "wwwauth.integrations.wsgi, wwwauth.integrations.protect, "
        "wwwauth.integrations.verifiers, wwwauth.integrations.server\n"
        "assert 'wwwauth.integrations.litestar' not in sys.modules\n"
        "assert 'litestar' not in sys.modules, 'litestar imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_doctests() -> None:
    failures, tried = doctest.testmod(litestar_adapter)
    assert tried > 0
    assert failures == 0


@pytest.fixture(autouse=True)
def _quiet_httpx() -> Iterator[None]:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    yield
