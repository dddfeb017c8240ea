"""The redactor as it was before issue 12: the oracle the fast one is checked against.

``wwwauth._redact.redact_credentials`` decides which characters of a credentials value
are secrets, so its output must not change when it is made faster. This is the plain
one-pass version it replaced (one regex run per word, whitespace run or quoted-string),
kept verbatim: ``tests/test_redact.py`` checks that both give the same output on every
input it draws. The rule itself is documented in ``wwwauth._redact``.
"""

from __future__ import annotations

import re
from typing import Final

from wwwauth._abnf import TCHAR, WHITESPACE
from wwwauth._redact import is_plain_name, mask, shown_scheme

# What a name may be followed by after its "=" to be read as an auth-param: the first
# character of a token or of a quoted-string (RFC 9110 §11.2).
_VALUE_START: Final = TCHAR | frozenset('"')

# Single character-class runs (linear: no nested quantifier, nothing to backtrack).
_WHITESPACE_RUN_RE: Final = re.compile("[ \t]*")
_WORD_RUN_RE: Final = re.compile('[^ \t,="]*')
_QUOTED_RUN_RE: Final = re.compile('[^"\\\\]*')


def _run_end(pattern: re.Pattern[str], text: str, position: int) -> int:
    match = pattern.match(text, position)
    assert match is not None  # every run pattern matches the empty string
    return match.end()


def _quoted_end(source: str, position: int) -> tuple[int, bool]:
    """End of the quoted-string opening at ``position``, and whether a quote closes it."""
    length = len(source)
    position += 1
    while True:
        position = _run_end(_QUOTED_RUN_RE, source, position)
        if position >= length:
            return length, False
        if source[position] == '"':
            return position + 1, True
        position = min(position + 2, length)


def redact_credentials(source: str) -> str:
    """Mask an Authorization or Proxy-Authorization value, keeping its columns."""
    out: list[str] = []
    length = len(source)
    position = _run_end(_WHITESPACE_RUN_RE, source, 0)
    out.append(source[:position])
    scheme_end = _run_end(_WORD_RUN_RE, source, position)
    at_element_start = False
    if scheme_end > position:
        scheme = source[position:scheme_end]
        after = _run_end(_WHITESPACE_RUN_RE, source, scheme_end)
        followed = after > scheme_end and after < length
        out.append(shown_scheme(scheme, alone=not followed))
        position = scheme_end
        at_element_start = followed
    while position < length:
        char = source[position]
        if char in WHITESPACE:
            end = _run_end(_WHITESPACE_RUN_RE, source, position)
            out.append(source[position:end])
            position = end
            continue
        if char == ",":
            out.append(char)
            at_element_start = True
            position += 1
            continue
        if char == "=":
            out.append(char)
            at_element_start = False
            position += 1
            continue
        if char == '"':
            end, closed = _quoted_end(source, position)
            out.append('"' + mask(source[position + 1 : end - closed]) + '"' * closed)
            at_element_start = False
            position = end
            continue
        end = _run_end(_WORD_RUN_RE, source, position)
        word = source[position:end]
        is_name = (
            at_element_start
            and end + 1 < length
            and source[end] == "="
            and source[end + 1] in _VALUE_START
            and is_plain_name(word)
        )
        out.append(word if is_name else mask(word))
        at_element_start = False
        position = end
    return "".join(out)
