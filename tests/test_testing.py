"""wwwauth.testing: response_problems finds each mistake and passes right responses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import FrozenInstanceError

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwwauth import parse_www_authenticate, strategies
from wwwauth.testing import (
    HeadersInput,
    Problem,
    assert_auth_response,
    check_response,
    response_problems,
)

from .test_decide import CASES, WHICH_STATUS, Case, Row

WWW = "WWW-Authenticate"
PROXY = "Proxy-Authenticate"

# (id, status, headers, the problem codes expected, in order)
MISTAKES: list[tuple[str, int, HeadersInput, list[str]]] = [
    (
        "RFC 9110 §15.5.2: 401 without WWW-Authenticate",
        401,
        {"Content-Type": "text/plain"},
        ["missing-challenge-field"],
    ),
    ("RFC 9110 §15.5.8: 407 without Proxy-Authenticate", 407, [], ["missing-challenge-field"]),
    (
        "RFC 9110 §11.7.1: 407 with WWW-Authenticate instead of Proxy-Authenticate",
        407,
        {WWW: 'Basic realm="proxy"'},
        ["missing-challenge-field", "wrong-status"],
    ),
    (
        "RFC 9110 §11.7.1: 401 with Proxy-Authenticate instead of WWW-Authenticate",
        401,
        {PROXY: 'Basic realm="x"'},
        ["missing-challenge-field", "wrong-status"],
    ),
    (
        "RFC 9110 §11.7.1: Proxy-Authenticate on a 200",
        200,
        {PROXY: 'Basic realm="x"'},
        ["wrong-status"],
    ),
    (
        "RFC 9110 §15.5.2: a 401 whose WWW-Authenticate holds no challenge",
        401,
        {WWW: " , ,"},
        ["no-challenge"],
    ),
    (
        "RFC 9110 §15.5.8: a 407 whose Proxy-Authenticate is empty",
        407,
        {PROXY: ""},
        ["no-challenge"],
    ),
    (
        "RFC 9110 §11.6.1: a value that does not parse strictly",
        401,
        {WWW: 'Basic realm="x"; charset=UTF-8'},
        ["not-strict"],
    ),
    (
        "RFC 9110 §11.7.1: a Proxy-Authenticate value that does not parse strictly",
        407,
        {PROXY: 'Basic realm="x" charset=UTF-8'},
        ["not-strict"],
    ),
    ("RFC 9110 §11.5: realm not quoted", 401, {WWW: "Basic realm=simple"}, ["realm-not-quoted"]),
    (
        "RFC 9110 §11.5: realm not quoted, BWS and any case",
        401,
        {WWW: "Basic REALM = simple"},
        ["realm-not-quoted"],
    ),
    (
        "RFC 9110 §11.5: realm not quoted in Proxy-Authenticate",
        407,
        {PROXY: "Basic realm=p"},
        ["realm-not-quoted"],
    ),
    (
        "RFC 6750 §3.1: invalid_request on a 401",
        401,
        {WWW: 'Bearer realm="x", error="invalid_request"'},
        ["bearer-error-status"],
    ),
    (
        "RFC 6750 §3.1: invalid_token on a 403",
        403,
        {WWW: 'Bearer error="invalid_token"'},
        ["bearer-error-status"],
    ),
    (
        "RFC 6750 §3.1: invalid_token on a 400",
        400,
        {WWW: 'Bearer error="invalid_token"'},
        ["bearer-error-status"],
    ),
    (
        "RFC 6750 §3.1: insufficient_scope on a 401",
        401,
        {WWW: 'Bearer error="insufficient_scope"'},
        ["bearer-error-status"],
    ),
    (
        "RFC 6750 §3.1: an error code on a 200",
        200,
        {WWW: "Bearer error=invalid_token"},
        ["bearer-error-status"],
    ),
    (
        "RFC 9110 §11.6.1: several challenges on one field line (a warning)",
        401,
        {WWW: 'Basic realm="x", Bearer'},
        ["several-challenges-per-line"],
    ),
    (
        "RFC 9110 §11.6.3: Authentication-Info that does not parse",
        200,
        {"Authentication-Info": 'nextnonce="abc" qop=auth'},
        ["not-strict"],
    ),
    (
        "RFC 9110 §11.7.3: Proxy-Authentication-Info that does not parse",
        200,
        {"Proxy-Authentication-Info": "qop=auth, qop=auth"},
        ["not-strict"],
    ),
    ("RFC 7617 §2: a Basic challenge without realm", 401, {WWW: "Basic"}, ["missing-param"]),
    (
        "RFC 7616 §3.3: a Digest challenge without nonce",
        401,
        {WWW: 'Digest realm="x"'},
        ["missing-param"],
    ),
    (
        "RFC 7616 §3.3: a Digest challenge without realm and nonce",
        401,
        {WWW: "Digest qop=auth"},
        ["missing-param", "missing-param"],
    ),
    (
        "RFC 9110 §11.5: realm unquoted on one line of two, and Bearer on the wrong status",
        403,
        [(WWW, 'Bearer error="insufficient_scope"'), ("www-authenticate", "Basic realm=x")],
        ["realm-not-quoted"],
    ),
    (
        "RFC 9110 §15.5.2, §11.5, §11.6.1: every mistake at once",
        401,
        [(WWW, "Basic realm=x, Bearer error=insufficient_scope"), (PROXY, 'Basic realm="p"')],
        ["wrong-status", "several-challenges-per-line", "realm-not-quoted", "bearer-error-status"],
    ),
]


@pytest.mark.parametrize(
    ("status", "headers", "codes"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES]
)
def test_finds_the_mistake(status: int, headers: HeadersInput, codes: list[str]) -> None:
    problems = check_response(status, headers)
    assert [p.code for p in problems] == codes
    assert len(response_problems(status, headers)) == len(codes)
    with pytest.raises(AssertionError):
        assert_auth_response(status, headers)


CORRECT: list[tuple[str, int, HeadersInput]] = [
    ("RFC 9110 §15.5.2: 401 with one challenge", 401, {WWW: 'Basic realm="simple"'}),
    (
        "RFC 9110 §15.5.2: 401 with a challenge per line",
        401,
        [(WWW, 'Basic realm="x"'), (WWW, "Negotiate"), (WWW, 'Bearer realm="x"')],
    ),
    ("RFC 9110 §15.5.8: 407 with Proxy-Authenticate", 407, {PROXY: 'Basic realm="proxy"'}),
    (
        "RFC 9110 §11.6.1: WWW-Authenticate on a 200 (RFC 4559 §5 final token)",
        200,
        {WWW: "Negotiate oYG2MIGzoAMKAQGhCwYJKoZIgvcSAQICooGe"},
    ),
    (
        "RFC 6750 §3.1: 403 with a Bearer challenge lacking insufficient_scope",
        403,
        {WWW: 'Bearer realm="x"'},
    ),
    (
        "RFC 6750 §3.1: 403 with insufficient_scope",
        403,
        {WWW: 'Bearer realm="x", error="insufficient_scope", scope="a b"'},
    ),
    ("RFC 6750 §3.1: 400 with invalid_request", 400, {WWW: 'Bearer error="invalid_request"'}),
    (
        "RFC 6750 §3.1: 401 with invalid_token",
        401,
        {
            WWW: 'Bearer realm="example", error="invalid_token", error_description="The access token expired"'
        },
    ),
    (
        "RFC 6750 §3.1: an error code RFC 6750 does not define is not checked",
        418,
        {WWW: 'Bearer error="invalid_dpop_proof"'},
    ),
    (
        "RFC 9110 §11.5: realm=x inside a quoted-string is not a realm",
        401,
        {WWW: 'Newauth realm="apps", title="Login to \\"apps\\" realm=x"'},
    ),
    ("RFC 9110 §11.5: a token68 is not a realm", 401, {WWW: "Newauth realm="}),
    (
        "RFC 7616 §3.3: a Digest challenge",
        401,
        {
            WWW: 'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, '
            'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", '
            'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"'
        },
    ),
    (
        "RFC 9110 §11.6.3: Authentication-Info on a 200",
        200,
        {
            "Authentication-Info": 'nextnonce="abc", qop=auth, rspauth="1234", cnonce="x", nc=00000001'
        },
    ),
    ("RFC 9110 §11.7.3: Proxy-Authentication-Info", 200, {"Proxy-Authentication-Info": ""}),
    ("RFC 9110 §15.3.1: a 200 without any authentication field", 200, {"Content-Length": "0"}),
    ("RFC 9110 §15.5.4: a 403 without a challenge", 403, []),
    ("RFC 9110 §5.1: field names ignore case", 401, [("wWw-AuThEnTiCaTe", 'Basic realm="x"')]),
    (
        "RFC 9110 §5.5: names and values as bytes (an ASGI header list)",
        401,
        [(b"www-authenticate", b'Basic realm="caf\xe9"')],
    ),
]


@pytest.mark.parametrize(
    ("status", "headers"), [c[1:] for c in CORRECT], ids=[c[0] for c in CORRECT]
)
def test_passes_a_correct_response(status: int, headers: HeadersInput) -> None:
    assert response_problems(status, headers) == []
    assert_auth_response(status, headers)


@pytest.mark.parametrize("row", WHICH_STATUS, ids=lambda row: f"{row.source}: {row.situation}")
def test_passes_every_which_status_decision(row: Row) -> None:
    decision = row.call()
    assert response_problems(decision.status, decision.headers) == []


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_passes_every_decision(case: Case) -> None:
    decision = case.call()
    assert_auth_response(decision.status, decision.headers)


# Messages, exactly.


def test_messages_in_full() -> None:
    problems = response_problems(407, [(WWW, "Basic realm=x, Bearer"), (WWW, 'Basic realm="x" x')])
    assert problems == [
        (
            "error: 407 response without Proxy-Authenticate: a 407 MUST carry at least one "
            "challenge (RFC 9110 §15.5.8)"
        ),
        (
            "error: WWW-Authenticate on a 407 response: a proxy challenges with "
            "Proxy-Authenticate (RFC 9110 §11.7.1)"
        ),
        (
            "warning: WWW-Authenticate (field line 1) holds 2 challenges on one field line: "
            "browsers mis-read them; send one challenge per field line"
        ),
        (
            "error: WWW-Authenticate (field line 1): the realm of the Basic challenge is not a "
            "quoted-string (RFC 9110 §11.5: realm MUST be sent quoted)"
        ),
        (
            "error: WWW-Authenticate (field line 2) does not parse strictly: Expected ',' after "
            "auth-param (missing comma?)\n"
            '        Basic realm="x" x\n'
            "                        ^"
        ),
    ]


def test_assert_message_lists_every_problem() -> None:
    with pytest.raises(AssertionError) as raised:
        assert_auth_response(401, [(PROXY, "Basic realm=p")])
    assert str(raised.value) == (
        "3 problems with the 401 response:\n"
        "  Proxy-Authenticate: Basic realm=p\n"
        "- error: 401 response without WWW-Authenticate: a 401 MUST carry at least one "
        "challenge (RFC 9110 §15.5.2)\n"
        "- error: Proxy-Authenticate on a 401 response: it belongs on a 407 (RFC 9110 "
        "§11.7.1); a 401 needs WWW-Authenticate\n"
        "- error: Proxy-Authenticate: the realm of the Basic challenge is not a quoted-string "
        "(RFC 9110 §11.5: realm MUST be sent quoted)"
    )


def test_assert_detail_lines_are_indented_under_their_problem() -> None:
    with pytest.raises(AssertionError) as raised:
        assert_auth_response(401, {WWW: 'Basic realm="x'})
    assert str(raised.value) == (
        "1 problem with the 401 response:\n"
        '  WWW-Authenticate: Basic realm="x\n'
        "- error: WWW-Authenticate does not parse strictly: Unterminated quoted-string\n"
        '          Basic realm="x\n'
        "                ~~~~~~~~^"
    )


def test_warnings_can_be_let_through() -> None:
    headers = {WWW: 'Basic realm="x", Bearer'}
    with pytest.raises(AssertionError, match="several|one field line"):
        assert_auth_response(401, headers)
    assert_auth_response(401, headers, warnings=False)
    with pytest.raises(AssertionError, match="realm"):
        assert_auth_response(401, {WWW: "Basic realm=x, Bearer"}, warnings=False)


def test_not_even_lenient_is_said() -> None:
    [problem] = response_problems(401, {WWW: 'Basic realm="a\x01"'})
    assert problem.startswith("error: WWW-Authenticate does not parse strictly: ")
    assert "(nor leniently)" in problem.splitlines()[0]
    assert "\\x01" in problem  # the control character is escaped in the echo


def test_lenient_mode_reports_only_what_lenient_cannot_read() -> None:
    headers = {WWW: 'Basic realm="x"; charset=UTF-8'}
    assert [p.code for p in check_response(401, headers)] == ["not-strict"]
    assert check_response(401, headers, strict=False) == []
    assert [p.code for p in check_response(401, {WWW: "\x00"}, strict=False)] == ["unparseable"]
    # Checks on the reading still run: the Bearer code on the wrong status.
    lenient_bearer = {WWW: "Bearer error=invalid_token; realm=x"}
    assert [p.code for p in check_response(403, lenient_bearer, strict=False)] == [
        "bearer-error-status"
    ]


def test_checks_run_on_the_lenient_reading_in_strict_mode_too() -> None:
    codes = [p.code for p in check_response(403, {WWW: "Bearer error=invalid_token; x=y"})]
    assert codes == ["not-strict", "bearer-error-status"]


@pytest.mark.parametrize(
    "value",
    [
        'Basic realm="x"; Bearer realm="y"',
        'Basic realm="x" Bearer realm="y"',
        'Basic realm="x", Bearer realm="y" x',
    ],
)
def test_no_warning_follows_a_strict_parse_error(value: str) -> None:
    # The lenient reading finds 2 challenges; the line did not parse: no warning on it.
    assert len(parse_www_authenticate(value, strict=False)) == 2
    assert [p.code for p in check_response(401, {WWW: value})] == ["not-strict"]
    with pytest.raises(AssertionError) as raised:
        assert_auth_response(401, {WWW: value})
    assert "warning" not in str(raised.value)


def test_unknown_status_skips_what_depends_on_it() -> None:
    headers = [(PROXY, 'Bearer error="invalid_token"'), (WWW, "Basic realm=x, Basic")]
    assert [p.code for p in check_response(None, headers)] == [
        "several-challenges-per-line",
        "realm-not-quoted",
        "missing-param",
    ]


# Headers in every shape.


def test_repeated_names_in_pairs_are_separate_field_lines() -> None:
    pairs = [(WWW, 'Basic realm="x"'), ("Content-Type", "text/plain"), (WWW, "Negotiate")]
    assert response_problems(401, pairs) == []


def test_a_mapping_holds_one_line_per_name() -> None:
    merged: Mapping[str, str] = {"www-authenticate": 'Basic realm="x", Negotiate'}
    assert [p.code for p in check_response(401, merged)] == ["several-challenges-per-line"]


def test_httpx_headers_keep_their_field_lines_apart() -> None:
    headers = httpx.Headers([(WWW, 'Basic realm="x"'), (WWW, "Negotiate")])
    assert dict(headers)["www-authenticate"] == 'Basic realm="x", Negotiate'  # .items() merges
    assert response_problems(401, headers) == []


@pytest.mark.parametrize(
    ("status", "headers", "error", "message"),
    [
        ("401", {}, TypeError, "status must be an int, not str"),
        (True, {}, TypeError, "status must be an int, not bool"),
        (42, {}, ValueError, "status 42 is not an HTTP status code (100-599)"),
        (401, 'WWW-Authenticate: Basic realm="x"', TypeError, "not a string"),
        (401, [(WWW, "Basic", "x")], TypeError, "a header must be a (name, value) pair"),
        (401, [(WWW, 1)], TypeError, "header names and values must be str or bytes"),
    ],
    ids=["status str", "status bool", "status out of range", "headers str", "triple", "int value"],
)
def test_wrong_types_are_refused(
    status: object, headers: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        response_problems(status, headers)  # type: ignore[call-overload]  # the point of the test


# Problem


def test_problem_is_frozen_and_renders_level_then_detail() -> None:
    problem = Problem(level="error", code="not-strict", message="m", field=WWW, detail="a\nb")
    assert str(problem) == "error: m\n    a\n    b"
    with pytest.raises(FrozenInstanceError):
        problem.level = "warning"  # type: ignore[misc]  # the point of the test


# Any input: a list of problems, never another exception.


@given(
    st.sampled_from([200, 400, 401, 403, 407]),
    st.lists(
        st.tuples(
            st.sampled_from([WWW, PROXY, "Authentication-Info", "proxy-authentication-info"]),
            st.text(alphabet=st.characters(max_codepoint=0x2FF), max_size=40)
            | strategies.header_values("WWW-Authenticate"),
        ),
        max_size=4,
    ),
)
def test_any_headers_give_a_list_of_problems(status: int, headers: list[tuple[str, str]]) -> None:
    for strict in (True, False):
        problems = check_response(status, headers, strict=strict)
        assert all(p.level in ("error", "warning") for p in problems)
        assert response_problems(status, headers, strict=strict) == [str(p) for p in problems]


@given(strategies.header_values("WWW-Authenticate"))
def test_one_challenge_per_line_of_any_valid_value_has_no_line_warning(value: str) -> None:
    lines = [(WWW, str(challenge)) for challenge in parse_www_authenticate(value)]
    codes = {p.code for p in check_response(None, lines)}
    assert "several-challenges-per-line" not in codes
    assert "not-strict" not in codes and "realm-not-quoted" not in codes


def test_a_malformed_header_pair_is_not_echoed() -> None:
    # The pair may be an Authorization line; the TypeError names its shape only.
    secret = "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    with pytest.raises(TypeError) as caught:
        response_problems(401, [("Authorization", "Basic", secret)])  # type: ignore[arg-type]
    assert str(caught.value) == "a header must be a (name, value) pair, not tuple of 3 items"
    assert secret[:8] not in str(caught.value)
