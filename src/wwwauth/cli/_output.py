"""Printing the CLI's reports: text for people (coloured on a terminal) or one JSON
document. Credentials stay masked (wwwauth._redact).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Final, Literal, TextIO

from .._redact import is_plain_name, is_shown_scheme
from ..model import REDACTED, Challenge, Credentials, ascii_lower
from ..testing import Problem
from ._check import LINE_PROBLEMS, FieldResult, Parsed, Report, counts, escape

Style = Literal["ok", "error", "warning", "dim"]

_RESET: Final = "\x1b[0m"
_COLOURS: Final[dict[Style, str]] = {
    "ok": "\x1b[32m",
    "error": "\x1b[31m",
    "warning": "\x1b[33m",
    "dim": "\x1b[2m",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    """How the reports were made and are judged."""

    lenient: bool
    fail_on_warning: bool
    version: str
    har_entries: int = 0


def passed(reports: list[Report], options: Options) -> bool:
    """No error, and no warning either under ``--fail-on-warning``: exit status 0."""
    errors, warnings = counts(reports)
    return errors == 0 and not (options.fail_on_warning and warnings)


def write_reports(
    reports: list[Report], stream: TextIO, *, as_json: bool, options: Options
) -> None:
    """Print ``reports`` to ``stream``: as one JSON document, or as text."""
    if as_json:
        json.dump(json_report(reports, options), stream, indent=2, ensure_ascii=False)
        stream.write("\n")
    else:
        printer = Printer(stream, colour=use_colour(stream))
        print_text(reports, printer, lenient=options.lenient, har_entries=options.har_entries)


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


def print_text(
    reports: list[Report], printer: Printer, *, lenient: bool, har_entries: int = 0
) -> None:
    """Each message with field lines or problems, then a summary line."""
    shown = [report for report in reports if report.fields or report.problems]
    for report in shown:
        _print_report(report, printer)
    if not shown:
        printer.line("No authentication field found.")
    printer.line(_summary(reports, printer, lenient=lenient, har_entries=har_entries))


def _print_report(report: Report, printer: Printer) -> None:
    printer.line(printer.paint(escape(report.message.label), "dim"))
    for result in report.fields:
        _print_field(result, printer)
    for problem in report.problems:
        if problem.code not in LINE_PROBLEMS:
            _print_problem(problem, printer, indent="  ")
    printer.line()


def _print_field(result: FieldResult, printer: Printer) -> None:
    """The field line, then one line per finding; ``ok`` only when there is none."""
    printer.line(f"  {result.name}: {result.shown}")
    reading = None if result.parsed is None else render(result.parsed, result.shown_params)
    if result.error is not None:
        error_text = str(result.error).split("\n")
        if result.ok:
            note = printer.paint("note", "dim")
            printer.line(f"    {note}: strict mode rejects it: {error_text[0]}")
        else:
            error = printer.paint("error", "error")
            printer.line(f"    {error}: does not parse strictly: {error_text[0]}")
        for text in error_text[1:]:
            printer.line(f"      {text}")
        if reading is None:
            printer.line("    lenient reading: none, the lenient parser cannot read it either")
        elif result.ok:
            printer.line(f"    {printer.paint('ok', 'ok')} (lenient): {reading}")
        else:
            printer.line(f"    lenient reading: {reading}")
    elif result.problems:
        printer.line(f"    reads as: {reading}")
    else:
        printer.line(f"    {printer.paint('ok', 'ok')}: {reading}")
    for problem in result.problems:
        _print_problem(problem, printer, indent="    ", field=result.name)


def _print_problem(
    problem: Problem, printer: Printer, *, indent: str, field: str | None = None
) -> None:
    level = printer.paint(problem.level, problem.level)
    message = problem.message
    if field is not None:  # shown under its field line: the field's name is said already
        message = message.removeprefix(f"{field}: ")
    printer.line(f"{indent}{level}: {message}")
    for text in problem.detail.split("\n") if problem.detail else ():
        printer.line(f"{indent}    {text}")


def _summary(reports: list[Report], printer: Printer, *, lenient: bool, har_entries: int) -> str:
    errors, warnings = counts(reports)
    checked = sum(len(report.fields) for report in reports)
    shown = [report for report in reports if report.fields or report.problems]
    kinds = [
        _plural(number, noun, noun.replace("set ", "sets ") if kind == "headers" else None)
        for kind, noun in (
            ("request", "request"),
            ("response", "response"),
            ("headers", "set of header lines"),
        )
        if (number := sum(report.message.kind == kind for report in shown))
    ]
    summary = f"{_plural(checked, 'field line')} checked"
    if kinds:
        summary += " in " + " and ".join(kinds)
    notes = []
    if har_entries:
        notes.append(f"{_plural(har_entries, 'HAR entry', 'HAR entries')} read")
    if len(reports) > len(shown):
        others = len(reports) - len(shown)
        other = "other " if shown else ""
        noun = "message" if others == 1 else "messages"
        notes.append(f"{others} {other}{noun} without authentication fields")
    if notes:
        summary += f" ({'; '.join(notes)})"
    summary += f": {_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    if lenient:
        summary += " (lenient)"
    return printer.paint(summary, "error" if errors else "warning" if warnings else "ok")


def _plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def render(value: Parsed, shown_params: frozenset[str] = frozenset()) -> str:
    """The parsed value in header syntax on one line, challenges joined by ``" | "``;
    credentials masked (values of ``shown_params`` aside), control characters escaped.
    """
    if isinstance(value, list):
        parts = [_render_scheme_value(challenge, None) for challenge in value]
        return " | ".join(parts) if parts else "(no challenge)"
    if isinstance(value, Credentials):
        return _render_scheme_value(value, shown_params)
    return _render_params(list(value.items()))


def _render_scheme_value(value: Challenge | Credentials, shown: frozenset[str] | None) -> str:
    """A challenge (``shown`` None) or credentials (masked but for ``shown``)."""
    if shown is None:
        scheme, token68 = value.scheme, value.token68
        params = list(value.params.items())
    else:
        # The same rule as repr(credentials) (wwwauth._redact), Digest aside (_mask).
        alone = value.token68 is None and not value.params
        scheme = value.scheme if is_shown_scheme(value.scheme, alone=alone) else REDACTED
        token68 = None if value.token68 is None else REDACTED
        params = [
            (
                name if is_plain_name(name) else REDACTED,
                param if ascii_lower(name) in shown else REDACTED,
            )
            for name, param in value.params.items()
        ]
    if token68 is not None:
        return escape(f"{scheme} {token68}")
    return escape(f"{scheme} {_render_params(params)}" if params else scheme)


def _render_params(params: list[tuple[str, str]]) -> str:
    return escape(", ".join(f"{name}={_render_value(value)}" for name, value in params))


def _render_value(value: str) -> str:
    """A parsed value as a quoted-string (RFC 9110 §5.6.4), whatever its wire form was."""
    if value == REDACTED:
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# JSON


def json_report(reports: list[Report], options: Options) -> dict[str, object]:
    """The reports as JSON data; credentials masked.

    The document (stable: keys are only ever added)::

        {"version": "0.1.0",          # of wwwauth (added in issue 14)
         "ok": true,                  # the exit status is 0: no error (nor warning
                                      #   under --fail-on-warning)
         "mode": "strict" | "lenient",
         "errors": 0, "warnings": 1,
         "har_entries": 0,            # entries of the HAR files read (issue 14)
         "messages": [{"kind": "request" | "response" | "headers", "label": "...",
                       "status": 401 | null,
                       "fields": [{"name", "value" (masked), "ok", "mode",
                                   "parsed", "error", "problems" (this line's)}],
                       "problems": [{"level", "code", "field", "message", "detail"}]}]}

    A message's ``problems`` lists all of its problems, also those of single lines;
    a field's ``problems`` only that line's (issue 14).
    """
    errors, warnings = counts(reports)
    return {
        "version": options.version,
        "ok": passed(reports, options),
        "mode": "lenient" if options.lenient else "strict",
        "errors": errors,
        "warnings": warnings,
        "har_entries": options.har_entries,
        "messages": [_json_message(report) for report in reports],
    }


def _json_message(report: Report) -> dict[str, object]:
    return {
        "kind": report.message.kind,
        "label": report.message.label,
        "status": report.message.status,
        "fields": [_json_field(result) for result in report.fields],
        "problems": [_json_problem(p) for p in report.problems],
    }


def _json_problem(p: Problem) -> dict[str, object]:
    return {
        "level": p.level,
        "code": p.code,
        "field": p.field,
        "message": p.message,
        "detail": p.detail,
    }


def _json_field(result: FieldResult) -> dict[str, object]:
    error = result.error
    return {
        "name": result.name,
        "value": result.shown,
        "ok": result.ok,
        "mode": result.mode,
        "parsed": None if result.parsed is None else structure(result.parsed, result.shown_params),
        "error": None
        if error is None
        else {"message": error.message, "position": error.position, "text": str(error)},
        "problems": [_json_problem(p) for p in result.problems],
    }


def structure(value: Parsed, shown_params: frozenset[str] = frozenset()) -> object:
    """The parsed value as JSON data; credentials masked, values of ``shown_params`` aside."""
    if isinstance(value, list):
        return [_scheme_value(challenge, shown=None) for challenge in value]
    if isinstance(value, Credentials):
        return _scheme_value(value, shown=shown_params)
    return [[name, param] for name, param in value.items()]


def _scheme_value(
    value: Challenge | Credentials, *, shown: frozenset[str] | None
) -> dict[str, object]:
    """A challenge (``shown`` None) or credentials, masked but for the names in ``shown``."""
    token68 = value.token68
    if shown is None:
        return {
            "scheme": value.scheme,
            "params": [[name, param] for name, param in value.params.items()],
            "token68": token68,
        }
    # The same rule as repr(credentials): see wwwauth._redact.
    alone = token68 is None and not value.params
    return {
        "scheme": value.scheme if is_shown_scheme(value.scheme, alone=alone) else REDACTED,
        "params": [
            [
                name if is_plain_name(name) else REDACTED,
                param if ascii_lower(name) in shown else REDACTED,
            ]
            for name, param in value.params.items()
        ],
        "token68": None if token68 is None else REDACTED,
    }
