"""The values of the authentication fields: :class:`AuthParams`, :class:`Challenge`, :class:`Credentials`.

Constructors validate, so every instance can be serialized and re-parses to an equal
value. The parser builds instances through the private ``new_*`` constructors at the
end of this module, which skip the checks the grammar has already made.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, ValuesView
from collections.abc import ItemsView as _ItemsViewBase

from . import _abnf

# ascii_lower lives in _abnf; re-exported (explicitly, for mypy) for the modules that import it here.
from ._abnf import ascii_lower as ascii_lower  # noqa: PLC0414
from ._redact import is_plain_name, is_shown_scheme
from ._registry import QUOTED_IN_CHALLENGE, QUOTED_IN_CREDENTIALS
from ._serialize import serialize_scheme_value
from .errors import SerializeError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import dataclass
    from typing import Final, NoReturn, TypeAlias, TypeVar, overload

    _D = TypeVar("_D")
    _T = TypeVar("_T")
else:  # the same dataclasses, without importing dataclasses (see _dataclass)
    from ._dataclass import frozen_dataclass as dataclass

__all__ = ["AuthParams", "Challenge", "Credentials", "ParamsInput"]

REDACTED: Final = "<redacted>"


# Parameters are given as a mapping or as (name, value) pairs, kept in the order given.
ParamsInput: TypeAlias = Mapping[str, str] | Iterable[tuple[str, str]]


def _check_token(kind: str, text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{kind} must be a str, not {type(text).__name__}")
    if not _abnf.is_token(text):
        raise ValueError(f"{kind} {text!r} is not a token (RFC 9110 §5.6.2)")
    return text


def _check_value(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"value of parameter {name!r} must be a str, not {type(value).__name__}")
    bad = _abnf.NOT_VALUE_CHAR_RE.search(value)
    if bad is not None:
        # Name the parameter and the offset, never the value: it may be a secret.
        raise SerializeError(
            f"value of parameter {name!r} holds a character a quoted-string cannot carry "
            f"(U+{ord(bad.group()):04X} at index {bad.start()}; RFC 9110 §5.6.4)"
        )
    return value


_is_token: Final = _abnf.TOKEN_FULL_RE.match
_find_not_value_char: Final = _abnf.NOT_VALUE_CHAR_RE.search


def _pairs_of(items: ParamsInput) -> Iterable[tuple[str, str]]:
    if type(items) is list or type(items) is tuple:  # pairs already: skip the ABC check
        return items  # a list or tuple of pairs
    return items.items() if isinstance(items, Mapping) else items


class AuthParams(Mapping[str, str]):
    """Read-only, ordered mapping of auth-param name to value, with case-insensitive names.

    Lookup ignores ASCII case; iteration gives the names as written, in order.
    Equality ignores order and the case of names, but not of values.

    >>> params = AuthParams([("Realm", "apps"), ("type", "1")])
    >>> params["realm"], list(params)
    ('apps', ['Realm', 'type'])
    >>> params == AuthParams({"TYPE": "1", "realm": "apps"})
    True
    """

    __slots__ = ("_index", "_items")

    # The pairs, names as written. None when every name is its own lower-case form
    # (what the parser reads from nearly every value): _index, which keeps the order,
    # then holds the pairs too, and each name is kept once (a parsed challenge costs
    # about a third less memory; benchmarks/memory.py).
    _items: tuple[tuple[str, str], ...] | None
    # Lower-cased name -> value; private, never handed out. The parser leaves it None
    # for a single param (most challenges), and the first lookup builds it. Never both
    # None.
    _index: dict[str, str] | None

    def __init__(self, items: ParamsInput = ()) -> None:
        """Build from a mapping or (name, value) pairs.

        Raises:
            ValueError: a name is not a token, is given twice (ignoring case), or a
                value holds a character a quoted-string cannot carry.
        """
        pairs = _pairs_of(items)
        checked: list[tuple[str, str]] = []
        index: dict[str, str] = {}
        for pair in pairs:
            name, value = pair
            # The checks of _check_token and _check_value, inlined: they raise the error.
            if type(name) is not str or _is_token(name) is None:
                _check_token("parameter name", name)
            if type(value) is not str or _find_not_value_char(value) is not None:
                _check_value(name, value)
            key = name.lower()  # a token, so ASCII: str.lower is ascii_lower here
            if key in index:
                raise ValueError(f"parameter {name!r} is given twice (RFC 9110 §11.2)")
            index[key] = value
            checked.append(pair if type(pair) is tuple else (name, value))
        self._items = tuple(checked)
        self._index = index

    def _by_name(self) -> dict[str, str]:
        index = self._index
        if index is None:
            # Names are tokens, so ASCII: str.lower is ascii_lower here.
            index = self._index = {name.lower(): value for name, value in self._pairs()}
        return index

    def _pairs(self) -> Collection[tuple[str, str]]:
        """The (name, value) pairs in order, names as written (see ``_items``)."""
        items = self._items
        if items is not None:
            return items
        assert self._index is not None
        return self._index.items()

    # Lookups try the name as given first: most callers pass it lower-case already, and
    # every key of the index is lower-case ASCII (names are tokens), so a hit is the
    # answer ascii_lower would give. Only a miss pays for ascii_lower.

    def __getitem__(self, name: str) -> str:
        index = self._index if self._index is not None else self._by_name()
        if type(name) is str and name in index:
            return index[name]
        return index[ascii_lower(name)]

    if TYPE_CHECKING:

        @overload
        def get(self, name: str, /) -> str | None: ...
        @overload
        def get(self, name: str, /, default: str | _D) -> str | _D: ...

    def get(self, name: str, /, default: object = None) -> object:
        """The value of ``name`` (ASCII case ignored), or ``default``."""
        index = self._index if self._index is not None else self._by_name()
        if type(name) is not str:
            return Mapping.get(self, name, default)
        value = index.get(name)
        if value is None:
            # A name with no upper-case letter is its own ascii_lower: a miss is final.
            if name.islower():
                return default
            value = index.get(ascii_lower(name))
            if value is None:
                return default
        return value

    def __contains__(self, name: object) -> bool:
        if type(name) is not str:
            return isinstance(name, str) and ascii_lower(name) in self._by_name()
        index = self._index if self._index is not None else self._by_name()
        return name in index or ascii_lower(name) in index

    def items(self) -> _ItemsView:
        """The (name, value) pairs, names as written, in order."""
        return _ItemsView(self)

    def values(self) -> _ValuesView:
        """The values, in order."""
        return _ValuesView(self)

    def __iter__(self) -> Iterator[str]:
        items = self._items
        if items is None:
            return iter(self._by_name())
        return (name for name, _ in items)

    def __len__(self) -> int:
        items = self._items
        return len(self._by_name()) if items is None else len(items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AuthParams):
            return self._by_name() == other._by_name()
        if isinstance(other, Mapping):
            try:
                return self._by_name() == AuthParams(other)._by_name()
            except (TypeError, ValueError):
                return False
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._by_name().items()))

    def __repr__(self) -> str:
        return f"AuthParams({list(self._pairs())!r})"

    def __reduce__(self) -> tuple[object, ...]:
        return (AuthParams, (tuple(self._pairs()),))

    def _redacted_repr(self) -> str:
        # A name is shown only when it has the shape of a name: in a value read
        # leniently, junk (a token68, a secret) can stand where a name would.
        shown = [(name if is_plain_name(name) else REDACTED, REDACTED) for name in self]
        return f"AuthParams({shown!r})"


class _ItemsView(_ItemsViewBase[str, str]):
    """``AuthParams.items()``: an ItemsView that iterates the stored pairs directly."""

    __slots__ = ()
    _mapping: AuthParams

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._mapping._pairs())

    def __repr__(self) -> str:
        return f"ItemsView({self._mapping!r})"


class _ValuesView(ValuesView[str]):
    """``AuthParams.values()``: a ValuesView that iterates the stored pairs directly."""

    __slots__ = ()
    _mapping: AuthParams

    def __iter__(self) -> Iterator[str]:
        return (value for _, value in self._mapping._pairs())

    def __repr__(self) -> str:
        return f"ValuesView({self._mapping!r})"


_EMPTY_PARAMS: Final = AuthParams()


def _as_params(params: ParamsInput) -> AuthParams:
    return params if isinstance(params, AuthParams) else AuthParams(params)


def _check_token68(token68: object) -> str | None:
    if token68 is None:
        return None
    if not isinstance(token68, str):
        raise TypeError(f"token68 must be a str or None, not {type(token68).__name__}")
    if not _abnf.is_token68(token68):
        raise ValueError("token68 is not a token68 (RFC 9110 §11.2)")
    return token68


def _misplaced_params(kind: str, scheme: object, misplaced: Mapping[str, object]) -> TypeError:
    """The TypeError for auth-params given as keyword arguments (names only, never values)."""
    # A registered scheme is shown as given; anything else might be a token.
    if not (isinstance(scheme, str) and is_shown_scheme(scheme, alone=True)):
        scheme = "Basic"
    names = ", ".join(repr(name) for name in misplaced)
    example = ", ".join(f"{name!r}: ..." for name in misplaced)
    return TypeError(
        f"{kind}() got unexpected keyword argument(s) {names}: pass auth-params as a "
        f"mapping or (name, value) pairs, e.g. {kind}({scheme!r}, {{{example}}})"
    )


class _SchemeValue:
    """What Challenge and Credentials share: a scheme with a token68 or auth-params.

    RFC 9110 §11.3 and §11.4: ``auth-scheme [ 1*SP ( token68 / #auth-param ) ]``.
    Schemes compare ignoring ASCII case (§11.1); params as :class:`AuthParams` do;
    token68 compares exactly.
    """

    # The serialized text, computed by the first str() and kept: the instance is frozen.
    # The slots of both classes live here; the dataclass fields are the three that
    # Challenge and Credentials annotate, so _text is no field (not in eq, hash, repr,
    # fields()).
    __slots__ = ("_text", "params", "scheme", "token68")
    scheme: str
    params: AuthParams
    token68: str | None
    _text: str | None

    def __init__(
        self,
        scheme: str,
        params: ParamsInput = (),
        token68: str | None = None,
        **misplaced: NoReturn,
    ) -> None:
        if misplaced:
            # Issue 14: Python's own message named this private class. NoReturn makes
            # type checkers refuse Challenge("Basic", realm="x") too.
            raise _misplaced_params(type(self).__name__, scheme, misplaced)
        checked_params = params if type(params) is AuthParams else _as_params(params)
        if token68 is not None:
            _check_token68(token68)
            if checked_params:
                raise ValueError("a challenge or credentials has params or token68, not both")
        if type(scheme) is not str or _is_token(scheme) is None:
            _check_token("scheme", scheme)  # raises
        setattr_ = object.__setattr__
        setattr_(self, "scheme", scheme)
        setattr_(self, "params", checked_params)
        setattr_(self, "token68", token68)
        setattr_(self, "_text", None)

    def is_scheme(self, scheme: str) -> bool:
        """Whether this is of ``scheme``, ignoring ASCII case (RFC 9110 §11.1).

        Compare schemes with this rather than ``==``: ``basic`` and ``Basic`` are the
        same scheme, and a parsed value keeps the spelling it was sent with.

        Args:
            scheme: a scheme name, such as ``"Basic"``.

        >>> Credentials("basic", token68="dTpw").is_scheme("Basic")
        True
        >>> Challenge("Bearer").is_scheme("Basic")
        False
        """
        return ascii_lower(self.scheme) == ascii_lower(scheme)

    def _key(self) -> tuple[str, AuthParams, str | None]:
        return (ascii_lower(self.scheme), self.params, self.token68)

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            assert isinstance(other, _SchemeValue)
            return self._key() == other._key()
        return NotImplemented

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def __str__(self) -> str:
        text = self._text
        if text is None:
            quoted = QUOTED_IN_CHALLENGE if isinstance(self, Challenge) else QUOTED_IN_CREDENTIALS
            text = serialize_scheme_value(self.scheme, self.params._pairs(), self.token68, quoted)
            object.__setattr__(self, "_text", text)
        return text

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.scheme, self.params, self.token68))


@dataclass(frozen=True, init=False, eq=False)  # slotted: _SchemeValue.__slots__
class Challenge(_SchemeValue):
    """One challenge of WWW-Authenticate or Proxy-Authenticate (RFC 9110 §11.3).

    ``str(challenge)`` is its serialized form.

    >>> challenge = Challenge("Basic", {"realm": "simple"})
    >>> str(challenge)
    'Basic realm="simple"'
    >>> challenge.params["REALM"]
    'simple'
    >>> challenge.is_scheme("basic")  # schemes ignore case (RFC 9110 §11.1)
    True
    """

    __slots__ = ()  # the base holds the slots
    scheme: str
    params: AuthParams
    token68: str | None

    def __repr__(self) -> str:
        return (
            f"{type(self).__qualname__}(scheme={self.scheme!r}, params={self.params!r}, "
            f"token68={self.token68!r})"
        )


@dataclass(frozen=True, init=False, eq=False, repr=False)  # slotted: _SchemeValue.__slots__
class Credentials(_SchemeValue):
    """The value of Authorization or Proxy-Authorization (RFC 9110 §11.4).

    ``repr`` masks the token68 and every parameter value: they are secrets. The scheme
    and parameter names are shown only when they have the shape of one (a lone word
    only when it is a registered scheme): a token sent without its scheme, or junk
    read leniently, would stand there. See ``wwwauth._redact`` for the rule.

    >>> Credentials("Basic", token68="QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    Credentials(scheme='Basic', params=AuthParams([]), token68='<redacted>')
    >>> Credentials("basic", token68="dTpw").is_scheme("Basic")  # not: .scheme == "Basic"
    True
    """

    __slots__ = ()  # the base holds the slots
    scheme: str
    params: AuthParams
    token68: str | None

    def __repr__(self) -> str:
        token68 = None if self.token68 is None else REDACTED
        alone = token68 is None and not self.params
        scheme = self.scheme if is_shown_scheme(self.scheme, alone=alone) else REDACTED
        return (
            f"Credentials(scheme={scheme!r}, params={self.params._redacted_repr()}, "
            f"token68={token68!r})"
        )


# The parser's constructors. The grammar has checked everything the public
# constructors check, and building a frozen dataclass through object.__setattr__ costs
# more than parsing the challenge, so these fill a mutable twin of the same slot layout
# (the base's) and then give it its real class. Only the parser calls them.


class _SchemeValueDraft(_SchemeValue):
    __slots__ = ()


if TYPE_CHECKING:
    _V = TypeVar("_V", bound=_SchemeValue)


def _trusted_constructor(cls: type[_V]) -> Callable[[str, AuthParams, str | None], _V]:
    def build(scheme: str, params: AuthParams, token68: str | None) -> _V:
        draft = _new_object(_SchemeValueDraft)
        draft.scheme = scheme
        draft.params = params
        draft.token68 = token68
        draft._text = None
        draft.__class__ = cls  # type: ignore[assignment]  # same slots: see above
        return draft  # type: ignore[return-value]  # it is a cls now

    return build


new_challenge: Final = _trusted_constructor(Challenge)
new_credentials: Final = _trusted_constructor(Credentials)


def new_challenge_with_one_param(scheme: str, name: str, value: str) -> Challenge:
    """``scheme name=value``: the most common challenge, built in one call (its name
    index is left to the first lookup)."""
    params = _new_object(AuthParams)
    params._items = ((name, value),)
    params._index = None
    draft = _new_object(_SchemeValueDraft)
    draft.scheme = scheme
    draft.params = params
    draft.token68 = None
    draft._text = None
    draft.__class__ = Challenge  # type: ignore[assignment]  # same slots: see above
    return draft  # type: ignore[return-value]  # it is a Challenge now


def params_without(params: AuthParams, names: frozenset[str]) -> AuthParams:
    """The pairs of ``params`` whose lower-cased name is not in ``names``, in order.

    Trusted: they were checked when ``params`` was built, and dropping pairs keeps
    the names unique, so nothing is checked again.
    """
    kept = tuple(pair for pair in params._pairs() if pair[0].lower() not in names)
    return new_auth_params(kept, None)


def unchecked(cls: type[_T]) -> Callable[..., _T]:
    """A builder of a frozen dataclass ``cls`` that sets ``**fields`` without running its
    ``__init__`` or ``__post_init__``: for readers that have made every check."""

    def build(**fields: object) -> _T:
        instance = _new_object(cls)
        for name, value in fields.items():
            object.__setattr__(instance, name, value)
        return instance

    return build


def new_auth_params(
    items: tuple[tuple[str, str], ...] | None, index: dict[str, str] | None
) -> AuthParams:
    """Trusted params: ``items`` None when ``index`` holds every name as written (see
    ``AuthParams._items``), ``index`` None to build it on the first lookup."""
    params = _new_object(AuthParams)
    params._items = items
    params._index = index
    return params


_new_object: Final = object.__new__
