"""The requests and httpx integrations against real servers on 127.0.0.1.

Every scenario of ``tests/authservers.py`` must pass with our requests auth, our httpx
auth on ``httpx.Client`` and on ``httpx.AsyncClient``. The engine they share is also
driven directly, for sequences a test server makes awkward (407 then 401, stale twice).
"""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys
from collections.abc import Iterator, Sequence

import httpx
import pytest
import requests

from wwwauth import Credentials, digest, parse_authorization
from wwwauth.integrations import _client
from wwwauth.integrations import httpx as ours_httpx
from wwwauth.integrations import requests as ours_requests
from wwwauth.integrations._client import ClientAuth, OutgoingRequest, ResponseView, _read_info

from .authservers import (
    OURS,
    PASSWORD,
    SCENARIOS,
    TIMEOUT,
    USER,
    AuthServer,
    ClientFactory,
    Scenario,
    run_scenario,
)


@pytest.mark.parametrize("client", sorted(OURS))
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.key for s in SCENARIOS])
def test_scenario(scenario: Scenario, client: str) -> None:
    make: ClientFactory = OURS[client]
    assert run_scenario(scenario, make) is None


def test_importing_wwwauth_imports_no_framework() -> None:
    code = (
        "import sys, wwwauth, wwwauth.integrations, wwwauth.integrations.server, "
        "wwwauth.integrations.asgi, wwwauth.integrations.wsgi, wwwauth.integrations._client\n"
        "from wwwauth import basic, bearer, digest, strategies\n"
        "frameworks = {'requests', 'httpx', 'starlette', 'flask', 'aiohttp', 'werkzeug', "
        "'uvicorn', 'urllib3', 'anyio'}\n"
        "print(sorted(frameworks & set(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


@pytest.fixture
def server() -> Iterator[AuthServer]:
    with AuthServer() as running:
        yield running
    assert not running.errors


def _session(auth: requests.auth.AuthBase) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.auth = auth
    return session


def _nc(credentials: str | None) -> str | None:
    assert credentials is not None
    return parse_authorization(credentials).params.get("nc")


def test_requests_nc_counts_per_nonce(server: AuthServer) -> None:
    with _session(ours_requests.HTTPAuth(USER, PASSWORD)) as session:
        for _ in range(3):
            assert session.get(server.url + "/sha-256", timeout=TIMEOUT).status_code == 200
    sent = [r.header("Authorization") for r in server.requests_to("/sha-256")]
    assert sent[0] is None
    assert [_nc(value) for value in sent[1:]] == ["00000001", "00000002", "00000003"]
    nonces = {parse_authorization(value or "").params["nonce"] for value in sent[1:]}
    assert len(nonces) == 1


def test_httpx_nextnonce_restarts_the_count(server: AuthServer) -> None:
    with httpx.Client(
        auth=ours_httpx.HTTPAuth(USER, PASSWORD), trust_env=False, timeout=TIMEOUT
    ) as client:
        for _ in range(3):
            assert client.get(server.url + "/nextnonce").status_code == 200
    sent = [r.header("Authorization") for r in server.requests_to("/nextnonce")]
    assert [_nc(value) for value in sent[1:]] == ["00000001", "00000001", "00000001"]
    assert len({parse_authorization(value or "").params["nonce"] for value in sent[1:]}) == 3


def test_rspauth_is_not_required_by_default(server: AuthServer) -> None:
    with _session(ours_requests.HTTPAuth(USER, PASSWORD)) as session:
        assert session.get(server.url + "/no-info", timeout=TIMEOUT).status_code == 200


@pytest.mark.parametrize("library", ["requests", "httpx"])
def test_verify_rspauth_requires_rspauth_on_2xx(server: AuthServer, library: str) -> None:
    url = server.url + "/no-info"
    if library == "requests":
        with _session(ours_requests.HTTPAuth(USER, PASSWORD, verify_rspauth=True)) as session:
            with pytest.raises(
                ours_requests.MutualAuthenticationError, match="no rspauth"
            ) as caught:
                session.get(url, timeout=TIMEOUT)
            assert isinstance(caught.value, requests.RequestException)
            assert caught.value.response is not None and caught.value.response.status_code == 200
    else:
        auth = ours_httpx.HTTPAuth(USER, PASSWORD, verify_rspauth=True)
        with httpx.Client(auth=auth, trust_env=False, timeout=TIMEOUT) as client:
            with pytest.raises(ours_httpx.MutualAuthenticationError, match="no rspauth") as raised:
                client.get(url)
            assert isinstance(raised.value, httpx.HTTPError)
            assert raised.value.response.status_code == 200


def test_forged_rspauth_message(server: AuthServer) -> None:
    auth = ours_requests.HTTPAuth(USER, PASSWORD, verify_rspauth=True)
    with (
        _session(auth) as session,
        pytest.raises(ours_requests.MutualAuthenticationError) as caught,
    ):
        session.get(server.url + "/rspauth-forged", timeout=TIMEOUT)
    assert str(caught.value) == (
        "the rspauth of the 200 response in Authentication-Info does not match: the server "
        "did not prove it knows the password (RFC 7616 §3.5)"
    )


def test_prefer_basic_answers_the_basic_line(server: AuthServer) -> None:
    auth = ours_requests.HTTPAuth(USER, PASSWORD, prefer=("Basic",), allow_basic_over_http=True)
    with _session(auth) as session:
        assert session.get(server.url + "/multi", timeout=TIMEOUT).status_code == 200
    answer = server.requests_to("/multi")[-1].header("Authorization")
    assert answer is not None and answer.startswith("Basic ")


def test_auth_int_with_a_streamed_body_is_not_answered(server: AuthServer) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"streamed"

    with _session(ours_requests.HTTPAuth(USER, PASSWORD)) as session:
        response = session.post(server.url + "/auth-int", data=chunks(), timeout=TIMEOUT)
    assert response.status_code == 401
    assert len(server.requests_to("/auth-int")) == 1


def test_auth_int_hashes_a_str_body(server: AuthServer) -> None:
    with _session(ours_requests.HTTPAuth(USER, PASSWORD)) as session:
        response = session.post(server.url + "/auth-int", data="größe=1", timeout=TIMEOUT)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"username": "a:b"}, ValueError),
        ({"prefer": ("Digest", "Bearer")}, ValueError),
        ({"prefer": "Digest"}, TypeError),
    ],
)
@pytest.mark.parametrize("auth_class", [ours_requests.HTTPAuth, ours_httpx.HTTPAuth])
def test_bad_arguments(auth_class: type, kwargs: dict[str, object], error: type[Exception]) -> None:
    arguments: dict[str, object] = {"username": USER, "password": PASSWORD, **kwargs}
    with pytest.raises(error):
        auth_class(**arguments)


