"""The scheme readers raise ParseError and nothing else, in linear time (issue 9).

Every public reader of every scheme module (``from_challenge``, ``from_credentials``,
``from_params``, ``token``, ``decode``, ``decode_token``, ``claims``, ``verify``, ...) is
listed once, in benchmarks/fuzz_readers.py, with the seed values and the payloads
that broke readers before. This file runs them: the defects found by the audit as
named tests, a hypothesis fuzz per scheme module, 256 KiB inputs, and a short run of the
driver itself (the 10**6 run is the driver's default, outside the suite).
"""

from __future__ import annotations

import base64
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwwauth import (
    ParseError,
    digest,
    negotiate,
    parse_authorization,
    parse_proxy_authorization,
)
from wwwauth.schemes import (
    MAX_INTEGER,
    HobaChallenge,
    MutualChallenge,
    MutualCredentials,
    PrivateTokenChallenge,
    PrivateTokenCredentials,
    ScramChallenge,
    TokenChallenge,
    VapidCredentials,
    scram_data,
)


def _load_driver() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "fuzz_readers.py"
    spec = importlib.util.spec_from_file_location("fuzz_readers", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_readers"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


driver = _load_driver()
MODULES = sorted({reader.module for reader in driver.SCHEME_READERS})


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _assert_only_parse_error(module: str, value: str | bytes) -> None:
    for reader in driver.SCHEME_READERS:
        if reader.module == module:
            escaped = driver.call_reader(reader, value)
            assert escaped is None, f"{reader.name} raised {escaped!r} on {value!r:.200}"


# --------------------------------------------------------------------------- the audit's findings


@pytest.mark.parametrize("reader", [negotiate.decode_token, negotiate.ntlm_message_type])
@pytest.mark.parametrize("token", ["\xe9", "TlRMTVNTUAABAAAAB4II\u00f6g==", "\u0100AAA"])
def test_negotiate_non_ascii_token_is_a_parse_error(reader: object, token: str) -> None:
    # WHEN a token holds a non-ASCII character (b64decode raised a bare ValueError)
    if reader is negotiate.ntlm_message_type:
        assert negotiate.ntlm_message_type(token) is None
        return
    with pytest.raises(ParseError) as caught:
        negotiate.decode_token(token)
    assert caught.value.message == "Expected base64 (RFC 4648 §4)"
    assert token not in str(caught.value)  # the source is masked


LONG_DIGITS = "1" * 5_000

INTEGER_READERS = [
    pytest.param(lambda v: HobaChallenge.from_challenge(f'HOBA challenge="x", max-age={v}'), id="hoba-max-age"),
    pytest.param(lambda v: MutualChallenge.from_challenge(f"Mutual version={v}"), id="mutual-version"),
    pytest.param(lambda v: MutualChallenge.from_challenge(f"Mutual nc-max={v}"), id="mutual-nc-max"),
    pytest.param(lambda v: MutualChallenge.from_challenge(f"Mutual nc-window={v}"), id="mutual-nc-window"),
    pytest.param(lambda v: MutualChallenge.from_challenge(f"Mutual time={v}"), id="mutual-time"),
    pytest.param(lambda v: MutualCredentials.from_credentials(f"Mutual nc={v}"), id="mutual-nc"),
    pytest.param(lambda v: MutualCredentials.from_credentials(f"Mutual version={v}"), id="mutual-c-version"),
    pytest.param(
        lambda v: PrivateTokenChallenge.from_challenge(f'PrivateToken challenge="AAAA", max-age={v}'),
        id="privatetoken-max-age",
    ),
]  # fmt: skip


@pytest.mark.parametrize("read", INTEGER_READERS)
@pytest.mark.parametrize("digits", [LONG_DIGITS, "9" * 6_000, str(MAX_INTEGER + 1)])
def test_integers_past_the_bound_are_parse_errors(read: object, digits: str) -> None:
    # Python's int() refuses more than 4300 digits with a ValueError of its own.
    assert callable(read)
    with pytest.raises(ParseError) as caught:
        read(digits)
    assert caught.value.message.endswith(f"as a non-negative decimal integer up to {MAX_INTEGER}")


def test_integers_up_to_the_bound_and_leading_zeros_read() -> None:
    assert MutualChallenge.from_challenge(f"Mutual time={MAX_INTEGER}").time == MAX_INTEGER
    assert MutualCredentials.from_credentials("Mutual nc=" + "0" * 5_000 + "7").nc == 7


def _vapid(claims: bytes) -> VapidCredentials:
    return VapidCredentials(t=f"eyJhbGciOiJFUzI1NiJ9.{_b64url(claims)}.c2ln", k="BA")


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="arrays-100000-deep"),
        pytest.param(b'{"a":' * 100_000 + b"1" + b"}" * 100_000, id="objects-100000-deep"),
        pytest.param(b'{"exp": ' + LONG_DIGITS.encode() + b"}", id="5000-digit-number"),
        pytest.param(b'{"aud": "\xff"}', id="not-utf-8"),
        pytest.param(b"\xff\xfe{\x00}\x00", id="utf-16"),
        pytest.param(b"not json", id="not-json"),
        pytest.param(b"[1, 2]", id="not-an-object"),
    ],
)
def test_vapid_claims_raise_only_parse_error(claims: bytes) -> None:
    with pytest.raises(ParseError) as caught:
        _vapid(claims).claims()
    assert "*" * 10 in caught.value.source  # t is a secret: masked


