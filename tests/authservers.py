"""Real HTTP servers on 127.0.0.1 that demand Basic and Digest, and scenarios for clients.

Shared by ``tests/test_integration_clients.py`` (our requests and httpx integrations must
pass every scenario) and ``benchmarks/compare_clients.py`` (the same scenarios with
``requests.auth.HTTPDigestAuth`` and ``httpx.DigestAuth``, as a Markdown table).

:class:`AuthServer` is a ``ThreadingHTTPServer`` speaking HTTP/1.1 on an ephemeral port.
Each route lists its challenges, one field line each, with a fresh nonce per Digest
line. The server checks Digest the way a careful server does: a nonce it issued for
that route, ``uri`` equal to the request-target it received, a nonce count that grows,
the response (with the body for ``auth-int``) via :func:`wwwauth.digest.verify`; and
it answers with ``Authentication-Info`` carrying ``rspauth`` (and ``nextnonce`` where the
route says so). An absolute-form request-target makes it a forward proxy: 407,
``Proxy-Authenticate``, ``Proxy-Authorization``, checked against the proxy's own users
(:data:`PROXY_USERS`: the origin's password is never right there). Every request is
recorded.
"""

from __future__ import annotations

import asyncio
import secrets
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Literal, Protocol

import httpx
import requests
import requests.auth

from wwwauth import (
    ParseError,
    basic,
    digest,
    format_authentication_info,
    parse_authorization,
    parse_proxy_authorization,
)
from wwwauth.integrations import httpx as ours_httpx
from wwwauth.integrations import requests as ours_requests
from wwwauth.integrations._client import MutualAuthenticationError

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self from Python 3.11

USER = "Mufasa"
PASSWORD = "Circle of Life"
# A user name that is not ASCII: our clients send its UTF-8 octets in username (as curl
# sends it and Apache expects it); RFC 7616 §3.9.2 sends username* (RFC 8187). The
# server takes both.
UTF8_USER = "J\u00e4s\u00f8n Doe"
UTF8_PASSWORD = "Secret, or not?"
USERS = {USER: PASSWORD, UTF8_USER: UTF8_PASSWORD}
PROXY_USER = "proxy-user"
PROXY_PASSWORD = "the proxy's secret"
PROXY_USERS = {PROXY_USER: PROXY_PASSWORD}
REALM = "wwwauth-test@127.0.0.1"
TIMEOUT = 5.0  # seconds, for every client call: a broken test fails, it never hangs


@dataclass(frozen=True)
class DigestLine:
    """A Digest challenge field line."""

    algorithm: str | None = "SHA-256"
    qop: tuple[str, ...] = ("auth",)
    userhash: bool = False
    realm: str = REALM  # sent as ISO-8859-1 octets, as http.server sends every field


@dataclass(frozen=True)
class RawLine:
    """A challenge field line sent verbatim (a scheme the client cannot answer)."""

    text: str


@dataclass(frozen=True)
class BasicLine:
    """A Basic challenge field line."""

    realm: str = REALM


@dataclass(frozen=True)
class OneLine:
    """Several challenges in one field line, comma-separated (RFC 9110 §11.6.1)."""

    parts: tuple[DigestLine | RawLine | BasicLine, ...]


ChallengeLine = DigestLine | RawLine | BasicLine | OneLine


@dataclass(frozen=True)
class Route:
    """How one path is protected, and what a granted request gets."""

    lines: tuple[ChallengeLine, ...]
    stale_first: bool = False  # the first nonce issued is stale on its first right answer
    nextnonce: bool = False  # a granted request retires its nonce and gets a nextnonce
    rspauth: Literal["good", "bad", "none"] = "good"  # none: no Authentication-Info
    redirect: str | None = None  # a granted request is redirected here (302)
    nonce_prefix: str = ""  # put before each nonce issued (24 characters follow)


@dataclass
class _Nonce:
    path: str
    nc: int = 0
    stale_on_use: bool = False
    retired: bool = False


