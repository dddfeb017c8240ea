"""DigestVerifier: cheap checks before per-user work, bounded replay state, the ``uri``.

Issue 9 found: with ``userhash=true`` and a nonce never issued, every user name was
hashed (8.9 ms per request with 8,000 users); the per-nonce counts had no bound; a
``uri`` of ``http://[/x`` raised ValueError (500); an absolute-form ``uri`` naming
another host was accepted; with the pure-Python SHA-512/256 an auth-int body was hashed
at 0.34 s per 256 KiB. Work is counted (calls, entries), never timed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwwauth import Credentials, digest
from wwwauth.integrations.server import STALE, DigestVerifier, RequestInfo

PASSWORD = "Circle of Life"
REALM = "api"


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


class CountingUsers(Mapping[str, str]):
    """A user table that counts every look at it."""

    def __init__(self, users: dict[str, str]) -> None:
        self._users = users
        self.looks = 0

    def __getitem__(self, name: str) -> str:
        self.looks += 1
        return self._users[name]

    def __iter__(self) -> Iterator[str]:
        self.looks += 1
        return iter(self._users)

    def __len__(self) -> int:
        return len(self._users)


def _users(count: int) -> dict[str, str]:
    return {"Mufasa": PASSWORD, **{f"user{index}": f"pw{index}" for index in range(count)}}


def _answer(
    verifier: DigestVerifier, *, nonce: str | None = None, uri: str = "/x", **options: Any
) -> Credentials:
    challenge = verifier.challenge()
    if nonce is not None:
        challenge = digest.challenge(
            realm=verifier.realm,
            nonce=nonce,
            algorithm=verifier.algorithm,
            userhash=challenge.params.get("userhash") == "true",
        )
    arguments: dict[str, Any] = {
        "username": "Mufasa",
        "password": PASSWORD,
        "method": "GET",
        "uri": uri,
        **options,
    }
    return digest.respond(challenge, **arguments)


def _request(target: str = "/x", host: str | None = "example.org", **options: Any) -> RequestInfo:
    headers = () if host is None else (("host", host),)
    return RequestInfo(method="GET", target=target, headers=headers, **options)


# --------------------------------------------------------------------------- cost


def test_forged_nonce_costs_no_user_lookup_and_no_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    users = CountingUsers(_users(8000))
    verifier = DigestVerifier(users, realm=REALM, userhash=True)
    hashed: list[str] = []
    real_hash = digest.hash_username

    def counting_hash(name: str, realm: str, *, algorithm: str = "SHA-256") -> str:
        hashed.append(name)
        return real_hash(name, realm, algorithm=algorithm)

    monkeypatch.setattr(digest, "hash_username", counting_hash)
    # GIVEN a nonce this verifier never issued (same length and form as its own)
    forged = verifier.new_nonce()[:-4] + "AAAA"
    assert not verifier.is_issued_nonce(forged)
    # THEN it is refused before the user table is looked at (was: 8,001 hashes)
    assert verifier(_answer(verifier, nonce=forged), _request()) is None
    assert (users.looks, hashed) == (0, [])


def test_userhash_names_are_hashed_once_not_per_request(monkeypatch: pytest.MonkeyPatch) -> None:
    users = _users(100)
    verifier = DigestVerifier(users, realm=REALM, userhash=True)
    hashed: list[str] = []
    real_hash = digest.hash_username

    def counting_hash(name: str, realm: str, *, algorithm: str = "SHA-256") -> str:
        hashed.append(name)
        return real_hash(name, realm, algorithm=algorithm)

    monkeypatch.setattr(digest, "hash_username", counting_hash)
    for count in range(1, 6):
        assert verifier(_answer(verifier, nc=count), _request()) == "Mufasa"
    assert len(hashed) == len(users)  # one index, five requests
    # A user added later is found: the index follows the number of users.
    users["Nala"] = "Pride Rock"
    assert verifier(_answer(verifier, username="Nala", password="Pride Rock"), _request()) == "Nala"
    # A user removed is refused at once, whatever the index says.
    del users["Nala"]
    users["Zazu"] = "x"  # same count: the stale index still maps Nala's hash, to no password
    assert verifier(_answer(verifier, username="Nala", password="Pride Rock"), _request()) is None


def test_is_issued_nonce() -> None:
    verifier = DigestVerifier({}, realm=REALM)
    other = DigestVerifier({}, realm=REALM)
    nonce = verifier.new_nonce()
    assert verifier.is_issued_nonce(nonce)
    assert not other.is_issued_nonce(nonce)  # another secret
    assert not verifier.is_issued_nonce(nonce + "=")  # one nonce, one spelling
    assert not verifier.is_issued_nonce("")
    assert not verifier.is_issued_nonce("\u00e9" * 48)
    assert not verifier.is_issued_nonce("A" * 100_000)


# --------------------------------------------------------------------------- replay state


def test_replay_state_never_exceeds_max_nonces() -> None:
    clock = Clock()
    verifier = DigestVerifier(_users(0), realm=REALM, clock=clock, max_nonces=5)
    answers = []
    for _ in range(40):
        clock.now += 0.01
        answer = _answer(verifier)
        answers.append(answer)
        assert verifier(answer, _request()) == "Mufasa"
        assert verifier.remembered_nonces <= 5
    assert verifier.remembered_nonces == 5
    # Every earlier answer, replayed, is refused: forgotten counts fail closed.
    for answer in answers:
        assert verifier(answer, _request()) is STALE
    # A forgotten nonce with a higher count is refused too (its count may have been higher).
    first_nonce = answers[0].params["nonce"]
    assert verifier(_answer(verifier, nonce=first_nonce, nc=99), _request()) is STALE
    # The nonces still remembered keep counting.
    last_nonce = answers[-1].params["nonce"]
    assert verifier(_answer(verifier, nonce=last_nonce, nc=2), _request()) == "Mufasa"


def test_replay_state_forgets_expired_nonces() -> None:
    clock = Clock()
    verifier = DigestVerifier(_users(0), realm=REALM, clock=clock, nonce_lifetime=10)
    for _ in range(20):
        assert verifier(_answer(verifier), _request()) == "Mufasa"
    assert verifier.remembered_nonces == 20
    clock.now += 11
    assert verifier(_answer(verifier), _request()) == "Mufasa"
    assert verifier.remembered_nonces == 1


def test_only_right_answers_are_remembered() -> None:
    verifier = DigestVerifier(_users(0), realm=REALM, max_nonces=3)
    for _ in range(10):
        assert verifier(_answer(verifier, password="wrong"), _request()) is None
    assert verifier.remembered_nonces == 0


def test_max_nonces_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_nonces"):
        DigestVerifier({}, realm=REALM, max_nonces=0)


# --------------------------------------------------------------------------- the uri


@pytest.mark.parametrize(
    "uri",
    ["http://[/x", "http://[::1/x", "http://h:99999/x", "http://h:port/x", "http://[v1.x]:/x"],
)
def test_malformed_uri_is_a_refusal(uri: str) -> None:
    verifier = DigestVerifier(_users(0), realm=REALM)
    assert verifier(_answer(verifier, uri=uri), _request()) is None


_URI_PARTS = st.sampled_from(
    ["http://", "https://", "HTTP://", "//", "[", "]", "::1", ":", "@", "example.org", "EXAMPLE.ORG",
     "evil.test", "%", "#", "?", "/x", "/", "80", "443", "\t", "\x00", "\u00e9", "\\", " "]
)  # fmt: skip


# RFC 9110 §4.2.1-2, RFC 3986 §3.2.3, §6.2.3: "/x" at example.org, default ports implied.
_OUR_ABSOLUTE_X = re.compile(
    r"(?i)(?:http://example\.org(?::0*80|:)?|https://example\.org(?::0*443|:)?)/x"
)


@given(st.one_of(st.lists(_URI_PARTS, max_size=8).map("".join), st.text(max_size=40)))
def test_any_uri_is_verified_or_refused_never_raises(uri: str) -> None:
    verifier = DigestVerifier(_users(0), realm=REALM)
    try:
        credentials = digest.respond(
            verifier.challenge(), username="Mufasa", password=PASSWORD, method="GET", uri=uri
        )
    except ValueError:
        return  # not a value the header can carry
    result = verifier(credentials, _request())
    assert result in ("Mufasa", None)
    if result == "Mufasa":  # only the target itself, or it in absolute-form at our authority
        assert uri == "/x" or _OUR_ABSOLUTE_X.fullmatch(uri), uri


@given(st.one_of(st.lists(_URI_PARTS, max_size=6).map("".join), st.text(max_size=30)))
def test_any_host_field_is_compared_or_refused_never_raises(host: str) -> None:
    verifier = DigestVerifier(_users(0), realm=REALM)
    credentials = digest.respond(
        verifier.challenge(),
        username="Mufasa",
        password=PASSWORD,
        method="GET",
        uri="http://example.org/x",
    )
    result = verifier(credentials, _request(host=host))
    ours = re.fullmatch(r"(?i)[ \t]*example\.org(:0*80|:)?[ \t]*", host)
    assert result == ("Mufasa" if ours else None)


@pytest.mark.parametrize(
    ("uri", "host", "accepted"),
    [
        ("http://example.org/x", "example.org", True),  # a proxy sent the absolute-form
        ("http://EXAMPLE.org/x", "example.ORG", True),  # host case-insensitive (RFC 3986 §3.2.2)
        ("http://example.org:80/x", "example.org", True),  # default port (RFC 9110 §4.2.1)
        ("http://example.org/x", "example.org:80", True),
        ("https://example.org/x", "example.org:443", True),
        ("http://example.org:8080/x", "example.org:8080", True),
        ("http://[::1]:8080/x", "[::1]:8080", True),
        ("http://evil.test/x", "example.org", False),  # another host: was accepted
        ("http://example.org:8080/x", "example.org", False),  # another port
        ("http://example.org/x", "example.org:8080", False),
        ("https://example.org/x", "example.org:80", False),
        ("http://user@example.org/x", "example.org", False),  # userinfo (RFC 9110 §4.2.4)
        ("http://example.org/x#f", "example.org", False),  # a fragment is no request-target
        ("ftp://example.org/x", "example.org", False),
        ("http://example.org/y", "example.org", False),  # another path
        ("http://example.org/x?q", "example.org", False),  # another query
        ("http://example.org/x", None, False),  # no authority known: absolute-form refused
        ("http://example.org/x", "example.org/", False),  # a Host that does not parse
        ("http://example.org/x", "[::1", False),
    ],
)
def test_absolute_form_uri_must_name_the_request_authority(
    uri: str, host: str | None, accepted: bool
) -> None:
    verifier = DigestVerifier(_users(0), realm=REALM)
    result = verifier(_answer(verifier, uri=uri), _request(host=host))
    assert result == ("Mufasa" if accepted else None)


def test_request_authority_is_preferred_over_the_host_field() -> None:
    verifier = DigestVerifier(_users(0), realm=REALM)
    answer = _answer(verifier, uri="http://example.org/x")
    request = _request(host="evil.test", authority="example.org:80")
    assert verifier(answer, request) == "Mufasa"
    assert verifier(answer, _request(host="example.org", authority="evil.test")) is None


def test_origin_form_proxy_target_still_matches_itself() -> None:
    # A forward proxy sees the absolute-form target and the same uri.
    verifier = DigestVerifier(_users(0), realm=REALM)
    uri = "http://origin.invalid/resource?q=1"
    assert verifier(_answer(verifier, uri=uri), _request(uri, host="origin.invalid")) == "Mufasa"


# --------------------------------------------------------------------------- auth-int


def _without_openssl_sha512_256(monkeypatch: pytest.MonkeyPatch) -> None:
    # As tests/test_sha512_256.py: an OpenSSL build without sha512_256.
    real_new = hashlib.new

    def new(name: str, *args: bytes, **kwargs: Any) -> Any:
        if name == "sha512_256":
            raise ValueError("unsupported hash type sha512_256")
        return real_new(name, *args, **kwargs)

    monkeypatch.setattr(hashlib, "new", new)


@pytest.mark.parametrize("algorithm", ["SHA-512-256", "sha-512-256-sess"])
def test_pure_python_sha512_256_refuses_auth_int_at_construction(
    algorithm: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _without_openssl_sha512_256(monkeypatch)
    with pytest.raises(ValueError, match="auth-int with SHA-512-256 needs OpenSSL"):
        DigestVerifier({}, realm=REALM, algorithm=algorithm, qop=("auth", "auth-int"))
    # qop=auth hashes only a few short strings: still offered
    assert DigestVerifier({}, realm=REALM, algorithm=algorithm).challenge().params["qop"] == "auth"
    # another algorithm with auth-int is fine
    DigestVerifier({}, realm=REALM, algorithm="SHA-256", qop=("auth-int",))


def test_pure_python_sha512_256_auth_int_is_refused_unhashed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN a verifier built while OpenSSL had it, and then the fallback
    verifier = DigestVerifier(_users(0), realm=REALM, algorithm="SHA-512-256", qop=("auth-int",))
    answer = _answer(verifier, qop="auth-int", body=b"abc")
    assert verifier(answer, _request(body=b"abc")) == "Mufasa"
    second = _answer(verifier, qop="auth-int", body=b"abc")
    _without_openssl_sha512_256(monkeypatch)
    hashed: list[int] = []

    def pure_digest(data: bytes) -> bytes:
        hashed.append(len(data))
        return b"\x00" * 32

    from wwwauth.digest import _sha512_256

    monkeypatch.setattr(_sha512_256, "pure_digest", pure_digest)
    # THEN the answer is refused without hashing anything
    assert verifier(second, _request(body=b"abc")) is None
    assert hashed == []


def test_auth_int_without_the_body_is_refused() -> None:
    verifier = DigestVerifier(_users(0), realm=REALM, qop=("auth-int",))
    # body=None: the middleware did not read the content (an empty body is b"")
    assert verifier(_answer(verifier, qop="auth-int"), _request()) is None
    assert verifier(_answer(verifier, qop="auth-int"), _request(body=b"")) == "Mufasa"


# --------------------------------------------------------------------------- issue 10


def _as_raw_octets(credentials: Credentials) -> Credentials:
    """The same credentials as curl, Chromium and wget send them: ``username="..."``
    holding the name's UTF-8 octets (read here, as any header, as ISO-8859-1)."""
    items = []
    for name, value in credentials.params.items():
        if name.lower() == "username*":
            decoded = digest.DigestCredentials.from_credentials(credentials).name
            items.append(("username", decoded.encode("utf-8").decode("latin-1")))
        else:
            items.append((name, value))
    return Credentials("Digest", items)


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-256", "SHA-512-256"])
@pytest.mark.parametrize("name", ["José", "Zoë", "\u4e2d\u6587", "\u20acuro"])
def test_raw_utf8_user_name_is_found(algorithm: str, name: str) -> None:
    # Issue 10: the name arrived as mojibake ("JosÃ©"), which no user table holds.
    verifier = DigestVerifier({name: PASSWORD}, realm=REALM, algorithm=algorithm)
    sent = _as_raw_octets(_answer(verifier, username=name))
    assert "username*" not in sent.params
    assert verifier(sent, _request()) == name
    # the same name as username* (RFC 8187) still works
    assert verifier(_answer(verifier, username=name), _request()) == name
    # and a wrong password is still refused
    assert (
        verifier(_as_raw_octets(_answer(verifier, username=name, password="x")), _request()) is None
    )


