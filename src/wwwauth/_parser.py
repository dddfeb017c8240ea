"""The strict parser: exactly the ABNF of RFC 9110 §11 with the list rules of §5.6.1.

One pass, left to right, over one field value. Each step matches an anchored, linear
regex of ``_abnf`` at the current position: a challenge or credentials head (the
auth-scheme and, when one follows, its first auth-param), a token68, or the next
element of an #auth-param list. The only look-ahead is the one the grammar needs to
tell an auth-param from the next challenge after a comma (a token followed by BWS "=").
What a failed step read is kept where the next step needs it, so a long malformed
value is not read again.

Errors are raised as :class:`SyntaxFailure` (message, position); ``parsing.py`` turns
them into :class:`~wwwauth.errors.ParseError` with the field name, field line and
redaction, so this module only knows about text.
"""

from __future__ import annotations

import re

from ._abnf import (
    CHALLENGE_HEAD_RE,
    CREDENTIALS_HEAD_RE,
    CREDENTIALS_TOKEN68_RE,
    FIRST_AUTH_PARAM_RE,
    LIST_SEPARATOR_RE,
    NEXT_AUTH_PARAM_RE,
    OWS_RE,
    QUOTED_CONTENT_RE,
    QUOTED_PAIR_RE,
    TCHAR,
    TOKEN68_RE,
    TOKEN_RE,
)
from ._fail import SyntaxFailure, fail
from .model import (
    AuthParams,
    Challenge,
    Credentials,
    _SchemeValueDraft,
    new_challenge,
    new_challenge_with_one_param,
    new_credentials,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final, NoReturn


def _end_of(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """End of ``pattern`` (one that matches the empty string) at ``pos``."""
    match = pattern.match(text, pos)
    assert match is not None  # the pattern matches the empty string
    return match.end()


_NO_PARAMS: Final = AuthParams()
_new_object: Final = object.__new__
_split_quoted_pairs: Final = QUOTED_PAIR_RE.split
# Bound once: loading a compiled pattern's method on every call costs more than the
# call itself on the short values of the common cases.
_match_next_param: Final = NEXT_AUTH_PARAM_RE.match
_match_simple_credentials: Final = CREDENTIALS_TOKEN68_RE.match
_match_credentials_head: Final = CREDENTIALS_HEAD_RE.match
_match_first_auth_param: Final = FIRST_AUTH_PARAM_RE.match


# The groups of AUTH_PARAM as re gives them: name, token value (or None), quoted-string
# content (or None).
_Param = tuple["str | Any", ...]
# A token68 read after 1*SP: where it ends, and where the OWS after it ends.
_Token68 = tuple[int, int]


def _read_auth_params(text: str, pos: int, first: _Param) -> tuple[int, AuthParams]:
    """An #auth-param list whose first element, ``first``, has been matched, ending at
    ``pos``.

    RFC 9110 §5.6.1.2 for the list, §11.2 for each auth-param. Returns the end of the
    last auth-param and the params. What follows is the end, OWS, or OWS "," and then
    the next challenge (or an error the caller reports).
    """
    name, token, quoted = first
    if token is None:
        # RFC 9110 §5.6.4: a quoted-pair stands for its second character.
        token = "".join(_split_quoted_pairs(quoted)) if "\\" in quoted else quoted
    items = [(name, token)]
    names = [name]
    length = len(text)
    start = pos
    while pos < length and (param := _match_next_param(text, pos)) is not None:
        name, token, quoted = param.groups()
        # (the same unescaping, inlined: this loop is the hot path of every parse)
        if token is not None:
            value = token
        elif "\\" in quoted:
            value = "".join(_split_quoted_pairs(quoted))
        else:
            value = quoted
        items.append((name, value))
        names.append(name)
        pos = param.end()
    # The name index is built once the list is read (cheaper than a lookup and an
    # insert per element); a repeated name shows as a shorter index. When every name
    # is its own lower-case form (nearly every value; names are tokens, so ASCII), the
    # index alone holds the pairs, each name kept once (AuthParams._items).
    pairs: tuple[tuple[str, str], ...] | None
    if len(items) == 1:  # the loop read nothing: name and token are first's
        key = name.lower()
        pairs, index = (None, {name: token}) if key == name else (tuple(items), {key: token})
    else:
        index = dict(items)
        joined = "".join(names)
        if joined.lower() != joined:
            pairs, index = tuple(items), {name.lower(): value for name, value in items}
        else:
            pairs = None
        if len(index) < len(items):
            _fail_duplicate(text, start, items)
    # new_auth_params, inlined: this is the hot path of every multi-param list.
    params = _new_object(AuthParams)
    params._items = pairs
    params._index = index
    return pos, params


def _token68_at(text: str, pos: int) -> _Token68 | None:
    """RFC 9110 §11.2: the token68 at ``pos``, if any: its end, and the end of the OWS
    after it."""
    token68 = TOKEN68_RE.match(text, pos)
    return None if token68 is None else (token68.end(1), token68.end())


def _parse_challenge_body(
    text: str, head: re.Match[str], previous: list[Challenge], token68: _Token68 | None = None
) -> tuple[int, AuthParams, str | None]:
    """``[ 1*SP ( token68 / #auth-param ) ]`` after an auth-scheme (RFC 9110 §11.3, §11.4).

    ``head`` is a match of CHALLENGE_HEAD_RE or CREDENTIALS_HEAD_RE that read no
    auth-param (the callers read ``auth-scheme 1*SP auth-param`` themselves);
    ``previous`` the challenges before it, for error messages; ``token68`` what
    :func:`_token68_at` gives after the 1*SP, when the caller has read it already.
    Returns the end of the challenge (before any OWS "," that follows), its params and
    its token68.
    """
    pos = head.end()
    length = len(text)
    if pos == length or text[pos] != " ":
        return pos, _NO_PARAMS, None
    spaces_end = pos + 1
    while spaces_end < length and text[spaces_end] == " ":
        spaces_end += 1
    if token68 is None:
        token68 = _token68_at(text, spaces_end)
    if token68 is not None:
        # No auth-param starts here (the head would have read it), so this is a token68
        # when a ',' or the end follows it and its OWS.
        token68_end, end = token68
        if end == length or text[end] == ",":
            return token68_end, _NO_PARAMS, text[spaces_end:token68_end]
    # RFC 9110 §5.6.1.2: in "Basic , realm=x", 1*SP is followed by an #auth-param list
    # whose first element is empty.
    param = _match_next_param(text, spaces_end)
    if param is not None:
        return (*_read_auth_params(text, param.end(), param.groups()), None)
    after = _end_of(OWS_RE, text, spaces_end)
    if after < length and text[after] != ",":
        _fail_challenge_body(text, head, spaces_end, previous, token68)
    return pos, _NO_PARAMS, None


def parse_challenges(text: str) -> list[Challenge]:
    """WWW-Authenticate = #challenge (RFC 9110 §11.6.1); also Proxy-Authenticate (§11.7.1).

    challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
    """
    length = len(text)
    challenges: list[Challenge] = []
    match_head = CHALLENGE_HEAD_RE.match
    pos = 0
    while pos < length:
        # The head pattern reads the list delimiter before the challenge too.
        head = match_head(text, pos)
        if head is None:
            pos = _end_of(LIST_SEPARATOR_RE, text, pos)
            if pos == length:
                break
            _fail_scheme(text, pos)
        scheme, name, token, quoted = head.groups()
        end = head.end()
        token68 = None
        if name is not None:
            # auth-scheme 1*SP auth-param: the common case, read here without detours.
            if end == length:
                # ... and the most common of all: the last challenge has one auth-param.
                if token is None:
                    token = "".join(_split_quoted_pairs(quoted)) if "\\" in quoted else quoted
                challenges.append(new_challenge_with_one_param(scheme, name, token))
                return challenges
            end, params = _read_auth_params(text, end, (name, token, quoted))
        else:
            end, params, token68 = _parse_challenge_body(text, head, challenges)
        challenges.append(new_challenge(scheme, params, token68))
        pos = end
        if end < length:
            # RFC 9110 §5.6.1: OWS "," before the next element, or OWS and the end.
            pos = _end_of(OWS_RE, text, end)
            if pos < length and text[pos] != ",":
                _fail_after_challenge(text, head, end, params, token68, challenges[:-1])
    return challenges


def parse_credentials(text: str) -> Credentials:
    """Authorization = credentials (RFC 9110 §11.6.2); also Proxy-Authorization (§11.7.2).

    credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
    """
    simple = _match_simple_credentials(text)
    if simple is None or simple[3] is not None:
        return _parse_credentials(text, simple)
    # The common form, "Basic <token68>", in one step: new_credentials inlined (a
    # Python call is a tenth of this path; benchmarks/bench.py workload f).
    draft = _new_object(_SchemeValueDraft)
    draft.scheme = simple[1]
    draft.token68 = simple[2]
    draft.params = _NO_PARAMS
    draft._text = None
    draft.__class__ = Credentials  # type: ignore[assignment]  # see new_credentials
    return draft  # type: ignore[return-value]  # it is a Credentials now


def _parse_credentials(text: str, simple: re.Match[str] | None) -> Credentials:
    """Credentials other than ``auth-scheme 1*SP token68`` and the end.

    ``simple`` is CREDENTIALS_TOKEN68_RE's match: None, or that form followed by
    something else (auth-params, or an error).
    """
    length = len(text)
    head_endpos = length
    if simple is not None and "=" not in text:
        # An auth-param needs an "=": with none in the value, the head can only be the
        # scheme, so it is matched with endpos before the token68, which its auth-param
        # attempt would otherwise read again.
        head_endpos = simple.start(2)
    head = _match_credentials_head(text, 0, head_endpos)
    if head is None:
        _fail_scheme(text, _end_of(OWS_RE, text, 0))
    scheme, name, token, quoted = head.groups()
    if name is not None:
        # auth-scheme 1*SP auth-param: the common case, read here without detours.
        end, params = _read_auth_params(text, head.end(), (name, token, quoted))
        token68 = None
    else:
        # What the token68 pattern read after 1*SP is kept, so a long value is not
        # read again.
        read_token68 = None if simple is None else (simple.end(2), simple.end())
        end, params, token68 = _parse_challenge_body(text, head, [], read_token68)
    if end == length:
        return new_credentials(scheme, params, token68)
    after = _end_of(OWS_RE, text, end)
    if after < length:
        if text[after] != ",":
            _fail_after_challenge(text, head, end, params, token68, [])
        rest = _end_of(LIST_SEPARATOR_RE, text, after)
        if rest < length:
            fail("Expected one credentials: the field is not a list (RFC 9110 §11.6.2)", rest)
        # RFC 9110 §5.6.1.2: the #auth-param list (after 1*SP) may end in empty
        # elements; a token68, or a scheme without SP, ends the credentials.
        if token68 is not None or (not params and text[head.end(1)] != " "):
            fail("Expected end of credentials (not a list)", after)
    return new_credentials(scheme, params, token68)


def parse_auth_info(text: str) -> AuthParams:
    """Authentication-Info = #auth-param (RFC 9110 §11.6.3); also Proxy-Authentication-Info."""
    first = _match_first_auth_param(text)
    length = len(text)
    if first is None:
        pos = _end_of(LIST_SEPARATOR_RE, text, 0)
        if pos == length:
            return _NO_PARAMS
        _fail_auth_param(text, pos)
    end, params = _read_auth_params(text, first.end(), first.groups())
    if end == length:
        return params
    after = _end_of(OWS_RE, text, end)
    if after < length:
        if text[after] != ",":
            _fail_after_param(text, after)
        rest = _end_of(LIST_SEPARATOR_RE, text, after)
        if rest < length:
            _fail_auth_param(text, rest)
    return params


# Diagnosis: only on the error path, so the hot path stays one regex per element.


def _is_auth_param_start(text: str, pos: int) -> bool:
    """Whether an auth-param (token BWS "=") starts at ``pos`` rather than a challenge."""
    token = TOKEN_RE.match(text, pos)
    if token is None:
        return False
    return text.startswith("=", _end_of(OWS_RE, text, token.end()))


def _fail_if_scheme_is_a_param(text: str, head: re.Match[str], previous: list[Challenge]) -> None:
    """What the head read as an auth-scheme may be an auth-param's name ("realm=...")."""
    start = head.start(1)
    if _is_auth_param_start(text, start):
        if previous and previous[-1].params:
            _fail_auth_param(text, start)  # an auth-param of the previous challenge
        fail(
            "Expected auth-scheme, found an auth-param (params follow their scheme after SP)", start
        )


def _fail_challenge_body(
    text: str,
    head: re.Match[str],
    pos: int,
    previous: list[Challenge],
    token68: _Token68 | None,
) -> NoReturn:
    """Nothing valid follows ``auth-scheme 1*SP`` at ``pos``; ``token68`` is what
    :func:`_token68_at` read there (passed on, so a long value is not read again)."""
    _fail_if_scheme_is_a_param(text, head, previous)
    if text[pos] == "\t":
        fail("Expected token68 or auth-param after the SP that follows the auth-scheme", pos)
    if token68 is not None:
        token68_end, end = token68
        if not (text[token68_end - 1] == "=" and token68_end == end):
            fail("Expected ',' or the end after token68", end)
    _fail_auth_param(text, pos)


def _fail_duplicate(text: str, pos: int, items: list[tuple[str, str]]) -> NoReturn:
    """RFC 9110 §11.2: each parameter name MUST only occur once per challenge.

    ``items`` holds a name twice (ASCII case ignored); all but the first were read
    from ``pos`` on. Say where the first repeated name stands.
    """
    seen = {items[0][0].lower()}
    for name, _ in items[1:]:
        param = _match_next_param(text, pos)
        assert param is not None  # the same elements as _read_auth_params read
        key = name.lower()
        if key in seen:
            raise SyntaxFailure(
                f"Duplicate auth-param {name!r} (RFC 9110 §11.2)", param.start(1), name=name
            )
        seen.add(key)
        pos = param.end()
    raise AssertionError("no auth-param name is repeated")


def _fail_after_param(text: str, pos: int) -> NoReturn:
    fail("Expected ',' after auth-param (missing comma?)", pos)


def _fail_after_challenge(
    text: str,
    head: re.Match[str],
    end: int,
    params: AuthParams,
    token68: str | None,
    previous: list[Challenge],
) -> NoReturn:
    """Something other than OWS "," follows the challenge that ends at ``end``."""
    after = _end_of(OWS_RE, text, end)
    if params:
        _fail_after_param(text, after)
    if token68 is not None:
        fail("Expected ',' or the end after token68", after)
    _fail_if_scheme_is_a_param(text, head, previous)
    fail("Expected SP or ',' after auth-scheme", head.end(1), head.start(1))


def _fail_scheme(text: str, pos: int) -> NoReturn:
    if _is_auth_param_start(text, pos):
        fail("Expected auth-scheme, found an auth-param (an auth-param needs a challenge)", pos)
    fail("Expected auth-scheme (a token)", pos)


def _fail_auth_param(text: str, start: int) -> NoReturn:
    """Say why no auth-param starts at ``start``: token BWS "=" BWS ( token / quoted-string )."""
    length = len(text)
    name = TOKEN_RE.match(text, start)
    if name is None:
        fail("Expected auth-param name (a token)", start)
    pos = _end_of(OWS_RE, text, name.end())
    if pos == length or text[pos] != "=":
        fail("Expected '=' after auth-param name", pos, start)
    pos = _end_of(OWS_RE, text, pos + 1)
    if pos == length:
        fail("Expected token or quoted-string after '='", pos, start)
    if text[pos] != '"':
        if text[pos] not in TCHAR:
            fail("Expected token or quoted-string after '='", pos, start)
        _fail_after_param(text, _end_of(OWS_RE, text, _end_of(TOKEN_RE, text, pos)))
    # The longest valid quoted-string content, then what stops it.
    pos = _end_of(QUOTED_CONTENT_RE, text, pos + 1)
    if pos < length:
        char = text[pos]
        if char == '"':
            _fail_after_param(text, _end_of(OWS_RE, text, pos + 1))
        if char != "\\":
            fail("Character not allowed in quoted-string", pos, start)
        if pos + 1 < length:
            fail("Character not allowed in quoted-pair", pos + 1, start)
    fail("Unterminated quoted-string", length, start)
