"""The shortcuts of decide() and the middleware give exactly the answers of the long way.

Issue 12 made the per-request paths fast by skipping work: the gate grants without
calling ``decide()`` when it cannot change the answer, ``decide()`` remembers the field
lines and the no-credentials answer per sequence of challenges, and the middleware
builds ``RequestInfo`` with its headers (and authority, and a rebuilt target) computed
on first read. Each test here compares a shortcut with the long way it replaces.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import importlib
import inspect
import pickle
from collections.abc import Iterable, Sequence
from http import HTTPStatus
from io import BytesIO
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wwwauth import Challenge, Credentials, basic, bearer, decide, digest, strategies
from wwwauth.integrations import _gate, _request, asgi, wsgi
from wwwauth.integrations._gate_options import _GateSettings
from wwwauth.integrations.server import PRINCIPAL_KEY, DigestVerifier, RequestInfo

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

decide_mod = importlib.import_module("wwwauth.decide")  # the module, not the function


def _gate_of(
    challenges: Sequence[_gate.ChallengeSource],
    *,
    verify: Any,
    authorize: Any = None,
    proxy: bool = False,
) -> _gate._Gate:
    """A gate with these callbacks, no other option, and no body read (max_body 0)."""
    settings = _GateSettings(
        challenges=challenges, verify=verify, authorize=authorize, proxy=proxy, max_body=0
    )
    return _gate._Gate(settings)


def _accepted(challenges: list[Challenge]) -> bool:
    try:
        decide_mod._check_challenges(challenges)
    except (TypeError, ValueError):
        return False
    return True


def _forget() -> None:
    decide_mod._offers.clear()


# ------------------------------------------------------------------ the grant shortcut


@settings(max_examples=200)
@given(
    st.lists(strategies.challenges(), min_size=1, max_size=4),
    strategies.credentials(),
    st.booleans(),
)
def test_decide_grants_with_the_one_granted_decision(
    challenges: list[Challenge], credentials: Credentials, proxy: bool
) -> None:
    """Where the gate skips decide() (authenticated, authorized, no continuation, not
    stale, challenges decide accepts), decide's answer is always _GRANTED."""
    if not _accepted(challenges):
        with pytest.raises((TypeError, ValueError)):
            decide(challenges=challenges, credentials=credentials, authenticated=True, proxy=proxy)
        return
    for remembered in (False, True):
        if not remembered:
            _forget()
        decision = decide(
            challenges=challenges, credentials=credentials, authenticated=True, proxy=proxy
        )
        assert decision == decide_mod._GRANTED
        assert decision.status == HTTPStatus.OK and decision.headers == ()


@settings(max_examples=100)
@given(
    st.lists(strategies.challenges(), min_size=1, max_size=3),
    strategies.credentials(),
    st.booleans(),
    st.sampled_from(["principal", 7, ("a", "b"), {"sub": "x"}, True]),
)
def test_gate_grant_equals_decides_answer(
    challenges: list[Challenge], credentials: Credentials, proxy: bool, principal: object
) -> None:
    """The gate's grant through the shortcut is the Decision decide() gives."""
    if not _accepted(challenges):
        return
    value = str(credentials)
    for authorize in (None, lambda principal, request: True):
        gate = _gate_of(
            challenges,
            verify=lambda credentials, request: principal,
            authorize=authorize,
            proxy=proxy,
        )
        assert gate._valid_static
        outcome = gate.check(
            gate.current_challenges(), RequestInfo(method="GET", target="/"), value
        )
        expected = decide(
            challenges=challenges, credentials=credentials, authenticated=True, proxy=proxy
        )
        assert outcome.decision == expected
        assert outcome.principal is principal
        assert outcome.granted_headers == ()


def test_gate_without_the_shortcut_still_asks_decide() -> None:
    """Challenges decide() refuses (a Bearer token68) raise on a grant, as before."""
    gate = _gate_of(
        [Challenge("Bearer", token68="abc")], verify=lambda credentials, request: "alice"
    )
    assert not gate._valid_static
    with pytest.raises(ValueError, match="token68"):
        gate.check(gate.current_challenges(), RequestInfo(method="GET", target="/"), "Bearer x")