def test_raw_utf8_user_name_gets_authentication_info() -> None:
    verifier = DigestVerifier({"José": PASSWORD}, realm=REALM, nextnonce=True)
    answer = _answer(verifier, username="José")
    sent = _as_raw_octets(answer)
    assert verifier(sent, _request()) == "José"
    # was: ValueError("username does not match"), a 500 from the middleware
    info = verifier.authentication_info(sent, _request())
    assert info is not None and "nextnonce" in info
    # rspauth hashes the octets the client hashed (the same as its username* form)
    assert digest.verify_authentication_info(info, answer, password=PASSWORD)
    assert digest.verify_authentication_info(info, sent, password=PASSWORD)


def test_latin1_octets_that_are_not_utf8_are_read_as_iso_8859_1() -> None:
    # A name whose octets are not UTF-8 keeps the ISO-8859-1 reading (and its octets).
    verifier = DigestVerifier({"caf\u00e9": PASSWORD}, realm=REALM)
    challenge = verifier.challenge()
    ha1 = hashlib.sha256(b"caf\xe9:" + REALM.encode() + b":" + PASSWORD.encode()).hexdigest()
    credentials = digest.respond(
        challenge, username="x", password=PASSWORD, method="GET", uri="/x", cnonce="c"
    )
    view = digest.DigestCredentials.from_credentials(credentials)
    ha2 = hashlib.sha256(b"GET:/x").hexdigest()
    response = hashlib.sha256(f"{ha1}:{view.nonce}:00000001:c:auth:{ha2}".encode()).hexdigest()
    items = [
        ("username", "caf\u00e9")
        if k == "username"
        else ("response", response)
        if k == "response"
        else (k, v)
        for k, v in credentials.params.items()
    ]
    assert verifier(Credentials("Digest", items), _request()) == "caf\u00e9"


