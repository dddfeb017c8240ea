#!/usr/bin/env python3
"""Fuzz every public reader of wwwauth: a value or a ParseError, never anything else.

Run from the repository root:

    python benchmarks/fuzz_readers.py                 # 10**6 reader calls
    python benchmarks/fuzz_readers.py --n 20000 --seed 7

Every generated input goes to every reader that takes its type: the six generic
``parse_*`` functions in strict and lenient mode (``str``, ``bytes`` and lists of field
lines), and every scheme reader and decoder (``str`` and ``bytes``). One reader call is
one input of the count. The inputs are random text over the grammar's characters,
ASCII, obs-text and characters above U+00FF; random octets; valid values of every
scheme, mutated; and the payloads that broke readers before: digit runs of 5,000+
digits, JSON nested 100,000 deep inside a JWT, non-ASCII and obs-text characters.

A reader may return anything or raise ParseError. Any other exception is a failure
(a few builders-from-a-peer's-value, marked below, may also raise their documented
ValueError). The script prints the number of calls, the seconds, calls per second
and every distinct failure (reader and exception type, with one input that raised
it), and exits 1 when there was one. Nothing here asserts on time; the 1 MB inputs of
tests/test_scheme_fuzz.py show that the readers are linear.
"""

from __future__ import annotations

import argparse
import base64
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from wwwauth import (
    ParseError,
    basic,
    bearer,
    decide,
    digest,
    dpop,
    negotiate,
    parse_authentication_info,
    parse_authorization,
    parse_proxy_authenticate,
    parse_proxy_authentication_info,
    parse_proxy_authorization,
    parse_www_authenticate,
)
from wwwauth.ext_value import decode_ext_value, resolve_param
from wwwauth.schemes import (
    ConcealedCredentials,
    HobaChallenge,
    HobaResult,
    MutualChallenge,
    MutualCredentials,
    PrivateTokenChallenge,
    PrivateTokenCredentials,
    ScramChallenge,
    ScramCredentials,
    TokenChallenge,
    VapidCredentials,
    scram_data,
)

Text = str | bytes
FieldInput = str | bytes | list[str | bytes]


@dataclass(frozen=True)
class Reader:
    """One public reader, called on one generated input.

    Attributes:
        name: how the report names it.
        module: the wwwauth module it belongs to (tests group the readers by it).
        call: the call; takes ``str`` or ``bytes`` (``lines`` readers: a list too).
        lines: whether it takes a list of field lines.
        seed: a value the reader reads (tests grow it to 1 MB).
        lines: whether it takes a list of field lines.
        documented: exceptions it may raise besides ParseError (a builder answering
            a peer's value raises its documented ValueError for what it cannot answer).
    """

    name: str
    module: str
    call: Callable[[FieldInput], object]
    seed: str = ""
    lines: bool = False
    documented: tuple[type[Exception], ...] = ()


def _text(value: FieldInput) -> str:
    """A reader that takes ``str`` only reads ``bytes`` as ISO-8859-1, as a field value is."""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    assert isinstance(value, str)
    return value


def _scalar(value: FieldInput) -> Text:
    assert isinstance(value, (str, bytes))
    return value


# --------------------------------------------------------------------------- seeds

_PASSWORD = "Circle of Life"
_DIGEST_CHALLENGES = [
    digest.challenge(realm="http-auth@example.org", nonce="7ypf/xlj9XXwfDPEoM4URrv", opaque="FQhe"),
    digest.challenge(
        realm="api@example.org",
        nonce="5TsQWLVdgBdmrQ0Xsxb",
        algorithm="SHA-512-256",
        userhash=True,
        qop=("auth", "auth-int"),
        domain=("/a", "/b"),
    ),
    digest.challenge(realm="r", nonce="n", algorithm="MD5-sess", charset=None),
    digest.challenge(realm="r", nonce="n", algorithm="MD5", qop=(), charset=None),
]
_DIGEST_CREDENTIALS = [
    digest.respond(ch, username=name, password=_PASSWORD, method="GET", uri="/dir/index.html")
    for ch in _DIGEST_CHALLENGES
    for name in ("Mufasa", "J\u00e4s\u00f8n Doe")
    if not (name != "Mufasa" and ch.params.get("userhash"))
]
_DIGEST_INFO = digest.authentication_info(_DIGEST_CREDENTIALS[0], password=_PASSWORD)
_SHA256_HA1 = digest.compute_ha1("Mufasa", "http-auth@example.org", _PASSWORD)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


_P256_KEY = _b64url(b"\x04" + bytes(range(64)))
_JWT_HEADER = _b64url(b'{"typ":"JWT","alg":"ES256"}')


