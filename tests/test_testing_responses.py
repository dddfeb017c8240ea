"""wwwauth.testing reads the response objects of each HTTP library, field lines apart.

Each library answers, for real, three responses: a 401 with two challenges on two field
lines (right), the same two on one field line (a warning: browsers mis-read them), and a
401 whose realm is not quoted (an error).
"""

from __future__ import annotations

import asyncio
import http.client
import http.server
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import httpx
import litestar
import litestar.types
import pytest
import requests
from litestar.testing import TestClient as LitestarClient

from wwwauth.testing import assert_auth_response, check_response, response_problems

from .adapters import _django

pytest_plugins = ["pytester"]

WWW = "WWW-Authenticate"
TWO_LINES = [(WWW, 'Basic realm="x"'), (WWW, 'Bearer realm="y"')]
ONE_LINE = [(WWW, 'Basic realm="x", Bearer realm="y"')]
UNQUOTED = [(WWW, "Basic realm=x")]
ANSWERS = {"/two-lines": TWO_LINES, "/one-line": ONE_LINE, "/unquoted": UNQUOTED}
EXPECTED = {
    "/two-lines": [],
    "/one-line": ["several-challenges-per-line"],
    "/unquoted": ["realm-not-quoted"],
}
PATHS = list(ANSWERS)


def codes(response: object) -> list[str]:
    """The problem codes of a 401 (so that an app that failed cannot pass for a right one)."""
    status = getattr(response, "status_code", getattr(response, "status", None))
    assert status == 401
    return [problem.code for problem in check_response(response)]


# ------------------------------------------------------------- a real HTTP/1.1 server


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(401)
        for name, value in ANSWERS[self.path]:
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.mark.parametrize("path", PATHS)
def test_requests_response_is_read_from_raw(server: str, path: str) -> None:
    response = requests.get(server + path, timeout=10)
    assert codes(response) == EXPECTED[path]


def test_requests_two_field_lines_give_no_false_warning(server: str) -> None:
    # r.headers joined the two lines; the kit reads them apart from r.raw.
    response = requests.get(server + "/two-lines", timeout=10)
    assert response.headers[WWW] == 'Basic realm="x", Bearer realm="y"'
    assert response_problems(response) == []
    assert_auth_response(response)
    streamed = requests.get(server + "/two-lines", timeout=10, stream=True)
    assert_auth_response(streamed)
    streamed.close()


def test_requests_headers_given_apart_say_the_lines_are_lost(server: str) -> None:
    response = requests.get(server + "/two-lines", timeout=10)
    [problem] = check_response(response.status_code, response.headers)
    assert problem.code == "field-lines-unknown"
    assert problem.level == "warning"
    assert "pass the response itself, assert_auth_response(r)" in problem.message
    assert_auth_response(response.status_code, response.headers, warnings=False)


def test_requests_response_without_raw_says_what_to_do() -> None:
    response = requests.Response()
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Basic realm="x", Bearer realm="y"'
    [problem] = check_response(response)
    assert problem.code == "field-lines-unknown"
    assert problem.message == (
        "WWW-Authenticate holds 2 challenges, but whether they came on one field line or on "
        "2 cannot be told: this requests.Response has no raw urllib3 response holding the "
        "headers (built by hand or by a mock?), and r.headers joins the field lines of a "
        "name with ', ', so its field lines cannot be told apart: give the Response its "
        "`raw`, or pass the status and each field line yourself: "
        "assert_auth_response(status, [(name, value), ...])"
    )
    # One challenge in the value: nothing is lost, nothing is said.
    response.headers["WWW-Authenticate"] = 'Basic realm="x"'
    assert check_response(response) == []


@pytest.mark.parametrize("path", PATHS)
def test_httpx_response(server: str, path: str) -> None:
    assert codes(httpx.get(server + path)) == EXPECTED[path]


@pytest.mark.parametrize("path", PATHS)
def test_http_client_and_urllib_responses(server: str, path: str) -> None:
    host, port = server.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", path)
    assert codes(connection.getresponse()) == EXPECTED[path]
    connection.close()
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(server + path, timeout=10)  # our loopback server
    assert codes(raised.value) == EXPECTED[path]
    raised.value.close()


# ------------------------------------------------------------- test clients of frameworks


@pytest.mark.parametrize("path", PATHS)
def test_starlette_test_client(path: str) -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route
    from starlette.testclient import TestClient

    def answer(request: Request) -> Response:
        response = Response(status_code=401)
        for name, value in ANSWERS[request.url.path]:
            response.headers.append(name, value)
        return response

    app = Starlette(routes=[Route(p, answer) for p in PATHS])
    with TestClient(app) as client:
        assert codes(client.get(path)) == EXPECTED[path]


@pytest.mark.parametrize("path", PATHS)
def test_flask_test_client(path: str) -> None:
    from flask import Flask, Response, request

    app = Flask(__name__)

    @app.get("/<name>")
    def answer(name: str) -> Response:
        response = Response(status=401)
        for header, value in ANSWERS[request.path]:
            response.headers.add(header, value)
        return response

    assert codes(app.test_client().get(path)) == EXPECTED[path]


