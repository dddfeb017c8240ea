"""The server side shared by the ASGI and WSGI middleware, and a ready Digest verifier.

Standard library only. :class:`wwwauth.integrations.asgi.AuthMiddleware` and
:class:`wwwauth.integrations.wsgi.AuthMiddleware` call your ``verify`` with the parsed
credentials and a :class:`RequestInfo`, your optional ``authorize`` with what ``verify``
returned, and answer with :func:`wwwauth.decide` (401, 400, 403, 407, one field line per
challenge, Bearer error codes). :class:`DigestVerifier` is a ``verify`` for Digest with
a user table: it issues stateless signed nonces, checks them (``stale`` when only the
nonce expired, RFC 7616 §3.3), refuses a nonce count that does not grow, and can send
``Authentication-Info`` with ``rspauth`` and ``nextnonce`` (RFC 7616 §3.5).

>>> from wwwauth import Credentials, basic
>>> from wwwauth.integrations.server import DigestVerifier, RequestInfo
>>> verifier = DigestVerifier({"Mufasa": "Circle of Life"}, realm="api")
>>> challenge = verifier.challenge()
>>> from wwwauth import digest
>>> credentials = digest.respond(challenge, username="Mufasa", password="Circle of Life",
...                              method="GET", uri="/")
>>> verifier(credentials, RequestInfo(method="GET", target="/"))
'Mufasa'
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import hmac
import secrets
import struct
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Final, Literal
from urllib.parse import urlsplit

from .. import digest
from .._serialize import format_authentication_info
from ..decide import Decision, decide
from ..errors import ParseError
from ..model import Challenge, Credentials, ascii_lower
from ..parsing import parse_authorization, parse_proxy_authorization

__all__ = [
    "PRINCIPAL_KEY",
    "STALE",
    "Authorize",
    "ChallengeSource",
    "DigestVerifier",
    "InfoCallback",
    "RequestInfo",
    "Stale",
    "Verify",
]

# Where the middleware puts the verified principal: ASGI scope / WSGI environ key.
PRINCIPAL_KEY: Final = "wwwauth.principal"


class Stale(enum.Enum):
    """The type of :data:`STALE`."""

    STALE = "stale"


# What ``verify`` returns when Digest credentials are right but their nonce expired:
# the middleware re-issues the Digest challenges with stale=true (RFC 7616 §3.3).
STALE: Final = Stale.STALE


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestInfo:
    """What ``verify`` and ``authorize`` see of a request.

    Attributes:
        method: the request method.
        target: the request-target, percent-encoded, with the query: the raw target
            when the server gives it (ASGI ``raw_path``, WSGI ``REQUEST_URI`` or
            ``RAW_URI``), else rebuilt from the decoded path.
        headers: the header fields, names lower-cased, values as ISO-8859-1 text.
        body: the request content, read only when the credentials are Digest with
            ``qop=auth-int`` (RFC 7616 §3.4.3 hashes it); None otherwise.

    >>> RequestInfo(method="GET", target="/a?b=1").body is None
    True
    """

    method: str
    target: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None


# A challenge, or a function returning a fresh one per response (a Digest nonce).
ChallengeSource = Challenge | Callable[[], Challenge]
# verify(credentials, request) -> principal, None (not verified) or STALE.
Verify = Callable[[Credentials, RequestInfo], Any]
# authorize(principal, request) -> whether the principal may do this (else 403).
Authorize = Callable[[Any, RequestInfo], bool]
# authentication_info(credentials, request) -> Authentication-Info params, or None.
InfoCallback = Callable[[Credentials, RequestInfo], Mapping[str, str] | None]


@dataclass(frozen=True, slots=True)
class _Outcome:
    """The gate's answer: the decision, the principal when granted, headers to add then."""

    decision: Decision
    principal: Any = None
    granted_headers: tuple[tuple[str, str], ...] = ()

    @property
    def body(self) -> bytes:
        """The plain-text body of a refusal."""
        return (self.decision.reason + "\n").encode("utf-8")

    @property
    def refusal_headers(self) -> list[tuple[str, str]]:
        body = self.body
        return [
            *self.decision.headers,
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
        ]


