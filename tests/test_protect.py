"""The adapters' shared core: scopes, refusal bodies, fail-closed answers."""

from __future__ import annotations

import asyncio
import base64
import json
from dataclasses import dataclass

import pytest

from wwwauth import Credentials, basic, bearer, parse_www_authenticate
from wwwauth.decide import Decision
from wwwauth.integrations.protect import PROBLEM_JSON, Answer, Protection
from wwwauth.integrations.server import RequestInfo

REQUEST = RequestInfo(method="GET", target="/admin")
BASIC_ALADDIN = "Basic " + base64.b64encode(b"aladdin:open sesame").decode()


@dataclass(frozen=True)
class Grant:
    name: str
    scopes: frozenset[str]


TOKENS = {
    "read-token": Grant("read-token", frozenset({"read"})),
    "admin-token": Grant("admin-token", frozenset({"read", "admin"})),
}


def verify(credentials: Credentials, request: RequestInfo) -> Grant | str | None:
    if credentials.scheme.lower() == "bearer":
        return TOKENS.get(bearer.token(credentials))
    user, password = basic.decode(credentials)
    return user if (user, password) == ("aladdin", "open sesame") else None


def protection(**options: object) -> Protection[Grant | str]:
    return Protection(
        challenges=[bearer.challenge(realm="example"), basic.challenge("example")],
        verify=verify,
        **options,  # type: ignore[arg-type]
    )


def challenge_lines(answer: Answer[object]) -> list[str]:
    return [value for name, value in answer.headers if name == "WWW-Authenticate"]


def test_no_credentials_is_401_with_each_challenge_on_its_own_line() -> None:
    answer = protection().check(REQUEST, None)
    assert answer.status == 401
    assert not answer.granted
    assert challenge_lines(answer) == ['Bearer realm="example"', 'Basic realm="example"']
    assert ("Content-Type", "text/plain; charset=utf-8") in answer.headers
    assert answer.body.endswith(b"\n")


def test_grant_carries_the_principal_and_no_body() -> None:
    answer = protection().check(REQUEST, "Bearer read-token")
    assert answer.granted and answer.status == 200
    assert answer.principal == TOKENS["read-token"]
    assert answer.body == b""


def test_missing_scope_is_403_insufficient_scope_naming_the_scopes() -> None:
    answer = protection(scopes=["admin"]).check(REQUEST, "Bearer read-token")
    assert answer.status == 403
    assert answer.principal is None
    (bearer_line,) = [line for line in challenge_lines(answer) if line.startswith("Bearer")]
    (challenge,) = parse_www_authenticate(bearer_line)
    assert challenge.params["error"] == "insufficient_scope"
    assert challenge.params["scope"] == "admin"


def test_scopes_granted_pass() -> None:
    answer = protection().needing(["admin"]).check(REQUEST, "Bearer admin-token")
    assert answer.granted and answer.principal == TOKENS["admin-token"]


def test_a_principal_without_scopes_gets_a_plain_403() -> None:
    answer = protection(scopes=["admin"]).check(REQUEST, BASIC_ALADDIN)
    assert answer.status == 403
    assert "insufficient_scope" not in " ".join(challenge_lines(answer))


def test_the_401_of_a_scoped_route_is_the_same_as_an_unscoped_one() -> None:
    scoped = protection(scopes=["admin"]).check(REQUEST, None)
    plain = protection().check(REQUEST, None)
    assert scoped.headers == plain.headers


def test_wrong_token_is_invalid_token_and_malformed_is_400() -> None:
    wrong = protection().check(REQUEST, "Bearer nope")
    assert wrong.status == 401
    assert 'error="invalid_token"' in challenge_lines(wrong)[0]
    malformed = protection().check(REQUEST, "Bearer a b")
    assert malformed.status == 400
    assert 'error="invalid_request"' in challenge_lines(malformed)[0]


def test_problem_json_body() -> None:
    answer = protection(refusal_body="problem").check(REQUEST, "Bearer nope")
    assert ("Content-Type", PROBLEM_JSON) in answer.headers
    problem = json.loads(answer.body)
    assert problem["status"] == 401 and problem["title"] == "Unauthorized"
    assert problem["type"] == "about:blank"
    assert "nope" not in answer.body.decode()


