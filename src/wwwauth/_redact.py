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

Linear in the input, and cheap on a long one: everything is masked by a table (or, for
a long stretch without delimiters, is one run of ``*``), and Python only visits the
events that change the rule: each ``"`` (with the ``\\`` inside its quoted-string)
and each ``,``, found with ``str.find`` resuming where the last search for that
character stopped. The scheme and a name are read at most 25 characters far; the only
patterns are single character-class runs, which cannot backtrack.
tests/_redact_oracle.py keeps the plain one-pass version this must agree with.
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

# Outside quoted strings these stay as they are: whitespace (RFC 9110 §5.6.3) and the
# delimiters of credentials, "," "=" and DQUOTE (§5.6.1, §11.2, §5.6.4). Every other
# character is masked, or is part of a word the rule shows.
_DELIMITERS: Final = WHITESPACE | frozenset(',="')
# One octet -> one octet: a delimiter to itself, anything else to "*".
_MASK_TABLE: Final = bytes(code if chr(code) in _DELIMITERS else ord("*") for code in range(256))
# The longest word that is_shown_scheme can accept (a plain word or a registered scheme):
# a longer first word is masked without being read to its end.
_LONGEST_SHOWN_WORD: Final = max(MAX_PLAIN_WORD, *map(len, REGISTERED_SCHEMES))
# A stretch of at least this many characters to mask is first searched for delimiters
# (str.find, a memchr), and is one run of "*" when it holds none: a long token68 costs
# no table lookup per character.
_LONG_STRETCH: Final = 256

# Single character-class runs (linear: no nested quantifier, nothing to backtrack).
_WHITESPACE_RUN_RE: Final = re.compile("[ \t]*")
_WORD_RUN_RE: Final = re.compile(
    "[^" + "".join(re.escape(char) for char in sorted(_DELIMITERS)) + "]*"
)


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


def _run_end(pattern: re.Pattern[str], text: str, position: int, end: int | None = None) -> int:
    match = pattern.match(text, position, len(text) if end is None else end)
    assert match is not None  # every run pattern matches the empty string
    return match.end()


def _mask_keeping_delimiters(text: str) -> str:
    """``text`` with every character but whitespace, ``,``, ``=`` and ``"`` as ``*``."""
    # ISO-8859-1 with "?" for each character above U+00FF (one octet per character, so
    # the columns stay), then one table lookup per octet.
    return text.encode("latin-1", "replace").translate(_MASK_TABLE).decode("ascii")


