"""wwwauth.integrations.django: the scenario table with Django's test clients, and more.

Every row of :data:`tests.adapters.scenarios.SCENARIOS` is sent with Django's sync test
client (the WSGI path) and its async test client (the ASGI path), to views protected by
the decorator and to a site protected by the middleware. The test clients hand back the
response object itself, whose ``items()`` is what Django's WSGI and ASGI handlers send:
each challenge is checked as its own pair there, and on the wire below (the example app
under waitress and under uvicorn, driven with curl and requests).
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from collections.abc import Awaitable, Iterator
from typing import ClassVar

import pytest

pytest.importorskip("django")

from ._django import configure

configure()

from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.http import BadHeaderError, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.test import AsyncClient, Client, override_settings
from django.test.client import AsyncRequestFactory
from django.urls import path

from wwwauth import Credentials
from wwwauth.integrations.django import (
    FieldLineHeaders,
    WWWAuthMiddleware,
    add_field_line,
    principal_of,
    protected,
    request_info,
)
from wwwauth.integrations.protect import PROBLEM_JSON, Protection
from wwwauth.integrations.server import RequestInfo
from wwwauth.integrations.verifiers import Principal
from wwwauth.testing import response_problems

from .accounts import CHALLENGES, verify, verify_async
from .scenarios import ALADDIN, SCENARIOS, Scenario
from .test_examples_wire import (
    ROOT,
    Seen,
    Served,
    drive,
    problems,
    serve,  # noqa: F401 - the fixture that serves an app
)

# ------------------------------------------------------------------------ the apps


PROTECTION = Protection[Principal](challenges=CHALLENGES, verify=verify)
ASYNC_PROTECTION = Protection[Principal](challenges=CHALLENGES, verify=verify_async)


def public(request: HttpRequest) -> HttpResponse:
    return HttpResponse("public", content_type="text/plain")


def name(request: HttpRequest) -> HttpResponse:
    return HttpResponse(principal_of(request, Principal).name, content_type="text/plain")


async def async_name(request: HttpRequest) -> HttpResponse:
    return HttpResponse(principal_of(request, Principal).name, content_type="text/plain")


def boom(credentials: Credentials, request: RequestInfo) -> Principal | None:
    raise RuntimeError(f"secret-in-message {credentials.token68}")


def stale_user(principal: Principal) -> User | None:
    return User(username=principal.name) if principal.name == "aladdin" else None


@protected(PROTECTION, user=stale_user)
def whoami(request: HttpRequest) -> HttpResponse:
    user = getattr(request, "user", "unset")  # no AuthenticationMiddleware here
    return HttpResponse(f"{user}|{principal_of(request, Principal).name}")


urlpatterns = [
    path("public", public),
    path("private", protected(PROTECTION)(name)),
    path("admin", protected(PROTECTION, scopes=["admin"])(name)),
    path("async/public", public),
    path("async/private", protected(ASYNC_PROTECTION)(async_name)),
    path("async/admin", protected(ASYNC_PROTECTION, scopes=["admin"])(async_name)),
    path(
        "problem",
        protected(
            Protection[Principal](challenges=CHALLENGES, verify=verify, refusal_body="problem")
        )(name),
    ),
    path("boom", protected(Protection[Principal](challenges=CHALLENGES, verify=boom))(name)),
    path("whoami", whoami),
]


class SiteAuth(WWWAuthMiddleware[Principal]):
    """The whole site: /public excluded; /admin's scope comes from its decorator."""

    protection = PROTECTION
    exclude = ("/public", "/static/")


class AsyncSiteAuth(WWWAuthMiddleware[Principal]):
    protection = ASYNC_PROTECTION
    exclude = ("/public",)


def site_private(request: HttpRequest) -> HttpResponse:
    return HttpResponse(principal_of(request, Principal).name, content_type="text/plain")


async def async_site_private(request: HttpRequest) -> HttpResponse:
    return HttpResponse(principal_of(request, Principal).name, content_type="text/plain")


class SiteUrls:
    """The URLconf behind the middleware: /private is not decorated at all."""

    urlpatterns: ClassVar = [
        path("public", public),
        path("static/app.css", public),
        path("private", site_private),
        path("admin", protected(PROTECTION, scopes=["admin"])(site_private)),
    ]


