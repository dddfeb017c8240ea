"""Masking secrets of Authorization and Proxy-Authorization values: one redactor for all.

Credentials carry secrets (a token68, parameter values), and a malformed value can put
a secret where a scheme or a parameter name would stand: a token sent without its
scheme reads as a scheme, a token68 followed by junk can read as a parameter name. So
the redactor shows only the words whose position and shape make them names, and masks
every other character with one ``*`` (columns are kept, so a caret still points at the
right character). ParseError echoes, the scheme readers' messages, ``repr`` of
:class:`~wwwauth.Credentials` and the CLI all go through this module.

The rule:

* The scheme (the first word, after OWS) is shown when it is a registered scheme
  (:data:`REGISTERED_SCHEMES`, ASCII case ignored), or when something follows it after
  whitespace and it is a *plain scheme word* (:func:`is_plain_scheme`). A lone word that
  is no registered scheme is masked: it is most likely a token sent without its scheme.
* A parameter name is shown when it stands at an element start (after the scheme's
  whitespace, or after a ``,`` and OWS), is written ``name=`` with the ``=`` right
  after it and a token character or ``"`` right after the ``=``, and is a *plain
  parameter name* (:func:`is_plain_name`). The grammar allows BWS around ``=`` (RFC 9110
  §11.2), but ``T= x`` or ``T =x`` cannot be told from a token68 ``T`` followed by
  junk, and ``T=`` followed by ``=``, ``,`` or the end is token68 padding: all masked.
* Everything else is masked: token68, parameter values, quoted strings (whatever they
  hold), every other word. Whitespace, ``,``, ``=`` and ``"`` stay.

Linear in the input: one pass, each character looked at a bounded number of times; the
only patterns are single character-class runs, which cannot backtrack.
"""

from __future__ import annotations

import re

from ._abnf import ALPHA, TCHAR, WHITESPACE
from ._registry import REGISTERED_SCHEMES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

__all__ = [
    "REGISTERED_SCHEMES",
    "is_plain_name",
    "is_plain_scheme",
    "is_shown_scheme",
    "mask",
    "redact_credentials",
    "shown_scheme",
]

# The longest word that a plain scheme word or plain parameter name can be.
MAX_PLAIN_WORD: Final = 24

_LOWER_LETTERS: Final = frozenset("abcdefghijklmnopqrstuvwxyz")
# What a name may be followed by after its "=" to be read as an auth-param: the first
# character of a token or of a quoted-string (RFC 9110 §11.2). "=" is not a tchar, so
# "T==" (token68 padding) never qualifies.
_VALUE_START: Final = TCHAR | frozenset('"')

# Single character-class runs (linear: no nested quantifier, nothing to backtrack).
_WHITESPACE_RUN_RE: Final = re.compile("[ \t]*")
_WORD_RUN_RE: Final = re.compile('[^ \t,="]*')
_QUOTED_RUN_RE: Final = re.compile('[^"\\\\]*')


def mask(text: str) -> str:
    """``text`` with every character replaced by ``*`` (the columns are kept)."""
    return "*" * len(text)


def _is_plain_part(part: str) -> bool:
    """A part of a scheme word: ASCII letters, all lower, all upper, or Capitalized."""
    if not part or not all(char in ALPHA for char in part):
        return False
    return part.islower() or part.isupper() or (part[0].isupper() and part[1:].islower())


def is_plain_scheme(word: str) -> bool:
    """Whether ``word`` has the shape of a scheme name rather than of a secret.

    At most :data:`MAX_PLAIN_WORD` characters, ASCII letters in parts joined by single
    ``-``, each part all lower-case, all upper-case or Capitalized (``Custom``, ``MAC``,
    ``X-Custom``). A digit, ``_``, any other character or a case change inside a part
    (``sk_live_51Hx``, ``dXNlcjpz``) makes it a possible secret.
    """
    if len(word) > MAX_PLAIN_WORD:
        return False
    return all(_is_plain_part(part) for part in word.split("-"))


def is_plain_name(name: str) -> bool:
    """Whether ``name`` has the shape of a parameter name rather than of a secret.

    At most :data:`MAX_PLAIN_WORD` characters, lower-case ASCII letters in parts joined
    by single ``-`` or ``_`` (``username``, ``oauth_nonce``), with an optional final
    ``*`` (an RFC 8187 ext-value name such as ``username*``).
    """
    if len(name) > MAX_PLAIN_WORD:
        return False
    base = name.removesuffix("*")
    parts = base.replace("_", "-").split("-")
    return all(part and all(char in _LOWER_LETTERS for char in part) for part in parts)


def is_shown_scheme(scheme: str, *, alone: bool) -> bool:
    """Whether the auth-scheme ``scheme`` may be shown in the clear.

    Args:
        scheme: the first word of the credentials.
        alone: nothing follows the scheme (no token68, no auth-param): then only a
            registered scheme is shown, since a lone word is most likely a token sent
            without its scheme.
    """
    # isascii first: str.lower folds some non-ASCII letters onto ASCII ones (U+212A).
    if scheme.isascii() and scheme.lower() in REGISTERED_SCHEMES:
        return True
    return not alone and is_plain_scheme(scheme)


def shown_scheme(scheme: str, *, alone: bool) -> str:
    """``scheme`` when :func:`is_shown_scheme`, else one ``*`` per character."""
    return scheme if is_shown_scheme(scheme, alone=alone) else mask(scheme)


def _run_end(pattern: re.Pattern[str], text: str, position: int) -> int:
    match = pattern.match(text, position)
    assert match is not None  # every run pattern matches the empty string
    return match.end()


def _quoted_end(source: str, position: int) -> tuple[int, bool]:
    """End of the quoted-string opening at ``position``, and whether a quote closes it.

    RFC 9110 §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE. Any
    character but a quote or a backslash is read as content here (the redactor masks,
    it does not validate); an unterminated string runs to the end.
    """
    length = len(source)
    position += 1
    while True:
        position = _run_end(_QUOTED_RUN_RE, source, position)
        if position >= length:
            return length, False
        if source[position] == '"':
            return position + 1, True
        position = min(position + 2, length)  # quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )


def redact_credentials(source: str) -> str:
    """Mask an Authorization or Proxy-Authorization value, keeping its columns.

    Any text is accepted (malformed values are what error messages echo). See the
    module docstring for the rule: the scheme and parameter names are shown only where
    their position and shape make them names; whitespace, ``,``, ``=`` and ``"`` stay;
    every other character becomes ``*``.

    >>> redact_credentials('Digest username="Mufasa", response="6629fa"')
    'Digest username="******", response="******"'
    >>> redact_credentials("Basic dXNlcjpzZWNyZXQ= extra")
    'Basic ***************= *****'
    >>> redact_credentials("sk_live_51Hx")
    '************'
    """
    out: list[str] = []
    length = len(source)
    # RFC 9110 §5.5: OWS may lead a field value; then the auth-scheme (§11.4).
    position = _run_end(_WHITESPACE_RUN_RE, source, 0)
    out.append(source[:position])
    scheme_end = _run_end(_WORD_RUN_RE, source, position)
    at_element_start = False
    if scheme_end > position:
        scheme = source[position:scheme_end]
        after = _run_end(_WHITESPACE_RUN_RE, source, scheme_end)
        # RFC 9110 §11.4: credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
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
            # RFC 9110 §5.6.1.2: a list element starts after "," and OWS.
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
        # RFC 9110 §11.2: auth-param = token BWS "=" BWS ( token / quoted-string ),
        # shown only in the tight form name=value (see the module docstring).
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
