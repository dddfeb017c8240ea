"""A ready ``verify`` for Digest: stateless signed nonces, replay checks, Authentication-Info.

:class:`DigestVerifier` issues nonces it can check without storing them, refuses a nonce
count that does not grow, answers :data:`~wwwauth.integrations.server.STALE` when only
the nonce expired (RFC 7616 §3.3), and can send ``Authentication-Info`` with ``rspauth``
and ``nextnonce`` (RFC 7616 §3.5).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import heapq
import hmac
import secrets
import struct
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Final, Literal
from urllib.parse import unquote_to_bytes, urlsplit

from .. import digest
from ..errors import ParseError
from ..model import Challenge, Credentials, ascii_lower
from ._gate import (
    STALE,
    RequestInfo,
    Stale,
    _is_auth_int,
    _is_sha512_256,
    _NonceIssuer,
    _sha512_256_is_native,
)

__all__ = ["DigestVerifier"]


_NONCE_STRUCT: Final = struct.Struct(">Q12s16s")  # issued (ms), salt, MAC

# RFC 9110 §4.2.1, §4.2.2: the schemes an absolute-form target may carry, their default ports.
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


def _host_and_port(authority: str, default_port: int) -> tuple[str, int] | None:
    """RFC 9110 §7.2 / RFC 3986 §3.2: ``uri-host [ ":" port ]``, host lower-cased, or None."""
    authority = authority.strip(" \t")  # RFC 9110 §5.5: OWS around a field value is not in it
    if (
        not authority
        or not authority.isascii()
        or not authority.isprintable()
        or any(char in authority for char in " /?#@\\")
    ):
        return None
    try:
        parts = urlsplit("//" + authority)
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return parts.hostname, default_port if port is None else port


# (scheme, host, port) of an absolute-form target, None for origin-form; path; query.
_Split = tuple[tuple[str, str, int] | None, str, str | None]


def _split_target(target: str) -> _Split | None:
    """Split an origin-form or absolute-form request-target (RFC 9112 §3.2.1, §3.2.2).

    ``origin-form = absolute-path [ "?" query ]``; ``absolute-form = absolute-URI``
    with an ``http`` or ``https`` scheme and no userinfo (RFC 9110 §4.2.4); an empty
    path is ``/`` (RFC 9110 §4.2.3). The scheme and host are lower-cased and a missing
    port is the scheme's default. None for anything else (``*``, authority-form, a
    fragment, whitespace, a port that does not parse).

    >>> _split_target("/a?b"), _split_target("HTTP://Example.org?b")
    ((None, '/a', 'b'), (('http', 'example.org', 80), '/', 'b'))
    """
    # RFC 9110 §4.1: a URI is visible ASCII; urlsplit would drop tabs and newlines.
    if not target.isascii() or not target.isprintable() or " " in target or "#" in target:
        return None
    if target.startswith("/"):
        path, mark, query = target.partition("?")
        return None, path, query if mark else None
    return _split_absolute(target)


def _split_absolute(target: str) -> _Split | None:
    """The absolute-form half of :func:`_split_target` (RFC 9112 §3.2.2)."""
    try:
        parts = urlsplit(target)
        port = parts.port
    except ValueError:
        return None
    scheme = ascii_lower(parts.scheme)
    default_port = _DEFAULT_PORTS.get(scheme)
    if default_port is None or not parts.hostname or "@" in parts.netloc:
        return None
    rest = target[len(parts.scheme) + 3 + len(parts.netloc) :]
    if target[len(parts.scheme) : len(parts.scheme) + 3] != "://" or rest[:1] not in ("", "/", "?"):
        return None
    path, mark, query = rest.partition("?")
    origin = (scheme, parts.hostname, default_port if port is None else port)
    return origin, path or "/", query if mark else None


def _request_authority(request: RequestInfo) -> str | None:
    if request.authority is not None:
        return request.authority
    return next((value for name, value in request.headers if name == "host"), None)


def _table_name(view: digest.DigestCredentials) -> str:
    """The plain user name as a user table spells it.

    The decoded ``username*`` (RFC 8187); else the ``username`` octets read as UTF-8
    when they are UTF-8 (the challenge says ``charset=UTF-8``, RFC 7616 §4, and curl,
    wget and Chromium send the name's UTF-8 octets in ``username``), else as
    ISO-8859-1 (the header's own reading).

    >>> view = digest.DigestCredentials(realm="r", nonce="n", uri="/", response="0",
    ...                                 username="Jos\u00c3\u00a9")
    >>> _table_name(view)
    'José'
    """
    name = view.name
    if view.username_ext is not None or name.isascii():
        return name
    try:
        return name.encode("latin-1").decode("utf-8")
    except UnicodeError:  # not UTF-8 (or not octets at all): the header's reading
        return name


def _digest_view(credentials: Credentials) -> digest.DigestCredentials | None:
    """The Digest view of ``credentials``, or None for another scheme or malformed ones."""
    if ascii_lower(credentials.scheme) != "digest":
        return None
    try:
        return digest.DigestCredentials.from_credentials(credentials)
    except ParseError:
        return None


def _is_right(view: digest.DigestCredentials, user: tuple[str, str], request: RequestInfo) -> bool:
    """Whether the response hash is right for ``user`` (a ValueError is a no)."""
    name, password = user
    try:
        return digest.verify(
            view,
            method=request.method,
            password=password,
            # A plain name is hashed as the octets the client sent (no username):
            # the table may spell it otherwise (read as UTF-8, see _table_name).
            username=name if view.userhash else None,
            body=request.body or b"",
        )
    except ValueError:
        return False


class DigestVerifier(_NonceIssuer):
    """Digest for the middleware: fresh signed nonces, verification, Authentication-Info.

    Pass :meth:`challenge` (the method itself, so each 401 gets a fresh nonce) among the
    middleware's challenges, the verifier as ``verify`` (or call it from yours for
    Digest credentials), and :meth:`authentication_info` as ``authentication_info``.
    The middleware then checks an auth-int nonce with :meth:`is_issued_nonce` before it
    reads any request content.

    Nonces are ``base64url(issued-time, salt, HMAC-SHA-256(secret, ...))``: nothing is
    stored per nonce issued. A request is checked in order of cost: realm, algorithm,
    qop, the nonce's MAC, the ``uri``, and only then the user and the response hash, so
    a nonce never issued costs one HMAC and no user lookup. With ``userhash`` the user
    is found in an index of hashed names, built when first needed and again whenever
    the number of users changes (a user renamed in place is found only after that);
    the password is always read from ``users``. A nonce older than ``nonce_lifetime``
    seconds answered correctly gives :data:`STALE` (RFC 7616 §3.3); a nonce count that
    does not grow also gives :data:`STALE` (the client knows the password; a replay is
    refused).

    Replay protection is per process (and per verifier): the highest count seen per
    nonce is kept in memory, for at most ``max_nonces`` nonces (about 210 bytes each,
    2 MB for the default 10,000) and at most the nonce's lifetime. Only correctly
    answered nonces are kept, so an unauthenticated client cannot fill the table. When
    it is full, the nonce issued earliest is forgotten, and any nonce issued no later
    than a forgotten one and not in the table gets :data:`STALE` (the client retries
    with a fresh nonce): a replay is never accepted because its count was forgotten.
    Processes sharing ``secret`` accept each other's nonces but not each other's
    counts, so a replay sent to another process is accepted there: keep a client on one
    process, or do not share the secret. Without qop (RFC 2069) there is no count, so a
    replay within the lifetime goes unnoticed: offer ``qop`` unless old clients need it.

    The ``uri`` must name the request-target's path and query, in origin-form or
    absolute-form whichever form the request line used (curl through a forward proxy
    sends ``GET http://host/x?y=1`` with ``uri="/x?y=1"``). An absolute-form ``uri``
    must name the request's own origin: its absolute-form target, else
    :attr:`RequestInfo.authority` (else its ``Host`` field), host compared
    case-insensitively, default ports filled in. When the server gave no raw target
    (:attr:`RequestInfo.target_is_raw` is False: ``wsgiref``) the paths are compared
    percent-decoded, as the server decoded its own. A ``uri`` that does not parse is a
    refusal, never an exception.

    A plain ``username`` is looked up as UTF-8 when its octets are UTF-8 (the
    challenge says ``charset=UTF-8``, RFC 7616 §4; curl, wget and Chromium send the
    name's UTF-8 octets), else as ISO-8859-1; ``username*`` is decoded (RFC 8187). The
    response is checked against the octets the client sent, so either spelling needs
    the user's password. Keep the names in ``users`` as text (``"José"``).

    ``auth-int`` hashes the whole request content (the middleware reads at most its
    ``max_body``). With SHA-512-256 and no OpenSSL SHA-512/256 (the pure-Python
    fallback, about 1.3 s per MiB), offering ``auth-int`` is refused at construction.

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
        max_nonces: the most nonces whose count is remembered (at least 1).

    Raises:
        ValueError: an unsupported algorithm (as :func:`wwwauth.digest.challenge`);
            ``auth-int`` with SHA-512-256 computed in pure Python; ``max_nonces`` < 1.

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
        max_nonces: int = 10_000,
    ) -> None:
        if max_nonces < 1:
            raise ValueError("max_nonces must be at least 1")
        self._users = users
        self.realm = realm
        self.algorithm = algorithm
        self._qop = tuple(qop)
        self._lifetime = nonce_lifetime
        self._userhash = userhash
        self._nextnonce = nextnonce
        self._secret = secrets.token_bytes(32) if secret is None else secret
        self._clock = clock
        self.max_nonces = max_nonces
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}  # nonce -> the highest nc accepted
        self._by_issue: list[tuple[float, str]] = []  # heap of (issued, nonce) of _counts
        self._forgotten_up_to = float("-inf")  # the latest issue time evicted for room
        self._hashed_names: dict[str, str] = {}  # userhash index: H(name:realm) -> name
        self._hashed_count = -1  # len(users) when the index was built
        self.challenge()  # fail now on a bad algorithm or qop
        if self._offers_auth_int and not self._auth_int_affordable():
            raise ValueError(
                "auth-int with SHA-512-256 needs OpenSSL's sha512_256: the pure-Python "
                "fallback would hash each request body at about 1.3 s per MiB"
            )

    @property
    def _offers_auth_int(self) -> bool:
        return digest.QOP_AUTH_INT in map(ascii_lower, self._qop)

    def _auth_int_affordable(self) -> bool:
        return not _is_sha512_256(self.algorithm) or _sha512_256_is_native()

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
        if len(nonce) != 48:  # base64 of the 36 packed octets: refuse the rest unread
            return None
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

    def is_issued_nonce(self, nonce: str) -> bool:
        """Whether this verifier (or one with its secret and realm) issued ``nonce``.

        One HMAC-SHA-256 over a few octets: the middleware asks it before reading the
        content of an ``auth-int`` request. An expired nonce is still one it issued
        (its correct answer gets :data:`STALE`).

        >>> verifier = DigestVerifier({}, realm="r")
        >>> verifier.is_issued_nonce(verifier.new_nonce()), verifier.is_issued_nonce("abc")
        (True, False)
        """
        return self._nonce_issued(nonce) is not None

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

    def _name_of_hash(self, hashed: str) -> str | None:
        """The user whose hashed name (RFC 7616 §3.4.4) is ``hashed``, or None."""
        with self._lock:
            if self._hashed_count != len(self._users):
                # Built once per change in the number of users, never per request.
                self._hashed_names = {
                    digest.hash_username(name, self.realm, algorithm=self.algorithm): name
                    for name in self._users
                }
                self._hashed_count = len(self._users)
            return self._hashed_names.get(ascii_lower(hashed))

    def _user(self, view: digest.DigestCredentials) -> tuple[str, str] | None:
        """(name, password) of the user the credentials name, or None."""
        name = self._name_of_hash(view.name) if view.userhash else _table_name(view)
        found = None if name is None else self._users.get(name)
        return None if name is None or found is None else (name, found)

    def _matches_target(self, uri: str, request: RequestInfo) -> bool:
        """RFC 7616 §3.4.6: ``uri`` is the request-target, in either form.

        A client may write the ``uri`` in origin-form while its request line is in
        absolute-form (curl through a forward proxy), and a proxy may forward an
        absolute-form ``uri`` to an origin that receives origin-form (RFC 9110 §7.1):
        path and query must be the same, and an absolute-form ``uri`` must name the
        request's origin (its absolute-form target, else its authority).
        """
        if uri == request.target:
            return True
        given, received = _split_target(uri), _split_target(request.target)
        if given is None or received is None:
            return False
        (given_origin, given_path, given_query) = given
        (received_origin, received_path, received_query) = received
        if given_query != received_query:
            return False
        if request.target_is_raw:
            if given_path != received_path:
                return False
        # Rebuilt from a decoded path: compare decoded octets (PEP 3333 PATH_INFO).
        elif unquote_to_bytes(given_path) != unquote_to_bytes(received_path):
            return False
        if given_origin is None:
            return True  # origin-form: a resource of whatever origin received the request
        if received_origin is not None:
            return given_origin == received_origin
        authority = _request_authority(request)
        if authority is None:
            return False
        scheme, host, port = given_origin
        return (host, port) == _host_and_port(authority, _DEFAULT_PORTS[scheme])

    def __call__(
        self, credentials: Credentials, request: RequestInfo
    ) -> str | Literal[Stale.STALE] | None:
        """Verify Digest credentials: the user name, :data:`STALE`, or None.

        Args:
            credentials: the credentials received (other schemes give None).
            request: the request (its method, target, authority and, for auth-int,
                body: ``body=None`` refuses auth-int credentials).

        Returns:
            The plain user name when the response is right and the nonce fresh;
            :data:`STALE` when it is right but the nonce expired or its count did not
            grow (or may have been forgotten); None otherwise.

        Raises:
            ParseError: never; malformed Digest credentials give None.
        """
        view = _digest_view(credentials)
        # Everything that costs no more than the header fields comes first, then the
        # nonce's MAC; the user and the response hash only for a nonce issued here.
        if view is None or not self._answers_offer(view, request):
            return None
        issued = self._nonce_issued(view.nonce)
        if issued is None or not self._matches_target(view.uri, request):
            return None
        # An expired nonce still gets the response checked: RFC 7616 §3.3 wants
        # stale=true only for a right answer. (Any client can get a fresh nonce from a
        # 401, so checking freshness first would save an attacker nothing.)
        user = self._user(view)
        if user is None or not _is_right(view, user, request):
            return None
        return self._fresh(view, issued, user[0])

    def _answers_offer(self, view: digest.DigestCredentials, request: RequestInfo) -> bool:
        """Whether the realm, algorithm and qop are this verifier's, and auth-int can be checked."""
        if view.realm != self.realm or ascii_lower(view.effective_algorithm) != ascii_lower(
            self.algorithm
        ):
            return False
        if (view.qop is None) != (not self._qop) or (
            view.qop is not None and ascii_lower(view.qop) not in map(ascii_lower, self._qop)
        ):
            return False
        # auth-int needs the content read (and affordable to hash)
        return not _is_auth_int(view.qop) or (
            request.body is not None and self._auth_int_affordable()
        )

    def _fresh(
        self, view: digest.DigestCredentials, issued: float, name: str
    ) -> str | Literal[Stale.STALE]:
        """``name`` for a right answer on a fresh nonce with a growing count, else STALE."""
        now = self._clock()
        if now - issued > self._lifetime:
            return STALE
        count = view.nonce_count
        if count is not None and not self._count_grows(view.nonce, issued, count, now):
            return STALE  # RFC 7616 §5.5: a count that does not grow is a replay
        return name

    def _count_grows(self, nonce: str, issued: float, count: int, now: float) -> bool:
        """Record ``count`` for ``nonce`` if it is above the last one (bounded state)."""
        with self._lock:
            # Forget nonces past their lifetime (they get STALE from the clock anyway).
            while self._by_issue and now - self._by_issue[0][0] > self._lifetime:
                _, old = heapq.heappop(self._by_issue)
                del self._counts[old]
            last = self._counts.get(nonce)
            if last is None:
                if issued <= self._forgotten_up_to:
                    return False  # its count may have been forgotten: never a replay
                heapq.heappush(self._by_issue, (issued, nonce))
            elif count <= last:
                return False
            self._counts[nonce] = count
            while len(self._counts) > self.max_nonces:
                forgotten_issued, old = heapq.heappop(self._by_issue)
                del self._counts[old]
                self._forgotten_up_to = max(self._forgotten_up_to, forgotten_issued)
            return True

    @property
    def remembered_nonces(self) -> int:
        """How many nonce counts are kept now (never more than ``max_nonces``)."""
        with self._lock:
            return len(self._counts)

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
        view = _digest_view(credentials)
        user = None if view is None else self._user(view)
        if view is None or user is None:
            return None
        nextnonce = self.new_nonce() if self._nextnonce else None
        if _is_auth_int(view.qop):
            return None if nextnonce is None else {"nextnonce": nextnonce}
        name, password = user
        return digest.authentication_info(
            view,
            password=password,
            username=name if view.userhash else None,
            nextnonce=nextnonce,
        )
