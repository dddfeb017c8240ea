"""WSGI middleware that protects an application with challenges and a verify callback.

Standard library only (PEP 3333).

>>> from wwwauth import basic
>>> from wwwauth.integrations.wsgi import AuthMiddleware
>>> def verify(credentials, request):
...     return basic.decode(credentials)[0] if credentials.scheme == "Basic" else None
>>> def app(environ, start_response):
...     start_response("200 OK", [("Content-Type", "text/plain")])
...     return [f"hello {environ['wwwauth.principal']}".encode()]
>>> protected = AuthMiddleware(app, challenges=[basic.challenge("api")], verify=verify)

A request whose credentials ``verify`` accepts (and ``authorize``, if given, allows)
reaches the application with the principal in ``environ["wwwauth.principal"]`` (and in
``REMOTE_USER`` when it is a ``str``). Any other gets :func:`wwwauth.decide`'s answer:
401 with one ``WWW-Authenticate`` field line per challenge (407 and
``Proxy-Authenticate`` with ``proxy=True``), 400 for malformed Bearer credentials, 403
when ``authorize`` says no, with a plain-text body giving the reason.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING
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
)

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = [
    "PRINCIPAL_KEY",
    "STALE",
    "AuthMiddleware",
    "DigestVerifier",
    "RequestInfo",
    "Stale",
]

# RFC 3986 §3.3: the characters a path segment carries unencoded, and "/"
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def _target(environ: WSGIEnvironment) -> str:
    """The request-target: the raw one if the server gives it, else rebuilt (PEP 3333)."""
    for key in ("REQUEST_URI", "RAW_URI"):
        raw = environ.get(key)
        if isinstance(raw, str) and raw:
            return raw
    # PEP 3333: SCRIPT_NAME and PATH_INFO are decoded octets carried as ISO-8859-1 text.
    path = str(environ.get("SCRIPT_NAME", "")) + str(environ.get("PATH_INFO", ""))
    target = quote(path.encode("latin-1"), safe=_PATH_SAFE) or "/"
    query = environ.get("QUERY_STRING")
    return f"{target}?{query}" if query else target


def _headers(environ: WSGIEnvironment) -> tuple[tuple[str, str], ...]:
    headers = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers.append((key[5:].replace("_", "-").lower(), str(value)))
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            headers.append((key.replace("_", "-").lower(), str(value)))
    return tuple(headers)


def _read_body(environ: WSGIEnvironment) -> bytes:
    """Read the request content and put it back for the application."""
    stream = environ["wsgi.input"]
    if environ.get("wsgi.input_terminated"):
        body = stream.read()
    else:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = stream.read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return bytes(body)


class AuthMiddleware:
    """Protect a WSGI application: verify credentials, answer 401/403/407 with ``decide``.

    Args:
        app: the WSGI application to protect.
        challenges: what the application accepts, in order of preference: each a
            :class:`~wwwauth.Challenge`, or a function returning one per response
            (``DigestVerifier.challenge``, for a fresh nonce). Not empty.
        verify: ``verify(credentials, request_info)`` returns the principal (any
            object but None), None when the credentials are not accepted, or
            :data:`STALE` for Digest credentials whose nonce expired. A
            :class:`~wwwauth.ParseError` it raises counts as None. It runs only for
            credentials that parse, in a scheme of any kind.
        authorize: ``authorize(principal, request_info)``; False answers 403 (RFC 9110
            §15.5.4; with Bearer, ``insufficient_scope``). None allows everyone verified.
        proxy: act as a forward proxy: read ``Proxy-Authorization``, answer 407 with
            ``Proxy-Authenticate`` (RFC 9110 §15.5.8). PEP 3333 counts
            ``Proxy-Authenticate`` as hop-by-hop and forbids it to applications, and
            ``wsgiref`` refuses it: only a server that lets it through can serve this.
        authentication_info: ``authentication_info(credentials, request_info)``
            returns params for an ``Authentication-Info`` field added to granted
            responses (``DigestVerifier.authentication_info``), or None.

    Raises:
        ValueError: ``challenges`` is empty.

    >>> from wwwauth import bearer
    >>> mw = AuthMiddleware(lambda e, s: [], challenges=[bearer.challenge(realm="a")],
    ...                     verify=lambda credentials, request: None)
    >>> mw.principal_key
    'wwwauth.principal'
    """

    principal_key = PRINCIPAL_KEY

    def __init__(
        self,
        app: WSGIApplication,
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

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer the request, or pass it on with the principal in the environ."""
        key = "HTTP_PROXY_AUTHORIZATION" if self._gate.proxy else "HTTP_AUTHORIZATION"
        raw = environ.get(key)
        value = None if raw is None else str(raw)
        request = RequestInfo(
            method=str(environ.get("REQUEST_METHOD", "GET")),
            target=_target(environ),
            headers=_headers(environ),
            body=_read_body(environ) if self._gate.needs_body(value) else None,
        )
        outcome = self._gate.check(request, value)
        status = outcome.decision.status
        if status != 200:
            start_response(f"{status.value} {status.phrase}", outcome.refusal_headers)
            return [outcome.body]
        environ[PRINCIPAL_KEY] = outcome.principal
        if isinstance(outcome.principal, str):
            environ["REMOTE_USER"] = outcome.principal  # PEP 3333 / CGI (RFC 3875 §4.1.11)
        if not outcome.granted_headers:
            return self.app(environ, start_response)
        extra = list(outcome.granted_headers)

        def start_with_info(
            status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None
        ) -> Callable[[bytes], object]:
            return start_response(status, [*headers, *extra], exc_info)

        return self.app(environ, start_with_info)
