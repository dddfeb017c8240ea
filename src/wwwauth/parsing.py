"""The public parse functions, one per field of RFC 9110 §11.6 and §11.7."""

from __future__ import annotations

from collections.abc import Callable

from ._abnf import CTL_BUT_HTAB_RE
from ._fail import SyntaxFailure
from ._field_value import (
    CREDENTIAL_FIELDS,
    LINE_JOINER,
    FieldInput,
    parse_error,
    read_field_value,
)
from ._parser import parse_auth_info, parse_challenges, parse_credentials
from ._redact import redact_credentials
from ._registry import (
    AUTHENTICATION_INFO,
    AUTHORIZATION,
    PROXY_AUTHENTICATE,
    PROXY_AUTHENTICATION_INFO,
    PROXY_AUTHORIZATION,
    WWW_AUTHENTICATE,
)
from .errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeVar

    from ._registry import FieldName
    from .model import AuthParams, Challenge, Credentials

__all__ = [
    "parse_authentication_info",
    "parse_authorization",
    "parse_proxy_authenticate",
    "parse_proxy_authentication_info",
    "parse_proxy_authorization",
    "parse_www_authenticate",
]

if TYPE_CHECKING:
    _T = TypeVar("_T")


def _parse(
    value: FieldInput,
    field: FieldName,
    strict: bool,
    strict_parse: Callable[[str], _T],
    lenient_parse: Callable[[str], _T],
    *,
    singleton: bool = False,
) -> _T:
    """Read the field value, parse it, and turn a syntax failure into a ParseError."""
    text, line_starts = read_field_value(value, field)
    try:
        if strict:
            if singleton and line_starts is not None and len(line_starts) > 1:
                # RFC 9110 §5.3: a field that is not a list has one field line.
                raise SyntaxFailure(
                    f"{field} is not a list field: expected one field line, "
                    f"got {len(line_starts)} (RFC 9110 §5.3)",
                    line_starts[1],
                )
            return strict_parse(text)
        if singleton and line_starts is not None and len(line_starts) > 1:
            # Lenient: a field that is not a list (RFC 9110 §5.3) keeps its first field
            # line and ignores the others. Joined first, the lines of
            # ["Digest username=a", "realm=b"] would read as one credentials.
            text = text[: line_starts[1] - len(LINE_JOINER)]
        try:
            return strict_parse(text)
        except SyntaxFailure:
            # Lenient mode: what strict reads is read the same way; only the rest is
            # recovered.
            return lenient_parse(text)
    except SyntaxFailure as failure:
        raise _parse_error(text, field, line_starts, failure) from None


def _parse_error(
    text: str, field: FieldName, line_starts: tuple[int, ...] | None, failure: SyntaxFailure
) -> ParseError:
    message = failure.message
    if failure.position < len(text) and CTL_BUT_HTAB_RE.match(text, failure.position):
        # RFC 9110 §5.5: a field value holds no CTL but HTAB; CR and LF would split
        # the field, which is what a header injection attempts.
        message = "Control character not allowed in a field value (RFC 9110 §5.5)"
    elif failure.name is not None and field in CREDENTIAL_FIELDS:
        # The message quotes a name: quote it as the masked echo shows it.
        end = failure.position + len(failure.name)
        shown = redact_credentials(text)[failure.position : end]
        message = message.replace(repr(failure.name), repr(shown), 1)
    return parse_error(text, field, line_starts, message, failure.position, failure.start)


# The lenient reader loads on the first lenient parse that the strict parser refused
# (``import wwwauth`` does not pay for it); these call it.


def _lenient_challenges(text: str) -> list[Challenge]:
    from . import _lenient

    return _lenient.parse_challenges(text)


def _lenient_credentials(text: str) -> Credentials:
    from . import _lenient

    return _lenient.parse_credentials(text)


def _lenient_auth_info(text: str) -> AuthParams:
    from . import _lenient

    return _lenient.parse_auth_info(text)


