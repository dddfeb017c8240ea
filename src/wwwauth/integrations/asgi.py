"""ASGI middleware that protects an application with challenges and a verify callback.

Standard library only (the ASGI 3 interface; no framework needed).

>>> from wwwauth import basic
>>> from wwwauth.integrations.asgi import AuthMiddleware
>>> def verify(credentials, request):
...     return basic.decode(credentials)[0] if credentials.scheme == "Basic" else None
>>> async def app(scope, receive, send):
...     ...  # scope["wwwauth.principal"] is the user name
>>> protected = AuthMiddleware(app, challenges=[basic.challenge("api")], verify=verify)

An ``http`` request whose credentials ``verify`` accepts (and ``authorize``, if given,
allows) reaches the application with a copy of the scope holding the principal under
``scope["wwwauth.principal"]``. Any other gets :func:`wwwauth.decide`'s answer: 401
with one ``WWW-Authenticate`` field line per challenge (407 and ``Proxy-Authenticate``
with ``proxy=True``), 400 for malformed Bearer credentials, 403 when ``authorize`` says
no, with a plain-text body giving the reason.

A ``websocket`` handshake is checked the same way. A refusal is sent as that HTTP
response when the server offers the ``websocket.http.response`` extension, and as a
``websocket.close`` before accepting otherwise (the server then answers 403). Other
scopes (``lifespan``) pass through.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any
from urllib.parse import quote

from .server import (
    PRINCIPAL_KEY,
    STALE,
    Authorize,
    ChallengeSource,
    DigestVerifier,
    InfoCallback,
    RequestInfo,
    Stale,
    Verify,
    _Gate,
    _Outcome,
)

__all__ = [
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


async def _read_body(receive: Receive) -> tuple[bytes, list[Message]]:
    """Read the whole request content, keeping the messages to replay them."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
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


def _encoded(headers: Sequence[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]


class AuthMiddleware:
    """Protect an ASGI application: verify credentials, answer 401/403/407 with ``decide``.

    Args:
        app: the ASGI application to protect.
        challenges: what the application accepts, in order of preference: each a
            :class:`~wwwauth.Challenge`, or a function returning one per response
            (``DigestVerifier.challenge``, for a fresh nonce). Not empty.
        verify: ``verify(credentials, request_info)`` returns the principal (any
            object but None), None when the credentials are not accepted, or
            :data:`STALE` for Digest credentials whose nonce expired. A
            :class:`~wwwauth.ParseError` it raises counts as None. It is called in
            the event loop: keep it quick, or look users up in memory.
        authorize: ``authorize(principal, request_info)``; False answers 403 (RFC 9110
            §15.5.4; with Bearer, ``insufficient_scope``). None allows everyone verified.
        proxy: act as a forward proxy: read ``Proxy-Authorization``, answer 407 with
            ``Proxy-Authenticate`` (RFC 9110 §15.5.8).
        authentication_info: ``authentication_info(credentials, request_info)``
            returns params for an ``Authentication-Info`` field added to granted
            responses (``DigestVerifier.authentication_info``), or None.

    Raises:
        ValueError: ``challenges`` is empty.

    >>> from wwwauth import bearer
    >>> async def app(scope, receive, send): ...
    >>> mw = AuthMiddleware(app, challenges=[bearer.challenge(realm="a")],
    ...                     verify=lambda credentials, request: None)
    >>> mw.principal_key
    'wwwauth.principal'
    """

    principal_key = PRINCIPAL_KEY

    def __init__(
        self,
        app: ASGIApp,
        *,
        challenges: Sequence[ChallengeSource],
        verify: Verify,
        authorize: Authorize | None = None,
        proxy: bool = False,
        authentication_info: InfoCallback | None = None,
    ) -> None:
        self.app = app
        self._gate = _Gate(
            challenges=challenges,
            verify=verify,
            authorize=authorize,
            proxy=proxy,
            authentication_info=authentication_info,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the request, or pass it on with the principal in a copy of the scope."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        wanted = self._gate.credentials_header.encode("ascii")
        lines = [value for name, value in scope.get("headers", ()) if name.lower() == wanted]
        # Several lines are joined as RFC 9110 §5.3 says; the strict parser refuses them.
        value = ", ".join(line.decode("latin-1") for line in lines) if lines else None
        body = None
        if scope["type"] == "http" and self._gate.needs_body(value):
            body, messages = await _read_body(receive)
            receive = _replay(messages, receive)
        request = RequestInfo(
            method=str(scope.get("method", "GET")),
            target=_target(scope),
            headers=tuple(
                (name.decode("latin-1").lower(), field.decode("latin-1"))
                for name, field in scope.get("headers", ())
            ),
            body=body,
        )
        outcome = self._gate.check(request, value)
        if outcome.decision.status != 200:
            await self._refuse(scope, send, outcome)
            return
        scope = {**scope, PRINCIPAL_KEY: outcome.principal}
        if outcome.granted_headers:
            send = self._adding(send, _encoded(outcome.granted_headers))
        await self.app(scope, receive, send)

    @staticmethod
    def _adding(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
        async def send_with_info(message: Message) -> None:
            if message["type"] in ("http.response.start", "websocket.http.response.start"):
                message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        return send_with_info

    async def _refuse(self, scope: Scope, send: Send, outcome: _Outcome) -> None:
        status = outcome.decision.status.value
        headers = _encoded(outcome.refusal_headers)
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": outcome.body})
        elif "websocket.http.response" in scope.get("extensions", {}):
            await send(
                {"type": "websocket.http.response.start", "status": status, "headers": headers}
            )
            await send({"type": "websocket.http.response.body", "body": outcome.body})
        else:
            # ASGI: websocket.close before websocket.accept makes the server answer 403.
            await send({"type": "websocket.close", "code": 1008})
