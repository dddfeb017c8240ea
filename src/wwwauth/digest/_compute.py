"""The computations of RFC 7616 §3.3-§3.5, each written once: H, KD, A1, A2, userhash.

Strings from a header are octets (ISO-8859-1, RFC 9110 §5.5); the user's name and
password are UTF-8 (RFC 7616 §4), except a plain username read back from a header, which
the caller passes as the octets it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from ..model import ascii_lower
from . import _sha512_256

QOP_AUTH: Final = "auth"
QOP_AUTH_INT: Final = "auth-int"

# RFC 7616 §3.7: SHA-256 is mandatory, SHA-512/256 the backup, MD5 for compatibility;
# §3.3: each also has a "-sess" variant.
ALGORITHMS: Final = (
    "SHA-256",
    "SHA-256-sess",
    "SHA-512-256",
    "SHA-512-256-sess",
    "MD5",
    "MD5-sess",
)
SESS_SUFFIX: Final = "-sess"

HexHash = Callable[[bytes], str]


def _md5(data: bytes) -> str:
    # MD5 here is RFC 7616's digest function, not a security primitive of ours.
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Algorithm:
    """A Digest algorithm: its H, whether it is a ``-sess`` variant, its digest's length.

    Attributes:
        hash_function: ``H(data)`` of RFC 7616 §3.3, as lower-case hex (§3.2).
        sess: a session variant (§3.4.2: A1 includes the nonces).
        digest_length: how many hex digits ``hash_function`` gives.
    """

    hash_function: HexHash
    sess: bool
    digest_length: int


def _algorithms() -> dict[str, Algorithm]:
    """Every algorithm of :data:`ALGORITHMS` by its lower-cased name."""
    # RFC 7616 §3.3: H(data) = <algorithm>(data)
    hashes: dict[str, HexHash] = {
        "md5": _md5,
        "sha-256": _sha256,
        "sha-512-256": _sha512_256.hexdigest,
    }
    table = {}
    for name, hash_function in hashes.items():
        length = len(hash_function(b""))
        table[name] = Algorithm(hash_function, False, length)
        table[name + SESS_SUFFIX] = Algorithm(hash_function, True, length)
    return table


_BY_NAME: Final = _algorithms()
# The lengths of the hex digests: an ``ha1`` of any other length is the caller's mistake,
# one of another of these lengths is for another algorithm than the client's.
HEX_DIGEST_LENGTHS: Final = frozenset(algorithm.digest_length for algorithm in _BY_NAME.values())


def find_algorithm(name: str) -> Algorithm | None:
    """The algorithm called ``name`` (ASCII case ignored, RFC 7616 §3.3), or None."""
    return _BY_NAME.get(ascii_lower(name))


def require_algorithm(name: str) -> Algorithm:
    """The algorithm called ``name``; ValueError when this module cannot compute it."""
    found = find_algorithm(name)
    if found is None:
        raise ValueError(
            f"unsupported Digest algorithm {name!r}: expected one of {', '.join(ALGORITHMS)} "
            "(RFC 7616 §3.3)"
        )
    return found


def is_supported_algorithm(name: str) -> bool:
    """Whether this module can compute Digest algorithm ``name`` (ASCII case ignored).

    >>> is_supported_algorithm("sha-512-256-sess"), is_supported_algorithm("SHA-1")
    (True, False)
    """
    return find_algorithm(name) is not None


def is_session_algorithm(name: str) -> bool:
    """Whether ``name`` is a ``-sess`` variant (supported or not), which needs a cnonce."""
    return ascii_lower(name).endswith(SESS_SUFFIX)


def octets(text: str) -> bytes:
    """A header-borne string as the octets it stands for (RFC 9110 §5.5: ISO-8859-1)."""
    return text.encode("latin-1")


def _join(*parts: bytes) -> bytes:
    return b":".join(parts)


def hashed_username(hash_function: HexHash, username: str, realm: str) -> str:
    """The hashed username of RFC 7616 §3.4.4 (the name as UTF-8, the realm's octets)."""
    # RFC 7616 §3.4.4: username = H( unq(username) ":" unq(realm) )
    return hash_function(_join(username.encode("utf-8"), octets(realm)))


def hash_a1(hash_function: HexHash, username: bytes, realm: str, password: str) -> str:
    """H(A1) of RFC 7616 §3.4.2 without the nonces: what a server may store (§5.2)."""
    # RFC 7616 §3.4.2: A1 = unq(username) ":" unq(realm) ":" passwd
    return hash_function(_join(username, octets(realm), password.encode("utf-8")))


def a2(hash_function: HexHash, method: str, uri: str, qop: str | None, body: bytes) -> bytes:
    """A2 of RFC 7616 §3.4.3 (``method`` is empty for rspauth, §3.5)."""
    if qop is not None and ascii_lower(qop) == QOP_AUTH_INT:
        # RFC 7616 §3.4.3: A2 = Method ":" request-uri ":" H(entity-body)
        return _join(octets(method), octets(uri), hash_function(bytes(body)).encode("ascii"))
    # RFC 7616 §3.4.3: A2 = Method ":" request-uri
    return _join(octets(method), octets(uri))


def request_digest(
    algorithm: Algorithm,
    ha1: str,
    *,
    nonce: str,
    cnonce: str | None,
    nc: str | None,
    qop: str | None,
    a2: bytes,
) -> str:
    """KD(H(A1), ...) of RFC 7616 §3.4.1, or the RFC 2069 form without qop.

    ``ha1`` is the stored one (:func:`hash_a1`); for a ``-sess`` algorithm the nonces are
    hashed in here.
    """
    hash_function = algorithm.hash_function
    if algorithm.sess:
        # RFC 7616 §3.4.2: A1 = H( unq(username) ":" unq(realm) ":" passwd ) ":" unq(nonce-prime) ":" unq(cnonce-prime)
        assert cnonce is not None  # callers check: a -sess algorithm needs a cnonce
        ha1 = hash_function(_join(ha1.encode("ascii"), octets(nonce), octets(cnonce)))
    ha2 = hash_function(a2)
    if qop is None:
        # RFC 2069 §2.1.2: request-digest = KD(H(A1), unq(nonce-value) ":" H(A2))
        data = _join(octets(nonce), ha2.encode("ascii"))
    else:
        # RFC 7616 §3.4.1: KD(H(A1), unq(nonce) ":" nc ":" unq(cnonce) ":" unq(qop) ":" H(A2))
        assert cnonce is not None and nc is not None
        data = _join(octets(nonce), octets(nc), octets(cnonce), octets(qop), ha2.encode("ascii"))
    # RFC 7616 §3.3: KD(secret, data) = H(concat(secret, ":", data))
    return hash_function(_join(ha1.encode("ascii"), data))


def hash_username(username: str, realm: str, *, algorithm: str = "SHA-256") -> str:
    """The hashed username of RFC 7616 §3.4.4: ``H(unq(username) ":" unq(realm))``.

    Args:
        username: the plain user name (hashed as UTF-8).
        realm: the realm as received (its octets are hashed).
        algorithm: the challenge's algorithm (a ``-sess`` suffix is ignored).

    Returns:
        The lower-case hex hash a server can index its users by.

    Raises:
        ValueError: unsupported algorithm.

    >>> hash_username("Mufasa", "http-auth@example.org", algorithm="MD5")
    '4238f3a16167373febb9bc4d43db9cc4'
    """
    return hashed_username(require_algorithm(algorithm).hash_function, username, realm)


def compute_ha1(username: str, realm: str, password: str, *, algorithm: str = "SHA-256") -> str:
    """The H(A1) a server may store instead of the password (RFC 7616 §3.4.2, §5.2).

    ``H(unq(username) ":" unq(realm) ":" passwd)``; for a ``-sess`` algorithm this is
    the inner hash, which :func:`verify` combines with the nonces per request.

    Args:
        username: the plain user name (UTF-8).
        realm: the realm (its octets).
        password: the password (UTF-8).
        algorithm: the algorithm; a ``-sess`` suffix is ignored.

    Returns:
        Lower-case hex.

    Raises:
        ValueError: unsupported algorithm.

    >>> compute_ha1("Mufasa", "http-auth@example.org", "Circle of Life", algorithm="MD5")
    '3d78807defe7de2157e2b0b6573a855f'
    """
    hash_function = require_algorithm(algorithm).hash_function
    return hash_a1(hash_function, username.encode("utf-8"), realm, password)