@pytest.mark.parametrize(
    ("uri", "target", "accepted"),
    [
        # curl through a forward proxy: absolute-form request line, path-form uri
        ("/x?y=1", "http://example.org/x?y=1", True),
        ("/x?y=1", "http://EXAMPLE.org:80/x?y=1", True),
        ("/x", "http://example.org/x", True),
        ("/", "http://example.org", True),  # RFC 9110 §4.2.3: an empty path is "/"
        ("/x?y=2", "http://example.org/x?y=1", False),  # another query
        ("/x", "http://example.org/x?y=1", False),
        ("/x?", "http://example.org/x", False),
        ("/z?y=1", "http://example.org/x?y=1", False),  # another path
        ("/x%2Fb", "http://example.org/x/b", False),  # the raw target keeps %2F apart
        # both absolute: the same origin, spelled alike or not
        ("http://example.org:80/x", "http://example.org/x", True),
        ("http://other.test/x", "http://example.org/x", False),  # another origin
        ("https://example.org/x", "http://example.org/x", False),
        ("http://example.org:8080/x", "http://example.org/x", False),
        # an absolute uri with an origin-form target is compared with the authority
        ("http://example.org/x?y=1", "/x?y=1", True),
        ("http://example.org/x?y=1", "/x?y=2", False),
        # targets that are neither form are never matched by another spelling
        ("/x", "*", False),
        ("/x", "example.org:80", False),
    ],
)
def test_uri_and_target_compared_across_origin_and_absolute_form(
    uri: str, target: str, accepted: bool
) -> None:
    verifier = DigestVerifier(_users(0), realm=REALM)
    result = verifier(_answer(verifier, uri=uri), _request(target))
    assert result == ("Mufasa" if accepted else None)


@pytest.mark.parametrize(
    ("uri", "target", "raw", "accepted"),
    [
        # wsgiref: no REQUEST_URI, PATH_INFO "/a/b" rebuilt as "/a/b"
        ("/a%2Fb", "/a/b", False, True),
        ("/a%2fb?q=%2F", "/a/b?q=%2F", False, True),
        ("/a%20b", "/a%20b", False, True),
        ("/a%2Fb", "/a/c", False, False),
        ("/a%2Fb?q=1", "/a/b?q=2", False, False),  # the query is raw in WSGI: exact
        ("/a%2Fb?q=%2F", "/a/b?q=/", False, False),
        ("http://example.org/a%2Fb", "/a/b", False, True),
        ("http://evil.test/a%2Fb", "/a/b", False, False),
        # a raw target is compared as sent
        ("/a%2Fb", "/a/b", True, False),
    ],
)
def test_uri_path_percent_decoded_when_the_target_was_rebuilt(
    uri: str, target: str, raw: bool, accepted: bool
) -> None:
    verifier = DigestVerifier(_users(0), realm=REALM)
    result = verifier(_answer(verifier, uri=uri), _request(target, target_is_raw=raw))
    assert result == ("Mufasa" if accepted else None)
