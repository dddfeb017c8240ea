"""The writer: the inverse of the strict parser, in canonical form.

``scheme SP`` then ``name=value`` pairs joined by ", "; a value goes out as a token when
it is one, as a quoted-string otherwise, except the parameters the RFCs say a sender
MUST quote, which are always quoted. The model has already refused every character a
quoted-string cannot carry, so nothing emitted holds CR, LF, NUL or another CTL.

This module knows only text: it takes the pieces (scheme, params, token68), never a
model object, so ``model`` can use it and the public ``format_*`` (``formatting.py``)
sit on top of both.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from ._abnf import CTL_BUT_HTAB_RE, TOKEN_FULL_RE
from ._registry import QUOTED_IN_EVERY_SCHEME
from .errors import SerializeError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

__all__ = ["serialize_params", "serialize_scheme_value"]

_NO_NAMES: Final = frozenset[str]()
_is_token: Final = TOKEN_FULL_RE.match


def _quoted_string(value: str) -> str:
    """RFC 9110 §5.6.4: DQUOTE, with '"' and '\\' sent as quoted-pairs, DQUOTE."""
    if "\\" in value or '"' in value:
        # Backslashes first, so the ones added before quotes are not doubled again.
        value = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + value + '"'


def _params_text(pairs: Iterable[tuple[str, str]], quoted_names: frozenset[str]) -> str:
    """#auth-param in canonical form (RFC 9110 §11.2), parameters in the order given.

    Names are tokens, so ASCII: ``str.lower`` is ``ascii_lower`` on them.
    """
    parts = []
    for name, value in pairs:
        key = name.lower()
        if key in QUOTED_IN_EVERY_SCHEME or key in quoted_names or _is_token(value) is None:
            parts.append(name + "=" + _quoted_string(value))
        else:
            parts.append(name + "=" + value)
    return ", ".join(parts)


def _checked(text: str, what: str) -> str:
    # The model's constructors make this unreachable; it stays as the last line of
    # defence against header injection should an instance be forged. RFC 9110 §5.5: a
    # field value carries no CTL but HTAB.
    control = CTL_BUT_HTAB_RE.search(text)
    if control is not None:
        raise SerializeError(f"{what} would hold a control character at index {control.start()}")
    return text


def serialize_params(
    pairs: Iterable[tuple[str, str]], quoted_names: frozenset[str], what: str
) -> str:
    """A bare #auth-param list (Authentication-Info), ``quoted_names`` always quoted."""
    return _checked(_params_text(pairs, quoted_names), what)


def serialize_scheme_value(
    scheme: str,
    pairs: Collection[tuple[str, str]],
    token68: str | None,
    quoted_by_scheme: Mapping[str, frozenset[str]],
) -> str:
    """One challenge or credentials: ``auth-scheme [ 1*SP ( token68 / #auth-param ) ]``.

    ``pairs`` are the auth-params as (name, value); ``quoted_by_scheme`` maps a
    lower-cased scheme to the parameters it always quotes.
    """
    if token68 is not None:
        return _checked(scheme + " " + token68, scheme)
    if not pairs:
        return _checked(scheme, scheme)
    # The scheme is a token, so ASCII: str.lower is ascii_lower here.
    quoted_names = quoted_by_scheme.get(scheme.lower(), _NO_NAMES)
    return _checked(scheme + " " + _params_text(pairs, quoted_names), scheme)
