"""ASGI middleware that protects an application with challenges and a verify callback.

Standard library only (the ASGI 3 interface; no framework needed).

>>> import asyncio, hmac
>>> from wwwauth import bearer
>>> from wwwauth.integrations.asgi import AuthMiddleware
>>> TOKENS = {"read-token": "alice"}
>>> async def verify(credentials, request):  # a coroutine function is awaited
...     token = credentials.token68
...     if not credentials.is_scheme("Bearer") or token is None:  # case-insensitive
...         return None
...     found = [user for known, user in TOKENS.items() if hmac.compare_digest(known, token)]
...     return found[0] if found else None
>>> async def app(scope, receive, send):
...     ...  # scope["wwwauth.principal"] is the user name
>>> protected = AuthMiddleware(app, challenges=[bearer.challenge(realm="api")], verify=verify)
>>> from wwwauth import parse_authorization
>>> asyncio.run(verify(parse_authorization("bearer read-token"), None))
'alice'
>>> asyncio.run(verify(parse_authorization("Bearer wrong-token"), None)) is None
True

An ``http`` request whose credentials ``verify`` accepts (and ``authorize``, if given,
allows) reaches the application with a copy of the scope holding the principal under
``scope["wwwauth.principal"]``. Any other gets :func:`wwwauth.decide`'s answer: 401
with one ``WWW-Authenticate`` field line per challenge (407 and ``Proxy-Authenticate``
with ``proxy=True``), 400 for malformed Bearer credentials, 403 when ``authorize`` says
no, with a plain-text body giving the reason. ``verify`` and ``authorize`` may be
coroutine functions: they are awaited. What is a grant, and what an exception gives
(500, logged), is in :mod:`wwwauth.integrations.server`.

A ``websocket`` handshake is checked the same way. A refusal is sent as that HTTP
response when the server offers the ``websocket.http.response`` extension, and as a
``websocket.close`` before accepting otherwise (the server then answers 403). Other
scopes (``lifespan``) pass through.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping, Sequence
from typing import Any, Final, TypeVar, overload
from urllib.parse import quote

from ..decide import Decision
from ._exclude import _Exclusions
from ._gate import (
    DEFAULT_MAX_BODY,
    PRINCIPAL_KEY,
    STALE,
    AsyncAuthorize,
    AsyncVerify,
    Authorize,
    ChallengeSource,
    ExcludeRule,
    InfoCallback,
    NonceCheck,
    RequestInfo,
    Stale,
    Verify,
    _declared_length,
    _Gate,
    _Outcome,
)
from ._gate_options import _first_async, _GateSettings
from ._request import _Deferred, _request_info
from .digest_verifier import DigestVerifier

__all__ = [
    "DEFAULT_MAX_BODY",
    "PRINCIPAL_KEY",
    "STALE",
    "AuthMiddleware",
    "DigestVerifier",
    "RequestInfo",
    "Stale",
]

# The ASGI 3 types, as Starlette spells them.
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_P = TypeVar("_P")


def _target(scope: Scope) -> str:
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if isinstance(raw, bytes) and raw else None
    if path is None:
        # RFC 3986 §3.3: the characters a path carries unencoded, and "/"
        path = quote(
            str(scope.get("root_path", "")) + str(scope.get("path", "/")),
            safe="/:@!$&'()*+,;=-._~",
        )
    query = scope.get("query_string", b"")
    return f"{path}?{query.decode('latin-1')}" if query else path


def _target_of(scope: Scope) -> tuple[str, bool]:
    """:func:`_target` and :func:`_has_raw_target` at once."""
    raw = scope.get("raw_path")
    if type(raw) is bytes and raw:
        query = scope.get("query_string", b"")
        path = raw.decode("latin-1")
        return (f"{path}?{query.decode('latin-1')}" if query else path), True
    return _target(scope), _has_raw_target(scope)


def _has_raw_target(scope: Scope) -> bool:
    """Whether the server gave the raw path (ASGI ``raw_path``), not only the decoded one."""
    raw = scope.get("raw_path")
    return isinstance(raw, bytes) and bool(raw)


def _authority(scope: Scope, headers: Sequence[tuple[str, str]]) -> str | None:
    """RFC 9110 §7.2: the Host field, else the server's address from the scope."""
    host = next((value for name, value in headers if name == "host"), None)
    if host is not None:
        return host
    return _server_authority(scope.get("server"))


