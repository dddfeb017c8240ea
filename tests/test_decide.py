"""decide(): 401 vs 403 vs 407, table-driven, with the RFC section in each test id.

The "Which status?" table of the README is rendered from ``WHICH_STATUS`` by
:func:`which_status_table` and kept in ``docs/which-status.md``; regenerate it with
``python -m tests.test_decide > docs/which-status.md``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import FrozenInstanceError, dataclass
from http import HTTPStatus
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwwauth import Challenge, Credentials, basic, bearer, parse_www_authenticate, strategies
from wwwauth.decide import Decision, decide

ROOT = Path(__file__).resolve().parent.parent

BASIC = Challenge("Basic", {"realm": "api"})
BEARER = Challenge("Bearer", {"realm": "api", "scope": "orders:write"})
DIGEST = Challenge(
    "Digest",
    [
        ("realm", "api"),
        ("qop", "auth"),
        ("algorithm", "SHA-256"),
        ("nonce", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"),
        ("opaque", "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"),
    ],
)
NEGOTIATE = Challenge("Negotiate")
NTLM = Challenge("NTLM")
PROXY_BASIC = Challenge("Basic", {"realm": "proxy"})

GOOD_BASIC = "Basic " + base64.b64encode(b"alice:correct horse").decode()
WRONG_BASIC = "Basic " + base64.b64encode(b"alice:wrong").decode()
BEARER_TOKEN = "Bearer mF_9.B5f-4.1JqM"
DIGEST_CREDENTIALS = (
    'Digest username="alice", realm="api", uri="/orders", algorithm=SHA-256, '
    'nonce="b1dfb7d2", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", '
    'qop=auth, response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"'
)
CLIENT_TOKEN = "YIIBhwYGKwYBBQUCoIIBezCCAXegDTALBgkqhkiG9xIBAgKiggFkBIIBYGCCAVwGCSqGSIb3EgECAgEA"
SERVER_TOKEN = "oYG2MIGzoAMKAQGhCwYJKoZIgvcSAQICooGeBIGbYIGYBgkqhkiG9xIBAgICAG+BiDCBhaADAgEF"


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One row of the "Which status?" table and the decide() call it stands for."""

    situation: str
    status: HTTPStatus
    header: str  # the Markdown cell: the field and what its value carries, or "none"
    source: str  # the RFC section that says so
    field: str | None  # the challenge field decide() must send
    contains: str  # a fragment one of its values must hold ("" for none)
    call: Callable[[], Decision]


