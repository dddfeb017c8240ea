"""How the grammar readers say "no": :class:`SyntaxFailure` and :func:`fail`.

The strict parser and the lenient reader both raise it; ``parsing.py`` turns it into a
:class:`~wwwauth.errors.ParseError` with the field name, field line and redaction, so
the readers only know about text.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn


__all__ = ["SyntaxFailure", "fail"]


class SyntaxFailure(Exception):
    """The text does not match the grammar at ``position``; ``start`` begins the element."""

    def __init__(
        self, message: str, position: int, start: int | None = None, *, name: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.start = position if start is None else start
        # The text at ``position`` that ``message`` quotes (as its repr), for redaction.
        self.name = name


def fail(message: str, position: int, start: int | None = None) -> NoReturn:
    """Raise :class:`SyntaxFailure` (the readers' one way to refuse input)."""
    raise SyntaxFailure(message, position, start)
