"""Check a response's status and challenge fields, for users' own test suites.

:func:`response_problems` lists what is wrong with a response (as far as its status and
its authentication fields tell), :func:`assert_auth_response` fails a test with that
list, and :func:`check_response` gives the same findings as :class:`Problem` values.

>>> [problem.code for problem in check_response(401, {"Content-Type": "text/plain"})]
['missing-challenge-field']
>>> assert_auth_response(401, [("WWW-Authenticate", 'Basic realm="simple"')])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, TypeAlias, overload

from ._abnf import CTL
from ._registry import (
    AUTHENTICATION_INFO,
    PROXY_AUTHENTICATE,
    PROXY_AUTHENTICATION_INFO,
    WWW_AUTHENTICATE,
)
from ._response_adapters import (
    ResponseReading,
    header_lines,
    lost_lines_of,
    read_response,
)
from ._response_checks import (
    Problem,
    ProblemCode,
    challenge_problems,
    is_strict,
    parse_or_problem,
    realm_problems,
    requires_challenge,
    status_problems,
    where,
)
from .model import ascii_lower
from .parsing import (
    parse_authentication_info,
    parse_proxy_authenticate,
    parse_proxy_authentication_info,
    parse_www_authenticate,
)

if TYPE_CHECKING:
    from .model import AuthParams, Challenge

__all__ = [
    "HeadersInput",
    "Problem",
    "ProblemCode",
    "assert_auth_response",
    "check_response",
    "response_problems",
]

# Header fields as a mapping (one line per name) or (name, value) pairs (names may repeat).
# Objects with a ``multi_items()`` method (httpx, Starlette), ``field_lines()`` (Django's
# FieldLineHeaders) or ``getlist`` / ``getall`` / ``get_all`` (werkzeug, urllib3,
# multidict, http.client) are read through it, so repeated field lines stay apart.
HeadersInput: TypeAlias = (
    Mapping[str, str] | Iterable[tuple[str, str]] | Iterable[tuple[bytes, bytes]]
)


_WWW: Final = WWW_AUTHENTICATE
_PROXY: Final = PROXY_AUTHENTICATE
_INFO: Final = AUTHENTICATION_INFO
_PROXY_INFO: Final = PROXY_AUTHENTICATION_INFO
_CHALLENGE_PARSERS: Final[Mapping[str, Callable[..., list[Challenge]]]] = {
    _WWW: parse_www_authenticate,
    _PROXY: parse_proxy_authenticate,
}
_INFO_PARSERS: Final[Mapping[str, Callable[..., AuthParams]]] = {
    _INFO: parse_authentication_info,
    _PROXY_INFO: parse_proxy_authentication_info,
}
_CANONICAL: Final = {ascii_lower(name): name for name in (_WWW, _PROXY, _INFO, _PROXY_INFO)}


def _header_lines(headers: HeadersInput) -> list[tuple[str, str]]:
    """(canonical name, value) of the authentication fields, one per field line, in order."""
    lines: list[tuple[str, str]] = []
    for name, value in header_lines(headers):
        canonical = _CANONICAL.get(ascii_lower(name.strip()))
        if canonical is not None:
            lines.append((canonical, value))
    return lines


def _check_status(status: object) -> int:
    if isinstance(status, bool) or not isinstance(status, int):
        raise TypeError(f"status must be an int, not {type(status).__name__}")
    if not 100 <= status <= 599:
        raise ValueError(f"status {status} is not an HTTP status code (100-599)")
    return status


@dataclass(frozen=True, slots=True)
class _Reading:
    """A response as the checks see it: status, authentication field lines, and notes."""

    status: int | None
    by_field: Mapping[str, list[str]]
    lines: tuple[tuple[str, str], ...]  # the authentication field lines, in order
    source: str = ""  # where the lines were read from, for the failure message
    lost_lines: str | None = None  # why joined field lines cannot be told apart
    hint: str | None = None  # advice for a several-challenges-per-line warning


def _reading(status: object, headers: HeadersInput | None) -> _Reading:
    """Read the ``(status, headers)`` form, or a response object given alone."""
    lost_lines: str | None
    if headers is None:
        response: ResponseReading = read_response(status)
        checked_status: int | None = response.status
        lines = _header_lines(response.lines)
        source, lost_lines, hint = response.source, response.lost_lines, response.hint
        _check_status(checked_status)
    else:
        checked_status = None if status is None else _check_status(status)
        lines = _header_lines(headers)
        source, lost_lines, hint = "", lost_lines_of(headers), None
    by_field: dict[str, list[str]] = {}
    for name, value in lines:
        by_field.setdefault(name, []).append(value)
    return _Reading(checked_status, by_field, tuple(lines), source, lost_lines, hint)


@overload
def check_response(
    status: int | None, headers: HeadersInput, *, strict: bool = True
) -> list[Problem]: ...
@overload
def check_response(response: object, /, *, strict: bool = True) -> list[Problem]: ...
def check_response(
    status: object, headers: HeadersInput | None = None, *, strict: bool = True
) -> list[Problem]:
    """Find what is wrong with a response's status and authentication fields.

    Checks, in order: a 401 without WWW-Authenticate or a 407 without
    Proxy-Authenticate (RFC 9110 §15.5.2, §15.5.8), or with one that holds no challenge;
    WWW-Authenticate on a 407 or Proxy-Authenticate on anything else (RFC 9110
    §11.7.1); then each field line: a value that does not parse strictly, several
    challenges on one line (a warning: browsers mis-read them), realm not sent as a
    quoted-string (§11.5, read from the raw text), a Basic or Digest challenge without
    the parameters its RFC requires, a Bearer error code on the wrong status (RFC 6750
    §3.1: invalid_request 400, invalid_token 401, insufficient_scope 403); and
    Authentication-Info or Proxy-Authentication-Info that does not parse. After a
    value that does not parse strictly, the checks of that line run on its lenient
    reading, but give no warning (a misreading would make one up).

    WWW-Authenticate on other statuses is fine (RFC 9110 §11.6.1 allows it: a 403 with
    a Bearer challenge, a 200 with Negotiate's final token), and so is a 403 Bearer
    challenge without ``insufficient_scope``.

    Args:
        status: the response's status code; ``None`` when unknown (header lines alone),
            which skips every check that depends on it. Or, given alone, the response
            object of requests, httpx (and the Starlette, FastAPI and Litestar test
            clients), Flask/werkzeug, Django, aiohttp or http.client: its status and its
            separate field lines are read from it (see ``wwwauth._response_adapters``).
        headers: the response's header fields: a mapping, or (name, value) pairs in
            which a name may repeat; names ignore case; ``str`` or ``bytes``.
        strict: ``False`` reads values leniently and only reports what even the lenient
            parser cannot read.

    Returns:
        The problems found, errors and warnings, in the order above. Where the library
        joined the field lines of a name (requests' ``r.headers``, a response built
        without ``raw``), several challenges in one value give a ``field-lines-unknown``
        warning that says what to pass instead.

    Raises:
        TypeError: ``status`` or ``headers`` has the wrong type, or a response object
            has no int ``status_code`` / ``status`` or no headers.
        ValueError: ``status`` is not within 100-599.

    >>> [p.code for p in check_response(407, {"WWW-Authenticate": "Basic realm=x"})]
    ['missing-challenge-field', 'wrong-status', 'realm-not-quoted']
    """
    __tracebackhide__ = True  # pytest: show the caller's line, not this one
    return _problems(_reading(status, headers), strict)


def _problems(reading: _Reading, strict: bool) -> list[Problem]:
    status, by_field = reading.status, reading.by_field
    problems = [] if status is None else status_problems(status, by_field)
    for field, parse in _CHALLENGE_PARSERS.items():
        values = by_field.get(field, [])
        _challenge_field_problems(field, values, parse, reading, strict, problems)
    for field, parse_info in _INFO_PARSERS.items():
        if field in by_field:
            parse_or_problem(parse_info, by_field[field], field, field, strict, problems)
    return problems


def _challenge_field_problems(
    field: str,
    values: list[str],
    parse: Callable[..., list[Challenge]],
    reading: _Reading,
    strict: bool,
    problems: list[Problem],
) -> None:
    """Record the problems of each field line of one challenge field, then of the field."""
    status = reading.status
    challenge_count = sum(
        _challenge_line_problems(
            _Line(field, where(field, line, len(values)), value), parse, reading, strict, problems
        )
        for line, value in enumerate(values)
    )
    if values and challenge_count == 0 and requires_challenge(field, status):
        problems.append(
            Problem(
                level="error",
                code="no-challenge",
                message=f"{field} holds no challenge: a {status} MUST carry at least one "
                f"(RFC 9110 §15.5.{2 if status == 401 else 8})",
                field=field,
            )
        )


@dataclass(frozen=True, slots=True)
class _Line:
    """One field line of a challenge field, and how messages name it."""

    field: str
    where: str
    value: str


def _challenge_line_problems(
    line: _Line,
    parse: Callable[..., list[Challenge]],
    reading: _Reading,
    strict: bool,
    problems: list[Problem],
) -> int:
    """Record the problems of one challenge field line; return how many challenges it holds.

    A line that cannot be read counts as one challenge: it is not known to be empty.
    """
    challenges, parsed = parse_or_problem(
        parse, line.value, line.where, line.field, strict, problems
    )
    if challenges is None:
        return 1
    # No warning on a line that did not parse: the count comes from a lenient misreading.
    if len(challenges) > 1 and parsed:
        problems.append(_several_challenges(line, len(challenges), reading))
    if parsed and (strict or is_strict(parse, line.value)):
        realm_problems(line.field, line.where, line.value, challenges, problems)
    challenge_problems(line.field, line.where, challenges, reading.status, problems)
    return len(challenges)


def _several_challenges(line: _Line, count: int, reading: _Reading) -> Problem:
    """The warning for ``count`` challenges in one value, or why it cannot be told."""
    if reading.lost_lines is not None:
        return Problem(
            level="warning",
            code="field-lines-unknown",
            message=f"{line.where} holds {count} challenges, but whether they came on one "
            f"field line or on {count} cannot be told: {reading.lost_lines}",
            field=line.field,
        )
    return Problem(
        level="warning",
        code="several-challenges-per-line",
        message=f"{line.where} holds {count} challenges on one field line: "
        "browsers mis-read them; send one challenge per field line",
        field=line.field,
        detail=reading.hint or "",
    )


@overload
def response_problems(status: int, headers: HeadersInput, *, strict: bool = True) -> list[str]: ...
@overload
def response_problems(response: object, /, *, strict: bool = True) -> list[str]: ...
def response_problems(
    status: object, headers: HeadersInput | None = None, *, strict: bool = True
) -> list[str]:
    """List what is wrong with a response's status and authentication fields, as text.

    Each entry is ``str(problem)`` of :func:`check_response`: ``"error: ..."`` or
    ``"warning: ..."``, then indented detail lines (e.g. a caret under a parse error).

    Args:
        status: the response's status code, or the response object given alone (as
            :func:`check_response`).
        headers: a mapping, or (name, value) pairs (names may repeat and ignore case).
        strict: as :func:`check_response`.

    Returns:
        The problems; empty when the response is right.

    Raises:
        TypeError: ``status`` or ``headers`` has the wrong type.
        ValueError: ``status`` is not within 100-599.

    >>> response_problems(200, [("Proxy-Authenticate", 'Basic realm="proxy"')])
    ['error: Proxy-Authenticate on a 200 response: it belongs on a 407 (RFC 9110 §11.7.1)']
    """
    __tracebackhide__ = True  # pytest: show the caller's line, not this one
    if headers is not None:
        _check_status(status)
    reading = _reading(status, headers)
    return [str(problem) for problem in _problems(reading, strict)]


@overload
def assert_auth_response(
    status: int, headers: HeadersInput, *, strict: bool = True, warnings: bool = True
) -> None: ...
@overload
def assert_auth_response(
    response: object, /, *, strict: bool = True, warnings: bool = True
) -> None: ...
def assert_auth_response(
    status: object,
    headers: HeadersInput | None = None,
    *,
    strict: bool = True,
    warnings: bool = True,
) -> None:
    """Fail with an ``AssertionError`` showing the response and listing every problem.

    Args:
        status: the response's status code; or, given alone, the response object of
            requests, httpx (Starlette, FastAPI, Litestar test clients), Flask/werkzeug,
            Django, aiohttp or http.client, read as :func:`check_response` says.
        headers: a mapping, or (name, value) pairs (names may repeat and ignore case).
            Pass every field line: with httpx or Starlette ``response.headers`` is read
            through ``multi_items()``; a plain dict holds one line per name.
        strict: as :func:`check_response`.
        warnings: ``False`` lets warnings pass (e.g. several challenges on one line).

    Raises:
        AssertionError: the response has problems; the message gives the status, each
            authentication field line (control characters escaped, long values cut),
            then each problem with the RFC section it breaks.

    >>> assert_auth_response(200, {})
    >>> assert_auth_response(200, {"Proxy-Authenticate": 'Basic realm="proxy"'})
    Traceback (most recent call last):
    ...
    AssertionError: 1 problem with the 200 response:
      Proxy-Authenticate: Basic realm="proxy"
    - error: Proxy-Authenticate on a 200 response: it belongs on a 407 (RFC 9110 §11.7.1)
    """
    __tracebackhide__ = True  # pytest: show the caller's line, not this one
    if headers is not None:
        _check_status(status)
    reading = _reading(status, headers)
    problems = [
        problem for problem in _problems(reading, strict) if warnings or problem.level == "error"
    ]
    if problems:
        raise AssertionError(_failure_message(reading, problems))


_SHOWN_VALUE_LENGTH: Final = 200


def _shown(value: str) -> str:
    """A field value for the failure message: CTLs escaped, a long value cut."""
    cut = value[:_SHOWN_VALUE_LENGTH]
    shown = "".join(repr(char)[1:-1] if char in CTL else char for char in cut)
    if len(value) > _SHOWN_VALUE_LENGTH:
        shown += f"... ({len(value)} characters)"
    return shown


def _failure_message(reading: _Reading, problems: list[Problem]) -> str:
    """The status, each authentication field line, then each problem."""
    count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
    status = "" if reading.status is None else f" {reading.status}"
    source = f" (field lines read from {reading.source})" if reading.source else ""
    lines = [f"{count} with the{status} response{source}:"]
    lines += [f"  {name}: {_shown(value)}" for name, value in reading.lines] or [
        "  (no authentication field line)"
    ]
    lines += ["- " + str(problem).replace("\n", "\n  ") for problem in problems]
    return "\n".join(lines)