WHICH_STATUS: list[Row] = [
    Row(
        situation="No credentials were sent",
        status=HTTPStatus.UNAUTHORIZED,
        header="`WWW-Authenticate`, one field line per challenge",
        source="RFC 9110 §15.5.2",
        field="WWW-Authenticate",
        contains='Basic realm="api"',
        call=lambda: decide(challenges=[BASIC, BEARER], credentials=None, authenticated=False),
    ),
    Row(
        situation="Wrong password or unknown user",
        status=HTTPStatus.UNAUTHORIZED,
        header="`WWW-Authenticate` (never 403: the browser would not ask again)",
        source="RFC 9110 §15.5.2",
        field="WWW-Authenticate",
        contains='Basic realm="api"',
        call=lambda: decide(challenges=[BASIC], credentials=WRONG_BASIC, authenticated=False),
    ),
    Row(
        situation="Credentials in a scheme the server does not offer",
        status=HTTPStatus.UNAUTHORIZED,
        header="`WWW-Authenticate` with the schemes it does offer",
        source="RFC 9110 §15.5.2",
        field="WWW-Authenticate",
        contains='Basic realm="api"',
        call=lambda: decide(challenges=[BASIC], credentials="Token abc", authenticated=False),
    ),
    Row(
        situation="`Authorization` that does not parse",
        status=HTTPStatus.UNAUTHORIZED,
        header="`WWW-Authenticate`",
        source="RFC 9110 §15.5.2",
        field="WWW-Authenticate",
        contains='Basic realm="api"',
        call=lambda: decide(challenges=[BASIC], credentials="Basic a b", authenticated=False),
    ),
    Row(
        situation="Malformed Bearer credentials",
        status=HTTPStatus.BAD_REQUEST,
        header='`WWW-Authenticate: Bearer …, error="invalid_request"`',
        source="RFC 6750 §3.1",
        field="WWW-Authenticate",
        contains='error="invalid_request"',
        call=lambda: decide(
            challenges=[BASIC, BEARER], credentials="Bearer a b", authenticated=False
        ),
    ),
    Row(
        situation="Bearer token expired, revoked or unknown",
        status=HTTPStatus.UNAUTHORIZED,
        header='`WWW-Authenticate: Bearer …, error="invalid_token"`',
        source="RFC 6750 §3.1",
        field="WWW-Authenticate",
        contains='error="invalid_token"',
        call=lambda: decide(challenges=[BEARER], credentials=BEARER_TOKEN, authenticated=False),
    ),
    Row(
        situation="Bearer token valid, scope too narrow",
        status=HTTPStatus.FORBIDDEN,
        header='`WWW-Authenticate: Bearer …, error="insufficient_scope"`',
        source="RFC 6750 §3.1",
        field="WWW-Authenticate",
        contains='error="insufficient_scope"',
        call=lambda: decide(
            challenges=[BEARER], credentials=BEARER_TOKEN, authenticated=True, authorized=False
        ),
    ),
    Row(
        situation="Authenticated, but not allowed to do this",
        status=HTTPStatus.FORBIDDEN,
        header="none",
        source="RFC 9110 §15.5.4",
        field=None,
        contains="",
        call=lambda: decide(
            challenges=[BASIC], credentials=GOOD_BASIC, authenticated=True, authorized=False
        ),
    ),
    Row(
        situation="Authenticated and allowed",
        status=HTTPStatus.OK,
        header="none",
        source="RFC 9110 §11.6.2",
        field=None,
        contains="",
        call=lambda: decide(challenges=[BASIC], credentials=GOOD_BASIC, authenticated=True),
    ),
    Row(
        situation="Digest response right, but its nonce expired",
        status=HTTPStatus.UNAUTHORIZED,
        header="`WWW-Authenticate: Digest …, stale=true` (fresh nonce; no new password prompt)",
        source="RFC 7616 §3.3",
        field="WWW-Authenticate",
        contains="stale=true",
        call=lambda: decide(
            challenges=[DIGEST], credentials=DIGEST_CREDENTIALS, authenticated=False, stale=True
        ),
    ),
    Row(
        situation="Negotiate or NTLM handshake needs another leg",
        status=HTTPStatus.UNAUTHORIZED,
        header="`WWW-Authenticate: Negotiate <server token>`",
        source="RFC 4559 §5",
        field="WWW-Authenticate",
        contains=f"Negotiate {SERVER_TOKEN}",
        call=lambda: decide(
            challenges=[NEGOTIATE, BASIC],
            credentials=f"Negotiate {CLIENT_TOKEN}",
            authenticated=False,
            continuation=SERVER_TOKEN,
        ),
    ),
    Row(
        situation="Negotiate handshake done, with a final server token",
        status=HTTPStatus.OK,
        header="`WWW-Authenticate: Negotiate <server token>`",
        source="RFC 4559 §5",
        field="WWW-Authenticate",
        contains=f"Negotiate {SERVER_TOKEN}",
        call=lambda: decide(
            challenges=[NEGOTIATE],
            credentials=f"Negotiate {CLIENT_TOKEN}",
            authenticated=True,
            continuation=SERVER_TOKEN,
        ),
    ),
    Row(
        situation="Forward proxy: no or wrong `Proxy-Authorization`",
        status=HTTPStatus.PROXY_AUTHENTICATION_REQUIRED,
        header="`Proxy-Authenticate`, one field line per challenge (never `WWW-Authenticate`)",
        source="RFC 9110 §15.5.8",
        field="Proxy-Authenticate",
        contains='Basic realm="proxy"',
        call=lambda: decide(
            challenges=[PROXY_BASIC], credentials=None, authenticated=False, proxy=True
        ),
    ),
    Row(
        situation="Forward proxy: authenticated, but not allowed",
        status=HTTPStatus.FORBIDDEN,
        header="none",
        source="RFC 9110 §15.5.4",
        field=None,
        contains="",
        call=lambda: decide(
            challenges=[PROXY_BASIC],
            credentials=GOOD_BASIC,
            authenticated=True,
            authorized=False,
            proxy=True,
        ),
    ),
    Row(
        situation="Reverse proxy or gateway that authenticates for the origin",
        status=HTTPStatus.UNAUTHORIZED,
        header="`WWW-Authenticate` (it acts as the origin: `proxy=False`, not 407)",
        source="RFC 9110 §3.7, §15.5.2",
        field="WWW-Authenticate",
        contains='Basic realm="api"',
        call=lambda: decide(challenges=[BASIC], credentials=None, authenticated=False),
    ),
]


