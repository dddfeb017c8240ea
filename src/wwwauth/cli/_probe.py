"""``wwwauth probe URL``: ask a live server for a protected resource and check its answers.

Sends ``GET URL`` (standard-library ``urllib``, no redirect followed, no proxy, nothing
from the environment) up to five times: without credentials, with malformed Bearer
credentials (``Bearer a b``: no b64token, RFC 6750 §2.1), with malformed Basic
credentials (``Basic !!!``: no base64, RFC 7617 §2), and with well-formed but wrong
Basic and Bearer credentials. The credentials are obviously fake (user
``wwwauth-probe``, password ``not-a-real-password``, token
``wwwauth-probe.not-a-real-token``): the probe never sends a real secret. The Basic and
Bearer requests are sent for the schemes the server offers in its first challenge (or
the one that ``--basic-only`` / ``--bearer-only`` names).

Each answer is checked:

* without credentials: 401 with WWW-Authenticate (RFC 9110 §11.6.1, §15.5.2), not 403
  (§15.5.4: credentials would not help) nor a redirect to a login page; a Bearer
  challenge without an error code (RFC 6750 §3.1: SHOULD NOT);
* malformed Bearer: 400 (RFC 6750 §3.1: invalid_request SHOULD be 400);
* malformed Basic: 400 or 401; wrong Basic: 401 with a challenge (RFC 9110 §15.5.2);
  403 is a warning (§15.5.4 allows it, but a client cannot retry);
* wrong Bearer: 401 with ``error="invalid_token"`` (RFC 6750 §3.1);
* credentials never accepted (2xx);
* every answer as a whole by :func:`wwwauth.testing.check_response`: each
  WWW-Authenticate field line read apart (``http.client``'s ``get_all``), parsed
  strictly, one challenge per field line (a warning), realm quoted (RFC 9110 §11.5), the
  parameters Basic and Digest require, Bearer error codes on the right status.

Exit status: 0 no error (warnings pass unless ``--fail-on-warning``), 1 errors, 2 usage
or network error.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import Message as EmailMessage
from typing import Final, Literal, TextIO

from .. import parsing
from .._registry import WWW_AUTHENTICATE
from ..errors import ParseError
from ..model import Challenge, ascii_lower
from ..testing import check_response
from ._check import escape
from ._output import Printer, use_colour
from ._read import safe_target

__all__ = ["Finding", "ProbeError", "Step", "main", "probe"]

Level = Literal["error", "warning"]
AttemptKind = Literal["none", "malformed-bearer", "malformed-basic", "wrong-basic", "wrong-bearer"]

# Obviously fake credentials: the probe never sends a real secret.
FAKE_USER: Final = "wwwauth-probe"
FAKE_PASSWORD: Final = "not-a-real-password"
FAKE_TOKEN: Final = "wwwauth-probe.not-a-real-token"
_FAKE_BASIC: Final = base64.b64encode(f"{FAKE_USER}:{FAKE_PASSWORD}".encode()).decode("ascii")


@dataclass(frozen=True, slots=True)
class Attempt:
    """One request of the probe: what it sends and why."""

    kind: AttemptKind
    title: str
    authorization: str | None


ATTEMPTS: Final[dict[AttemptKind, Attempt]] = {
    attempt.kind: attempt
    for attempt in (
        Attempt("none", "no credentials", None),
        # RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
        Attempt("malformed-bearer", "malformed Bearer credentials", "Bearer a b"),
        # RFC 7617 §2: token68 of base64; "!" is neither.
        Attempt("malformed-basic", "malformed Basic credentials", "Basic !!!"),
        Attempt(
            "wrong-basic",
            f"wrong Basic credentials ({FAKE_USER}:{FAKE_PASSWORD})",
            f"Basic {_FAKE_BASIC}",
        ),
        Attempt("wrong-bearer", "wrong Bearer credentials", f"Bearer {FAKE_TOKEN}"),
    )
}


class ProbeError(Exception):
    """The URL cannot be asked (not http/https, credentials in it) or does not answer."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Answer:
    """A response: status, reason and every header field line, in order."""

    status: int
    reason: str
    lines: tuple[tuple[str, str], ...]

    def values(self, name: str) -> list[str]:
        """The values of the field lines named ``name`` (ASCII case ignored), in order."""
        wanted = ascii_lower(name)
        return [value for field_name, value in self.lines if ascii_lower(field_name) == wanted]


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One thing wrong with an answer."""

    level: Level
    code: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One request of the probe, the answer, and what is wrong with it."""

    attempt: Attempt
    answer: Answer
    findings: tuple[Finding, ...] = field(default_factory=tuple)


