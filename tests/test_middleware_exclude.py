"""``exclude=``: paths the ASGI and WSGI middleware leave public (issue 13).

An excluded path reaches the application without its credentials being read and
without a principal; every other path, however it is spelled, stays protected.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from io import BytesIO
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import pytest

from wwwauth import Credentials, bearer
from wwwauth.integrations import asgi, wsgi
from wwwauth.integrations.server import PRINCIPAL_KEY, RequestInfo

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

KINDS = ["asgi", "wsgi"]
GOOD = "Bearer read-token"
PUBLIC = ["/docs", "/openapi.json", "/health", "/static/"]


class Recorder:
    """verify that counts its calls, and what the application saw."""

    def __init__(self) -> None:
        self.verify_calls = 0
        self.principal: object = "unset"

    def verify(self, credentials: Credentials, request: RequestInfo) -> str | None:
        self.verify_calls += 1
        return "alice" if credentials.token68 == "read-token" else None


def call(
    kind: str,
    raw_path: bytes,
    exclude: Any,
    authorization: str | None = None,
    preset_principal: object = None,
) -> tuple[int, Recorder]:
    """Send one request for ``raw_path`` (percent-encoded) as a server would decode it."""
    recorder = Recorder()
    path = unquote(raw_path.decode("ascii"), encoding="latin-1")
    if kind == "asgi":

        async def app(scope: Any, receive: Any, send: Any) -> None:
            recorder.principal = scope.get(PRINCIPAL_KEY, "absent")
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        middleware = asgi.AuthMiddleware(
            app, challenges=[bearer.challenge(realm="a")], verify=recorder.verify, exclude=exclude
        )
        headers = [] if authorization is None else [(b"authorization", authorization.encode())]
        scope: dict[str, Any] = {
            "type": "http",
            "method": "GET",
            "path": path,
            "raw_path": raw_path,
            "query_string": b"",
            "headers": headers,
        }
        if preset_principal is not None:
            scope[PRINCIPAL_KEY] = preset_principal
        statuses: list[int] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Any) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        asyncio.run(middleware(scope, receive, send))
        return statuses[0], recorder

    def wsgi_app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        recorder.principal = environ.get(PRINCIPAL_KEY, "absent")
        start_response("200 OK", [])
        return [b""]

    wsgi_middleware = wsgi.AuthMiddleware(
        wsgi_app, challenges=[bearer.challenge(realm="a")], verify=recorder.verify, exclude=exclude
    )
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "REQUEST_URI": raw_path.decode("ascii"),
        "wsgi.input": BytesIO(),
    }
    if authorization is not None:
        environ["HTTP_AUTHORIZATION"] = authorization
    if preset_principal is not None:
        environ[PRINCIPAL_KEY] = preset_principal
    seen: list[str] = []

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen.append(status)

    list(wsgi_middleware(environ, start))
    return int(seen[0][:3]), recorder


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "raw_path", [b"/docs", b"/openapi.json", b"/health", b"/static/app.js", b"/static/a/b.css"]
)
def test_excluded_paths_are_public_without_a_principal(kind: str, raw_path: bytes) -> None:
    status, recorder = call(kind, raw_path, PUBLIC)
    assert status == 200 and recorder.principal == "absent" and recorder.verify_calls == 0
    # Credentials on a public path are not even read: still no principal.
    status, recorder = call(kind, raw_path, PUBLIC, authorization=GOOD)
    assert status == 200 and recorder.principal == "absent" and recorder.verify_calls == 0


@pytest.mark.parametrize("kind", KINDS)
def test_a_principal_set_before_the_middleware_is_removed_on_a_public_path(kind: str) -> None:
    status, recorder = call(kind, b"/docs", PUBLIC, preset_principal="mallory")
    assert status == 200 and recorder.principal == "absent"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "raw_path",
    [
        b"/private",
        b"/docs/../private",  # a router resolving dot segments would reach /private
        b"/docs/%2E%2E/private",  # the same, percent-encoded: decoded before comparing
        b"/static/../private",
        b"/static/./../private",
        b"/static/..",
        b"//docs",  # an empty segment
        b"/%2Fdocs",  # decodes to //docs
        b"/docs%2F..%2Fprivate",  # decodes to /docs/../private
        b"/DOCS",  # case-sensitive: /DOCS is not /docs
        b"/Docs",
        b"/docs/",  # "/docs" is exact: not a prefix
        b"/docsx",
        b"/docs.json",
        b"/static",  # "/static/" covers what is under it, not /static itself
        b"/static//x",
        b"/static\\..\\private",
        b"/static/%5C..%5Cprivate",  # a backslash, decoded
        b"/static/%252E%252E/private",  # a % left after decoding: a second decoding is not ours
        b"docs",  # not absolute
        b"",
    ],
)
def test_path_tricks_stay_protected(kind: str, raw_path: bytes) -> None:
    status, recorder = call(kind, raw_path, PUBLIC)
    assert status == 401 and recorder.principal == "unset"
    status, recorder = call(kind, raw_path, PUBLIC, authorization=GOOD)
    assert status == 200 and recorder.principal == "alice" and recorder.verify_calls == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_percent_encoded_spelling_of_an_excluded_path_is_that_path(kind: str) -> None:
    """/%64ocs is /docs once decoded, and the application routes on /docs: public."""
    status, recorder = call(kind, b"/%64ocs", PUBLIC)
    assert status == 200 and recorder.principal == "absent"


@pytest.mark.parametrize("kind", KINDS)
def test_predicate(kind: str) -> None:
    def public(path: str) -> bool:
        return path.startswith("/public")

    assert call(kind, b"/public/x", public)[0] == 200
    assert call(kind, b"/private", public)[0] == 401
    # The path is plain before the predicate is asked: dot segments never reach it.
    assert call(kind, b"/public/../private", public)[0] == 401


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("answer", [1, "yes", None, [1]])
def test_predicate_excludes_only_on_true(kind: str, answer: object) -> None:
    status, recorder = call(kind, b"/docs", lambda path: answer)
    assert status == 401 and recorder.principal == "unset"


@pytest.mark.parametrize("kind", KINDS)
def test_a_failing_predicate_protects(kind: str, caplog: pytest.LogCaptureFixture) -> None:
    def broken(path: str) -> bool:
        raise KeyError("secret-looking message")

    with caplog.at_level(logging.ERROR, logger="wwwauth.integrations"):
        status, _ = call(kind, b"/docs", broken)
    assert status == 401
    assert "exclude raised KeyError" in caplog.text
    assert "secret-looking" not in caplog.text


@pytest.mark.parametrize("kind", KINDS)
def test_no_exclusions_protect_everything(kind: str) -> None:
    nothing: tuple[Any, ...] = (None, [], ())
    for exclude in nothing:
        assert call(kind, b"/docs", exclude)[0] == 401


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("exclude", "error"),
    [
        ("/docs", TypeError),  # one string, not a sequence of paths
        (b"/docs", TypeError),
        ([b"/docs"], TypeError),
        (["docs"], ValueError),
        (["/"], ValueError),  # every path public
        (["/a/../b"], ValueError),
        (["//a"], ValueError),
        (["/a%2Fb"], ValueError),
        (["/caf\u00e9"], ValueError),
    ],
)
def test_bad_exclusions_are_refused(kind: str, exclude: Any, error: type[Exception]) -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        return None

    middleware: Callable[..., object] = (
        asgi.AuthMiddleware if kind == "asgi" else wsgi.AuthMiddleware
    )
    with pytest.raises(error):
        middleware(
            app, challenges=[bearer.challenge(realm="a")], verify=Recorder().verify, exclude=exclude
        )


def test_asgi_compares_the_full_path_including_root_path() -> None:
    """scope["path"] includes root_path (ASGI): exclude the path as the client sends it."""
    recorder = Recorder()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})

    statuses: list[int] = []

    async def send(message: Any) -> None:
        statuses.append(message.get("status", 0))

    async def receive() -> dict[str, Any]:
        return {"type": "http.request"}

    middleware = asgi.AuthMiddleware(
        app, challenges=[bearer.challenge(realm="a")], verify=recorder.verify, exclude=["/api/docs"]
    )
    scope = {"type": "http", "path": "/api/docs", "root_path": "/api", "headers": []}
    asyncio.run(middleware(scope, receive, send))
    assert statuses[0] == 200


def test_wsgi_compares_path_info_below_script_name() -> None:
    recorder = Recorder()

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [])
        return [b""]

    middleware = wsgi.AuthMiddleware(
        app, challenges=[bearer.challenge(realm="a")], verify=recorder.verify, exclude=["/docs"]
    )
    seen: list[str] = []
    environ = {"SCRIPT_NAME": "/app", "PATH_INFO": "/docs", "wsgi.input": BytesIO()}

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen.append(status)

    list(middleware(environ, start))
    assert seen == ["200 OK"]


def test_lifespan_and_websocket_scopes() -> None:
    """A websocket handshake to an excluded path passes; lifespan passes as before."""
    reached: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(scope["type"])

    async def receive() -> dict[str, Any]:
        return {}

    async def send(message: Any) -> None:
        return None

    middleware = asgi.AuthMiddleware(
        app, challenges=[bearer.challenge(realm="a")], verify=Recorder().verify, exclude=["/ws"]
    )
    asyncio.run(middleware({"type": "websocket", "path": "/ws", "headers": []}, receive, send))
    asyncio.run(middleware({"type": "lifespan"}, receive, send))
    asyncio.run(middleware({"type": "websocket", "path": "/other", "headers": []}, receive, send))
    assert reached == ["websocket", "lifespan"]
