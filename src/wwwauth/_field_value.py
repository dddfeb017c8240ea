"""Turn what callers pass (str, bytes, several field lines) into one field value."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, NoReturn, Union

from . import _abnf
from .errors import ParseError, redact_credentials

FieldName = Literal[
    "WWW-Authenticate",
    "Proxy-Authenticate",
    "Authorization",
    "Proxy-Authorization",
    "Authentication-Info",
    "Proxy-Authentication-Info",
]
CREDENTIAL_FIELDS: frozenset[FieldName] = frozenset({"Authorization", "Proxy-Authorization"})

FieldInput = Union[str, bytes, Iterable[Union[str, bytes]]]

# RFC 9110 §5.3: field lines of one field are combined in order, separated by a comma
# (and, by the usual convention, a space).
LINE_JOINER = ", "


class FieldValue:
    """One field value and where each of its field lines starts in it."""

    __slots__ = ("text", "line_starts", "field")

    def __init__(self, text: str, line_starts: tuple[int, ...] | None, field: FieldName) -> None:
        self.text = text
        self.line_starts = line_starts  # None when a single value was given
        self.field = field

    def line_of(self, position: int) -> int | None:
        """Index of the field line that holds ``position``, or None for a single value."""
        if self.line_starts is None:
            return None
        line = 0
        for index, start in enumerate(self.line_starts):
            if start <= position:
                line = index
        return line


def _decode(line: object, field: FieldName) -> str:
    if isinstance(line, str):
        return line
    if isinstance(line, (bytes, bytearray, memoryview)):
        # RFC 9110 §5.5: field values are octets; ISO-8859-1 maps each to one character.
        return bytes(line).decode("latin-1")
    raise TypeError(f"{field} field value must be str or bytes, not {type(line).__name__}")


def read_field_value(value: FieldInput, field: FieldName) -> FieldValue:
    """Combine the field lines given into one value and check it holds only octets.

    Raises:
        ParseError: a character above U+00FF.
        TypeError: ``value`` is not str, bytes or an iterable of them.
    """
    if isinstance(value, str):
        text, starts = value, None
    elif isinstance(value, (bytes, bytearray, memoryview)):
        text, starts = bytes(value).decode("latin-1"), None
    else:
        lines = [_decode(line, field) for line in value]
        offsets = []
        offset = 0
        for line in lines:
            offsets.append(offset)
            offset += len(line) + len(LINE_JOINER)
        text, starts = LINE_JOINER.join(lines), tuple(offsets)
    result = FieldValue(text, starts, field)
    if not text.isascii():
        wide = _abnf.NOT_LATIN1_RE.search(text)
        if wide is not None:
            raise_parse_error(
                result, "Character above U+00FF: a field value is octets (RFC 9110 §5.5)",
                wide.start(),
            )
    return result


def raise_parse_error(
    value: FieldValue, message: str, position: int, start: int | None = None
) -> NoReturn:
    """Raise the ParseError for ``value``, masking secrets of credential fields."""
    source = value.text
    if value.field in CREDENTIAL_FIELDS:
        source = redact_credentials(source)
    raise ParseError(
        message,
        source,
        position,
        span=(position if start is None else start, position + 1),
        field=value.field,
        line=value.line_of(position),
    )
