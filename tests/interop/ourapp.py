"""The application the real clients are driven against, behind OUR ASGI and WSGI middleware.

One small application per interface, the same routes in both, so that every real
server serves the same thing:

* ``/basic/...``: Basic (``charset="UTF-8"``, RFC 7617 §2.1);
* ``/md5/...``, ``/sha256/...``, ``/sha512-256/...``: Digest through a
  :class:`~wwwauth.integrations.server.DigestVerifier` of that algorithm (qop=auth);
* a request for the host ``proxy-digest.test`` or ``proxy-basic.test`` (what a client
  sends through a forward proxy): the same, in proxy mode (407, ``Proxy-Authenticate``);
* ``/_events``, unprotected: the statuses answered since the last look, as JSON
  ``[[status, stale], ...]`` (``stale`` when a challenge said ``stale=true``).

A granted request answers ``200 granted <principal> <method> <target>``. A granted
request whose path ends in ``/advance-clock`` moves the verifiers' clock past the nonce
lifetime, so that the nonce the client holds is stale at its next request: the stale
nonce scenario runs without sleeping.

Run under a server in another process by ``tests/interop/serve.py``.
"""

from __future__ import annotations

import hmac
import json
import threading
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from wwwauth import Challenge, Credentials, basic, parse_www_authenticate
from wwwauth.integrations import asgi, wsgi
from wwwauth.integrations.server import DigestVerifier, RequestInfo

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

REALM = "interop@127.0.0.1"
PASSWORD = "Open-Sesame1"
USERS: Mapping[str, str] = {"alice": PASSWORD, "Jos\u00e9": PASSWORD}
NONCE_LIFETIME = 300.0
# path prefix -> Digest algorithm
DIGEST_ROUTES: Mapping[str, str] = {"md5": "MD5", "sha256": "SHA-256", "sha512-256": "SHA-512-256"}
PROXY_HOSTS = ("proxy-digest.test", "proxy-basic.test")


class Clock:
    """Seconds since the epoch, plus whatever the granted ``/advance-clock`` requests added."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self) -> None:
        self.offset += NONCE_LIFETIME + 1


class Events:
    """The statuses answered (and whether the challenge said stale=true), thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: list[tuple[int, bool]] = []

    def add(self, status: int, headers: Iterable[tuple[str, str]]) -> None:
        stale = False
        for name, value in headers:
            if name.lower() in ("www-authenticate", "proxy-authenticate"):
                stale = stale or any(
                    challenge.params.get("stale", "").lower() == "true"
                    for challenge in parse_www_authenticate(value)
                )
        with self._lock:
            self._seen.append((status, stale))

    def take(self) -> bytes:
        with self._lock:
            seen, self._seen = self._seen, []
        return json.dumps(seen).encode()


def verify_basic(credentials: Credentials, request: RequestInfo) -> str | None:
    """Basic against :data:`USERS` (the user-pass as UTF-8, as the challenge says)."""
    if credentials.scheme.lower() != "basic":
        return None
    user, password = basic.decode(credentials)  # a ParseError counts as a refusal
    expected = USERS.get(user)
    if expected is None or not hmac.compare_digest(password.encode(), expected.encode()):
        return None
    return user


class Protections:
    """The challenges and verifiers of each route, sharing one clock."""

    def __init__(self) -> None:
        self.clock = Clock()
        self.verifiers = {
            prefix: DigestVerifier(
                USERS,
                realm=REALM,
                algorithm=algorithm,
                clock=self.clock,
                nonce_lifetime=NONCE_LIFETIME,
            )
            for prefix, algorithm in DIGEST_ROUTES.items()
        }
        self.basic_challenge: Challenge = basic.challenge(REALM, charset="UTF-8")

    def route(self, host: str, path: str) -> str:
        """The route of a request: a proxy host, a path prefix, or ``_events``."""
        name = host.rsplit(":", 1)[0].lower() if not host.startswith("[") else host
        if name in PROXY_HOSTS:
            return name
        if "://" in path:  # an absolute-form target whose host is not ours to serve
            return "unknown"
        first = path.lstrip("/").split("/", 1)[0]
        return first if first in (*DIGEST_ROUTES, "basic", "_events") else "unknown"

    def options(self, route: str) -> dict[str, Any]:
        """The middleware arguments of ``route``."""
        if route in ("basic", "proxy-basic.test"):
            return {"challenges": [self.basic_challenge], "verify": verify_basic}
        verifier = self.verifiers["md5" if route == "proxy-digest.test" else route]
        return {
            "challenges": [verifier.challenge],
            "verify": verifier,
            "authentication_info": verifier.authentication_info,
        }


# --------------------------------------------------------------------------- WSGI


def build_wsgi() -> WSGIApplication:
    """The WSGI application: each route behind its own ``wsgi.AuthMiddleware``."""
    protections = Protections()
    events = Events()

    def granted(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        target = environ.get("REQUEST_URI") or environ.get("RAW_URI") or environ["PATH_INFO"]
        if str(environ.get("PATH_INFO", "")).endswith("/advance-clock"):
            protections.clock.advance()
        text = f"granted {environ['wwwauth.principal']} {environ['REQUEST_METHOD']} {target}\n"
        start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
        return [text.encode("utf-8")]

    routes: dict[str, WSGIApplication] = {
        route: wsgi.AuthMiddleware(
            granted, proxy=route in PROXY_HOSTS, **protections.options(route)
        )
        for route in (*DIGEST_ROUTES, "basic", *PROXY_HOSTS)
    }

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        route = protections.route(str(environ.get("HTTP_HOST", "")), str(environ["PATH_INFO"]))
        if route == "_events":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [events.take()]
        if route == "unknown":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"no such route\n"]

        def recording(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            events.add(int(status.split()[0]), headers)
            return start_response(status, headers, exc_info)

        return routes[route](environ, recording)

    return application


# --------------------------------------------------------------------------- ASGI


def build_asgi() -> asgi.ASGIApp:
    """The ASGI application: each route behind its own ``asgi.AuthMiddleware``."""
    protections = Protections()
    events = Events()

    async def respond(send: asgi.Send, status: int, body: bytes, kind: bytes) -> None:
        headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def granted(scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        target = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
        if scope["query_string"]:
            target += "?" + scope["query_string"].decode("latin-1")
        if scope["path"].endswith("/advance-clock"):
            protections.clock.advance()
        text = f"granted {scope['wwwauth.principal']} {scope['method']} {target}\n"
        await respond(send, 200, text.encode("utf-8"), b"text/plain; charset=utf-8")

    routes: dict[str, asgi.ASGIApp] = {
        route: asgi.AuthMiddleware(
            granted, proxy=route in PROXY_HOSTS, **protections.options(route)
        )
        for route in (*DIGEST_ROUTES, "basic", *PROXY_HOSTS)
    }

    async def application(scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        if scope["type"] != "http":
            return  # lifespan: nothing to set up
        host = next(
            (value.decode("latin-1") for name, value in scope["headers"] if name == b"host"), ""
        )
        route = protections.route(host, scope["path"])
        if route == "_events":
            await respond(send, 200, events.take(), b"application/json")
            return
        if route == "unknown":
            await respond(send, 404, b"no such route\n", b"text/plain")
            return

        async def recording(message: asgi.Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name.decode("latin-1"), value.decode("latin-1"))
                    for name, value in message.get("headers", ())
                ]
                events.add(int(message["status"]), headers)
            await send(message)

        await routes[route](scope, receive, recording)

    return application