class _Gate:
    """The logic of both middleware: read the credentials, verify, authorize, decide.

    Args:
        challenges: see ``AuthMiddleware``.
        verify, authorize, proxy, authentication_info: see ``AuthMiddleware``.

    Raises:
        ValueError: ``challenges`` is empty.
    """

    def __init__(
        self,
        *,
        challenges: Sequence[ChallengeSource],
        verify: Verify,
        authorize: Authorize | None,
        proxy: bool,
        authentication_info: InfoCallback | None,
    ) -> None:
        if isinstance(challenges, Challenge) or not challenges:
            raise ValueError("challenges must be a non-empty sequence (RFC 9110 §15.5.2)")
        self._challenges = tuple(challenges)
        self._verify = verify
        self._authorize = authorize
        self.proxy = proxy
        self._authentication_info = authentication_info
        # RFC 9110 §11.7.2: a proxy reads Proxy-Authorization; §11.6.2 Authorization
        self.credentials_header: Final = "proxy-authorization" if proxy else "authorization"

    def _parse(self, value: str) -> Credentials:
        return (parse_proxy_authorization if self.proxy else parse_authorization)(value)

    def needs_body(self, value: str | None) -> bool:
        """Whether the credentials are Digest with ``qop=auth-int`` (the content is hashed)."""
        if value is None:
            return False
        try:
            credentials = self._parse(value)
        except ParseError:
            return False
        qop = credentials.params.get("qop")
        return (
            ascii_lower(credentials.scheme) == "digest"
            and qop is not None
            and ascii_lower(qop) == digest.QOP_AUTH_INT
        )

    def _current_challenges(self) -> list[Challenge]:
        return [
            source if isinstance(source, Challenge) else source() for source in self._challenges
        ]

    def check(self, request: RequestInfo, value: str | None) -> _Outcome:
        """Decide on ``request`` carrying the credentials field ``value`` (or none)."""
        challenges = self._current_challenges()
        if value is None:
            return _Outcome(
                decide(
                    challenges=challenges, credentials=None, authenticated=False, proxy=self.proxy
                )
            )
        try:
            credentials = self._parse(value)
        except ParseError:
            # decide tells a malformed Bearer (400) from other broken attempts (401).
            return _Outcome(
                decide(
                    challenges=challenges, credentials=value, authenticated=False, proxy=self.proxy
                )
            )
        try:
            principal = self._verify(credentials, request)
        except ParseError:
            principal = None  # e.g. Digest credentials without a nonce: not verified
        if principal is STALE:
            try:
                return _Outcome(
                    decide(
                        challenges=challenges,
                        credentials=credentials,
                        authenticated=False,
                        proxy=self.proxy,
                        stale=True,
                    )
                )
            except ValueError:
                principal = None  # not Digest after all: an ordinary refusal
        if principal is None:
            return _Outcome(
                decide(
                    challenges=challenges,
                    credentials=credentials,
                    authenticated=False,
                    proxy=self.proxy,
                )
            )
        authorized = True if self._authorize is None else self._authorize(principal, request)
        decision = decide(
            challenges=challenges,
            credentials=credentials,
            authenticated=True,
            authorized=authorized,
            proxy=self.proxy,
        )
        granted: tuple[tuple[str, str], ...] = ()
        if decision.status == HTTPStatus.OK and self._authentication_info is not None:
            params = self._authentication_info(credentials, request)
            if params:
                # RFC 9110 §11.6.3 / §11.7.3
                name = "Proxy-Authentication-Info" if self.proxy else "Authentication-Info"
                granted = ((name, format_authentication_info(params)),)
        return _Outcome(decision, principal, granted)


# --------------------------------------------------------------------------- Digest


_NONCE_STRUCT: Final = struct.Struct(">Q12s16s")  # issued (ms), salt, MAC


