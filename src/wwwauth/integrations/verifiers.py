"""Ready ``verify`` callbacks for Basic and Bearer, so no application writes crypto.

Standard library only. Each verifier is a ``verify(credentials, request)`` as the ASGI
and WSGI middleware (and the framework adapters) call it: it returns the principal, or
None for a refusal. A lookup that raises lets the exception through (the middleware
answers 500 and logs its type, never its message); every other odd value (None, False,
a non-string stored secret, a stored hash that does not parse, an awaitable where none
can be awaited) is a refusal.

:class:`BasicVerifier` checks a user-id and password (RFC 7617) against a mapping or a
lookup of user -> stored secret. A stored secret is either a plain password or a stored
hash in one of these self-describing forms (the first two are Django's, so a Django
user table can be reused as it is):

* ``pbkdf2_sha256$<iterations>$<salt>$<base64 hash>``: PBKDF2-HMAC-SHA256, 32-octet
  hash (Django's ``PBKDF2PasswordHasher``; :meth:`BasicVerifier.hash_password` writes
  this form by default);
* ``scrypt$<n>$<salt>$<r>$<p>$<base64 hash>``: scrypt, 64-octet hash (Django's
  ``ScryptPasswordHasher``);
* ``plain$<password>``: a plain password that itself contains ``$``.

A stored secret with no ``$`` is a plain password. One with a ``$`` in any other form
(``argon2$...``, ``bcrypt$...``, ``$2b$...``) is refused, never compared as a password:
otherwise the stored hash itself would be accepted as the password.

An unknown user costs the same work as a known user with a wrong password: the
password is checked against a decoy secret of the same form and cost as the last one
looked up (a default PBKDF2 hash before any), and the answer is always no. Secrets are
compared with :func:`hmac.compare_digest`.

:class:`BearerVerifier` looks a token up (RFC 6750) and returns a principal that has
``scopes`` (:class:`Scoped`, e.g. :class:`Principal`), so a route can require scopes
and answer 403 ``insufficient_scope`` (RFC 6750 §3.1) with :meth:`BearerVerifier.missing_scopes`.

:class:`AsyncBasicVerifier` and :class:`AsyncBearerVerifier` take coroutine lookups (and
plain ones); their ``__call__`` is a coroutine function, which is how the middleware and
the adapters tell them apart (:attr:`is_async`): a sync framework refuses them at
construction, and the sync verifiers refuse a coroutine lookup with TypeError.

>>> from wwwauth import basic
>>> verifier = BasicVerifier({"aladdin": "open sesame"})
>>> verifier(basic.encode("aladdin", "open sesame"))
'aladdin'
>>> verifier(basic.encode("aladdin", "wrong")) is None
True
>>> tokens = BearerVerifier({"read-token": Principal(name="reader", scopes=frozenset({"read"}))})
>>> tokens.check("read-token")
Principal(name='reader', scopes=frozenset({'read'}))
>>> sorted(tokens.missing_scopes(tokens.check("read-token"), ["read", "admin"]))
['admin']
"""

from __future__ import annotations

import hashlib
import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import ClassVar, Generic, Protocol, TypeVar, overload

from .. import basic, bearer
from ..errors import ParseError
from ..model import Credentials, ascii_lower
from ._gate_options import _is_async_callable
from ._passwords import DEFAULT_PBKDF2_ITERATIONS, _parse_stored, _PasswordCheck, hash_password

__all__ = [
    "DEFAULT_PBKDF2_ITERATIONS",
    "AsyncBasicVerifier",
    "AsyncBearerVerifier",
    "BasicVerifier",
    "BearerVerifier",
    "Principal",
    "Scoped",
    "hash_password",
    "scopes_of",
]


_logger = logging.getLogger("wwwauth.integrations")

_P = TypeVar("_P")
_S = TypeVar("_S", bound="Scoped")


# --------------------------------------------------------------------------- principals