@dataclass(frozen=True)
class Recorded:
    """One request the server received."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    status: int

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


PROXY_ROUTE = "proxy"  # the route of absolute-form requests (the server as a proxy)

ROUTES: dict[str, Route] = {
    "/sha-256": Route((DigestLine("SHA-256"),)),
    "/sha-256-sess": Route((DigestLine("SHA-256-sess"),)),
    "/md5": Route((DigestLine("MD5"),)),
    "/md5-sess": Route((DigestLine("MD5-sess"),)),
    "/sha-512-256": Route((DigestLine("SHA-512-256"),)),
    "/sha-512-256-sess": Route((DigestLine("SHA-512-256-sess"),)),
    "/rfc2069": Route((DigestLine(None, qop=()),)),
    "/userhash": Route((DigestLine("SHA-256", userhash=True),)),
    "/auth-int": Route((DigestLine("SHA-256", qop=("auth-int",)),)),
    # RFC 9110 §11.6.1's example, with Digest between: three field lines, three realms
    "/multi": Route(
        (RawLine('Newauth realm="apps", type=1'), DigestLine("SHA-256"), BasicLine("simple"))
    ),
    "/one-line": Route((OneLine((BasicLine("simple"), DigestLine("SHA-256"))),)),
    "/two-digests": Route((DigestLine("SHA-256"), DigestLine("MD5"))),
    "/sha1-then-basic": Route(
        (RawLine(f'Digest realm="{REALM}", nonce="abc", algorithm=SHA-1, qop="auth"'), BasicLine())
    ),
    "/basic": Route((BasicLine(),)),
    "/stale": Route((DigestLine("SHA-256"),), stale_first=True),
    "/nextnonce": Route((DigestLine("SHA-256"),), nextnonce=True),
    "/rspauth-forged": Route((DigestLine("SHA-256"),), rspauth="bad"),
    "/no-info": Route((DigestLine("SHA-256", qop=("auth", "auth-int")),), rspauth="none"),
    "/redirect-away": Route((DigestLine("SHA-256"),)),  # redirect filled in per server pair
    "/capture": Route((DigestLine("SHA-256"), BasicLine())),
    PROXY_ROUTE: Route((DigestLine("SHA-256"),)),
}
UNPROTECTED_REDIRECTS = {"/hop": "/sha-256"}


class _Server(ThreadingHTTPServer):
    owner: AuthServer

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if error is not None and not isinstance(error, ConnectionError):
            self.owner.errors.append(error)  # a client hanging up is not the server's bug


class AuthServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 with the routes of :data:`ROUTES`.

    Use as a context manager; :attr:`url` is its origin, :attr:`log` what it received.
    """

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes = dict(ROUTES if routes is None else routes)
        self.log: list[Recorded] = []
        self.lock = threading.Lock()
        self.nonces: dict[str, _Nonce] = {}
        self._stale_issued: set[str] = set()
        self.errors: list[BaseException] = []  # exceptions in handlers, resets aside
        self.httpd = _Server(("127.0.0.1", 0), _handler_for(self))
        self.httpd.owner = self
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(TIMEOUT)

    def requests_to(self, target: str) -> list[Recorded]:
        with self.lock:
            return [r for r in self.log if r.target == target]

    # ---------------------------------------------------------------- Digest state

    def issue_nonce(self, path: str) -> str:
        nonce = self.routes[path].nonce_prefix + secrets.token_urlsafe(18)
        with self.lock:
            stale = self.routes[path].stale_first and path not in self._stale_issued
            if stale:
                self._stale_issued.add(path)
            self.nonces[nonce] = _Nonce(path, stale_on_use=stale)
        return nonce

    def challenge_lines(self, path: str, *, stale: bool = False) -> list[str]:
        return [self._render(path, line, stale) for line in self.routes[path].lines]

    def _render(self, path: str, line: ChallengeLine, stale: bool) -> str:
        if isinstance(line, OneLine):
            return ", ".join(self._render(path, part, stale) for part in line.parts)
        if isinstance(line, BasicLine):
            return str(basic.challenge(line.realm, charset="UTF-8"))
        if isinstance(line, RawLine):
            return line.text
        return str(
            digest.challenge(
                realm=line.realm,
                nonce=self.issue_nonce(path),
                qop=line.qop,
                algorithm=line.algorithm,
                opaque="5ccc069c403ebaf9f0171e9517f40e41",
                stale=stale,
                userhash=line.userhash,
            )
        )