class DigestVerifier:
    """Digest for the middleware: fresh signed nonces, verification, Authentication-Info.

    Pass :meth:`challenge` (the method itself, so each 401 gets a fresh nonce) among the
    middleware's challenges, the verifier as ``verify`` (or call it from yours for
    Digest credentials), and :meth:`authentication_info` as ``authentication_info``.

    Nonces are ``base64url(issued-time, salt, HMAC-SHA-256(secret, ...))``: nothing is
    stored per nonce issued. A nonce older than ``nonce_lifetime`` seconds answered
    correctly gives :data:`STALE` (RFC 7616 §3.3); a nonce count that does not grow
    also gives :data:`STALE` (the client knows the password; a replay is refused). The
    highest count seen per nonce is kept in memory for the nonce's lifetime. Without
    qop (RFC 2069) there is no count, so a replay within the lifetime goes unnoticed:
    offer ``qop`` unless old clients need it.

    Args:
        users: user name -> password (plain; hashed per request).
        realm: the realm of the challenges.
        algorithm: one of :data:`wwwauth.digest.ALGORITHMS`.
        qop: the qop options offered (``("auth",)``, ``("auth", "auth-int")``, or
            ``()`` for RFC 2069 clients).
        nonce_lifetime: seconds a nonce stays fresh.
        userhash: offer hashed user names (RFC 7616 §3.4.4).
        nextnonce: send a fresh ``nextnonce`` in Authentication-Info.
        secret: the HMAC key for nonces; random per verifier when None (give the same
            key to every process that must accept the others' nonces).
        clock: seconds since the epoch, for tests.

    Raises:
        ValueError: an unsupported algorithm (as :func:`wwwauth.digest.challenge`).

    >>> verifier = DigestVerifier({"u": "p"}, realm="r", algorithm="SHA-512-256")
    >>> verifier.challenge().params["algorithm"]
    'SHA-512-256'
    """

    def __init__(
        self,
        users: Mapping[str, str],
        *,
        realm: str,
        algorithm: str = "SHA-256",
        qop: Sequence[str] = (digest.QOP_AUTH,),
        nonce_lifetime: float = 300.0,
        userhash: bool = False,
        nextnonce: bool = False,
        secret: bytes | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._users = users
        self.realm = realm
        self.algorithm = algorithm
        self._qop = tuple(qop)
        self._lifetime = nonce_lifetime
        self._userhash = userhash
        self._nextnonce = nextnonce
        self._secret = secrets.token_bytes(32) if secret is None else secret
        self._clock = clock
        self._lock = threading.Lock()
        self._counts: OrderedDict[str, tuple[int, float]] = OrderedDict()  # nonce -> (nc, issued)
        self.challenge()  # fail now on a bad algorithm or qop

    def _mac(self, issued: int, salt: bytes) -> bytes:
        data = b"%d:%b:%b" % (issued, salt, self.realm.encode("utf-8"))
        return hmac.new(self._secret, data, hashlib.sha256).digest()[:16]

    def new_nonce(self) -> str:
        """A fresh nonce (RFC 7616 §3.3: "uniquely generated each time a 401 ... is made")."""
        issued = int(self._clock() * 1000)
        salt = secrets.token_bytes(12)
        packed = _NONCE_STRUCT.pack(issued, salt, self._mac(issued, salt))
        return base64.urlsafe_b64encode(packed).decode("ascii")

    def _nonce_issued(self, nonce: str) -> float | None:
        """When this verifier issued ``nonce`` (seconds), or None if it did not."""
        try:
            packed = base64.urlsafe_b64decode(nonce.encode("ascii"))
            issued, salt, mac = _NONCE_STRUCT.unpack(packed)
        except (UnicodeEncodeError, binascii.Error, struct.error, ValueError):
            return None
        if base64.urlsafe_b64encode(packed).decode("ascii") != nonce:
            return None  # one nonce, one spelling: the nonce count is kept per spelling
        if not hmac.compare_digest(mac, self._mac(issued, salt)):
            return None
        return float(issued) / 1000

    def challenge(self) -> Challenge:
        """A Digest challenge with a fresh nonce (RFC 7616 §3.3).

        >>> DigestVerifier({}, realm="r").challenge().scheme
        'Digest'
        """
        return digest.challenge(
            realm=self.realm,
            nonce=self.new_nonce(),
            qop=self._qop,
            algorithm=self.algorithm,
            userhash=self._userhash,
        )

    def _user(self, view: digest.DigestCredentials) -> tuple[str, str] | None:
        """(name, password) of the user the credentials name, or None."""
        if view.userhash:
            # RFC 7616 §3.4.4: the server looks the hash up among its users.
            wanted = ascii_lower(view.name)
            for name, password in self._users.items():
                hashed = digest.hash_username(name, view.realm, algorithm=self.algorithm)
                if hmac.compare_digest(hashed.encode("ascii"), wanted.encode("latin-1")):
                    return name, password
            return None
        found = self._users.get(view.name)
        return None if found is None else (view.name, found)

    def _matches_target(self, uri: str, target: str) -> bool:
        # RFC 7616 §3.4.6: uri is the request-target; a proxy may have sent it in
        # absolute-form and the origin receive it in origin-form.
        if uri == target:
            return True
        parts = urlsplit(uri)
        if not parts.scheme:
            return False
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "") == target

    def __call__(
        self, credentials: Credentials, request: RequestInfo
    ) -> str | Literal[Stale.STALE] | None:
        """Verify Digest credentials: the user name, :data:`STALE`, or None.

        Args:
            credentials: the credentials received (other schemes give None).
            request: the request (its method, target and, for auth-int, body).

        Returns:
            The plain user name when the response is right and the nonce fresh;
            :data:`STALE` when it is right but the nonce expired or its count did not
            grow; None otherwise.

        Raises:
            ParseError: never; malformed Digest credentials give None.
        """
        if ascii_lower(credentials.scheme) != "digest":
            return None
        try:
            view = digest.DigestCredentials.from_credentials(credentials)
        except ParseError:
            return None
        if (
            view.realm != self.realm
            or ascii_lower(view.effective_algorithm) != ascii_lower(self.algorithm)
            or not self._matches_target(view.uri, request.target)
        ):
            return None
        if (view.qop is None) != (not self._qop) or (
            view.qop is not None and ascii_lower(view.qop) not in map(ascii_lower, self._qop)
        ):
            return None
        issued = self._nonce_issued(view.nonce)
        user = self._user(view)
        if issued is None or user is None:
            return None
        name, password = user
        try:
            right = digest.verify(
                view,
                method=request.method,
                password=password,
                username=name,
                body=request.body or b"",
            )
        except ValueError:
            return None
        if not right:
            return None
        now = self._clock()
        if now - issued > self._lifetime:
            return STALE
        count = view.nonce_count
        if count is not None:
            with self._lock:
                # Forget counts of nonces past their lifetime, oldest first.
                while self._counts:
                    oldest = next(iter(self._counts))
                    if now - self._counts[oldest][1] <= self._lifetime:
                        break
                    del self._counts[oldest]
                last = self._counts.get(view.nonce, (0, issued))[0]
                if count <= last:
                    return STALE  # RFC 7616 §5.5: a count that does not grow is a replay
                self._counts[view.nonce] = (count, issued)
        return name

    def authentication_info(
        self, credentials: Credentials, request: RequestInfo
    ) -> Mapping[str, str] | None:
        """The Authentication-Info for accepted credentials: ``rspauth``, ``nextnonce``.

        ``rspauth`` proves the server knows the password (RFC 7616 §3.5); it is left
        out for ``qop=auth-int``, whose ``rspauth`` hashes the response content, which
        the middleware has not seen yet.

        Returns:
            The params, or None for credentials that are not this verifier's Digest.
        """
        if ascii_lower(credentials.scheme) != "digest":
            return None
        try:
            view = digest.DigestCredentials.from_credentials(credentials)
        except ParseError:
            return None
        user = self._user(view)
        if user is None:
            return None
        nextnonce = self.new_nonce() if self._nextnonce else None
        if view.qop is not None and ascii_lower(view.qop) == digest.QOP_AUTH_INT:
            return None if nextnonce is None else {"nextnonce": nextnonce}
        name, password = user
        return digest.authentication_info(
            view, password=password, username=name, nextnonce=nextnonce
        )