@pytest.mark.parametrize("auth_class", [ours_requests.HTTPAuth, ours_httpx.HTTPAuth])
def test_repr_hides_the_password(auth_class: type) -> None:
    assert repr(auth_class(USER, PASSWORD)) == "HTTPAuth('Mufasa', '<redacted>')"


def test_requests_strips_its_header_before_a_cross_origin_redirect() -> None:
    # requests keeps Authorization from http to https on the same host (default ports);
    # that is another origin, so the hook takes off what it set.
    auth = ours_requests.HTTPAuth(USER, PASSWORD, prefer=("Basic",))
    prepared = requests.Request("GET", "http://example.org/a").prepare()
    chain = ours_requests._Chain(auth, prepared)
    prepared.headers["Authorization"] = "Basic c2V0OmJ5X3Vz"
    chain.set_headers["Authorization"] = "Basic c2V0OmJ5X3Vz"
    response = requests.Response()
    response.status_code = 302
    response.headers["Location"] = "https://example.org/b"
    response.url = "http://example.org/a"
    response.request = prepared
    chain._before_redirect(response)
    assert "Authorization" not in prepared.headers


# --------------------------------------------------------------------------- the engine


def _request(url: str = "http://example.org/a?b=1", body: bytes | None = b"") -> OutgoingRequest:
    return OutgoingRequest(
        method="GET", url=url, target="/a?b=1", proxy_target="http://example.org/a?b=1", body=body
    )


def _response(status: int, lines: dict[str, Sequence[str]] | None = None) -> ResponseView:
    fields = {name.lower(): list(values) for name, values in (lines or {}).items()}
    return ResponseView(status, lambda name: fields.get(name.lower(), []), bytes)


def _digest_line(nonce: str, *, stale: bool = False) -> str:
    return str(digest.challenge(realm="r", nonce=nonce, stale=stale))


def test_engine_407_then_401_sends_both_fields() -> None:
    auth = ClientAuth(
        USER,
        PASSWORD,
        prefer=("Digest", "Basic"),
        verify_rspauth=False,
        proxy_username="proxy-user",
        proxy_password="proxy-password",
        allow_basic_over_http=True,
    )
    flow = auth.exchange(_request())
    assert next(flow) == {}
    first = flow.send(_response(407, {"Proxy-Authenticate": [_digest_line("p1")]}))
    assert list(first) == ["Proxy-Authorization"]
    proxy_credentials = parse_authorization(first["Proxy-Authorization"])
    assert proxy_credentials.params["uri"] == "http://example.org/a?b=1"  # absolute-form
    assert proxy_credentials.params["username"] == "proxy-user"
    second = flow.send(_response(401, {"WWW-Authenticate": ['Basic realm="o"']}))
    assert set(second) == {"Proxy-Authorization", "Authorization"}
    assert second["Authorization"].startswith("Basic ")
    assert parse_authorization(second["Proxy-Authorization"]).params["nc"] == "00000002"
    with pytest.raises(StopIteration):
        flow.send(_response(200))


