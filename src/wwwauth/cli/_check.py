"""Checking the CLI's messages: each authentication field line strictly (and leniently
when strict mode refuses it), then each response as a whole with
:func:`wwwauth.testing.check_response`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Literal, TypeAlias

from .. import parsing
from .._abnf import CTL_BUT_HTAB_RE
from .._field_value import CREDENTIAL_FIELDS
from .._registry import FIELD_NAMES, FieldName
from ..errors import ParseError
from ..model import AuthParams, Challenge, Credentials, ascii_lower
from ..testing import Problem, check_response
from ._mask import redact_for_display, shown_params
from ._read import FIELDS, Message

Parsed: TypeAlias = list[Challenge] | Credentials | AuthParams

# Each field's parser is named after it: WWW-Authenticate -> parse_www_authenticate.
_PARSERS: Final[dict[FieldName, Callable[..., Parsed]]] = {
    name: getattr(parsing, "parse_" + ascii_lower(name).replace("-", "_")) for name in FIELD_NAMES
}


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldResult:
    """What one field line parses to, in the mode that decided."""

    name: FieldName
    shown: str  # the value as printed: credentials masked, controls escaped
    parsed: Parsed | None  # in the mode that decided; None when nothing could read it
    mode: Literal["strict", "lenient"] | None
    error: ParseError | None  # the strict parser's error, masked for credentials
    ok: bool
    # What is wrong with this one line beyond parsing (check_response on the line alone).
    problems: list[Problem] = field(default_factory=list)
    # Credentials only: the lower-cased names of the parameters shown in the clear.
    shown_params: frozenset[str] = frozenset()


# The problems check_response finds in one field line, as opposed to the message's.
LINE_PROBLEMS: Final = frozenset(
    {"realm-not-quoted", "missing-param", "bearer-error-status", "several-challenges-per-line"}
)


@dataclass
class Report:
    """A message, what each of its authentication field lines reads as, and its problems.

    ``problems`` holds all of the message's problems (also those of single lines, which
    the text output shows under their line: see :data:`LINE_PROBLEMS`).
    """

    message: Message
    fields: list[FieldResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def escape(text: str) -> str:
    """``text`` with every control character but HTAB written as a Python escape."""
    return CTL_BUT_HTAB_RE.sub(lambda match: repr(match.group())[1:-1], text)


def check_field(name: FieldName, value: str, *, lenient: bool) -> FieldResult:
    """Parse one field line strictly; on failure, read it leniently too."""
    parse = _PARSERS[name]
    error: ParseError | None = None
    try:
        reading: Parsed | None = parse(value)
    except ParseError as strict_error:
        error = strict_error  # the parser masks credentials already (wwwauth._redact)
        try:
            reading = parse(value, strict=False)
        except ParseError:
            reading = None
    shown_names: frozenset[str] = frozenset()
    if name in CREDENTIAL_FIELDS:
        shown_names = shown_params(reading if isinstance(reading, Credentials) else None)
        shown = escape(redact_for_display(value, shown_names))
    else:
        shown = escape(value)
    return FieldResult(
        name=name,
        shown=shown,
        parsed=reading,
        mode=None if reading is None else "strict" if error is None else "lenient",
        error=error,
        ok=error is None or (lenient and reading is not None),
        shown_params=shown_names,
    )


def check_message(message: Message, *, lenient: bool) -> Report:
    """Check each authentication field line of ``message``, then the message as a whole."""
    report = Report(message)
    lines_per_field: dict[str, int] = {}
    for name, value in message.lines:
        if name in _PARSERS:
            field_name = FIELDS[ascii_lower(name)]
            result = check_field(field_name, value, lenient=lenient)
            if message.kind != "request" and field_name not in CREDENTIAL_FIELDS:
                result.problems.extend(
                    problem
                    for problem in check_response(
                        message.status, [(field_name, value)], strict=not lenient
                    )
                    if problem.code in LINE_PROBLEMS
                )
            report.fields.append(result)
            lines_per_field[field_name] = lines_per_field.get(field_name, 0) + 1
    report.problems.extend(_repeated_credentials(lines_per_field))
    if message.kind != "request":
        for problem in check_response(message.status, message.lines, strict=not lenient):
            # Values that do not parse are shown with each field line already.
            if problem.code not in ("not-strict", "unparseable"):
                report.problems.append(problem)
    return report


def _repeated_credentials(lines_per_field: dict[str, int]) -> list[Problem]:
    # RFC 9110 §5.3: a field that is not a list cannot be sent on several lines.
    return [
        Problem(
            level="error",
            code="not-strict",
            field=name,
            message=f"{name} is sent on {lines_per_field[name]} field lines, but it is not a "
            "list field (RFC 9110 §5.3, §11.6.2)",
        )
        for name in sorted(CREDENTIAL_FIELDS)
        if lines_per_field.get(name, 0) > 1
    ]


def counts(reports: list[Report]) -> tuple[int, int]:
    """The number of errors and of warnings in ``reports``."""
    errors = sum(not result.ok for report in reports for result in report.fields)
    errors += sum(p.level == "error" for report in reports for p in report.problems)
    warnings = sum(p.level == "warning" for report in reports for p in report.problems)
    return errors, warnings
