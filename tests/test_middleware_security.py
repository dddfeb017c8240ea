"""The ASGI and WSGI middleware fail closed and do no unbounded work before authentication.

Every request here is an in-process call: an ASGI ``receive`` that counts the content
octets it hands out, a WSGI ``wsgi.input`` that records every read. So "the body was not
read" is asserted on what was read, never on time. The issue (9) these tests come from
found: ``verify`` returning False granted; an async ``verify``/``authorize`` granted
(a coroutine is truthy); a ValueError from ``digest.verify`` answered 500; a Basic-only
app read a 125 MiB body for Digest auth-int credentials before answering 401.
"""

from __future__ import annotations

import asyncio
import doctest
import importlib
import inspect
import io
import logging
import warnings
from collections.abc import Awaitable, Coroutine, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

from wwwauth import Credentials, basic, bearer, digest, parse_www_authenticate
from wwwauth.integrations import asgi, wsgi
from wwwauth.integrations.server import DEFAULT_MAX_BODY, PRINCIPAL_KEY, DigestVerifier, RequestInfo

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

KINDS = ["asgi", "wsgi"]
PASSWORDS = {"alice": "correct horse"}
ALICE = str(basic.encode("alice", "correct horse"))
WRONG = "Basic d3Jvbmc6d3Jvbmc="  # wrong:wrong, the audit's request
REALM = "api"


def verify_by_equality(credentials: Credentials, request: RequestInfo) -> bool:
    """The password check many applications write: True or False, never a principal."""
    user, password = basic.decode(credentials)
    return (user, password) in PASSWORDS.items()


def verify_basic(credentials: Credentials, request: RequestInfo) -> str | None:
    if credentials.scheme.lower() != "basic":
        return None
    user, password = basic.decode(credentials)
    return user if PASSWORDS.get(user) == password else None


# --------------------------------------------------------------------------- drivers


