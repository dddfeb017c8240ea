"""Stored password secrets: plain passwords and Django-format PBKDF2 / scrypt hashes.

The part of :mod:`wwwauth.integrations.verifiers` that reads and writes stored secrets
and checks a password against one in constant time, with a decoy of the same cost for an
unknown user.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from typing import Final, Literal, Protocol

# OWASP's 2023 figure for PBKDF2-HMAC-SHA256 (Django 5.x uses 1,000,000 or more).
DEFAULT_PBKDF2_ITERATIONS: Final = 600_000

_logger = logging.getLogger("wwwauth.integrations")

# A stored hash names its algorithm before the first "$" (Django's and passlib's habit).
_ALGORITHM_RE: Final = re.compile(r"[a-z][a-z0-9_]*")
_SALT_RE: Final = re.compile(r"[A-Za-z0-9+/=._-]{1,256}")
_MAX_SCRYPT_MEMORY: Final = 1 << 30  # refuse a stored scrypt cost above 1 GiB


# ------------------------------------------------------------------------ stored secrets


class _Stored(Protocol):
    def matches(self, password: bytes) -> bool: ...

    def decoy(self) -> _Stored: ...


@dataclass(frozen=True, slots=True)
class _Plain:
    digest: bytes  # SHA-256 of the password: compare_digest then sees equal lengths

    def matches(self, password: bytes) -> bool:
        return hmac.compare_digest(hashlib.sha256(password).digest(), self.digest)

    def decoy(self) -> _Stored:
        return _Plain(secrets.token_bytes(32))


@dataclass(frozen=True, slots=True)
class _Pbkdf2:
    iterations: int
    salt: str
    hash: bytes

    def matches(self, password: bytes) -> bool:
        derived = hashlib.pbkdf2_hmac(
            "sha256", password, self.salt.encode("ascii"), self.iterations, len(self.hash)
        )
        return hmac.compare_digest(derived, self.hash)

    def decoy(self) -> _Stored:
        return _Pbkdf2(self.iterations, secrets.token_hex(11), _random(self.hash))


@dataclass(frozen=True, slots=True)
class _Scrypt:
    n: int
    salt: str
    r: int
    p: int
    hash: bytes

    def matches(self, password: bytes) -> bool:
        derived = hashlib.scrypt(
            password,
            salt=self.salt.encode("ascii"),
            n=self.n,
            r=self.r,
            p=self.p,
            maxmem=_scrypt_memory(self.n, self.r, self.p),
            dklen=len(self.hash),
        )
        return hmac.compare_digest(derived, self.hash)

    def decoy(self) -> _Stored:
        return _Scrypt(self.n, secrets.token_hex(11), self.r, self.p, _random(self.hash))


def _random(like: bytes) -> bytes:
    return secrets.token_bytes(len(like))


def _scrypt_memory(n: int, r: int, p: int) -> int:
    # RFC 7914 §2: scrypt uses 128 * r * (n + p) octets; leave OpenSSL some room.
    return 128 * r * (n + p + 2) + (1 << 20)


def _positive(text: str) -> int:
    if not text.isascii() or not text.isdigit() or len(text) > 12 or int(text) < 1:
        raise ValueError("not a positive integer")
    return int(text)


def _b64(text: str) -> bytes:
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError("not base64") from None
    if not raw:
        raise ValueError("an empty hash")
    return raw


def _salt(text: str) -> str:
    if _SALT_RE.fullmatch(text) is None:
        raise ValueError("a salt outside the base64url alphabet")
    return text


def _parse_stored(stored: str) -> _Stored:
    """The stored secret ``stored`` as a checker; ValueError (never echoing it) if unknown."""
    algorithm, dollar, rest = stored.partition("$")
    if not dollar:
        return _Plain(hashlib.sha256(stored.encode("utf-8")).digest())
    if algorithm == "plain":
        return _Plain(hashlib.sha256(rest.encode("utf-8")).digest())
    fields = rest.split("$")
    if algorithm == "pbkdf2_sha256" and len(fields) == 3:
        iterations, salt, digest = fields
        return _Pbkdf2(_positive(iterations), _salt(salt), _b64(digest))
    if algorithm == "scrypt" and len(fields) == 5:
        n_text, salt, r_text, p_text, digest = fields
        n, r, p = _positive(n_text), _positive(r_text), _positive(p_text)
        if n < 2 or n & (n - 1) or _scrypt_memory(n, r, p) > _MAX_SCRYPT_MEMORY:
            raise ValueError("scrypt n must be a power of 2 above 1, within 1 GiB")
        return _Scrypt(n, _salt(salt), r, p, _b64(digest))
    if _ALGORITHM_RE.fullmatch(algorithm) is not None:
        raise ValueError(f"unsupported stored hash algorithm {algorithm!r}")
    raise ValueError("a stored secret with '$' that is no known stored hash form")


def hash_password(
    password: str,
    *,
    algorithm: Literal["pbkdf2_sha256", "scrypt"] = "pbkdf2_sha256",
    iterations: int = DEFAULT_PBKDF2_ITERATIONS,
    n: int = 2**14,
    r: int = 8,
    p: int = 5,
) -> str:
    """A stored secret for ``password``, in Django's format (see the module docstring).

    Args:
        password: the password (hashed as its UTF-8 octets).
        algorithm: ``"pbkdf2_sha256"`` (the default) or ``"scrypt"``.
        iterations: PBKDF2 iterations.
        n: scrypt cost (a power of 2).
        r: scrypt block size.
        p: scrypt parallelism.

    Raises:
        ValueError: an unknown algorithm or parameters outside what is accepted back.
    """
    salt = secrets.token_hex(11)
    octets = password.encode("utf-8")
    if algorithm == "pbkdf2_sha256":
        stored = f"pbkdf2_sha256${iterations}${salt}$"
        stored += base64.b64encode(
            hashlib.pbkdf2_hmac("sha256", octets, salt.encode("ascii"), iterations, 32)
        ).decode("ascii")
    elif algorithm == "scrypt":
        stored = f"scrypt${n}${salt}${r}${p}$"
        stored += base64.b64encode(
            hashlib.scrypt(
                octets,
                salt=salt.encode("ascii"),
                n=n,
                r=r,
                p=p,
                maxmem=_scrypt_memory(n, r, p),
                dklen=64,
            )
        ).decode("ascii")
    else:
        raise ValueError(f"unknown algorithm {algorithm!r}")
    _parse_stored(stored)  # what is written must read back
    return stored


def _default_decoy() -> _Stored:
    return _Pbkdf2(DEFAULT_PBKDF2_ITERATIONS, secrets.token_hex(11), secrets.token_bytes(32))


class _PasswordCheck:
    """Checks a password against a stored secret, or a decoy of the same cost when none."""

    def __init__(self) -> None:
        self._decoy: _Stored | None = None

    def matches(self, stored: object, password: str) -> bool:
        checker: _Stored | None = None
        if isinstance(stored, str):
            try:
                checker = _parse_stored(stored)
            except ValueError as exc:
                _logger.warning("refused a stored secret: %s", exc)
        octets = password.encode("utf-8")
        if checker is None:
            decoy = self._decoy if self._decoy is not None else _default_decoy()
            self._decoy = decoy
            decoy.matches(octets)  # the same work as a wrong password, always a no
            return False
        self._decoy = checker.decoy()
        return checker.matches(octets)