# Asking


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect as it is: a login page is not an HTTP authentication challenge."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: object,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


def check_url(url: str) -> None:
    """Refuse what the probe must not ask: another scheme, or credentials in the URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ProbeError(f"not an http:// or https:// URL: {url!r}")
    if "@" in parts.netloc:
        raise ProbeError("the URL holds credentials (user@ or user:password@): remove them")


def fetch(url: str, authorization: str | None, timeout: float, user_agent: str) -> Answer:
    """``GET url`` with ``authorization``; the answer, whatever its status."""
    headers = {"User-Agent": user_agent, "Accept": "*/*"}
    if authorization is not None:
        headers["Authorization"] = authorization
    request = urllib.request.Request(url, headers=headers, method="GET")
    # No proxy from the environment, no redirect, no cookies, no stored credentials.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())
    try:
        with opener.open(request, timeout=timeout) as response:
            return _answer(response.status, response.reason, response.headers)
    except urllib.error.HTTPError as error:
        with error:
            return _answer(error.code, str(error.reason), error.headers)
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise ProbeError(f"{url} does not answer: {reason}") from error


def _answer(status: int, reason: str, headers: EmailMessage) -> Answer:
    # http.client keeps each field line apart (get_all, items): repeated WWW-Authenticate
    # lines are not joined, so "one challenge per field line" can be checked.
    return Answer(status=status, reason=reason, lines=tuple(headers.items()))


# Judging


def _finding(level: Level, code: str, message: str) -> Finding:
    return Finding(level=level, code=code, message=message)


def _challenges(answer: Answer) -> list[Challenge]:
    """The challenges of ``answer``, read leniently (the strict reading is judged apart)."""
    challenges: list[Challenge] = []
    for value in answer.values(WWW_AUTHENTICATE):
        try:
            challenges += parsing.parse_www_authenticate(value, strict=False)
        except ParseError:
            pass
    return challenges


def offered_schemes(answer: Answer) -> set[str]:
    """The lower-cased schemes that ``answer`` challenges with."""
    return {ascii_lower(challenge.scheme) for challenge in _challenges(answer)}


def _bearer_errors(answer: Answer) -> list[str | None]:
    """The error code of each Bearer challenge of ``answer`` (None: no code)."""
    return [
        challenge.params.get("error")
        for challenge in _challenges(answer)
        if ascii_lower(challenge.scheme) == "bearer"
    ]


def judge(kind: AttemptKind, answer: Answer) -> list[Finding]:
    """What is wrong with ``answer`` to the request of ``kind``."""
    found = [
        _finding(problem.level, problem.code, problem.message)
        for problem in check_response(answer.status, list(answer.lines))
    ]
    status = answer.status
    if kind != "none" and 200 <= status < 300:
        found.append(
            _finding("error", "accepted", f"{status}: the server accepts fake credentials")
        )
    elif kind == "none":
        found += _judge_anonymous(answer)
    elif kind == "malformed-bearer":
        found += _judge_malformed_bearer(answer)
    elif kind == "malformed-basic":
        found += _judge_refusal(answer, allowed=(400, 401), scheme="basic")
    elif kind == "wrong-basic":
        found += _judge_refusal(answer, allowed=(401,), scheme="basic")
    else:
        found += _judge_wrong_bearer(answer)
    return found


def _judge_anonymous(answer: Answer) -> list[Finding]:
    status = answer.status
    if status == 401:
        if any(error is not None for error in _bearer_errors(answer)):
            return [
                _finding(
                    "warning",
                    "error-code-without-credentials",
                    "the Bearer challenge to a request without credentials carries an error "
                    "code (RFC 6750 §3.1: it SHOULD NOT)",
                )
            ]
        return []
    if 200 <= status < 300:
        return [
            _finding(
                "warning",
                "not-protected",
                f"{status} without credentials: the URL does not ask for authentication",
            )
        ]
    if 300 <= status < 400:
        return [
            _finding(
                "warning",
                "redirect",
                f"{status} redirect without credentials (to {_location(answer)}): a login "
                "page is no HTTP authentication; an API answers 401 with a challenge "
                "(RFC 9110 §15.5.2)",
            )
        ]
    if status == 403:
        return [
            _finding(
                "error",
                "forbidden-without-credentials",
                "403 to a request without credentials: a server that wants credentials "
                "answers 401 with WWW-Authenticate (RFC 9110 §15.5.2, §11.6.1); 403 says "
                "that credentials would not help (§15.5.4)",
            )
        ]
    return [
        _finding(
            "error",
            "unexpected-status",
            f"{status} without credentials: expected 401 with WWW-Authenticate (RFC 9110 §15.5.2)",
        )
    ]


def _judge_malformed_bearer(answer: Answer) -> list[Finding]:
    if answer.status == 400:
        return []
    return [
        _finding(
            "error",
            "malformed-bearer-not-400",
            f"{answer.status} to malformed Bearer credentials ('Bearer a b' is no b64token, "
            'RFC 6750 §2.1): expected 400 with error="invalid_request" (RFC 6750 §3.1)',
        )
    ]


def _judge_refusal(answer: Answer, *, allowed: tuple[int, ...], scheme: str) -> list[Finding]:
    status = answer.status
    expected = " or ".join(map(str, allowed))
    if status == 403:
        return [
            _finding(
                "warning",
                "forbidden-for-credentials",
                f"403 to wrong {scheme.capitalize()} credentials: allowed (RFC 9110 §15.5.4), "
                f"but {expected} with a challenge lets the client try again (§15.5.2)",
            )
        ]
    if status not in allowed:
        return [
            _finding(
                "error",
                "unexpected-status",
                f"{status} to {scheme.capitalize()} credentials that are wrong: expected "
                f"{expected} (RFC 9110 §15.5.2)",
            )
        ]
    if status == 401 and scheme not in offered_schemes(answer):
        return [
            _finding(
                "warning",
                "scheme-withdrawn",
                f"the 401 to wrong {scheme.capitalize()} credentials no longer offers "
                f"{scheme.capitalize()}: the client cannot try again",
            )
        ]
    return []


def _judge_wrong_bearer(answer: Answer) -> list[Finding]:
    status = answer.status
    if status != 401:
        return [
            _finding(
                "error",
                "unexpected-status",
                f'{status} to a wrong Bearer token: expected 401 with error="invalid_token" '
                "(RFC 6750 §3.1)",
            )
        ]
    errors = _bearer_errors(answer)
    if not errors:
        return [
            _finding(
                "warning",
                "scheme-withdrawn",
                "the 401 to a wrong Bearer token no longer offers Bearer: the client cannot "
                "try again",
            )
        ]
    if "invalid_token" not in errors:
        return [
            _finding(
                "warning",
                "missing-error-code",
                'the Bearer challenge to a wrong token has no error="invalid_token" '
                "(RFC 6750 §3: it SHOULD say why the token failed)",
            )
        ]
    return []


def _location(answer: Answer) -> str:
    locations = answer.values("Location")
    return locations[0] if locations else "nowhere"


# Probing


def attempts_for(first: Answer, only: str | None) -> list[AttemptKind]:
    """The requests after the first one: for the schemes offered, or ``only``'s."""
    if only is not None:
        schemes = {only}
    elif first.status == 401:
        schemes = offered_schemes(first)
    else:
        schemes = set()  # not asking for credentials: nothing more to learn
    kinds: list[AttemptKind] = []
    if "bearer" in schemes:
        kinds += ["malformed-bearer", "wrong-bearer"]
    if "basic" in schemes:
        kinds += ["malformed-basic", "wrong-basic"]
    return kinds


