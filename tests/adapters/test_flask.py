"""wwwauth.integrations.flask with Flask's test client: the scenario table and more.

werkzeug's ``Headers`` keeps every field line (``headers.items()`` lists a repeated name
once per line), so two challenges merged into one line would fail here, not only on the
wire (tests/adapters/test_examples_wire.py serves examples/flask_app.py with waitress).
"""

from __future__ import annotations

import doctest
import functools
import importlib.util
import json
import logging
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import flask
import pytest
from flask.views import MethodView
from werkzeug.test import TestResponse

import wwwauth.integrations.flask as flask_adapter
from wwwauth import Credentials
from wwwauth.integrations.flask import G_PRINCIPAL, Auth, wrap_wsgi_app
from wwwauth.integrations.protect import PROBLEM_JSON, Protection, RefusalBody
from wwwauth.integrations.server import RequestInfo
from wwwauth.integrations.verifiers import AsyncBasicVerifier, Principal
from wwwauth.integrations.wsgi import AuthMiddleware

from .accounts import CHALLENGES, verify
from .scenarios import ALADDIN, ALADDIN_WRONG, SCENARIOS, Scenario
from .test_examples_wire import Seen, problems

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "flask_app.py"


def protection(
    verify: Callable[[Credentials, RequestInfo], object] = verify,
    *,
    refusal_body: RefusalBody = "text",
    authentication_info: Callable[[Credentials, RequestInfo], Mapping[str, str] | None]
    | None = None,
) -> Protection[Principal]:
    return Protection[Principal](
        challenges=CHALLENGES,
        verify=verify,
        refusal_body=refusal_body,
        authentication_info=authentication_info,
    )


def make_app(auth: Auth[Principal], *, style: str = "sync") -> flask.Flask:
    """The scenario routes, the views written as plain or async functions."""
    app = flask.Flask(__name__)
    auth.init_app(app)

    @app.get("/public")
    def public() -> str:
        return "public"

    if style == "sync":

        @app.get("/private")
        @auth.required
        def private() -> str:
            return auth.principal.name

        @app.get("/admin")
        @auth.required(scopes=["admin"])
        def admin() -> str:
            return auth.principal.name

    else:

        @app.get("/private")
        @auth.required
        async def private_async() -> str:
            return auth.principal.name

        @app.get("/admin")
        @auth.required(scopes=["admin"])
        async def admin_async() -> str:
            return auth.principal.name

    return app


def seen(response: TestResponse) -> Seen:
    return Seen(response.status_code, tuple(response.headers.items()), response.get_data())


def get(app: flask.Flask, path: str, authorization: str | None = None) -> Seen:
    headers = {} if authorization is None else {"Authorization": authorization}
    return seen(app.test_client().get(path, headers=headers))


def lines(response: Seen) -> list[str]:
    return response.field_lines("WWW-Authenticate")