class Scoped(Protocol):
    """A principal that carries the scopes it was granted (RFC 6750 §3.3 ``scope``)."""

    @property
    def scopes(self) -> AbstractSet[str]:
        """The scope tokens granted."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Principal:
    """Who was authenticated, and the scopes granted to them.

    Attributes:
        name: the principal's name (what a route shows or logs; never a secret).
        scopes: the scope tokens granted (RFC 6750 §3.3), a frozenset of str.

    >>> Principal(name="ops", scopes=frozenset({"read", "admin"})).scopes >= {"admin"}
    True
    >>> Principal(name="ops", scopes="read admin")
    Traceback (most recent call last):
    ...
    TypeError: scopes must be a frozenset of str
    """

    name: str
    scopes: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        name: object = self.name
        scopes: object = self.scopes
        if not isinstance(name, str):
            raise TypeError("name must be a str")
        if not isinstance(scopes, frozenset) or not all(isinstance(s, str) for s in scopes):
            raise TypeError("scopes must be a frozenset of str")


def scopes_of(principal: object) -> frozenset[str]:
    """The scopes a principal holds; none for anything that is not a set of str.

    Fails closed: a principal without ``scopes`` (a Basic user name), a ``scopes`` that
    is a str (``"read admin"`` is not a set of scopes) or holds a non-str, or a
    ``scopes`` property that raises, all give the empty set.

    >>> sorted(scopes_of(Principal(name="a", scopes=frozenset({"x"})))), scopes_of("aladdin")
    (['x'], frozenset())
    """
    try:
        scopes = getattr(principal, "scopes", None)
    except Exception:  # noqa: BLE001 - a broken property grants nothing
        return frozenset()
    if isinstance(scopes, (str, bytes)) or not isinstance(scopes, AbstractSet):
        return frozenset()
    if not all(isinstance(scope, str) for scope in scopes):
        return frozenset()
    return frozenset(scopes)


def _refuse_async(what: str, function: object, instead: str) -> None:
    if _is_async_callable(function):
        raise TypeError(f"{what} is a coroutine function: use {instead}")


def _discard(value: object) -> None:
    """Close an awaitable nobody will await (no 'never awaited' warning, no grant)."""
    close = getattr(value, "close", None)
    if inspect.iscoroutine(value) and callable(close):
        close()


def _user_and_password(credentials: Credentials, charset: str) -> tuple[str, str] | None:
    if ascii_lower(credentials.scheme) != "basic":
        return None
    try:
        return basic.decode(credentials, charset=charset)
    except ParseError:
        return None


def _bearer_token(credentials: Credentials) -> str | None:
    if ascii_lower(credentials.scheme) != "bearer":
        return None
    try:
        return bearer.token(credentials)
    except ParseError:
        return None


def _granted(principal: object) -> bool:
    return principal is not None and principal is not False and not inspect.isawaitable(principal)


def _is_scoped(principal: object) -> bool:
    """Whether ``principal`` has ``scopes``, a set of str (an empty set is fine)."""
    try:
        scopes = getattr(principal, "scopes", None)
    except Exception:  # noqa: BLE001 - a broken property is no principal
        return False
    # A str is no AbstractSet, so "read admin" is refused here.
    return isinstance(scopes, AbstractSet) and all(isinstance(scope, str) for scope in scopes)


def _bearer_granted(principal: object) -> bool:
    # A Bearer principal must say what it may do: one without a set of scopes is refused.
    return _granted(principal) and _is_scoped(principal)


# ----------------------------------------------------------------------------- Basic

UserLookup = Callable[[str], str | None]
AsyncUserLookup = Callable[[str], Awaitable[str | None]]


class _BasicBase(Generic[_P]):
    is_async: ClassVar[bool]

    def __init__(
        self,
        users: Mapping[str, str] | Callable[[str], object],
        *,
        principal: Callable[[str], object] | None,
        charset: str,
    ) -> None:
        if isinstance(users, Mapping):
            for user, stored in users.items():
                if not isinstance(stored, str):
                    raise TypeError(f"the stored secret of {user!r} is not a str")
                try:
                    _parse_stored(stored)
                except ValueError as exc:
                    raise ValueError(f"the stored secret of {user!r}: {exc}") from None
        elif not callable(users):
            raise TypeError("users must be a mapping or a lookup callable")
        self._users = users
        self._principal = principal
        self._charset = charset
        self._check = _PasswordCheck()

    # A stored secret for a password (:func:`hash_password`), e.g.
    # ``BasicVerifier.hash_password("open sesame")``.
    hash_password = staticmethod(hash_password)


class BasicVerifier(_BasicBase[_P]):
    """``verify`` for Basic: a user table or lookup of stored secrets, principal or None.

    Args:
        users: user-id -> stored secret (a plain password or a stored hash, see the
            module docstring); checked at construction and read at each request (a
            live table), or a function user-id -> stored secret or None.
        principal: maps the verified user-id to the principal returned (None or
            False from it is a refusal); the user-id itself when not given.
        charset: how the user-pass octets are decoded (RFC 7617 §2.1).

    Raises:
        TypeError: a coroutine function as ``users`` or ``principal`` (use
            :class:`AsyncBasicVerifier`), or a stored secret that is not a str.
        ValueError: a stored secret with ``$`` in no supported form (the message
            names the user, never the secret).
    """

    is_async: ClassVar[bool] = False

    @overload
    def __init__(
        self: BasicVerifier[str],
        users: Mapping[str, str] | UserLookup,
        *,
        charset: str = "utf-8",
    ) -> None: ...

    @overload
    def __init__(
        self,
        users: Mapping[str, str] | UserLookup,
        *,
        principal: Callable[[str], _P | None],
        charset: str = "utf-8",
    ) -> None: ...

    def __init__(
        self,
        users: Mapping[str, str] | UserLookup,
        *,
        principal: Callable[[str], _P | None] | None = None,
        charset: str = "utf-8",
    ) -> None:
        _refuse_async("users", users, "AsyncBasicVerifier")
        _refuse_async("principal", principal, "AsyncBasicVerifier")
        super().__init__(users, principal=principal, charset=charset)

    def _lookup(self, user: str) -> object:
        if isinstance(self._users, Mapping):
            return self._users.get(user)
        stored = self._users(user)
        if inspect.isawaitable(stored):
            _discard(stored)
            return None
        return stored

    def check(self, user: str, password: str) -> _P | None:
        """The principal for a decoded user-id and password, or None.

        >>> BasicVerifier({"u": "p"}, principal=str.upper).check("u", "p")
        'U'
        """
        if not self._check.matches(self._lookup(user), password):
            return None
        result: object = user if self._principal is None else self._principal(user)
        return result if _granted(result) else None  # type: ignore[return-value]

    def __call__(self, credentials: Credentials, request: object = None) -> _P | None:
        """Verify Basic credentials: the principal, or None (other schemes, bad base64 too)."""
        pair = _user_and_password(credentials, self._charset)
        if pair is None:
            return None
        return self.check(*pair)


class AsyncBasicVerifier(_BasicBase[_P]):
    """:class:`BasicVerifier` whose lookup (and ``principal``) may be coroutine functions.

    Its ``__call__`` and :meth:`check` are coroutine functions: for ASGI and the async
    frameworks only. The password derivation runs in the event loop (about as long as
    one PBKDF2 hash: keep the cost in line with your latency budget).
    """

    is_async: ClassVar[bool] = True

    @overload
    def __init__(
        self: AsyncBasicVerifier[str],
        users: Mapping[str, str] | UserLookup | AsyncUserLookup,
        *,
        charset: str = "utf-8",
    ) -> None: ...

    @overload
    def __init__(
        self,
        users: Mapping[str, str] | UserLookup | AsyncUserLookup,
        *,
        principal: Callable[[str], Awaitable[_P | None]],
        charset: str = "utf-8",
    ) -> None: ...

    @overload
    def __init__(
        self,
        users: Mapping[str, str] | UserLookup | AsyncUserLookup,
        *,
        principal: Callable[[str], _P | None],
        charset: str = "utf-8",
    ) -> None: ...

    def __init__(
        self,
        users: Mapping[str, str] | UserLookup | AsyncUserLookup,
        *,
        principal: Callable[[str], object] | None = None,
        charset: str = "utf-8",
    ) -> None:
        super().__init__(users, principal=principal, charset=charset)

    async def _lookup(self, user: str) -> object:
        if isinstance(self._users, Mapping):
            return self._users.get(user)
        stored = self._users(user)
        if inspect.isawaitable(stored):
            stored = await stored
        return stored

    async def check(self, user: str, password: str) -> _P | None:
        """The principal for a decoded user-id and password, or None."""
        if not self._check.matches(await self._lookup(user), password):
            return None
        result: object = user if self._principal is None else self._principal(user)
        if inspect.isawaitable(result):
            result = await result
        return result if _granted(result) else None  # type: ignore[return-value]

    async def __call__(self, credentials: Credentials, request: object = None) -> _P | None:
        """Verify Basic credentials: the principal, or None."""
        pair = _user_and_password(credentials, self._charset)
        if pair is None:
            return None
        return await self.check(*pair)


# ----------------------------------------------------------------------------- Bearer


def _token_key(token: str) -> bytes:
    # Tokens are looked up by their SHA-256, so how far a dict compares a guessed token
    # with a real one tells nothing about the real one.
    return hashlib.sha256(token.encode("utf-8")).digest()


class _BearerBase(Generic[_S]):
    is_async: ClassVar[bool]

    def __init__(self, tokens: Mapping[str, _S] | Callable[[str], object]) -> None:
        if isinstance(tokens, Mapping):
            if not all(_is_scoped(principal) for principal in tokens.values()):
                raise TypeError("every principal must have scopes, a set of str (see Scoped)")
            self._table: dict[bytes, _S] | None = {
                _token_key(token): principal for token, principal in tokens.items()
            }
            self._lookup_function: Callable[[str], object] | None = None
        elif callable(tokens):
            self._table = None
            self._lookup_function = tokens
        else:
            raise TypeError("tokens must be a mapping or a lookup callable")

    @staticmethod
    def scopes_of(principal: object) -> frozenset[str]:
        """The scopes ``principal`` holds (:func:`scopes_of`)."""
        return scopes_of(principal)

    @staticmethod
    def missing_scopes(principal: object, required: Iterable[str]) -> frozenset[str]:
        """The scopes of ``required`` that ``principal`` lacks (all of them if it has none).

        A non-empty answer is RFC 6750 §3.1 ``insufficient_scope``: 403 with the
        Bearer challenge naming the ``scope`` needed.
        """
        return frozenset(required) - scopes_of(principal)

    @staticmethod
    def has_scopes(principal: object, required: Iterable[str]) -> bool:
        """Whether ``principal`` holds every scope of ``required``."""
        return not _BearerBase.missing_scopes(principal, required)

    def _from_table(self, token: str) -> _S | None:
        assert self._table is not None
        result = self._table.get(_token_key(token))
        return result if _bearer_granted(result) else None


class BearerVerifier(_BearerBase[_S]):
    """``verify`` for Bearer tokens: a token table or lookup, principal with scopes or None.

    A principal must have ``scopes``, a set of str (:class:`Scoped`, e.g.
    :class:`Principal`); a lookup answering anything else (None, False, a str, an
    object without a proper ``scopes``) is a refusal.

    Args:
        tokens: token -> principal (copied at construction and keyed by the tokens'
            SHA-256), or a function token -> principal or None (a live store).

    Raises:
        TypeError: a coroutine function as ``tokens`` (use :class:`AsyncBearerVerifier`),
            or a principal in the table without a proper ``scopes``.
    """

    is_async: ClassVar[bool] = False

    def __init__(self, tokens: Mapping[str, _S] | Callable[[str], _S | None]) -> None:
        _refuse_async("tokens", tokens, "AsyncBearerVerifier")
        super().__init__(tokens)

    def check(self, token: str) -> _S | None:
        """The principal for ``token``, or None."""
        if self._lookup_function is None:
            return self._from_table(token)
        result = self._lookup_function(token)
        if inspect.isawaitable(result):
            _discard(result)
            return None
        return result if _bearer_granted(result) else None  # type: ignore[return-value]

    def __call__(self, credentials: Credentials, request: object = None) -> _S | None:
        """Verify Bearer credentials: the principal, or None (other schemes too)."""
        token = _bearer_token(credentials)
        return None if token is None else self.check(token)


class AsyncBearerVerifier(_BearerBase[_S]):
    """:class:`BearerVerifier` whose lookup may be a coroutine function (async frameworks)."""

    is_async: ClassVar[bool] = True

    @overload
    def __init__(self, tokens: Mapping[str, _S]) -> None: ...

    @overload
    def __init__(self, tokens: Callable[[str], Awaitable[_S | None]]) -> None: ...

    @overload
    def __init__(self, tokens: Callable[[str], _S | None]) -> None: ...

    def __init__(self, tokens: Mapping[str, _S] | Callable[[str], object]) -> None:
        super().__init__(tokens)

    async def check(self, token: str) -> _S | None:
        """The principal for ``token``, or None."""
        if self._lookup_function is None:
            return self._from_table(token)
        result = self._lookup_function(token)
        if inspect.isawaitable(result):
            result = await result
        return result if _bearer_granted(result) else None  # type: ignore[return-value]

    async def __call__(self, credentials: Credentials, request: object = None) -> _S | None:
        """Verify Bearer credentials: the principal, or None."""
        token = _bearer_token(credentials)
        return None if token is None else await self.check(token)