def probe(url: str, *, timeout: float = 10.0, only: str | None = None) -> list[Step]:
    """Probe ``url``: each request sent, its answer, and its findings.

    Args:
        url: an http:// or https:// URL without credentials in it.
        timeout: seconds to wait for each answer.
        only: ``"basic"`` or ``"bearer"``: send only that scheme's credentials (also
            when the server does not offer it); ``None``: those of the schemes offered.

    Raises:
        ProbeError: the URL is refused or the server does not answer.
    """
    check_url(url)
    user_agent = f"wwwauth-probe/{_version()}"
    first = fetch(url, None, timeout, user_agent)
    steps = [Step(attempt=ATTEMPTS["none"], answer=first, findings=tuple(judge("none", first)))]
    for kind in attempts_for(first, only):
        attempt = ATTEMPTS[kind]
        answer = fetch(url, attempt.authorization, timeout, user_agent)
        steps.append(Step(attempt=attempt, answer=answer, findings=tuple(judge(kind, answer))))
    return steps


def _version() -> str:
    from . import version  # here: the package imports this module when probing

    return version()


# Reporting


def _counts(steps: list[Step]) -> tuple[int, int]:
    findings = [finding for step in steps for finding in step.findings]
    errors = sum(finding.level == "error" for finding in findings)
    return errors, len(findings) - errors


