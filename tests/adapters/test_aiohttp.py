"""wwwauth.integrations.aiohttp with aiohttp's TestClient/TestServer: the scenario table and more.

The client's ``raw_headers`` keep every field line as received, so two challenges merged
into one line would fail here, not only on the wire (tests/adapters/test_examples_wire.py
serves examples/aiohttp_app.py with ``web.run_app``). Each test runs its own event loop
with ``asyncio.run`` (no pytest-aiohttp).
"""

from __future__ import annotations

import asyncio
import doctest
import functools
import importlib.util
import json
import logging
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer, make_mocked_request
from multidict import CIMultiDict

import wwwauth.integrations.aiohttp as aiohttp_adapter
from wwwauth import Credentials
from wwwauth.integrations.aiohttp import PRINCIPAL_KEY, Auth, request_info
from wwwauth.integrations.protect import PROBLEM_JSON, Protection, RefusalBody
from wwwauth.integrations.server import RequestInfo
from wwwauth.integrations.verifiers import Principal

from .accounts import BOTH_LINES, CHALLENGES, verify, verify_async
from .scenarios import ALADDIN, ALADDIN_WRONG, SCENARIOS, Scenario
from .test_examples_wire import Seen, problems

# aiohttp (3.13+) recommends web.RequestKey over str keys; the adapter keeps the
# documented str key "wwwauth.principal" (aiohttp itself ignores this warning by default).
pytestmark = pytest.mark.filterwarnings("ignore::aiohttp.web.NotAppKeyWarning")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "aiohttp_app.py"

Verify = Callable[[Credentials, RequestInfo], object]


def protection(
    verify: Verify = verify,
    *,
    refusal_body: RefusalBody = "text",
    authorize: Callable[..., object] | None = None,
    authentication_info: Callable[[Credentials, RequestInfo], Mapping[str, str] | None]
    | None = None,
) -> Protection[Principal]:
    return Protection[Principal](
        challenges=CHALLENGES,
        verify=verify,
        authorize=authorize,
        refusal_body=refusal_body,
        authentication_info=authentication_info,
    )


async def public(request: web.Request) -> web.Response:
    return web.Response(text="public")


def make_app(auth: Auth[Principal], style: str) -> web.Application:
    """The scenario routes, protected per handler, per web.View method, or app-wide."""

    async def name(request: web.Request) -> web.Response:
        return web.Response(text=auth.principal(request).name)

    if style == "view":

        class Private(web.View):
            @auth.required
            async def get(self) -> web.Response:
                return web.Response(text=auth.principal(self.request).name)

        class Admin(web.View):
            @auth.required(scopes=["admin"])
            async def get(self) -> web.Response:
                return web.Response(text=auth.principal(self.request).name)

        app = web.Application()
        app.router.add_view("/private", Private)
        app.router.add_view("/admin", Admin)
    elif style == "middleware":
        # /private protected by the middleware alone; /admin by its decorator's scopes.
        app = web.Application(middlewares=[auth.middleware])
        app.router.add_get("/private", name)
        app.router.add_get("/admin", auth.required(scopes=["admin"])(name))
    else:
        app = web.Application()
        app.router.add_get("/private", auth.required(name))
        app.router.add_get("/admin", auth.required(scopes=["admin"])(name))
    app.router.add_get("/public", public)
    return app


async def fetch(app: web.Application, path: str, headers: Mapping[str, str] | None = None) -> Seen:
    async with (
        TestClient(TestServer(app)) as client,
        client.get(path, headers=headers or {}) as response,
    ):
        fields = tuple(
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in response.raw_headers
        )
        return Seen(response.status, fields, await response.read())


def get(
    app_factory: Callable[[], web.Application], path: str, authorization: str | None = None
) -> Seen:
    headers = {} if authorization is None else {"Authorization": authorization}

    async def ask() -> Seen:
        return await fetch(app_factory(), path, headers)

    return asyncio.run(ask())


def lines(response: Seen) -> list[str]:
    return response.field_lines("WWW-Authenticate")


ROWS = [(s, a) for s in SCENARIOS for a in s.authorizations]
ROW_IDS = [f"{s.name}-{i}" for s in SCENARIOS for i, _ in enumerate(s.authorizations)]


@pytest.mark.parametrize("verify_", [verify, verify_async], ids=["sync-verify", "async-verify"])
@pytest.mark.parametrize("style", ["decorator", "view", "middleware"])
@pytest.mark.parametrize(("scenario", "authorization"), ROWS, ids=ROW_IDS)
def test_scenario_table(
    scenario: Scenario, authorization: str | None, style: str, verify_: Verify
) -> None:
    auth = Auth(protection(verify_), exclude=["/public"])
    seen = get(lambda: make_app(auth, style), scenario.path, authorization)
    assert problems(seen, scenario, authorization) == []


