"""The public parse functions, one per field of RFC 9110 §11.6 and §11.7."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from . import _lenient, _parser
from ._field_value import FieldInput, FieldName, FieldValue, read_field_value
from .errors import ParseError

if TYPE_CHECKING:
    from .model import AuthParams, Challenge, Credentials

_T = TypeVar("_T")

__all__ = [
    "parse_authentication_info",
    "parse_authorization",
    "parse_proxy_authenticate",
    "parse_proxy_authentication_info",
    "parse_proxy_authorization",
    "parse_www_authenticate",
]


def _challenges(value: FieldInput, field: FieldName, strict: bool) -> list[Challenge]:
    field_value = read_field_value(value, field)
    if strict:
        return _parser.parse_challenges(field_value)
    return _lenient_or_strict(field_value, _parser.parse_challenges, _lenient.parse_challenges)


def _credentials(value: FieldInput, field: FieldName, strict: bool) -> Credentials:
    field_value = read_field_value(value, field)
    if strict:
        return _parser.parse_credentials(field_value)
    return _lenient_or_strict(field_value, _parser.parse_credentials, _lenient.parse_credentials)


def _auth_info(value: FieldInput, field: FieldName, strict: bool) -> AuthParams:
    field_value = read_field_value(value, field)
    if strict:
        return _parser.parse_auth_info(field_value)
    return _lenient_or_strict(field_value, _parser.parse_auth_info, _lenient.parse_auth_info)


def _lenient_or_strict(
    value: FieldValue,
    strict_parse: Callable[[FieldValue], _T],
    lenient_parse: Callable[[FieldValue], _T],
) -> _T:
    """Lenient mode: what strict reads, read the same way; only the rest is recovered."""
    try:
        return strict_parse(value)
    except ParseError:
        return lenient_parse(value)


def parse_www_authenticate(value: FieldInput, *, strict: bool = True) -> list[Challenge]:
    """Parse a WWW-Authenticate field value into its challenges (RFC 9110 §11.6.1).

    Args:
        value: the field value as ``str`` or ``bytes`` (read as ISO-8859-1), or an
            iterable of field lines, combined as RFC 9110 §5.3 says.
        strict: accept exactly the ABNF (the default); ``False`` also recovers what
            real servers send (see the README's "Deviations").

    Returns:
        The challenges in order (empty for an empty value).

    Raises:
        ParseError: the value is not a WWW-Authenticate value.

    >>> [str(c) for c in parse_www_authenticate('Basic realm="simple", Bearer')]
    ['Basic realm="simple"', 'Bearer']
    """
    return _challenges(value, "WWW-Authenticate", strict)


def parse_proxy_authenticate(value: FieldInput, *, strict: bool = True) -> list[Challenge]:
    """Parse a Proxy-Authenticate field value into its challenges (RFC 9110 §11.7.1).

    Args, Returns, Raises: as :func:`parse_www_authenticate`.

    >>> parse_proxy_authenticate('Basic realm="proxy"')[0].params["realm"]
    'proxy'
    """
    return _challenges(value, "Proxy-Authenticate", strict)


def parse_authorization(value: FieldInput, *, strict: bool = True) -> Credentials:
    """Parse an Authorization field value into its credentials (RFC 9110 §11.6.2).

    Args:
        value: the field value as ``str`` or ``bytes`` (read as ISO-8859-1), or an
            iterable of field lines. Authorization is not a list field: more than one
            line, or two credentials in one value, is an error in strict mode; lenient
            mode reads the first.
        strict: accept exactly the ABNF (the default).

    Returns:
        The credentials.

    Raises:
        ParseError: the value is not credentials. The message masks token68 and
            parameter values.

    >>> parse_authorization("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==").scheme
    'Basic'
    """
    return _credentials(value, "Authorization", strict)


def parse_proxy_authorization(value: FieldInput, *, strict: bool = True) -> Credentials:
    """Parse a Proxy-Authorization field value into its credentials (RFC 9110 §11.7.2).

    Args, Returns, Raises: as :func:`parse_authorization`.

    >>> parse_proxy_authorization("Basic dGVzdDoxMjPCow==").token68
    'dGVzdDoxMjPCow=='
    """
    return _credentials(value, "Proxy-Authorization", strict)


def parse_authentication_info(value: FieldInput, *, strict: bool = True) -> AuthParams:
    """Parse an Authentication-Info field value into its auth-params (RFC 9110 §11.6.3).

    Args:
        value: the field value as ``str`` or ``bytes``, or an iterable of field lines.
        strict: accept exactly the ABNF (the default).

    Returns:
        The parameters, in order (empty for an empty value).

    Raises:
        ParseError: the value is not a list of auth-params.

    >>> dict(parse_authentication_info('nextnonce="abc", qop=auth'))
    {'nextnonce': 'abc', 'qop': 'auth'}
    """
    return _auth_info(value, "Authentication-Info", strict)


def parse_proxy_authentication_info(value: FieldInput, *, strict: bool = True) -> AuthParams:
    """Parse a Proxy-Authentication-Info field value (RFC 9110 §11.7.3).

    Args, Returns, Raises: as :func:`parse_authentication_info`.

    >>> parse_proxy_authentication_info("qop=auth")["QOP"]
    'auth'
    """
    return _auth_info(value, "Proxy-Authentication-Info", strict)