def which_status_table() -> str:
    """The README's "Which status?" table in Markdown, rendered from ``WHICH_STATUS``."""
    lines = [
        "| Situation | Status | Challenge header | Source |",
        "|---|---|---|---|",
    ]
    for row in WHICH_STATUS:
        status = f"{row.status.value} {row.status.phrase}"
        lines.append(f"| {row.situation} | {status} | {row.header} | {row.source} |")
    return "\n".join(lines) + "\n"


def _row_id(row: Row) -> str:
    return f"{row.source}: {row.situation}"


@pytest.mark.parametrize("row", WHICH_STATUS, ids=_row_id)
def test_which_status_row(row: Row) -> None:
    decision = row.call()
    assert decision.status == row.status
    names = {name for name, _ in decision.headers}
    if row.field is None:
        assert decision.headers == ()
        assert row.header == "none"
    else:
        assert names == {row.field}
        assert f"`{row.field}" in row.header
        assert any(row.contains in value for _, value in decision.headers), decision.headers


@pytest.mark.parametrize("row", WHICH_STATUS, ids=_row_id)
def test_which_status_row_is_one_plain_sentence(row: Row) -> None:
    reason = row.call().reason
    assert reason.endswith(".")
    assert "\n" not in reason and ". " not in reason, reason
    assert reason[0].isupper()


def test_which_status_file_is_the_rendered_table() -> None:
    assert (ROOT / "docs" / "which-status.md").read_text(encoding="utf-8") == which_status_table()


def test_readme_which_status_section_is_the_rendered_table() -> None:
    # GIVEN the README's "Which status?" section, THEN its table is the rendered one.
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^#+ Which status\?\n", text, re.MULTILINE)
    assert match is not None, "README.md has no 'Which status?' section"
    section = text[match.end() :].split("\n## ", 1)[0]
    assert which_status_table() in section


def test_table_has_no_two_rows_for_one_situation() -> None:
    situations = [row.situation for row in WHICH_STATUS]
    assert len(set(situations)) == len(situations)


# One field line per challenge, in order; Bearer error codes.


@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    id: str
    call: Callable[[], Decision]
    status: int
    headers: tuple[tuple[str, str], ...]


