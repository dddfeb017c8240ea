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
import sys
from collections.abc import Iterator, Sequence

from .._registry import FieldName
from ..model import ascii_lower
from ._check import check_message, counts
from ._output import write_reports
from ._read import (
    FIELDS,
    REQUEST_LINE_RE,
    STATUS_LINE_RE,
    Message,
    UsageError,
    field_line,
    read_source,
    split_lines,
)

__all__ = ["main"]


def _field_name(text: str) -> FieldName:
    name = FIELDS.get(ascii_lower(text))
    if name is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an authentication field (one of: {', '.join(FIELDS.values())})"
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
        messages = _read_messages(args)
    except UsageError as error:
        return _usage_error(parser, str(error))
    if not any(message.lines or message.status is not None for message in messages):
        return _usage_error(parser, "no header lines found in the input")
    reports = [check_message(message, lenient=args.lenient) for message in messages]
    write_reports(reports, sys.stdout, as_json=args.json, lenient=args.lenient)
    errors, warnings = counts(reports)
    return 1 if errors or warnings else 0


def _read_messages(args: argparse.Namespace) -> list[Message]:
    if args.field is None:
        _check_arguments(args.headers)
    messages: list[Message] = []
    for data, source in _inputs(args):
        messages.extend(read_source(data, source, args.field))
    return messages


def _usage_error(parser: argparse.ArgumentParser, text: str) -> int:
    parser.print_usage(sys.stderr)
    sys.stderr.write(f"wwwauth: error: {text}\n")
    return 2


def _check_arguments(headers: Sequence[str]) -> None:
    """Without --field, every argument line must be a field line or a start line.

    The message does not echo the argument: it may be a credential given without
    its field name.
    """
    for number, argument in enumerate(headers, 1):
        for line in split_lines(argument):
            stripped = line.strip()
            if (
                not stripped
                or line[0] in " \t"  # obs-fold: continues the line before
                or field_line(line) is not None
                or STATUS_LINE_RE.fullmatch(stripped)
                or REQUEST_LINE_RE.fullmatch(stripped)
            ):
                continue
            raise UsageError(
                f"HEADER argument {number} is not 'Name: value'; "
                "give --field NAME to read bare values"
            )