@pytest.mark.parametrize("result", [None, False, 0, "", (), {}])
def test_only_none_and_false_refuse_and_falsy_principals_grant_as_before(result: object) -> None:
    gate = _gate_of([bearer.challenge(realm="a")], verify=lambda credentials, request: result)
    outcome = gate.check(
        gate.current_challenges(), RequestInfo(method="GET", target="/"), "Bearer t"
    )
    refused = result is None or result is False
    assert (outcome.decision.status == HTTPStatus.OK) is not refused


def test_no_credentials_refusal_is_built_once_for_fixed_challenges_only() -> None:
    request = RequestInfo(method="GET", target="/")
    fixed = _gate_of(
        [bearer.challenge(realm="a"), basic.challenge("a")],
        verify=lambda credentials, request: None,
    )
    first = fixed.check(fixed.current_challenges(), request, None)
    assert fixed.check(fixed.current_challenges(), request, None) is first
    assert first.decision == decide(
        challenges=fixed.current_challenges(), credentials=None, authenticated=False
    )
    verifier = DigestVerifier({"alice": "pw"}, realm="a")
    fresh = _gate_of([verifier.challenge], verify=verifier)
    one = fresh.check(fresh.current_challenges(), request, None)
    two = fresh.check(fresh.current_challenges(), request, None)
    assert one.decision.headers != two.decision.headers  # a fresh nonce per response


# ------------------------------------------------------------------ decide's memo


def _long_way(**arguments: Any) -> object:
    _forget()
    return decide(**arguments)


CREDENTIAL_CASES: list[str | Credentials | None] = [
    None,
    "Bearer",
    "Bearer a b",
    "Bearer tok",
    "Basic dTpw",
    "Other x",
    "%%%",
    Credentials("Bearer", token68="tok"),
]