def _raw_authority(snapshot: tuple[Sequence[tuple[bytes, bytes]], object]) -> str | None:
    """:func:`_authority` from the header octets (names compared lower-cased, as decoded)
    and the scope's ``server``."""
    raw, server = snapshot
    host = next((value for name, value in raw if name.lower() == b"host"), None)
    if host is not None:
        return host.decode("latin-1")
    return _server_authority(server)


def _server_authority(server: Any) -> str | None:
    if not server or server[1] is None:
        return None
    name = str(server[0])
    return f"[{name}]:{server[1]}" if ":" in name else f"{name}:{server[1]}"


async def _read_body(receive: Receive, limit: int) -> tuple[bytes | None, list[Message]]:
    """Read the request content, keeping the messages to replay them.

    Stops at the first message that takes the content past ``limit`` octets and then
    gives None for the content (the caller answers 413): the server hands over at most
    ``limit`` octets plus one message.
    """
    messages: list[Message] = []
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None, messages
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks), messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


def _decoded(raw: Iterable[tuple[bytes, bytes]]) -> tuple[tuple[str, str], ...]:
    """ASGI header octets as ISO-8859-1 text, names lower-cased (RFC 9110 §5.1)."""
    return tuple((name.decode("latin-1").lower(), field.decode("latin-1")) for name, field in raw)


def _credentials_field(headers: Sequence[tuple[str, str]], wanted: str) -> str | None:
    """The ``wanted`` field's value, or None: several lines are joined (RFC 9110 §5.3).

    The strict parser refuses the joined value of several credentials.
    """
    lines = [field for name, field in headers if name == wanted]
    return ", ".join(lines) if lines else None


def _raw_credentials_field(raw: Sequence[tuple[bytes, bytes]], wanted: bytes) -> str | None:
    """:func:`_credentials_field` read from the header octets, decoding only that field.

    ``bytes.lower`` folds ASCII letters only, where ``str.lower`` of the ISO-8859-1 text
    also folds non-ASCII letters, to non-ASCII letters: the same names match ``wanted``.
    """
    size = len(wanted)
    found: bytes | None = None
    more: list[bytes] | None = None  # from a second line on (linear, never a+b+c...)
    for name, field in raw:
        if name == wanted or (len(name) == size and name.lower() == wanted):
            if found is None:
                found = field
            elif more is None:
                more = [found, field]
            else:
                more.append(field)
    if more is not None:
        return b", ".join(more).decode("latin-1")
    return None if found is None else found.decode("latin-1")


def _snapshot_headers(snapshot: tuple[Sequence[tuple[bytes, bytes]], object]) -> object:
    return _decoded(snapshot[0])


# How RequestInfo's deferred fields are computed from (the header list, scope["server"]).
_LAZY_FIELDS: Final = {"headers": _snapshot_headers, "authority": _raw_authority}


