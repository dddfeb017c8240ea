"""BasicVerifier and BearerVerifier: answers, stored-hash formats, equal work, fail closed.

Work is counted (hash derivations, comparisons), never timed.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
from collections.abc import Awaitable, Callable, Iterator
from typing import cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwwauth import Credentials, basic, bearer
from wwwauth.integrations.verifiers import (
    AsyncBasicVerifier,
    AsyncBearerVerifier,
    BasicVerifier,
    BearerVerifier,
    Principal,
    scopes_of,
)

FAST = 1_000  # PBKDF2 iterations in tests: the cost is the same per call either way


class Derivations:
    """Counts calls of hashlib.pbkdf2_hmac, hashlib.scrypt and hmac.compare_digest."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pbkdf2: list[int] = []  # iterations of each derivation
        self.scrypt: list[tuple[int, int, int]] = []
        self.compares = 0
        pbkdf2, scrypt, compare = hashlib.pbkdf2_hmac, hashlib.scrypt, hmac.compare_digest

        def counting_pbkdf2(
            name: str, password: bytes, salt: bytes, iterations: int, dklen: int | None = None
        ) -> bytes:
            self.pbkdf2.append(iterations)
            return pbkdf2(name, password, salt, iterations, dklen)

        def counting_scrypt(
            password: bytes,
            *,
            salt: bytes,
            n: int,
            r: int,
            p: int,
            maxmem: int = 0,
            dklen: int = 64,
        ) -> bytes:
            self.scrypt.append((n, r, p))
            return scrypt(password, salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=dklen)

        def counting_compare(a: bytes, b: bytes) -> bool:
            self.compares += 1
            return compare(a, b)

        monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting_pbkdf2)
        monkeypatch.setattr(hashlib, "scrypt", counting_scrypt)
        monkeypatch.setattr(hmac, "compare_digest", counting_compare)

    def snapshot(self) -> tuple[list[int], list[tuple[int, int, int]], int]:
        return list(self.pbkdf2), list(self.scrypt), self.compares

    def reset(self) -> None:
        self.pbkdf2.clear()
        self.scrypt.clear()
        self.compares = 0


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> Iterator[Derivations]:
    yield Derivations(monkeypatch)


def django_make_password(password: str, hasher: str = "default") -> str:
    """A stored hash made by Django itself (settings configured on first use)."""
    from django.conf import settings

    if not settings.configured:
        settings.configure()
    from django.contrib.auth.hashers import make_password

    return make_password(password, hasher=hasher)


# ------------------------------------------------------------------------------ Basic


def test_mapping_of_plain_passwords() -> None:
    verifier = BasicVerifier({"aladdin": "open sesame"})
    assert verifier(basic.encode("aladdin", "open sesame")) == "aladdin"
    assert verifier(basic.encode("aladdin", "open sesame!")) is None
    assert verifier(basic.encode("aladdin", "")) is None
    assert verifier(basic.encode("jafar", "open sesame")) is None
    assert verifier(bearer.credentials("open-sesame")) is None  # another scheme
    assert verifier(Credentials(scheme="Basic", token68="YWxhZGRpbg")) is None  # bad base64
    assert (
        verifier(Credentials(scheme="basic", token68="YWxhZGRpbjpvcGVuIHNlc2FtZQ==")) == "aladdin"
    )


def test_lookup_callable_and_principal_mapping() -> None:
    seen: list[str] = []

    def lookup(user: str) -> str | None:
        seen.append(user)
        return {"aladdin": "open sesame"}.get(user)

    verifier = BasicVerifier(lookup, principal=lambda user: Principal(name=user.upper()))
    assert verifier(basic.encode("aladdin", "open sesame")) == Principal(name="ALADDIN")
    assert verifier.check("jafar", "x") is None
    assert seen == ["aladdin", "jafar"]


@pytest.mark.parametrize("refusal", [None, False])
def test_principal_none_or_false_is_a_refusal(refusal: None | bool) -> None:
    verifier = BasicVerifier({"u": "p"}, principal=lambda user: refusal)
    assert verifier.check("u", "p") is None


@pytest.mark.parametrize("odd", [None, 42, b"open sesame", ["open sesame"], "argon2$x$y"])
def test_odd_stored_secret_from_a_lookup_is_a_refusal(odd: object) -> None:
    verifier = BasicVerifier(cast(Callable[[str], "str | None"], lambda user: odd))
    assert verifier.check("aladdin", "open sesame") is None
    assert verifier.check("aladdin", str(odd)) is None


