"""wwwauth.integrations.djangorestframework: the scenario table with APIClient, and more.

Every row of :data:`tests.adapters.scenarios.SCENARIOS` is sent with REST framework's
``APIClient`` to API views protected by :class:`WWWAuthentication` (+ ``IsAuthenticated``,
+ :class:`HasScopes` on /admin), once with :func:`exception_handler` as the project's
exception handler and once with :class:`FieldLinesMixin` on the views. The client hands
back the response object, whose ``items()`` is what Django's handlers send, so each
challenge is checked as its own pair; the example app is driven on the wire below too.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import ClassVar

import pytest

pytest.importorskip("django")
pytest.importorskip("rest_framework")

from ._django import configure

configure()

from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path
from rest_framework.authentication import BaseAuthentication
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from wwwauth import Credentials, parse_www_authenticate
from wwwauth.integrations.djangorestframework import (
    FieldLinesMixin,
    HasScopes,
    PrincipalUser,
    WWWAuthentication,
    principal_of,
)
from wwwauth.integrations.protect import PROBLEM_JSON, Protection
from wwwauth.integrations.server import RequestInfo
from wwwauth.integrations.verifiers import Principal

from .accounts import CHALLENGES, verify
from .scenarios import ALADDIN, BOTH, SCENARIOS, Scenario
from .test_django import ASYNC_PROTECTION, PROTECTION, seen
from .test_examples_wire import (
    ROOT,
    Served,
    drive,
    problems,
    serve,  # noqa: F401 - the fixture that serves an app
)

HANDLER = "wwwauth.integrations.djangorestframework.exception_handler"

# ------------------------------------------------------------------------ the views


class ExampleAuthentication(WWWAuthentication[Principal]):
    protection = PROTECTION


class ProblemAuthentication(WWWAuthentication[Principal]):
    protection = Protection(challenges=CHALLENGES, verify=verify, refusal_body="problem")


def boom(credentials: Credentials, request: RequestInfo) -> Principal | None:
    raise RuntimeError(f"secret-in-message {credentials.token68}")


class BoomAuthentication(WWWAuthentication[Principal]):
    protection = Protection(challenges=CHALLENGES, verify=boom)


class Public(APIView):
    authentication_classes = (ExampleAuthentication,)
    permission_classes = (AllowAny,)

    def get(self, request: Request) -> HttpResponse:
        return HttpResponse("public", content_type="text/plain")


class Private(APIView):
    authentication_classes: tuple[type[BaseAuthentication], ...] = (ExampleAuthentication,)
    permission_classes = (IsAuthenticated,)

    def get(self, request: Request) -> HttpResponse:
        return HttpResponse(principal_of(request, Principal).name, content_type="text/plain")


class Admin(Private):
    permission_classes = (IsAuthenticated, HasScopes)  # type: ignore[assignment]
    required_scopes = ("admin",)


class MixinPublic(FieldLinesMixin, Public):
    pass


class MixinPrivate(FieldLinesMixin, Private):
    pass


class MixinAdmin(FieldLinesMixin, Admin):
    pass


class ProblemPrivate(FieldLinesMixin, Private):
    authentication_classes = (ProblemAuthentication,)


class ProblemPrivateNoMixin(Private):
    authentication_classes = (ProblemAuthentication,)


class BoomPrivate(Private):
    authentication_classes = (BoomAuthentication,)


class TokenAuthentication(BaseAuthentication):
    """Another scheme ("Token"), tried after wwwauth's class."""

    def authenticate(self, request: Request) -> tuple[PrincipalUser[str], str] | None:
        if request.META.get("HTTP_AUTHORIZATION") == "Token other":
            return PrincipalUser("other"), "other"
        return None


class Chained(APIView):
    authentication_classes = (ExampleAuthentication, TokenAuthentication)
    permission_classes = (IsAuthenticated,)

    def get(self, request: Request) -> HttpResponse:
        return HttpResponse(str(request.user), content_type="text/plain")


class UserAuthentication(WWWAuthentication[Principal]):
    protection = PROTECTION

    def user(self, principal: Principal) -> User:
        return User(username=f"user:{principal.name}")


