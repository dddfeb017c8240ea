"""The requests and httpx auths say what they decide on the ``wwwauth.integrations`` logger.

Issue 14: they logged nothing, and a 401 whose challenges none could be answered came
back in silence. Each decision is logged at debug; a 401 or 407 left unanswered though it
came with challenges is a warning naming every scheme offered and why it was refused.
No record holds a password, a credential or a nonce.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator, Sequence

import pytest

from wwwauth.integrations import httpx as ours_httpx
from wwwauth.integrations import requests as ours_requests
from wwwauth.integrations._client import (
    ClientAuth,
    OutgoingRequest,
    ResponseView,
)
from wwwauth.integrations._client_log import other_origin

from .authservers import (
    PASSWORD,
    USER,
    AuthServer,
    BasicLine,
    Client,
    HttpxClient,
    RawLine,
    RequestsClient,
    Route,
)

LOGGER = "wwwauth.integrations"
NONCE = "dcd98b7102dd2f0e8b11d0f600bfb0c093"
SECRETS = (PASSWORD, NONCE, base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode())


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """The ``wwwauth.integrations`` logger captured from debug up; no record holds a secret."""
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    yield caplog
    for record in caplog.get_records("call"):
        assert not any(secret in record.getMessage() for secret in SECRETS)


def _auth(*, allow_basic_over_http: bool = False) -> ClientAuth:
    return ClientAuth(
        USER,
        PASSWORD,
        prefer=("Digest", "Basic"),
        verify_rspauth=False,
        allow_basic_over_http=allow_basic_over_http,
    )


def _request(url: str) -> OutgoingRequest:
    return OutgoingRequest(method="GET", url=url, target="/a", proxy_target=url, body=b"")


def _response(status: int, field: str, lines: Sequence[str]) -> ResponseView:
    return ResponseView(status, lambda name: list(lines) if name == field else [], bytes)


def _exchange(
    auth: ClientAuth, *lines: str, url: str = "http://example.org/a", status: int = 401
) -> dict[str, str] | None:
    """What ``auth`` sends in answer to one 401 (or 407) with ``lines``; None: nothing."""
    flow = auth.exchange(_request(url))
    next(flow)
    field = "Proxy-Authenticate" if status == 407 else "WWW-Authenticate"
    try:
        return flow.send(_response(status, field, lines))
    except StopIteration:
        return None


def _warnings(logs: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage() for r in logs.records if r.levelno == logging.WARNING and r.name == LOGGER
    ]


def test_no_answerable_challenge_is_a_warning_with_each_reason(
    logs: pytest.LogCaptureFixture,
) -> None:
    # GIVEN Basic over plain http, a Digest with an algorithm nobody computes, Negotiate
    lines = (
        'Basic realm="r"',
        f'Digest realm="r", nonce="{NONCE}", algorithm=SHA-1',
        "Negotiate",
    )
    assert _exchange(_auth(), *lines) is None
    assert _warnings(logs) == [
        (
            "the 401 from http://example.org:80 is not answered: none of the WWW-Authenticate "
            "challenges offered can be: "
            "'Basic': Basic over http would send the password in clear "
            "(allow_basic_over_http=True allows it); "
            "'Digest': algorithm 'SHA-1' is not one this client answers "
            "(MD5, SHA-256, SHA-512-256); "
            "'Negotiate': this client answers Basic and Digest only"
        )
    ]


def test_digest_refusals_name_no_parameter_value(logs: pytest.LogCaptureFixture) -> None:
    lines = (
        f'Digest realm="r", nonce="{NONCE}", algorithm=MD5',
        f'Digest realm="r", nonce="{NONCE}{"x" * 2000}"',
        'Digest realm="r"',
    )
    auth = ClientAuth(
        USER, PASSWORD, prefer=("Digest",), verify_rspauth=False, min_digest_algorithm="SHA-256"
    )
    assert _exchange(auth, *lines, url="https://example.org/a") is None
    [warning] = _warnings(logs)
    assert warning == (
        "the 401 from https://example.org:443 is not answered: none of the WWW-Authenticate "
        "challenges offered can be: "
        "'Digest': its algorithm ranks below SHA-256, the weakest answered here "
        "(min_digest_algorithm, or a stronger Digest accepted before in this protection "
        "space); "
        "'Digest': its realm, nonce or opaque is longer than 1024 characters or holds a "
        "character that cannot be sent back in a field value; "
        "'Digest': not a valid Digest challenge (RFC 7616 §3.3: realm and nonce are required)"
    )


def test_a_scheme_left_out_of_prefer_is_named(logs: pytest.LogCaptureFixture) -> None:
    auth = ClientAuth(USER, PASSWORD, prefer=("Basic",), verify_rspauth=False)
    assert _exchange(auth, f'Digest realm="r", nonce="{NONCE}"') is None
    assert _warnings(logs)[0].endswith("'Digest': not in prefer=('Basic',)")


def test_a_401_without_challenges_is_a_warning(logs: pytest.LogCaptureFixture) -> None:
    assert _exchange(_auth()) is None
    assert _warnings(logs) == [
        (
            "the 401 from http://example.org:80 is not answered: it has no WWW-Authenticate "
            "challenge that can be read"
        )
    ]


def test_a_407_without_proxy_credentials_is_a_warning(logs: pytest.LogCaptureFixture) -> None:
    assert _exchange(_auth(), 'Basic realm="proxy"', status=407) is None
    assert _warnings(logs) == [
        (
            "the 407 from a proxy is not answered: no proxy_username and proxy_password were "
            "given (the origin's credentials never go to a proxy)"
        )
    ]


def test_a_proxy_refusal_names_the_proxy(logs: pytest.LogCaptureFixture) -> None:
    auth = ClientAuth(
        USER,
        PASSWORD,
        prefer=("Basic",),
        verify_rspauth=False,
        proxy_username="p",
        proxy_password="proxy-secret",
    )
    assert _exchange(auth, 'Basic realm="proxy"', status=407) is None
    [warning] = _warnings(logs)
    assert warning.startswith(
        "the 407 from the proxy for http://example.org:80 is not answered: none of the "
        "Proxy-Authenticate challenges offered can be: 'Basic': Basic to a proxy"
    )


def test_each_decision_is_logged_at_debug(logs: pytest.LogCaptureFixture) -> None:
    auth = _auth(allow_basic_over_http=True)
    flow = auth.exchange(_request("http://example.org/a"))
    next(flow)
    challenge = _response(401, "WWW-Authenticate", ["Newauth", 'Basic realm="r"'])
    assert "Authorization" in flow.send(challenge)
    with pytest.raises(StopIteration):
        flow.send(challenge)  # the credentials were refused
    debug = [r.getMessage() for r in logs.records if r.levelno == logging.DEBUG]
    assert debug == [
        (
            "the 401 from http://example.org:80 offers 'Newauth', 'Basic': its 'Basic' challenge "
            "is chosen"
        ),
        (
            "the 401 from http://example.org:80 offers 'Newauth', 'Basic': its 'Basic' challenge "
            "is chosen"
        ),
        (
            "the 401 from http://example.org:80 refused the 'Basic' credentials sent: not "
            "answered again"
        ),
    ]
    assert not _warnings(logs)


def test_a_remembered_space_is_logged_at_debug(logs: pytest.LogCaptureFixture) -> None:
    auth = _auth(allow_basic_over_http=True)
    assert _exchange(auth, 'Basic realm="r"') is not None
    logs.clear()
    flow = auth.exchange(_request("http://example.org/b"))
    assert "Authorization" in next(flow)
    assert [r.getMessage() for r in logs.records] == [
        "sending the Basic credentials remembered for http://example.org:80 at once"
    ]


def test_a_long_scheme_name_is_cut(logs: pytest.LogCaptureFixture) -> None:
    assert _exchange(_auth(), "X" * 500) is None
    [warning] = _warnings(logs)
    assert f"'{'X' * 40}'...: this client answers Basic and Digest only" in warning
    assert "X" * 41 not in warning


def test_nothing_above_debug_when_answered(logs: pytest.LogCaptureFixture) -> None:
    assert _exchange(_auth(), 'Basic realm="r"', url="https://example.org/a") is not None
    assert [r.levelno for r in logs.records] == [logging.DEBUG]


# ----------------------------------------------------------- through requests and httpx


@pytest.fixture
def server() -> Iterator[AuthServer]:
    """Basic (over plain http, so refused) and Negotiate, on separate field lines."""
    with AuthServer({"/a": Route((BasicLine(), RawLine("Negotiate")))}) as running:
        yield running


@pytest.mark.parametrize("library", ["requests", "httpx"])
def test_the_clients_warn_when_nothing_can_be_answered(
    library: str, server: AuthServer, logs: pytest.LogCaptureFixture
) -> None:
    client: Client = (
        RequestsClient(ours_requests.HTTPAuth(USER, PASSWORD))
        if library == "requests"
        else HttpxClient(ours_httpx.HTTPAuth(USER, PASSWORD))
    )
    try:
        assert client.request("GET", server.url + "/a").status == 401
    finally:
        client.close()
    [warning] = _warnings(logs)
    assert "is not answered: none of the WWW-Authenticate challenges offered can be" in warning
    assert "'Basic': Basic over http" in warning
    assert "'Negotiate': this client answers Basic and Digest only" in warning


def test_a_challenge_from_another_origin_is_logged_without_path_or_query(
    logs: pytest.LogCaptureFixture,
) -> None:
    # requests and httpx call this on a redirect hop to another origin
    other_origin(401, "http://u:pw@other.example/x?access_token=abc", ("https", "a.org", 443))
    other_origin(302, "http://other.example/x", ("https", "a.org", 443))  # not a challenge
    assert [r.getMessage() for r in logs.records] == [
        (
            "the 401 from http://other.example:80 is not answered: the credentials are for "
            "https://a.org:443 only"
        )
    ]
