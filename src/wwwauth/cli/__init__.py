"""``python -m wwwauth``: lint authentication header fields, a ``curl`` dump or a HAR file.

Reads ``Name: value`` lines (arguments, files or stdin), a whole ``curl -sI`` / ``curl -i``
/ ``curl -v`` dump (status lines start responses; curl -v's ``< `` and ``> `` prefixes
say which side a line is from) or a HAR file. Checks every field line of the six fields
of RFC 9110 §11.6 and §11.7 in strict mode, shows what it parses to or where the strict
parser stops (and what the lenient parser reads instead), then checks each response as a
whole with :func:`wwwauth.testing.check_response`.

Credentials are masked in all output: token68 and parameter values always, and the
scheme and parameter names too unless they have the shape of one (a token pasted
without its scheme parses as a scheme); the rule is in ``wwwauth._redact``.

Exit status: 0 nothing wrong, 1 problems found, 2 usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal, TextIO, TypeAlias
from urllib.parse import urlsplit

from ._abnf import TOKEN
from ._field_value import CREDENTIAL_FIELDS
from ._redact import is_plain_name, is_shown_scheme, redact_credentials
from ._registry import (
    AUTHENTICATION_INFO,
    AUTHORIZATION,
    PROXY_AUTHENTICATE,
    PROXY_AUTHENTICATION_INFO,
    PROXY_AUTHORIZATION,
    WWW_AUTHENTICATE,
    FieldName,
)
from .errors import ParseError
from .model import REDACTED, AuthParams, Challenge, Credentials, ascii_lower
from .parsing import (
    parse_authentication_info,
    parse_authorization,
    parse_proxy_authenticate,
    parse_proxy_authentication_info,
    parse_proxy_authorization,
    parse_www_authenticate,
)
from .testing import Problem, check_response

__all__ = ["main"]

Parsed: TypeAlias = list[Challenge] | Credentials | AuthParams
MessageKind = Literal["request", "response", "headers"]
Style = Literal["ok", "error", "warning", "dim"]

_FIELDS: Final[dict[str, FieldName]] = {
    ascii_lower(name): name
    for name in (
        WWW_AUTHENTICATE,
        PROXY_AUTHENTICATE,
        AUTHORIZATION,
        PROXY_AUTHORIZATION,
        AUTHENTICATION_INFO,
        PROXY_AUTHENTICATION_INFO,
    )
}
_PARSERS: Final[dict[FieldName, Callable[..., Parsed]]] = {
    WWW_AUTHENTICATE: parse_www_authenticate,
    PROXY_AUTHENTICATE: parse_proxy_authenticate,
    AUTHORIZATION: parse_authorization,
    PROXY_AUTHORIZATION: parse_proxy_authorization,
    AUTHENTICATION_INFO: parse_authentication_info,
    PROXY_AUTHENTICATION_INFO: parse_proxy_authentication_info,
}
# RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ];
# curl writes HTTP/2 and HTTP/3 as "HTTP/2 401".
_STATUS_LINE_RE: Final = re.compile(r"HTTP/\d(?:\.\d)?[ \t]+(\d{3})\b[ \t]*(.*)")
# RFC 9112 §3: request-line = method SP request-target SP HTTP-version
_REQUEST_LINE_RE: Final = re.compile(rf"({TOKEN}) (\S+) HTTP/\d(?:\.\d)?")
# RFC 9112 §5: field-line = field-name ":" OWS field-value OWS. Only the name and its
# colon are matched; the OWS around the value is stripped in Python, so a long run of
# spaces costs linear time (a lazy group before an optional run would not).
_FIELD_NAME_RE: Final = re.compile(rf"({TOKEN}):")
_CONTROL_RE: Final = re.compile("[\x00-\x08\x0a-\x1f\x7f]")

_RESET: Final = "\x1b[0m"
_COLOURS: Final[dict[Style, str]] = {
    "ok": "\x1b[32m",
    "error": "\x1b[31m",
    "warning": "\x1b[33m",
    "dim": "\x1b[2m",
}


class UsageError(Exception):
    """Bad arguments or unreadable input: exit status 2."""


@dataclass
class _Message:
    """A request, a response, or header lines with no start line."""

    kind: MessageKind
    label: str
    status: int | None = None
    lines: list[tuple[FieldName | str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class _FieldResult:
    name: FieldName
    shown: str  # the value as printed: credentials masked, controls escaped
    parsed: Parsed | None  # in the mode that decided; None when nothing could read it
    mode: Literal["strict", "lenient"] | None
    error: ParseError | None  # the strict parser's error, masked for credentials
    ok: bool


# Reading the input


def _message_label(kind: MessageKind, number: int, text: str) -> str:
    return f"{kind} {number}: {text}" if text else f"{kind} {number}"


def _field_line(line: str) -> tuple[str, str] | None:
    """``(name, value)`` of a field line (RFC 9112 §5), or None when it is not one."""
    name = _FIELD_NAME_RE.match(line)
    if name is None:
        return None
    return name.group(1), line[name.end() :].strip(" \t")


def _split_lines(text: str) -> list[str]:
    """The lines of ``text``: split at LF only, a CR before it dropped (RFC 9112 §2.2).

    ``str.splitlines`` would also split at octets such as 0x85, 0x0B, 0x0C and
    0x1C-0x1E, which ISO-8859-1 text carries inside field values.
    """
    return [line.removesuffix("\r") for line in text.split("\n")]


def _read_lines(text: str, source: str, bare_field: FieldName | None) -> list[_Message]:
    """Messages of header lines, a curl -sI / -i / -v dump, or bare values of one field."""
    messages: list[_Message] = []
    current: _Message | None = None
    in_body = False
    counts = {"request": 0, "response": 0, "value": 0}
    # Obs-folded continuations, joined once at the end so many folds cost linear time:
    # (message, index of the field line, its parts).
    folded: list[tuple[_Message, int, list[str]]] = []

    def start(kind: Literal["request", "response"], text: str, status: int | None) -> _Message:
        counts[kind] += 1
        message = _Message(kind, _message_label(kind, counts[kind], text), status)
        messages.append(message)
        return message

    for line in _split_lines(text):
        side: MessageKind | None = None
        if line[:2] in ("< ", "> ") or line in ("<", ">"):
            side = "response" if line[0] == "<" else "request"
            line = line[2:]
        elif line[:2] in ("* ", "{ ", "} ") or line in ("*", "{", "}"):
            continue  # curl -v's own notes and data markers
        status = _STATUS_LINE_RE.fullmatch(line)
        if status is not None and side != "request":
            current = start("response", line.strip(), int(status.group(1)))
            in_body = False
            continue
        request = _REQUEST_LINE_RE.fullmatch(line)
        if request is not None and side != "response":
            current = start("request", f"{request.group(1)} {_safe_target(request.group(2))}", None)
            in_body = False
            continue
        if not line.strip():
            # The empty line ends a start line's header section; what follows is a body.
            in_body = current is not None and current.kind != "headers"
            continue
        if in_body:
            continue
        if line[0] in " \t" and current is not None and current.lines:
            # RFC 9112 §5.2: a recipient replaces obs-fold with SP.
            index = len(current.lines) - 1
            if not folded or folded[-1][0] is not current or folded[-1][1] != index:
                folded.append((current, index, [current.lines[index][1]]))
            folded[-1][2].append(line.strip(" \t"))
            continue
        field_line = _field_line(line)
        if field_line is not None:
            name, value = field_line
        elif bare_field is not None:
            # A bare value stands alone: it is checked as its own field value.
            counts["value"] += 1
            messages.append(
                _Message(
                    "headers", f"value {counts['value']}", None, [(bare_field, line.strip(" \t"))]
                )
            )
            current = None
            continue
        else:
            continue  # not a header line: a banner or a body of a dump
        if current is None:
            current = _Message("headers", "headers" if source == "" else source)
            messages.append(current)
        current.lines.append((_FIELDS.get(ascii_lower(name), name), value))
    for message, index, parts in folded:
        message.lines[index] = (message.lines[index][0], " ".join(parts))
    return messages


def _safe_target(target: str) -> str:
    """A request target or URL without its query and userinfo (both may hold secrets)."""
    path, query, _ = target.partition("?")
    if "://" in path:
        parts = urlsplit(path)
        try:
            port = parts.port
        except ValueError:  # not a number: show no port
            port = None
        host = (parts.hostname or "") + ("" if port is None else f":{port}")
        path = f"{parts.scheme}://{host}{parts.path}"
    return path + ("?…" if query else "")


def _read_har(document: object, source: str) -> list[_Message]:
    """Requests and responses of a HAR 1.2 file (log.entries[].request/response)."""
    if not isinstance(document, dict) or not isinstance(document.get("log"), dict):
        raise UsageError(f"{source}: JSON but not a HAR file (no 'log' object)")
    entries = document["log"].get("entries")
    if not isinstance(entries, list):
        raise UsageError(f"{source}: HAR file without 'log.entries'")
    messages: list[_Message] = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            continue
        request = entry.get("request") if isinstance(entry.get("request"), dict) else {}
        response = entry.get("response") if isinstance(entry.get("response"), dict) else {}
        assert isinstance(request, dict) and isinstance(response, dict)
        target = f"{request.get('method', '?')} {_safe_target(str(request.get('url', '')))}"
        messages.append(
            _Message("request", f"entry {number} request: {target}", None, _har_headers(request))
        )
        status = response.get("status")
        if isinstance(status, int) and 100 <= status <= 599:
            text = f"{status} {response.get('statusText', '')}".strip()
            messages.append(
                _Message(
                    "response",
                    f"entry {number} response: {text} ({target})",
                    status,
                    _har_headers(response),
                )
            )
    return messages


def _har_headers(part: dict[object, object]) -> list[tuple[FieldName | str, str]]:
    headers = part.get("headers")
    lines: list[tuple[FieldName | str, str]] = []
    if isinstance(headers, list):
        for header in headers:
            if isinstance(header, dict):
                name, value = header.get("name"), header.get("value")
                if isinstance(name, str) and isinstance(value, str):
                    lines.append((_FIELDS.get(ascii_lower(name), name), value))
    return lines


def _read_source(data: bytes | str, source: str, bare_field: FieldName | None) -> list[_Message]:
    """Messages of one input: a HAR file (JSON, UTF-8) or lines (octets, ISO-8859-1)."""
    if data.lstrip()[:1] in (b"{", "{"):
        try:
            document = json.loads(data)
        except (UnicodeDecodeError, ValueError) as error:
            raise UsageError(f"{source}: looks like JSON but does not load: {error}") from error
        return _read_har(document, source)
    # RFC 9110 §5.5: field values are octets; ISO-8859-1 keeps each one. Arguments are
    # text already: a character above U+00FF in one is the parser's to report.
    text = data if isinstance(data, str) else data.decode("latin-1")
    return _read_lines(text, source, bare_field)


# Checking


def _escape(text: str) -> str:
    return _CONTROL_RE.sub(lambda match: repr(match.group())[1:-1], text)


def _check_field(name: FieldName, value: str, *, lenient: bool) -> _FieldResult:
    parse = _PARSERS[name]
    secret = name in CREDENTIAL_FIELDS
    shown = _escape(redact_credentials(value) if secret else value)
    try:
        return _FieldResult(
            name=name, shown=shown, parsed=parse(value), mode="strict", error=None, ok=True
        )
    except ParseError as strict_error:
        error = strict_error  # the parser masks credentials already (wwwauth._redact)
    try:
        reading: Parsed | None = parse(value, strict=False)
    except ParseError:
        reading = None
    return _FieldResult(
        name=name,
        shown=shown,
        parsed=reading,
        mode=None if reading is None else "lenient",
        error=error,
        ok=lenient and reading is not None,
    )


@dataclass
class _Report:
    message: _Message
    fields: list[_FieldResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _check_message(message: _Message, *, lenient: bool) -> _Report:
    report = _Report(message)
    counts: dict[str, int] = {}
    for name, value in message.lines:
        if name in _PARSERS:
            field_name = _FIELDS[ascii_lower(name)]
            report.fields.append(_check_field(field_name, value, lenient=lenient))
            counts[field_name] = counts.get(field_name, 0) + 1
    for name in sorted(CREDENTIAL_FIELDS):
        if counts.get(name, 0) > 1:
            # RFC 9110 §5.3: a field that is not a list cannot be sent on several lines.
            report.problems.append(
                Problem(
                    level="error",
                    code="not-strict",
                    field=name,
                    message=f"{name} is sent on {counts[name]} field lines, but it is not a "
                    "list field (RFC 9110 §5.3, §11.6.2)",
                )
            )
    if message.kind != "request":
        for problem in check_response(message.status, message.lines, strict=not lenient):
            # Values that do not parse are shown with each field line already.
            if problem.code not in ("not-strict", "unparseable"):
                report.problems.append(problem)
    return report


# Output


def _structure(value: Parsed) -> object:
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


def _repr_lines(value: Parsed) -> list[str]:
    """The parsed value as reprs, one challenge a line; credentials masked."""
    if isinstance(value, list):
        return [repr(challenge) for challenge in value] or ["(no challenge)"]
    # repr(credentials) masks what may be secret (wwwauth._redact).
    return [repr(value)]


class _Printer:
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


def _use_colour(stream: TextIO) -> bool:
    # The NO_COLOR convention: any non-empty value turns colour off.
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


def _print_text(reports: list[_Report], printer: _Printer, *, lenient: bool) -> None:
    shown = [report for report in reports if report.fields or report.problems]
    for report in shown:
        printer.line(printer.paint(_escape(report.message.label), "dim"))
        for result in report.fields:
            printer.line(f"  {result.name}: {result.shown}")
            if result.error is None and result.parsed is not None:
                for index, text in enumerate(_repr_lines(result.parsed)):
                    lead = printer.paint("ok", "ok") if index == 0 else "  "
                    printer.line(f"    {lead}  {text}")
                continue
            assert result.error is not None
            if result.ok:
                printer.line(f"    {printer.paint('ok', 'ok')} (lenient)  strict mode rejects it:")
            else:
                printer.line(f"    {printer.paint('error', 'error')}: does not parse strictly:")
            for text in str(result.error).split("\n"):
                printer.line(f"      {text}")
            if result.parsed is None:
                printer.line("    lenient reading: none, the lenient parser cannot read it either")
            else:
                readings = _repr_lines(result.parsed)
                printer.line(f"    lenient reading: {readings[0]}")
                for text in readings[1:]:
                    printer.line(f"                     {text}")
        for problem in report.problems:
            level = printer.paint(problem.level, problem.level)
            printer.line(f"  {level}: {problem.message}")
            for text in problem.detail.split("\n") if problem.detail else ():
                printer.line(f"      {text}")
        printer.line()
    errors, warnings = _counts(reports)
    checked = sum(len(report.fields) for report in reports)
    if not shown:
        printer.line("No authentication field found.")
    summary = (
        f"{_plural(len(reports), 'message')}, {_plural(checked, 'field line')} checked: "
        f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    )
    if lenient:
        summary += " (lenient)"
    printer.line(printer.paint(summary, "error" if errors else "warning" if warnings else "ok"))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _counts(reports: list[_Report]) -> tuple[int, int]:
    errors = sum(not result.ok for report in reports for result in report.fields)
    errors += sum(p.level == "error" for report in reports for p in report.problems)
    warnings = sum(p.level == "warning" for report in reports for p in report.problems)
    return errors, warnings


def _json_report(reports: list[_Report], *, lenient: bool) -> dict[str, object]:
    errors, warnings = _counts(reports)
    messages = []
    for report in reports:
        fields = []
        for result in report.fields:
            error = result.error
            fields.append(
                {
                    "name": result.name,
                    "value": result.shown,
                    "ok": result.ok,
                    "mode": result.mode,
                    "parsed": None if result.parsed is None else _structure(result.parsed),
                    "error": None
                    if error is None
                    else {"message": error.message, "position": error.position, "text": str(error)},
                }
            )
        messages.append(
            {
                "kind": report.message.kind,
                "label": report.message.label,
                "status": report.message.status,
                "fields": fields,
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
        )
    return {
        "ok": errors == 0 and warnings == 0,
        "mode": "lenient" if lenient else "strict",
        "errors": errors,
        "warnings": warnings,
        "messages": messages,
    }


# Entry point


def _field_name(text: str) -> FieldName:
    name = _FIELDS.get(ascii_lower(text))
    if name is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an authentication field (one of: {', '.join(_FIELDS.values())})"
        )
    return name


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wwwauth",
        description="Check HTTP authentication fields (RFC 9110 §11): header lines, a "
        "curl -sI / curl -v dump or a HAR file, from arguments, files or stdin.",
        epilog="Credentials are masked in all output. Exit status: 0 ok, 1 problems, 2 usage.",
    )
    parser.add_argument(
        "headers",
        nargs="*",
        metavar="HEADER",
        help="'Name: value' lines (or a status line); a bare value with --field",
    )
    parser.add_argument(
        "-f",
        "--file",
        action="append",
        default=[],
        metavar="FILE",
        dest="files",
        help="read header lines, a curl dump or a HAR file from FILE ('-' for stdin)",
    )
    parser.add_argument(
        "--field",
        type=_field_name,
        metavar="NAME",
        help="read lines without 'Name:' as values of this field, e.g. WWW-Authenticate",
    )
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="accept what the lenient parser reads (still shows what strict mode rejects)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    return parser


def _stdin_bytes() -> bytes:
    stdin = sys.stdin
    if stdin is None:
        raise UsageError("no input: stdin is closed")
    try:
        buffer = getattr(stdin, "buffer", None)
        if buffer is not None:
            data = buffer.read()
            assert isinstance(data, bytes)
            return data
        return stdin.read().encode("latin-1", "replace")
    except OSError as error:
        raise UsageError(f"cannot read stdin: {error}") from error


def _inputs(args: argparse.Namespace) -> Iterator[tuple[bytes | str, str]]:
    if args.headers:
        yield "\n".join(args.headers), ""
    for path in args.files:
        if path == "-":
            yield _stdin_bytes(), "<stdin>"
            continue
        try:
            with open(path, "rb") as file:
                yield file.read(), path
        except OSError as error:
            raise UsageError(f"cannot read {path}: {error.strerror}") from error
    if not args.headers and not args.files:
        if sys.stdin is None or sys.stdin.isatty():
            raise UsageError("no input: give HEADER arguments, -f FILE, or pipe a dump to stdin")
        yield _stdin_bytes(), ""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``wwwauth`` command line: check authentication fields and print a report.

    Args:
        argv: the arguments after the program name; ``None`` reads ``sys.argv[1:]``.

    Returns:
        The exit status: 0 nothing wrong, 1 problems found, 2 usage error.

    >>> main(['WWW-Authenticate: Basic realm="simple"'])
    headers
      WWW-Authenticate: Basic realm="simple"
        ok  Challenge(scheme='Basic', params=AuthParams([('realm', 'simple')]), token68=None)
    <BLANKLINE>
    1 message, 1 field line checked: 0 errors, 0 warnings
    0
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse: --help (0) or a usage error (2)
        return stop.code if isinstance(stop.code, int) else 2
    try:
        if args.field is None:
            _check_arguments(args.headers)
        messages: list[_Message] = []
        for data, source in _inputs(args):
            messages.extend(_read_source(data, source, args.field))
    except UsageError as error:
        parser.print_usage(sys.stderr)
        sys.stderr.write(f"wwwauth: error: {error}\n")
        return 2
    if not any(message.lines or message.status is not None for message in messages):
        parser.print_usage(sys.stderr)
        sys.stderr.write("wwwauth: error: no header lines found in the input\n")
        return 2
    reports = [_check_message(message, lenient=args.lenient) for message in messages]
    stdout = sys.stdout
    if args.json:
        json.dump(_json_report(reports, lenient=args.lenient), stdout, indent=2, ensure_ascii=False)
        stdout.write("\n")
    else:
        _print_text(reports, _Printer(stdout, colour=_use_colour(stdout)), lenient=args.lenient)
    errors, warnings = _counts(reports)
    return 1 if errors or warnings else 0


def _check_arguments(headers: Sequence[str]) -> None:
    """Without --field, every argument line must be a field line or a start line.

    The message does not echo the argument: it may be a credential given without
    its field name.
    """
    for number, argument in enumerate(headers, 1):
        for line in _split_lines(argument):
            stripped = line.strip()
            if (
                not stripped
                or line[0] in " \t"  # obs-fold: continues the line before
                or _field_line(line) is not None
                or _STATUS_LINE_RE.fullmatch(stripped)
                or _REQUEST_LINE_RE.fullmatch(stripped)
            ):
                continue
            raise UsageError(
                f"HEADER argument {number} is not 'Name: value'; "
                "give --field NAME to read bare values"
            )