class Whoami(APIView):
    authentication_classes = (UserAuthentication,)
    permission_classes = (IsAuthenticated,)

    def get(self, request: Request) -> HttpResponse:
        return HttpResponse(request.user.get_username())


@api_view(["GET"])
@authentication_classes([ExampleAuthentication])
@permission_classes([IsAuthenticated, HasScopes.of("admin")])
def function_admin(request: Request) -> HttpResponse:
    return HttpResponse(principal_of(request, Principal).name, content_type="text/plain")


urlpatterns = [
    path("public", Public.as_view()),
    path("private", Private.as_view()),
    path("admin", Admin.as_view()),
    path("mixin/public", MixinPublic.as_view()),
    path("mixin/private", MixinPrivate.as_view()),
    path("mixin/admin", MixinAdmin.as_view()),
    path("problem", ProblemPrivate.as_view()),
    path("boom", BoomPrivate.as_view()),
    path("chained", Chained.as_view()),
    path("whoami", Whoami.as_view()),
    path("function-admin", function_admin),
]


@pytest.fixture(autouse=True)
def urls() -> Iterator[None]:
    with override_settings(ROOT_URLCONF=__name__):
        yield


@pytest.fixture
def handler() -> Iterator[None]:
    with override_settings(ROOT_URLCONF=__name__, REST_FRAMEWORK={"EXCEPTION_HANDLER": HANDLER}):
        yield


def get(path: str, authorization: str | None = None) -> HttpResponse:
    client = APIClient()
    if authorization is not None:
        client.credentials(HTTP_AUTHORIZATION=authorization)
    response: HttpResponse = client.get(path)
    return response


def challenges(response: HttpResponse) -> list[str]:
    return [value for name, value in response.items() if name.lower() == "www-authenticate"]


ROWS = [(s, a) for s in SCENARIOS for a in s.authorizations]
ROW_IDS = [f"{s.name}-{i}" for s in SCENARIOS for i, _ in enumerate(s.authorizations)]


# ------------------------------------------------------------------------ the table


@pytest.mark.usefixtures("handler")
@pytest.mark.parametrize(("scenario", "authorization"), ROWS, ids=ROW_IDS)
def test_exception_handler(scenario: Scenario, authorization: str | None) -> None:
    response = get(scenario.path, authorization)
    assert problems(seen(response), scenario, authorization) == []


@pytest.mark.parametrize(("scenario", "authorization"), ROWS, ids=ROW_IDS)
def test_field_lines_mixin(scenario: Scenario, authorization: str | None) -> None:
    response = get("/mixin" + scenario.path, authorization)
    assert problems(seen(response), scenario, authorization) == []


def test_without_either_every_challenge_is_on_one_line_and_it_is_401() -> None:
    response = get("/private")
    assert response.status_code == 401  # not 403: authenticate_header gives the challenges
    (line,) = challenges(response)
    assert [str(c) for c in parse_www_authenticate(line)] == list(BOTH)


def test_the_refusal_body_is_rest_frameworks_without_the_credentials() -> None:
    response = get("/private", "Bearer not-a-known-token")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert "detail" in json.loads(response.content)
    assert b"not-a-known-token" not in response.content


# ------------------------------------------------------------------------ features


def test_problem_json_body() -> None:
    response = get("/problem", "Bearer not-a-known-token")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM_JSON
    assert json.loads(response.content)["status"] == 401
    assert len(challenges(response)) == 2
    assert b"not-a-known-token" not in response.content


def test_problem_json_body_through_the_exception_handler() -> None:
    class Urls:
        urlpatterns: ClassVar = [path("p", ProblemPrivateNoMixin.as_view())]

    with override_settings(ROOT_URLCONF=Urls, REST_FRAMEWORK={"EXCEPTION_HANDLER": HANDLER}):
        response = get("/p", ALADDIN.replace("Q==", "Q=x"))
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM_JSON
    assert len(challenges(response)) == 2