class AsyncSiteUrls:
    urlpatterns: ClassVar = [
        path("public", public),
        path("private", async_site_private),
        path("admin", protected(ASYNC_PROTECTION, scopes=["admin"])(async_site_private)),
    ]


@pytest.fixture(autouse=True)
def urls() -> Iterator[None]:
    with override_settings(ROOT_URLCONF=__name__):
        yield


# ------------------------------------------------------------------------ helpers


def seen(response: HttpResponseBase) -> Seen:
    """The response as the WSGI/ASGI handler sends it: ``items()``, a pair per line."""
    assert isinstance(response, HttpResponse)  # not streamed: it holds its content
    return Seen(response.status_code, tuple(response.items()), response.content)


def headers_for(authorization: str | None) -> dict[str, str]:
    return {} if authorization is None else {"Authorization": authorization}


def rows() -> list[tuple[Scenario, str | None]]:
    return [(s, a) for s in SCENARIOS for a in s.authorizations]


ROW_IDS = [f"{s.name}-{i}" for s in SCENARIOS for i, _ in enumerate(s.authorizations)]


def run(coroutine: Awaitable[HttpResponseBase]) -> HttpResponse:
    """Run an AsyncClient request; its response holds its content (never streamed here)."""

    async def wait() -> HttpResponseBase:
        return await coroutine

    response = asyncio.run(wait())
    assert isinstance(response, HttpResponse)
    return response


# ------------------------------------------------------------------------ the table


@pytest.mark.parametrize(("scenario", "authorization"), rows(), ids=ROW_IDS)
def test_decorator_sync_views(scenario: Scenario, authorization: str | None) -> None:
    response = Client().get(scenario.path, headers=headers_for(authorization))
    assert problems(seen(response), scenario, authorization) == []


@pytest.mark.parametrize(("scenario", "authorization"), rows(), ids=ROW_IDS)
def test_decorator_async_views_async_verify(scenario: Scenario, authorization: str | None) -> None:
    response = run(AsyncClient().get("/async" + scenario.path, headers=headers_for(authorization)))
    assert problems(seen(response), scenario, authorization) == []


@pytest.mark.parametrize(("scenario", "authorization"), rows(), ids=ROW_IDS)
def test_middleware_sync(scenario: Scenario, authorization: str | None) -> None:
    middleware = [f"{__name__}.SiteAuth"]
    with override_settings(MIDDLEWARE=middleware, ROOT_URLCONF=SiteUrls):
        response = Client().get(scenario.path, headers=headers_for(authorization))
    assert problems(seen(response), scenario, authorization) == []


@pytest.mark.parametrize(("scenario", "authorization"), rows(), ids=ROW_IDS)
def test_middleware_async(scenario: Scenario, authorization: str | None) -> None:
    middleware = [f"{__name__}.AsyncSiteAuth"]
    with override_settings(MIDDLEWARE=middleware, ROOT_URLCONF=AsyncSiteUrls):
        response = run(AsyncClient().get(scenario.path, headers=headers_for(authorization)))
    assert problems(seen(response), scenario, authorization) == []


def test_the_test_client_sees_two_field_lines_not_one() -> None:
    response = Client().get("/private")
    assert [v for n, v in response.items() if n == "WWW-Authenticate"] == [
        'Bearer realm="example"',
        'Basic realm="example"',
    ]
    assert response_problems(response.status_code, list(response.items())) == []
    # response.headers is a Mapping whose items() gives each field line too
    assert len([n for n, _ in response.headers.items() if n == "WWW-Authenticate"]) == 2
    assert response_problems(response.status_code, response.headers) == []


# ------------------------------------------------------------------------ features


def test_problem_json_body() -> None:
    response = Client().get("/problem", headers={"Authorization": "Bearer not-a-known-token"})
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM_JSON
    assert response.json()["status"] == 401
    assert b"not-a-known-token" not in response.content


