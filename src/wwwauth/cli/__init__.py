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

Digest credentials show the parameters that hold no secret (``realm``, ``uri``, ``qop``,
``nonce``…; the rule is in ``wwwauth.cli._mask``), so a Digest mismatch can be debugged.

``wwwauth probe URL`` sends a few requests to a live server instead (see
:mod:`wwwauth.cli._probe`).

Exit status: 0 no error (warnings are printed but pass, unless ``--fail-on-warning``),
1 errors found, 2 usage error or unreadable input. A closed pipe (``| head -1``) ends
the output quietly.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Final, TextIO

from .._registry import FieldName
from ..model import ascii_lower
from ._check import check_message
from ._output import Options, passed, write_reports
from ._read import (
    FIELDS,
    REQUEST_LINE_RE,
    STATUS_LINE_RE,
    Input,
    UsageError,
    field_line,
    read_source,
    split_lines,
)

__all__ = ["main", "version"]

EXIT_STATUS: Final = (
    "Exit status: 0 no error (warnings pass unless --fail-on-warning), 1 errors, 2 usage error."
)


def version() -> str:
    """The installed version of wwwauth (``wwwauth.__version__``; ``"0+unknown"`` uninstalled)."""
    import wwwauth

    return wwwauth.__version__


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
        "curl -sI / curl -v dump or a HAR file, from arguments, files or stdin. "
        "'wwwauth probe URL' checks a live server instead (see 'wwwauth probe --help').",
        epilog="Credentials are masked in all output (Digest shows its parameters but "
        f"response and cnonce, and username under userhash=true). {EXIT_STATUS}",
    )
    parser.add_argument("--version", action="version", version=f"wwwauth {version()}")
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
    parser.add_argument(
        "--fail-on-warning",
        action="store_true",
        help="exit 1 on warnings too (e.g. several challenges on one field line)",
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

    ``main(["probe", URL, ...])`` runs the live probe (:func:`wwwauth.cli._probe.main`).

    Args:
        argv: the arguments after the program name; ``None`` reads ``sys.argv[1:]``.

    Returns:
        The exit status: 0 no error, 1 errors found (or warnings, with
        ``--fail-on-warning``), 2 usage error.

    >>> main(['WWW-Authenticate: Basic realm="simple"'])
    header lines (no status line)
      WWW-Authenticate: Basic realm="simple"
        ok: Basic realm="simple"
    <BLANKLINE>
    1 field line checked in 1 set of header lines: 0 errors, 0 warnings
    0
    """
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments[:1] == ["probe"]:
        # Imported here: urllib and http.client only load when probing.
        from ._probe import main as probe_main

        return probe_main(arguments[1:])
    return _check_main(arguments)


def _check_main(argv: list[str]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse: --help, --version (0) or a usage error (2)
        return stop.code if isinstance(stop.code, int) else 2
    try:
        read = _read_messages(args)
    except UsageError as error:
        return _usage_error(parser, str(error))
    if not any(message.lines or message.status is not None for message in read.messages):
        return _usage_error(parser, "no header lines found in the input")
    reports = [check_message(message, lenient=args.lenient) for message in read.messages]
    options = Options(
        lenient=args.lenient,
        fail_on_warning=args.fail_on_warning,
        version=version(),
        har_entries=read.har_entries,
    )
    write_quietly(lambda: write_reports(reports, sys.stdout, as_json=args.json, options=options))
    return 0 if passed(reports, options) else 1


def write_quietly(write: Callable[[], None], stream: TextIO | None = None) -> None:
    """``write()`` and flush ``stream`` (stdout); when the reader has closed the pipe
    (``| head -1``), drop the rest of the output without a traceback.
    """
    stream = sys.stdout if stream is None else stream
    try:
        write()
        stream.flush()
    except BrokenPipeError:
        # What is still buffered cannot be written: point the descriptor at devnull so
        # that the interpreter's own flush at exit fails no more (Python docs, "Note on
        # SIGPIPE"). The caller keeps the exit status of the findings.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
            os.close(devnull)
        except (OSError, ValueError):  # no descriptor (a test's stream): nothing to flush
            pass


def _read_messages(args: argparse.Namespace) -> Input:
    if args.field is None:
        _check_arguments(args.headers)
    read = Input()
    for data, source in _inputs(args):
        read_source(data, source, args.field, read)
    return read


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
