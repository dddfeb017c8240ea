"""What the requests and httpx auths refuse to answer (issue 9), against real servers.

Each finding of the audit is driven through our requests auth, our httpx auth on
``httpx.Client`` and on ``httpx.AsyncClient``, against :class:`tests.authservers.AuthServer`
on 127.0.0.1 (plain http, so loopback gets no exception), and checked on what the server
received. ``tests/test_client_engine_policy.py`` drives the shared engine and httpx's
``MockTransport`` for what a real server makes awkward (https origins, 1 MB fields).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, TypedDict

import pytest

from wwwauth import basic, digest, parse_authorization
from wwwauth.integrations import httpx as ours_httpx
from wwwauth.integrations import requests as ours_requests

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack is 3.11+

from .authservers import (
    PASSWORD,
    PROXY_PASSWORD,
    PROXY_ROUTE,
    PROXY_USER,
    REALM,
    USER,
    AsyncHttpxClient,
    AuthServer,
    BasicLine,
    Client,
    DigestLine,
    HttpxClient,
    Recorded,
    RequestsClient,
    Route,
)

LIBRARIES = ["requests", "httpx", "httpx async"]
ORIGIN = "http://origin.invalid/resource?x=1"  # reached through the server as a proxy


class _Options(TypedDict, total=False):
    proxy_username: str
    proxy_password: str
    allow_basic_over_http: bool
    min_digest_algorithm: str


def _client(library: str, **options: Unpack[_Options]) -> Client:
    """A client of ``library`` whose auth (USER, PASSWORD) has only the options given.

    Leaving the others out runs the defaults, and lets these tests run against a version
    without the options (as they were, before the fix) where they are not given.
    """
    if library == "requests":
        return RequestsClient(ours_requests.HTTPAuth(USER, PASSWORD, **options))
    auth = ours_httpx.HTTPAuth(USER, PASSWORD, **options)
    return HttpxClient(auth) if library == "httpx" else AsyncHttpxClient(auth)


def _serve(routes: dict[str, Route]) -> Iterator[AuthServer]:
    with AuthServer(routes) as running:
        yield running
    assert not running.errors


@pytest.fixture
def proxy_digest() -> Iterator[AuthServer]:
    """A forward proxy that asks for Digest SHA-256."""
    yield from _serve({PROXY_ROUTE: Route((DigestLine("SHA-256"),))})


@pytest.fixture
def proxy_basic() -> Iterator[AuthServer]:
    """A forward proxy that asks for Basic."""
    yield from _serve({PROXY_ROUTE: Route((BasicLine(),))})


def _headers(log: Sequence[Recorded], name: str) -> list[str]:
    return [value for r in log if (value := r.header(name)) is not None]


def _origin_password_in(values: Sequence[str]) -> bool:
    """Whether any field value carries the origin user's password, Basic or Digest."""
    for value in values:
        credentials = parse_authorization(value)
        if credentials.scheme.lower() == "basic":
            if basic.decode(credentials)[1] == PASSWORD:
                return True
        elif credentials.params.get("username") == USER:
            return True
    return False


# --------------------------------------------------------------------------- proxies


@pytest.mark.parametrize("library", LIBRARIES)
def test_a_proxys_digest_407_without_proxy_credentials_is_not_answered(
    proxy_digest: AuthServer, library: str
) -> None:
    client = _client(library)
    try:
        result = client.request("GET", ORIGIN, proxy=proxy_digest.url)
    finally:
        client.close()
    assert result.status == 407
    assert [r.status for r in proxy_digest.log] == [407]
    assert _headers(proxy_digest.log, "Proxy-Authorization") == []


@pytest.mark.parametrize("allow_basic_over_http", [False, True])
@pytest.mark.parametrize("library", LIBRARIES)
def test_a_proxys_basic_407_never_gets_the_origin_password(
    proxy_basic: AuthServer, library: str, allow_basic_over_http: bool
) -> None:
    # The audit's finding: the origin's password went to the proxy, in clear.
    client = _client(library, allow_basic_over_http=allow_basic_over_http)
    try:
        result = client.request("GET", ORIGIN, proxy=proxy_basic.url)
    finally:
        client.close()
    assert result.status == 407
    assert not _origin_password_in(_headers(proxy_basic.log, "Proxy-Authorization"))
    assert len(proxy_basic.log) == 1


@pytest.mark.parametrize("library", LIBRARIES)
def test_proxy_credentials_answer_a_proxys_digest(proxy_digest: AuthServer, library: str) -> None:
    client = _client(library, proxy_username=PROXY_USER, proxy_password=PROXY_PASSWORD)
    try:
        result = client.request("GET", ORIGIN, proxy=proxy_digest.url)
    finally:
        client.close()
    assert result.status == 200
    sent = _headers(proxy_digest.log, "Proxy-Authorization")
    assert [parse_authorization(value).params["username"] for value in sent] == [PROXY_USER]
    assert _headers(proxy_digest.log, "Authorization") == []