def _digest_lines(route: Route) -> list[DigestLine]:
    lines: list[DigestLine] = []
    for line in route.lines:
        parts = line.parts if isinstance(line, OneLine) else (line,)
        lines += [part for part in parts if isinstance(part, DigestLine)]
    return lines


def _offers_basic(route: Route) -> bool:
    return any(
        isinstance(part, BasicLine)
        for line in route.lines
        for part in (line.parts if isinstance(line, OneLine) else (line,))
    )


Verdict = Literal["ok", "stale", "no"]


def _plain_name(view: digest.DigestCredentials, users: dict[str, str]) -> str | None:
    """The user of ``username*``, or of ``username``: plain, or its UTF-8 octets (§3.4, §4)."""
    if view.name in users:
        return view.name
    if view.username_ext is None:
        try:
            decoded = view.name.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return None
        if decoded in users:
            return decoded
    return None


def _check_digest(
    server: AuthServer,
    path: str,
    target: str,
    method: str,
    value: str,
    body: bytes,
    users: dict[str, str],
) -> tuple[Verdict, digest.DigestCredentials | None, str | None]:
    """Check Digest credentials as a careful server does; (verdict, view, user name)."""
    try:
        view = digest.DigestCredentials.from_credentials(value)
    except ParseError:
        return "no", None, None
    offered = [
        line
        for line in _digest_lines(server.routes[path])
        if (line.algorithm or "MD5").lower() == view.effective_algorithm.lower()
    ]
    if not any(line.realm == view.realm for line in offered):
        return "no", view, None
    if view.uri != target:  # RFC 7616 §3.4.6
        return "no", view, None
    if view.userhash:
        name = next(
            (
                u
                for u in users
                if digest.hash_username(u, view.realm, algorithm=view.effective_algorithm)
                == view.name
            ),
            None,
        )
    else:
        name = _plain_name(view, users)
    if name is None:
        return "no", view, None
    # the name as sent: a name that is not ASCII may be its UTF-8 octets (RFC 7616 §4)
    sent_name = name if view.userhash else view.name
    try:
        right = digest.verify(
            view, method=method, password=users[name], username=sent_name, body=body
        )
    except ValueError:
        return "no", view, None
    with server.lock:
        nonce = server.nonces.get(view.nonce)
        if not right or nonce is None or nonce.path != path:
            return "no", view, None
        if nonce.retired or nonce.stale_on_use:
            nonce.stale_on_use = False
            nonce.retired = True
            return "stale", view, name
        if view.nonce_count is not None:
            if view.nonce_count <= nonce.nc:
                return "stale", view, name  # a replayed nonce count
            nonce.nc = view.nonce_count
    return "ok", view, name