class _Redaction:
    """The masked copy of ``source``, written left to right.

    Everything is masked by default (delimiters kept); the walk in
    :func:`redact_credentials` only marks what differs: the words it shows, and the
    quoted-string contents it masks whole (delimiters included). It also answers where
    the next ``"``, ``,`` or ``\\`` is, each from a position that only moves forward,
    so every ``str.find`` starts where the last one for that character stopped and each
    character is looked at once per delimiter: linear in the input.
    """

    __slots__ = ("_done", "_next", "_pieces", "_stars_to_end", "length", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self.length = len(source)
        self._pieces: list[str] = []
        self._done = 0  # the pieces cover source[:_done]
        # char -> (since, found): found is the first char at or after since (length
        # when there is none).
        self._next: dict[str, tuple[int, int]] = {}
        # The pieces end with a run of "*" to the end, not written yet: text() pads
        # with it, so a long value is copied once, not twice.
        self._stars_to_end = False

    def find_next(self, char: str, position: int) -> int:
        """The first ``char`` at or after ``position`` (``length`` when there is none).

        ``position`` never decreases from one call to the next for the same ``char``.
        """
        found = self._next.get(char, (0, -1))[1]
        if found < position:
            found = self.source.find(char, position)
            if found < 0:
                found = self.length
            self._next[char] = (position, found)
        return found

    def _holds(self, char: str, start: int, end: int) -> bool:
        """Whether ``source[start:end]`` holds ``char`` (from what find_next knows, if
        it can tell)."""
        since, found = self._next.get(char, (self.length, -1))
        if since <= start <= found:
            return found < end
        return self.source.find(char, start, end) >= 0

    def _mask_up_to(self, end: int) -> None:
        """Write ``source[_done:end]`` masked, its delimiters kept."""
        start = self._done
        if start >= end:
            return
        source = self.source
        if end - start >= _LONG_STRETCH and not any(
            self._holds(char, start, end) for char in _DELIMITERS
        ):
            if end == self.length:
                self._stars_to_end = True
            else:
                self._pieces.append("*" * (end - start))
        else:
            self._pieces.append(_mask_keeping_delimiters(source[start:end]))
        self._done = end

    def show(self, start: int, end: int) -> None:
        """Write ``source[start:end]`` as it is."""
        self._mask_up_to(start)
        self._pieces.append(self.source[start:end])
        self._done = end

    def hide(self, start: int, end: int) -> None:
        """Write one ``*`` per character of ``source[start:end]``, delimiters included."""
        self._mask_up_to(start)
        self._pieces.append("*" * (end - start))
        self._done = end

    def text(self) -> str:
        """The masked copy, once the walk is done."""
        self._mask_up_to(self.length)
        text = "".join(self._pieces)
        return text.ljust(self.length, "*") if self._stars_to_end else text


def _word_end(source: str, start: int) -> int:
    """End of the run of characters that are no delimiter from ``start``."""
    end = _run_end(_WORD_RUN_RE, source, start, start + _LONGEST_SHOWN_WORD + 1)
    if end <= start + _LONGEST_SHOWN_WORD:
        return end
    # A word too long to be shown: find its end with one memchr per delimiter.
    found = [source.find(char, end) for char in _DELIMITERS]
    return min([position for position in found if position >= 0], default=len(source))


def _quoted_end(redaction: _Redaction, position: int) -> tuple[int, bool]:
    """End of the quoted-string opening at ``position``, and whether a quote closes it.

    RFC 9110 §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE. Any
    character but a quote or a backslash is read as content here (the redactor masks,
    it does not validate); an unterminated string runs to the end.
    """
    length = redaction.length
    position += 1
    while True:
        close = redaction.find_next('"', position)
        backslash = redaction.find_next("\\", position)
        if close < backslash:
            return close + 1, True
        # quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ): the next character is content.
        position = backslash + 2
        if position >= length:
            return length, False


def _show_name(redaction: _Redaction, start: int) -> None:
    """Show the word at the element start ``start`` if the rule reads it as a name.

    RFC 9110 §11.2: auth-param = token BWS "=" BWS ( token / quoted-string ), shown
    only in the tight form name=value (see the module docstring). A name is at most
    MAX_PLAIN_WORD characters, so no more than that is read.
    """
    source = redaction.source
    end = _run_end(_WORD_RUN_RE, source, start, start + MAX_PLAIN_WORD + 1)
    if (
        end + 1 < redaction.length
        and source[end] == "="
        and source[end + 1] in _VALUE_START
        and is_plain_name(source[start:end])  # False for a longer word, or none
    ):
        redaction.show(start, end)


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
    redaction = _Redaction(source)
    length = redaction.length
    # RFC 9110 §5.5: OWS may lead a field value; then the auth-scheme (§11.4).
    position = _run_end(_WHITESPACE_RUN_RE, source, 0)
    scheme_end = _word_end(source, position)
    if scheme_end > position:
        after = _run_end(_WHITESPACE_RUN_RE, source, scheme_end)
        # RFC 9110 §11.4: credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
        followed = scheme_end < after < length
        if scheme_end - position <= _LONGEST_SHOWN_WORD and is_shown_scheme(
            source[position:scheme_end], alone=not followed
        ):
            redaction.show(position, scheme_end)
        redaction.show(scheme_end, after)  # whitespace: what follows starts a stretch
        if followed:
            _show_name(redaction, after)
        position = after
    # What is left is masked but for the events: a quoted-string (masked whole) and a
    # "," (an element starts after it and OWS, RFC 9110 §5.6.1.2, maybe with a name).
    quote = comma = -1
    while True:
        if quote < position:
            quote = redaction.find_next('"', position)
        if comma < position:
            comma = redaction.find_next(",", position)
        if quote < comma:
            end, closed = _quoted_end(redaction, quote)
            redaction.hide(quote + 1, end - closed)
            position = end
        elif comma < length:
            position = _run_end(_WHITESPACE_RUN_RE, source, comma + 1)
            _show_name(redaction, position)
        else:
            return redaction.text()