@pytest.mark.parametrize(("allow_basic_over_http", "status"), [(False, 407), (True, 200)])
@pytest.mark.parametrize("library", LIBRARIES)
def test_proxy_credentials_answer_a_proxys_basic_only_when_opted_in(
    proxy_basic: AuthServer, library: str, allow_basic_over_http: bool, status: int
) -> None:
    # The connection to a proxy is not seen from the auth: its Basic needs the opt-in.
    client = _client(
        library,
        proxy_username=PROXY_USER,
        proxy_password=PROXY_PASSWORD,
        allow_basic_over_http=allow_basic_over_http,
    )
    try:
        result = client.request("GET", ORIGIN, proxy=proxy_basic.url)
    finally:
        client.close()
    assert result.status == status
    sent = _headers(proxy_basic.log, "Proxy-Authorization")
    assert [basic.decode(value) for value in sent] == (
        [(PROXY_USER, PROXY_PASSWORD)] if allow_basic_over_http else []
    )


# --------------------------------------------------------------------------- Basic over http


@pytest.fixture
def server() -> Iterator[AuthServer]:
    routes = {
        "/basic": Route((BasicLine(),)),
        "/switch": Route((DigestLine("SHA-256"),)),  # tests change it between requests
        "/md5-then-sha-256": Route((DigestLine("MD5"), DigestLine("SHA-256"))),
        "/md5": Route((DigestLine("MD5"),)),
        "/sha-256": Route((DigestLine("SHA-256"),)),
        "/sha-512-256-sess": Route((DigestLine("SHA-512-256-sess"),)),
        "/latin-1-realm": Route((DigestLine("SHA-256", realm="Z\u00fcrich \u00e9t\u00e9"),)),
        # a realm sent as the UTF-8 octets of "Zürich", which the client reads as ISO-8859-1
        "/utf-8-realm": Route((DigestLine("SHA-256", realm="Z\u00c3\u00bcrich"),)),
        "/latin-1-nonce": Route((DigestLine("SHA-256"),), nonce_prefix="\u00e9\u00ff-"),
        # nonces of 1000 + 24 characters (the limit) and 1001 + 24 (one above)
        "/nonce-1024": Route((DigestLine("SHA-256"),), nonce_prefix="n" * 1000),
        "/nonce-1025": Route((DigestLine("SHA-256"),), nonce_prefix="n" * 1001),
        # realm and nonce of 1000 characters each: the uri decides the answer's length
        "/long-fields": Route((DigestLine("SHA-256", realm="r" * 1000),), nonce_prefix="n" * 976),
    }
    yield from _serve(routes)


def _get(client: Client, server: AuthServer, path: str, times: int = 1) -> list[int]:
    try:
        return [client.request("GET", server.url + path).status for _ in range(times)]
    finally:
        client.close()


@pytest.mark.parametrize("library", LIBRARIES)
def test_basic_is_not_sent_over_http_by_default(server: AuthServer, library: str) -> None:
    assert _get(_client(library), server, "/basic") == [401]
    assert [r.header("Authorization") for r in server.requests_to("/basic")] == [None]


@pytest.mark.parametrize("library", LIBRARIES)
def test_basic_over_http_when_opted_in(server: AuthServer, library: str) -> None:
    assert _get(_client(library, allow_basic_over_http=True), server, "/basic") == [200]
    sent = _headers(server.requests_to("/basic"), "Authorization")
    assert [basic.decode(value) for value in sent] == [(USER, PASSWORD)]


# --------------------------------------------------------------------------- downgrades


@pytest.mark.parametrize(
    "weaker", [BasicLine(), DigestLine("MD5"), DigestLine("MD5-sess")], ids=repr
)
@pytest.mark.parametrize("library", LIBRARIES)
def test_no_downgrade_after_sha_256_worked(
    server: AuthServer, library: str, weaker: BasicLine | DigestLine
) -> None:
    # GIVEN Digest SHA-256 accepted on this origin, WHEN an on-path attacker (here the
    # server itself) offers only something weaker, THEN it is not answered - not even
    # Basic with allow_basic_over_http.
    client = _client(library, allow_basic_over_http=True)
    try:
        assert client.request("GET", server.url + "/switch").status == 200
        server.routes["/switch"] = Route((weaker,))
        assert client.request("GET", server.url + "/switch").status == 401
    finally:
        client.close()
    sent = _headers(server.requests_to("/switch"), "Authorization")
    schemes = [parse_authorization(value).scheme for value in sent]
    algorithms = [parse_authorization(value).params.get("algorithm") for value in sent]
    # the answer, then the remembered SHA-256 sent at once (refused), then nothing
    assert schemes == ["Digest", "Digest"]
    assert algorithms == ["SHA-256", "SHA-256"]


