"""Our requests and httpx auths against real servers: Apache, lighttpd, nginx, httpbin.

Every scenario runs our three clients (requests, httpx, httpx async), which must pass,
and the stock ones (``requests.auth``, ``httpx.DigestAuth``/``BasicAuth``, urllib's
handlers), whose results are only recorded for the README's matrix ("known: ..." where
they fail for a documented reason of theirs). Each server starts once per module (see
``servers.py``); every request has a timeout.

Where a server departs from the RFCs, a comment says so at its scenario.
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

import httpx
import pytest
import requests
import requests.auth

from wwwauth import parse_authorization
from wwwauth.integrations import httpx as ours_httpx
from wwwauth.integrations import requests as ours_requests

from ..authservers import TIMEOUT, AsyncHttpxClient, Client, HttpxClient, RequestsClient, Result
from .conftest import need, record
from .servers import (
    PASSWORD,
    PROXY_PASSWORD,
    PROXY_USER,
    USER,
    UTF8_PASSWORD,
    UTF8_USER,
    Running,
    apache_server,
    httpbin_server,
    lighttpd_server,
    nginx_server,
)

TABLE = "our clients vs real servers"
OURS = ("wwwauth requests", "wwwauth httpx", "wwwauth httpx async")
STOCK = ("requests", "httpx", "urllib")
COLUMNS = OURS + STOCK

# --------------------------------------------------------------------------- servers


@pytest.fixture(scope="module")
def apache() -> Iterator[Running]:
    with apache_server(need("apache2"), need("htpasswd")) as running:
        yield running


@pytest.fixture(scope="module")
def lighttpd() -> Iterator[Running]:
    with lighttpd_server(need("lighttpd")) as running:
        yield running


@pytest.fixture(scope="module")
def nginx() -> Iterator[Running]:
    with nginx_server(need("nginx"), need("htpasswd")) as running:
        yield running


@pytest.fixture(scope="module")
def httpbin() -> Iterator[Running]:
    pytest.importorskip("httpbin")
    with httpbin_server() as running:
        yield running


# --------------------------------------------------------------------------- scenarios

Scheme = Literal["digest", "basic"]


@dataclass(frozen=True)
class Scenario:
    """GET ``path`` ``times`` times with one client; passes when every answer is 200.

    ``proxy`` sends the request for ``path`` on the server itself through Apache's
    Basic or Digest forward proxy, with the proxy's user. ``rspauth``: our clients run
    with ``verify_rspauth=True``. ``known``: column -> why that stock client fails
    (its documented limit, or its bug).
    """

    name: str
    server: str
    path: str
    scheme: Scheme
    user: str = USER
    password: str = PASSWORD
    times: int = 1
    proxy: Literal["", "basic", "digest"] = ""
    rspauth: bool = False
    known: Mapping[str, str] = field(default_factory=dict)


# The stock clients' documented limits.
NO_SHA_256_URLLIB = "MD5 and SHA-1 only"
NO_SHA_512_256 = "no SHA-512-256"
NO_USERHASH = "no userhash"
NO_AUTH_INT = "no qop=auth-int"
NO_PROXY_DIGEST = "Basic only for proxies"
# requests' prepare_cookies and httpx's set_cookie_header leave the Cookie header of the
# previous attempt alone: the cookies the 401 set do not reach the retry (their bug).
OLD_COOKIE = "retry re-sends the old Cookie header"
# requests puts the str name in the field, which http.client sends as ISO-8859-1 octets,
# but hashes it as UTF-8: the server hashes the octets it got (RFC 7616 §4: UTF-8).
LATIN_1_NAME = "name sent as ISO-8859-1, hashed as UTF-8"
# httpx.DigestAuth sets the field as str; the request's headers encode as ASCII.
HTTPX_ASCII = "UnicodeEncodeError: headers encoded as ASCII"
URLLIB_ASCII = "hashes as ASCII (UnicodeEncodeError)"
# urllib's ProxyDigestAuthHandler looks the password up by the request's URL (the
# origin's), not by the proxy's, where ProxyBasicAuthHandler looks it up (its bug).
URLLIB_PROXY_LOOKUP = "proxy password looked up by the origin URL"
# urllib reads the first WWW-Authenticate field line only (SHA-256 here).
URLLIB_FIRST_LINE = "reads the first field line only (SHA-256)"

SCENARIOS = (
    Scenario("Apache: Basic", "apache", "/basic/ok.txt", "basic"),
    Scenario("Apache: Digest MD5", "apache", "/digest/ok.txt", "digest"),
    Scenario(
        "Apache: Digest, 3 requests (nc rises)", "apache", "/digest/ok.txt", "digest", times=3
    ),
    Scenario(
        "Apache: Digest rspauth (Authentication-Info)",
        "apache",
        "/digest/ok.txt",
        "digest",
        rspauth=True,
    ),
    # AuthDigestNonceLifetime 0: a nonce is good once; the client's next request with it
    # (nc=2, no nextnonce was sent) is answered stale=true.
    Scenario("Apache: stale nonce (one-time nonces)", "apache", "/stale/ok.txt", "digest", times=3),
    # mod_auth_digest reads only username="...", never username* (RFC 7616 §3.4): the
    # name's UTF-8 octets are what it (and curl, wget, browsers) take.
    Scenario(
        "Apache: Digest, user name not ASCII",
        "apache",
        "/digest/ok.txt",
        "digest",
        user=UTF8_USER,
        password=UTF8_PASSWORD,
        known={"requests": LATIN_1_NAME, "httpx": HTTPX_ASCII, "urllib": URLLIB_ASCII},
    ),
    Scenario(
        "Apache: forward proxy, Basic (407)", "apache", "/public/ok.txt", "basic", proxy="basic"
    ),
    Scenario(
        "Apache: forward proxy, Digest (407)",
        "apache",
        "/public/ok.txt",
        "digest",
        proxy="digest",
        known={
            "requests": NO_PROXY_DIGEST,
            "httpx": NO_PROXY_DIGEST,
            "urllib": URLLIB_PROXY_LOOKUP,
        },
    ),
    # lighttpd sends charset="UTF-8" quoted; RFC 7616 §3.3's ABNF has the bare token,
    # but an auth-param value may be quoted either way (RFC 9110 §11.2).
    Scenario("lighttpd: Digest MD5", "lighttpd", "/md5/ok.txt", "digest"),
    Scenario(
        "lighttpd: Digest SHA-256",
        "lighttpd",
        "/sha-256/ok.txt",
        "digest",
        known={"urllib": NO_SHA_256_URLLIB},
    ),
    Scenario(
        "lighttpd: Digest SHA-512-256",
        "lighttpd",
        "/sha-512-256/ok.txt",
        "digest",
        known={"requests": NO_SHA_512_256, "httpx": NO_SHA_512_256, "urllib": NO_SHA_512_256},
    ),
    # requests and httpx ignore userhash=true and send the plain name without userhash;
    # lighttpd takes that (RFC 7616 §3.4.4 leaves hashing to the client).
    Scenario(
        "lighttpd: Digest userhash=true",
        "lighttpd",
        "/userhash/ok.txt",
        "digest",
        known={"requests": NO_USERHASH, "httpx": NO_USERHASH, "urllib": NO_SHA_256_URLLIB},
    ),
    Scenario(
        "lighttpd: Digest SHA-256 and MD5 on two lines",
        "lighttpd",
        "/two/ok.txt",
        "digest",
        known={"urllib": URLLIB_FIRST_LINE},
    ),
    Scenario(
        "lighttpd: Digest SHA-256, user name not ASCII",
        "lighttpd",
        "/sha-256/ok.txt",
        "digest",
        user=UTF8_USER,
        password=UTF8_PASSWORD,
        known={"requests": LATIN_1_NAME, "httpx": HTTPX_ASCII, "urllib": NO_SHA_256_URLLIB},
    ),
    Scenario("nginx: Basic", "nginx", "/basic/ok.txt", "basic"),
    # httpbin takes any user name: only the password is checked. Its nonce state (the
    # stale countdown, the last nonce) lives in cookies set on the 401.
    Scenario(
        "httpbin: Digest MD5",
        "httpbin",
        "/digest-auth/auth/user/passwd/MD5",
        "digest",
        user="user",
        password="passwd",
    ),
    Scenario(
        "httpbin: Digest SHA-256",
        "httpbin",
        "/digest-auth/auth/user/passwd/SHA-256",
        "digest",
        user="user",
        password="passwd",
        known={"urllib": NO_SHA_256_URLLIB},
    ),
    Scenario(
        "httpbin: Digest qop=auth-int",
        "httpbin",
        "/digest-auth/auth-int/user/passwd/MD5",
        "digest",
        user="user",
        password="passwd",
        known={"requests": NO_AUTH_INT, "httpx": NO_AUTH_INT, "urllib": NO_AUTH_INT},
    ),
    Scenario(
        "httpbin: stale_after (nonce state in cookies)",
        "httpbin",
        "/digest-auth/auth/user/passwd/MD5/1",
        "digest",
        user="user",
        password="passwd",
        times=3,
        known={"requests": OLD_COOKIE, "httpx": OLD_COOKIE},
    ),
)

# --------------------------------------------------------------------------- clients


class UrllibClient:
    """urllib.request with auth handlers; its proxy is fixed when it is built."""

    def __init__(self, *handlers: urllib.request.BaseHandler, proxy: str | None) -> None:
        proxies = urllib.request.ProxyHandler({"http": proxy} if proxy else {})
        self.opener = urllib.request.build_opener(proxies, *handlers)

    def request(
        self, method: str, url: str, *, body: bytes | None = None, proxy: str | None = None
    ) -> Result:
        try:
            with self.opener.open(
                urllib.request.Request(url, data=body, method=method), timeout=TIMEOUT
            ) as response:
                return Result(response.status, response.read().decode("latin-1"))
        except urllib.error.HTTPError as error:
            return Result(error.code, "")

    def close(self) -> None:
        pass


def _proxy_url(running: Running, scenario: Scenario) -> str | None:
    if not scenario.proxy:
        return None
    return running.proxy_basic if scenario.proxy == "basic" else running.proxy_digest


def _ours(column: str, scenario: Scenario) -> Client:
    proxy_user = {"proxy_username": PROXY_USER, "proxy_password": PROXY_PASSWORD}
    if column == "wwwauth requests":
        return RequestsClient(
            ours_requests.HTTPAuth(
                scenario.user,
                scenario.password,
                verify_rspauth=scenario.rspauth,
                # plain http on loopback: Basic is opted into (refused by default)
                allow_basic_over_http=True,
                **(proxy_user if scenario.proxy else {}),
            )
        )
    auth = ours_httpx.HTTPAuth(
        scenario.user,
        scenario.password,
        verify_rspauth=scenario.rspauth,
        allow_basic_over_http=True,
        **(proxy_user if scenario.proxy else {}),
    )
    return HttpxClient(auth) if column == "wwwauth httpx" else AsyncHttpxClient(auth)


def _stock(column: str, scenario: Scenario, running: Running) -> Client:
    proxy = _proxy_url(running, scenario)
    user, password = scenario.user, scenario.password
    if scenario.proxy:
        user, password = PROXY_USER, PROXY_PASSWORD
    if column == "requests":
        if scenario.proxy:
            return RequestsClient(requests.auth.HTTPProxyAuth(user, password))
        if scenario.scheme == "basic":
            return RequestsClient(requests.auth.HTTPBasicAuth(user, password))
        return RequestsClient(requests.auth.HTTPDigestAuth(user, password))
    if column == "httpx":
        if scenario.proxy:
            return _HttpxProxyClient(user, password)
        if scenario.scheme == "basic":
            return HttpxClient(httpx.BasicAuth(user, password))
        return HttpxClient(httpx.DigestAuth(user, password))
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, proxy or running.url, user, password)
    handler: urllib.request.BaseHandler
    if scenario.proxy == "basic":
        handler = urllib.request.ProxyBasicAuthHandler(manager)
    elif scenario.proxy == "digest":
        handler = urllib.request.ProxyDigestAuthHandler(manager)
    elif scenario.scheme == "basic":
        handler = urllib.request.HTTPBasicAuthHandler(manager)
    else:
        handler = urllib.request.HTTPDigestAuthHandler(manager)
    return UrllibClient(handler, proxy=proxy)


class _HttpxProxyClient:
    """httpx's only proxy credentials: the proxy URL's userinfo (sent as Basic)."""

    def __init__(self, user: str, password: str) -> None:
        self.userinfo = f"{user}:{password}@"
        self.client: httpx.Client | None = None

    def request(
        self, method: str, url: str, *, body: bytes | None = None, proxy: str | None = None
    ) -> Result:
        assert proxy is not None
        if self.client is None:
            proxy_url = proxy.replace("http://", "http://" + self.userinfo, 1)
            self.client = httpx.Client(trust_env=False, timeout=TIMEOUT, proxy=proxy_url)
        response = self.client.request(method, url, content=body)
        return Result(response.status_code, response.text)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


# What the stock clients raise on what they cannot answer: urllib a ValueError for an
# algorithm it does not know (UnicodeEncodeError for a name), httpx NotImplementedError
# for auth-int, the others their own errors.
STOCK_ERRORS = (
    OSError,
    ValueError,
    KeyError,
    NotImplementedError,
    requests.RequestException,
    httpx.HTTPError,
)


def _run(client: Client, running: Running, scenario: Scenario) -> list[int]:
    proxy = _proxy_url(running, scenario)
    try:
        return [
            client.request("GET", running.url + scenario.path, proxy=proxy).status
            for _ in range(scenario.times)
        ]
    finally:
        client.close()


def _outcome(column: str, scenario: Scenario, statuses: list[int] | None) -> str:
    if statuses is not None and all(status == 200 for status in statuses):
        if scenario.rspauth and column in STOCK:
            return "known: rspauth not checked"
        return "pass"
    reason = scenario.known.get(column)
    return f"known: {reason}" if reason else "fail"


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_real_server(scenario: Scenario, column: str, request: pytest.FixtureRequest) -> None:
    running: Running = request.getfixturevalue(scenario.server)
    if column in OURS:
        statuses = _run(_ours(column, scenario), running, scenario)
        record(TABLE, scenario.name, column, _outcome(column, scenario, statuses))
        assert statuses == [200] * scenario.times
        return
    result: list[int] | None
    try:
        result = _run(_stock(column, scenario, running), running, scenario)
    except STOCK_ERRORS:  # a stock client's failure is recorded, not ours to raise
        result = None
    record(TABLE, scenario.name, column, _outcome(column, scenario, result))


# --------------------------------------------------------------------------- what was sent


def _nc(value: str | bytes | None) -> str:
    text = value.decode("latin-1") if isinstance(value, bytes) else value or ""
    return text.split("nc=", 1)[1][:8] if "nc=" in text else ""


def test_apache_sees_nc_rise_without_new_challenges(apache: Running) -> None:
    url = apache.url + "/digest/ok.txt"
    with requests.Session() as session:
        session.trust_env = False
        session.auth = ours_requests.HTTPAuth(USER, PASSWORD)
        responses = [session.get(url, timeout=TIMEOUT) for _ in range(3)]
    assert [len(r.history) for r in responses] == [1, 0, 0]  # one 401, then none
    sent = [r.request.headers.get("Authorization") for r in responses]
    assert [_nc(value) for value in sent] == ["00000001", "00000002", "00000003"]
    with httpx.Client(auth=ours_httpx.HTTPAuth(USER, PASSWORD), timeout=TIMEOUT) as client:
        answers = [client.get(url) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [len(a.history) for a in answers] == [1, 0, 0]
    sent = [a.request.headers.get("Authorization") for a in answers]
    assert [_nc(value) for value in sent] == ["00000001", "00000002", "00000003"]


def test_apache_one_time_nonce_is_answered_after_stale(apache: Running) -> None:
    with requests.Session() as session:
        session.trust_env = False
        session.auth = ours_requests.HTTPAuth(USER, PASSWORD)
        first = session.get(apache.url + "/stale/ok.txt", timeout=TIMEOUT)
        second = session.get(apache.url + "/stale/ok.txt", timeout=TIMEOUT)
    assert (first.status_code, second.status_code) == (200, 200)
    (refused,) = second.history
    assert refused.status_code == 401
    assert "stale=true" in refused.headers["WWW-Authenticate"]
    assert _nc(refused.request.headers.get("Authorization")) == "00000002"
    assert _nc(second.request.headers.get("Authorization")) == "00000001"  # the new nonce


def test_apache_takes_the_utf8_octets_of_a_name(apache: Running) -> None:
    with requests.Session() as session:
        session.trust_env = False
        session.auth = ours_requests.HTTPAuth(UTF8_USER, UTF8_PASSWORD, verify_rspauth=True)
        response = session.get(apache.url + "/digest/ok.txt", timeout=TIMEOUT)
    assert response.status_code == 200
    sent = response.request.headers["Authorization"]
    assert isinstance(sent, str)
    assert b'username="' + UTF8_USER.encode("utf-8") + b'"' in sent.encode("latin-1")


def test_lighttpd_gets_a_hashed_name_and_the_first_of_two_lines(lighttpd: Running) -> None:
    with requests.Session() as session:
        session.trust_env = False
        session.auth = ours_requests.HTTPAuth(USER, PASSWORD)
        hashed = session.get(lighttpd.url + "/userhash/ok.txt", timeout=TIMEOUT)
        two = session.get(lighttpd.url + "/two/ok.txt", timeout=TIMEOUT)
    assert (hashed.status_code, two.status_code) == (200, 200)
    sent = parse_authorization(str(hashed.request.headers["Authorization"])).params
    assert sent["userhash"] == "true"
    assert sent["username"] == hashlib.sha256(f"{USER}:lighttpd userhash".encode()).hexdigest()
    # SHA-256 on the first line, MD5 on the second: SHA-256 is answered (RFC 7616 §3.7)
    assert parse_authorization(str(two.request.headers["Authorization"])).params["algorithm"] == (
        "SHA-256"
    )
