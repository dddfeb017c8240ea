"""The errors of the library: :class:`ParseError` for bad input, :class:`SerializeError`."""

from __future__ import annotations

import re
from typing import Final

__all__ = ["ParseError", "SerializeError"]

# The IANA HTTP Authentication Scheme Registry, and NTLM, lower-cased: a lone word that
# is one of these is a scheme, any other lone word in credentials may be a secret.
REGISTERED_SCHEMES: Final = frozenset(
    {
        "basic", "bearer", "concealed", "digest", "dpop", "gnap", "hoba", "mutual",
        "negotiate", "ntlm", "oauth", "privatetoken", "scram-sha-1", "scram-sha-256", "vapid",
    }
)

_ECHO_INDENT: Final = "    "
_CONTROL_RE: Final = re.compile("[\x00-\x1f\x7f]")


def _escape_char(char: str) -> str:
    """Render one control character the way Python writes it in a string literal."""
    return repr(char)[1:-1]


class ParseError(ValueError):
    """A field value does not match the grammar.

    Attributes:
        message: what was expected or what is wrong, in grammar words.
        source: the field value as parsed (several field lines joined with ", ").
            For Authorization and Proxy-Authorization, token68 and parameter values
            are masked with ``*``, so the error never carries a secret.
        position: 0-based offset of the offending character in ``source``.
        span: ``(start, end)`` of the element being read when the error happened.
        field: the field name, when known (e.g. ``"WWW-Authenticate"``).
        line: index of the field line that holds ``position`` when several lines
            were given, else ``None``.
    """

    message: str
    source: str
    position: int
    span: tuple[int, int]
    field: str | None
    line: int | None

    def __init__(
        self,
        message: str,
        source: str,
        position: int,
        *,
        span: tuple[int, int] | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.position = position
        self.span = span if span is not None else (position, position + 1)
        self.field = field
        self.line = line
        super().__init__(self._render())

    def _render(self) -> str:
        """The message, the value indented, then ``~`` under the span and ``^`` at the error."""
        start, _ = self.span
        start = min(start, self.position)
        echo: list[str] = []
        marks: list[str] = []
        for index, char in enumerate(self.source):
            shown = _escape_char(char) if _CONTROL_RE.match(char) else char
            echo.append(shown)
            if index == self.position:
                mark = "^"
            elif start <= index < self.position:
                mark = "~"
            else:
                mark = " "
            marks.append(mark * len(shown) if mark != "^" else "^" + " " * (len(shown) - 1))
        if self.position >= len(self.source):
            marks.append("^")
        heading = self.message
        if self.line is not None:
            heading += f" (field line {self.line + 1})"
        caret_line = "".join(marks).rstrip()
        return f"{heading}\n{_ECHO_INDENT}{''.join(echo)}\n{_ECHO_INDENT}{caret_line}"

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_parse_error,
            (self.message, self.source, self.position, self.span, self.field, self.line),
        )


def _rebuild_parse_error(
    message: str,
    source: str,
    position: int,
    span: tuple[int, int],
    field: str | None,
    line: int | None,
) -> ParseError:
    return ParseError(message, source, position, span=span, field=field, line=line)


class SerializeError(ValueError):
    """A value cannot be serialized (or carried by the model) without changing its meaning.

    The message names the parameter, never its value.
    """


# A parameter name inside credentials: a token that an auth-param's "=" follows (and not
# a token68's "=" padding, which is followed by another "=", OWS and a comma, or the end).
_PARAM_NAME_RE: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?=[ \t]*=(?![ \t]*(?:[=,]|\Z)))")


_WORD_RE: Final = re.compile('[^ \t,="]*')


def redact_credentials(source: str) -> str:
    """Mask token68 and parameter values of an Authorization value with ``*``.

    Keeps the columns: the scheme, parameter names, '=', ',', quotes and whitespace stay,
    every other character becomes one ``*``. Quoted strings are masked whole, whatever
    they hold, so a value that looks like ``a=b`` never reveals itself.
    """
    out: list[str] = []
    position = 0
    length = len(source)
    # The leading OWS and the auth-scheme are not secret, when an SP follows the scheme.
    # A value of one word may be a secret sent without its scheme: mask it whole.
    while position < length and source[position] in " \t":
        out.append(source[position])
        position += 1
    scheme_end = position
    while scheme_end < length and source[scheme_end] not in " \t,=\"":
        scheme_end += 1
    scheme = source[position:scheme_end]
    if (scheme_end < length and source[scheme_end] == " ") or scheme.lower() in REGISTERED_SCHEMES:
        out.append(scheme)
        position = scheme_end
    in_quotes = False
    while position < length:
        char = source[position]
        if in_quotes:
            if char == "\\" and position + 1 < length:
                out.append("**")
                position += 2
                continue
            if char == '"':
                in_quotes = False
                out.append(char)
            else:
                out.append("*")
            position += 1
            continue
        if char == '"':
            in_quotes = True
            out.append(char)
        elif char in " \t,=":
            out.append(char)
        else:
            # At the start of a word: a parameter name stays, anything else is masked.
            name = _PARAM_NAME_RE.match(source, position)
            if name is not None:
                out.append(name.group())
                position = name.end()
                continue
            word = _WORD_RE.match(source, position)
            assert word is not None  # the pattern matches the empty string
            out.append("*" * (word.end() - position))
            position = word.end()
            continue
        position += 1
    return "".join(out)