def test_lookup_exception_reaches_the_gate() -> None:
    def lookup(user: str) -> str | None:
        raise RuntimeError("database down")

    with pytest.raises(RuntimeError):
        BasicVerifier(lookup).check("aladdin", "open sesame")


def test_sync_verifier_refuses_a_coroutine_lookup() -> None:
    async def lookup(user: str) -> str | None:
        return None

    with pytest.raises(TypeError, match="AsyncBasicVerifier"):
        BasicVerifier(lookup)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="AsyncBasicVerifier"):
        BasicVerifier({"u": "p"}, principal=lookup)
    assert not BasicVerifier.is_async and AsyncBasicVerifier.is_async


def test_lambda_returning_a_coroutine_is_a_refusal_not_a_grant() -> None:
    async def stored() -> str:
        return "open sesame"

    verifier = BasicVerifier(cast(Callable[[str], "str | None"], lambda user: stored()))
    assert verifier.check("aladdin", "open sesame") is None


@pytest.mark.parametrize(
    "stored",
    [
        "argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA",
        "bcrypt$$2b$12$abc",
        "$2b$12$abc",
        "pbkdf2_sha256$x$salt$aGFzaA==",
    ],
)
def test_unsupported_or_malformed_stored_hash_is_refused_at_construction(stored: str) -> None:
    with pytest.raises(ValueError, match="aladdin") as info:
        BasicVerifier({"aladdin": stored})
    assert stored not in str(info.value)


def test_plain_prefix_lets_a_password_hold_a_dollar() -> None:
    verifier = BasicVerifier({"u": "plain$pa$$word", "v": "no-dollar"})
    assert verifier.check("u", "pa$$word") == "u"
    assert verifier.check("u", "plain$pa$$word") is None
    assert verifier.check("v", "no-dollar") == "v"


def test_hash_password_pbkdf2_round_trip() -> None:
    stored = BasicVerifier.hash_password("open sesame", iterations=FAST)
    algorithm, iterations, salt, digest = stored.split("$")
    assert (algorithm, iterations) == ("pbkdf2_sha256", str(FAST))
    expected = hashlib.pbkdf2_hmac("sha256", b"open sesame", salt.encode(), FAST)
    assert base64.b64decode(digest) == expected
    verifier = BasicVerifier({"aladdin": stored})
    assert verifier.check("aladdin", "open sesame") == "aladdin"
    assert verifier.check("aladdin", "open sesamE") is None
    assert verifier.check("aladdin", stored) is None  # the hash is not the password
    assert BasicVerifier.hash_password("open sesame", iterations=FAST) != stored  # salted


def test_hash_password_scrypt_round_trip() -> None:
    stored = BasicVerifier.hash_password("open sesame", algorithm="scrypt", n=1024, p=1)
    assert stored.startswith("scrypt$1024$") and stored.split("$")[3:5] == ["8", "1"]
    verifier = BasicVerifier({"aladdin": stored})
    assert verifier.check("aladdin", "open sesame") == "aladdin"
    assert verifier.check("aladdin", "open") is None


def test_default_hash_is_pbkdf2_with_the_documented_iterations() -> None:
    stored = BasicVerifier.hash_password("x")
    assert stored.startswith("pbkdf2_sha256$600000$")


def test_django_make_password_pbkdf2_is_accepted() -> None:
    stored = django_make_password("open sesame", "pbkdf2_sha256")
    assert stored.startswith("pbkdf2_sha256$")
    verifier = BasicVerifier({"aladdin": stored})
    assert verifier.check("aladdin", "open sesame") == "aladdin"
    assert verifier.check("aladdin", "open sesame ") is None


def test_django_make_password_scrypt_is_accepted() -> None:
    stored = django_make_password("Jürgen's pass", "scrypt")
    assert stored.startswith("scrypt$")
    verifier = BasicVerifier({"jürgen": stored})
    assert verifier.check("jürgen", "Jürgen's pass") == "jürgen"
    assert verifier.check("jürgen", "Jurgen's pass") is None