@settings(max_examples=100)
@given(
    st.lists(
        st.one_of(
            strategies.challenges(), st.just(bearer.challenge(realm="r", error="invalid_token"))
        ),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
    st.booleans(),
)
def test_remembered_answers_equal_fresh_ones(
    challenges: list[Challenge], proxy: bool, authorized: bool
) -> None:
    if not _accepted(challenges):
        return
    for credentials in CREDENTIAL_CASES:
        for authenticated in (False, True):
            arguments: dict[str, Any] = {
                "challenges": challenges,
                "credentials": credentials,
                "authenticated": authenticated,
                "authorized": authorized,
                "proxy": proxy,
            }
            fresh = _long_way(**arguments)
            assert decide(**arguments) == fresh  # filled the memo
            assert decide(**arguments) == fresh  # read from it


@settings(max_examples=100)
@given(strategies.auth_params())
def test_bearer_without_error_params_is_left_as_is(params: Any) -> None:
    challenge = Challenge("Bearer", params)
    rebuilt = decide_mod._with_params(challenge, decide_mod._BEARER_ERROR_PARAMS)
    assert str(decide_mod._bearer_with_error(challenge, None)) == str(rebuilt)


def test_memo_is_bounded_and_never_keeps_digest() -> None:
    _forget()
    for index in range(3 * decide_mod._MEMO_SIZE):
        decide(challenges=[basic.challenge(f"r{index}")], credentials=None, authenticated=False)
        assert len(decide_mod._offers) <= decide_mod._MEMO_SIZE
    _forget()
    for index in range(5):
        nonce = f"nonce{index}"
        challenge = digest.challenge(realm="r", nonce=nonce)
        decision = decide(challenges=[challenge], credentials=None, authenticated=False)
        assert nonce in decision.headers[0][1]
    assert not decide_mod._offers


def test_memo_never_keeps_a_challenge_subclass() -> None:
    """A subclass may serialize differently per call (a nonce of its own): asked each time."""

    class Counting(Challenge):
        __slots__ = ()
        calls = 0

        def __str__(self) -> str:
            type(self).calls += 1
            return f"Counting n={type(self).calls}"

    _forget()
    challenge = Counting("Counting")
    first = decide(challenges=[challenge], credentials=None, authenticated=False)
    second = decide(challenges=[challenge], credentials=None, authenticated=False)
    assert first.headers != second.headers
    assert not decide_mod._offers


def test_memo_tells_apart_equal_but_distinct_challenges() -> None:
    """Entries are per object (ids kept alive by the entry), never confused."""
    _forget()
    first = [basic.challenge("one")]
    decision = decide(challenges=first, credentials=None, authenticated=False)
    other = [basic.challenge("two")]
    assert decide(challenges=other, credentials=None, authenticated=False) != decision
    assert decide(challenges=first, credentials=None, authenticated=False) is decision


# ------------------------------------------------------------------ RequestInfo on first read


def _asgi_request(scope: dict[str, Any]) -> RequestInfo:
    seen: list[RequestInfo] = []

    def verify(credentials: Credentials, request: RequestInfo) -> str:
        seen.append(request)
        return "alice"

    async def app(scope: Any, receive: Any, send: Any) -> None:
        return None

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        return None

    middleware = asgi.AuthMiddleware(app, challenges=[bearer.challenge(realm="a")], verify=verify)
    asyncio.run(middleware(scope, receive, send))
    (request,) = seen
    return request


def _asgi_eager(scope: dict[str, Any]) -> RequestInfo:
    """What the middleware built before issue 12: every field computed at once."""
    headers = asgi._decoded(scope.get("headers", ()))
    return RequestInfo(
        method=str(scope.get("method", "GET")),
        target=asgi._target(scope),
        headers=headers,
        body=None,
        authority=asgi._authority(scope, headers),
        target_is_raw=asgi._has_raw_target(scope),
    )


_NAME = st.text(alphabet="abcXYZ-_0", min_size=1, max_size=6).map(lambda s: s.encode())
_FIELD = st.binary(max_size=8).map(lambda b: bytes(c | 0x20 for c in b))


@st.composite
def asgi_scopes(draw: st.DrawFn) -> dict[str, Any]:
    headers = draw(st.lists(st.tuples(st.one_of(_NAME, st.just(b"Host")), _FIELD), max_size=5))
    headers.append((b"authorization", b"Bearer tok"))
    scope: dict[str, Any] = {
        "type": "http",
        "method": draw(st.sampled_from(["GET", "POST"])),
        "path": draw(st.sampled_from(["/", "/a b", "/caf\u00e9"])),
        "query_string": draw(st.sampled_from([b"", b"x=1"])),
        "headers": headers,
    }
    if draw(st.booleans()):
        scope["raw_path"] = draw(st.sampled_from([b"/a%20b", b"/x"]))
    if draw(st.booleans()):
        scope["root_path"] = "/root"
    scope["server"] = draw(st.sampled_from([None, ("h", 80), ("::1", 8000), ("h", None)]))
    return scope


def _indistinguishable(got: RequestInfo, expected: RequestInfo) -> None:
    assert type(got) is RequestInfo
    assert repr(got) == repr(expected)
    assert got == expected and expected == got
    assert hash(got) == hash(expected)
    assert dataclasses.astuple(got) == dataclasses.astuple(expected)
    assert dataclasses.asdict(got) == dataclasses.asdict(expected)
    for field in dataclasses.fields(RequestInfo):
        assert getattr(got, field.name) == getattr(expected, field.name)
        assert type(getattr(got, field.name)) is type(getattr(expected, field.name))
    assert dataclasses.replace(got) == expected
    assert pickle.loads(pickle.dumps(got)) == expected
    assert copy.copy(got) == expected and copy.deepcopy(got) == expected
    assert got.headers is got.headers  # computed once
    with pytest.raises(dataclasses.FrozenInstanceError):
        got.headers = ()  # type: ignore[misc]


@settings(max_examples=100)
@given(asgi_scopes())
def test_asgi_request_info_is_the_eager_one(scope: dict[str, Any]) -> None:
    _indistinguishable(_asgi_request(scope), _asgi_eager(scope))


def test_asgi_request_info_fields_unread_until_asked() -> None:
    headers = [(b"authorization", b"Bearer t")]
    scope: dict[str, Any] = {"type": "http", "path": "/", "headers": headers}
    request = _asgi_request(scope)
    assert type(RequestInfo.__dict__["headers"]) is _request._OnFirstRead
    raw_slot = _request._SLOTS["headers"]
    assert type(raw_slot.__get__(request, RequestInfo)) is _request._Deferred
    headers.append((b"x-later", b"1"))  # a snapshot was taken: not seen
    assert request.headers == (("authorization", "Bearer t"),)
    assert type(raw_slot.__get__(request, RequestInfo)) is tuple


def _ignore_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
    return None


def _wsgi_request(environ: dict[str, Any]) -> RequestInfo:
    seen: list[RequestInfo] = []

    def verify(credentials: Credentials, request: RequestInfo) -> str:
        seen.append(request)
        return "alice"

    def app(environ: WSGIEnvironment, start_response: Any) -> Iterable[bytes]:
        start_response("200 OK", [])
        return [b""]

    middleware = wsgi.AuthMiddleware(app, challenges=[bearer.challenge(realm="a")], verify=verify)
    list(middleware(environ, _ignore_start))
    (request,) = seen
    return request


def _wsgi_eager(environ: dict[str, Any]) -> RequestInfo:
    return RequestInfo(
        method=str(environ.get("REQUEST_METHOD", "GET")),
        target=wsgi._target(environ),
        headers=wsgi._headers(environ),
        body=None,
        authority=wsgi._authority(environ),
        target_is_raw=wsgi._has_raw_target(environ),
    )


@st.composite
def wsgi_environs(draw: st.DrawFn) -> dict[str, Any]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": draw(st.sampled_from(["", "/app"])),
        "PATH_INFO": draw(st.sampled_from(["/", "/a b", "/caf\u00c3\u00a9", ""])),
        "QUERY_STRING": draw(st.sampled_from(["", "q=1"])),
        "wsgi.input": BytesIO(),
        "HTTP_AUTHORIZATION": "Bearer tok",
    }
    for name in draw(st.lists(st.sampled_from(["HOST", "X_A", "ACCEPT", "USER_AGENT"]))):
        environ["HTTP_" + name] = draw(st.text(alphabet="abc \u00e9", max_size=5))
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH", "SERVER_NAME", "SERVER_PORT"):
        if draw(st.booleans()):
            environ[key] = draw(st.sampled_from(["", "5", "text/plain"]))
    if draw(st.booleans()):
        environ[draw(st.sampled_from(["REQUEST_URI", "RAW_URI"]))] = "/a%20b?q=1"
    return environ