@functools.cache
def example_app() -> flask.Flask:
    """examples/flask_app.py's app (loaded by path: mypy checks examples/ on its own)."""
    spec = importlib.util.spec_from_file_location("flask_app", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    app: object = module.app
    assert isinstance(app, flask.Flask)
    return app


ROWS = [(s, a) for s in SCENARIOS for a in s.authorizations]
ROW_IDS = [f"{s.name}-{i}" for s in SCENARIOS for i, _ in enumerate(s.authorizations)]


@pytest.mark.parametrize("style", ["sync", "async"])
@pytest.mark.parametrize(("scenario", "authorization"), ROWS, ids=ROW_IDS)
def test_scenario_table(scenario: Scenario, authorization: str | None, style: str) -> None:
    app = make_app(Auth(protection()), style=style)
    assert problems(get(app, scenario.path, authorization), scenario, authorization) == []


@pytest.mark.parametrize(("scenario", "authorization"), ROWS, ids=ROW_IDS)
def test_scenario_table_on_the_example_app(scenario: Scenario, authorization: str | None) -> None:
    app = example_app()
    assert problems(get(app, scenario.path, authorization), scenario, authorization) == []


def test_each_challenge_is_its_own_field_line_in_the_response_object() -> None:
    response = make_app(Auth(protection())).test_client().get("/private")
    assert response.headers.getlist("WWW-Authenticate") == [
        'Bearer realm="example"',
        'Basic realm="example"',
    ]
    assert response.headers.getlist("Content-Type") == ["text/plain; charset=utf-8"]


# ---------------------------------------------------------------- sync only


async def async_verify(credentials: Credentials, request: RequestInfo) -> Principal | None:
    return None


async def async_authorize(principal: object, request: RequestInfo) -> bool:
    return True


@pytest.mark.parametrize(
    ("verify_", "authorize", "role"),
    [
        (async_verify, None, "verify"),
        (AsyncBasicVerifier({"aladdin": "open sesame"}), None, "verify"),
        (verify, async_authorize, "authorize"),
    ],
    ids=["coroutine-function", "async-verifier", "async-authorize"],
)
def test_async_callbacks_are_refused_at_construction(
    verify_: Callable[..., object], authorize: Callable[..., object] | None, role: str
) -> None:
    refused = Protection[Principal](challenges=CHALLENGES, verify=verify_, authorize=authorize)
    with pytest.raises(TypeError, match=f"Flask calls {role} synchronously"):
        Auth(refused)


def test_async_view_refused_never_runs() -> None:
    ran: list[str] = []
    auth = Auth(protection())
    app = flask.Flask(__name__)

    @app.get("/private")
    @auth.required
    async def private() -> str:
        ran.append("view")
        return auth.principal.name

    assert get(app, "/private").status == 401
    assert ran == []
    assert get(app, "/private", "Bearer read-token").body == b"read-token"
    assert ran == ["view"]


# ---------------------------------------------------------------- principal


def test_principal_is_on_flask_g_and_typed_on_the_extension() -> None:
    auth = Auth(protection())
    app = flask.Flask(__name__)
    auth.init_app(app)
    found: list[object] = []

    @app.get("/private")
    @auth.required
    def private() -> str:
        found.append(flask.g.get(G_PRINCIPAL))
        principal: Principal = auth.principal
        return principal.name

    assert get(app, "/private", ALADDIN).body == b"aladdin"
    assert found == [Principal(name="aladdin")]
    assert app.extensions["wwwauth"] is auth


def test_principal_outside_a_granted_request_is_a_lookup_error() -> None:
    auth = Auth(protection())
    app = flask.Flask(__name__)

    @app.get("/open")
    def open_view() -> str:
        with pytest.raises(LookupError, match="not checked by wwwauth"):
            auth.principal  # noqa: B018 - the property raises
        return "open"

    assert get(app, "/open").status == 200


# ---------------------------------------------------------------- whole app


def counting(calls: list[str]) -> Callable[[Credentials, RequestInfo], Principal | None]:
    def counted(credentials: Credentials, request: RequestInfo) -> Principal | None:
        calls.append(request.target)
        return verify(credentials, request)

    return counted


def whole_app(exclude: Iterable[str] | Callable[[flask.Request], bool]) -> flask.Flask:
    auth = Auth(protection(), protect_all=True, exclude=exclude)
    app = make_app(auth)

    @app.get("/health")
    def health() -> str:
        return "ok"

    @app.get("/docs/index")
    def docs() -> str:
        return "docs"

    @app.get("/whoami")
    def whoami() -> str:
        return auth.principal.name

    return app


@pytest.mark.parametrize(
    "exclude",
    [
        ["/public", "/health", "/docs/"],
        lambda request: request.path in ("/public", "/health") or request.path.startswith("/docs/"),
    ],
    ids=["paths", "predicate"],
)
def test_protect_all_leaves_only_the_exclusions_open(
    exclude: Iterable[str] | Callable[[flask.Request], bool],
) -> None:
    app = whole_app(exclude)
    for path in ("/public", "/health", "/docs/index"):
        assert get(app, path).status == 200, path
    for path in ("/whoami", "/public/", "/healthz", "/no-such-route"):
        refused = get(app, path)
        assert refused.status == 401, path
        assert lines(refused) == ['Bearer realm="example"', 'Basic realm="example"']
    assert get(app, "/whoami", "Bearer read-token").body == b"read-token"
    assert get(app, "/no-such-route", "Bearer read-token").status == 404
    # a decorated view keeps its own scopes under protect_all
    assert get(app, "/admin", "Bearer read-token").status == 403
    assert get(app, "/admin", "Bearer admin-token").body == b"admin-token"


def test_protect_all_checks_a_decorated_view_once() -> None:
    calls: list[str] = []
    auth = Auth(Protection[Principal](challenges=CHALLENGES, verify=counting(calls)))
    app = flask.Flask(__name__)
    Auth.init_app(auth, app)
    app_wide = Auth(
        Protection[Principal](challenges=CHALLENGES, verify=counting(calls)), protect_all=True
    )
    app_wide.init_app(app)

    @app.get("/private")
    @auth.required
    def private() -> str:
        return auth.principal.name

    @app.get("/other")
    def other() -> str:
        return app_wide.principal.name

    assert get(app, "/private", ALADDIN).body == b"aladdin"
    assert calls == ["/private"]
    assert get(app, "/other", ALADDIN).body == b"aladdin"
    assert calls == ["/private", "/other"]


def test_protect_all_checks_a_decorated_method_view_once() -> None:
    calls: list[str] = []
    auth = Auth(
        Protection[Principal](challenges=CHALLENGES, verify=counting(calls)), protect_all=True
    )
    app = flask.Flask(__name__)
    auth.init_app(app)

    class Admin(MethodView):
        @auth.required(scopes=["admin"])
        def get(self) -> str:
            return auth.principal.name

    app.add_url_rule("/admin", view_func=Admin.as_view("admin"))
    assert get(app, "/admin", "Bearer read-token").status == 403
    assert calls == ["/admin"]
    assert get(app, "/admin", "Bearer admin-token").body == b"admin-token"


def test_scopes_as_a_single_str_is_refused() -> None:
    with pytest.raises(TypeError, match="not a str"):
        Auth(protection()).required(scopes="admin")


def test_exclude_as_a_single_str_is_refused() -> None:
    with pytest.raises(TypeError, match="not a str"):
        Auth(protection(), protect_all=True, exclude="/public")


def test_exclude_without_protect_all_is_refused() -> None:
    with pytest.raises(ValueError, match="protect_all"):
        Auth(protection(), exclude=["/public"])


@pytest.mark.parametrize("path", ["/", "docs", "/docs/../x", "//docs", "/a%2Fb"])
def test_an_excluded_path_must_be_plain(path: str) -> None:
    # The rule of the WSGI middleware's exclude= (integrations/_exclude.py).
    with pytest.raises(ValueError, match="path"):
        Auth(protection(), protect_all=True, exclude=[path])


def test_a_path_that_is_not_plain_is_never_excluded() -> None:
    app = whole_app(["/public", "/docs/"])
    assert get(app, "/docs/index").status == 200
    for path in ("/docs//index", "/docs/./index", "/docs/%2E%2E/index"):
        assert get(app, path).status == 401, path


def test_whole_app_wsgi_middleware_type_checks_through_wrap_wsgi_app() -> None:
    # GIVEN the WSGI middleware installed on a Flask app (this file is mypy --strict clean,
    # which `app.wsgi_app = AuthMiddleware(app.wsgi_app, ...)` is not: method-assign)
    app = flask.Flask(__name__)

    @app.get("/private")
    def private() -> str:
        principal: object = flask.request.environ["wwwauth.principal"]
        assert isinstance(principal, Principal)
        return principal.name

    middleware = wrap_wsgi_app(
        app, lambda wsgi_app: AuthMiddleware(wsgi_app, challenges=CHALLENGES, verify=verify)
    )
    assert isinstance(middleware, AuthMiddleware)
    assert app.wsgi_app is middleware
    # THEN every request goes through it, each challenge on its own line
    refused = get(app, "/private")
    assert refused.status == 401
    assert lines(refused) == ['Bearer realm="example"', 'Basic realm="example"']
    assert get(app, "/private", "Bearer admin-token").body == b"admin-token"


# ---------------------------------------------------------------- bodies, errors, info


def test_problem_json_refusal_body() -> None:
    app = make_app(Auth(protection(refusal_body="problem")))
    response = app.test_client().get("/admin", headers={"Authorization": "Bearer read-token"})
    assert response.status_code == 403
    assert response.headers.getlist("Content-Type") == [PROBLEM_JSON]
    problem = json.loads(response.get_data())
    assert problem["status"] == 403 and problem["title"] == "Forbidden"
    assert "read-token" not in response.get_data(as_text=True)


def test_an_exception_in_verify_is_500_without_the_credential(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(credentials: Credentials, request: RequestInfo) -> Principal | None:
        raise RuntimeError(f"lookup failed for {credentials.token68}")

    app = make_app(Auth(protection(broken)))
    with caplog.at_level(logging.DEBUG):
        response = get(app, "/private", ALADDIN_WRONG)
    assert response.status == 500
    assert lines(response) == []
    secret = ALADDIN_WRONG.split()[1]
    assert secret.encode() not in response.body
    assert all(secret not in value for _, value in response.fields)
    assert caplog.records, "the failure is logged"
    assert all(secret not in record.getMessage() for record in caplog.records)
    assert all(record.exc_info is None for record in caplog.records)


@pytest.mark.parametrize("whole", [False, True], ids=["decorator", "protect_all"])
def test_authentication_info_is_added_to_the_granted_response(whole: bool) -> None:
    info = protection(authentication_info=lambda credentials, request: {"nextnonce": "n1"})
    auth = Auth(info, protect_all=whole, exclude=["/public"] if whole else ())
    app = make_app(auth)

    @app.get("/plain")
    def plain() -> str:
        return auth.principal.name

    path = "/plain" if whole else "/private"
    response = get(app, path, "Bearer read-token")
    assert response.body == b"read-token"
    assert response.field_lines("Authentication-Info") == ['nextnonce="n1"']


def test_async_view_gets_authentication_info_too() -> None:
    info = protection(authentication_info=lambda credentials, request: {"nextnonce": "n1"})
    response = get(make_app(Auth(info), style="async"), "/private", "Bearer read-token")
    assert response.body == b"read-token"
    assert response.field_lines("Authentication-Info") == ['nextnonce="n1"']


def test_proxy_protection_answers_407_with_proxy_authenticate() -> None:
    proxy = Protection[Principal](challenges=CHALLENGES, verify=verify, proxy=True)
    auth = Auth(proxy)
    app = make_app(auth)
    refused = app.test_client().get("/private", headers={"Authorization": "Bearer read-token"})
    assert refused.status_code == 407
    assert refused.headers.getlist("Proxy-Authenticate") == [str(c) for c in CHALLENGES]
    granted = app.test_client().get(
        "/private", headers={"Proxy-Authorization": "Bearer read-token"}
    )
    assert granted.get_data() == b"read-token"


# ---------------------------------------------------------------- module


def test_docstring_examples() -> None:
    result = doctest.testmod(flask_adapter, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 10


def test_the_package_does_not_import_flask() -> None:
    code = (
        "import sys, wwwauth, wwwauth.integrations, wwwauth.integrations.protect, "
        "wwwauth.integrations.server, wwwauth.integrations.wsgi, "
        "wwwauth.integrations.asgi, wwwauth.integrations.verifiers\n"
        "assert 'flask' not in sys.modules, 'flask imported'\n"
        "assert 'wwwauth.integrations.flask' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
