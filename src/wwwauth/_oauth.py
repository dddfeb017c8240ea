"""The OAuth 2.0 pieces Bearer (RFC 6750) and DPoP (RFC 9449) share: one home for both.

RFC 9449 §7.1 reuses RFC 6750 §3's challenge attributes (realm, scope, error,
error_description) and RFC 6750 §2.1's token68-shaped access token, so the checks and
the writer of those attributes, and the typed view of them (:class:`OAuthChallengeView`),
live here and both scheme modules import them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar, Final, TypedDict

from ._abnf import NQCHAR, NQSCHAR, is_token68
from ._scheme import SchemeSpec
from .model import Credentials

__all__ = [
    "ERROR_RULE",
    "NqcharList",
    "OAuthChallengeView",
    "bad_index",
    "check_chars",
    "common_challenge_items",
    "scope_tokens",
    "token_credentials",
]

# RFC 6750 §3: error and error_description are NQSCHAR only.
ERROR_RULE: Final = "RFC 6750 §3 %x20-21 / %x23-5B / %x5D-7E"


# A character outside each class, as a regex (one C-level scan instead of a Python loop).
_OUTSIDE: Final = {
    chars: re.compile(f"[^{re.escape(''.join(sorted(chars)))}]") for chars in (NQCHAR, NQSCHAR)
}


def bad_index(value: str, allowed: frozenset[str]) -> int | None:
    """The index of the first character of ``value`` outside ``allowed``, or None."""
    outside = _OUTSIDE.get(allowed)
    if outside is None:
        return next((index for index, char in enumerate(value) if char not in allowed), None)
    bad = outside.search(value)
    return None if bad is None else bad.start()


def check_chars(name: str, value: str, allowed: frozenset[str], rule: str) -> str:
    """``value`` if it is not empty and only of ``allowed``; ValueError naming ``rule`` else."""
    if not value:
        raise ValueError(f"{name} must not be empty ({rule})")
    bad = bad_index(value, allowed)
    if bad is not None:
        raise ValueError(f"{name} holds U+{ord(value[bad]):04X} at index {bad}, outside {rule}")
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class NqcharList:
    """A list of 1*NQCHAR values joined by single spaces, as RFC 6749 §3.3 writes
    ``scope`` and RFC 9449 §7.1 ``algs``; what the messages about one call things.

    Attributes:
        item: what one value is (``a scope-token``).
        rule: the rule a refusal cites.
        empty: the refusal of a list without a value.
    """

    item: str
    rule: str
    empty: str

    def __call__(self, values: str | Iterable[str]) -> tuple[str, ...]:
        """The values of the list (given as that string, or as an iterable of the values).

        Raises:
            ValueError: :attr:`empty` when there is no value; a value that is empty or
                holds a character outside NQCHAR, named :attr:`item` and :attr:`rule`.
        """
        items = tuple(values.split(" ")) if isinstance(values, str) else tuple(values)
        if not items:
            raise ValueError(self.empty)
        for value in items:
            check_chars(self.item, value, NQCHAR, self.rule)
        return items


# RFC 6749 §3.3: scope = scope-token *( SP scope-token ) ; scope-token = 1*NQCHAR
scope_tokens: Final = NqcharList(
    item="a scope-token",
    rule="RFC 6749 §3.3 scope-token = 1*NQCHAR",
    empty="scope must hold at least one scope-token (RFC 6749 §3.3)",
)


def common_challenge_items(
    realm: str | None,
    scope: str | Iterable[str] | None,
    error: str | None,
    error_description: str | None,
) -> list[tuple[str, str]]:
    """The checked RFC 6750 §3 attributes given, in the order realm, scope, error,
    error_description: how Bearer and DPoP challenges begin."""
    items: list[tuple[str, str]] = []
    if realm is not None:
        items.append(("realm", realm))
    if scope is not None:
        items.append(("scope", " ".join(scope_tokens(scope))))
    if error is not None:
        items.append(("error", check_chars("error", error, NQSCHAR, ERROR_RULE)))
    if error_description is not None:
        checked = check_chars("error_description", error_description, NQSCHAR, ERROR_RULE)
        items.append(("error_description", checked))
    return items


def token_credentials(scheme: str, token: str, refusal: str) -> Credentials:
    """``scheme token``: credentials carrying an access token as a token68 (RFC 9110 §11.4).

    Raises:
        ValueError: ``refusal``, when the token is not a token68 (the token is never shown).
    """
    if not is_token68(token):
        raise ValueError(refusal)
    return Credentials(scheme, token68=token)


class ChallengeHead(TypedDict):
    """The RFC 6750 §3 attributes as the ``challenge`` builders of Bearer and DPoP take them."""

    realm: str | None
    scope: tuple[str, ...] | None
    error: str | None
    error_description: str | None


# repr=False: each scheme's view writes its own.
@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class OAuthChallengeView:
    """The head of a Bearer or DPoP challenge view: RFC 6750 §3's attributes, which RFC
    9449 §7.1 reuses, first in both.

    A view class sets :attr:`_SPEC` (its scheme and typed parameters) and ends its fields
    with ``extensions``.
    """

    realm: str | None = None
    scope: tuple[str, ...] = ()
    error: str | None = None
    error_description: str | None = None

    # The scheme and the typed parameters of the view (set by each view class).
    _SPEC: ClassVar[SchemeSpec]

    def __post_init__(self) -> None:
        """Refuse an extension named like a typed parameter (ValueError).

        The reader would read it as that parameter, and ``to_challenge`` would pass it
        to the scheme's ``challenge`` builder twice.
        """
        self._SPEC.check(self)

    def _head(self) -> ChallengeHead:
        """The attributes of the head as the scheme's ``challenge`` builder takes them."""
        return {
            "realm": self.realm,
            "scope": self.scope or None,
            "error": self.error,
            "error_description": self.error_description,
        }