def _challenges_field(value: FieldInput, field: FieldName, strict: bool) -> list[Challenge]:
    return _parse(value, field, strict, parse_challenges, _lenient_challenges)


def _credentials_field(value: FieldInput, field: FieldName, strict: bool) -> Credentials:
    # RFC 9110 §11.6.2, §11.7.2: Authorization and Proxy-Authorization are not lists.
    return _parse(value, field, strict, parse_credentials, _lenient_credentials, singleton=True)


def _auth_info_field(value: FieldInput, field: FieldName, strict: bool) -> AuthParams:
    return _parse(value, field, strict, parse_auth_info, _lenient_auth_info)


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
    if strict and type(value) is str and value.isascii():
        try:
            return parse_challenges(value)  # the fast path: nothing to convert
        except SyntaxFailure as failure:
            raise _parse_error(value, WWW_AUTHENTICATE, None, failure) from None
    return _challenges_field(value, WWW_AUTHENTICATE, strict)


def parse_proxy_authenticate(value: FieldInput, *, strict: bool = True) -> list[Challenge]:
    """Parse a Proxy-Authenticate field value into its challenges (RFC 9110 §11.7.1).

    Args, Returns, Raises: as :func:`parse_www_authenticate`.

    >>> parse_proxy_authenticate('Basic realm="proxy"')[0].params["realm"]
    'proxy'
    """
    return _challenges_field(value, PROXY_AUTHENTICATE, strict)


def parse_authorization(value: FieldInput, *, strict: bool = True) -> Credentials:
    """Parse an Authorization field value into its credentials (RFC 9110 §11.6.2).

    Args:
        value: the field value as ``str`` or ``bytes`` (read as ISO-8859-1), or an
            iterable of field lines. Authorization is not a list field: more than one
            line, or two credentials in one value, is an error in strict mode.
        strict: accept exactly the ABNF (the default). ``strict=False`` reads what
            real clients send. Its leniencies: of several field lines only the first
            is read (the others are ignored, never merged into it); of two
            credentials in one value, the first; and the recoveries listed in the
            README's "Deviations" (unquoted values with spaces or ``/``, ``;``
            separators, stray commas, a duplicate parameter keeping its first value,
            single-quoted values, a missing comma between parameters, obs-fold).

    Returns:
        The credentials.

    Raises:
        ParseError: the value is not credentials. The message masks token68 and
            parameter values.

    >>> parse_authorization("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==").scheme
    'Basic'
    """
    if strict and type(value) is str and value.isascii():
        try:
            return parse_credentials(value)  # the fast path: nothing to convert
        except SyntaxFailure as failure:
            raise _parse_error(value, AUTHORIZATION, None, failure) from None
    return _credentials_field(value, AUTHORIZATION, strict)


def parse_proxy_authorization(value: FieldInput, *, strict: bool = True) -> Credentials:
    """Parse a Proxy-Authorization field value into its credentials (RFC 9110 §11.7.2).

    Args, Returns, Raises: as :func:`parse_authorization`.

    >>> parse_proxy_authorization("Basic dGVzdDoxMjPCow==").token68
    'dGVzdDoxMjPCow=='
    """
    return _credentials_field(value, PROXY_AUTHORIZATION, strict)


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
    if strict and type(value) is str and value.isascii():
        try:
            return parse_auth_info(value)  # the fast path: nothing to convert
        except SyntaxFailure as failure:
            raise _parse_error(value, AUTHENTICATION_INFO, None, failure) from None
    return _auth_info_field(value, AUTHENTICATION_INFO, strict)


def parse_proxy_authentication_info(value: FieldInput, *, strict: bool = True) -> AuthParams:
    """Parse a Proxy-Authentication-Info field value (RFC 9110 §11.7.3).

    Args, Returns, Raises: as :func:`parse_authentication_info`.

    >>> parse_proxy_authentication_info("qop=auth")["QOP"]
    'auth'
    """
    return _auth_info_field(value, PROXY_AUTHENTICATION_INFO, strict)
