"""The strict parser: exactly the ABNF of RFC 9110 §11 with the list rules of §5.6.1.

One pass, left to right. Each step matches one anchored, linear regex of ``_abnf`` at
the current position; the only look-ahead is the one the grammar needs to tell an
auth-param from the next challenge (a token followed by BWS "="), and the token68 /
auth-param choice after an auth-scheme. Neither re-reads more than one element.
"""

from __future__ import annotations

import re
from typing import NoReturn

from ._abnf import (
    AUTH_PARAM_RE,
    AUTH_SCHEME_RE,
    LIST_SEPARATOR_RE,
    OWS_RE,
    QDTEXT,
    QUOTED_PAIR_CHAR,
    QUOTED_PAIR_RE,
    TCHAR,
    TOKEN68_RE,
    TOKEN_RE,
)
from ._field_value import FieldValue, raise_parse_error
from .model import AuthParams, Challenge, Credentials

_Items = list[tuple[str, str]]


def _unescape(content: str) -> str:
    """RFC 9110 §5.6.4: a quoted-pair stands for its second character."""
    return QUOTED_PAIR_RE.sub(r"\1", content) if "\\" in content else content


def _parse_auth_params(
    value: FieldValue, pos: int, items: _Items, index: dict[str, str], *, after_comma: bool
) -> int:
    """#auth-param (RFC 9110 §11.2, §5.6.1.2), appending to ``items`` and ``index``.

    Returns the position after the list. Right after a comma, a token that BWS "=" does
    not follow starts the next challenge: the list ends there, before it.
    """
    text = value.text
    length = len(text)
    match_param = AUTH_PARAM_RE.match
    while True:
        param = match_param(text, pos)
        if param is None:
            if after_comma and not _is_auth_param_start(text, pos):
                return pos  # the next challenge starts here
            _fail_auth_param(value, pos)
        name, token, quoted, comma = param.groups()
        key = name.lower()
        if key in index:
            # RFC 9110 §11.2: each parameter name MUST only occur once per challenge.
            raise_parse_error(
                value, f"Duplicate auth-param {name!r} (RFC 9110 §11.2)", pos, pos
            )
        param_value = token if token is not None else _unescape(quoted)
        index[key] = param_value
        items.append((name, param_value))
        pos = param.end()
        if pos == length:
            return pos
        if comma is None:
            raise_parse_error(
                value, "Expected ',' after auth-param (missing comma?)", pos, param.start()
            )
        after_comma = True


def _is_auth_param_start(text: str, pos: int) -> bool:
    """Whether an auth-param (token BWS "=") starts at ``pos`` rather than a challenge."""
    token = TOKEN_RE.match(text, pos)
    if token is None:
        return False
    return text.startswith("=", _end_of(OWS_RE, text, token.end()))