def _handler_for(server: AuthServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # no 40 ms delayed-ACK stall between head and body

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet

        def _send(self, status: int, headers: Sequence[tuple[str, str]], body: bytes) -> None:
            with server.lock:  # logged before answering, so the client never runs ahead
                server.log.append(
                    Recorded(self.command, self.path, tuple(self.headers.items()), status)
                )
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            target = self.path
            if target in UNPROTECTED_REDIRECTS:
                self._send(302, [("Location", UNPROTECTED_REDIRECTS[target])], b"")
                return
            proxy = not target.startswith("/")
            path = PROXY_ROUTE if proxy else target.partition("?")[0]
            route = server.routes.get(path)
            if route is None:
                self._send(404, [], b"not found")
                return
            credentials_field = "Proxy-Authorization" if proxy else "Authorization"
            challenge_field = "Proxy-Authenticate" if proxy else "WWW-Authenticate"
            info_field = "Proxy-Authentication-Info" if proxy else "Authentication-Info"
            refused = 407 if proxy else 401
            users = PROXY_USERS if proxy else USERS
            value = self.headers.get(credentials_field)
            verdict: Verdict = "no"
            view = None
            name = None
            if value is not None:
                try:
                    scheme = (parse_proxy_authorization if proxy else parse_authorization)(
                        value
                    ).scheme
                except ParseError:
                    scheme = ""
                if scheme.lower() == "basic" and _offers_basic(route):
                    try:
                        user, password = basic.decode(value.strip())
                    except ParseError:
                        user, password = "", ""
                    verdict = "ok" if users.get(user) == password else "no"
                elif scheme.lower() == "digest":
                    verdict, view, name = _check_digest(
                        server, path, target, self.command, value, body, users
                    )
            if verdict != "ok":
                lines = server.challenge_lines(path, stale=verdict == "stale")
                self._send(refused, [(challenge_field, line) for line in lines], b"refused")
                return
            response_body = b"granted"
            headers: list[tuple[str, str]] = [("Content-Type", "text/plain")]
            status = 200
            if route.redirect is not None:
                status, response_body = 302, b""
                headers.append(("Location", route.redirect))
            if view is not None and name is not None and route.rspauth != "none":
                nextnonce = None
                if route.nextnonce:
                    with server.lock:
                        server.nonces[view.nonce].retired = True
                    nextnonce = server.issue_nonce(path)
                info = dict(
                    digest.authentication_info(
                        view,
                        password=users[name],
                        username=name if view.userhash else view.name,  # the name as sent
                        body=response_body,
                        nextnonce=nextnonce,
                    )
                )
                if route.rspauth == "bad" and "rspauth" in info:
                    good = info["rspauth"]
                    info["rspauth"] = ("0" if good[0] != "0" else "1") + good[1:]
                headers.append((info_field, format_authentication_info(info)))
            self._send(status, headers, response_body)

        do_GET = do_POST = do_PUT = do_HEAD = _handle

    return Handler


@contextmanager
def server_pair() -> Iterator[tuple[AuthServer, AuthServer]]:
    """Two servers on two ports: A redirects /redirect-away to B's /capture."""
    with AuthServer() as other:
        routes = dict(ROUTES)
        routes["/redirect-away"] = Route((DigestLine("SHA-256"),), redirect=f"{other.url}/capture")
        with AuthServer(routes) as main:
            yield main, other


# --------------------------------------------------------------------------- clients


@dataclass(frozen=True)
class Result:
    status: int
    text: str


class Client(Protocol):
    """A client under test: one session, used for every request of a scenario."""

    def request(
        self, method: str, url: str, *, body: bytes | None = None, proxy: str | None = None
    ) -> Result: ...

    def close(self) -> None: ...


class RequestsClient:
    """requests with an auth object; ``proxy`` sends through a forward proxy."""

    def __init__(self, auth: requests.auth.AuthBase) -> None:
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.auth = auth

    def request(
        self, method: str, url: str, *, body: bytes | None = None, proxy: str | None = None
    ) -> Result:
        response = self.session.request(
            method,
            url,
            data=body,
            timeout=TIMEOUT,
            proxies={"http": proxy} if proxy else None,
        )
        return Result(response.status_code, response.text)

    def close(self) -> None:
        self.session.close()


class HttpxClient:
    """httpx.Client with an auth object (one client per proxy setting)."""

    def __init__(self, auth: httpx.Auth) -> None:
        self.auth = auth
        self.clients: dict[str | None, httpx.Client] = {}

    def request(
        self, method: str, url: str, *, body: bytes | None = None, proxy: str | None = None
    ) -> Result:
        client = self.clients.get(proxy)
        if client is None:
            client = httpx.Client(
                auth=self.auth, trust_env=False, follow_redirects=True, timeout=TIMEOUT, proxy=proxy
            )
            self.clients[proxy] = client
        response = client.request(method, url, content=body)
        return Result(response.status_code, response.text)

    def close(self) -> None:
        for client in self.clients.values():
            client.close()


class AsyncHttpxClient:
    """httpx.AsyncClient with an auth object, driven on its own event loop."""

    def __init__(self, auth: httpx.Auth) -> None:
        self.auth = auth
        self.loop = asyncio.new_event_loop()
        self.clients: dict[str | None, httpx.AsyncClient] = {}

    def request(
        self, method: str, url: str, *, body: bytes | None = None, proxy: str | None = None
    ) -> Result:
        client = self.clients.get(proxy)
        if client is None:
            client = httpx.AsyncClient(
                auth=self.auth, trust_env=False, follow_redirects=True, timeout=TIMEOUT, proxy=proxy
            )
            self.clients[proxy] = client

        async def send() -> Result:
            response = await client.request(method, url, content=body)
            return Result(response.status_code, response.text)

        return self.loop.run_until_complete(asyncio.wait_for(send(), TIMEOUT * 2))

    def close(self) -> None:
        for client in self.clients.values():
            self.loop.run_until_complete(client.aclose())
        self.loop.close()


ClientFactory = Callable[[str, str], Client]


def _ours_requests(user: str, password: str) -> ours_requests.HTTPAuth:
    # The servers are plain http on 127.0.0.1, so Basic is opted into (the default refusal
    # is tested in tests/test_client_policy.py); the proxy has its own user.
    return ours_requests.HTTPAuth(
        user,
        password,
        verify_rspauth=True,
        allow_basic_over_http=True,
        proxy_username=PROXY_USER,
        proxy_password=PROXY_PASSWORD,
    )


def _ours_httpx(user: str, password: str) -> ours_httpx.HTTPAuth:
    return ours_httpx.HTTPAuth(
        user,
        password,
        verify_rspauth=True,
        allow_basic_over_http=True,
        proxy_username=PROXY_USER,
        proxy_password=PROXY_PASSWORD,
    )


OURS: dict[str, ClientFactory] = {
    "ours (requests)": lambda u, p: RequestsClient(_ours_requests(u, p)),
    "ours (httpx)": lambda u, p: HttpxClient(_ours_httpx(u, p)),
    "ours (httpx async)": lambda u, p: AsyncHttpxClient(_ours_httpx(u, p)),
}
PEERS: dict[str, ClientFactory] = {
    "requests.HTTPDigestAuth": lambda u, p: RequestsClient(requests.auth.HTTPDigestAuth(u, p)),
    "httpx.DigestAuth": lambda u, p: HttpxClient(httpx.DigestAuth(u, p)),
}


# --------------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Scenario:
    """One thing a client must get right; ``run`` raises AssertionError when it does not."""

    key: str
    title: str
    run: Callable[[ClientFactory, AuthServer, AuthServer], None]


def _get_ok(
    path: str, *, user: str = USER, password: str = PASSWORD
) -> Callable[[ClientFactory, AuthServer, AuthServer], None]:
    def run(make: ClientFactory, main: AuthServer, other: AuthServer) -> None:
        client = make(user, password)
        try:
            result = client.request("GET", main.url + path)
        finally:
            client.close()
        assert result.status == 200, f"status {result.status}"
        assert result.text == "granted"

    return run


def _auth_int(make: ClientFactory, main: AuthServer, other: AuthServer) -> None:
    client = make(USER, PASSWORD)
    try:
        result = client.request("POST", main.url + "/auth-int", body=b'{"order": 66, "qty": 3}')
    finally:
        client.close()
    assert result.status == 200, f"status {result.status}"


def _multi_prefers_digest(make: ClientFactory, main: AuthServer, other: AuthServer) -> None:
    _get_ok("/multi")(make, main, other)
    answer = main.requests_to("/multi")[-1].header("Authorization")
    assert answer is not None and answer.startswith("Digest "), "Basic was chosen over Digest"


def _stale(make: ClientFactory, main: AuthServer, other: AuthServer) -> None:
    _get_ok("/stale")(make, main, other)
    statuses = [r.status for r in main.requests_to("/stale")]
    # the challenge, the answer with the stale nonce, the answer with the fresh one
    assert statuses == [401, 401, 200], statuses


def _wrong_password(make: ClientFactory, main: AuthServer, other: AuthServer) -> None:
    client = make(USER, "not the password")
    try:
        result = client.request("GET", main.url + "/sha-256")
    finally:
        client.close()
    assert result.status == 401, f"status {result.status}"
    assert len(main.requests_to("/sha-256")) == 2, "expected one answer, then giving up"


def _second_request(path: str) -> Callable[[ClientFactory, AuthServer, AuthServer], None]:
    def run(make: ClientFactory, main: AuthServer, other: AuthServer) -> None:
        client = make(USER, PASSWORD)
        try:
            first = client.request("GET", main.url + path)
            second = client.request("GET", main.url + path)
        finally:
            client.close()
        assert (first.status, second.status) == (200, 200), (first.status, second.status)
        statuses = [r.status for r in main.requests_to(path)]
        # the second request carried credentials (nc=2, or the nextnonce) at once
        assert statuses == [401, 200, 200], statuses

    return run


def _rspauth_forged(make: ClientFactory, main: AuthServer, other: AuthServer) -> None:
    client = make(USER, PASSWORD)
    try:
        client.request("GET", main.url + "/rspauth-forged")
    except MutualAuthenticationError:
        return
    finally:
        client.close()
    raise AssertionError("a wrong rspauth was accepted")


def _proxy(make: ClientFactory, main: AuthServer, other: AuthServer) -> None:
    client = make(USER, PASSWORD)
    try:
        result = client.request("GET", "http://origin.invalid/resource?x=1", proxy=main.url)
    finally:
        client.close()
    assert result.status == 200, f"status {result.status}"
    statuses = [r.status for r in main.log]
    assert statuses == [407, 200], statuses


def _redirect_away(make: ClientFactory, main: AuthServer, other: AuthServer) -> None:
    client = make(USER, PASSWORD)
    try:
        result = client.request("GET", main.url + "/redirect-away")
    finally:
        client.close()
    captured = other.requests_to("/capture")
    assert captured, "the redirect was not followed"
    leaked = [r for r in captured if r.header("Authorization") is not None]
    assert not leaked, f"credentials sent to another origin: {len(leaked)} request(s)"
    assert result.status == 401, f"status {result.status}"


def _redirect_same_origin(make: ClientFactory, main: AuthServer, other: AuthServer) -> None:
    _get_ok("/hop")(make, main, other)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("sha-256", "Digest SHA-256", _get_ok("/sha-256")),
    Scenario("sha-256-sess", "Digest SHA-256-sess", _get_ok("/sha-256-sess")),
    Scenario("md5", "Digest MD5", _get_ok("/md5")),
    Scenario("md5-sess", "Digest MD5-sess", _get_ok("/md5-sess")),
    Scenario("sha-512-256", "Digest SHA-512-256", _get_ok("/sha-512-256")),
    Scenario("sha-512-256-sess", "Digest SHA-512-256-sess", _get_ok("/sha-512-256-sess")),
    Scenario("rfc2069", "Digest without qop (RFC 2069)", _get_ok("/rfc2069")),
    Scenario("userhash", "Digest userhash=true", _get_ok("/userhash")),
    Scenario(
        "utf8-user",
        "Digest, user name not ASCII (UTF-8 octets or username*)",
        _get_ok("/sha-256", user=UTF8_USER, password=UTF8_PASSWORD),
    ),
    Scenario("auth-int", "Digest qop=auth-int, POST body", _auth_int),
    Scenario(
        "multi",
        "Newauth, Digest and Basic on three field lines",
        _multi_prefers_digest,
    ),
    Scenario("one-line", "Basic and Digest in one field line", _get_ok("/one-line")),
    Scenario("two-digests", "Digest SHA-256 and Digest MD5 on two lines", _get_ok("/two-digests")),
    Scenario("sha1-then-basic", "Digest SHA-1 (unknown) then Basic", _get_ok("/sha1-then-basic")),
    Scenario("stale", "stale=true: one retry with the new nonce", _stale),
    Scenario("wrong-password", "wrong password: one answer, then the 401", _wrong_password),
    Scenario("nc", "second request: nc=00000002 without a new 401", _second_request("/sha-256")),
    Scenario(
        "nextnonce",
        "second request uses Authentication-Info nextnonce",
        _second_request("/nextnonce"),
    ),
    Scenario("rspauth", "forged rspauth detected", _rspauth_forged),
    Scenario("proxy", "proxy answers 407 (Proxy-Authorization)", _proxy),
    Scenario("redirect-same", "redirect to a protected path, same origin", _redirect_same_origin),
    Scenario(
        "redirect-away",
        "redirect to another origin that asks: no credentials sent",
        _redirect_away,
    ),
)


def run_scenario(scenario: Scenario, make: ClientFactory) -> str | None:
    """Run ``scenario`` with fresh servers; None when it works, else why it failed."""
    with server_pair() as (main, other):
        try:
            scenario.run(make, main, other)
        except AssertionError as exc:
            return str(exc) or "assertion failed"
        except Exception as exc:  # noqa: BLE001 - a peer may raise anything: a failure too
            return f"{type(exc).__name__}: {exc}"
        errors = main.errors + other.errors
    if errors:
        return f"the server failed: {errors[0]!r}"
    return None