def example_app() -> web.Application:
    """examples/aiohttp_app.py's app (loaded by path: mypy checks examples/ on its own)."""
    spec = importlib.util.spec_from_file_location("aiohttp_app", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    app: object = module.make_app()
    assert isinstance(app, web.Application)
    return app


@pytest.mark.parametrize(("scenario", "authorization"), ROWS, ids=ROW_IDS)
def test_scenario_table_on_the_example_app(scenario: Scenario, authorization: str | None) -> None:
    assert problems(get(example_app, scenario.path, authorization), scenario, authorization) == []


# ---------------------------------------------------------------- principal


def test_principal_is_in_the_request_and_typed_on_the_auth() -> None:
    auth = Auth(protection())
    found: list[object] = []

    @auth.required
    async def private(request: web.Request) -> web.Response:
        found.append(request[PRINCIPAL_KEY])
        found.append(request["wwwauth.principal"])
        principal: Principal = auth.principal(request)
        return web.Response(text=principal.name)

    def app() -> web.Application:
        application = web.Application()
        application.router.add_get("/private", private)
        return application

    assert get(app, "/private", ALADDIN).body == b"aladdin"
    assert found == [Principal(name="aladdin")] * 2


def test_principal_of_a_request_not_granted_is_a_lookup_error() -> None:
    auth = Auth(protection())
    with pytest.raises(LookupError, match="not checked by wwwauth"):
        auth.principal(make_mocked_request("GET", "/"))


# ---------------------------------------------------------------- middleware


def counting(calls: list[str]) -> Verify:
    async def counted(credentials: Credentials, request: RequestInfo) -> Principal | None:
        calls.append(request.target)
        return await verify_async(credentials, request)

    return counted


def whole_app(auth: Auth[Principal]) -> Callable[[], web.Application]:
    def factory() -> web.Application:
        app = make_app(auth, "middleware")
        for path in ("/health", "/docs/index", "/healthz"):
            app.router.add_get(path, public)
        return app

    return factory


@pytest.mark.parametrize(
    "exclude",
    [
        ["/public", "/health", "/docs/"],
        lambda request: request.path in ("/public", "/health") or request.path.startswith("/docs/"),
    ],
    ids=["paths", "predicate"],
)
def test_middleware_leaves_only_the_exclusions_open(
    exclude: Iterable[str] | Callable[[web.Request], bool],
) -> None:
    app = whole_app(Auth(protection(), exclude=exclude))
    for path in ("/public", "/health", "/docs/index"):
        assert get(app, path).status == 200, path
    for path in ("/private", "/public/", "/healthz", "/no-such-route"):
        refused = get(app, path)
        assert refused.status == 401, path
        assert lines(refused) == BOTH_LINES
    assert get(app, "/no-such-route", "Bearer read-token").status == 404


def test_middleware_checks_a_decorated_handler_once() -> None:
    calls: list[str] = []
    auth = Auth(Protection[Principal](challenges=CHALLENGES, verify=counting(calls)))
    app = whole_app(auth)
    assert get(app, "/admin", "Bearer admin-token").body == b"admin-token"
    assert calls == ["/admin"]
    assert get(app, "/private", "Bearer read-token").body == b"read-token"
    assert calls == ["/admin", "/private"]


def test_middleware_checks_a_decorated_view_method_once() -> None:
    calls: list[str] = []
    auth = Auth(Protection[Principal](challenges=CHALLENGES, verify=counting(calls)))

    class Admin(web.View):
        @auth.required(scopes=["admin"])
        async def get(self) -> web.Response:
            return web.Response(text=auth.principal(self.request).name)

    def app() -> web.Application:
        application = web.Application(middlewares=[auth.middleware])
        application.router.add_view("/admin", Admin)
        return application

    assert get(app, "/admin", "Bearer read-token").status == 403
    assert calls == ["/admin"]


def test_scopes_as_a_single_str_is_refused() -> None:
    with pytest.raises(TypeError, match="not a str"):
        Auth(protection()).required(scopes="admin")


def test_exclude_as_a_single_str_is_refused() -> None:
    with pytest.raises(TypeError, match="not a str"):
        Auth(protection(), exclude="/public")


@pytest.mark.parametrize("path", ["/", "docs", "/docs/../x", "//docs", "/a%2Fb"])
def test_an_excluded_path_must_be_plain(path: str) -> None:
    # The rule of the ASGI middleware's exclude= (integrations/_exclude.py).
    with pytest.raises(ValueError, match="path"):
        Auth(protection(), exclude=[path])


def test_a_path_that_is_not_plain_is_never_excluded() -> None:
    app = whole_app(Auth(protection(), exclude=["/public", "/docs/"]))
    assert get(app, "/docs/index").status == 200
    # (yarl removes dot segments before sending: "//" is what reaches the server)
    assert get(app, "/docs//index").status == 401


# ---------------------------------------------------------------- callbacks


def test_async_authorize_is_awaited() -> None:
    async def only_admins(principal: Principal, request: RequestInfo) -> bool:
        return "admin" in principal.scopes

    auth = Auth(protection(verify_async, authorize=only_admins))
    app = functools.partial(make_app, auth, "decorator")
    assert get(app, "/private", "Bearer admin-token").body == b"admin-token"
    refused = get(app, "/private", "Bearer read-token")
    assert refused.status == 403
    assert "read-token" not in refused.body.decode()


@pytest.mark.parametrize("style", ["decorator", "middleware"])
def test_an_exception_in_verify_is_500_without_the_credential(
    style: str, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(credentials: Credentials, request: RequestInfo) -> Principal | None:
        raise RuntimeError(f"lookup failed for {credentials.token68}")

    auth = Auth(protection(broken))
    with caplog.at_level(logging.DEBUG, logger="wwwauth"):
        response = get(lambda: make_app(auth, style), "/private", ALADDIN_WRONG)
    assert response.status == 500
    assert lines(response) == []
    secret = ALADDIN_WRONG.split()[1]
    assert secret.encode() not in response.body
    assert all(secret not in value for _, value in response.fields)
    assert caplog.records, "the failure is logged"
    assert all(secret not in record.getMessage() for record in caplog.records)
    assert all(record.exc_info is None for record in caplog.records)


def test_problem_json_refusal_body() -> None:
    auth = Auth(protection(refusal_body="problem"))
    response = get(lambda: make_app(auth, "decorator"), "/admin", "Bearer read-token")
    assert response.status == 403
    assert response.field_lines("Content-Type") == [PROBLEM_JSON]
    problem = json.loads(response.body)
    assert problem["status"] == 403 and problem["title"] == "Forbidden"
    assert b"read-token" not in response.body


@pytest.mark.parametrize("style", ["decorator", "view", "middleware"])
def test_authentication_info_is_added_to_the_granted_response(style: str) -> None:
    info = protection(authentication_info=lambda credentials, request: {"nextnonce": "n1"})
    auth = Auth(info)
    response = get(lambda: make_app(auth, style), "/private", "Bearer read-token")
    assert response.body == b"read-token"
    assert response.field_lines("Authentication-Info") == ['nextnonce="n1"']


def test_authentication_info_after_a_streamed_response_is_dropped_not_crashed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    auth = Auth(protection(authentication_info=lambda credentials, request: {"nextnonce": "n1"}))

    @auth.required
    async def streamed(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        await response.write(b"streamed")
        return response

    def app() -> web.Application:
        application = web.Application()
        application.router.add_get("/stream", streamed)
        return application

    with caplog.at_level(logging.WARNING, logger="wwwauth"):
        response = get(app, "/stream", "Bearer read-token")
    assert response.status == 200 and response.body == b"streamed"
    assert response.field_lines("Authentication-Info") == []
    assert any("Authentication-Info not added" in r.getMessage() for r in caplog.records)


def test_proxy_protection_answers_407_with_proxy_authenticate() -> None:
    auth = Auth(Protection[Principal](challenges=CHALLENGES, verify=verify, proxy=True))
    app = functools.partial(make_app, auth, "decorator")
    refused = get(app, "/private", "Bearer read-token")
    assert refused.status == 407
    assert refused.field_lines("Proxy-Authenticate") == BOTH_LINES

    async def ask() -> Seen:
        return await fetch(app(), "/private", {"Proxy-Authorization": "Bearer read-token"})

    assert asyncio.run(ask()).body == b"read-token"


# ---------------------------------------------------------------- request info


def test_request_info_keeps_the_raw_target_and_joins_credentials_lines() -> None:
    headers = CIMultiDict(
        [("Host", "example.com"), ("Authorization", "Bearer a"), ("Authorization", "Bearer b")]
    )
    request = make_mocked_request("GET", "/a%2Fb?x=%20", headers=headers)
    info, value = request_info(request)
    assert info.target == "/a%2Fb?x=%20" and info.target_is_raw
    assert info.authority == "example.com"
    assert ("authorization", "Bearer a") in info.headers
    assert value == "Bearer a, Bearer b"  # RFC 9110 §5.3; the strict parser refuses it


def test_two_authorization_lines_are_refused() -> None:
    auth = Auth(protection())

    async def ask() -> Seen:
        app = make_app(auth, "decorator")
        async with (
            TestClient(TestServer(app)) as client,
            client.get(
                "/private",
                headers=CIMultiDict(
                    [("Authorization", "Bearer read-token"), ("Authorization", ALADDIN)]
                ),
            ) as response,
        ):
            return Seen(response.status, tuple(response.headers.items()), await response.read())

    refused = asyncio.run(ask())
    # joined, they are two credentials in one value: malformed (RFC 9110 §11.6.2)
    assert refused.status == 400
    assert lines(refused)[0] == 'Bearer realm="example", error="invalid_request"'
    assert b"read-token" not in refused.body


# ---------------------------------------------------------------- module


def test_docstring_examples() -> None:
    result = doctest.testmod(aiohttp_adapter, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 10


def test_the_package_does_not_import_aiohttp() -> None:
    code = (
        "import sys, wwwauth, wwwauth.integrations, wwwauth.integrations.protect, "
        "wwwauth.integrations.server, wwwauth.integrations.wsgi, "
        "wwwauth.integrations.asgi, wwwauth.integrations.verifiers\n"
        "assert 'aiohttp' not in sys.modules, 'aiohttp imported'\n"
        "assert 'wwwauth.integrations.aiohttp' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