def _encoded(headers: Sequence[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]


class AuthMiddleware:
    """Protect an ASGI application: verify credentials, answer 401/403/407 with ``decide``.

    Args:
        app: the ASGI application to protect.
        challenges: what the application accepts, in order of preference: each a
            :class:`~wwwauth.Challenge`, or a function returning one per response
            (``DigestVerifier.challenge``, for a fresh nonce). Not empty.
        verify: ``verify(credentials, request_info)``, a function or a coroutine
            function, returns the principal, None (or False) when the credentials
            are not accepted, or :data:`STALE` for Digest credentials whose nonce
            expired. Only a principal that is neither None nor False is a grant. A
            ``ValueError`` it raises (:class:`~wwwauth.ParseError` included) counts as
            None; any other exception is logged and answered 500. A plain function is
            called in the event loop: keep it quick, or make it a coroutine function.
        authorize: ``authorize(principal, request_info)``, a function or a coroutine
            function; only ``True`` allows, anything else answers 403 (RFC 9110
            §15.5.4; with Bearer, ``insufficient_scope``); an exception is logged and
            answered 500. None allows everyone verified.
        proxy: act as a forward proxy: read ``Proxy-Authorization``, answer 407 with
            ``Proxy-Authenticate`` (RFC 9110 §15.5.8).
        authentication_info: ``authentication_info(credentials, request_info)``
            returns params for an ``Authentication-Info`` field added to granted
            responses (``DigestVerifier.authentication_info``), or None.
        check_nonce: ``check_nonce(nonce)`` returns True for a Digest nonce you issued.
            The content of a Digest ``auth-int`` request is read only after a nonce
            check: :meth:`DigestVerifier.is_issued_nonce` of every verifier among the
            challenges or given as ``verify``, and this. With neither, the content is
            never read and ``verify`` gets ``body=None``.
        max_body: the most content octets read for ``auth-int``; a request declaring or
            sending more is answered 413 (RFC 9110 §15.5.14), after receiving at most
            ``max_body`` octets plus one message.
        exclude: paths left public (no credentials read, ``verify`` not called, no
            principal in the scope), e.g. ``["/docs", "/openapi.json", "/static/"]``: a
            path excludes exactly itself, one ending in ``/`` every path under it; or a
            predicate ``exclude(path) -> bool`` (only ``True`` excludes; if it raises,
            the path stays protected). Compared, exactly and case-sensitively, with
            ``scope["path"]``: the percent-decoded path the application routes on (it
            includes ``root_path``). A path with an empty, ``.`` or ``..`` segment, a
            ``\\`` or a ``%`` (after decoding) is never excluded, so ``//docs``,
            ``/docs/../private`` or ``/%2Fdocs`` reach no excluded route.

    Raises:
        ValueError: ``challenges`` is empty, ``max_body`` is negative, or an excluded
            path is not a plain absolute ASCII path (or is ``/``).
        TypeError: ``authentication_info`` or ``check_nonce`` is a coroutine function;
            ``exclude`` is a single string.

    >>> from wwwauth import bearer
    >>> async def app(scope, receive, send): ...
    >>> mw = AuthMiddleware(app, challenges=[bearer.challenge(realm="a")],
    ...                     verify=lambda credentials, request: None)
    >>> mw.principal_key
    'wwwauth.principal'
    """

    principal_key = PRINCIPAL_KEY

    @overload
    def __init__(
        self,
        app: ASGIApp,
        *,
        challenges: Sequence[ChallengeSource],
        verify: AsyncVerify[_P],
        authorize: Authorize[_P] | AsyncAuthorize[_P] | None = None,
        proxy: bool = False,
        authentication_info: InfoCallback | None = None,
        check_nonce: NonceCheck | None = None,
        max_body: int = DEFAULT_MAX_BODY,
        exclude: ExcludeRule | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        app: ASGIApp,
        *,
        challenges: Sequence[ChallengeSource],
        verify: Verify[_P],
        authorize: Authorize[_P] | AsyncAuthorize[_P] | None = None,
        proxy: bool = False,
        authentication_info: InfoCallback | None = None,
        check_nonce: NonceCheck | None = None,
        max_body: int = DEFAULT_MAX_BODY,
        exclude: ExcludeRule | None = None,
    ) -> None: ...

    def __init__(
        self,
        app: ASGIApp,
        *,
        challenges: Sequence[ChallengeSource],
        verify: Callable[..., object],
        authorize: Callable[..., object] | None = None,
        proxy: bool = False,
        authentication_info: InfoCallback | None = None,
        check_nonce: NonceCheck | None = None,
        max_body: int = DEFAULT_MAX_BODY,
        exclude: ExcludeRule | None = None,
    ) -> None:
        settings = _GateSettings(
            challenges=challenges,
            verify=verify,
            authorize=authorize,
            proxy=proxy,
            authentication_info=authentication_info,
            check_nonce=check_nonce,
            max_body=max_body,
        )
        role = _first_async(settings, ("authentication_info", "check_nonce"))
        if role is not None:
            raise TypeError(f"{role} must be a plain function, not a coroutine function")
        self.app = app
        self._gate = _Gate(settings)
        self._exclude = _Exclusions(exclude)
        self._excluding = self._exclude.active
        self._credentials_name = self._gate.credentials_header.encode("latin-1")
        # The last refusal sent and its encoded headers and body: the no-credentials
        # Decision is one object per sequence of fixed challenges (see decide), so the
        # commonest refusal is encoded once. Keyed on the frozen Decision itself.
        self._last_refusal: tuple[Decision, list[tuple[bytes, bytes]], bytes] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the request, or pass it on with the principal in a copy of the scope."""
        kind = scope["type"]
        if kind != "http" and kind != "websocket":
            await self.app(scope, receive, send)
            return
        if self._excluding and self._exclude(scope.get("path")):
            if PRINCIPAL_KEY in scope:  # no principal on a public path, whoever set one
                scope = {key: item for key, item in scope.items() if key != PRINCIPAL_KEY}
            await self.app(scope, receive, send)
            return
        # A snapshot of the header list: decoded only if verify reads request.headers.
        raw = tuple(scope.get("headers", ()))
        value = _raw_credentials_field(raw, self._credentials_name)
        gate = self._gate
        challenges = gate.current_challenges()
        body = None
        server = scope.get("server")
        lazy = _Deferred(_LAZY_FIELDS, (raw, server))
        headers: tuple[tuple[str, str], ...] | _Deferred[Any]
        if kind == "http" and gate.may_want_body and gate.wants_body(challenges, value):
            headers = _decoded(raw)
            body, receive = await self._read_content(headers, receive)
            if body is None:
                await self._refuse(scope, send, self._gate.too_large())
                return
        else:
            headers = lazy
        target, target_is_raw = _target_of(scope)
        method = scope.get("method", "GET")
        request = _request_info(
            method if type(method) is str else str(method),
            target,
            headers,
            body,
            lazy,
            target_is_raw,
        )
        outcome = await gate.check_async(challenges, request, value)
        if outcome.decision.status != 200:
            await self._refuse(scope, send, outcome)
            return
        scope = {**scope, PRINCIPAL_KEY: outcome.principal}
        if outcome.granted_headers:
            send = self._adding(send, _encoded(outcome.granted_headers))
        await self.app(scope, receive, send)

    async def _read_content(
        self, headers: Sequence[tuple[str, str]], receive: Receive
    ) -> tuple[bytes | None, Receive]:
        """The content (None when over ``max_body``) and a ``receive`` that replays it."""
        limit = self._gate.max_body
        lengths = [_declared_length(field) for name, field in headers if name == "content-length"]
        if any(length is not None and length > limit for length in lengths):
            return None, receive
        body, messages = await _read_body(receive, limit)
        return body, _replay(messages, receive)

    @staticmethod
    def _adding(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
        async def send_with_info(message: Message) -> None:
            if message["type"] in ("http.response.start", "websocket.http.response.start"):
                message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        return send_with_info

    async def _refuse(self, scope: Scope, send: Send, outcome: _Outcome) -> None:
        decision = outcome.decision
        last = self._last_refusal
        if last is not None and last[0] is decision:
            _, encoded, body = last
        else:
            encoded, body = _encoded(outcome.refusal_headers), outcome.body
            self._last_refusal = (decision, encoded, body)
        status = decision.status.value
        headers = list(encoded)  # the receiver's own list
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
        elif "websocket.http.response" in scope.get("extensions", {}):
            await send(
                {"type": "websocket.http.response.start", "status": status, "headers": headers}
            )
            await send({"type": "websocket.http.response.body", "body": body})
        else:
            # ASGI: websocket.close before websocket.accept makes the server answer 403.
            await send({"type": "websocket.close", "code": 1008})