def test_vapid_claims_still_read() -> None:
    assert _vapid(b'{"aud":"https://push.example","exp":1}').claims() == {
        "aud": "https://push.example",
        "exp": 1,
    }


@pytest.mark.parametrize(
    "decode",
    [
        pytest.param(lambda: VapidCredentials(t="a.b.c", k="\xe9").public_key(), id="vapid-k"),
        pytest.param(lambda: VapidCredentials(t="a.b.c", k="BA").public_key(), id="vapid-k-short"),
        pytest.param(lambda: PrivateTokenChallenge(challenge="!!").token_challenge(), id="pt-challenge"),
        pytest.param(lambda: PrivateTokenChallenge(challenge="AAAA").token_challenge(), id="pt-truncated"),
        pytest.param(
            lambda: PrivateTokenChallenge(challenge="A", token_key="A").token_key_bytes(), id="pt-token-key"
        ),
        pytest.param(lambda: PrivateTokenCredentials(token="=A").token_bytes(), id="pt-token"),
        pytest.param(lambda: ScramChallenge(data="biw").message(), id="scram-padding"),
        pytest.param(lambda: scram_data({"data": "/w=="}), id="scram-not-utf-8"),
        pytest.param(lambda: TokenChallenge.decode(b"\x00\x02\x00\x01\xe9\x00\x00\x00"), id="tc-non-ascii"),
        pytest.param(lambda: TokenChallenge.decode(b"\x00\x02\x00\x01i\x00\x00\x01,"), id="tc-empty-origin"),
    ],
)  # fmt: skip
def test_decoders_raise_parse_error(decode: object) -> None:
    # These raised a bare ValueError (documented so); ParseError is a ValueError too.
    assert callable(decode)
    with pytest.raises(ParseError):
        decode()


def test_token_challenge_decode_points_at_the_octet() -> None:
    with pytest.raises(ParseError) as caught:
        TokenChallenge.decode(b"\x00\x02\x00\x05ab")
    assert str(caught.value) == (
        "TokenChallenge is truncated (RFC 9577 §2.1.1)\n    000200056162\n                ^"
    )


@pytest.mark.parametrize("parse", [parse_authorization, parse_proxy_authorization])
def test_lenient_reads_only_the_first_field_line(parse: object) -> None:
    assert callable(parse)
    # GIVEN two field lines that, joined with ", ", would read as one credentials
    lines = ["Digest username=a", "realm=b"]
    # THEN lenient mode reads the first line alone, as documented
    credentials = parse(lines, strict=False)
    assert dict(credentials.params) == {"username": "a"}
    assert parse(["Basic abc=", "Bearer x"], strict=False).token68 == "abc="
    assert parse([b"Bearer x", b"Basic abc="], strict=False).token68 == "x"
    # and strict mode still refuses several lines (RFC 9110 §5.3)
    with pytest.raises(ParseError):
        parse(lines)


