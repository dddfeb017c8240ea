"""Two defects real servers found in our requests and httpx auths (issue 10).

* A ``stale=true`` retry re-sent the previous attempt's ``Cookie`` header: a server that
  keeps its nonce state in cookies (httpbin's ``/digest-auth/.../stale_after``) set new
  ones on the 401 and refused the retry again. httpbin runs in-process here.
* A user name that is not ASCII went only as ``username*`` (RFC 8187), which Apache's
  mod_auth_digest does not know: it now goes as its UTF-8 octets in ``username``
  (RFC 7616 §3.4 allows both), ``username*`` only where the octets would need escaping.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from wwwauth import digest, parse_authorization
from wwwauth.ext_value import encode_ext_value
from wwwauth.integrations._client import (
    ClientAuth,
    OutgoingRequest,
    ResponseView,
    merge_cookie_header,
)

from .authservers import (
    UTF8_PASSWORD,
    UTF8_USER,
    AsyncHttpxClient,
    AuthServer,
    Client,
    DigestLine,
    HttpxClient,
    RequestsClient,
    Route,
)
from .test_client_policy import LIBRARIES

# --------------------------------------------------------------------------- cookies


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def httpbin_url() -> Iterator[str]:
    """httpbin (the PyPI package) served by wsgiref on a free loopback port."""
    httpbin = pytest.importorskip("httpbin")
    server: WSGIServer = make_server("127.0.0.1", 0, httpbin.app, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _client(library: str, username: str = "user", password: str = "passwd") -> Client:
    if library == "requests":
        from wwwauth.integrations import requests as ours_requests

        return RequestsClient(ours_requests.HTTPAuth(username, password))
    from wwwauth.integrations import httpx as ours_httpx

    auth = ours_httpx.HTTPAuth(username, password, verify_rspauth=False)
    return HttpxClient(auth) if library == "httpx" else AsyncHttpxClient(auth)


@pytest.mark.parametrize("library", LIBRARIES)
def test_a_stale_retry_sends_the_cookies_the_401_set(httpbin_url: str, library: str) -> None:
    # stale_after=1: the first request is answered, the second (nc=2, cookie
    # stale_after=0) gets stale=true with Set-Cookie stale_after=1 and last_nonce; the
    # retry must carry those, or httpbin sees stale_after=0 and says stale again.
    url = f"{httpbin_url}/digest-auth/auth/user/passwd/MD5/1"
    client = _client(library)
    try:
        assert [client.request("GET", url).status for _ in range(3)] == [200, 200, 200]
    finally:
        client.close()


def test_a_cookie_header_the_caller_set_is_kept_on_the_retry(httpbin_url: str) -> None:
    import httpx
    import requests

    from wwwauth.integrations import httpx as ours_httpx
    from wwwauth.integrations import requests as ours_requests

    # The caller's Cookie header goes on the first attempt; the retry must add the
    # cookies the 401 set (httpbin wants them) and keep the caller's.
    url = f"{httpbin_url}/digest-auth/auth/user/passwd/MD5/1"
    with requests.Session() as session:
        session.trust_env = False
        session.auth = ours_requests.HTTPAuth("user", "passwd")
        answer = session.get(url, headers={"Cookie": "mine=1"}, timeout=5)
    assert answer.status_code == 200
    assert len(answer.history) == 1
    sent = answer.request.headers["Cookie"]
    assert isinstance(sent, str)
    assert sent.startswith("mine=1; ") and "stale_after=1" in sent and "fake=" in sent
    with httpx.Client(auth=ours_httpx.HTTPAuth("user", "passwd"), timeout=5) as client:
        reply = client.get(url, headers={"Cookie": "mine=1"})
    assert reply.status_code == 200
    cookie = reply.request.headers["Cookie"]
    assert cookie.startswith("mine=1; ") and "stale_after=1" in cookie and "fake=" in cookie


def test_merge_cookie_header_replaces_by_name_in_place() -> None:
    assert merge_cookie_header("a=1; stale_after=0; fake=x", "stale_after=1; last_nonce=n") == (
        "a=1; stale_after=1; fake=x; last_nonce=n"
    )
    assert merge_cookie_header(None, None) is None
    assert merge_cookie_header("a=1;;  ", "b=2") == "a=1; b=2"


# --------------------------------------------------------------------------- user names


def _answer(username: str, *, userhash: bool = False) -> str:
    """The Authorization our engine sends for ``username`` to a Digest SHA-256 challenge."""
    auth = ClientAuth(username, "pw", prefer=("Digest",), verify_rspauth=False)
    request = OutgoingRequest(
        method="GET", url="http://h/", target="/", proxy_target="http://h/", body=b""
    )
    flow = auth.exchange(request)
    next(flow)
    line = str(digest.challenge(realm="r", nonce="n", userhash=userhash))
    fields = flow.send(
        ResponseView(401, lambda name: [line] if name == "WWW-Authenticate" else [], bytes)
    )
    return fields["Authorization"]


def test_a_name_not_ascii_goes_as_its_utf8_octets() -> None:
    value = _answer(UTF8_USER)
    params = parse_authorization(value).params
    assert "username*" not in params
    assert params["username"].encode("latin-1") == UTF8_USER.encode("utf-8")
    assert value.encode("latin-1").count(UTF8_USER.encode("utf-8")) == 1
    assert digest.verify(value, method="GET", password="pw")


@pytest.mark.parametrize("username", ['J\u00e4"son', "J\u00e4\\son", "J\u00e4\tson"])
def test_a_name_needing_escapes_keeps_username_star(username: str) -> None:
    params = parse_authorization(_answer(username)).params
    assert "username" not in params
    assert params["username*"] == encode_ext_value(username)


def test_userhash_still_sends_the_hash() -> None:
    params = parse_authorization(_answer(UTF8_USER, userhash=True)).params
    assert params["username"] == digest.hash_username(UTF8_USER, "r")
    assert "username*" not in params


@pytest.mark.parametrize("library", LIBRARIES)
def test_a_name_not_ascii_passes_rspauth(library: str) -> None:
    # rspauth is computed from the name as sent (its octets): verify_rspauth must agree.
    with AuthServer({"/sha-256": Route((DigestLine("SHA-256"),))}) as server:
        if library == "requests":
            from wwwauth.integrations import requests as ours_requests

            client: Client = RequestsClient(
                ours_requests.HTTPAuth(UTF8_USER, UTF8_PASSWORD, verify_rspauth=True)
            )
        else:
            from wwwauth.integrations import httpx as ours_httpx

            auth = ours_httpx.HTTPAuth(UTF8_USER, UTF8_PASSWORD, verify_rspauth=True)
            client = HttpxClient(auth) if library == "httpx" else AsyncHttpxClient(auth)
        try:
            assert client.request("GET", server.url + "/sha-256").status == 200
        finally:
            client.close()
        sent = [r.header("Authorization") for r in server.log]
    assert not server.errors
    octets = b'username="' + UTF8_USER.encode("utf-8") + b'"'
    assert any(value is not None and octets in value.encode("latin-1") for value in sent)


def test_our_verifier_takes_our_clients_name_not_ascii() -> None:
    from wwwauth.integrations.server import DigestVerifier, RequestInfo

    verifier = DigestVerifier({UTF8_USER: UTF8_PASSWORD}, realm="r")
    auth = ClientAuth(UTF8_USER, UTF8_PASSWORD, prefer=("Digest",), verify_rspauth=False)
    flow = auth.exchange(
        OutgoingRequest(
            method="GET",
            url="http://example.org/x",
            target="/x",
            proxy_target="http://example.org/x",
            body=b"",
        )
    )
    next(flow)
    line = str(verifier.challenge())
    fields = flow.send(
        ResponseView(401, lambda name: [line] if name == "WWW-Authenticate" else [], bytes)
    )
    credentials = parse_authorization(fields["Authorization"].encode("latin-1"))
    request = RequestInfo(method="GET", target="/x", headers=(("host", "example.org"),))
    assert verifier(credentials, request) == UTF8_USER