def _jwt(claims: bytes) -> str:
    return f"{_JWT_HEADER}.{_b64url(claims)}.c2ln"


def _vapid(claims: bytes) -> str:
    return f"vapid t={_jwt(claims)}, k={_P256_KEY}"


_TOKEN_CHALLENGE = TokenChallenge(
    token_type=2, issuer_name="issuer.example", origin_info=("a.example", "b.example")
)

SEEDS: dict[str, list[str]] = {
    "basic": ["Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", 'Basic realm="simple", charset="UTF-8"'],
    "bearer": [
        "Bearer mF_9.B5f-4.1JqM",
        'Bearer realm="example", error="invalid_token", error_description="expired", scope="a b"',
    ],
    "dpop": [
        "DPoP Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU",
        'DPoP algs="ES256 PS256", error="use_dpop_nonce", scope="openid"',
    ],
    "negotiate": [
        "Negotiate TlRMTVNTUAABAAAAB4IIog==",
        "NTLM TlRMTVNTUAACAAAAB4IIog==",
        "Negotiate",
    ],
    "digest": [
        *map(str, _DIGEST_CHALLENGES),
        *map(str, _DIGEST_CREDENTIALS),
        ", ".join(f"{name}={value}" for name, value in _DIGEST_INFO.items()),
    ],
    "ext_value": [
        "UTF-8''%c2%a3%20and%20%e2%82%ac%20rates",
        "Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm=r, nonce=n, uri=/, response=0f",
    ],
    "schemes": [
        'HOBA challenge="aGVsbG8=", max-age=10, realm="hoba@example.com"',
        "HOBA result=a2lk.aGVsbG8.bm9uY2U.c2ln",
        'Mutual version=1, algorithm=iso-kam3-dl-2048-sha256, realm="example.com", reason=initial',
        "Mutual sid=AAA, ks1=BBB, nc-max=10, nc-window=5, time=300, version=1",
        'Mutual version=1, user="john", kc1=AAAA',
        "Mutual sid=S, nc=0, vkc=VVV",
        'SCRAM-SHA-256 realm="testrealm@example.com", data=biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8K',
        'SCRAM-SHA-256 sid=AAAABBBBCCCCDDDD, data="dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQo="',
        _vapid(b'{"aud":"https://push.example","exp":1453523768}'),
        str(
            PrivateTokenChallenge.for_token_challenge(
                _TOKEN_CHALLENGE, token_key=b"key", max_age=10, realm="pt"
            ).to_challenge()
        ),
        f'PrivateToken token="{base64.urlsafe_b64encode(b"token").decode()}"',
        str(
            ConcealedCredentials(
                k=b"kid", a=b"key", p=b"proof", s=2055, v=b"v" * 16
            ).to_credentials()
        ),
    ],
}
ALL_SEEDS: list[str] = [seed for seeds in SEEDS.values() for seed in seeds]

# The payloads that made readers raise something else than ParseError (issue 9).
_DEEP_JSON = b"[" * 100_000 + b"]" * 100_000
SPECIAL_PAYLOADS: list[str] = [
    "1" * 5_000,
    "0" * 5_000 + "7",
    "9" * 20,
    "-1",
    "\xe9",
    "\xa0",
    "\x85",
    "\xff",
    "\u0100",
    "\u20ac",
    "\U0001f600",
    "\\",
    '"',
    "a,b",
]
SPECIAL_SEEDS: list[str] = [
    _vapid(_DEEP_JSON),
    _vapid(b"{" * 50_000),
    _vapid(b'{"exp": ' + b"1" * 5_000 + b"}"),
    _vapid(b"\xff\xfe{}"),
    'HOBA challenge="x", max-age=' + "1" * 5_000,
    "Mutual nc-max=" + "1" * 5_000,
    "Mutual nc=" + "2" * 6_000,
    'PrivateToken challenge="AAAA", max-age=' + "3" * 5_000,
    "Negotiate \xe9\xe9==",
]

# --------------------------------------------------------------------------- readers


def _field_readers() -> list[Reader]:
    parsers: list[Callable[..., object]] = [
        parse_www_authenticate,
        parse_proxy_authenticate,
        parse_authorization,
        parse_proxy_authorization,
        parse_authentication_info,
        parse_proxy_authentication_info,
    ]
    readers = []
    for parser in parsers:
        for strict in (True, False):

            def call(
                value: FieldInput, parser: Callable[..., object] = parser, strict: bool = strict
            ) -> object:
                return parser(value, strict=strict)

            mode = "strict" if strict else "lenient"
            readers.append(Reader(f"{parser.__name__}[{mode}]", "parsing", call, lines=True))
    return readers