class RecordingInput(io.BytesIO):
    """A ``wsgi.input`` that counts the octets read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.octets_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.octets_read += len(chunk)
        return chunk


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    octets_read: int  # request content octets the middleware took from the server
    reached_app: dict[str, object] | None = None  # what the application saw, if called

    def header_values(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name]


@dataclass
class Request:
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    method: str = "POST"
    target: str = "/upload"
    chunk: int = 1 << 16
    declare_length: bool = True  # send Content-Length (else ASGI chunks / WSGI terminated)


def call_asgi(middleware: asgi.AuthMiddleware, request: Request) -> Answer:
    sent: list[asgi.Message] = []
    handed_out = 0
    position = 0
    headers = [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in request.headers.items()
    ]
    headers.append((b"host", b"testserver"))
    if request.declare_length:
        headers.append((b"content-length", str(len(request.body)).encode()))

    async def receive() -> asgi.Message:
        nonlocal handed_out, position
        chunk = request.body[position : position + request.chunk]
        position += len(chunk)
        handed_out += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": position < len(request.body)}

    async def send(message: asgi.Message) -> None:
        sent.append(message)

    scope: asgi.Scope = {
        "type": "http",
        "method": request.method,
        "path": request.target,
        "raw_path": request.target.encode(),
        "query_string": b"",
        "headers": headers,
        "server": ("testserver", 80),
    }
    asyncio.run(middleware(scope, receive, send))
    start, *rest = sent
    return Answer(
        start["status"],
        [(name.decode(), value.decode()) for name, value in start["headers"]],
        b"".join(message.get("body", b"") for message in rest),
        handed_out,
    )


def call_wsgi(middleware: wsgi.AuthMiddleware, request: Request, **environ: object) -> Answer:
    stream = RecordingInput(request.body)
    env: dict[str, object] = {
        "REQUEST_METHOD": request.method,
        "PATH_INFO": request.target,
        "HTTP_HOST": "testserver",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.input": stream,
        **{
            "HTTP_" + name.upper().replace("-", "_"): value
            for name, value in request.headers.items()
        },
    }
    if request.declare_length:
        env["CONTENT_LENGTH"] = str(len(request.body))
    else:
        env["wsgi.input_terminated"] = True
    env.update(environ)
    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started.append((status, headers))
        return lambda data: None

    body = b"".join(middleware(env, start_response))
    ((status, headers),) = started
    return Answer(int(status.split()[0]), headers, body, stream.octets_read)


@dataclass
class Protected:
    """A middleware of either kind around an application that records what it saw."""

    kind: str
    calls: list[dict[str, object]] = field(default_factory=list)
    middleware: Any = None

    def build(self, **options: Any) -> Protected:
        options.setdefault("challenges", [basic.challenge(REALM)])
        if self.kind == "asgi":
            self.middleware = asgi.AuthMiddleware(self._asgi_app, **options)
        else:
            self.middleware = wsgi.AuthMiddleware(self._wsgi_app, **options)
        return self

    async def _asgi_app(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.calls.append({"principal": scope[PRINCIPAL_KEY], "body": body})
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"granted"})

    def _wsgi_app(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        self.calls.append({"principal": environ[PRINCIPAL_KEY], "body": body})
        start_response("200 OK", [])
        return [b"granted"]

    def __call__(self, request: Request | None = None, **headers: str) -> Answer:
        request = request or Request(headers=headers)
        if self.kind == "asgi":
            answer = call_asgi(self.middleware, request)
        else:
            answer = call_wsgi(self.middleware, request)
        answer.reached_app = self.calls[-1] if answer.status == 200 and self.calls else None
        if answer.status != 200:
            assert self.calls == [], "a refused request must not reach the application"
        return answer


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# --------------------------------------------------------------------------- what is a grant


def test_verify_returning_false_is_a_refusal(kind: str) -> None:
    # GIVEN verify that answers True or False, as `(user, pw) == stored` does
    protected = Protected(kind).build(verify=verify_by_equality)
    # THEN wrong:wrong (granted 200 before the fix) is refused, and the right one granted
    assert protected(Authorization=WRONG).status == 401
    granted = protected(Authorization=ALICE)
    assert granted.status == 200
    assert granted.reached_app is not None and granted.reached_app["principal"] is True


@pytest.mark.parametrize("allowed", [False, None, 1, "yes", [True], object()])
def test_authorize_allows_only_on_exactly_true(kind: str, allowed: object) -> None:
    protected = Protected(kind).build(verify=verify_basic, authorize=lambda p, r: allowed)
    assert protected(Authorization=ALICE).status == 403


def test_async_verify_is_awaited_under_asgi() -> None:
    async def verify(credentials: Credentials, request: RequestInfo) -> str | None:
        await asyncio.sleep(0)
        return "bob" if bearer.token(credentials) == "RIGHT" else None

    protected = Protected("asgi").build(challenges=[bearer.challenge(realm=REALM)], verify=verify)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "coroutine was never awaited"
        # the audit's request: a coroutine object is truthy, and was granted
        assert protected(Authorization="Bearer WRONG").status == 401
        granted = protected(Authorization="Bearer RIGHT")
    assert granted.status == 200 and granted.reached_app == {"principal": "bob", "body": b""}


def test_async_authorize_is_awaited_under_asgi() -> None:
    async def authorize(principal: str, request: RequestInfo) -> bool:
        return principal == "alice" and request.method == "GET"

    protected = Protected("asgi").build(verify=verify_basic, authorize=authorize)
    assert protected(Request(headers={"Authorization": ALICE}, method="POST")).status == 403
    assert protected(Request(headers={"Authorization": ALICE}, method="GET")).status == 200


class AsyncCallable:
    """A callable object whose ``__call__`` is a coroutine function."""

    async def __call__(self, credentials: Credentials, request: RequestInfo) -> str | None:
        return verify_basic(credentials, request)


def test_callable_object_with_async_call_is_awaited_under_asgi() -> None:
    protected = Protected("asgi").build(verify=AsyncCallable())
    assert protected(Authorization=WRONG).status == 401
    assert protected(Authorization=ALICE).status == 200


async def _async_verify(credentials: Credentials, request: RequestInfo) -> str | None:
    return "x"


async def _async_authorize(principal: object, request: RequestInfo) -> bool:
    return True


@pytest.mark.parametrize(
    "options",
    [
        {"verify": _async_verify},
        {"verify": AsyncCallable()},
        {"verify": verify_basic, "authorize": _async_authorize},
    ],
    ids=["async-verify", "async-__call__", "async-authorize"],
)
def test_wsgi_refuses_async_callables_at_construction(options: dict[str, Any]) -> None:
    with pytest.raises(TypeError, match="coroutine function, which WSGI cannot await"):
        wsgi.AuthMiddleware(lambda e, s: [], challenges=[basic.challenge(REALM)], **options)


@pytest.mark.parametrize("role", ["verify", "authorize"])
def test_wsgi_awaitable_result_is_refused_and_closed(
    role: str, caplog: pytest.LogCaptureFixture
) -> None:
    # GIVEN a plain function that returns a coroutine (it slips past the construction check)
    made: list[Coroutine[Any, Any, object]] = []

    def hidden(*args: object) -> Awaitable[object]:
        coroutine = _async_verify(*args) if role == "verify" else _async_authorize(*args)  # type: ignore[arg-type]
        made.append(coroutine)
        return coroutine

    options: dict[str, Any] = {"verify": verify_basic, role: hidden}
    protected = Protected("wsgi").build(**options)
    with caplog.at_level(logging.ERROR, logger="wwwauth.integrations"):
        answer = protected(Authorization=ALICE)
    # THEN 500, the application not called, the coroutine closed (no RuntimeWarning)
    assert answer.status == 500
    assert inspect.getcoroutinestate(made[0]) == inspect.CORO_CLOSED
    assert f"{role} returned an awaitable" in caplog.text


def test_asgi_awaits_an_awaitable_from_a_plain_function() -> None:
    def verify(credentials: Credentials, request: RequestInfo) -> Awaitable[str | None]:
        async def check() -> str | None:
            return verify_basic(credentials, request)

        return check()

    protected = Protected("asgi").build(verify=verify)
    assert protected(Authorization=WRONG).status == 401
    assert protected(Authorization=ALICE).status == 200


def test_asgi_awaitable_that_gives_an_awaitable_is_refused() -> None:
    made: list[Coroutine[Any, Any, object]] = []

    async def verify(credentials: Credentials, request: RequestInfo) -> object:
        inner = _async_verify(credentials, request)
        made.append(inner)
        return inner

    protected = Protected("asgi").build(verify=verify)
    assert protected(Authorization=ALICE).status == 500
    assert inspect.getcoroutinestate(made[0]) == inspect.CORO_CLOSED


# --------------------------------------------------------------------------- exceptions


def test_value_error_from_digest_verify_is_a_refusal(kind: str) -> None:
    # The README pattern: verify calls digest.verify, which raises ValueError on
    # parameters the client chose (userhash=true and no username given). Was 500.
    def verify(credentials: Credentials, request: RequestInfo) -> str | None:
        ok = digest.verify(credentials, method=request.method, password="secret")
        return "someone" if ok else None

    challenge = digest.challenge(realm=REALM, nonce="n", userhash=True)
    credentials = digest.respond(
        challenge, username="u", password="secret", method="POST", uri="/upload"
    )
    protected = Protected(kind).build(challenges=[challenge], verify=verify)
    answer = protected(Authorization=str(credentials))
    assert answer.status == 401
    assert answer.header_values("www-authenticate")


@pytest.mark.parametrize("role", ["verify", "authorize", "authentication_info"])
def test_other_exceptions_are_500_logged_without_the_credential(
    kind: str, role: str, caplog: pytest.LogCaptureFixture
) -> None:
    secret_token = "s3cr3t-token-value"

    def failing(*args: object) -> Any:
        tokens: dict[str, str] = {}
        return tokens[secret_token]  # KeyError('s3cr3t-token-value')

    def verify(credentials: Credentials, request: RequestInfo) -> str:
        return bearer.token(credentials)

    options: dict[str, Any] = {
        "challenges": [bearer.challenge(realm=REALM)],
        "verify": verify,
        role: failing,
    }
    protected = Protected(kind).build(**options)
    with caplog.at_level(logging.ERROR, logger="wwwauth.integrations"):
        answer = protected(Authorization=f"Bearer {secret_token}")
    assert answer.status == 500  # never 200, never the application
    assert secret_token.encode() not in answer.body
    (record,) = [r for r in caplog.records if r.name == "wwwauth.integrations"]
    assert f"{role} raised KeyError" in record.getMessage()
    assert record.exc_info is None
    assert secret_token not in caplog.text


# --------------------------------------------------------------------------- the content


BIG = b"x" * (4 * DEFAULT_MAX_BODY)


def _auth_int_attempt(nonce: str = "forged", algorithm: str = "SHA-256") -> str:
    """Digest qop=auth-int credentials; the response need not be right."""
    challenge = digest.challenge(realm=REALM, nonce=nonce, qop=("auth-int",), algorithm=algorithm)
    credentials = digest.respond(
        challenge, username="alice", password="x", method="POST", uri="/upload", body=b""
    )
    return str(credentials)


@pytest.mark.parametrize("declare_length", [True, False])
def test_basic_only_app_never_reads_the_body(kind: str, declare_length: bool) -> None:
    # The audit: a Basic-only app read 10, 32, 125 MiB before answering 401.
    protected = Protected(kind).build(verify=verify_basic)
    request = Request({"Authorization": _auth_int_attempt()}, BIG, declare_length=declare_length)
    answer = protected(request)
    assert (answer.status, answer.octets_read) == (401, 0)


def _digest_protected(kind: str, **options: Any) -> tuple[Protected, DigestVerifier]:
    verifier = DigestVerifier(PASSWORDS, realm=REALM, qop=("auth", "auth-int"))
    protected = Protected(kind).build(challenges=[verifier.challenge], verify=verifier, **options)
    return protected, verifier


def _respond(verifier: DigestVerifier, body: bytes, **options: Any) -> str:
    credentials = digest.respond(
        verifier.challenge(),
        username="alice",
        password="correct horse",
        method="POST",
        uri="/upload",
        qop="auth-int",
        body=body,
        **options,
    )
    return str(credentials)


def test_auth_int_with_a_nonce_never_issued_reads_nothing(kind: str) -> None:
    protected, _ = _digest_protected(kind)
    answer = protected(Request({"Authorization": _auth_int_attempt("QUJD" * 12)}, BIG))
    assert (answer.status, answer.octets_read) == (401, 0)


def test_auth_int_with_an_issued_nonce_reads_and_keeps_the_body(kind: str) -> None:
    protected, verifier = _digest_protected(kind)
    body = b"payload " * 1000
    answer = protected(Request({"Authorization": _respond(verifier, body)}, body))
    assert answer.status == 200
    assert answer.reached_app == {"principal": "alice", "body": body}


def test_declared_length_above_max_body_is_413_unread(kind: str) -> None:
    protected, verifier = _digest_protected(kind, max_body=1000)
    answer = protected(Request({"Authorization": _respond(verifier, BIG)}, BIG))
    assert (answer.status, answer.octets_read) == (413, 0)
    assert answer.header_values("www-authenticate") == []


def test_wsgi_huge_content_length_is_413_unread() -> None:
    protected, verifier = _digest_protected("wsgi")
    request = Request({"Authorization": _respond(verifier, b"abc")}, b"abc")
    answer = call_wsgi(protected.middleware, request, CONTENT_LENGTH=str(10**15))
    assert (answer.status, answer.octets_read) == (413, 0)


def test_undeclared_length_above_max_body_is_413_after_at_most_one_chunk(kind: str) -> None:
    protected, verifier = _digest_protected(kind, max_body=100_000)
    request = Request(
        {"Authorization": _respond(verifier, BIG)}, BIG, chunk=10_000, declare_length=False
    )
    answer = protected(request)
    assert answer.status == 413
    # WSGI reads at most max_body + 1 octets; ASGI stops at the message that passes it.
    assert answer.octets_read <= 100_000 + (1 if kind == "wsgi" else 10_000)


def test_custom_verify_without_a_nonce_check_never_gets_the_body(kind: str) -> None:
    seen: list[bytes | None] = []

    def verify(credentials: Credentials, request: RequestInfo) -> str | None:
        seen.append(request.body)
        return None

    challenge = digest.challenge(realm=REALM, nonce="n", qop=("auth-int",))
    protected = Protected(kind).build(challenges=[challenge], verify=verify)
    answer = protected(Request({"Authorization": _auth_int_attempt("n")}, BIG))
    assert (answer.status, answer.octets_read, seen) == (401, 0, [None])


def test_check_nonce_lets_a_custom_verify_have_the_body(kind: str) -> None:
    seen: list[bytes | None] = []
    asked: list[str] = []

    def verify(credentials: Credentials, request: RequestInfo) -> str | None:
        seen.append(request.body)
        return None

    def check_nonce(nonce: str) -> bool:
        asked.append(nonce)
        return nonce == "mine"

    challenge = digest.challenge(realm=REALM, nonce="mine", qop=("auth-int",))
    protected = Protected(kind).build(
        challenges=[challenge], verify=verify, check_nonce=check_nonce
    )
    assert (
        protected(Request({"Authorization": _auth_int_attempt("theirs")}, b"abc")).octets_read == 0
    )
    assert protected(Request({"Authorization": _auth_int_attempt("mine")}, b"abc")).octets_read == 3
    assert (asked, seen) == (["theirs", "mine"], [None, b"abc"])


def _without_openssl_sha512_256(monkeypatch: pytest.MonkeyPatch) -> None:
    # As tests/test_sha512_256.py: an OpenSSL build without sha512_256.
    import hashlib

    real_new = hashlib.new

    def new(name: str, *args: bytes, **kwargs: Any) -> Any:
        if name == "sha512_256":
            raise ValueError("unsupported hash type sha512_256")
        return real_new(name, *args, **kwargs)

    monkeypatch.setattr(hashlib, "new", new)


def test_pure_python_sha512_256_auth_int_never_reads_the_body(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the pure-Python SHA-512/256 (0.34 s per 256 KiB of body) and a nonce check
    _without_openssl_sha512_256(monkeypatch)
    challenge = digest.challenge(
        realm=REALM, nonce="mine", qop=("auth-int",), algorithm="SHA-512-256"
    )
    protected = Protected(kind).build(
        challenges=[challenge], verify=lambda c, r: None, check_nonce=lambda nonce: True
    )
    attempt = _auth_int_attempt("mine", algorithm="SHA-512-256")
    # THEN the body is not read, so it is not hashed either
    assert protected(Request({"Authorization": attempt}, BIG)).octets_read == 0


def test_max_body_must_not_be_negative(kind: str) -> None:
    with pytest.raises(ValueError, match="max_body"):
        Protected(kind).build(verify=verify_basic, max_body=-1)


def test_stale_auth_int_answer_still_gets_stale_true(kind: str) -> None:
    # An expired but issued nonce: the body is read (bounded) so the answer can be checked.
    now = [1_700_000_000.0]
    verifier = DigestVerifier(PASSWORDS, realm=REALM, qop=("auth-int",), clock=lambda: now[0])
    protected = Protected(kind).build(challenges=[verifier.challenge], verify=verifier)
    authorization = _respond(verifier, b"abc")
    now[0] += 1000
    answer = protected(Request({"Authorization": authorization}, b"abc"))
    assert answer.status == 401
    (line,) = answer.header_values("www-authenticate")
    assert parse_www_authenticate(line)[0].params["stale"] == "true"


# --------------------------------------------------------------------------- docstrings


@pytest.mark.parametrize("name", ["server", "asgi", "wsgi"])
def test_docstring_examples_of_the_server_integrations(name: str) -> None:
    # tests/test_doctests.py leaves wwwauth.integrations out (requests, httpx are optional)
    module = importlib.import_module(f"wwwauth.integrations.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 3
