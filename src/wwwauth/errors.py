"""The errors of the library: :class:`ParseError` for bad input, :class:`SerializeError`."""

from __future__ import annotations

from ._abnf import CTL

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

__all__ = ["ParseError", "SerializeError"]

_ECHO_INDENT: Final = "    "
# The echo: a value up to _WHOLE_ECHO characters is shown whole; a longer one only as a
# window of _WINDOW characters around the error, _BEFORE_CARET of them before it (where
# the element being read starts), cut ends marked with _CUT.
_WHOLE_ECHO: Final = 80
_WINDOW: Final = 60
_BEFORE_CARET: Final = 40
_CUT: Final = "…"


def _escape_char(char: str) -> str:
    """Render one control character the way Python writes it in a string literal."""
    return repr(char)[1:-1]


def echo_window(length: int, position: int) -> tuple[int, int]:
    """The ``(start, end)`` of the part of a value of ``length`` characters that the
    message of an error at ``position`` echoes: all of it when it is short, else a
    window of about 60 columns around ``position``."""
    if length <= _WHOLE_ECHO:
        return 0, length
    start = max(0, min(position - _BEFORE_CARET, length - _WINDOW))
    return start, min(length, start + _WINDOW)


class ParseError(ValueError):
    """A field value does not match the grammar.

    ``str(error)`` is the message, then the value (a window of about 60 columns around
    the error when it is longer than 80 characters, cut ends marked ``…``) with ``^``
    under the offending character and ``~`` under the element being read. It is
    rendered when asked for, so an error on a long value costs no more than reading it.

    Attributes:
        message: what was expected or what is wrong, in grammar words.
        source: the field value as parsed (several field lines joined with ", ").
            For Authorization and Proxy-Authorization it is masked with ``*`` (one
            per character, so ``position`` still points at the right one): token68,
            parameter values, and any word that is not plainly a scheme or a
            parameter name (see ``wwwauth._redact``), so the error never carries a
            secret.
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
        # args holds the message only: the rendering is made by __str__, when asked for.
        super().__init__(message)

    def __str__(self) -> str:
        return self._render()

    def _render(self) -> str:
        """The message, the value indented, then ``~`` under the span and ``^`` at the error."""
        source = self.source
        start, _ = self.span
        start = min(start, self.position)
        window_start, window_end = echo_window(len(source), self.position)
        echo: list[str] = [_CUT] if window_start else []
        marks: list[str] = [" "] if window_start else []
        for index in range(window_start, window_end):
            char = source[index]
            shown = _escape_char(char) if char in CTL else char
            echo.append(shown)
            if index == self.position:
                mark = "^"
            elif start <= index < self.position:
                mark = "~"
            else:
                mark = " "
            marks.append(mark * len(shown) if mark != "^" else "^" + " " * (len(shown) - 1))
        if window_end < len(source):
            echo.append(_CUT)
        elif self.position >= len(source):
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