def test_our_hash_is_accepted_by_django() -> None:
    from django.contrib.auth.hashers import check_password

    django_make_password("warm-up")  # configures settings
    assert check_password(
        "open sesame", BasicVerifier.hash_password("open sesame", iterations=FAST)
    )
    assert check_password(
        "open sesame", BasicVerifier.hash_password("open sesame", algorithm="scrypt", n=1024, p=1)
    )


@pytest.mark.parametrize(
    "stored",
    ["open sesame", "pbkdf2", "scrypt"],
)
def test_unknown_user_costs_what_a_wrong_password_costs(
    stored: str, derivations: Derivations
) -> None:
    if stored == "pbkdf2":
        stored = BasicVerifier.hash_password("open sesame", iterations=FAST)
    elif stored == "scrypt":
        stored = BasicVerifier.hash_password("open sesame", algorithm="scrypt", n=1024, p=1)
    verifier = BasicVerifier({"aladdin": stored})
    verifier.check("aladdin", "open sesame")  # the verifier has now seen one stored secret
    derivations.reset()
    assert verifier.check("aladdin", "wrong") is None
    wrong_password = derivations.snapshot()
    derivations.reset()
    assert verifier.check("jafar", "wrong") is None
    unknown_user = derivations.snapshot()
    assert unknown_user == wrong_password
    assert wrong_password[2] == 1  # exactly one constant-time comparison each


def test_unknown_user_first_of_all_still_derives(derivations: Derivations) -> None:
    """Before any stored secret was seen, the decoy is a default-cost PBKDF2 hash."""
    verifier = BasicVerifier(lambda user: None)
    assert verifier.check("jafar", "x") is None
    assert derivations.pbkdf2 == [600_000]


def test_lookup_verifier_learns_the_cost_of_the_users_secrets(derivations: Derivations) -> None:
    users = {"aladdin": BasicVerifier.hash_password("open sesame", algorithm="scrypt", n=1024, p=1)}
    verifier = BasicVerifier(users.get)
    verifier.check("aladdin", "wrong")
    derivations.reset()
    verifier.check("jafar", "wrong")
    assert derivations.scrypt == [(1024, 8, 1)] and derivations.pbkdf2 == []


@given(
    user=st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8).filter(
        lambda u: ":" not in u
    ),
    password=st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=16),
    other=st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=16),
)
def test_only_the_right_password_verifies(user: str, password: str, other: str) -> None:
    for stored in (
        password if "$" not in password else "plain$" + password,
        BasicVerifier.hash_password(password, iterations=1),
    ):
        verifier = BasicVerifier({user: stored})
        assert verifier(basic.encode(user, password)) == user
        assert (verifier.check(user, other) == user) == (other == password)


def test_async_basic_verifier_accepts_sync_and_async_lookups() -> None:
    async def lookup(user: str) -> str | None:
        return {"aladdin": "open sesame"}.get(user)

    async def principal(user: str) -> Principal:
        return Principal(name=user)

    async def run() -> None:
        for users in (lookup, {"aladdin": "open sesame"}.get):
            verifier = AsyncBasicVerifier(users, principal=principal)
            assert await verifier(basic.encode("aladdin", "open sesame")) == Principal(
                name="aladdin"
            )
            assert await verifier(basic.encode("aladdin", "nope")) is None
            assert await verifier(basic.encode("jafar", "open sesame")) is None

    asyncio.run(run())


# ----------------------------------------------------------------------------- Bearer

READ = Principal(name="read-token", scopes=frozenset({"read"}))
ADMIN = Principal(name="admin-token", scopes=frozenset({"read", "admin"}))


def test_bearer_mapping() -> None:
    verifier = BearerVerifier({"read-token": READ, "admin-token": ADMIN})
    assert verifier(bearer.credentials("read-token")) is READ
    assert verifier(bearer.credentials("admin-token")) is ADMIN
    assert verifier(bearer.credentials("other-token")) is None
    assert verifier(basic.encode("read-token", "")) is None
    assert verifier(Credentials(scheme="Bearer", token68="read-token")) is READ
    assert verifier.missing_scopes(READ, ["admin"]) == {"admin"}
    assert verifier.missing_scopes(ADMIN, ["admin", "read"]) == frozenset()
    assert verifier.has_scopes(ADMIN, ["admin"]) and not verifier.has_scopes(READ, ["admin"])