def _negotiate_tokens(value: FieldInput) -> object:
    tokens = [negotiate.token(ch) for ch in parse_www_authenticate(_scalar(value))]
    return tokens, negotiate.token(parse_authorization(_scalar(value)))


_DECIDE_CHALLENGES = (bearer.challenge(realm="example"), basic.challenge("example"))


def _seed(prefix: str) -> str:
    """The first seed that starts with ``prefix``."""
    return next(seed for seed in ALL_SEEDS if seed.startswith(prefix))


def _scheme_readers() -> list[Reader]:
    s = _scalar
    creds0 = _DIGEST_CREDENTIALS[0]
    readers = [
        Reader("basic.decode", "basic", lambda v: basic.decode(s(v))),
        Reader("basic.decode[latin-1]", "basic", lambda v: basic.decode(s(v), charset="latin-1")),
        Reader("bearer.token", "bearer", lambda v: bearer.token(s(v))),
        Reader(
            "decide",
            "decide",
            lambda v: decide(challenges=_DECIDE_CHALLENGES, credentials=s(v), authenticated=False),
        ),
        Reader(
            "BearerChallenge.from_challenge",
            "bearer",
            lambda v: bearer.BearerChallenge.from_challenge(s(v)),
        ),
        Reader(
            "BearerChallenge.from_challenge[lenient]",
            "bearer",
            lambda v: bearer.BearerChallenge.from_challenge(s(v), strict=False),
        ),
        Reader("dpop.token", "dpop", lambda v: dpop.token(s(v))),
        Reader(
            "DPoPChallenge.from_challenge",
            "dpop",
            lambda v: dpop.DPoPChallenge.from_challenge(s(v)),
        ),
        Reader("negotiate.token", "negotiate", _negotiate_tokens),
        Reader("negotiate.decode_token", "negotiate", lambda v: negotiate.decode_token(_text(v))),
        Reader(
            "negotiate.ntlm_message_type",
            "negotiate",
            lambda v: negotiate.ntlm_message_type(_text(v)),
        ),
        Reader(
            "DigestChallenge.from_challenge",
            "digest",
            lambda v: digest.DigestChallenge.from_challenge(s(v)),
        ),
        Reader(
            "DigestCredentials.from_credentials",
            "digest",
            lambda v: digest.DigestCredentials.from_credentials(s(v)).nonce_count,
        ),
        Reader(
            "DigestAuthenticationInfo.from_params",
            "digest",
            lambda v: digest.DigestAuthenticationInfo.from_params(s(v)),
        ),
        Reader(
            "digest.verify[password]",
            "digest",
            lambda v: digest.verify(s(v), method="GET", password=_PASSWORD),
        ),
        Reader(
            "digest.verify[ha1]",
            "digest",
            lambda v: digest.verify(s(v), method="GET", ha1=_SHA256_HA1),
        ),
        Reader(
            "digest.verify[username]",
            "digest",
            lambda v: digest.verify(
                s(v), method="GET", password=_PASSWORD, username="Mufasa", body=b"x"
            ),
        ),
        Reader(
            "digest.verify_authentication_info[info]",
            "digest",
            lambda v: digest.verify_authentication_info(s(v), creds0, password=_PASSWORD),
        ),
        Reader(
            "digest.verify_authentication_info[credentials]",
            "digest",
            lambda v: digest.verify_authentication_info(_DIGEST_INFO, s(v), ha1=_SHA256_HA1),
        ),
        Reader(
            "digest.respond",
            "digest",
            lambda v: digest.respond(
                digest.DigestChallenge.from_challenge(s(v)),
                username="Mufasa",
                password=_PASSWORD,
                method="GET",
                uri="/",
            ),
            # RFC 7616 leaves the client unable to answer some challenges (an unknown
            # algorithm or charset, no qop it knows): respond documents a ValueError.
            documented=(ValueError,),
        ),
        Reader("ext_value.decode_ext_value", "ext_value", lambda v: decode_ext_value(_text(v))),
        Reader(
            "ext_value.resolve_param",
            "ext_value",
            lambda v: resolve_param(parse_authorization(s(v), strict=False).params, "username"),
        ),
        Reader(
            "HobaChallenge.from_challenge", "schemes", lambda v: HobaChallenge.from_challenge(s(v))
        ),
        Reader(
            "HobaResult.from_credentials", "schemes", lambda v: HobaResult.from_credentials(s(v))
        ),
        Reader(
            "MutualChallenge.from_challenge",
            "schemes",
            lambda v: MutualChallenge.from_challenge(s(v)),
        ),
        Reader(
            "MutualCredentials.from_credentials",
            "schemes",
            lambda v: MutualCredentials.from_credentials(s(v)),
        ),
        Reader(
            "ScramChallenge.message",
            "schemes",
            lambda v: ScramChallenge.from_challenge(s(v)).message(),
        ),
        Reader(
            "ScramCredentials.message",
            "schemes",
            lambda v: ScramCredentials.from_credentials(s(v)).message(),
        ),
        Reader("scram_data", "schemes", lambda v: scram_data(parse_authentication_info(s(v)))),
        Reader(
            "VapidCredentials.claims",
            "schemes",
            lambda v: VapidCredentials.from_credentials(s(v)).claims(),
        ),
        Reader(
            "VapidCredentials.public_key",
            "schemes",
            lambda v: VapidCredentials.from_credentials(s(v)).public_key(),
        ),
        Reader(
            "PrivateTokenChallenge.token_challenge",
            "schemes",
            lambda v: PrivateTokenChallenge.from_challenge(s(v)).token_challenge(),
        ),
        Reader(
            "PrivateTokenChallenge.token_key_bytes",
            "schemes",
            lambda v: PrivateTokenChallenge.from_challenge(s(v)).token_key_bytes(),
        ),
        Reader(
            "PrivateTokenCredentials.token_bytes",
            "schemes",
            lambda v: PrivateTokenCredentials.from_credentials(s(v)).token_bytes(),
        ),
        Reader("TokenChallenge.decode", "schemes", lambda v: TokenChallenge.decode(_octets(v))),
        Reader(
            "ConcealedCredentials.from_credentials",
            "schemes",
            lambda v: ConcealedCredentials.from_credentials(s(v)),
        ),
    ]
    seeds = {
        "basic.": "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        "bearer.": "Bearer mF_9.B5f-4.1JqM",
        "decide": "Bearer mF_9.B5f-4.1JqM",
        "BearerChallenge": _seed("Bearer realm"),
        "dpop.": _seed("DPoP Kz"),
        "DPoPChallenge": _seed("DPoP algs"),
        "negotiate.token": "Negotiate TlRMTVNTUAABAAAAB4IIog==",
        "negotiate.": "TlRMTVNTUAABAAAAB4IIog==",
        "DigestChallenge": str(_DIGEST_CHALLENGES[1]),
        "DigestAuthenticationInfo": _seed("qop="),
        "digest.verify_authentication_info[info]": _seed("qop="),
        "digest.respond": str(_DIGEST_CHALLENGES[0]),
        "Digest": str(creds0),
        "digest.": str(creds0),
        "ext_value.decode": _seed("UTF-8''"),
        "ext_value.": _seed("Digest username*"),
        "HobaChallenge": _seed("HOBA challenge"),
        "HobaResult": _seed("HOBA result"),
        "MutualChallenge": _seed("Mutual sid=AAA"),
        "MutualCredentials": _seed("Mutual version=1, user"),
        "ScramChallenge": _seed("SCRAM-SHA-256 sid"),
        "ScramCredentials": _seed("SCRAM-SHA-256 realm"),
        "scram_data": "data=biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8K",
        "Vapid": _seed("vapid"),
        "PrivateTokenChallenge": _seed("PrivateToken challenge"),
        "PrivateTokenCredentials": _seed("PrivateToken token"),
        "TokenChallenge": _b64url(_TOKEN_CHALLENGE.encode()),
        "Concealed": _seed("Concealed"),
    }
    return [
        replace(
            reader,
            seed=next(seed for prefix, seed in seeds.items() if reader.name.startswith(prefix)),
        )
        for reader in readers
    ]


