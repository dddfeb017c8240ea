"""The computations of RFC 7616 §3.3-§3.5: H, KD, A1 (and its ``-sess`` form), A2.

Strings from a header are octets (ISO-8859-1, RFC 9110 §5.5); the caller encodes the
user's name and password (UTF-8, §4) before they get here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
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

_HexHash = Callable[[bytes], str]


def _md5(data: bytes) -> str:
    # MD5 here is RFC 7616's digest function, not a security primitive of ours.
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# RFC 7616 §3.3: H(data) = <algorithm>(data), as lower-case hex (§3.2).
_HASHES: Final[Mapping[str, _HexHash]] = {
    "md5": _md5,
    "sha-256": _sha256,
    "sha-512-256": _sha512_256.hexdigest,
}
_SESS_SUFFIX: Final = "-sess"
# The lengths of the hex digests above: an ``ha1`` of any other length is the caller's
# mistake, one of another of these lengths is for another algorithm than the client's.
_HEX_DIGEST_LENGTHS: Final = frozenset(
    len(hash_function(b"")) for hash_function in _HASHES.values()
)


def _algorithm(name: str) -> tuple[_HexHash, bool] | None:
    """The hash function of ``name`` and whether it is a session variant, or None."""
    key = ascii_lower(name)
    sess = key.endswith(_SESS_SUFFIX)
    hash_function = _HASHES.get(key[: -len(_SESS_SUFFIX)] if sess else key)
    return None if hash_function is None else (hash_function, sess)


def _require_algorithm(name: str) -> tuple[_HexHash, bool]:
    found = _algorithm(name)
    if found is None:
        raise ValueError(
            f"unsupported Digest algorithm {name!r}: expected one of {', '.join(ALGORITHMS)} "
            "(RFC 7616 §3.3)"
        )
    return found


def _octets(text: str) -> bytes:
    """A header-borne string as the octets it stands for (RFC 9110 §5.5: ISO-8859-1)."""
    return text.encode("latin-1")


def _join(*parts: bytes) -> bytes:
    return b":".join(parts)


def _keyed_digest(
    hash_function: _HexHash,
    sess: bool,
    ha1: str,
    *,
    nonce: str,
    cnonce: str | None,
    nc: str | None,
    qop: str | None,
    a2: bytes,
) -> str:
    """KD(H(A1), ...) of RFC 7616 §3.4.1, or the RFC 2069 form without qop."""
    if sess:
        # RFC 7616 §3.4.2: A1 = H( unq(username) ":" unq(realm) ":" passwd ) ":" unq(nonce-prime) ":" unq(cnonce-prime)
        assert cnonce is not None  # callers check: a -sess algorithm needs a cnonce
        ha1 = hash_function(_join(ha1.encode("ascii"), _octets(nonce), _octets(cnonce)))
    ha2 = hash_function(a2)
    if qop is None:
        # RFC 2069 §2.1.2: request-digest = KD(H(A1), unq(nonce-value) ":" H(A2))
        data = _join(_octets(nonce), ha2.encode("ascii"))
    else:
        # RFC 7616 §3.4.1: KD(H(A1), unq(nonce) ":" nc ":" unq(cnonce) ":" unq(qop) ":" H(A2))
        assert cnonce is not None and nc is not None
        data = _join(
            _octets(nonce), _octets(nc), _octets(cnonce), _octets(qop), ha2.encode("ascii")
        )
    # RFC 7616 §3.3: KD(secret, data) = H(concat(secret, ":", data))
    return hash_function(_join(ha1.encode("ascii"), data))


def _a2(hash_function: _HexHash, method: str, uri: str, qop: str | None, body: bytes) -> bytes:
    """A2 of RFC 7616 §3.4.3 (``method`` is empty for rspauth, §3.5)."""
    if qop is not None and ascii_lower(qop) == QOP_AUTH_INT:
        # RFC 7616 §3.4.3: A2 = Method ":" request-uri ":" H(entity-body)
        return _join(_octets(method), _octets(uri), hash_function(bytes(body)).encode("ascii"))
    # RFC 7616 §3.4.3: A2 = Method ":" request-uri
    return _join(_octets(method), _octets(uri))
