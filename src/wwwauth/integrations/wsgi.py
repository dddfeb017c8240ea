"""WSGI middleware that protects an application with challenges and a verify callback.

Standard library only (PEP 3333).

>>> import hmac
>>> from wwwauth import basic
>>> from wwwauth.integrations.wsgi import AuthMiddleware
>>> PASSWORDS = {"alice": "correct horse"}
>>> def verify(credentials, request):
...     if not credentials.is_scheme("Basic"):  # scheme names are case-insensitive
...         return None
...     user, password = basic.decode(credentials)  # a ParseError counts as None
...     expected = PASSWORDS.get(user)
...     if expected is None or not hmac.compare_digest(password.encode(), expected.encode()):
...         return None
...     return user
>>> def app(environ, start_response):
...     start_response("200 OK", [("Content-Type", "text/plain")])
...     return [f"hello {environ['wwwauth.principal']}".encode()]
>>> protected = AuthMiddleware(app, challenges=[basic.challenge("api")], verify=verify)
>>> from io import BytesIO
>>> def call(authorization):
...     environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "wsgi.input": BytesIO(),
...                "HTTP_AUTHORIZATION": authorization}
...     return b"".join(protected(environ, lambda status, headers: None))
>>> call("basic YWxpY2U6Y29ycmVjdCBob3JzZQ==")
b'hello alice'
>>> call(str(basic.encode("alice", "wrong")))
b'The Basic credentials were not accepted: 401...'

A request whose credentials ``verify`` accepts (and ``authorize``, if given, allows)
reaches the application with the principal in ``environ["wwwauth.principal"]`` (and in
``REMOTE_USER`` when it is a ``str``). Any other gets :func:`wwwauth.decide`'s answer:
401 with one ``WWW-Authenticate`` field line per challenge (407 and
``Proxy-Authenticate`` with ``proxy=True``), 400 for malformed Bearer credentials, 403
when ``authorize`` says no, with a plain-text body giving the reason. What is a grant,
and what an exception gives (500, logged), is in :mod:`wwwauth.integrations.server`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import quote

from ._gate import (
    DEFAULT_MAX_BODY,
    PRINCIPAL_KEY,
    STALE,
    Authorize,
    ChallengeSource,
    InfoCallback,
    NonceCheck,
    RequestInfo,
    Stale,
    Verify,
    _declared_length,
    _Gate,
    _is_async_callable,
)
from .digest_verifier import DigestVerifier

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = [
    "DEFAULT_MAX_BODY",
    "PRINCIPAL_KEY",
    "STALE",
    "AuthMiddleware",
    "DigestVerifier",
    "RequestInfo",
    "Stale",
]

_P = TypeVar("_P")

# RFC 3986 §3.3: the characters a path segment carries unencoded, and "/"
_PATH_SAFE = "/:@!$&'()*+,;=-._~"

# Where servers put the request-target as received (waitress, uWSGI, mod_wsgi; gunicorn).
_RAW_TARGET_KEYS = ("REQUEST_URI", "RAW_URI")

# The most octets asked of wsgi.input at once.
_CHUNK = 1 << 16


def _target(environ: WSGIEnvironment) -> str:
    """The request-target: the raw one if the server gives it, else rebuilt (PEP 3333)."""
    for key in _RAW_TARGET_KEYS:
        raw = environ.get(key)
        if isinstance(raw, str) and raw:
            return raw
    # PEP 3333: SCRIPT_NAME and PATH_INFO are decoded octets carried as ISO-8859-1 text.
    path = str(environ.get("SCRIPT_NAME", "")) + str(environ.get("PATH_INFO", ""))
    target = quote(path.encode("latin-1"), safe=_PATH_SAFE) or "/"
    query = environ.get("QUERY_STRING")
    return f"{target}?{query}" if query else target


def _has_raw_target(environ: WSGIEnvironment) -> bool:
    """Whether the server gave the raw target (``REQUEST_URI``, ``RAW_URI``); ``wsgiref``
    gives only the decoded PATH_INFO, where ``%2F`` and ``/`` look alike."""
    return any(isinstance(environ.get(key), str) and environ[key] for key in _RAW_TARGET_KEYS)


def _headers(environ: WSGIEnvironment) -> tuple[tuple[str, str], ...]:
    headers = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers.append((key[5:].replace("_", "-").lower(), str(value)))
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            headers.append((key.replace("_", "-").lower(), str(value)))
    return tuple(headers)


def _authority(environ: WSGIEnvironment) -> str | None:
    """RFC 9110 §7.2: the Host field, else SERVER_NAME and SERVER_PORT (PEP 3333)."""
    host = environ.get("HTTP_HOST")
    if host:
        return str(host)
    name, port = environ.get("SERVER_NAME"), environ.get("SERVER_PORT")
    if not name:
        return None
    return f"{name}:{port}" if port else str(name)


def _read_body(environ: WSGIEnvironment, limit: int) -> bytes | None:
    """Read at most ``limit`` content octets and put them back for the application.

    Returns None, having read nothing, when ``CONTENT_LENGTH`` declares more than
    ``limit``, and None, having read ``limit + 1`` octets, when a stream that ends by
    itself (``wsgi.input_terminated``) holds more. ``CONTENT_LENGTH`` only ever lowers
    what is read (PEP 3333: never read past it), never sizes an allocation.
    """
    stream = environ["wsgi.input"]
    if environ.get("wsgi.input_terminated"):
        wanted = limit + 1
    else:
        declared = _declared_length(environ.get("CONTENT_LENGTH"))
        if declared is not None and declared > limit:
            return None
        wanted = declared or 0
    chunks: list[bytes] = []
    size = 0
    while size < wanted:
        chunk = stream.read(min(_CHUNK, wanted - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        return None
    body = b"".join(chunks)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


class AuthMiddleware:
    """Protect a WSGI application: verify credentials, answer 401/403/407 with ``decide``.

    Args:
        app: the WSGI application to protect.
        challenges: as for :class:`wwwauth.integrations.asgi.AuthMiddleware`: the
            challenges (or functions returning one per response) in order of preference.
        verify: ``verify(credentials, request_info)`` returns the principal, None (or
            False) when the credentials are not accepted, or :data:`STALE` for Digest
            credentials whose nonce expired. Only a principal that is neither None nor
            False is a grant. A ``ValueError`` it raises (:class:`~wwwauth.ParseError`
            included) counts as None; any other exception, or an awaitable result, is
            logged and answered 500. It runs only for credentials that parse, in a
            scheme of any kind. Not a coroutine function.
        authorize: ``authorize(principal, request_info)``; only ``True`` allows,
            anything else answers 403 (RFC 9110 §15.5.4; with Bearer,
            ``insufficient_scope``); an exception or an awaitable result is logged and
            answered 500. None allows everyone verified. Not a coroutine function.
        proxy: act as a forward proxy: read ``Proxy-Authorization``, answer 407 with
            ``Proxy-Authenticate`` (RFC 9110 §15.5.8). PEP 3333 counts
            ``Proxy-Authenticate`` as hop-by-hop and forbids it to applications, and
            ``wsgiref`` refuses it: only a server that lets it through can serve this.
        authentication_info: as for the ASGI middleware: params for an
            ``Authentication-Info`` field of granted responses, or None.
        check_nonce: as for the ASGI middleware: True for a Digest nonce you issued;
            the content of an ``auth-int`` request is read only after a nonce check.
        max_body: the most content octets read for ``auth-int``: a ``CONTENT_LENGTH``
            above it is answered 413 (RFC 9110 §15.5.14) without reading, and at most
            ``max_body + 1`` octets are ever read.

    Raises:
        ValueError: ``challenges`` is empty, or ``max_body`` is negative.
        TypeError: a callback is a coroutine function (WSGI cannot await it).

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
        verify: Verify[_P],
        authorize: Authorize[_P] | None = None,
        proxy: bool = False,
        authentication_info: InfoCallback | None = None,
        check_nonce: NonceCheck | None = None,
        max_body: int = DEFAULT_MAX_BODY,
    ) -> None:
        for role, function in (
            ("verify", verify),
            ("authorize", authorize),
            ("authentication_info", authentication_info),
            ("check_nonce", check_nonce),
        ):
            if _is_async_callable(function):
                raise TypeError(
                    f"{role} is a coroutine function, which WSGI cannot await: give a "
                    "plain function (or use wwwauth.integrations.asgi)"
                )
        self.app = app
        self._gate = _Gate(
            challenges=challenges,
            verify=verify,
            authorize=authorize,
            proxy=proxy,
            authentication_info=authentication_info,
            check_nonce=check_nonce,
            max_body=max_body,
        )
        # PEP 3333 / CGI (RFC 3875 §4.1.18): HTTP_ and the field name, upper-cased, "-" as "_"
        self._environ_key = "HTTP_" + self._gate.credentials_header.upper().replace("-", "_")

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer the request, or pass it on with the principal in the environ."""
        raw = environ.get(self._environ_key)
        value = None if raw is None else str(raw)
        challenges = self._gate.current_challenges()
        body = None
        if self._gate.wants_body(challenges, value):
            body = _read_body(environ, self._gate.max_body)
            if body is None:
                outcome = self._gate.too_large()
                status = outcome.decision.status
                start_response(f"{status.value} {status.phrase}", outcome.refusal_headers)
                return [outcome.body]
        request = RequestInfo(
            method=str(environ.get("REQUEST_METHOD", "GET")),
            target=_target(environ),
            headers=_headers(environ),
            body=body,
            authority=_authority(environ),
            target_is_raw=_has_raw_target(environ),
        )
        outcome = self._gate.check(challenges, request, value)
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