def _octets(value: FieldInput) -> bytes:
    """The input as octets: bytes as given; text as ISO-8859-1, or base64 of it when it reads so."""
    if isinstance(value, bytes):
        return value
    text = _text(value)
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        return text.encode("utf-8", "surrogatepass")


FIELD_READERS: list[Reader] = _field_readers()
SCHEME_READERS: list[Reader] = _scheme_readers()
READERS: list[Reader] = FIELD_READERS + SCHEME_READERS

# --------------------------------------------------------------------------- inputs

_GRAMMAR = ",\"\\= \t;'\xa0\x00\r\n\x7f\xff/abAB09.*%-_~+"
_ALPHABETS = (
    _GRAMMAR,
    "".join(map(chr, range(0x20, 0x7F))),
    "".join(map(chr, range(0x100))),
    'abc=,"\\ \u0100\u20ac\U0001f600\xe9\xa0\x85',
    "0123456789",
)


def _random_text(rng: random.Random) -> str:
    alphabet = rng.choice(_ALPHABETS)
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(60)))


def _mutate(rng: random.Random, value: str) -> str:
    for _ in range(rng.randrange(1, 4)):
        index = rng.randrange(0, len(value) + 1)
        drop = rng.randrange(0, 4)
        insert = rng.choice(SPECIAL_PAYLOADS) if rng.random() < 0.05 else _random_text(rng)[:3]
        value = value[:index] + insert + value[index + drop :]
    return value