def test_bearer_table_is_keyed_by_hash_not_token() -> None:
    verifier = BearerVerifier({"secret-token-value": Principal(name="reader")})
    assert "secret-token-value" not in repr(vars(verifier))
    assert verifier.check("secret-token-value") == Principal(name="reader")


@pytest.mark.parametrize("odd", [None, False, 0, "", "a string", object()])
def test_odd_principal_never_holds_scopes(odd: object) -> None:
    assert scopes_of(odd) == frozenset()
    assert BearerVerifier.missing_scopes(odd, ["read"]) == {"read"}


class StrScopes:
    scopes = "read admin"


class BrokenScopes:
    @property
    def scopes(self) -> frozenset[str]:
        raise RuntimeError("boom")


class MixedScopes:
    scopes = frozenset({"read", 1})


@pytest.mark.parametrize("principal", [StrScopes(), BrokenScopes(), MixedScopes()])
def test_odd_scopes_are_none(principal: object) -> None:
    assert scopes_of(principal) == frozenset()


def test_bearer_table_needs_scoped_principals() -> None:
    with pytest.raises(TypeError, match="scopes"):
        BearerVerifier(cast(dict[str, Principal], {"t": "a name"}))
    with pytest.raises(TypeError, match="scopes"):
        AsyncBearerVerifier(cast(dict[str, Principal], {"t": StrScopes()}))


class OwnPrincipal:
    """A user's own principal type: anything with a set of str as ``scopes``."""

    def __init__(self, name: str, scopes: set[str]) -> None:
        self.name = name
        self.scopes = scopes


def test_own_principal_type() -> None:
    verifier = BearerVerifier({"t": OwnPrincipal("me", {"read"})})
    principal = verifier.check("t")
    assert principal is not None and principal.name == "me"
    assert verifier.missing_scopes(principal, ["read", "admin"]) == {"admin"}


def test_principal_validates() -> None:
    with pytest.raises(TypeError):
        Principal(name="x", scopes=cast(frozenset[str], {"read"}))
    with pytest.raises(TypeError):
        Principal(name=cast(str, None))
    assert "read" in repr(READ)


@pytest.mark.parametrize(
    "odd", [False, None, True, "read-token", StrScopes(), BrokenScopes(), MixedScopes()]
)
def test_bearer_lookup_refusals(odd: object) -> None:
    verifier = BearerVerifier(cast(Callable[[str], "Principal | None"], lambda token: odd))
    assert verifier.check("x") is None


def test_bearer_sync_refuses_async_lookup_and_discards_a_coroutine() -> None:
    async def lookup(token: str) -> Principal | None:
        return READ

    with pytest.raises(TypeError, match="AsyncBearerVerifier"):
        BearerVerifier(lookup)  # type: ignore[arg-type]
    sneaky = cast(Callable[[str], "Principal | None"], lambda token: lookup(token))
    assert BearerVerifier(sneaky).check("read-token") is None


def test_async_bearer_verifier() -> None:
    async def lookup(token: str) -> Principal | None:
        return {"read-token": READ}.get(token)

    async def run() -> None:
        verifier = AsyncBearerVerifier(lookup)
        assert await verifier(bearer.credentials("read-token")) is READ
        assert await verifier(bearer.credentials("nope")) is None
        table: AsyncBearerVerifier[Principal] = AsyncBearerVerifier({"admin-token": ADMIN})
        assert await table.check("admin-token") is ADMIN

    asyncio.run(run())


def test_generic_principal_types_check() -> None:
    """mypy sees the principal type through (checked by mypy --strict on this file)."""
    users: BasicVerifier[str] = BasicVerifier({"u": "p"})
    mapped: BasicVerifier[Principal] = BasicVerifier(
        {"u": "p"}, principal=lambda u: Principal(name=u)
    )
    tokens: BearerVerifier[Principal] = BearerVerifier({"t": READ})
    call: Callable[[Credentials, object], Awaitable[Principal | None]] = AsyncBearerVerifier(
        {"t": READ}
    )
    assert users.check("u", "p") == "u" and mapped.check("u", "p") == Principal(name="u")
    assert tokens.check("t") is READ and callable(call)


def test_docstring_examples() -> None:
    """tests/test_doctests.py skips wwwauth.integrations; these examples run here."""
    import doctest

    from wwwauth.integrations import verifiers

    result = doctest.testmod(verifiers)
    assert result.attempted > 5 and result.failed == 0
