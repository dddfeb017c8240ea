"""The scenario table every adapter and every ``examples/<framework>_app.py`` must pass.

Issue 13's contract: ``GET /public`` is open; ``GET /private`` accepts Bearer
``read-token`` (scope ``read``), ``admin-token`` (scopes ``read admin``) and Basic
``aladdin`` / ``open sesame``, offering ``Bearer realm="example"`` then
``Basic realm="example"``, each on its own field line; ``GET /admin`` also needs scope
``admin``. A granted request answers 200 with the principal's name as the whole body.

Expected WWW-Authenticate field lines are listed one per line, in order. A line matches
when it is the same challenge: the same scheme (as written), the same token68 and the
same auth-params (names case-insensitive, values exact, any order: RFC 9110 §11.2 gives
the order no meaning), and when it parses strictly on its own (one challenge per line).
A refusal's body must not echo any part of the credentials (``secrets``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from wwwauth import basic

ALADDIN = str(basic.encode("aladdin", "open sesame"))  # Basic YWxhZGRpbjpvcGVuIHNlc2FtZQ==
ALADDIN_WRONG = str(basic.encode("aladdin", "open sesame!"))
UNKNOWN_USER = str(basic.encode("jafar", "open sesame"))

BEARER = 'Bearer realm="example"'
BASIC = 'Basic realm="example"'
BOTH = (BEARER, BASIC)

FRAMEWORKS = ("fastapi", "starlette", "django", "flask", "aiohttp", "litestar")


def body_is(expected: str) -> Callable[[bytes], bool]:
    """The body is exactly ``expected`` (UTF-8), nothing around it."""

    def check(body: bytes) -> bool:
        return body == expected.encode("utf-8")

    check.__doc__ = f"body == {expected!r}"
    return check


def any_body(body: bytes) -> bool:
    """Any body."""
    return True


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """One row: a request, sent with each of ``authorizations``, and what must come back.

    Attributes:
        name: the row's label (a test id).
        path: the request-target.
        authorizations: Authorization field values, each sent in its own request (None:
            no Authorization field); all must get the same answer.
        status: the status code expected.
        challenges: the WWW-Authenticate field lines expected, in order (see the module
            docstring for how a line matches); () means no WWW-Authenticate at all.
        body: a predicate on the response content.
        secrets: strings that must appear neither in the body nor in any header value.
    """

    name: str
    path: str
    authorizations: tuple[str | None, ...]
    status: int
    challenges: tuple[str, ...]
    body: Callable[[bytes], bool] = any_body
    secrets: tuple[str, ...] = ()


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(name="public", path="/public", authorizations=(None,), status=200, challenges=()),
    Scenario(
        name="private-no-credentials",
        path="/private",
        authorizations=(None,),
        status=401,
        challenges=BOTH,
    ),
    Scenario(
        name="private-basic-aladdin",
        path="/private",
        authorizations=(ALADDIN, "basic " + ALADDIN.split()[1]),
        status=200,
        challenges=(),
        body=body_is("aladdin"),
    ),
    Scenario(
        name="private-read-token",
        path="/private",
        authorizations=("Bearer read-token", "bearer read-token"),
        status=200,
        challenges=(),
        body=body_is("read-token"),
    ),
    Scenario(
        name="private-admin-token",
        path="/private",
        authorizations=("Bearer admin-token",),
        status=200,
        challenges=(),
        body=body_is("admin-token"),
    ),
    Scenario(
        name="private-wrong-password",
        path="/private",
        authorizations=(ALADDIN_WRONG,),
        status=401,
        challenges=BOTH,
        secrets=("open sesame!", ALADDIN_WRONG.split()[1]),
    ),
    Scenario(
        name="private-unknown-user",
        path="/private",
        authorizations=(UNKNOWN_USER,),
        status=401,
        challenges=BOTH,
        secrets=("open sesame", UNKNOWN_USER.split()[1]),
    ),
    Scenario(
        name="private-unknown-token",
        path="/private",
        authorizations=("Bearer not-a-known-token",),
        status=401,
        challenges=('Bearer realm="example", error="invalid_token"', BASIC),
        secrets=("not-a-known-token",),
    ),
    Scenario(
        name="private-malformed-bearer",
        path="/private",
        authorizations=("Bearer a b",),
        status=400,
        challenges=('Bearer realm="example", error="invalid_request"', BASIC),
    ),
    Scenario(
        name="private-unoffered-scheme",
        path="/private",
        authorizations=('Digest username="aladdin", realm="example"',),
        status=401,
        challenges=BOTH,
    ),
    Scenario(
        name="admin-no-credentials",
        path="/admin",
        authorizations=(None,),
        status=401,
        challenges=BOTH,
    ),
    Scenario(
        name="admin-read-token",
        path="/admin",
        authorizations=("Bearer read-token",),
        status=403,
        challenges=('Bearer realm="example", error="insufficient_scope", scope="admin"',),
        secrets=("read-token",),
    ),
    Scenario(
        name="admin-basic-aladdin",
        path="/admin",
        authorizations=(ALADDIN,),
        status=403,
        challenges=(),
        secrets=("open sesame", ALADDIN.split()[1]),
    ),
    Scenario(
        name="admin-admin-token",
        path="/admin",
        authorizations=("Bearer admin-token",),
        status=200,
        challenges=(),
        body=body_is("admin-token"),
    ),
)
