"""The problems the testing kit finds, one function per check (see :mod:`wwwauth.testing`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal, TypeVar

from ._abnf import QUOTED_STRING, TOKEN
from ._registry import (
    BEARER_ERROR_STATUS,
    PROXY_AUTHENTICATE,
    REQUIRED_CHALLENGE_PARAMS,
    WWW_AUTHENTICATE,
)
from .errors import ParseError
from .model import ascii_lower

if TYPE_CHECKING:
    from .model import Challenge

__all__ = [
    "Level",
    "Problem",
    "ProblemCode",
    "bearer_error_status",
    "challenge_problems",
    "is_strict",
    "parse_or_problem",
    "realm_problems",
    "requires_challenge",
    "status_problems",
    "where",
]

_WWW: Final = WWW_AUTHENTICATE
_PROXY: Final = PROXY_AUTHENTICATE

Level = Literal["error", "warning"]
ProblemCode = Literal[
    "missing-challenge-field",  # 401 without WWW-Authenticate, 407 without Proxy-Authenticate
    "no-challenge",  # the challenge field is there but holds no challenge
    "wrong-status",  # a challenge field on a status it does not belong to
    "not-strict",  # a value the strict parser refuses
    "unparseable",  # a value even the lenient parser cannot read
    "realm-not-quoted",  # RFC 9110 §11.5
    "missing-param",  # a parameter the scheme requires is missing
    "bearer-error-status",  # RFC 6750 §3.1 error code on the wrong status
    "several-challenges-per-line",  # browsers mis-read them
    "field-lines-unknown",  # several challenges, but the library joined the field lines
]


_T = TypeVar("_T")


# RFC 9110 §11.5: realm = "realm" BWS "=" BWS quoted-string (a sender MUST quote it).
# Quoted-strings are matched first so that "realm=x" inside one is skipped; run only on
# values the strict parser accepted, where every '"' outside a quoted-string opens one,
# so each character is read once, and the realm params come in the parser's order.
_QUOTED_STRING_OR_REALM_RE: Final = re.compile(
    f"{QUOTED_STRING}|(?<![^ \t,])(?P<realm>realm)[ \t]*=[ \t]*(?P<value>{QUOTED_STRING}|{TOKEN})",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One thing wrong with a response; ``str()`` gives ``"<level>: <message>"`` and the detail.

    >>> str(Problem(level="warning", code="several-challenges-per-line", message="..."))
    'warning: ...'
    """

    level: Level
    code: ProblemCode
    message: str  # one line
    field: str | None = None  # the field it is about, canonically spelled
    detail: str = ""  # more lines, e.g. the caret rendering of a ParseError

    def __str__(self) -> str:
        text = f"{self.level}: {self.message}"
        if self.detail:
            text += "\n" + "\n".join("    " + line for line in self.detail.split("\n"))
        return text


def where(field: str, line: int, count: int) -> str:
    return field if count == 1 else f"{field} (field line {line + 1})"


def parse_or_problem(
    parse: Callable[..., _T],
    value: object,
    where: str,
    field: str,
    strict: bool,
    problems: list[Problem],
) -> tuple[_T | None, bool]:
    """Parse as ``strict`` says; on failure, record the problem and read leniently.

    Returns the reading (``None`` when there is none) and whether the parse succeeded
    in the mode asked for.
    """
    try:
        return parse(value, strict=strict), True
    except ParseError as error:
        strict_error = error
    reading = None
    if strict:
        try:
            reading = parse(value, strict=False)
        except ParseError:
            pass
    message = (
        f"{where} does not parse strictly: {strict_error.message}"
        if strict
        else f"{where} does not parse: {strict_error.message}"
    )
    if strict and reading is None:
        message += " (nor leniently)"
    problems.append(
        Problem(
            level="error",
            code="not-strict" if strict else "unparseable",
            message=message,
            field=field,
            detail=str(strict_error).split("\n", 1)[1],
        )
    )
    return reading, False


