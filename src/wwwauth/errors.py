"""The errors of the library: :class:`ParseError` for bad input, :class:`SerializeError`."""

from __future__ import annotations

from typing import Final

from ._abnf import CTL

__all__ = ["ParseError", "SerializeError"]

_ECHO_INDENT: Final = "    "


def _escape_char(char: str) -> str:
    """Render one control character the way Python writes it in a string literal."""
    return repr(char)[1:-1]


class ParseError(ValueError):
    """A field value does not match the grammar.

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
        super().__init__(self._render())

    def _render(self) -> str:
        """The message, the value indented, then ``~`` under the span and ``^`` at the error."""
        start, _ = self.span
        start = min(start, self.position)
        echo: list[str] = []
        marks: list[str] = []
        for index, char in enumerate(self.source):
            shown = _escape_char(char) if char in CTL else char
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