def test_custom_body_and_a_failing_or_injecting_hook_falls_back_to_text() -> None:
    def custom(decision: Decision) -> tuple[str, bytes]:
        return "text/html", f"<p>{int(decision.status)}</p>".encode()

    answer = protection(refusal_body=custom).check(REQUEST, None)
    assert answer.body == b"<p>401</p>" and ("Content-Type", "text/html") in answer.headers

    def broken(decision: Decision) -> tuple[str, bytes]:
        raise RuntimeError("boom")

    def injecting(decision: Decision) -> tuple[str, bytes]:
        return "text/html\r\nSet-Cookie: x=1", b"hi"

    for hook in (broken, injecting):
        answer = protection(refusal_body=hook).check(REQUEST, None)
        assert answer.status == 401
        assert ("Content-Type", "text/plain; charset=utf-8") in answer.headers


@pytest.mark.parametrize("result", [None, False, 0, ""])
def test_falsy_odd_results_are_refused(result: object) -> None:
    answer = Protection[object](
        challenges=[basic.challenge("x")], verify=lambda c, r: result
    ).check(REQUEST, BASIC_ALADDIN)
    # None and False are refusals; 0 and "" are principals the developer returned.
    assert answer.granted == (result is not None and result is not False)


def test_exception_in_verify_is_500_and_never_granted() -> None:
    def crash(credentials: Credentials, request: RequestInfo) -> str:
        raise KeyError("secret-token")

    answer = Protection[str](challenges=[basic.challenge("x")], verify=crash).check(
        REQUEST, BASIC_ALADDIN
    )
    assert answer.status == 500 and not answer.granted
    assert b"secret-token" not in answer.body


def test_async_verify_is_refused_by_check_and_awaited_by_check_async() -> None:
    async def averify(credentials: Credentials, request: RequestInfo) -> Grant | str | None:
        return verify(credentials, request)

    guarded = Protection[object](challenges=[bearer.challenge(realm="x")], verify=averify)
    assert guarded.check(REQUEST, "Bearer read-token").status == 500
    answer = asyncio.run(guarded.check_async(REQUEST, "Bearer read-token"))
    assert answer.granted
    with pytest.raises(TypeError, match="coroutine"):
        guarded.require_sync("Flask")
    protection().require_sync("Flask")  # a plain function passes


def test_scope_must_be_a_scope_token() -> None:
    with pytest.raises(ValueError, match="scope-token"):
        protection(scopes=['a"b'])


def test_scopes_given_as_a_string_hold_nothing() -> None:
    @dataclass(frozen=True)
    class Spaced:
        scopes: str

    guarded = Protection[Spaced](
        challenges=[bearer.challenge(realm="x")],
        verify=lambda c, r: Spaced("read admin"),
        scopes=["admin"],
    )
    assert guarded.check(REQUEST, "Bearer t").status == 403
    assert guarded.needing(()).check(REQUEST, "Bearer t").status == 403
    assert (
        Protection[Spaced](
            challenges=[bearer.challenge(realm="x")], verify=lambda c, r: Spaced("read")
        )
        .check(REQUEST, "Bearer t")
        .granted
    )


def test_proxy_protection_reads_and_answers_the_proxy_fields() -> None:
    guarded = protection(proxy=True)
    assert guarded.credentials_header == "proxy-authorization"
    answer = guarded.check(REQUEST, None)
    assert answer.status == 407
    assert {name for name, _ in answer.headers} == {"Proxy-Authenticate", "Content-Type"}


def test_scopes_given_as_one_str_are_refused() -> None:
    with pytest.raises(TypeError, match="list of scope tokens"):
        protection(scopes="admin")
    with pytest.raises(TypeError, match="list of scope tokens"):
        protection().needing("admin")


def test_needing_is_remembered_per_set_of_scopes_and_per_protection() -> None:
    # GIVEN a protection and the ones needing more scopes (fastapi and litestar ask per request)
    base = protection(scopes=["read"])
    admin = base.needing(["admin"])
    # THEN the same scopes give the same object, whatever iterable names them
    assert base.needing(frozenset({"admin"})) is admin
    assert base.needing(("admin",)) is admin
    assert admin.scopes == frozenset({"read", "admin"})
    # AND a derived protection remembers its own: never its parent's object
    both = admin.needing(["write"])
    assert both.scopes == frozenset({"read", "admin", "write"})
    assert base.needing(["write"]).scopes == frozenset({"read", "write"})
    assert base.needing(()) is base