# --------------------------------------------------------------------------- digest.verify: a bool


def _userhash_credentials() -> str:
    challenge = digest.challenge(realm="r", nonce="n", userhash=True)
    return str(digest.respond(challenge, username="u", password="p", method="GET", uri="/"))


def test_verify_userhash_with_only_a_password_is_false() -> None:
    # The client chose userhash=true: the server cannot check the hash without the name.
    assert digest.verify(_userhash_credentials(), method="GET", password="p") is False
    assert digest.verify(_userhash_credentials(), method="GET", password="p", username="u")


@pytest.mark.parametrize(
    ("algorithm", "stored", "expected"),
    [
        ("MD5", "SHA-256", False),  # the audit's case: raised ValueError
        ("MD5-sess", "SHA-512-256", False),
        ("SHA-256", "MD5", False),
        ("SHA-512-256", "SHA-256", False),  # same length, another hash: no match
        ("MD5", "MD5", True),
        ("SHA-256-sess", "SHA-256", True),
    ],
)
def test_verify_with_an_ha1_of_another_algorithm_is_false(
    algorithm: str, stored: str, expected: bool
) -> None:
    # GIVEN a server that stores H(A1) for one algorithm; the client chose `algorithm`
    challenge = digest.challenge(realm="r", nonce="n", algorithm=algorithm)
    credentials = digest.respond(challenge, username="u", password="p", method="GET", uri="/")
    ha1 = digest.compute_ha1("u", "r", "p", algorithm=stored)
    assert digest.verify(credentials, method="GET", ha1=ha1) is expected


def test_verify_authentication_info_is_false_for_client_choices() -> None:
    credentials = _userhash_credentials()
    info = digest.authentication_info(credentials, password="p", username="u")
    assert digest.verify_authentication_info(info, credentials, password="p", username="u")
    assert digest.verify_authentication_info(info, credentials, password="p") is False
    md5_ha1 = digest.compute_ha1("u", "r", "p", algorithm="MD5")
    assert digest.verify_authentication_info(info, credentials, ha1=md5_ha1) is False


def test_verify_raises_only_for_the_callers_misuse() -> None:
    credentials = _userhash_credentials()
    with pytest.raises(ValueError, match="give exactly one of password and ha1"):
        digest.verify(credentials, method="GET")
    with pytest.raises(ValueError, match="hex digest of a supported algorithm"):
        digest.verify(credentials, method="GET", ha1="zz")
    # whatever the credentials are: an unsupported algorithm does not hide the misuse
    sha1 = 'Digest username="u", realm="r", nonce="n", uri="/", response="x", algorithm=SHA-1'
    with pytest.raises(ValueError, match="hex digest of a supported algorithm"):
        digest.verify(sha1, method="GET", ha1="0" * 40)


def test_authentication_info_refuses_what_it_cannot_compute() -> None:
    with pytest.raises(ValueError, match="H\\(A1\\) cannot be computed"):
        digest.authentication_info(_userhash_credentials(), password="p")


# --------------------------------------------------------------------------- fuzz, per scheme module

_NASTY = ",\"\\= \t;'\xa0\x00\r\n\x7f\xff\x85/abAB09.%*\u0100\u20ac"


@st.composite
def _mutated_seed(draw: st.DrawFn, module: str) -> str:
    value: str = draw(st.sampled_from(driver.SEEDS.get(module, []) + driver.ALL_SEEDS))
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(value)))
        insert = draw(
            st.one_of(
                st.text(alphabet=_NASTY, max_size=3), st.sampled_from(driver.SPECIAL_PAYLOADS)
            )
        )
        drop = draw(st.integers(0, 3))
        value = value[:index] + insert + value[index + drop :]
    return value


