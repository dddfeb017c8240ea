"""The accounts of the scenario contract (scenarios.py), as the adapter tests verify them.

Basic ``aladdin`` / ``open sesame``; Bearer ``read-token`` (scope ``read``) and
``admin-token`` (scopes ``read admin``); the challenges ``Bearer realm="example"`` then
``Basic realm="example"``. Each verifier comes sync and async, and ``verify`` /
``verify_async`` try the token first, then the password.
"""

from __future__ import annotations

from wwwauth import Credentials, basic, bearer
from wwwauth.integrations.server import RequestInfo
from wwwauth.integrations.verifiers import (
    AsyncBasicVerifier,
    AsyncBearerVerifier,
    BasicVerifier,
    BearerVerifier,
    Principal,
)

from .scenarios import BOTH


def _principal(user: str) -> Principal:
    return Principal(name=user)


PASSWORDS = {"aladdin": "open sesame"}
TABLE = {
    "read-token": Principal(name="read-token", scopes=frozenset({"read"})),
    "admin-token": Principal(name="admin-token", scopes=frozenset({"read", "admin"})),
}
USERS = BasicVerifier(PASSWORDS, principal=_principal)
ASYNC_USERS = AsyncBasicVerifier(PASSWORDS, principal=_principal)
TOKENS = BearerVerifier(TABLE)
ASYNC_TOKENS = AsyncBearerVerifier(TABLE)
CHALLENGES = [bearer.challenge(realm="example"), basic.challenge("example")]
BOTH_LINES = list(BOTH)  # the field lines a refusal sends, as a response's list of them


def verify(credentials: Credentials, request: RequestInfo) -> Principal | None:
    return TOKENS(credentials) or USERS(credentials)


async def verify_async(credentials: Credentials, request: RequestInfo) -> Principal | None:
    return await ASYNC_TOKENS(credentials) or await ASYNC_USERS(credentials)