def _end_of(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """End of ``pattern`` (one that matches the empty string) at ``pos``."""
    match = pattern.match(text, pos)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _parse_challenge_body(
    value: FieldValue, scheme: re.Match[str]
) -> tuple[int, AuthParams, str | None]:
    """``[ 1*SP ( token68 / #auth-param ) ]`` after an auth-scheme (RFC 9110 §11.3, §11.4).

    Returns the position after the challenge, its params and its token68. That position
    is the end of the value, a ',' that still has to be read, or the start of the next
    challenge when the auth-param list has read the ',' before it.
    """
    text = value.text
    length = len(text)
    pos = scheme.end()
    if pos == length:
        return pos, _NO_PARAMS, None
    has_space = pos > scheme.end(1)
    char = text[pos]
    if has_space and char != "," and char != "\t":
        token68 = TOKEN68_RE.match(text, pos)
        if token68 is not None:
            end = token68.end()
            if end == length or text[end] == ",":
                return end, _NO_PARAMS, token68.group(1)
        items: _Items = []
        index: dict[str, str] = {}
        pos = _parse_auth_params(value, pos, items, index, after_comma=False)
        return pos, AuthParams._trusted(tuple(items), index), None
    # No element follows the scheme directly: the challenge ends at OWS "," or at the end.
    ows_end = _end_of(OWS_RE, text, pos)
    if ows_end == length:
        return ows_end, _NO_PARAMS, None
    if text[ows_end] != ",":
        if not has_space:
            _fail_after_scheme(value, scheme)
        raise_parse_error(
            value,
            "Expected token68 or auth-param after the SP that follows the auth-scheme",
            pos,
        )
    if not has_space:
        return ows_end, _NO_PARAMS, None
    # RFC 9110 §5.6.1.2: in "Basic , realm=x", 1*SP is followed by an #auth-param list
    # whose first element is empty; a token that "=" does not follow starts the next
    # challenge instead.
    after = _end_of(LIST_SEPARATOR_RE, text, ows_end)
    items = []
    index = {}
    pos = _parse_auth_params(value, after, items, index, after_comma=True)
    params = AuthParams._trusted(tuple(items), index) if items else _NO_PARAMS
    return pos, params, None


_NO_PARAMS = AuthParams()


def parse_challenges(value: FieldValue) -> list[Challenge]:
    """WWW-Authenticate = #challenge (RFC 9110 §11.6.1); also Proxy-Authenticate (§11.7.1).

    challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
    """
    text = value.text
    length = len(text)
    challenges: list[Challenge] = []
    new_challenge = Challenge._trusted
    match_scheme = AUTH_SCHEME_RE.match
    pos = 0
    while pos < length:
        # The scheme pattern reads the list delimiter before the element too.
        scheme = match_scheme(text, pos)
        if scheme is None:
            pos = _end_of(LIST_SEPARATOR_RE, text, pos)
            if pos == length:
                break
            _fail_scheme(value, pos)
        pos, params, token68 = _parse_challenge_body(value, scheme)
        challenges.append(new_challenge(scheme.group(1), params, token68))
    return challenges


def parse_credentials(value: FieldValue) -> Credentials:
    """Authorization = credentials (RFC 9110 §11.6.2); also Proxy-Authorization (§11.7.2).

    credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]

    The field is not a list (§5.3): a second field line or a second credentials is an
    error.
    """
    text = value.text
    length = len(text)
    if value.line_starts is not None and len(value.line_starts) > 1:
        raise_parse_error(
            value,
            f"{value.field} is not a list field: expected one field line, "
            f"got {len(value.line_starts)} (RFC 9110 §5.3)",
            value.line_starts[1],
        )
    pos = _end_of(OWS_RE, text, 0)
    scheme = AUTH_SCHEME_RE.match(text, pos)
    if scheme is None or scheme.start(1) != pos:
        _fail_scheme(value, pos)
    pos, params, token68 = _parse_challenge_body(value, scheme)
    if pos < length:
        rest = _end_of(LIST_SEPARATOR_RE, text, pos)
        if rest < length:
            raise_parse_error(
                value,
                f"Expected one credentials: {value.field} is not a list (RFC 9110 §11.6.2)",
                rest,
            )
        raise_parse_error(value, "Expected end of credentials (not a list)", pos)
    return Credentials._trusted(scheme.group(1), params, token68)


def parse_auth_info(value: FieldValue) -> AuthParams:
    """Authentication-Info = #auth-param (RFC 9110 §11.6.3); also Proxy-Authentication-Info."""
    text = value.text
    pos = _end_of(LIST_SEPARATOR_RE, text, 0)
    if pos == len(text):
        return _NO_PARAMS
    items: _Items = []
    index: dict[str, str] = {}
    _parse_auth_params(value, pos, items, index, after_comma=False)
    return AuthParams._trusted(tuple(items), index)


# Diagnosis: only on the error path, so the hot path stays one regex per element.


def _fail_after_scheme(value: FieldValue, scheme: re.Match[str]) -> NoReturn:
    if _is_auth_param_start(value.text, scheme.start(1)):
        raise_parse_error(
            value,
            "Expected auth-scheme, found an auth-param (params follow their scheme after SP)",
            scheme.start(1),
        )
    raise_parse_error(value, "Expected SP or ',' after auth-scheme", scheme.end(), scheme.start(1))


def _fail_scheme(value: FieldValue, pos: int) -> NoReturn:
    text = value.text
    if _is_auth_param_start(text, pos):
        raise_parse_error(
            value, "Expected auth-scheme before auth-param (an auth-param needs a challenge)", pos
        )
    raise_parse_error(value, "Expected auth-scheme (a token)", pos)


def _fail_auth_param(value: FieldValue, start: int) -> NoReturn:
    """Say why no auth-param starts at ``start``: token BWS "=" BWS ( token / quoted-string )."""
    text = value.text
    length = len(text)
    name = TOKEN_RE.match(text, start)
    if name is None:
        raise_parse_error(value, "Expected auth-param name (a token)", start)
    pos = _end_of(OWS_RE, text, name.end())
    if pos == length or text[pos] != "=":
        raise_parse_error(value, "Expected '=' after auth-param name", pos, start)
    pos = _end_of(OWS_RE, text, pos + 1)
    if pos == length:
        raise_parse_error(value, "Expected token or quoted-string after '='", pos, start)
    if text[pos] != '"':
        if text[pos] not in TCHAR:
            raise_parse_error(value, "Expected token or quoted-string after '='", pos, start)
        raise_parse_error(value, "Expected ',' after auth-param (missing comma?)", pos, start)
    pos += 1
    while pos < length:
        char = text[pos]
        if char == '"':
            raise_parse_error(value, "Expected ',' after auth-param (missing comma?)", pos + 1, start)
        if char == "\\":
            if pos + 1 == length:
                break
            if text[pos + 1] not in QUOTED_PAIR_CHAR:
                raise_parse_error(
                    value, "Character not allowed in quoted-pair", pos + 1, start
                )
            pos += 2
            continue
        if char not in QDTEXT:
            raise_parse_error(value, "Character not allowed in quoted-string", pos, start)
        pos += 1
    raise_parse_error(value, "Unterminated quoted-string", length, start)
