"""Real HTTP clients, each driven the way its users drive it, for the interoperability tests.

Every driver takes an :class:`Attempt` and returns what the client ended with (the
final status and body), or raises :class:`ClientRefused` when the client itself gave
up before sending credentials (it could not encode them). Every request has a timeout;
no driver reads proxy settings from the environment.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

import aiohttp
import httpx
import requests
import requests.auth
import yarl

TIMEOUT = 10.0
# The environment of the command-line clients: no proxy settings, no user config.
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def _clean_environment(home: str) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name.lower() not in _PROXY_VARIABLES and not name.startswith("CURL")
    }
    return {**environment, "HOME": home, "LC_ALL": "C.UTF-8"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Attempt:
    """One scenario against one server.

    Attributes:
        origin: ``http://127.0.0.1:PORT`` of the server (or the proxy).
        scheme: ``"basic"`` or ``"digest"``.
        targets: the URLs requested in order, in one client session (two for the
            stale nonce scenario); through ``proxy`` when set.
        proxy: the proxy's URL (the server in proxy mode), or None.
        user, password: the credentials.
    """

    origin: str
    scheme: str
    targets: tuple[str, ...]
    proxy: str | None
    user: str
    password: str


@dataclass(frozen=True, slots=True)
class Seen:
    """What the client ended with: the final status and body of its last request."""

    status: int
    body: str


class ClientRefused(Exception):
    """The client gave up before sending the credentials (it cannot encode them)."""


Driver = Callable[[Attempt], Seen]


# --------------------------------------------------------------------------- curl


def curl(attempt: Attempt, executable: str) -> Seen:
    """curl 7.88+: ``--basic``/``--digest -u``, ``--proxy-basic``/``--proxy-digest -U -x``."""
    credentials = f"{attempt.user}:{attempt.password}"
    if attempt.proxy is None:
        auth = ["--basic" if attempt.scheme == "basic" else "--digest", "-u", credentials]
    else:
        auth = [
            "--proxy-basic" if attempt.scheme == "basic" else "--proxy-digest",
            "-U",
            credentials,
            "-x",
            attempt.proxy,
        ]
    seen = Seen(0, "")
    with tempfile.TemporaryDirectory() as home:
        for target in attempt.targets:
            # --path-as-is and --globoff: the path goes out exactly as written.
            command = [executable, "-q", "-s", "-S", "--path-as-is", "--globoff", "--noproxy"]
            command += ["" if attempt.proxy else "*", "-m", str(TIMEOUT), *auth]
            command += ["-o", "-", "-w", "\n%{http_code}", target]
            done = subprocess.run(
                command,
                check=False,  # the status comes from the output, not the exit code
                capture_output=True,
                timeout=TIMEOUT * 2,
                env=_clean_environment(home),
            )
            body, _, code = done.stdout.decode("utf-8", "replace").rpartition("\n")
            seen = Seen(int(code or 0), body)
    return seen


# --------------------------------------------------------------------------- wget


_STATUS_LINE = re.compile(r"^\s*HTTP/\d(?:\.\d)? (\d{3})", re.MULTILINE)


def wget(attempt: Attempt, executable: str) -> Seen:
    """GNU Wget: ``--user/--password``, or ``--proxy-user/--proxy-password`` with a proxy."""
    if attempt.proxy is None:
        auth = [f"--user={attempt.user}", f"--password={attempt.password}", "--no-proxy"]
    else:
        auth = [
            f"--proxy-user={attempt.user}",
            f"--proxy-password={attempt.password}",
            "-e",
            "use_proxy=yes",
            "-e",
            f"http_proxy={attempt.proxy}",
        ]
    seen = Seen(0, "")
    with tempfile.TemporaryDirectory() as home:
        for target in attempt.targets:
            # --no-http-keep-alive: after a 401 from an HTTP/1.0 server that closes the
            # connection (wsgiref), wget 1.21 sometimes sends its answer on that closing
            # connection, before the FIN arrives, and stops with "No data received"
            # (about 1 run in 50; never with this option, in 300 runs).
            command = [executable, "--no-config", "-nv", "-S", "--no-http-keep-alive"]
            command += ["-O", "-", "--tries=1"]
            command += [f"--timeout={TIMEOUT:.0f}", *auth, target]
            done = subprocess.run(
                command,
                check=False,  # the status comes from the output, not the exit code
                capture_output=True,
                timeout=TIMEOUT * 2,
                env=_clean_environment(home),
            )
            log = done.stderr.decode("utf-8", "replace")
            statuses = _STATUS_LINE.findall(log)
            status = int(statuses[-1]) if statuses else 0
            # the body when granted; else wget's log says why it stopped
            seen = Seen(status, done.stdout.decode("utf-8", "replace") if status == 200 else log)
    return seen


# --------------------------------------------------------------------------- urllib


def urllib_client(attempt: Attempt) -> Seen:
    """urllib.request with its stock handlers (HTTP/Proxy Basic and Digest auth handlers)."""
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    handlers: list[urllib.request.BaseHandler]
    if attempt.proxy is None:
        passwords.add_password(None, attempt.origin, attempt.user, attempt.password)
        handlers = [
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPBasicAuthHandler(passwords)
            if attempt.scheme == "basic"
            else urllib.request.HTTPDigestAuthHandler(passwords),
        ]
    else:
        passwords.add_password(None, attempt.proxy, attempt.user, attempt.password)
        # ProxyDigestAuthHandler looks the password up by the request's URL, not the
        # proxy's (urllib.request.AbstractDigestAuthHandler.get_authorization): give both.
        for target in attempt.targets:
            passwords.add_password(None, target, attempt.user, attempt.password)
        handlers = [
            urllib.request.ProxyHandler({"http": attempt.proxy}),
            urllib.request.ProxyBasicAuthHandler(passwords)
            if attempt.scheme == "basic"
            else urllib.request.ProxyDigestAuthHandler(passwords),
        ]
    opener = urllib.request.build_opener(*handlers)
    seen = Seen(0, "")
    for target in attempt.targets:
        try:
            with opener.open(target, timeout=TIMEOUT) as response:
                seen = Seen(response.status, response.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as error:
            with error:
                seen = Seen(error.code, error.read().decode("utf-8", "replace"))
        except (UnicodeEncodeError, ValueError) as exc:
            # ValueError: "Unsupported digest authentication algorithm" (all but MD5, SHA)
            raise ClientRefused(f"urllib: {type(exc).__name__}") from None
    return seen


# --------------------------------------------------------------------------- requests


def requests_client(attempt: Attempt) -> Seen:
    """requests with the stock ``HTTPBasicAuth``/``HTTPDigestAuth`` (a proxy: Basic in its URL)."""
    seen = Seen(0, "")
    with requests.Session() as session:
        session.trust_env = False
        proxies: dict[str, str] = {}
        if attempt.proxy is None:
            session.auth = (
                requests.auth.HTTPBasicAuth(attempt.user, attempt.password)
                if attempt.scheme == "basic"
                else requests.auth.HTTPDigestAuth(attempt.user, attempt.password)
            )
        else:
            proxies["http"] = _with_userinfo(attempt.proxy, attempt.user, attempt.password)
        for target in attempt.targets:
            response = session.get(target, proxies=proxies, timeout=TIMEOUT)
            seen = Seen(response.status_code, response.text)
    return seen


def _with_userinfo(url: str, user: str, password: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{quote(user, safe='')}:{quote(password, safe='')}@{rest}"


# --------------------------------------------------------------------------- httpx


def httpx_client(attempt: Attempt) -> Seen:
    """httpx with the stock ``BasicAuth``/``DigestAuth`` (a proxy: Basic in its URL)."""
    auth: httpx.Auth | None = None
    proxy = None
    if attempt.proxy is None:
        auth = (
            httpx.BasicAuth(attempt.user, attempt.password)
            if attempt.scheme == "basic"
            else httpx.DigestAuth(attempt.user, attempt.password)
        )
    else:
        proxy = _with_userinfo(attempt.proxy, attempt.user, attempt.password)
    seen = Seen(0, "")
    with httpx.Client(auth=auth, proxy=proxy, trust_env=False, timeout=TIMEOUT) as client:
        for target in attempt.targets:
            try:
                response = client.get(target)
            except UnicodeEncodeError as exc:
                raise ClientRefused(f"httpx: {type(exc).__name__}") from None
            seen = Seen(response.status_code, response.text)
    return seen


# --------------------------------------------------------------------------- aiohttp


def aiohttp_client(attempt: Attempt) -> Seen:
    """aiohttp: ``BasicAuth``, ``DigestAuthMiddleware``, ``proxy_auth=BasicAuth``."""

    async def run() -> Seen:
        auth: aiohttp.BasicAuth | None = None
        middlewares: tuple[aiohttp.DigestAuthMiddleware, ...] = ()
        proxy_auth = None
        if attempt.proxy is not None:
            proxy_auth = aiohttp.BasicAuth(attempt.user, attempt.password)
        elif attempt.scheme == "basic":
            auth = aiohttp.BasicAuth(attempt.user, attempt.password)
        else:
            middlewares = (aiohttp.DigestAuthMiddleware(attempt.user, attempt.password),)
        timeout = aiohttp.ClientTimeout(total=TIMEOUT)
        seen = Seen(0, "")
        async with aiohttp.ClientSession(
            auth=auth, middlewares=middlewares, timeout=timeout, trust_env=False
        ) as session:
            for target in attempt.targets:
                url = yarl.URL(target, encoded=True)  # the path exactly as written
                async with session.get(url, proxy=attempt.proxy, proxy_auth=proxy_auth) as reply:
                    seen = Seen(reply.status, await reply.text())
        return seen

    # aiohttp 3.14 deprecates BasicAuth, auth= and proxy_auth= (for 4.0), still its stock way:
    # the test ignores those warnings (catch_warnings here would race the other threads).
    return asyncio.run(asyncio.wait_for(run(), TIMEOUT * 2))


# --------------------------------------------------------------------------- Chromium

_CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",
)


def chromium(attempt: Attempt, executable: str) -> Seen:
    """Headless Chromium with the credentials in the URL (it answers Basic and Digest).

    Chromium shows the page it ended on: the status is 200 when it is the granted
    page, else 401 (the refusal's body); the tests check the server's record too.
    """
    (target,) = attempt.targets
    scheme, _, rest = target.partition("://")
    userinfo = f"{quote(attempt.user, safe='')}:{quote(attempt.password, safe='')}"
    with tempfile.TemporaryDirectory() as profile:
        command = [executable, *_CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
        command += ["--dump-dom", f"{scheme}://{userinfo}@{rest}"]
        done = subprocess.run(
            command,
            check=False,  # what it shows is the answer, not its exit code
            capture_output=True,
            timeout=TIMEOUT * 6,
            env=_clean_environment(profile),
        )
    dom = done.stdout.decode("utf-8", "replace")
    return Seen(200 if "granted " in dom else 401, dom)


DRIVERS: Mapping[str, str] = {
    "curl": "curl",
    "wget": "wget",
    "urllib": "",
    "requests": "",
    "httpx": "",
    "aiohttp": "",
    "chromium": "chromium",
}
"""Each client, and the executable it needs (empty: a Python library)."""