def test_engine_stale_is_retried_once_only() -> None:
    auth = ClientAuth(USER, PASSWORD, prefer=("Digest",), verify_rspauth=False)
    flow = auth.exchange(_request())
    next(flow)
    flow.send(_response(401, {"WWW-Authenticate": [_digest_line("n1")]}))
    again = flow.send(_response(401, {"WWW-Authenticate": [_digest_line("n2", stale=True)]}))
    assert parse_authorization(again["Authorization"]).params["nonce"] == "n2"
    with pytest.raises(StopIteration):
        flow.send(_response(401, {"WWW-Authenticate": [_digest_line("n3", stale=True)]}))


def test_engine_forgets_a_refused_space() -> None:
    auth = ClientAuth(USER, "wrong", prefer=("Digest",), verify_rspauth=False)
    flow = auth.exchange(_request())
    next(flow)
    flow.send(_response(401, {"WWW-Authenticate": [_digest_line("n1")]}))
    with pytest.raises(StopIteration):
        flow.send(_response(401, {"WWW-Authenticate": [_digest_line("n2")]}))
    assert next(auth.exchange(_request())) == {}  # nothing sent preemptively any more


def test_engine_remembers_per_origin() -> None:
    auth = ClientAuth(
        USER, PASSWORD, prefer=("Basic",), verify_rspauth=False, allow_basic_over_http=True
    )
    flow = auth.exchange(_request())
    next(flow)
    flow.send(_response(401, {"WWW-Authenticate": ['Basic realm="r"']}))
    with pytest.raises(StopIteration):
        flow.send(_response(200))
    assert "Authorization" in next(auth.exchange(_request("http://example.org/c")))
    assert next(auth.exchange(_request("http://example.org:8080/a"))) == {}
    assert next(auth.exchange(_request("https://example.org/a"))) == {}


def test_engine_nothing_to_answer() -> None:
    auth = ClientAuth(USER, PASSWORD, prefer=("Digest", "Basic"), verify_rspauth=False)
    flow = auth.exchange(_request())
    next(flow)
    with pytest.raises(StopIteration):
        flow.send(_response(401, {"WWW-Authenticate": ['Bearer realm="r"', "Negotiate"]}))


def test_engine_reads_a_broken_line_apart() -> None:
    lines = ["Basic realm=My Server", '"broken', 'Newauth realm="x"']
    assert [c.scheme for c in _client.read_challenges(lines, proxy=False)] == ["Basic", "Newauth"]


def test_engine_basic_nfc_with_charset_utf8() -> None:
    auth = ClientAuth(  # A + ring
        "A\u030a", "p", prefer=("Basic",), verify_rspauth=False, allow_basic_over_http=True
    )
    flow = auth.exchange(_request())
    next(flow)
    sent = flow.send(_response(401, {"WWW-Authenticate": ['Basic realm="r", charset="UTF-8"']}))
    from wwwauth import basic

    assert basic.decode(sent["Authorization"]) == ("\u00c5", "p")  # RFC 7617 §2.1: NFC


def test_origin_of() -> None:
    assert _client.origin_of("http://EXAMPLE.org:80/x") == ("http", "example.org", 80)
    assert _client.origin_of("https://[::1]/") == ("https", "::1", 443)
    assert _client.origin_of("http://h:99999/") == ("http", "h", 80)  # a bad port: the default


def test_respond_result_verifies() -> None:
    # The Digest answer of the engine is what wwwauth.digest.verify accepts.
    auth = ClientAuth(USER, PASSWORD, prefer=("Digest",), verify_rspauth=False)
    flow = auth.exchange(_request(body=b"x"))
    next(flow)
    sent = flow.send(_response(401, {"WWW-Authenticate": [_digest_line("n1")]}))
    credentials: Credentials = parse_authorization(sent["Authorization"])
    assert digest.verify(credentials, method="GET", password=PASSWORD)


@pytest.mark.parametrize(
    "name",
    [
        "_client",
        "_client_policy",
        "requests",
        "httpx",
        "server",
        "_gate",
        "digest_verifier",
        "asgi",
        "wsgi",
    ],
)
def test_docstring_examples(name: str) -> None:
    # tests/test_doctests.py leaves the integrations out: their frameworks are test extras.
    module = importlib.import_module(f"wwwauth.integrations.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0


def test_nextnonce_is_kept_when_authentication_info_lacks_rspauth() -> None:
    # GIVEN a server that sends qop without the rspauth, cnonce and nc RFC 7616 §3.5 wants,
    # WHEN the client reads it, THEN the nextnonce is still used, and there is no rspauth.
    info = _read_info(['qop=auth, nextnonce="n2"'], proxy=False)
    assert info is not None and info.nextnonce == "n2" and info.rspauth is None
    assert _read_info(["qop=auth"], proxy=False) is None
    broken = _read_info(["=broken"], proxy=True)
    assert broken is None or broken.nextnonce is None
    complete = _read_info(
        ['nextnonce="n3", qop=auth, rspauth="r", cnonce="c", nc=00000001'], proxy=True
    )
    assert complete is not None and complete.rspauth == "r" and complete.nextnonce == "n3"
