"""The ASGI and WSGI middleware under real servers: uvicorn and wsgiref, on 127.0.0.1.

One protected echo application per interface, with Digest (``DigestVerifier``), Basic
and Bearer challenges; the same tests run against both, through real sockets, with
plain httpx calls for the exact bytes and with our own client integrations for Digest.
"""

from __future__ import annotations

import asyncio
import http.client
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx
import pytest
import requests
import uvicorn

from wwwauth import Challenge, Credentials, basic, bearer, digest, parse_www_authenticate
from wwwauth.integrations import asgi, wsgi
from wwwauth.integrations import httpx as ours_httpx
from wwwauth.integrations import requests as ours_requests
from wwwauth.integrations.server import STALE, DigestVerifier, RequestInfo
from wwwauth.testing import assert_auth_response

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

USERS = {"Mufasa": "Circle of Life"}
TOKENS = {"writer-token": {"write"}, "reader-token": {"read"}}
REALM = "api@127.0.0.1"
TIMEOUT = 5.0


class Clock:
    """A clock the tests move forward."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class State:
    """What the running servers share with the tests; reset before each test."""

    clock: Clock = field(default_factory=Clock)
    verifier: DigestVerifier = field(init=False)
    statuses: list[int] = field(default_factory=list)
    results: list[object] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reset()

    def reset(self, **options: Any) -> None:
        self.clock = Clock()
        arguments: dict[str, Any] = {"qop": ("auth", "auth-int"), **options}
        self.verifier = DigestVerifier(USERS, realm=REALM, clock=self.clock, **arguments)
        self.statuses.clear()
        self.results.clear()

    # the middleware's callbacks

    def challenge(self) -> Any:
        return self.verifier.challenge()

    def verify(self, credentials: Credentials, request: RequestInfo) -> object:
        scheme = credentials.scheme.lower()
        result: object = None
        if scheme == "digest":
            result = self.verifier(credentials, request)
        elif scheme == "basic":
            user, password = basic.decode(credentials)  # a ParseError counts as None
            result = user if USERS.get(user) == password else None
        elif scheme == "bearer":
            token = bearer.token(credentials)
            result = f"token:{token}" if token in TOKENS else None
        self.results.append(result)
        return result

    def check_nonce(self, nonce: str) -> bool:
        # verify is ours, not the DigestVerifier: say which nonces may have content read.
        return self.verifier.is_issued_nonce(nonce)

    def authorize(self, principal: Any, request: RequestInfo) -> bool:
        if request.method == "GET" or not str(principal).startswith("token:"):
            return True
        return "write" in TOKENS[str(principal)[len("token:") :]]

    def authentication_info(self, credentials: Credentials, request: RequestInfo) -> Any:
        return self.verifier.authentication_info(credentials, request)


def _challenges(state: State) -> list[Any]:
    return [
        state.challenge,
        basic.challenge(REALM),
        bearer.challenge(realm=REALM, scope="write"),
    ]


# --------------------------------------------------------------------------- WSGI


def _wsgi_app(state: State, *, proxy: bool) -> Any:
    def echo(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        text = f"{environ['REQUEST_METHOD']} {environ['wwwauth.principal']} {len(body)} {environ.get('REMOTE_USER')}"
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [text.encode()]

    protected = wsgi.AuthMiddleware(
        echo,
        challenges=_challenges(state),
        verify=state.verify,
        authorize=state.authorize,
        proxy=proxy,
        authentication_info=state.authentication_info,
        check_nonce=state.check_nonce,
    )

    def logged(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            state.statuses.append(int(status.split()[0]))
            return start_response(status, headers, exc_info)

        return protected(environ, start)

    return logged


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Running:
    url: str
    kind: str
    proxy: bool
    state: State


@pytest.fixture(scope="module", params=["wsgi", "asgi"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _serve_wsgi(state: State, proxy: bool) -> Iterator[str]:
    httpd: WSGIServer = make_server(
        "127.0.0.1", 0, _wsgi_app(state, proxy=proxy), handler_class=_QuietHandler
    )
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(TIMEOUT)


# --------------------------------------------------------------------------- ASGI


def _asgi_app(state: State, *, proxy: bool) -> asgi.ASGIApp:
    async def echo(scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        text = f"{scope['method']} {scope['wwwauth.principal']} {len(body)} None"
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/plain")],
            }
        )
        await send({"type": "http.response.body", "body": text.encode()})

    protected = asgi.AuthMiddleware(
        echo,
        challenges=_challenges(state),
        verify=state.verify,
        authorize=state.authorize,
        proxy=proxy,
        authentication_info=state.authentication_info,
        check_nonce=state.check_nonce,
    )

    async def logged(scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        async def logging_send(message: asgi.Message) -> None:
            if message["type"] == "http.response.start":
                state.statuses.append(int(message["status"]))
            await send(message)

        await protected(scope, receive, logging_send)

    return logged


def _serve_asgi(state: State, proxy: bool) -> Iterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    # Listening before uvicorn starts: a request waits in the backlog until it accepts,
    # so no polling for "started" is needed.
    sock.listen(64)
    config = uvicorn.Config(
        _asgi_app(state, proxy=proxy),
        lifespan="off",
        log_level="warning",
        access_log=False,
        http="h11",
        ws="none",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(TIMEOUT)
        sock.close()


_SERVE: dict[str, Callable[[State, bool], Iterator[str]]] = {
    "wsgi": _serve_wsgi,
    "asgi": _serve_asgi,
}


@pytest.fixture(scope="module")
def origin_server(kind: str) -> Iterator[Running]:
    state = State()
    for url in _SERVE[kind](state, False):
        yield Running(url, kind, False, state)


@pytest.fixture(scope="module")
def proxy_server() -> Iterator[Running]:
    # ASGI only: PEP 3333 forbids Proxy-Authenticate (hop-by-hop) and wsgiref refuses
    # it; test_wsgi_proxy_407_called_directly covers the WSGI middleware.
    state = State()
    for url in _serve_asgi(state, True):
        yield Running(url, "asgi", True, state)


@pytest.fixture
def server(origin_server: Running) -> Running:
    origin_server.state.reset()
    return origin_server


def _get(url: str, **headers: str) -> httpx.Response:
    return httpx.get(url, headers=headers, timeout=TIMEOUT, trust_env=False)


def _checked(response: httpx.Response) -> httpx.Response:
    assert_auth_response(response.status_code, response.headers.multi_items())
    return response


# --------------------------------------------------------------------------- tests


def test_no_credentials_401_one_line_per_challenge(server: Running) -> None:
    response = _checked(_get(server.url + "/orders"))
    assert response.status_code == 401
    lines = response.headers.get_list("www-authenticate")
    assert [parse_www_authenticate(line)[0].scheme for line in lines] == [
        "Digest",
        "Basic",
        "Bearer",
    ]
    bearer_challenge = parse_www_authenticate(lines[2])[0]
    assert "error" not in bearer_challenge.params  # RFC 6750 §3.1: no error without a token
    assert response.text.startswith("No credentials were sent")


def test_basic_granted_principal_reaches_the_app(server: Running) -> None:
    response = _get(server.url + "/", Authorization=str(basic.encode("Mufasa", "Circle of Life")))
    assert response.status_code == 200
    remote_user = "Mufasa" if server.kind == "wsgi" else "None"
    assert response.text == f"GET Mufasa 0 {remote_user}"
    assert "authentication-info" not in response.headers


def test_basic_wrong_password_401(server: Running) -> None:
    response = _checked(_get(server.url + "/", Authorization=str(basic.encode("Mufasa", "nope"))))
    assert response.status_code == 401


def test_verify_raising_parse_error_is_a_refusal(server: Running) -> None:
    response = _checked(_get(server.url + "/", Authorization="Basic Zm9v"))  # "foo": no colon
    assert response.status_code == 401


def test_malformed_bearer_400(server: Running) -> None:
    response = _checked(_get(server.url + "/", Authorization="Bearer a b"))
    assert response.status_code == 400
    bearer_line = response.headers.get_list("www-authenticate")[2]
    assert parse_www_authenticate(bearer_line)[0].params["error"] == "invalid_request"


def test_unknown_bearer_token_401_invalid_token(server: Running) -> None:
    response = _checked(_get(server.url + "/", Authorization="Bearer nope"))
    assert response.status_code == 401
    bearer_line = response.headers.get_list("www-authenticate")[2]
    assert parse_www_authenticate(bearer_line)[0].params["error"] == "invalid_token"


def test_authorize_false_403_insufficient_scope(server: Running) -> None:
    response = _checked(
        httpx.post(
            server.url + "/", headers={"Authorization": "Bearer reader-token"}, timeout=TIMEOUT
        )
    )
    assert response.status_code == 403
    (line,) = response.headers.get_list("www-authenticate")
    assert parse_www_authenticate(line)[0].params["error"] == "insufficient_scope"
    allowed = httpx.post(
        server.url + "/",
        headers={"Authorization": "Bearer writer-token"},
        content=b"abc",
        timeout=TIMEOUT,
    )
    assert (allowed.status_code, allowed.text.split()[:3]) == (
        200,
        ["POST", "token:writer-token", "3"],
    )


def test_digest_with_rspauth_and_nextnonce(server: Running) -> None:
    server.state.reset(nextnonce=True)
    session = requests.Session()
    session.trust_env = False
    session.auth = ours_requests.HTTPAuth("Mufasa", "Circle of Life", verify_rspauth=True)
    with session:
        first = session.get(server.url + "/a?x=1", timeout=TIMEOUT)
        second = session.get(server.url + "/b", timeout=TIMEOUT)
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.text.startswith("GET Mufasa 0")
    assert server.state.statuses == [401, 200, 200]  # the nextnonce was used at once
    info = digest.DigestAuthenticationInfo.from_params(second.headers["Authentication-Info"])
    assert info.rspauth is not None and info.nextnonce is not None


def test_digest_auth_int_keeps_the_body_for_the_app(server: Running) -> None:
    server.state.reset(qop=("auth-int",))
    auth = ours_httpx.HTTPAuth("Mufasa", "Circle of Life")
    with httpx.Client(auth=auth, trust_env=False, timeout=TIMEOUT) as client:
        response = client.post(server.url + "/upload", content=b"x" * 100_000)
    assert response.status_code == 200
    assert response.text.startswith("POST Mufasa 100000")
    assert server.state.statuses == [401, 200]


def test_digest_auth_int_async_client(server: Running) -> None:
    server.state.reset(qop=("auth-int",))

    async def send() -> httpx.Response:
        auth = ours_httpx.HTTPAuth("Mufasa", "Circle of Life")
        async with httpx.AsyncClient(auth=auth, trust_env=False, timeout=TIMEOUT) as client:
            return await client.put(server.url + "/upload", content=b"abc")

    response = asyncio.run(asyncio.wait_for(send(), TIMEOUT * 2))
    assert (response.status_code, response.text.split()[:3]) == (200, ["PUT", "Mufasa", "3"])


def test_digest_expired_nonce_is_stale_and_retried(server: Running) -> None:
    session = requests.Session()
    session.trust_env = False
    session.auth = ours_requests.HTTPAuth("Mufasa", "Circle of Life")
    with session:
        assert session.get(server.url + "/", timeout=TIMEOUT).status_code == 200
        server.state.clock.now += 301  # past the nonce lifetime
        assert session.get(server.url + "/", timeout=TIMEOUT).status_code == 200
    assert server.state.statuses == [401, 200, 401, 200]
    assert server.state.results.count(STALE) == 1


def test_digest_replayed_nonce_count_is_stale(server: Running) -> None:
    nonce_line = _get(server.url + "/").headers.get_list("www-authenticate")[0]
    credentials = digest.respond(
        parse_www_authenticate(nonce_line)[0],
        username="Mufasa",
        password="Circle of Life",
        method="GET",
        uri="/",
    )
    assert _get(server.url + "/", Authorization=str(credentials)).status_code == 200
    replayed = _checked(_get(server.url + "/", Authorization=str(credentials)))
    assert replayed.status_code == 401
    digest_line = parse_www_authenticate(replayed.headers.get_list("www-authenticate")[0])[0]
    assert digest_line.params["stale"] == "true"


def test_proxy_answers_407(proxy_server: Running) -> None:
    proxy_server.state.reset()
    target = "http://origin.invalid/resource?q=1"
    plain = httpx.Client(proxy=proxy_server.url, trust_env=False, timeout=TIMEOUT)
    with plain:
        refused = _checked(plain.get(target))
    assert refused.status_code == 407
    assert len(refused.headers.get_list("proxy-authenticate")) == 3
    assert "www-authenticate" not in refused.headers
    session = requests.Session()
    session.trust_env = False
    session.auth = ours_requests.HTTPAuth(  # a 407 is answered with proxy credentials only
        "Mufasa",
        "Circle of Life",
        verify_rspauth=True,
        proxy_username="Mufasa",
        proxy_password="Circle of Life",
    )
    with session:
        granted = session.get(target, proxies={"http": proxy_server.url}, timeout=TIMEOUT)
    assert granted.status_code == 200
    assert "proxy-authentication-info" in granted.headers
    assert proxy_server.state.statuses == [407, 407, 200]


def _exchange(url: str, target: str, **headers: str) -> tuple[int, dict[str, list[str]]]:
    """One request with ``target`` sent exactly as written in the request line."""
    address = httpx.URL(url)
    assert address.port is not None
    connection = http.client.HTTPConnection(address.host, address.port, timeout=TIMEOUT)
    try:
        connection.request("GET", target, headers=headers)
        response = connection.getresponse()
        response.read()
        fields: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            fields.setdefault(name.lower(), []).append(value)
        return response.status, fields
    finally:
        connection.close()


def _digest_line(fields: dict[str, list[str]], name: str) -> Challenge:
    return next(
        challenge
        for line in fields[name]
        for challenge in parse_www_authenticate(line)
        if challenge.scheme == "Digest"
    )


@pytest.mark.parametrize("target", ["/a%2Fb", "/a%2fb?q=%2F", "/a%20b;v=1"])
def test_digest_uri_with_percent_encodings_is_accepted(server: Running, target: str) -> None:
    # Issue 10: under wsgiref (no raw target) PATH_INFO "/a/b" never matched uri "/a%2Fb".
    status, fields = _exchange(server.url, target)
    assert status == 401
    credentials = digest.respond(
        _digest_line(fields, "www-authenticate"),
        username="Mufasa",
        password="Circle of Life",
        method="GET",
        uri=target,
    )
    assert _exchange(server.url, target, Authorization=str(credentials))[0] == 200
    # another path is still refused
    other = target.replace("b", "c", 1)
    assert _exchange(server.url, other, Authorization=str(credentials))[0] == 401


def test_proxy_path_form_uri_with_absolute_form_request_line(proxy_server: Running) -> None:
    # Issue 10: curl -x sends "GET http://host/x?y=1" with uri="/x?y=1"; uvicorn's h11
    # parser puts the absolute URL in raw_path, and the comparison failed (407 loop).
    proxy_server.state.reset()
    target = "http://origin.invalid/resource?q=1"
    status, fields = _exchange(proxy_server.url, target)
    assert status == 407
    challenge = _digest_line(fields, "proxy-authenticate")
    for uri, expected in [("/resource?q=2", 407), ("/other?q=1", 407), ("/resource?q=1", 200)]:
        credentials = digest.respond(
            challenge, username="Mufasa", password="Circle of Life", method="GET", uri=uri
        )
        assert (
            _exchange(proxy_server.url, target, **{"Proxy-Authorization": str(credentials)})[0]
            == expected
        ), uri


# --------------------------------------------------------------------------- without a server


def _drive(app: asgi.ASGIApp, scope: asgi.Scope) -> list[asgi.Message]:
    sent: list[asgi.Message] = []
    incoming: list[asgi.Message] = [{"type": "websocket.connect"}]

    async def receive() -> asgi.Message:
        return incoming.pop(0) if incoming else {"type": "websocket.disconnect"}

    async def send(message: asgi.Message) -> None:
        sent.append(message)

    async def main() -> None:
        await app(scope, receive, send)

    asyncio.run(main())
    return sent


def _websocket_scope(**extra: Any) -> asgi.Scope:
    return {
        "type": "websocket",
        "path": "/ws",
        "raw_path": b"/ws",
        "query_string": b"",
        "headers": [],
        **extra,
    }


async def _never(scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
    raise AssertionError("the application must not be reached")


def test_asgi_websocket_refused_with_close() -> None:
    app = asgi.AuthMiddleware(_never, challenges=[basic.challenge("ws")], verify=lambda c, r: None)
    assert _drive(app, _websocket_scope()) == [{"type": "websocket.close", "code": 1008}]


def test_asgi_websocket_refused_with_http_response_extension() -> None:
    app = asgi.AuthMiddleware(_never, challenges=[basic.challenge("ws")], verify=lambda c, r: None)
    sent = _drive(app, _websocket_scope(extensions={"websocket.http.response": {}}))
    assert sent[0]["type"] == "websocket.http.response.start" and sent[0]["status"] == 401
    assert (b"www-authenticate", b'Basic realm="ws"') in sent[0]["headers"]


def test_asgi_lifespan_passes_through() -> None:
    seen: list[str] = []

    async def app(scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        seen.append(scope["type"])

    middleware = asgi.AuthMiddleware(
        app, challenges=[basic.challenge("x")], verify=lambda c, r: None
    )
    _drive(middleware, {"type": "lifespan"})
    assert seen == ["lifespan"]


@pytest.mark.parametrize("module", [asgi, wsgi])
def test_challenges_must_not_be_empty(module: Any) -> None:
    with pytest.raises(ValueError, match="non-empty"):
        module.AuthMiddleware(_never, challenges=[], verify=lambda c, r: None)


def test_wsgi_proxy_407_called_directly() -> None:
    state = State()
    app = _wsgi_app(state, proxy=True)
    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started.append((status, headers))
        return lambda data: None

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "http://origin.invalid/x", "wsgi.input": None}
    body = b"".join(app(environ, start_response))
    ((status, headers),) = started
    assert status == "407 Proxy Authentication Required"
    assert [name for name, _ in headers].count("Proxy-Authenticate") == 3
    assert_auth_response(407, headers)
    assert body.startswith(b"No credentials were sent")


def test_wsgi_target_rebuilt_from_path_info() -> None:
    environ = {"SCRIPT_NAME": "/app", "PATH_INFO": "/a b/\u00e4", "QUERY_STRING": "x=1"}
    assert wsgi._target(environ) == "/app/a%20b/%E4?x=1"
    assert (
        wsgi._target({"REQUEST_URI": "/raw%2Fpath?q", "PATH_INFO": "/raw/path"}) == "/raw%2Fpath?q"
    )


def test_digest_verifier_refusals() -> None:
    clock = Clock()
    verifier = DigestVerifier(USERS, realm="r", clock=clock, userhash=True)
    challenge = verifier.challenge()
    request = RequestInfo(method="GET", target="/x", headers=(("host", "h"),))

    def answer(**kwargs: Any) -> Credentials:
        arguments: dict[str, Any] = {
            "username": "Mufasa",
            "password": "Circle of Life",
            "method": "GET",
            "uri": "/x",
            **kwargs,
        }
        return digest.respond(challenge, **arguments)

    assert verifier(answer(), request) == "Mufasa"  # a hashed user name (RFC 7616 §3.4.4)
    assert verifier(answer(password="wrong"), request) is None
    assert verifier(answer(uri="/y"), request) is None  # RFC 7616 §3.4.6
    assert (
        verifier(answer(uri="http://h/x", nc=2), request) == "Mufasa"
    )  # absolute-form via a proxy
    assert verifier(answer(nc=2), request) is STALE  # the count did not grow
    assert verifier(basic.encode("Mufasa", "Circle of Life"), request) is None
    forged = digest.respond(
        digest.challenge(realm="r", nonce=challenge.params["nonce"] + "A"),
        username="Mufasa",
        password="Circle of Life",
        method="GET",
        uri="/x",
    )
    assert verifier(forged, request) is None  # a nonce it did not issue
    clock.now += 1000
    assert verifier(answer(nc=3), request) is STALE  # expired (RFC 7616 §3.3)
    with pytest.raises(ValueError):
        DigestVerifier(USERS, realm="r", algorithm="SHA-1")


def test_digest_verifier_authentication_info_proves_the_password() -> None:
    verifier = DigestVerifier(USERS, realm="r", nextnonce=True)
    credentials = digest.respond(
        verifier.challenge(), username="Mufasa", password="Circle of Life", method="GET", uri="/"
    )
    info = verifier.authentication_info(credentials, RequestInfo(method="GET", target="/"))
    assert info is not None and "nextnonce" in info
    assert digest.verify_authentication_info(info, credentials, password="Circle of Life")
    assert (
        verifier.authentication_info(basic.encode("a", "b"), RequestInfo(method="GET", target="/"))
        is None
    )
