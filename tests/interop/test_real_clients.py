"""Real clients against OUR middleware under real servers (issue 10).

:mod:`tests.interop.ourapp` (Basic, Digest MD5 / SHA-256 / SHA-512-256 through a
``DigestVerifier``, and a proxy mode answering 407) runs behind the ASGI middleware
under uvicorn (``h11`` and ``httptools``) and behind the WSGI middleware under
waitress, gunicorn (sync worker) and wsgiref, each in its own process on a free
127.0.0.1 port, started once for the module. curl, wget, urllib, requests, httpx,
aiohttp and headless Chromium are driven against every server.

Our middleware must grant every correct request and refuse every wrong one. Where a
client is wrong, the case is a known failure of theirs (:data:`KNOWN`, with the
reason): the test then asserts that we refused it (401 or 407, never a 200). Cases a
client cannot express at all are left out (:data:`LEFT_OUT`, with the reason). Each
(scenario, client) cell is recorded for the README's matrix with
:func:`tests.interop.conftest.record`: it passes when it passes under every server.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import aiohttp
import pytest

from . import clients
from .clients import Attempt, ClientRefused, Driver, Seen
from .conftest import need, record
from .ourapp import PASSWORD

TABLE = "real clients vs our middleware"
ROOT = Path(__file__).resolve().parents[2]
ASGI_SERVERS = ("uvicorn-h11", "uvicorn-httptools")
WSGI_SERVERS = ("waitress", "gunicorn", "wsgiref")
SERVERS = (*ASGI_SERVERS, *WSGI_SERVERS)
START_TIMEOUT = 30.0  # the first request waits in the backlog while the server starts


# --------------------------------------------------------------------------- servers


@dataclass(frozen=True, slots=True)
class Server:
    """One real server in its own process, serving :mod:`tests.interop.ourapp`."""

    name: str
    port: int
    process: subprocess.Popen[bytes]

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def events(self, timeout: float = clients.TIMEOUT) -> list[tuple[int, bool]]:
        """The statuses answered since the last call, and whether each was stale=true."""
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(self.origin + "/_events", timeout=timeout) as response:
            return [(int(status), bool(stale)) for status, stale in json.load(response)]


def _start(name: str) -> Server:
    # The socket listens before the server starts: its port is known, and an early
    # request waits in the backlog (no polling, no sleep).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    fd = sock.fileno()
    if name == "gunicorn":
        command = [sys.executable, "-m", "gunicorn", f"--bind=fd://{fd}", "--workers=1"]
        command += [
            "--worker-class=sync",
            "--log-level=warning",
            "tests.interop.ourapp:build_wsgi()",
        ]
    else:
        command = [sys.executable, "-m", "tests.interop.serve", name, str(fd)]
    path = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    environment = {**os.environ, "PYTHONPATH": path}
    try:
        process = subprocess.Popen(command, pass_fds=[fd], cwd=ROOT, env=environment)
    finally:
        port = sock.getsockname()[1]
        sock.close()  # the child holds its own copy
    return Server(name, port, process)


def _stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=clients.TIMEOUT)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=clients.TIMEOUT)


@pytest.fixture(scope="module")
def servers() -> Iterator[Mapping[str, Server]]:
    started: dict[str, Server] = {}
    try:
        for name in SERVERS:
            started[name] = _start(name)
        for server in started.values():
            server.events(timeout=START_TIMEOUT)  # answered once the server runs
        yield started
    finally:
        for server in started.values():
            _stop(server)


# --------------------------------------------------------------------------- scenarios


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """A row of the matrix.

    Attributes:
        name: the row's label.
        scheme: ``"basic"`` or ``"digest"``.
        route: the path prefix (``/md5``), or the proxy host (``proxy-digest.test``).
        paths: the paths requested in one session (after the prefix).
        user, password: the credentials the client is given.
        granted: whether our middleware must grant it.
        stale: whether the second request must present a nonce made stale meanwhile.
    """

    name: str
    scheme: str
    route: str
    paths: tuple[str, ...] = ("/resource",)
    user: str = "alice"
    password: str = PASSWORD
    granted: bool = True
    stale: bool = False

    @property
    def proxy(self) -> bool:
        return self.route.endswith(".test")

    def attempt(self, server: Server) -> Attempt:
        if self.proxy:
            targets = tuple(f"http://{self.route}{path}" for path in self.paths)
        else:
            targets = tuple(f"{server.origin}{self.route}{path}" for path in self.paths)
        return Attempt(
            origin=server.origin,
            scheme=self.scheme,
            targets=targets,
            proxy=server.origin if self.proxy else None,
            user=self.user,
            password=self.password,
        )


NON_ASCII = "Jos\u00e9"
SCENARIOS = (
    Scenario(name="Basic, right password", scheme="basic", route="/basic"),
    Scenario(name="Basic, wrong password", scheme="basic", route="/basic", password="wrong", granted=False),
    Scenario(name="Basic, unknown user", scheme="basic", route="/basic", user="mallory", granted=False),
    Scenario(name="Basic, non-ASCII user name", scheme="basic", route="/basic", user=NON_ASCII),
    Scenario(name="Digest MD5, right password", scheme="digest", route="/md5"),
    Scenario(name="Digest MD5, wrong password", scheme="digest", route="/md5", password="wrong", granted=False),
    Scenario(name="Digest MD5, non-ASCII user name", scheme="digest", route="/md5", user=NON_ASCII),
    Scenario(name="Digest SHA-256, right password", scheme="digest", route="/sha256"),
    Scenario(name="Digest SHA-256, wrong password", scheme="digest", route="/sha256", password="wrong", granted=False),
    Scenario(name="Digest SHA-256, non-ASCII user name", scheme="digest", route="/sha256", user=NON_ASCII),
    Scenario(name="Digest SHA-512-256, right password", scheme="digest", route="/sha512-256"),
    Scenario(name="Digest, path with %20", scheme="digest", route="/md5", paths=("/a%20b",)),
    Scenario(name="Digest, path with %2F", scheme="digest", route="/md5", paths=("/a%2Fb",)),
    Scenario(name="Digest, path with ;v=1", scheme="digest", route="/md5", paths=("/x;v=1",)),
    Scenario(name="Digest, query string", scheme="digest", route="/md5", paths=("/q?x=1&y=%2F&z",)),
    Scenario(
        name="Digest, stale nonce (re-challenged, retried)",
        scheme="digest",
        route="/md5",
        paths=("/s/advance-clock", "/s/after"),
        stale=True,
    ),
    Scenario(name="Proxy Basic (407), right password", scheme="basic", route="proxy-basic.test", paths=("/x?y=1",)),
    Scenario(
        name="Proxy Basic (407), wrong password",
        scheme="basic",
        route="proxy-basic.test",
        paths=("/x?y=1",),
        password="wrong",
        granted=False,
    ),
    Scenario(name="Proxy Digest (407), right password", scheme="digest", route="proxy-digest.test", paths=("/x?y=1",)),
    Scenario(
        name="Proxy Digest (407), wrong password",
        scheme="digest",
        route="proxy-digest.test",
        paths=("/x?y=1",),
        password="wrong",
        granted=False,
    ),
)  # fmt: skip
_BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}
assert len(_BY_NAME) == len(SCENARIOS)

# (client, scenario) -> whose bug: the client is wrong, we must refuse (never a 200).
KNOWN: Mapping[tuple[str, str], str] = {
    # curl 7.88 says algorithm=SHA-512-256 but hashes with SHA-256 (checked: its
    # response verifies once the algorithm is read as SHA-256): a right password is refused.
    ("curl", "Digest SHA-512-256, right password"): "curl 7.88 hashes SHA-512-256 with SHA-256",
    # wget's Digest knows MD5 only: it gives up on a SHA-256 challenge (exit status 6).
    ("wget", "Digest SHA-256, right password"): "wget does Digest MD5 only",
    # urllib's HTTPDigestAuthHandler knows MD5 and SHA (SHA-1) only: ValueError, nothing sent.
    ("urllib", "Digest SHA-256, right password"): "urllib does Digest MD5 and SHA-1 only",
    # urllib's HTTPDigestAuthHandler hashes A1 encoded as ASCII: UnicodeEncodeError, nothing sent.
    ("urllib", "Digest MD5, non-ASCII user name"): "urllib cannot hash a non-ASCII Digest name",
    # requests encodes the Basic user-pass as ISO-8859-1, whatever charset="UTF-8" says
    # (RFC 7617 §2.1); its Digest puts the name in the header as str (ISO-8859-1 on the
    # wire: 0xE9) but hashes its UTF-8 octets, so the response fits no reading of it.
    ("requests", "Basic, non-ASCII user name"): "requests encodes Basic as ISO-8859-1",
    ("requests", "Digest MD5, non-ASCII user name"): "requests sends ISO-8859-1, hashes UTF-8",
    ("requests", "Digest SHA-256, non-ASCII user name"): "requests sends ISO-8859-1, hashes UTF-8",
    # requests' HTTPDigestAuth builds uri from urlparse(url).path, which drops ";v=1"
    # (the path's params): the uri names another resource than the request (RFC 7616 §3.4.6).
    ("requests", "Digest, path with ;v=1"): "requests drops ;v=1 from uri",
    # httpx's DigestAuth encodes the header as ASCII: UnicodeEncodeError, nothing sent.
    ("httpx", "Digest MD5, non-ASCII user name"): "httpx cannot send a non-ASCII Digest name",
    ("httpx", "Digest SHA-256, non-ASCII user name"): "httpx cannot send a non-ASCII Digest name",
    # aiohttp's BasicAuth encodes as latin1 unless told otherwise (charset ignored).
    ("aiohttp", "Basic, non-ASCII user name"): "aiohttp BasicAuth encodes latin1 by default",
    # wget answers a proxy's challenge with Basic only.
    ("wget", "Proxy Digest (407), right password"): "wget does proxy Basic only",
}

_NO_SHA512_256 = "does not implement SHA-512-256"
_NO_OLD_NONCE = "never sends an old nonce (each request waits for a challenge)"
_NO_PROXY_DIGEST = "no Digest for proxies"
# (client, scenario) -> why the case cannot be run: not recorded.
LEFT_OUT: Mapping[tuple[str, str], str] = {
    **{
        (client, "Digest SHA-512-256, right password"): _NO_SHA512_256
        for client in ("wget", "urllib", "requests", "httpx", "aiohttp")
    },
    # Chromium's SHA-512-256, like every Chromium case, works from URL credentials; it
    # implements only MD5 and SHA-256.
    ("chromium", "Digest SHA-512-256, right password"): _NO_SHA512_256,
    **{
        (client, "Digest, stale nonce (re-challenged, retried)"): _NO_OLD_NONCE
        for client in ("curl", "wget", "urllib", "chromium")
    },
    **{
        (client, name): _NO_PROXY_DIGEST
        for client in ("requests", "httpx", "aiohttp")
        for name in ("Proxy Digest (407), right password", "Proxy Digest (407), wrong password")
    },
    # A proxy's 407 in headless Chromium would need a login prompt: no way to answer it.
    **{
        ("chromium", name): "headless Chromium cannot answer a 407"
        for name in _BY_NAME
        if _BY_NAME[name].proxy
    },
    ("wget", "Proxy Digest (407), wrong password"): "wget does proxy Basic only",
    # A client that cannot answer SHA-256 at all has no wrong answer to refuse.
    **{
        (client, name): "does not implement Digest SHA-256"
        for client in ("wget", "urllib")
        for name in ("Digest SHA-256, wrong password", "Digest SHA-256, non-ASCII user name")
    },
}
assert not set(KNOWN) & set(LEFT_OUT)

# PEP 3333 makes Proxy-Authenticate hop-by-hop: waitress and wsgiref refuse it
# (AssertionError) and gunicorn drops it, so proxy mode runs under the ASGI servers.
PROXY_SERVERS = ASGI_SERVERS


def _driver(client: str) -> Driver:
    executable = clients.DRIVERS[client]
    if executable:
        path = need(executable)
        return partial(
            {"curl": clients.curl, "wget": clients.wget, "chromium": clients.chromium}[client],
            executable=path,
        )
    return {
        "urllib": clients.urllib_client,
        "requests": clients.requests_client,
        "httpx": clients.httpx_client,
        "aiohttp": clients.aiohttp_client,
    }[client]


@dataclass(frozen=True, slots=True)
class Run:
    """One scenario under one server: what the client saw, what the server answered."""

    server: str
    seen: Seen | None  # None: the client refused to send (ClientRefused)
    events: list[tuple[int, bool]]


def _run(drive: Driver, scenario: Scenario, server: Server) -> Run:
    server.events()  # forget what came before
    try:
        seen: Seen | None = drive(scenario.attempt(server))
    except ClientRefused:
        seen = None
    return Run(server.name, seen, server.events())


def _problems(scenario: Scenario, run: Run, *, expect_grant: bool) -> list[str]:
    """What is wrong with ``run``; empty when it went as it must."""
    refusal = 407 if scenario.proxy else 401
    problems = []
    statuses = [status for status, _ in run.events]
    if not expect_grant or not scenario.granted:
        # Whatever the client does, a wrong or mis-computed request is never granted.
        if 200 in statuses:
            problems.append(f"{run.server}: granted ({statuses})")
        # (urllib reports a failed proxy Digest as 401 "digest auth failed": the
        # server's last answer is the one that counts.)
        if run.seen is not None and run.seen.status not in (401, 407):
            problems.append(f"{run.server}: the client ended with {run.seen.status}")
        if statuses and statuses[-1] != refusal:
            problems.append(f"{run.server}: the server last answered {statuses[-1]}")
        return problems
    if run.seen is None:
        return [f"{run.server}: the client refused to send"]
    if run.seen.status != 200 or statuses[-1:] != [200]:
        said = run.seen.body[-400:]
        return [f"{run.server}: {run.seen.status} (server answered {statuses}): {said!r}"]
    if f"granted {scenario.user} GET " not in run.seen.body:
        problems.append(f"{run.server}: another principal or page: {run.seen.body[:80]!r}")
    if scenario.stale and (401, True) not in run.events:
        problems.append(f"{run.server}: no stale=true challenge ({run.events})")
    return problems


CLIENTS = tuple(clients.DRIVERS)
_AIOHTTP_HAS_DIGEST = hasattr(aiohttp, "DigestAuthMiddleware")


# aiohttp 3.14 deprecates BasicAuth, auth= and proxy_auth= for 4.0: still its stock way.
@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:The '(proxy_)?auth' parameter is deprecated:DeprecationWarning")
@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("scenario_name", [scenario.name for scenario in SCENARIOS])
def test_real_client_against_our_middleware(
    client: str, scenario_name: str, servers: Mapping[str, Server]
) -> None:
    scenario = _BY_NAME[scenario_name]
    if (client, scenario.name) in LEFT_OUT:
        pytest.skip(f"left out: {client} {LEFT_OUT[client, scenario.name]}")
    if client == "aiohttp" and scenario.scheme == "digest" and not _AIOHTTP_HAS_DIGEST:
        pytest.skip("left out: aiohttp before 3.12 has no DigestAuthMiddleware")
    drive = _driver(client)
    known = KNOWN.get((client, scenario.name))
    names = PROXY_SERVERS if scenario.proxy else SERVERS
    # One run per server, the servers side by side (each has its own record of statuses).
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        runs = list(pool.map(lambda name: _run(drive, scenario, servers[name]), names))
    problems = [
        problem for run in runs for problem in _problems(scenario, run, expect_grant=known is None)
    ]
    if problems:
        outcome = "fail"
    elif known is not None:
        outcome = f"known: {known}"
    else:
        outcome = "pass"
    record(TABLE, scenario.name, client, outcome)
    assert not problems, problems
