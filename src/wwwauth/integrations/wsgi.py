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
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Final, TypeVar
from urllib.parse import quote

from ..decide import Decision
from ._exclude import _Exclusions
from ._gate import (
    DEFAULT_MAX_BODY,
    PRINCIPAL_KEY,
    STALE,
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


def _quoted_target(parts: tuple[str, object]) -> str:
    """:func:`_target` rebuilt from an ASCII path and the query (``quote`` cannot fail)."""
    path, query = parts
    target = quote(path, safe=_PATH_SAFE) or "/"
    return f"{target}?{query}" if query else target


def _target_of(environ: WSGIEnvironment) -> tuple[str | _Deferred[tuple[str, object]], bool]:
    """:func:`_target` (deferred when it must be rebuilt and cannot fail), and
    :func:`_has_raw_target`."""
    get = environ.get
    for key in _RAW_TARGET_KEYS:
        raw = get(key)
        if type(raw) is str and raw:
            return raw, True
    script, path = get("SCRIPT_NAME", ""), get("PATH_INFO", "")
    if type(script) is str and type(path) is str and script.isascii() and path.isascii():
        # ASCII: quote() gives what _target's latin-1 encoding and quote give, and
        # cannot raise; the parts are immutable strings, read now.
        return _Deferred(_LAZY_TARGET, (script + path, get("QUERY_STRING"))), False
    return _target(environ), _has_raw_target(environ)  # may raise, as it did before


def _has_raw_target(environ: WSGIEnvironment) -> bool:
    """Whether the server gave the raw target (``REQUEST_URI``, ``RAW_URI``); ``wsgiref``
    gives only the decoded PATH_INFO, where ``%2F`` and ``/`` look alike."""
    return any(isinstance(environ.get(key), str) and environ[key] for key in _RAW_TARGET_KEYS)


def _headers(environ: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
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


# How RequestInfo's deferred fields are computed (from the target's parts, the environ).
_LAZY_TARGET: Final = {"target": _quoted_target}
_LAZY_HEADERS: Final = {"headers": _headers}


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
        exclude: paths left public (no credentials read, ``verify`` not called, no
            ``wwwauth.principal`` in the environ), as for the ASGI middleware: a path
            excludes exactly itself, one ending in ``/`` every path under it, or a
            predicate ``exclude(path) -> bool`` (only ``True`` excludes). Compared,
            exactly and case-sensitively, with ``PATH_INFO``: the decoded path below
            ``SCRIPT_NAME`` that the application routes on (PEP 3333). A path with an
            empty, ``.`` or ``..`` segment, a ``\\`` or a ``%`` is never excluded.

    Raises:
        ValueError: ``challenges`` is empty, ``max_body`` is negative, or an excluded
            path is not a plain absolute ASCII path (or is ``/``).
        TypeError: a callback is a coroutine function (WSGI cannot await it);
            ``exclude`` is a single string.

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
        role = _first_async(settings, ("verify", "authorize", "authentication_info", "check_nonce"))
        if role is not None:
            raise TypeError(
                f"{role} is a coroutine function, which WSGI cannot await: give a "
                "plain function (or use wwwauth.integrations.asgi)"
            )
        self.app = app
        self._gate = _Gate(settings)
        # PEP 3333 / CGI (RFC 3875 §4.1.18): HTTP_ and the field name, upper-cased, "-" as "_"
        self._environ_key = "HTTP_" + self._gate.credentials_header.upper().replace("-", "_")
        self._exclude = _Exclusions(exclude)
        # The last refusal sent, as its status line, headers and body: see the ASGI
        # middleware (the no-credentials Decision is one object per fixed challenges).
        self._last_refusal: tuple[Decision, str, list[tuple[str, str]], bytes] | None = None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer the request, or pass it on with the principal in the environ."""
        if self._exclude.active and self._exclude(environ.get("PATH_INFO")):
            environ.pop(PRINCIPAL_KEY, None)  # no principal on a public path, whoever set one
            return self.app(environ, start_response)
        raw = environ.get(self._environ_key)
        value = None if raw is None else str(raw)
        challenges = self._gate.current_challenges()
        body = None
        if self._gate.may_want_body and self._gate.wants_body(challenges, value):
            body = _read_body(environ, self._gate.max_body)
            if body is None:
                return self._refuse(start_response, self._gate.too_large())
        target, target_is_raw = _target_of(environ)
        request = _request_info(
            str(environ.get("REQUEST_METHOD", "GET")),
            target,
            # decoded on first read, from a copy of the environ as it is now
            _Deferred(_LAZY_HEADERS, dict(environ)),
            body,
            _authority(environ),
            target_is_raw,
        )
        outcome = self._gate.check(challenges, request, value)
        if outcome.decision.status != 200:
            return self._refuse(start_response, outcome)
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

    def _refuse(self, start_response: StartResponse, outcome: _Outcome) -> list[bytes]:
        decision = outcome.decision
        last = self._last_refusal
        if last is not None and last[0] is decision:
            _, status_line, headers, body = last
        else:
            status = decision.status
            status_line = f"{status.value} {status.phrase}"
            headers, body = outcome.refusal_headers, outcome.body
            self._last_refusal = (decision, status_line, headers, body)
        start_response(status_line, list(headers))  # the server's own list (it may add)
        return [body]