def challenge_problems(
    field: str,
    where: str,
    challenges: list[Challenge],
    status: int | None,
    problems: list[Problem],
) -> None:
    for challenge in challenges:
        problems.extend(_missing_params(field, where, challenge))
        if field == _WWW and status is not None:
            # RFC 6750 §3.1 is about resource servers' WWW-Authenticate
            problems.extend(bearer_error_status(where, challenge, status))


def _missing_params(field: str, where: str, challenge: Challenge) -> list[Problem]:
    """The parameters the challenge's scheme requires and it lacks (RFC 7617, RFC 7616)."""
    if challenge.token68 is not None:
        return []
    scheme = ascii_lower(challenge.scheme)
    rfc = "RFC 7617 §2" if scheme == "basic" else "RFC 7616 §3.3"
    return [
        Problem(
            level="error",
            code="missing-param",
            message=f"{where}: the {challenge.scheme} challenge has no {name} "
            f"({rfc}: {name} is REQUIRED)",
            field=field,
        )
        for name in REQUIRED_CHALLENGE_PARAMS.get(scheme, ())
        if name not in challenge.params
    ]


def bearer_error_status(where: str, challenge: Challenge, status: int) -> list[Problem]:
    """A Bearer error code on a status it does not go with (RFC 6750 §3.1)."""
    if ascii_lower(challenge.scheme) != "bearer":
        return []
    error = challenge.params.get("error")
    expected = BEARER_ERROR_STATUS.get(error or "")
    if error is None or expected is None or expected == status:
        return []
    return [
        Problem(
            level="error",
            code="bearer-error-status",
            message=f'{where}: Bearer error="{error}" on a {status} response: '
            f"{error} goes with {expected} (RFC 6750 §3.1)",
            field=_WWW,
        )
    ]


def realm_problems(
    field: str, where: str, value: str, challenges: list[Challenge], problems: list[Problem]
) -> None:
    """Flag each realm written as a token; ``value`` parsed strictly to ``challenges``."""
    schemes = [
        challenge.scheme
        for challenge in challenges
        for name in challenge.params
        if ascii_lower(name) == "realm"
    ]
    realms = (m for m in _QUOTED_STRING_OR_REALM_RE.finditer(value) if m.group("realm"))
    for scheme, match in zip(schemes, realms):
        if not match.group("value").startswith('"'):
            problems.append(
                Problem(
                    level="error",
                    code="realm-not-quoted",
                    message=f"{where}: the realm of the {scheme} challenge is not a "
                    "quoted-string (RFC 9110 §11.5: realm MUST be sent quoted)",
                    field=field,
                )
            )


def requires_challenge(field: str, status: int | None) -> bool:
    """Whether a response of ``status`` must carry a challenge in ``field``."""
    return (field == _WWW and status == 401) or (field == _PROXY and status == 407)


def status_problems(status: int, by_field: Mapping[str, list[str]]) -> list[Problem]:
    """A challenge field missing for the status, or on a status it does not belong to."""
    problems = [
        Problem(
            level="error",
            code="missing-challenge-field",
            message=f"{code} response without {required}: a {code} MUST carry "
            f"at least one challenge (RFC 9110 §15.5.{section})",
            field=required,
        )
        for required, code, section in ((_WWW, 401, "2"), (_PROXY, 407, "8"))
        if status == code and required not in by_field
    ]
    if status == 407 and _WWW in by_field:
        problems.append(
            Problem(
                level="error",
                code="wrong-status",
                message="WWW-Authenticate on a 407 response: a proxy challenges with "
                "Proxy-Authenticate (RFC 9110 §11.7.1)",
                field=_WWW,
            )
        )
    if status != 407 and _PROXY in by_field:
        problems.append(
            Problem(
                level="error",
                code="wrong-status",
                message=f"Proxy-Authenticate on a {status} response: it belongs on a 407 "
                "(RFC 9110 §11.7.1)" + ("; a 401 needs WWW-Authenticate" if status == 401 else ""),
                field=_PROXY,
            )
        )
    return problems


def is_strict(parse: Callable[..., object], value: str) -> bool:
    try:
        parse(value)
    except ParseError:
        return False
    return True