@pytest.mark.parametrize("library", LIBRARIES)
def test_no_downgrade_to_basic_after_md5_worked(server: AuthServer, library: str) -> None:
    server.routes["/switch"] = Route((DigestLine("MD5"),))
    client = _client(library, allow_basic_over_http=True)
    try:
        assert client.request("GET", server.url + "/switch").status == 200
        server.routes["/switch"] = Route((BasicLine(),))
        assert client.request("GET", server.url + "/switch").status == 401
    finally:
        client.close()
    sent = _headers(server.requests_to("/switch"), "Authorization")
    assert [parse_authorization(value).scheme for value in sent] == ["Digest", "Digest"]


@pytest.mark.parametrize("library", LIBRARIES)
def test_a_stronger_digest_after_md5_is_answered(server: AuthServer, library: str) -> None:
    server.routes["/switch"] = Route((DigestLine("MD5"),))
    client = _client(library)
    try:
        assert client.request("GET", server.url + "/switch").status == 200
        server.routes["/switch"] = Route((DigestLine("SHA-256"),))
        assert client.request("GET", server.url + "/switch").status == 200
    finally:
        client.close()


# --------------------------------------------------------------------------- Digest minimum


@pytest.mark.parametrize("library", LIBRARIES)
def test_md5_offered_first_is_not_answered_beside_sha_256(server: AuthServer, library: str) -> None:
    # RFC 7616 §3.7 lets the server order its challenges; the client still takes SHA-256.
    assert _get(_client(library), server, "/md5-then-sha-256") == [200]
    sent = _headers(server.requests_to("/md5-then-sha-256"), "Authorization")
    assert [parse_authorization(value).params["algorithm"] for value in sent] == ["SHA-256"]


@pytest.mark.parametrize("library", LIBRARIES)
def test_md5_alone_is_answered_by_default(server: AuthServer, library: str) -> None:
    assert _get(_client(library), server, "/md5") == [200]


@pytest.mark.parametrize("library", LIBRARIES)
def test_min_digest_algorithm_refuses_md5(server: AuthServer, library: str) -> None:
    client = _client(library, min_digest_algorithm="SHA-256")
    assert _get(client, server, "/md5") == [401]
    assert _headers(server.requests_to("/md5"), "Authorization") == []


@pytest.mark.parametrize(("path", "status"), [("/sha-256", 401), ("/sha-512-256-sess", 200)])
@pytest.mark.parametrize("library", LIBRARIES)
def test_min_digest_algorithm_sha_512_256(
    server: AuthServer, library: str, path: str, status: int
) -> None:
    client = _client(library, min_digest_algorithm="sha-512-256")
    assert _get(client, server, path) == [status]


# --------------------------------------------------------------------------- octets > 0x7F


@pytest.mark.parametrize(
    ("path", "realm"),
    [
        ("/latin-1-realm", "Z\u00fcrich \u00e9t\u00e9"),
        ("/utf-8-realm", "Z\u00c3\u00bcrich"),
        ("/latin-1-nonce", REALM),
    ],
)
@pytest.mark.parametrize("library", LIBRARIES)
def test_octets_above_0x7f_are_echoed(
    server: AuthServer, library: str, path: str, realm: str
) -> None:
    # The audit's finding: httpx raised UnicodeEncodeError. The answer now carries the
    # octets received (RFC 9110 §5.5: ISO-8859-1), so the server's hash matches; the
    # second request sends the remembered challenge at once.
    assert _get(_client(library), server, path, times=2) == [200, 200]
    sent = _headers(server.requests_to(path), "Authorization")
    assert [digest.DigestCredentials.from_credentials(value).realm for value in sent] == [
        realm,
        realm,
    ]


# --------------------------------------------------------------------------- size caps


@pytest.mark.parametrize(("path", "statuses"), [("/nonce-1024", [200]), ("/nonce-1025", [401])])
@pytest.mark.parametrize("library", LIBRARIES)
def test_a_nonce_above_1024_characters_is_not_answered(
    server: AuthServer, library: str, path: str, statuses: list[int]
) -> None:
    assert _get(_client(library), server, path) == statuses
    sent = _headers(server.requests_to(path), "Authorization")
    assert len(sent) == (1 if statuses == [200] else 0)


@pytest.mark.parametrize(("query", "status"), [(5000, 200), (7000, 401)])
@pytest.mark.parametrize("library", LIBRARIES)
def test_an_answer_above_8192_octets_is_not_sent(
    server: AuthServer, library: str, query: int, status: int
) -> None:
    path = "/long-fields?" + "q" * query
    assert _get(_client(library), server, path) == [status]
    sent = _headers(server.requests_to(path), "Authorization")
    assert len(sent) == (1 if status == 200 else 0)
    assert all(7000 < len(value) <= 8192 for value in sent)
