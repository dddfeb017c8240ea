"""Hypothesis strategies: valid values for users' tests and ours, and hostile ones to fuzz with.

Needs the ``hypothesis`` package (``pip install 'pywwwauth[hypothesis]'``); importing it
without hypothesis raises an ``ImportError`` that says so. ``import wwwauth`` never
imports this module.

:func:`header_values` gives values the strict parser accepts; :func:`hostile_header_values`
gives invalid and adversarial ones (:func:`hostile_header_cases` with their labels), so a
server's auth handling can be fuzzed: it must answer each with a 400 or a 401, never a
500 or a hang.

>>> from hypothesis import given
>>> from wwwauth import parse_www_authenticate
>>> @given(header_values("WWW-Authenticate"))
... def test_parses(value: str) -> None:
...     parse_www_authenticate(value)
"""

from __future__ import annotations

from typing import Final

try:
    from hypothesis import strategies as st
except ImportError as error:  # the extra is not installed
    if error.name is None or error.name.split(".")[0] != "hypothesis":
        raise
    raise ModuleNotFoundError(
        "wwwauth.strategies needs the hypothesis package: pip install 'pywwwauth[hypothesis]'",
        name=error.name,
    ) from error

from ._abnf import TCHAR, TOKEN68_CHAR, VALUE_CHAR, WHITESPACE
from ._hostile import HostileValue, Shape, hostile_cases
from ._registry import (
    AUTHENTICATION_INFO,
    AUTHORIZATION,
    FIELD_NAMES,
    PROXY_AUTHENTICATION_INFO,
    PROXY_AUTHORIZATION,
    FieldName,
)
from .model import AuthParams, Challenge, Credentials, ascii_lower

__all__ = [
    "HostileValue",
    "auth_params",
    "challenges",
    "credentials",
    "header_values",
    "hostile_header_cases",
    "hostile_header_values",
    "token68s",
    "tokens",
    "values",
]

HeaderField = FieldName

_TCHARS: Final = "".join(sorted(TCHAR))
_VALUE_CHARS: Final = "".join(sorted(VALUE_CHAR))
_TOKEN68_CHARS: Final = "".join(sorted(TOKEN68_CHAR))
_OWS_CHARS: Final = "".join(sorted(WHITESPACE))
# Names real headers use, so generated values collide with the interesting ones.
_COMMON_NAMES: Final = ("realm", "charset", "nonce", "qop", "algorithm", "error", "scope", "title")
_COMMON_SCHEMES: Final = ("Basic", "Bearer", "Digest", "Negotiate", "DPoP", "Newauth")


def tokens(*, max_size: int = 12) -> st.SearchStrategy[str]:
    """RFC 9110 §5.6.2 tokens."""
    return st.text(alphabet=_TCHARS, min_size=1, max_size=max_size)


def values(*, max_size: int = 20) -> st.SearchStrategy[str]:
    """Parameter values: every string a quoted-string can carry (RFC 9110 §5.6.4)."""
    return st.one_of(tokens(max_size=max_size), st.text(alphabet=_VALUE_CHARS, max_size=max_size))


def token68s(*, max_size: int = 24) -> st.SearchStrategy[str]:
    """RFC 9110 §11.2 token68 values, padding included."""
    return st.builds(
        lambda body, padding: body + "=" * padding,
        st.text(alphabet=_TOKEN68_CHARS, min_size=1, max_size=max_size),
        st.integers(min_value=0, max_value=2),
    )


def _names() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(_COMMON_NAMES), tokens(max_size=10))


def _schemes() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(_COMMON_SCHEMES), tokens(max_size=10))


def auth_params(*, max_size: int = 5) -> st.SearchStrategy[AuthParams]:
    """:class:`AuthParams` with names unique ignoring case."""
    return st.lists(
        st.tuples(_names(), values()),
        max_size=max_size,
        unique_by=lambda pair: ascii_lower(pair[0]),
    ).map(AuthParams)


def _scheme_values(kind: type[Challenge | Credentials]) -> st.SearchStrategy[object]:
    return st.one_of(
        st.builds(kind, _schemes()),
        st.builds(kind, _schemes(), auth_params()),
        st.builds(lambda scheme, token68: kind(scheme, token68=token68), _schemes(), token68s()),
    )


def challenges() -> st.SearchStrategy[Challenge]:
    """Single :class:`Challenge` values: bare scheme, auth-params or token68."""
    return _scheme_values(Challenge)  # type: ignore[return-value]  # built by kind=Challenge


def credentials() -> st.SearchStrategy[Credentials]:
    """Single :class:`Credentials` values: bare scheme, auth-params or token68."""
    return _scheme_values(Credentials)  # type: ignore[return-value]  # built by kind=Credentials


# Valid field values, beyond the canonical form: any OWS, BWS around "=", tokens sent
# as quoted-strings, needless quoted-pairs, empty list elements (RFC 9110 §5.6.1.2).


def _ows() -> st.SearchStrategy[str]:
    return st.text(alphabet=_OWS_CHARS, max_size=2)


