"""The client policy of issue 9 in the shared engine, and in httpx through MockTransport.

``tests/test_client_policy.py`` drives requests and httpx against real servers; this file
covers what those make awkward: https origins (no certificate needed here), fields of a
megabyte, characters a ``str`` field line can hold but a wire cannot, and properties
over arbitrary challenges.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypedDict

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwwauth import basic, digest, parse_authorization
from wwwauth._abnf import NOT_VALUE_CHAR_RE
from wwwauth.integrations import httpx as ours_httpx
from wwwauth.integrations import requests as ours_requests
from wwwauth.integrations._client import (
    DIGEST_ALGORITHM_RANKS,
    MAX_CREDENTIALS_LENGTH,
    MAX_ECHOED_PARAM_LENGTH,
    ClientAuth,
    MutualAuthenticationError,
    OutgoingRequest,
    ResponseView,
    digest_rank,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack is 3.11+

USER, PASSWORD = "Mufasa", "Circle of Life"
PROXY_USER, PROXY_PASSWORD = "proxy-user", "proxy-password"


class _Options(TypedDict, total=False):
    proxy_username: str
    proxy_password: str
    allow_basic_over_http: bool
    min_digest_algorithm: str


def _auth(**options: Unpack[_Options]) -> ClientAuth:
    """An engine for USER with ``prefer=("Digest", "Basic")`` and only the options given."""
    return ClientAuth(USER, PASSWORD, prefer=("Digest", "Basic"), verify_rspauth=False, **options)


def _request(url: str = "https://example.org/a", target: str = "/a") -> OutgoingRequest:
    return OutgoingRequest(method="GET", url=url, target=target, proxy_target=url, body=b"")


def _response(status: int, lines: dict[str, Sequence[str | bytes]] | None = None) -> ResponseView:
    fields = {name.lower(): list(values) for name, values in (lines or {}).items()}
    return ResponseView(status, lambda name: fields.get(name.lower(), []), bytes)


def _challenge(**params: str) -> str:
    """A Digest challenge line; realm "r", nonce "n", SHA-256, qop=auth unless given."""
    values = {"realm": "r", "nonce": "n", "algorithm": "SHA-256", "qop": "auth", **params}
    return "Digest " + ", ".join(f'{name}="{value}"' for name, value in values.items())


def _answer(
    auth: ClientAuth, *lines: str | bytes, url: str = "https://example.org/a", status: int = 401
) -> dict[str, str] | None:
    """What ``auth`` sends in answer to one 401 (or 407) with ``lines``; None: nothing."""
    flow = auth.exchange(_request(url))
    next(flow)
    field = "Proxy-Authenticate" if status == 407 else "WWW-Authenticate"
    try:
        return flow.send(_response(status, {field: lines}))
    except StopIteration:
        return None


def _accepted(auth: ClientAuth, *lines: str, url: str = "https://example.org/a") -> None:
    """Answer one 401 with ``lines``, then have the answer accepted (200)."""
    flow = auth.exchange(_request(url))
    next(flow)
    assert flow.send(_response(401, {"WWW-Authenticate": lines}))
    with pytest.raises(StopIteration):
        flow.send(_response(200))


# --------------------------------------------------------------------------- Basic


@pytest.mark.parametrize(
    ("url", "answered"),
    [
        ("https://example.org/a", True),
        ("wss://example.org/a", True),
        ("http://example.org/a", False),
        ("http://127.0.0.1:8080/a", False),  # loopback gets no exception
        ("http://localhost/a", False),
        ("http://[::1]/a", False),
    ],
)
def test_basic_only_to_a_secure_origin_by_default(url: str, answered: bool) -> None:
    sent = _answer(_auth(), 'Basic realm="r"', url=url)
    assert (sent is not None) is answered
    if sent is not None:
        assert basic.decode(sent["Authorization"]) == (USER, PASSWORD)


def test_basic_over_http_opted_in() -> None:
    sent = _answer(_auth(allow_basic_over_http=True), 'Basic realm="r"', url="http://h/a")
    assert sent is not None and basic.decode(sent["Authorization"]) == (USER, PASSWORD)


def test_basic_not_answered_over_http_even_beside_an_unanswerable_digest() -> None:
    # /sha1-then-basic: the client used to fall back to Basic in clear.
    line = _challenge(algorithm="SHA-1")
    assert _answer(_auth(), line, 'Basic realm="r"', url="http://h/a") is None


# --------------------------------------------------------------------------- proxies


def test_a_407_without_proxy_credentials_is_final() -> None:
    for line in (_challenge(), 'Basic realm="p"'):
        assert _answer(_auth(allow_basic_over_http=True), line, status=407) is None


def test_a_407_is_answered_with_the_proxy_credentials_only() -> None:
    auth = _auth(proxy_username=PROXY_USER, proxy_password=PROXY_PASSWORD)
    sent = _answer(auth, _challenge(), status=407)
    assert sent is not None and list(sent) == ["Proxy-Authorization"]
    credentials = parse_authorization(sent["Proxy-Authorization"])
    assert credentials.params["username"] == PROXY_USER
    view = digest.DigestCredentials.from_credentials(credentials)
    assert digest.verify(view, method="GET", password=PROXY_PASSWORD)
    # Basic to a proxy even with https: the connection to the proxy is not seen from here
    assert _answer(auth, 'Basic realm="p"', status=407) is None
    opted_in = _auth(
        proxy_username=PROXY_USER, proxy_password=PROXY_PASSWORD, allow_basic_over_http=True
    )
    sent = _answer(opted_in, 'Basic realm="p"', status=407)
    assert sent is not None and basic.decode(sent["Proxy-Authorization"]) == (
        PROXY_USER,
        PROXY_PASSWORD,
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"proxy_username": "p"}, "together"),
        ({"proxy_password": "p"}, "together"),
        ({"proxy_username": "a:b", "proxy_password": "p"}, "proxy_username holds ':'"),
        ({"min_digest_algorithm": "SHA-1"}, "unknown min_digest_algorithm 'SHA-1'"),
    ],
)
@pytest.mark.parametrize("auth_class", [ours_requests.HTTPAuth, ours_httpx.HTTPAuth])
def test_bad_policy_arguments(
    auth_class: type[ours_requests.HTTPAuth | ours_httpx.HTTPAuth],
    options: dict[str, str],
    message: str,
) -> None:
    with pytest.raises(ValueError, match=message):
        auth_class(
            USER,
            PASSWORD,
            proxy_username=options.get("proxy_username"),
            proxy_password=options.get("proxy_password"),
            min_digest_algorithm=options.get("min_digest_algorithm"),
        )


@pytest.mark.parametrize("auth_class", [ours_requests.HTTPAuth, ours_httpx.HTTPAuth])
def test_repr_hides_the_proxy_password(
    auth_class: type[ours_requests.HTTPAuth | ours_httpx.HTTPAuth],
) -> None:
    auth = auth_class(USER, PASSWORD, proxy_username=PROXY_USER, proxy_password=PROXY_PASSWORD)
    assert PROXY_PASSWORD not in repr(auth) and PASSWORD not in repr(auth)
    assert PROXY_PASSWORD not in repr(auth._users)


# --------------------------------------------------------------------------- downgrades


@pytest.mark.parametrize("url", ["https://example.org/a", "http://example.org/a"])
def test_no_basic_once_digest_was_accepted(url: str) -> None:
    # Over https too: a TLS-intercepting middlebox is on-path as well.
    auth = _auth(allow_basic_over_http=True)
    _accepted(auth, _challenge(), url=url)
    assert _answer(auth, 'Basic realm="r"', url=url) is None
    assert _answer(auth, _challenge(nonce="n2"), 'Basic realm="r"', url=url) is not None


def test_no_md5_once_sha_256_was_accepted() -> None:
    auth = _auth()
    _accepted(auth, _challenge(algorithm="SHA-512-256-sess"))
    assert _answer(auth, _challenge(algorithm="MD5")) is None
    assert _answer(auth, _challenge(algorithm="MD5-sess")) is None
    assert _answer(auth, _challenge(algorithm="SHA-256")) is not None  # not below SHA-256


def test_a_refused_answer_raises_no_floor() -> None:
    auth = _auth()
    flow = auth.exchange(_request())
    next(flow)
    flow.send(_response(401, {"WWW-Authenticate": [_challenge()]}))
    with pytest.raises(StopIteration):
        flow.send(_response(401, {"WWW-Authenticate": [_challenge(nonce="n2")]}))  # wrong
    assert _answer(auth, 'Basic realm="r"') is not None


def test_floors_are_per_protection_space() -> None:
    auth = _auth(proxy_username=PROXY_USER, proxy_password=PROXY_PASSWORD)
    _accepted(auth, _challenge())
    assert _answer(auth, 'Basic realm="r"', url="https://example.org:8443/a") is not None
    assert _answer(auth, 'Basic realm="r"', url="https://other.example/a") is not None
    # the proxy's space has its own floor: Digest accepted by the proxy (the origin
    # answered 401 behind it) keeps its Basic out, with the opt-in too
    proxied = _auth(
        proxy_username=PROXY_USER, proxy_password=PROXY_PASSWORD, allow_basic_over_http=True
    )
    flow = proxied.exchange(_request("http://example.org/a"))
    next(flow)
    flow.send(_response(407, {"Proxy-Authenticate": [_challenge()]}))
    with pytest.raises(StopIteration):
        flow.send(_response(401, {"WWW-Authenticate": ["Bearer"]}))
    assert _answer(proxied, 'Basic realm="p"', url="http://example.org/a", status=407) is None
    assert _answer(proxied, 'Basic realm="o"', url="http://example.org/a") is not None


# --------------------------------------------------------------------------- Digest minimum


def test_digest_ranks() -> None:
    assert DIGEST_ALGORITHM_RANKS == {"MD5": 1, "SHA-256": 2, "SHA-512-256": 3}
    assert [digest_rank(name) for name in digest.ALGORITHMS] == [2, 2, 3, 3, 1, 1]
    assert digest_rank("sha-256-SESS") == 2
    assert digest_rank("SHA-1") is None and digest_rank("K\u212a") is None  # Kelvin sign


def _algorithm(sent: dict[str, str] | None) -> str | None:
    assert sent is not None
    return parse_authorization(sent["Authorization"]).params.get("algorithm")


def test_md5_refused_beside_a_stronger_digest_by_default() -> None:
    md5, sha256 = _challenge(algorithm="MD5"), _challenge(algorithm="SHA-256")
    assert _algorithm(_answer(_auth(), md5, sha256)) == "SHA-256"
    rfc2069 = 'Digest realm="r", nonce="n"'  # no algorithm: MD5 (RFC 7616 §3.3)
    assert _algorithm(_answer(_auth(), rfc2069, _challenge(algorithm="SHA-512-256"))) == (
        "SHA-512-256"
    )
    # among the strong ones the server's order stands (RFC 7616 §3.7)
    strong = _challenge(algorithm="SHA-256"), _challenge(algorithm="SHA-512-256")
    assert _algorithm(_answer(_auth(), *strong)) == "SHA-256"
    assert _algorithm(_answer(_auth(), md5)) == "MD5"  # alone, by default


@pytest.mark.parametrize(
    ("minimum", "algorithm", "answered"),
    [
        ("SHA-256", "MD5", False),
        ("SHA-256", "MD5-sess", False),
        ("sha-256-sess", "SHA-256", True),
        ("SHA-512-256", "SHA-256", False),
        ("SHA-512-256", "SHA-512-256-sess", True),
        ("MD5", "MD5", True),
    ],
)
def test_min_digest_algorithm(minimum: str, algorithm: str, answered: bool) -> None:
    sent = _answer(_auth(min_digest_algorithm=minimum), _challenge(algorithm=algorithm))
    assert (sent is not None) is answered


# --------------------------------------------------------------------------- size caps


def test_the_limits() -> None:
    assert (MAX_ECHOED_PARAM_LENGTH, MAX_CREDENTIALS_LENGTH) == (1024, 8192)


@pytest.mark.parametrize("name", ["realm", "nonce", "opaque"])
def test_a_parameter_above_the_limit_is_not_answered(name: str) -> None:
    at_limit = _answer(_auth(), _challenge(**{name: "x" * MAX_ECHOED_PARAM_LENGTH}))
    assert at_limit is not None
    assert _answer(_auth(), _challenge(**{name: "x" * (MAX_ECHOED_PARAM_LENGTH + 1)})) is None


def test_a_megabyte_nonce_is_not_echoed() -> None:
    # The audit's finding: a 1 MB nonce came back as a 1 MB Authorization.
    assert _answer(_auth(), _challenge(nonce="n" * 1_000_000)) is None


def test_the_whole_answer_is_capped() -> None:
    long = {name: "x" * 1000 for name in ("realm", "nonce", "opaque")}
    auth = _auth()
    flow = auth.exchange(_request(target="/" + "p" * 4000))
    next(flow)
    sent = flow.send(_response(401, {"WWW-Authenticate": [_challenge(**long)]}))
    assert MAX_CREDENTIALS_LENGTH - 2000 < len(sent["Authorization"]) <= MAX_CREDENTIALS_LENGTH
    flow = auth.exchange(_request(target="/" + "p" * 6000))
    assert next(flow) == {}  # not even the remembered space, for this request
    with pytest.raises(StopIteration):
        flow.send(_response(401, {"WWW-Authenticate": [_challenge(**long)]}))


def test_a_nextnonce_above_the_limit_is_ignored() -> None:
    auth = _auth()
    flow = auth.exchange(_request())
    next(flow)
    flow.send(_response(401, {"WWW-Authenticate": [_challenge(nonce="n1")]}))
    info = f'nextnonce="{"x" * (MAX_ECHOED_PARAM_LENGTH + 1)}"'
    with pytest.raises(StopIteration):
        flow.send(_response(200, {"Authentication-Info": [info]}))
    again = parse_authorization(next(auth.exchange(_request()))["Authorization"])
    assert (again.params["nonce"], again.params["nc"]) == ("n1", "00000002")


# --------------------------------------------------------------------------- characters


@pytest.mark.parametrize("realm", ["\u0100", "a\u20acb", "\x7f", "a\x01b"])
def test_a_challenge_that_cannot_be_echoed_is_skipped(realm: str) -> None:
    # Only a caller handing str lines can bring these; the engine never raises for them.
    line = f'Digest realm="{realm}", nonce="n", algorithm=SHA-256, qop="auth"'
    assert _answer(_auth(), line) is None
    sent = _answer(_auth(), line, _challenge(realm="fine"))
    assert sent is not None and parse_authorization(sent["Authorization"]).params["realm"] == (
        "fine"
    )


def test_octets_above_0x7f_are_echoed_as_received() -> None:
    sent = _answer(_auth(), b'Digest realm="Z\xc3\xbcrich", nonce="\xff\xfe", qop=auth')
    assert sent is not None
    view = digest.DigestCredentials.from_credentials(sent["Authorization"])
    assert (view.realm, view.nonce) == ("Z\u00c3\u00bcrich", "\u00ff\u00fe")
    assert digest.verify(view, method="GET", password=PASSWORD)


_FRAGMENTS = [
    "Digest ", "Basic ", "realm=", "nonce=", "opaque=", "nextnonce=", "algorithm=SHA-256",
    "algorithm=MD5", "qop=auth", "qop=auth-int", "stale=true", "userhash=true", ", ", '"',
    '"r"', '"n"', "\\", "\t", "\x00", "\x7f", "\x80", "\xff", "\u0100", "\u20ac", "\r\n",
    "x" * 600,
]  # fmt: skip
_FIELD_TEXT = st.lists(st.sampled_from(_FRAGMENTS), max_size=16).map("".join)


@given(
    lines=st.lists(st.one_of(_FIELD_TEXT, st.binary(max_size=60)), max_size=4),
    info=st.lists(st.one_of(_FIELD_TEXT, st.binary(max_size=40)), max_size=2),
    status=st.sampled_from([401, 407]),
    url=st.sampled_from(["https://example.org/a", "http://example.org/a"]),
    verify_rspauth=st.booleans(),
)
def test_any_challenge_is_answered_safely_or_not_at_all(
    lines: list[str | bytes], info: list[str | bytes], status: int, url: str, verify_rspauth: bool
) -> None:
    # GIVEN any challenge lines (str or bytes) and Authentication-Info, WHEN the engine
    # answers, THEN it raises nothing but MutualAuthenticationError (with verify_rspauth),
    # and every field it sends is ISO-8859-1 without CTLs, within the limit.
    auth = ClientAuth(
        USER,
        PASSWORD,
        prefer=("Digest", "Basic"),
        verify_rspauth=verify_rspauth,
        proxy_username=PROXY_USER,
        proxy_password=PROXY_PASSWORD,
    )
    field = "Proxy-Authenticate" if status == 407 else "WWW-Authenticate"
    info_field = "Proxy-Authentication-Info" if status == 407 else "Authentication-Info"
    flow = auth.exchange(_request(url))
    next(flow)
    sent: dict[str, str] = {}
    try:
        sent = flow.send(_response(status, {field: lines}))
        flow.send(_response(200, {info_field: info}))
    except StopIteration:
        pass
    except MutualAuthenticationError:
        assert verify_rspauth
    sent.update(next(auth.exchange(_request(url))))
    for value in sent.values():
        assert NOT_VALUE_CHAR_RE.search(value) is None
        assert len(value) <= MAX_CREDENTIALS_LENGTH
        value.encode("latin-1")


# --------------------------------------------------------------------------- httpx in process


def _digest_server(challenge: bytes, seen: list[httpx.Request]) -> httpx.MockTransport:
    """A MockTransport asking for Digest with ``challenge`` and checking the answer."""

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        value = request.headers.get("authorization")  # must decode, whatever the octets
        if value is not None:
            view = digest.DigestCredentials.from_credentials(request.headers.raw[-1][1])
            if digest.verify(view, method=request.method, password=PASSWORD):
                return httpx.Response(200, text=value)
        return httpx.Response(401, headers=[(b"WWW-Authenticate", challenge)])

    return httpx.MockTransport(handle)


def _httpx_get(transport: httpx.MockTransport, asynchronous: bool) -> httpx.Response:
    auth = ours_httpx.HTTPAuth(USER, PASSWORD)
    if not asynchronous:
        with httpx.Client(transport=transport, auth=auth) as client:
            return client.get("http://example.org/a")

    async def get() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, auth=auth) as client:
            return await client.get("http://example.org/a")

    return asyncio.run(get())


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(
    "challenge",
    [
        b'Digest realm="Z\xfcrich", nonce="n\xe9", algorithm=SHA-256, qop="auth"',
        b'Digest realm="Z\xc3\xbcrich", nonce="\xff", opaque="\x80", qop="auth"',
    ],
)
def test_httpx_echoes_octets_above_0x7f(challenge: bytes, asynchronous: bool) -> None:
    # The audit's finding: UnicodeEncodeError out of httpx.Client.get.
    seen: list[httpx.Request] = []
    response = _httpx_get(_digest_server(challenge, seen), asynchronous)
    assert response.status_code == 200
    assert len(seen) == 2


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_httpx_returns_the_401_of_a_megabyte_nonce(asynchronous: bool) -> None:
    seen: list[httpx.Request] = []
    challenge = b'Digest realm="r", nonce="' + b"n" * 1_000_000 + b'", qop="auth"'
    response = _httpx_get(_digest_server(challenge, seen), asynchronous)
    assert response.status_code == 401
    assert [request.headers.get("authorization") for request in seen] == [None]


@given(challenge=st.binary(max_size=80))
def test_httpx_never_raises_for_a_challenge(challenge: bytes) -> None:
    seen: list[httpx.Request] = []
    response = _httpx_get(
        _digest_server(challenge.replace(b"\r", b"").replace(b"\n", b""), seen), False
    )
    assert response.status_code in (200, 401)