def test_exception_in_verify_is_500_without_the_secret(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        response = get("/boom", ALADDIN)
    assert response.status_code == 500
    secret = ALADDIN.split()[1]
    for text in (response.content.decode(), caplog.text, *(v for _, v in response.items())):
        assert secret not in text
        assert "secret-in-message" not in text


def test_another_scheme_is_left_to_the_next_authentication_class() -> None:
    assert get("/chained", "Token other").content == b"other"
    assert get("/chained", "Bearer read-token").content == b"read-token"
    refused = get("/chained", "Token wrong")
    assert refused.status_code == 401
    assert [str(c) for c in parse_www_authenticate(", ".join(challenges(refused)))] == list(BOTH)


def test_default_user_is_a_principal_user() -> None:
    request = APIRequestFactory().get("/private", HTTP_AUTHORIZATION="Bearer read-token")
    user, principal = ExampleAuthentication().authenticate(Request(request)) or (None, None)
    assert isinstance(user, PrincipalUser)
    assert user.is_authenticated and not user.is_anonymous
    assert (user.username, user.pk, str(user)) == ("read-token",) * 3
    assert principal == Principal(name="read-token", scopes=frozenset({"read"}))


def test_user_maps_the_principal_to_a_django_user() -> None:
    assert get("/whoami", "Bearer admin-token").content == b"user:admin-token"


def test_has_scopes_of_on_a_function_view() -> None:
    assert get("/function-admin", "Bearer admin-token").content == b"admin-token"
    refused = get("/function-admin", "Bearer read-token")
    assert refused.status_code == 403
    assert challenges(refused)[0].startswith('Bearer realm="example"')
    assert 'error="insufficient_scope"' in challenges(refused)[0]


def test_has_scopes_refuses_a_principal_of_another_authentication() -> None:
    view = Admin.as_view()
    request = APIRequestFactory().get("/admin")
    force_authenticate(request, user=User(username="forced"))
    response = view(request)
    assert response.status_code == 403
    assert challenges(response) == []


def test_required_scopes_must_not_be_a_str() -> None:
    class Odd(Admin):
        required_scopes = "admin"  # type: ignore[assignment]

    with pytest.raises(ImproperlyConfigured, match="required_scopes"):
        Odd.as_view()(APIRequestFactory().get("/", HTTP_AUTHORIZATION="Bearer admin-token"))


def test_async_verify_is_refused_when_the_class_is_defined() -> None:
    with pytest.raises(TypeError, match="REST framework"):

        class AsyncAuthentication(WWWAuthentication[Principal]):
            protection = ASYNC_PROTECTION


def test_a_proxy_protection_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="proxy"):

        class ProxyAuthentication(WWWAuthentication[Principal]):
            protection = Protection(challenges=CHALLENGES, verify=verify, proxy=True)


def test_a_missing_protection_is_refused_when_used() -> None:
    class Bare(WWWAuthentication[Principal]):
        pass

    with pytest.raises(ImproperlyConfigured, match="protection"):
        Bare()


def test_principal_of_without_wwwauth() -> None:
    request = Request(APIRequestFactory().get("/"))
    request.authenticators = ()
    with pytest.raises(LookupError):
        principal_of(request, Principal)


def test_principal_of_the_wrong_type() -> None:
    request = Request(
        APIRequestFactory().get("/", HTTP_AUTHORIZATION="Bearer read-token"),
        authenticators=[ExampleAuthentication()],
    )
    with pytest.raises(TypeError, match="Principal"):
        principal_of(request, str)
    assert principal_of(request, Principal).name == "read-token"


# ------------------------------------------------------------------------ on the wire


@pytest.mark.parametrize("server", ["waitress", "uvicorn"])
@pytest.mark.parametrize("client", ["curl", "requests"])
def test_example_app_on_the_wire(client: str, server: str, request: pytest.FixtureRequest) -> None:
    pytest.importorskip(server)
    argv = [str(ROOT / "examples" / "djangorestframework_app.py")]
    served: Served = request.getfixturevalue("serve")(
        argv + (["--asgi"] if server == "uvicorn" else [])
    )
    assert drive(served.origin, client) == []


def test_docstring_examples() -> None:
    import doctest

    import wwwauth.integrations.djangorestframework as module

    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 3