def _delimiter() -> st.SearchStrategy[str]:
    """OWS "," OWS, with empty list elements sometimes."""
    return st.builds(
        lambda before, commas, after: before + commas + after,
        _ows(),
        st.sampled_from([",", ",", ", ,", ",,"]),
        _ows(),
    )


@st.composite
def _written_value(draw: st.DrawFn, value: str) -> str:
    """``value`` as a token when it is one and the draw says so, else a quoted-string
    with '"' and '\\' escaped and, sometimes, other characters needlessly escaped."""
    if value and all(char in TCHAR for char in value) and draw(st.booleans()):
        return value
    out = []
    for char in value:
        if char in '"\\' or (char != "\t" and draw(st.integers(0, 9)) == 0):
            out.append("\\" + char)
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


@st.composite
def _written_params(draw: st.DrawFn, params: AuthParams) -> str:
    parts = []
    for name, value in params.items():
        parts.append(name + draw(_ows()) + "=" + draw(_ows()) + draw(_written_value(value)))
    text = ""
    for index, part in enumerate(parts):
        text += part if index == 0 else draw(_delimiter()) + part
    return text


@st.composite
def _written_scheme_value(draw: st.DrawFn, value: Challenge | Credentials) -> str:
    spaces = " " * draw(st.integers(1, 2))
    if value.token68 is not None:
        return value.scheme + spaces + value.token68
    if not value.params:
        return value.scheme
    return value.scheme + spaces + draw(_written_params(value.params))


@st.composite
def _header_value(draw: st.DrawFn, field: HeaderField) -> str:
    lead, trail = draw(_ows()), draw(_ows())
    if field in (AUTHORIZATION, PROXY_AUTHORIZATION):
        return lead + draw(_written_scheme_value(draw(credentials()))) + trail
    if field in (AUTHENTICATION_INFO, PROXY_AUTHENTICATION_INFO):
        return lead + draw(_written_params(draw(auth_params()))) + trail
    items = draw(st.lists(challenges(), max_size=4))
    text = ""
    for index, challenge in enumerate(items):
        written = draw(_written_scheme_value(challenge))
        text += written if index == 0 else draw(_delimiter()) + written
    return lead + text + trail


_FIELDS: Final[dict[str, HeaderField]] = {name.lower(): name for name in FIELD_NAMES}


def _field(field: str) -> HeaderField:
    try:
        return _FIELDS[field.lower()]
    except KeyError:
        raise ValueError(f"not an authentication field: {field!r}") from None


def header_values(field: str) -> st.SearchStrategy[str]:
    """Valid field values of ``field``, as text, in any valid spelling.

    Args:
        field: one of the six field names of RFC 9110 §11.6 and §11.7, in any case.

    Returns:
        A strategy of field values that the strict parser accepts: any OWS, BWS
        around '=', empty list elements, tokens sent as quoted-strings, needless
        quoted-pairs.

    Raises:
        ValueError: ``field`` is not one of the six.
    """
    return _header_value(_field(field))


def _shape(field: HeaderField) -> Shape:
    if field in (AUTHORIZATION, PROXY_AUTHORIZATION):
        return "credentials"
    if field in (AUTHENTICATION_INFO, PROXY_AUTHENTICATION_INFO):
        return "info"
    return "challenge"


def hostile_header_cases(field: str) -> st.SearchStrategy[HostileValue]:
    """Invalid and adversarial values of ``field``, each with its label and validity.

    See :func:`hostile_header_values`; ``HostileValue.valid`` says whether the field's
    grammar allows the value (the strict parser accepts it): a valid value is hostile by
    size or content.

    Raises:
        ValueError: ``field`` is not one of the six authentication fields.
    """
    return hostile_cases(_shape(_field(field)))


def hostile_header_values(field: str) -> st.SearchStrategy[str]:
    """Invalid and adversarial values of ``field``, to fuzz a server's auth handling.

    Unbalanced quotes, a trailing backslash, control characters, obs-text in tokens,
    token68s and quoted-strings, duplicated parameters (any case), token68 / auth-param
    confusions, ``;`` for ``,``, a tab after the scheme, no scheme, two credentials in
    Authorization, empty values and values of commas only, tens of thousands of empty
    list elements, thousands of parameters or challenges, overlong (8 KiB-64 KiB)
    quoted-strings, token68s and schemes. Each can be sent by requests, httpx and the
    framework test clients: ISO-8859-1 only, no CR, LF or NUL, no leading or trailing
    whitespace.

    >>> from hypothesis import given
    >>> @given(hostile_header_values("Authorization"))
    ... def test_never_a_server_error(value: str) -> None:
    ...     ...  # e.g. assert client.get("/", headers={"Authorization": value}).status_code < 500

    Args:
        field: one of the six field names of RFC 9110 §11.6 and §11.7, in any case.

    Raises:
        ValueError: ``field`` is not one of the six.
    """
    return hostile_header_cases(field).map(lambda case: case.value)