@pytest.mark.parametrize("path", PATHS)
def test_litestar_test_client(path: str) -> None:
    # litestar.Response holds one value per name: an ASGI route sends the field lines.
    # Litestar reads the annotations: they name module globals.
    @litestar.asgi(PATHS, copy_scope=False)
    async def answer(
        scope: litestar.types.Scope, receive: litestar.types.Receive, send: litestar.types.Send
    ) -> None:
        start: litestar.types.HTTPResponseStartEvent = {
            "type": "http.response.start",
            "status": 401,
            "headers": [(n.encode(), v.encode()) for n, v in ANSWERS[scope["path"]]],
        }
        await send(start)
        body: litestar.types.HTTPResponseBodyEvent = {
            "type": "http.response.body",
            "body": b"",
            "more_body": False,
        }
        await send(body)

    with LitestarClient(litestar.Litestar([answer])) as client:
        response = client.get(path)
    assert response.status_code == 401
    assert codes(response) == EXPECTED[path]


@pytest.mark.parametrize("path", PATHS)
def test_aiohttp_test_client(path: str) -> None:
    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    async def answer(request: web.Request) -> web.Response:
        response = web.Response(status=401)
        for name, value in ANSWERS[request.path]:
            response.headers.add(name, value)
        # The server side response object reads too (a multidict, getall).
        assert codes(response) == EXPECTED[request.path]
        return response

    async def ask() -> list[str]:
        app = web.Application()
        app.router.add_get(path, answer)
        async with TestClient(TestServer(app)) as client:
            response = await client.get(path)
            return codes(response)

    assert asyncio.run(ask()) == EXPECTED[path]


# ------------------------------------------------------------- Django


@pytest.fixture(scope="module")
def django_client() -> object:
    _django.configure()
    from django.test import Client

    return Client()


@pytest.mark.parametrize("path", PATHS)
def test_django_test_client_with_field_lines(django_client: object, path: str) -> None:
    from django.http import HttpRequest, HttpResponse
    from django.test import override_settings
    from django.urls import path as route

    from wwwauth.integrations.django import add_field_line

    def answer(request: HttpRequest) -> HttpResponse:
        response = HttpResponse(status=401)
        for name, value in ANSWERS[request.path]:
            add_field_line(response, name, value)
        return response

    urls = type("urls", (), {"urlpatterns": [route(p.lstrip("/"), answer) for p in PATHS]})
    with override_settings(ROOT_URLCONF=urls):
        response = django_client.get(path)  # type: ignore[attr-defined]  # django.test.Client
    assert codes(response) == EXPECTED[path]


def test_django_plain_response_warns_with_the_way_out(django_client: object) -> None:
    from django.http import HttpRequest, HttpResponse
    from django.test import override_settings
    from django.urls import path as route

    def answer(request: HttpRequest) -> HttpResponse:
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = 'Basic realm="x"'
        response["WWW-Authenticate"] = 'Bearer realm="y"'  # replaces the first line
        return response

    def joined(request: HttpRequest) -> HttpResponse:
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = 'Basic realm="x", Bearer realm="y"'
        return response

    urls = type("urls", (), {"urlpatterns": [route("replaced", answer), route("joined", joined)]})
    with override_settings(ROOT_URLCONF=urls):
        replaced = django_client.get("/replaced")  # type: ignore[attr-defined]  # django Client
        one_line = django_client.get("/joined")  # type: ignore[attr-defined]  # django Client
    assert response_problems(replaced) == []  # what Django sends: one line, Bearer
    [problem] = check_response(one_line)
    assert problem.code == "several-challenges-per-line"
    assert "wwwauth.integrations.django.add_field_line(response, name, value)" in problem.detail


# ------------------------------------------------------------- what cannot be read


def test_a_response_object_without_a_status_is_refused() -> None:
    with pytest.raises(TypeError, match="response object with an int status_code or status"):
        check_response({"WWW-Authenticate": 'Basic realm="x"'})
    with pytest.raises(TypeError, match="not int"):
        assert_auth_response(401)


def test_a_response_like_object_with_a_plain_mapping_says_lines_may_be_lost() -> None:
    class Reply:
        def __init__(self) -> None:
            self.status_code = 401
            self.headers = {"WWW-Authenticate": 'Basic realm="x", Bearer realm="y"'}

    [problem] = check_response(Reply())
    assert problem.code == "field-lines-unknown"
    assert "a Reply's headers hold one value per name" in problem.message


# ------------------------------------------------------------- the failure message


def test_failure_message_shows_status_source_field_lines_and_problems(server: str) -> None:
    response = requests.get(server + "/one-line", timeout=10)
    with pytest.raises(AssertionError) as raised:
        assert_auth_response(response)
    assert str(raised.value) == (
        "1 problem with the 401 response (field lines read from requests, r.raw.headers):\n"
        '  WWW-Authenticate: Basic realm="x", Bearer realm="y"\n'
        "- warning: WWW-Authenticate holds 2 challenges on one field line: browsers "
        "mis-read them; send one challenge per field line"
    )


def test_failure_message_escapes_control_characters_and_cuts_long_values() -> None:
    value = 'Basic realm="\x01' + "a" * 300 + '"'
    with pytest.raises(AssertionError) as raised:
        assert_auth_response(401, [(WWW, value)])
    shown = str(raised.value).splitlines()[1]
    assert shown.startswith('  WWW-Authenticate: Basic realm="\\x01aaa')
    assert shown.endswith(f"... ({len(value)} characters)")
    assert "\x01" not in str(raised.value)


def test_failure_traceback_hides_the_kit(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from wwwauth.testing import assert_auth_response

        def test_it():
            assert_auth_response(401, {"WWW-Authenticate": "Basic realm=x"})
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    assert "realm-not-quoted" not in output  # codes stay out; messages come in
    assert "the realm of the Basic challenge is not a quoted-string" in output
    assert "def assert_auth_response" not in output
    assert "_failure_message" not in output