def test_exception_in_verify_is_500_without_the_secret(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        response = Client().get("/boom", headers={"Authorization": ALADDIN})
    assert response.status_code == 500
    secret = ALADDIN.split()[1]
    assert secret.encode() not in response.content
    assert b"secret-in-message" not in response.content
    assert all(secret not in v and "secret-in-message" not in v for _, v in response.items())
    assert "secret-in-message" not in caplog.text
    assert secret not in caplog.text


def test_user_maps_the_principal_to_request_user() -> None:
    response = Client().get("/whoami", headers={"Authorization": ALADDIN})
    assert response.content == b"aladdin|aladdin"


def test_user_returning_none_leaves_request_user_alone() -> None:
    response = Client().get("/whoami", headers={"Authorization": "Bearer read-token"})
    assert response.content == b"unset|read-token"


def test_async_view_awaits_an_async_user() -> None:
    async def user(principal: Principal) -> User | None:
        return User(username=f"user:{principal.name}")

    async def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(request.user.get_username())

    class Urls:
        urlpatterns: ClassVar = [path("me", protected(ASYNC_PROTECTION, user=user)(view))]

    with override_settings(ROOT_URLCONF=Urls):
        response = run(AsyncClient().get("/me", headers={"Authorization": "Bearer read-token"}))
    assert response.content == b"user:read-token"


def test_sync_view_refuses_a_user_that_returns_an_awaitable() -> None:
    class Lookup:  # not a coroutine function, so only the call shows it
        def __call__(self, principal: Principal) -> Awaitable[User | None]:
            return asyncio.sleep(0, result=None)

    class Urls:
        urlpatterns: ClassVar = [path("me", protected(PROTECTION, user=Lookup())(name))]

    with override_settings(ROOT_URLCONF=Urls), pytest.raises(TypeError, match="awaitable"):
        Client().get("/me", headers={"Authorization": "Bearer read-token"})


def test_sync_view_refuses_async_verify_at_decoration() -> None:
    with pytest.raises(TypeError, match="verify"):
        protected(ASYNC_PROTECTION)(name)


def test_sync_view_refuses_async_user_at_decoration() -> None:
    async def user(principal: Principal) -> User | None:
        return None

    with pytest.raises(TypeError, match="user"):
        protected(PROTECTION, user=user)(name)


def test_async_view_accepts_async_verify() -> None:
    view = protected(ASYNC_PROTECTION)(async_name)
    assert asyncio.iscoroutinefunction(view)


def test_sync_middleware_refuses_async_verify_at_construction() -> None:
    with pytest.raises(TypeError, match="verify"):
        AsyncSiteAuth(lambda request: HttpResponse())


def test_async_middleware_accepts_async_verify() -> None:
    async def get_response(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    middleware = AsyncSiteAuth(get_response)
    assert asyncio.iscoroutinefunction(middleware)


def test_middleware_needs_a_protection() -> None:
    class Bare(WWWAuthMiddleware[Principal]):
        pass

    with pytest.raises(ImproperlyConfigured, match="protection"):
        Bare(lambda request: HttpResponse())


@pytest.mark.parametrize("exclude", ["/public", ("public",), (b"/public",)])
def test_middleware_exclude_must_be_paths(exclude: object) -> None:
    class Odd(WWWAuthMiddleware[Principal]):
        protection = PROTECTION

    Odd.exclude = exclude  # type: ignore[assignment]
    with pytest.raises(ImproperlyConfigured, match="exclude"):
        Odd(lambda request: HttpResponse())


def test_middleware_exclusions_exact_and_prefix() -> None:
    with override_settings(MIDDLEWARE=[f"{__name__}.SiteAuth"], ROOT_URLCONF=SiteUrls):
        client = Client()
        assert client.get("/public").status_code == 200
        assert client.get("/static/app.css").status_code == 200
        # exact match only: /public/ is not /public
        assert client.get("/public/").status_code == 401
        assert client.get("/nowhere").status_code == 401


@pytest.mark.parametrize("exclude", [("/",), ("/static/../x",), ("//static/",), ("/a%2Fb",)])
def test_middleware_excluded_paths_must_be_plain(exclude: tuple[str, ...]) -> None:
    # The rule of the ASGI/WSGI middleware's exclude= (integrations/_exclude.py).
    class Odd(WWWAuthMiddleware[Principal]):
        protection = PROTECTION

    Odd.exclude = exclude
    with pytest.raises(ImproperlyConfigured, match="exclude"):
        Odd(lambda request: HttpResponse())


def test_middleware_never_excludes_a_path_that_is_not_plain() -> None:
    with override_settings(MIDDLEWARE=[f"{__name__}.SiteAuth"], ROOT_URLCONF=SiteUrls):
        client = Client()
        assert client.get("/static/app.css").status_code == 200
        for path in ("/static//app.css", "/static/./app.css"):
            assert client.get(path).status_code == 401, path


class PredicateAuth(WWWAuthMiddleware[Principal]):
    protection = PROTECTION

    def excluded(self, request: HttpRequest) -> bool:
        return request.method == "OPTIONS"


def test_middleware_exclusion_predicate() -> None:
    with override_settings(MIDDLEWARE=[f"{__name__}.PredicateAuth"], ROOT_URLCONF=SiteUrls):
        client = Client()
        assert client.options("/public").status_code == 200
        assert client.get("/public").status_code == 401


class UserSiteAuth(WWWAuthMiddleware[Principal]):
    protection = PROTECTION

    def user(self, principal: Principal) -> User | None:
        return User(username=principal.name)


def test_middleware_user_sets_request_user() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(request.user.get_username())

    class Urls:
        urlpatterns: ClassVar = [path("me", view)]

    with override_settings(MIDDLEWARE=[f"{__name__}.UserSiteAuth"], ROOT_URLCONF=Urls):
        response = Client().get("/me", headers={"Authorization": "Bearer admin-token"})
    assert response.content == b"admin-token"


def test_authentication_info_is_added_to_a_grant() -> None:
    protection = Protection[Principal](
        challenges=CHALLENGES,
        verify=verify,
        authentication_info=lambda credentials, request: {"nextnonce": "abc"},
    )

    class Urls:
        urlpatterns: ClassVar = [path("info", protected(protection)(name))]

    with override_settings(ROOT_URLCONF=Urls):
        response = Client().get("/info", headers={"Authorization": "Bearer read-token"})
    assert response.status_code == 200
    assert [v for n, v in response.items() if n.lower() == "authentication-info"] == [
        'nextnonce="abc"'
    ]


def test_principal_of_unprotected_request_and_wrong_type() -> None:
    request = HttpRequest()
    with pytest.raises(LookupError):
        principal_of(request, Principal)
    request.wwwauth_principal = "aladdin"  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="str"):
        principal_of(request, Principal)
    assert principal_of(request, str) == "aladdin"


def test_request_info_joins_several_authorization_lines_under_asgi() -> None:
    request = AsyncRequestFactory().get("/private?x=1")
    request.scope = {
        **request.scope,
        "headers": [
            (b"host", b"testserver"),
            (b"authorization", b"Bearer read-token"),
            (b"authorization", b"Bearer admin-token"),
        ],
    }
    info, value = request_info(request, "authorization")
    assert value == "Bearer read-token, Bearer admin-token"
    assert info.target == "/private?x=1"
    assert info.authority == "testserver"


def test_several_authorization_lines_are_refused_under_asgi() -> None:
    # RFC 9110 §5.3: the lines are joined; two credentials are not one (strict parser).
    view = protected(PROTECTION)(name)
    request = AsyncRequestFactory().get("/private")
    request.scope = {
        **request.scope,
        "headers": [(b"authorization", b"Bearer read-token"), (b"authorization", b"Bearer x")],
    }
    response = view(request)
    assert response.status_code == 400
    assert [v for n, v in response.items() if n == "WWW-Authenticate"] == [
        'Bearer realm="example", error="invalid_request"',
        'Basic realm="example"',
    ]


def test_request_info_under_wsgi_uses_the_raw_target() -> None:
    factory_request = HttpRequest()
    factory_request.method = "GET"
    factory_request.META = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/a/b",
        "REQUEST_URI": "/a%2Fb?q=1",
        "HTTP_HOST": "example.org",
        "HTTP_AUTHORIZATION": "Bearer read-token",
    }
    info, value = request_info(factory_request, "authorization")
    assert (info.target, info.target_is_raw, info.authority) == ("/a%2Fb?q=1", True, "example.org")
    assert value == "Bearer read-token"