def _inputs(module: str) -> st.SearchStrategy[str | bytes]:
    return st.one_of(
        st.text(max_size=60),
        st.text(alphabet=_NASTY, max_size=60),
        st.binary(max_size=60),
        _mutated_seed(module),
        _mutated_seed(module).map(lambda text: text.encode("utf-8")),
        st.sampled_from(driver.SPECIAL_SEEDS),
    )


@pytest.mark.parametrize("module", MODULES)
@given(data=st.data())
def test_scheme_readers_raise_only_parse_error(module: str, data: st.DataObject) -> None:
    _assert_only_parse_error(module, data.draw(_inputs(module)))


def test_every_scheme_module_has_readers() -> None:
    assert set(MODULES) == {
        "basic",
        "bearer",
        "decide",
        "digest",
        "dpop",
        "ext_value",
        "negotiate",
        "schemes",
    }


# ----------------------------------------------------------------------- 256 KiB inputs: linear time

# 256 KiB: large enough that quadratic work cannot finish, small enough to run fast.
SIZE = 1 << 18


_TOKEN68_GROWN = "QUFB" * (SIZE // 4)
# How each reader's seed grows to SIZE and stays valid, so that the reader's own code
# (not only the generic parser) runs on it. The default appends a SIZE parameter.
_GROWN: dict[str, str] = {
    "basic.": "Basic " + base64.b64encode(b"user:" + b"p" * SIZE).decode(),
    "bearer.": "Bearer " + _TOKEN68_GROWN,
    "dpop.": "DPoP " + _TOKEN68_GROWN,
    "negotiate.token": "Negotiate " + _TOKEN68_GROWN,
    "negotiate.": base64.b64encode(b"NTLMSSP\x00\x01\x00\x00\x00" + b"\x00" * SIZE).decode(),
    "ext_value.decode": "UTF-8''" + "%C3%A9" * (SIZE // 6),
    # RFC 9577 §2.1.1 bounds a TokenChallenge to about 128 KiB: the largest one.
    "TokenChallenge.": _b64url(
        TokenChallenge(
            token_type=2, issuer_name="i" * 0xFFFF, origin_info=("o" * 0x7FFF, "p" * 0x7FFF)
        ).encode()
    ),
}


def _grown(reader: object) -> str:
    name: str = reader.name  # type: ignore[attr-defined]  # the driver's Reader
    for prefix, value in _GROWN.items():
        if name.startswith(prefix):
            return value
    seed: str = reader.seed  # type: ignore[attr-defined]
    return seed + ', x="' + "\xe9\\a" * (SIZE // 3) + '"'


@pytest.mark.parametrize("reader", driver.SCHEME_READERS, ids=lambda reader: reader.name)
def test_large_inputs_complete(reader: object) -> None:
    # Not timed (timing lives in benchmarks/): a quadratic reader would not finish.
    assert driver.call_reader(reader, reader.seed) is None  # type: ignore[attr-defined]
    value = _grown(reader)
    assert driver.call_reader(reader, value) is None


def test_long_digit_runs_complete() -> None:
    # int() of n digits is not linear; the readers look at at most 19 of them.
    with pytest.raises(ParseError):
        HobaChallenge.from_challenge('HOBA challenge="x", max-age=' + "1" * SIZE)
    assert MutualCredentials.from_credentials("Mutual nc=" + "0" * SIZE).nc == 0


def test_deep_json_claims() -> None:
    depth = SIZE // 2
    with pytest.raises(ParseError):
        _vapid(b"[" * depth + b"]" * depth).claims()


# --------------------------------------------------------------------------- the driver itself


def test_driver_short_run_finds_nothing() -> None:
    report = driver.run(n=5_000, seed=1)
    assert report.calls >= 5_000
    assert report.failures == {}, report.failures


def test_driver_reports_an_escaping_exception() -> None:
    # The oracle can fail: a reader that raises something else is reported.
    def broken(value: object) -> object:
        raise KeyError(value)

    reader = driver.Reader("broken", "test", broken)
    report = driver.run(n=3, seed=0, readers=[reader])
    [failure] = report.failures.values()
    assert (failure.reader, failure.exception, failure.count) == ("broken", "KeyError", 3)
