"""The lenient reader: what a careful browser makes of what real servers and clients send.

It runs only after the strict parser has refused a value, so anything the ABNF accepts
is read by the strict parser and gets the same result in both modes. Each deviation
from the ABNF is marked ``# Lenient:`` and listed in the README's "Deviations".

The reader is one left-to-right pass over the value: every character is looked at a
bounded number of times, so it is linear too.
"""

from __future__ import annotations

import re
from typing import Final

from ._abnf import CTL_BUT_HTAB_RE, TOKEN68_RE, is_token
from ._fail import fail
from .model import (
    AuthParams,
    Challenge,
    Credentials,
    ascii_lower,
    new_auth_params,
    new_challenge,
    new_credentials,
)

# Lenient: ';' separates like ',' (servers that copied the Set-Cookie syntax).
_SEPARATORS: Final = ",;"
_WHITESPACE_RE: Final = re.compile("[ \t]*")
# A word: anything up to whitespace, a separator, '=' or a quote.
_WORD_RE: Final = re.compile("[^ \t,;=\"']*")
# Lenient: an unquoted value runs up to a separator; whitespace inside it is kept.
_UNQUOTED_CHUNK_RE: Final = re.compile("[^ \t,;]*")
# RFC 9112 §5.2: obs-fold = OWS CRLF RWS (a bare LF too, as RFC 9112 §2.2 allows).
_OBS_FOLD_RE: Final = re.compile("\r?\n[ \t]+")


class _Element:
    """A challenge (or the credentials, or the Authentication-Info list) being read."""

    __slots__ = ("index", "items", "scheme", "token68")

    def __init__(self, scheme: str) -> None:
        self.scheme = scheme
        self.items: list[tuple[str, str]] = []
        self.index: dict[str, str] = {}
        self.token68: str | None = None

    def add(self, name: str, value: str) -> None:
        if self.token68 is not None:
            return  # Lenient: params after a token68 are dropped (a challenge has one or the other).
        if not is_token(name):
            return  # Lenient: a parameter whose name is not a token is dropped.
        key = ascii_lower(name)
        if key in self.index:
            return  # Lenient: a duplicate parameter keeps its first value (RFC 9110 §11.2 MUST once).
        self.index[key] = value
        self.items.append((name, value))

    def params(self) -> AuthParams:
        return new_auth_params(tuple(self.items), self.index)


def _skip_whitespace(text: str, pos: int) -> int:
    match = _WHITESPACE_RE.match(text, pos)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _word_end(text: str, pos: int) -> int:
    match = _WORD_RE.match(text, pos)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _read_quoted(text: str, pos: int, quote: str) -> tuple[str, int]:
    """A quoted value starting at the quote at ``pos``; returns (content, end)."""
    length = len(text)
    chars: list[str] = []
    pos += 1
    while pos < length:
        char = text[pos]
        if char == quote:
            return "".join(chars), pos + 1
        if char == "\\" and quote == '"' and pos + 1 < length:
            # Lenient: a backslash escapes any character (RFC 9110 §5.6.4 excludes CTLs,
            # which are refused up front anyway).
            pos += 1
            char = text[pos]
        chars.append(char)
        pos += 1
    # Lenient: an unterminated quoted-string runs to the end of the value.
    return "".join(chars), pos


def _is_param_start(text: str, pos: int) -> bool:
    """Whether a word and '=' (a parameter's ``name=``) start at ``pos``."""
    word_end = _word_end(text, pos)
    return word_end > pos and text.startswith("=", _skip_whitespace(text, word_end))


def _read_unquoted(text: str, pos: int) -> tuple[str, int]:
    """An unquoted value: up to a separator, keeping inner whitespace, but stopping
    before `` name=`` (a parameter that lacks its comma)."""
    length = len(text)
    start = pos
    while True:
        chunk = _UNQUOTED_CHUNK_RE.match(text, pos)
        assert chunk is not None  # the pattern matches the empty string
        end = chunk.end()
        after_semicolon = _skip_whitespace(text, end + 1)
        if (
            text.startswith(";", end)
            and after_semicolon < length
            and text[after_semicolon] not in _SEPARATORS
            and not _is_param_start(text, after_semicolon)
        ):
            # Lenient: a ';' that no parameter follows is part of the value, as in AWS
            # Signature V4's `SignedHeaders=host;range;x-amz-date`.
            pos = end + 1
            continue
        after_space = _skip_whitespace(text, end)
        if after_space == end or after_space == length or text[after_space] in _SEPARATORS:
            break
        if _is_param_start(text, after_space):
            break  # Lenient: a missing comma between params ("a=1 b=2").
        # Lenient: a token value may not hold spaces, '/' or ':'; real servers send
        # `realm=My Realm` and `realm=https://example.com/`.
        pos = after_space
    return text[start:end], end


def _read_value(text: str, pos: int) -> tuple[str, int]:
    """The value after '=' (and BWS)."""
    if pos == len(text) or text[pos] in _SEPARATORS:
        return "", pos  # Lenient: an empty value ("realm=").
    char = text[pos]
    if char == '"':
        return _read_quoted(text, pos, '"')
    if char == "'":
        # Lenient: single-quoted values, as some hand-written servers send them.
        return _read_quoted(text, pos, "'")
    return _read_unquoted(text, pos)