# ---------------------------------------------------------------- FieldLineHeaders


def test_field_line_headers_repeat_and_replace() -> None:
    headers = FieldLineHeaders({"Content-Type": "text/plain"})
    headers.add("WWW-Authenticate", "Bearer")
    headers.add("www-authenticate", "Basic")
    headers.add("WWW-Authenticate", "Digest")
    assert list(headers.items()) == [
        ("Content-Type", "text/plain"),
        ("WWW-Authenticate", "Bearer"),
        ("WWW-Authenticate", "Basic"),
        ("WWW-Authenticate", "Digest"),
    ]
    assert len(headers.items()) == 4
    assert headers["WWW-Authenticate"] == "Bearer"
    assert headers.get_all("WWW-AUTHENTICATE") == ["Bearer", "Basic", "Digest"]
    headers["WWW-Authenticate"] = "Negotiate"
    assert headers.get_all("WWW-Authenticate") == ["Negotiate"]
    headers.add("WWW-Authenticate", "Basic")
    del headers["WWW-Authenticate"]
    assert headers.get_all("WWW-Authenticate") == []
    headers.add("WWW-Authenticate", "Bearer")
    headers.add("WWW-Authenticate", "Basic")
    assert headers.pop("WWW-Authenticate") == ("WWW-Authenticate", "Bearer")
    headers["WWW-Authenticate"] = "Bearer"
    assert headers.get_all("WWW-Authenticate") == ["Bearer"]


