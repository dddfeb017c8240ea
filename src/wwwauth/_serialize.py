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

import re
from collections.abc import Mapping
from typing import Final

from ._abnf import CTL_BUT_HTAB_RE, ascii_lower, is_token
from ._registry import QUOTED_IN_EVERY_SCHEME
from .errors import SerializeError

__all__ = ["serialize_params", "serialize_scheme_value"]

_NO_NAMES: Final = frozenset[str]()
_ESCAPE_RE: Final = re.compile(r'(["\\])')


def _quoted_string(value: str) -> str:
    """RFC 9110 §5.6.4: DQUOTE, with '"' and '\\' sent as quoted-pairs, DQUOTE."""
    return '"' + _ESCAPE_RE.sub(r"\\\1", value) + '"'


def _params_text(params: Mapping[str, str], quoted_names: frozenset[str]) -> str:
    """#auth-param in canonical form (RFC 9110 §11.2), parameters in the order given."""
    parts = []
    for name, value in params.items():
        key = ascii_lower(name)
        if key in QUOTED_IN_EVERY_SCHEME or key in quoted_names or not is_token(value):
            parts.append(f"{name}={_quoted_string(value)}")
        else:
            parts.append(f"{name}={value}")
    return ", ".join(parts)


def _checked(text: str, what: str) -> str:
    # The model's constructors make this unreachable; it stays as the last line of
    # defence against header injection should an instance be forged. RFC 9110 §5.5: a
    # field value carries no CTL but HTAB.
    control = CTL_BUT_HTAB_RE.search(text)
    if control is not None:
        raise SerializeError(f"{what} would hold a control character at index {control.start()}")
    return text


def serialize_params(params: Mapping[str, str], quoted_names: frozenset[str], what: str) -> str:
    """A bare #auth-param list (Authentication-Info), ``quoted_names`` always quoted."""
    return _checked(_params_text(params, quoted_names), what)


def serialize_scheme_value(
    scheme: str,
    params: Mapping[str, str],
    token68: str | None,
    quoted_by_scheme: Mapping[str, frozenset[str]],
) -> str:
    """One challenge or credentials: ``auth-scheme [ 1*SP ( token68 / #auth-param ) ]``.

    ``quoted_by_scheme`` maps a lower-cased scheme to the parameters it always quotes.
    """
    if token68 is not None:
        return _checked(f"{scheme} {token68}", scheme)
    if not params:
        return _checked(scheme, scheme)
    quoted_names = quoted_by_scheme.get(ascii_lower(scheme), _NO_NAMES)
    return _checked(f"{scheme} {_params_text(params, quoted_names)}", scheme)