def _unfold_and_check(text: str) -> str:
    """Read obs-fold as spaces and refuse control characters."""
    # Lenient: obs-fold (a line break and whitespace inside a field value, RFC 9112 §5.2)
    # reads as SP, as a recipient MUST read it; one SP per character keeps positions.
    text = _OBS_FOLD_RE.sub(lambda fold: " " * len(fold.group()), text)
    # Control characters cannot be carried by any value (the model refuses them), and a
    # CR or LF in a field value is an injection attempt: refused in both modes.
    control = CTL_BUT_HTAB_RE.search(text)
    if control is not None:
        fail("Control character in field value (refused in lenient mode too)", control.start())
    return text


class _Scan:
    """What the scan has read so far."""

    __slots__ = ("after_separator", "bare_list", "current", "elements", "saw_param")

    def __init__(self, *, bare_list: bool) -> None:
        self.bare_list = bare_list
        self.elements: list[_Element] = [_Element("")] if bare_list else []
        self.current: _Element | None = self.elements[0] if bare_list else None
        self.after_separator = True
        self.saw_param = False


def _read_param(text: str, word: str, after_word: int, scan: _Scan) -> int:
    """``word`` ``=`` value, the '=' at ``after_word``; returns the end of the value."""
    param_value, end = _read_value(text, _skip_whitespace(text, after_word + 1))
    scan.saw_param = True
    if scan.current is not None:
        # Lenient: a param after ',' that no scheme precedes joins the challenge
        # before it ("Basic, realm=x"): the value lacks only its scheme.
        scan.current.add(word, param_value)
    # Lenient: a param before any scheme ('realm="x"') is dropped, as browsers
    # ignore it: there is no challenge to answer.
    scan.after_separator = False
    return end


def _read_token68(text: str, pos: int, element: _Element) -> int:
    """A token68 at ``pos`` (after the scheme and its whitespace), if one is there, into
    ``element``; returns where reading goes on."""
    token68 = TOKEN68_RE.match(text, pos)
    if token68 is None:
        return pos
    end = token68.end()
    ends_element = end == len(text) or text[end] in _SEPARATORS
    # Lenient: a token68 followed by garbage ("Negotiate abc def") is kept, as long as it
    # is not a param's "name=" ("Digest realm=x nonce=y").
    is_param = token68.group(1).endswith("=") or text.startswith("=", end)
    if ends_element or not is_param:
        element.token68 = token68.group(1)
        return end
    return pos


def _start_challenge(text: str, word: str, word_end: int, after_word: int, scan: _Scan) -> int:
    """A new challenge with the scheme ``word``; returns where reading goes on."""
    element = _Element(word)
    scan.elements.append(element)
    scan.current = element
    scan.after_separator = False
    if word_end < after_word < len(text):
        # Lenient: HTAB or several spaces may separate the scheme from its token68.
        return _read_token68(text, after_word, element)
    return after_word


def _read_word(text: str, pos: int, word_end: int, scan: _Scan) -> int:
    """The word at ``pos``: a param's name, a scheme, or junk; returns where reading goes on."""
    after_word = _skip_whitespace(text, word_end)
    word = text[pos:word_end]
    if text.startswith("=", after_word):
        return _read_param(text, word, after_word, scan)
    if scan.bare_list or not is_token(word):
        return word_end  # Lenient: a stray word is skipped.
    starts_challenge = scan.after_separator or (
        # Lenient: a missing comma between challenges ('Basic realm="a" Bearer realm="b"').
        after_word < len(text) and text[after_word] not in _SEPARATORS
    )
    if not starts_challenge:
        return word_end  # Lenient: trailing garbage after a complete challenge.
    return _start_challenge(text, word, word_end, after_word, scan)


def _scan(text: str, *, bare_list: bool) -> list[_Element]:
    """Read the value into elements. With ``bare_list`` (Authentication-Info) there are
    no schemes: all params go into one element and stray words are skipped."""
    text = _unfold_and_check(text)
    length = len(text)
    scan = _Scan(bare_list=bare_list)
    first_content: int | None = None
    pos = _skip_whitespace(text, 0)
    while pos < length:
        if first_content is None:
            first_content = pos
        char = text[pos]
        if char in _SEPARATORS:
            scan.after_separator = True
            pos += 1
        else:
            word_end = _word_end(text, pos)
            if word_end > pos:
                pos = _read_word(text, pos, word_end, scan)
            elif char in "\"'":
                pos = _read_quoted(text, pos, char)[1]  # Lenient: a stray quoted string is skipped.
            else:
                pos += 1  # Lenient: a stray '=' outside a parameter is skipped.
        pos = _skip_whitespace(text, pos)
    if not bare_list and not scan.elements and first_content is not None and not scan.saw_param:
        # Nothing here reads as a challenge or a parameter.
        fail("Expected auth-scheme (a token)", first_content)
    return scan.elements


def parse_challenges(text: str) -> list[Challenge]:
    """WWW-Authenticate / Proxy-Authenticate, leniently."""
    return [
        new_challenge(element.scheme, element.params(), element.token68)
        for element in _scan(text, bare_list=False)
    ]


def parse_credentials(text: str) -> Credentials:
    """Authorization / Proxy-Authorization, leniently: the first credentials found.

    The caller passes only the first field line: a second one is ignored (RFC 9110 §5.3
    says the field is not a list; the first is what the sender meant).
    """
    elements = _scan(text, bare_list=False)
    if not elements:
        fail("Expected auth-scheme (a token)", 0)
    # Lenient: a second credentials in the value is ignored.
    element = elements[0]
    return new_credentials(element.scheme, element.params(), element.token68)


def parse_auth_info(text: str) -> AuthParams:
    """Authentication-Info / Proxy-Authentication-Info, leniently."""
    return _scan(text, bare_list=True)[0].params()