@pytest.mark.parametrize("value", ["Basic\r\nSet-Cookie: a=b", "Basic\nX: y"])
def test_field_line_headers_refuse_line_breaks(value: str) -> None:
    headers = FieldLineHeaders()
    headers.add("WWW-Authenticate", "Bearer")
    with pytest.raises(BadHeaderError):
        headers.add("WWW-Authenticate", value)
    with pytest.raises(BadHeaderError):
        FieldLineHeaders().add("WWW-Authenticate", value)


def test_add_field_line_keeps_other_headers_of_any_response() -> None:
    response = HttpResponse("x", status=401, headers={"X-Kept": "1"})
    add_field_line(response, "WWW-Authenticate", 'Bearer realm="example"')
    add_field_line(response, "WWW-Authenticate", 'Basic realm="example"')
    response["Vary"] = "Authorization"  # what other middleware does still works
    assert ("X-Kept", "1") in list(response.items())
    assert [v for n, v in response.items() if n == "WWW-Authenticate"] == [
        'Bearer realm="example"',
        'Basic realm="example"',
    ]
    assert b"WWW-Authenticate: Basic" in response.serialize_headers()


# ------------------------------------------------------------------------ on the wire


@pytest.mark.parametrize("client", ["curl", "requests"])
def test_example_app_under_uvicorn_asgi(client: str, request: pytest.FixtureRequest) -> None:
    pytest.importorskip("uvicorn")
    served: Served = request.getfixturevalue("serve")(
        [str(ROOT / "examples" / "django_app.py"), "--asgi"]
    )
    assert drive(served.origin, client) == []


def test_wwwauth_never_imports_django_by_itself() -> None:
    code = (
        "import sys, wwwauth, wwwauth.integrations, wwwauth.integrations.protect, "
        "wwwauth.integrations.verifiers, wwwauth.integrations.asgi, wwwauth.integrations.wsgi, "
        "wwwauth.integrations.server, wwwauth.testing; "
        "loaded = {'django', 'rest_framework', 'wwwauth.integrations.django', "
        "'wwwauth.integrations.djangorestframework'} & set(sys.modules); "
        "assert not loaded, loaded"
    )
    env_path = str(ROOT / "src")
    subprocess.run(
        [sys.executable, "-c", code], check=True, env={"PYTHONPATH": env_path}, timeout=60
    )


def test_docstring_examples() -> None:
    import doctest

    import wwwauth.integrations.django as module

    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 10
