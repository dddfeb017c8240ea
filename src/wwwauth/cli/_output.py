"""Printing the CLI's reports: text for people (coloured on a terminal) or one JSON
document. Credentials stay masked (wwwauth._redact).
"""

from __future__ import annotations

import json
import os
from typing import Final, Literal, TextIO

from .._redact import is_plain_name, is_shown_scheme
from ..model import REDACTED, Challenge, Credentials
from ..testing import Problem
from ._check import FieldResult, Parsed, Report, counts, escape

Style = Literal["ok", "error", "warning", "dim"]

_RESET: Final = "\x1b[0m"
_COLOURS: Final[dict[Style, str]] = {
    "ok": "\x1b[32m",
    "error": "\x1b[31m",
    "warning": "\x1b[33m",
    "dim": "\x1b[2m",
}


def write_reports(reports: list[Report], stream: TextIO, *, as_json: bool, lenient: bool) -> None:
    """Print ``reports`` to ``stream``: as one JSON document, or as text."""
    if as_json:
        json.dump(json_report(reports, lenient=lenient), stream, indent=2, ensure_ascii=False)
        stream.write("\n")
    else:
        print_text(reports, Printer(stream, colour=use_colour(stream)), lenient=lenient)


# Text


class Printer:
    """Writes lines to a stream, coloured or not; what the stream cannot encode escaped."""

    def __init__(self, stream: TextIO, *, colour: bool) -> None:
        self.stream = stream
        self.colour = colour

    def paint(self, text: str, style: Style) -> str:
        return f"{_COLOURS[style]}{text}{_RESET}" if self.colour else text

    def line(self, text: str = "") -> None:
        try:
            self.stream.write(text + "\n")
        except UnicodeEncodeError:
            encoding = getattr(self.stream, "encoding", None) or "ascii"
            self.stream.write((text + "\n").encode(encoding, "backslashreplace").decode(encoding))


def use_colour(stream: TextIO) -> bool:
    """Colour on a terminal, unless NO_COLOR is set or TERM is dumb."""
    # The NO_COLOR convention: any non-empty value turns colour off.
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


def print_text(reports: list[Report], printer: Printer, *, lenient: bool) -> None:
    """Each message with field lines or problems, then a summary line."""
    shown = [report for report in reports if report.fields or report.problems]
    for report in shown:
        _print_report(report, printer)
    if not shown:
        printer.line("No authentication field found.")
    printer.line(_summary(reports, printer, lenient=lenient))


def _print_report(report: Report, printer: Printer) -> None:
    printer.line(printer.paint(escape(report.message.label), "dim"))
    for result in report.fields:
        _print_field(result, printer)
    for problem in report.problems:
        _print_problem(problem, printer)
    printer.line()


def _print_field(result: FieldResult, printer: Printer) -> None:
    printer.line(f"  {result.name}: {result.shown}")
    if result.error is None and result.parsed is not None:
        for index, text in enumerate(repr_lines(result.parsed)):
            lead = printer.paint("ok", "ok") if index == 0 else "  "
            printer.line(f"    {lead}  {text}")
        return
    assert result.error is not None
    if result.ok:
        printer.line(f"    {printer.paint('ok', 'ok')} (lenient)  strict mode rejects it:")
    else:
        printer.line(f"    {printer.paint('error', 'error')}: does not parse strictly:")
    for text in str(result.error).split("\n"):
        printer.line(f"      {text}")
    _print_lenient_reading(result.parsed, printer)


def _print_lenient_reading(parsed: Parsed | None, printer: Printer) -> None:
    if parsed is None:
        printer.line("    lenient reading: none, the lenient parser cannot read it either")
        return
    readings = repr_lines(parsed)
    printer.line(f"    lenient reading: {readings[0]}")
    for text in readings[1:]:
        printer.line(f"                     {text}")


def _print_problem(problem: Problem, printer: Printer) -> None:
    level = printer.paint(problem.level, problem.level)
    printer.line(f"  {level}: {problem.message}")
    for text in problem.detail.split("\n") if problem.detail else ():
        printer.line(f"      {text}")


def _summary(reports: list[Report], printer: Printer, *, lenient: bool) -> str:
    errors, warnings = counts(reports)
    checked = sum(len(report.fields) for report in reports)
    summary = (
        f"{_plural(len(reports), 'message')}, {_plural(checked, 'field line')} checked: "
        f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    )
    if lenient:
        summary += " (lenient)"
    return printer.paint(summary, "error" if errors else "warning" if warnings else "ok")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def repr_lines(value: Parsed) -> list[str]:
    """The parsed value as reprs, one challenge a line; credentials masked."""
    if isinstance(value, list):
        return [repr(challenge) for challenge in value] or ["(no challenge)"]
    # repr(credentials) masks what may be secret (wwwauth._redact).
    return [repr(value)]


# JSON


def json_report(reports: list[Report], *, lenient: bool) -> dict[str, object]:
    """The reports as JSON data; credentials masked."""
    errors, warnings = counts(reports)
    return {
        "ok": errors == 0 and warnings == 0,
        "mode": "lenient" if lenient else "strict",
        "errors": errors,
        "warnings": warnings,
        "messages": [_json_message(report) for report in reports],
    }


def _json_message(report: Report) -> dict[str, object]:
    return {
        "kind": report.message.kind,
        "label": report.message.label,
        "status": report.message.status,
        "fields": [_json_field(result) for result in report.fields],
        "problems": [
            {
                "level": p.level,
                "code": p.code,
                "field": p.field,
                "message": p.message,
                "detail": p.detail,
            }
            for p in report.problems
        ],
    }


def _json_field(result: FieldResult) -> dict[str, object]:
    error = result.error
    return {
        "name": result.name,
        "value": result.shown,
        "ok": result.ok,
        "mode": result.mode,
        "parsed": None if result.parsed is None else structure(result.parsed),
        "error": None
        if error is None
        else {"message": error.message, "position": error.position, "text": str(error)},
    }


def structure(value: Parsed) -> object:
    """The parsed value as JSON data; credentials masked."""
    if isinstance(value, list):
        return [_scheme_value(challenge, secret=False) for challenge in value]
    if isinstance(value, Credentials):
        return _scheme_value(value, secret=True)
    return [[name, param] for name, param in value.items()]


def _scheme_value(value: Challenge | Credentials, *, secret: bool) -> dict[str, object]:
    token68 = value.token68
    if not secret:
        return {
            "scheme": value.scheme,
            "params": [[name, param] for name, param in value.params.items()],
            "token68": token68,
        }
    # The same rule as repr(credentials): see wwwauth._redact.
    alone = token68 is None and not value.params
    return {
        "scheme": value.scheme if is_shown_scheme(value.scheme, alone=alone) else REDACTED,
        "params": [[name if is_plain_name(name) else REDACTED, REDACTED] for name in value.params],
        "token68": None if token68 is None else REDACTED,
    }