@settings(max_examples=100)
@given(wsgi_environs())
def test_wsgi_request_info_is_the_eager_one(environ: dict[str, Any]) -> None:
    expected = _wsgi_eager(dict(environ))
    _indistinguishable(_wsgi_request(environ), expected)


def test_wsgi_headers_are_those_of_the_request_as_it_came() -> None:
    environ = {"PATH_INFO": "/", "wsgi.input": BytesIO(), "HTTP_AUTHORIZATION": "Bearer t"}
    request = _wsgi_request(environ)
    environ["HTTP_X_LATER"] = "1"
    assert request.headers == (("authorization", "Bearer t"),)
    assert environ[PRINCIPAL_KEY] == "alice"


def test_wsgi_target_that_cannot_be_rebuilt_fails_at_once_as_before() -> None:
    environ = {"PATH_INFO": "/\u0100", "wsgi.input": BytesIO(), "HTTP_AUTHORIZATION": "Bearer t"}
    with pytest.raises(UnicodeEncodeError):
        _wsgi_request(environ)


def test_request_info_constructor_keeps_the_dataclass_signature() -> None:
    parameters = inspect.signature(RequestInfo).parameters
    assert list(parameters) == [field.name for field in dataclasses.fields(RequestInfo)]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())
    defaults = {name: p.default for name, p in parameters.items()}
    assert defaults == {
        "method": inspect.Parameter.empty,
        "target": inspect.Parameter.empty,
        "headers": (),
        "body": None,
        "authority": None,
        "target_is_raw": True,
    }
    with pytest.raises(TypeError):
        RequestInfo("GET", "/")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        RequestInfo(method="GET")  # type: ignore[call-arg]
    built = RequestInfo(method="GET", target="/", headers=(("a", "b"),))
    assert (built.method, built.target, built.headers, built.body) == (
        "GET",
        "/",
        (("a", "b"),),
        None,
    )
    assert (built.authority, built.target_is_raw) == (None, True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.method = "POST"  # type: ignore[misc]
