"""The serializer: the inverse of the strict parser, in canonical form.

``scheme SP`` then ``name=value`` pairs joined by ", "; a value goes out as a token when
it is one, as a quoted-string otherwise, except the parameters the RFCs say a sender
MUST quote, which are always quoted. The model has already refused every character a
quoted-string cannot carry, so nothing emitted holds CR, LF, NUL or another CTL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from ._abnf import is_token
from ._registry import (
    QUOTED_IN_AUTH_INFO,
    QUOTED_IN_CHALLENGE,
    QUOTED_IN_CREDENTIALS,
    QUOTED_IN_EVERY_SCHEME,
)
from .errors import SerializeError
from .model import AuthParams, Challenge, ParamsInput, ascii_lower

if TYPE_CHECKING:
    from .model import Credentials, _SchemeValue

__all__ = ["format_authentication_info", "format_challenges", "format_credentials"]

_NO_NAMES: Final = frozenset[str]()
_ESCAPE_RE: Final = re.compile(r'(["\\])')
_CONTROL_RE: Final = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def _quoted_string(value: str) -> str:
    """RFC 9110 §5.6.4: DQUOTE, with '"' and '\\' sent as quoted-pairs, DQUOTE."""
    return '"' + _ESCAPE_RE.sub(r"\\\1", value) + '"'


def _serialize_params(params: AuthParams, quoted_names: frozenset[str]) -> str:
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
    # defence against header injection should an instance be forged.
    control = _CONTROL_RE.search(text)
    if control is not None:
        raise SerializeError(f"{what} would hold a control character at index {control.start()}")
    return text


def serialize_scheme_value(value: _SchemeValue) -> str:
    """One challenge or credentials: ``auth-scheme [ 1*SP ( token68 / #auth-param ) ]``."""
    if value.token68 is not None:
        return _checked(f"{value.scheme} {value.token68}", value.scheme)
    if not value.params:
        return _checked(value.scheme, value.scheme)
    table = QUOTED_IN_CHALLENGE if isinstance(value, Challenge) else QUOTED_IN_CREDENTIALS
    quoted_names = table.get(ascii_lower(value.scheme), _NO_NAMES)
    return _checked(f"{value.scheme} {_serialize_params(value.params, quoted_names)}", value.scheme)


def format_challenges(challenges: Iterable[Challenge]) -> str:
    """Serialize challenges as one WWW-Authenticate or Proxy-Authenticate value (RFC 9110 §11.6.1).

    Args:
        challenges: the challenges, in the order to send them.

    Returns:
        The field value; ``parse_www_authenticate`` reads it back to equal challenges.
        Browsers mis-read several challenges on one line: to send each on its own field
        line, call ``str(challenge)`` per challenge.

    Raises:
        TypeError: an element is not a :class:`Challenge`.

    >>> format_challenges([Challenge("Basic", {"realm": "simple"}), Challenge("Bearer")])
    'Basic realm="simple", Bearer'
    """
    parts = []
    for challenge in challenges:
        if not isinstance(challenge, Challenge):
            raise TypeError(f"expected a Challenge, not {type(challenge).__name__}")
        parts.append(serialize_scheme_value(challenge))
    return ", ".join(parts)


def format_credentials(credentials: Credentials) -> str:
    """Serialize credentials as an Authorization or Proxy-Authorization value (RFC 9110 §11.6.2).

    Args:
        credentials: the credentials.

    Returns:
        The field value, equal to ``str(credentials)``.

    >>> from wwwauth import Credentials
    >>> format_credentials(Credentials("Basic", token68="QWxhZGRpbjpvcGVuIHNlc2FtZQ=="))
    'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='
    """
    return serialize_scheme_value(credentials)


def format_authentication_info(params: ParamsInput) -> str:
    """Serialize an Authentication-Info or Proxy-Authentication-Info value (RFC 9110 §11.6.3).

    Args:
        params: the auth-params, as a mapping or (name, value) pairs, in order.

    Returns:
        The field value.

    Raises:
        ValueError: a name is not a token or is given twice, or a value holds a
            character a quoted-string cannot carry.

    >>> format_authentication_info([("nextnonce", "abc"), ("qop", "auth")])
    'nextnonce="abc", qop=auth'
    """
    checked = params if isinstance(params, AuthParams) else AuthParams(params)
    return _checked(_serialize_params(checked, QUOTED_IN_AUTH_INFO), "Authentication-Info")
