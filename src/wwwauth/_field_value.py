"""Turn what callers pass (str, bytes, several field lines) into one field value."""

from __future__ import annotations

from collections.abc import Iterable

from . import _abnf
from ._redact import redact_credentials
from ._registry import AUTHORIZATION, PROXY_AUTHORIZATION
from .errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeAlias

    from ._registry import FieldName

CREDENTIAL_FIELDS: frozenset[FieldName] = frozenset({AUTHORIZATION, PROXY_AUTHORIZATION})

# str, or octets (bytes and the other buffers), or several field lines of either.
FieldInput: TypeAlias = str | bytes | bytearray | memoryview | Iterable[str | bytes]

# RFC 9110 §5.3: field lines of one field are combined in order, separated by a comma
# (and, by the usual convention, a space).
LINE_JOINER = ", "


def _decode(line: object, field: FieldName) -> str:
    if isinstance(line, str):
        return line
    if isinstance(line, (bytes, bytearray, memoryview)):
        # RFC 9110 §5.5: field values are octets; ISO-8859-1 maps each to one character.
        return bytes(line).decode("latin-1")
    raise TypeError(f"{field} field line must be str or bytes, not {type(line).__name__}")


def read_field_value(value: FieldInput, field: FieldName) -> tuple[str, tuple[int, ...] | None]:
    """Combine the field lines given into one value; return it and where each line starts.

    The line starts are None when a single value was given.

    Raises:
        ParseError: a character above U+00FF.
        TypeError: ``value`` is not str, bytes or an iterable of them.
    """
    starts: tuple[int, ...] | None = None
    if isinstance(value, str):
        text = value
    elif isinstance(value, (bytes, bytearray, memoryview)):
        text = bytes(value).decode("latin-1")
    else:
        try:
            field_lines = iter(value)
        except TypeError:
            # Name the type only: the value may be a credential.
            raise TypeError(
                f"{field} field value must be str, bytes, or an iterable of str or bytes "
                f"field lines, not {type(value).__name__}"
            ) from None
        lines = [_decode(line, field) for line in field_lines]
        offsets = []
        offset = 0
        for line in lines:
            offsets.append(offset)
            offset += len(line) + len(LINE_JOINER)
        text, starts = LINE_JOINER.join(lines), tuple(offsets)
    if not text.isascii():
        wide = _abnf.NOT_LATIN1_RE.search(text)
        if wide is not None:
            raise parse_error(
                text,
                field,
                starts,
                "Character above U+00FF: a field value is octets (RFC 9110 §5.5)",
                wide.start(),
            )
    return text, starts


def parse_error(
    text: str,
    field: FieldName,
    line_starts: tuple[int, ...] | None,
    message: str,
    position: int,
    start: int | None = None,
) -> ParseError:
    """The ParseError for ``text``, with secrets of credential fields masked."""
    line = None
    if line_starts is not None:
        line = sum(1 for line_start in line_starts if line_start <= position) - 1
        line = max(line, 0)
    return ParseError(
        message,
        redact_credentials(text) if field in CREDENTIAL_FIELDS else text,
        position,
        span=(position if start is None else start, position + 1),
        field=field,
        line=line,
    )