def _print_text(url: str, steps: list[Step], stream: TextIO) -> None:
    printer = Printer(stream, colour=use_colour(stream))
    printer.line(printer.paint(f"probe {escape(safe_target(url))}", "dim"))
    for step in steps:
        attempt, answer = step.attempt, step.answer
        sent = "" if attempt.authorization is None else f" (Authorization: {attempt.authorization})"
        status = escape(f"{answer.status} {answer.reason}".rstrip())
        printer.line(f"{attempt.title}{sent}: {status}")
        for value in answer.values(WWW_AUTHENTICATE):
            printer.line(f"  {WWW_AUTHENTICATE}: {escape(value)}")
        for finding in step.findings:
            printer.line(f"  {printer.paint(finding.level, finding.level)}: {finding.message}")
        if not step.findings:
            printer.line(f"  {printer.paint('ok', 'ok')}")
    first = steps[0].answer
    if len(steps) == 1 and not 200 <= first.status < 400:
        printer.line(
            "  note: no Basic or Bearer challenge offered, so no credentials were sent "
            "(--basic-only or --bearer-only sends them anyway)"
        )
    errors, warnings = _counts(steps)
    count = f"{len(steps)} request{'' if len(steps) == 1 else 's'}"
    summary = (
        f"{count}: {errors} error{'' if errors == 1 else 's'}, "
        f"{warnings} warning{'' if warnings == 1 else 's'}"
    )
    printer.line(printer.paint(summary, "error" if errors else "warning" if warnings else "ok"))


def json_report(url: str, steps: list[Step], *, ok: bool) -> dict[str, object]:
    """The probe's report as JSON data."""
    errors, warnings = _counts(steps)
    return {
        "version": _version(),
        "url": safe_target(url),
        "ok": ok,
        "errors": errors,
        "warnings": warnings,
        "requests": [
            {
                "kind": step.attempt.kind,
                "title": step.attempt.title,
                "authorization": step.attempt.authorization,
                "status": step.answer.status,
                "reason": step.answer.reason,
                "www_authenticate": step.answer.values(WWW_AUTHENTICATE),
                "findings": [
                    {"level": f.level, "code": f.code, "message": f.message} for f in step.findings
                ],
            }
            for step in steps
        ],
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wwwauth probe",
        description="Ask a live server for URL without credentials, with malformed ones and "
        "with wrong Basic / Bearer ones (obviously fake: no real secret is sent), and check "
        "each answer: status (RFC 9110 §15.5.2, RFC 6750 §3.1), a WWW-Authenticate on every "
        "401, each challenge strictly parseable, one challenge per field line, realm "
        "quoted, Bearer error codes. No redirect is followed, no proxy used.",
        epilog="Exit status: 0 no error (warnings pass unless --fail-on-warning), 1 errors, "
        "2 usage or network error.",
    )
    parser.add_argument("url", metavar="URL", help="an http:// or https:// URL to probe")
    only = parser.add_mutually_exclusive_group()
    only.add_argument(
        "--basic-only",
        action="store_const",
        const="basic",
        dest="only",
        help="send only Basic credentials (also when the server does not offer Basic)",
    )
    only.add_argument(
        "--bearer-only",
        action="store_const",
        const="bearer",
        dest="only",
        help="send only Bearer credentials (also when the server does not offer Bearer)",
    )
    parser.add_argument(
        "--timeout", type=float, default=10.0, metavar="S", help="seconds per request (10)"
    )
    parser.add_argument("--fail-on-warning", action="store_true", help="exit 1 on warnings too")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    return parser


def main(argv: Sequence[str]) -> int:
    """Run ``wwwauth probe``; the exit status (0 no error, 1 errors, 2 usage or network)."""
    from . import write_quietly  # here: the package imports this module when probing

    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse: --help (0) or a usage error (2)
        return stop.code if isinstance(stop.code, int) else 2
    if not args.timeout > 0:
        parser.print_usage(sys.stderr)
        sys.stderr.write("wwwauth probe: error: --timeout must be positive\n")
        return 2
    try:
        steps = probe(args.url, timeout=args.timeout, only=args.only)
    except ProbeError as error:
        sys.stderr.write(f"wwwauth probe: error: {error}\n")
        return 2
    errors, warnings = _counts(steps)
    ok = errors == 0 and not (args.fail_on_warning and warnings)

    def write() -> None:
        if args.json:
            report = json_report(args.url, steps, ok=ok)
            json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            _print_text(args.url, steps, sys.stdout)

    write_quietly(write)
    return 0 if ok else 1