CASES = [
    Case(
        id="RFC 9110 §15.5.2: one field line per challenge, in the order given",
        call=lambda: decide(
            challenges=[DIGEST, BEARER, BASIC], credentials=None, authenticated=False
        ),
        status=401,
        headers=(
            ("WWW-Authenticate", str(DIGEST)),
            ("WWW-Authenticate", 'Bearer realm="api", scope="orders:write"'),
            ("WWW-Authenticate", 'Basic realm="api"'),
        ),
    ),
    Case(
        id="RFC 6750 §3.1: no error code without credentials, even if the challenge had one",
        call=lambda: decide(
            challenges=[
                Challenge(
                    "bearer", [("realm", "api"), ("Error", "invalid_token"), ("error_uri", "x")]
                )
            ],
            credentials=None,
            authenticated=False,
        ),
        status=401,
        headers=(("WWW-Authenticate", 'bearer realm="api"'),),
    ),
    Case(
        id="RFC 6750 §3.1: an unsupported scheme is no Bearer attempt, so no error code",
        call=lambda: decide(challenges=[BEARER], credentials=GOOD_BASIC, authenticated=False),
        status=401,
        headers=(("WWW-Authenticate", 'Bearer realm="api", scope="orders:write"'),),
    ),
    Case(
        id="RFC 6750 §3.1: invalid_token replaces the error attributes given",
        call=lambda: decide(
            challenges=[
                Challenge("Bearer", [("error", "insufficient_scope"), ("error_description", "x")])
            ],
            credentials="bearer abc",
            authenticated=False,
        ),
        status=401,
        headers=(("WWW-Authenticate", 'Bearer error="invalid_token"'),),
    ),
    Case(
        id="RFC 6750 §2.1: Bearer with auth-params instead of a b64token is invalid_request",
        call=lambda: decide(
            challenges=[BEARER], credentials="Bearer token=abc", authenticated=False
        ),
        status=400,
        headers=(
            (
                "WWW-Authenticate",
                'Bearer realm="api", scope="orders:write", error="invalid_request"',
            ),
        ),
    ),
    Case(
        id="RFC 6750 §2.1: Bearer without a token is invalid_request",
        call=lambda: decide(challenges=[BEARER], credentials="Bearer", authenticated=False),
        status=400,
        headers=(
            (
                "WWW-Authenticate",
                'Bearer realm="api", scope="orders:write", error="invalid_request"',
            ),
        ),
    ),
    Case(
        id="RFC 6750 §3.1: malformed Bearer without Bearer offered is a plain 401",
        call=lambda: decide(challenges=[BASIC], credentials="Bearer a b", authenticated=False),
        status=401,
        headers=(("WWW-Authenticate", 'Basic realm="api"'),),
    ),
    Case(
        id="RFC 6750 §3.1: insufficient_scope goes on the Bearer challenges only, scope kept",
        call=lambda: decide(
            challenges=[BASIC, BEARER],
            credentials=BEARER_TOKEN,
            authenticated=True,
            authorized=False,
        ),
        status=403,
        headers=(
            (
                "WWW-Authenticate",
                'Bearer realm="api", scope="orders:write", error="insufficient_scope"',
            ),
        ),
    ),
    Case(
        id="RFC 9110 §15.5.4: 403 for Basic credentials needs no challenge, Bearer offered or not",
        call=lambda: decide(
            challenges=[BASIC, BEARER],
            credentials=GOOD_BASIC,
            authenticated=True,
            authorized=False,
        ),
        status=403,
        headers=(),
    ),
    Case(
        id="RFC 9110 §15.5.4: authenticated by a session (no credentials) and not allowed",
        call=lambda: decide(
            challenges=[BEARER], credentials=None, authenticated=True, authorized=False
        ),
        status=403,
        headers=(),
    ),
    Case(
        id="RFC 9110 §15.5.2: authenticated=True wins over an unparseable value",
        call=lambda: decide(challenges=[BASIC], credentials="Basic a b", authenticated=True),
        status=200,
        headers=(),
    ),
    Case(
        id="RFC 9110 §15.5.2: authenticated=True wins over a scheme not offered",
        call=lambda: decide(challenges=[BEARER], credentials="Token abc", authenticated=True),
        status=200,
        headers=(),
    ),
    Case(
        id="RFC 9110 §15.5.2: authorized is ignored when not authenticated",
        call=lambda: decide(
            challenges=[BASIC], credentials=WRONG_BASIC, authenticated=False, authorized=False
        ),
        status=401,
        headers=(("WWW-Authenticate", 'Basic realm="api"'),),
    ),
    Case(
        id="RFC 9110 §11.1: the scheme of the credentials matches ignoring case",
        call=lambda: decide(challenges=[BEARER], credentials="BEARER abc", authenticated=False),
        status=401,
        headers=(
            ("WWW-Authenticate", 'Bearer realm="api", scope="orders:write", error="invalid_token"'),
        ),
    ),
    Case(
        id="RFC 9110 §15.5.2: credentials as bytes",
        call=lambda: decide(challenges=[BEARER], credentials=b"Bearer a b", authenticated=False),
        status=400,
        headers=(
            (
                "WWW-Authenticate",
                'Bearer realm="api", scope="orders:write", error="invalid_request"',
            ),
        ),
    ),
    Case(
        id="RFC 9110 §15.5.2: credentials as a Credentials value",
        call=lambda: decide(
            challenges=[BASIC, BEARER],
            credentials=Credentials("Bearer", token68="abc"),
            authenticated=False,
        ),
        status=401,
        headers=(
            ("WWW-Authenticate", 'Basic realm="api"'),
            ("WWW-Authenticate", 'Bearer realm="api", scope="orders:write", error="invalid_token"'),
        ),
    ),
    Case(
        id="RFC 9110 §15.5.8: a proxy answers 407 with Proxy-Authenticate, in order",
        call=lambda: decide(
            challenges=[PROXY_BASIC, NEGOTIATE],
            credentials="Basic a b",
            authenticated=False,
            proxy=True,
        ),
        status=407,
        headers=(
            ("Proxy-Authenticate", 'Basic realm="proxy"'),
            ("Proxy-Authenticate", "Negotiate"),
        ),
    ),
    Case(
        id="RFC 6750 §3.1: a proxy gets no Bearer error codes (RFC 6750 is for resource servers)",
        call=lambda: decide(
            challenges=[BEARER], credentials="Bearer a b", authenticated=False, proxy=True
        ),
        status=407,
        headers=(("Proxy-Authenticate", 'Bearer realm="api", scope="orders:write"'),),
    ),
    Case(
        id="RFC 9110 §11.7.2: a proxy reads Proxy-Authorization, same grammar",
        call=lambda: decide(
            challenges=[PROXY_BASIC], credentials=GOOD_BASIC, authenticated=True, proxy=True
        ),
        status=200,
        headers=(),
    ),
    Case(
        id="RFC 7616 §3.3: stale=true replaces a stale param, other challenges unchanged",
        call=lambda: decide(
            challenges=[
                Challenge("Digest", [("realm", "a"), ("stale", "FALSE"), ("nonce", "n")]),
                BASIC,
            ],
            credentials=DIGEST_CREDENTIALS,
            authenticated=False,
            stale=True,
        ),
        status=401,
        headers=(
            ("WWW-Authenticate", 'Digest realm="a", nonce="n", stale=true'),
            ("WWW-Authenticate", 'Basic realm="api"'),
        ),
    ),
    Case(
        id="RFC 7616 §3.3: stale as a proxy is a 407",
        call=lambda: decide(
            challenges=[DIGEST],
            credentials=DIGEST_CREDENTIALS,
            authenticated=False,
            stale=True,
            proxy=True,
        ),
        status=407,
        headers=(("Proxy-Authenticate", str(DIGEST) + ", stale=true"),),
    ),
    Case(
        id="RFC 4559 §5: NTLM continues in its own scheme, as the client wrote it offered",
        call=lambda: decide(
            challenges=[NEGOTIATE, NTLM],
            credentials="ntlm TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw==",
            authenticated=False,
            continuation="TlRMTVNTUAACAAAADAAMADgAAAAFgomi",
        ),
        status=401,
        headers=(("WWW-Authenticate", "NTLM TlRMTVNTUAACAAAADAAMADgAAAAFgomi"),),
    ),
    Case(
        id="RFC 4559 §5: a proxy continues a handshake with 407",
        call=lambda: decide(
            challenges=[NEGOTIATE],
            credentials=f"Negotiate {CLIENT_TOKEN}",
            authenticated=False,
            proxy=True,
            continuation=SERVER_TOKEN,
        ),
        status=407,
        headers=(("Proxy-Authenticate", f"Negotiate {SERVER_TOKEN}"),),
    ),
    Case(
        id="RFC 4559 §5: the final token goes on a 403 too",
        call=lambda: decide(
            challenges=[NEGOTIATE],
            credentials=f"Negotiate {CLIENT_TOKEN}",
            authenticated=True,
            authorized=False,
            continuation=SERVER_TOKEN,
        ),
        status=403,
        headers=(("WWW-Authenticate", f"Negotiate {SERVER_TOKEN}"),),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_decide(case: Case) -> None:
    decision = case.call()
    assert decision.status == case.status
    assert decision.headers == case.headers


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_every_header_line_holds_one_challenge(case: Case) -> None:
    for _, value in case.call().headers:
        assert len(parse_www_authenticate(value)) == 1


# Misuse is refused at once.

MISUSE: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    (
        "RFC 9110 §15.5.2: no challenges",
        lambda: decide(challenges=[], credentials=None, authenticated=False),
        ValueError,
        "challenges must not be empty",
    ),
    (
        "RFC 9110 §11.6.1: a challenge that is not a Challenge",
        lambda: decide(challenges=['Basic realm="x"'], credentials=None, authenticated=False),  # type: ignore[list-item]  # wrong on purpose
        TypeError,
        "expected a Challenge, not str",
    ),
    (
        "RFC 9110 §11.6.2: credentials of the wrong type",
        lambda: decide(challenges=[BASIC], credentials=42, authenticated=False),  # type: ignore[arg-type]  # wrong on purpose
        TypeError,
        "credentials must be str, bytes, Credentials or None, not int",
    ),
    (
        "RFC 6750 §3: a Bearer challenge with a token68",
        lambda: decide(
            challenges=[Challenge("Bearer", token68="abc")], credentials=None, authenticated=False
        ),
        ValueError,
        "a Bearer challenge carries auth-params",
    ),
    (
        "RFC 7616 §3.3: stale without a Digest challenge",
        lambda: decide(
            challenges=[BASIC], credentials=DIGEST_CREDENTIALS, authenticated=False, stale=True
        ),
        ValueError,
        "stale=True needs Digest credentials and a Digest challenge",
    ),
    (
        "RFC 7616 §3.3: stale without Digest credentials",
        lambda: decide(challenges=[DIGEST], credentials=None, authenticated=False, stale=True),
        ValueError,
        "stale=True needs Digest credentials and a Digest challenge",
    ),
    (
        "RFC 7616 §3.3: stale with authenticated credentials",
        lambda: decide(
            challenges=[DIGEST], credentials=DIGEST_CREDENTIALS, authenticated=True, stale=True
        ),
        ValueError,
        "stale=True means the credentials were not accepted",
    ),
    (
        "RFC 7616 §3.3: stale and continuation together",
        lambda: decide(
            challenges=[DIGEST],
            credentials=DIGEST_CREDENTIALS,
            authenticated=False,
            stale=True,
            continuation="abc",
        ),
        ValueError,
        "stale and continuation exclude each other",
    ),
    (
        "RFC 4559 §5: continuation without credentials",
        lambda: decide(
            challenges=[NEGOTIATE], credentials=None, authenticated=False, continuation="abc"
        ),
        ValueError,
        "continuation needs the credentials of the leg it answers",
    ),
    (
        "RFC 4559 §5: continuation in a scheme not offered",
        lambda: decide(
            challenges=[BASIC],
            credentials=f"Negotiate {CLIENT_TOKEN}",
            authenticated=False,
            continuation="abc",
        ),
        ValueError,
        "continuation needs the credentials of the leg it answers",
    ),
    (
        "RFC 4559 §5: a continuation that is not a token68",
        lambda: decide(
            challenges=[NEGOTIATE],
            credentials=f"Negotiate {CLIENT_TOKEN}",
            authenticated=False,
            continuation="not a token68",
        ),
        ValueError,
        "token68 is not a token68",
    ),
    (
        "RFC 9110 §11.7.1: a proxy's final token",
        lambda: decide(
            challenges=[NEGOTIATE],
            credentials=f"Negotiate {CLIENT_TOKEN}",
            authenticated=True,
            proxy=True,
            continuation="abc",
        ),
        ValueError,
        "a proxy cannot send a final token",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "message"), [m[1:] for m in MISUSE], ids=[m[0] for m in MISUSE]
)
def test_misuse_is_refused(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        call()


# Decision and reason.


def test_decision_is_frozen_with_slots() -> None:
    decision = decide(challenges=[BASIC], credentials=None, authenticated=False)
    with pytest.raises(FrozenInstanceError):
        decision.status = HTTPStatus.OK  # type: ignore[misc]  # the point of the test
    assert not hasattr(decision, "__dict__")
    assert decision == Decision(decision.status, decision.headers, decision.reason)
    assert isinstance(decision.status, HTTPStatus)


# (credentials, the secrets in them)
SECRET_CREDENTIALS: list[tuple[str, list[str]]] = [
    (GOOD_BASIC, [GOOD_BASIC[6:]]),
    (WRONG_BASIC, [WRONG_BASIC[6:]]),
    (BEARER_TOKEN, ["mF_9.B5f-4.1JqM"]),
    ("Bearer a b", ["a b"]),
    ("Bearer token=mF_9.B5f-4.1JqM", ["mF_9.B5f-4.1JqM"]),
    ("QWxhZGRpbjpvcGVuIHNlc2FtZQ==", ["QWxhZGRpbjpvcGVuIHNlc2FtZQ"]),  # no scheme
    ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0", ["eyJhbGciOiJIUzI1NiJ9"]),  # JWT, no "Bearer "
    (DIGEST_CREDENTIALS, ["alice", "/orders", "b1dfb7d2", "f2/wE4q74E6zIJEt", "753927fa0e85d155"]),
]


@pytest.mark.parametrize(("credentials", "secrets"), SECRET_CREDENTIALS)
@pytest.mark.parametrize("authenticated", [False, True], ids=["unverified", "verified"])
@pytest.mark.parametrize("proxy", [False, True], ids=["origin", "proxy"])
def test_reason_and_headers_never_show_credentials(
    credentials: str, secrets: list[str], authenticated: bool, proxy: bool
) -> None:
    decision = decide(
        challenges=[BASIC, BEARER, DIGEST],
        credentials=credentials,
        authenticated=authenticated,
        authorized=False,
        proxy=proxy,
    )
    for secret in secrets:
        assert secret not in decision.reason
        assert all(secret not in value for _, value in decision.headers)


# Property: whatever challenges are given, a 401 re-parses to them, one per line.


@given(st.lists(strategies.challenges(), min_size=1, max_size=4))
def test_unauthenticated_lists_every_challenge_one_per_line(challenges: list[Challenge]) -> None:
    usable = [c for c in challenges if not (c.scheme.lower() == "bearer" and c.token68 is not None)]
    if not usable:
        return
    decision = decide(challenges=usable, credentials=None, authenticated=False)
    assert decision.status == HTTPStatus.UNAUTHORIZED
    assert [name for name, _ in decision.headers] == ["WWW-Authenticate"] * len(usable)
    reread = [parse_www_authenticate(value) for _, value in decision.headers]
    for [challenge], given_challenge in zip(reread, usable):
        assert challenge.scheme == given_challenge.scheme
        if challenge.scheme.lower() != "bearer":
            assert challenge == given_challenge


if __name__ == "__main__":
    print(which_status_table(), end="")


def test_error_description_goes_with_the_bearer_error() -> None:
    offered = [bearer.challenge(realm="api"), basic.challenge("api")]
    expired = decide(
        challenges=offered,
        credentials="Bearer abc",
        authenticated=False,
        error_description="token expired",
    )
    assert expired.headers == (
        (
            "WWW-Authenticate",
            'Bearer realm="api", error="invalid_token", error_description="token expired"',
        ),
        ("WWW-Authenticate", 'Basic realm="api"'),
    )
    forbidden = decide(
        challenges=offered,
        credentials="Bearer abc",
        authenticated=True,
        authorized=False,
        error_description="needs the admin scope",
    )
    assert 'error_description="needs the admin scope"' in forbidden.headers[0][1]
    # No error code, no description (RFC 6750 §3.1: no error without credentials).
    missing = decide(
        challenges=offered, credentials=None, authenticated=False, error_description="x"
    )
    assert "error_description" not in missing.headers[0][1]
    # The remembered answers are not changed by a description.
    plain = decide(challenges=offered, credentials="Bearer abc", authenticated=False)
    assert "error_description" not in plain.headers[0][1]


@pytest.mark.parametrize("description", ['say "no"', "back\\slash", "tab\there", "é"])
def test_error_description_outside_rfc_6750_is_refused(description: str) -> None:
    with pytest.raises(ValueError, match="RFC 6750"):
        decide(
            challenges=[bearer.challenge(realm="api")],
            credentials="Bearer abc",
            authenticated=False,
            error_description=description,
        )