def _replace_value(rng: random.Random, value: str) -> str:
    """Replace one parameter value (after an '=') of ``value`` with a special payload."""
    equals = [i for i, char in enumerate(value) if char == "="]
    if not equals:
        return value + rng.choice(SPECIAL_PAYLOADS)
    start = rng.choice(equals) + 1
    end = start
    while end < len(value) and value[end] not in ", ":
        end += 1
    payload = rng.choice(SPECIAL_PAYLOADS)
    return value[:start] + (f'"{payload}"' if rng.random() < 0.5 else payload) + value[end:]


def generate(rng: random.Random) -> FieldInput:
    """One input: text, octets, a mutated valid value, a special payload, or field lines."""
    roll = rng.random()
    if roll < 0.15:
        value: FieldInput = _random_text(rng)
    elif roll < 0.25:
        value = bytes(rng.randrange(256) for _ in range(rng.randrange(60)))
    elif roll < 0.75:
        value = _mutate(rng, rng.choice(ALL_SEEDS))
    elif roll < 0.85:
        value = rng.choice(ALL_SEEDS)  # valid values must read (or fail cleanly) too
    elif roll < 0.95:
        value = _replace_value(rng, rng.choice(ALL_SEEDS))
    elif roll < 0.97:
        value = rng.choice(SPECIAL_SEEDS)
    else:
        value = [_mutate(rng, rng.choice(ALL_SEEDS)) for _ in range(rng.randrange(1, 4))]
    if isinstance(value, str) and rng.random() < 0.1:
        value = (
            value.encode("latin-1", "replace")
            if rng.random() < 0.5
            else value.encode("utf-8", "surrogatepass")
        )
    return value


# --------------------------------------------------------------------------- running


@dataclass
class Failure:
    reader: str
    exception: str
    message: str
    example: str
    count: int = 1


@dataclass
class Report:
    calls: int = 0
    seconds: float = 0.0
    failures: dict[tuple[str, str], Failure] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.calls / self.seconds if self.seconds else 0.0


def call_reader(reader: Reader, value: FieldInput) -> BaseException | None:
    """Run ``reader`` on ``value``; the exception it should not have raised, or None."""
    try:
        reader.call(value)
    except ParseError:
        return None
    except reader.documented:
        return None
    except Exception as exc:  # noqa: BLE001  # anything else (RecursionError too) is a finding
        return exc
    return None


def readers_for(value: FieldInput, readers: Sequence[Reader] = READERS) -> list[Reader]:
    return [reader for reader in readers if reader.lines or not isinstance(value, list)]


def run(n: int, seed: int = 0, readers: Sequence[Reader] = READERS) -> Report:
    """Call the readers on generated inputs until ``n`` calls have been made."""
    rng = random.Random(seed)
    report = Report()
    start = time.perf_counter()
    while report.calls < n:
        value = generate(rng)
        for reader in readers_for(value, readers):
            report.calls += 1
            exc = call_reader(reader, value)
            if exc is None:
                continue
            key = (reader.name, type(exc).__name__)
            if key in report.failures:
                report.failures[key].count += 1
            else:
                message = str(exc).splitlines()[0] if str(exc) else ""
                report.failures[key] = Failure(
                    reader.name, key[1], message[:200], repr(value)[:300]
                )
    report.seconds = time.perf_counter() - start
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--n", type=int, default=1_000_000, help="reader calls to make (default 10**6)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the input generator")
    args = parser.parse_args(argv)
    print(
        f"{len(READERS)} readers ({len(FIELD_READERS)} generic, {len(SCHEME_READERS)} scheme)",
        file=sys.stderr,
    )
    report = run(args.n, args.seed)
    print(f"inputs (reader calls): {report.calls}")
    print(f"seconds:               {report.seconds:.1f}")
    print(f"inputs/s:              {report.rate:,.0f}")
    print(f"failures:              {sum(f.count for f in report.failures.values())}")
    for failure in report.failures.values():
        print(f"  {failure.reader}: {failure.exception} x{failure.count}: {failure.message}")
        print(f"    e.g. {failure.example}")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
