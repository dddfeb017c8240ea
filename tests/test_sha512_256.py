"""SHA-512/256 for Digest's SHA-512-256: the pure-Python fallback against NIST and hashlib."""

from __future__ import annotations

import hashlib
import math
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwwauth.digest import _sha512_256

# FIPS 180-4 / NIST CSRC "Examples with Intermediate Values", SHA-512/256.
NIST_VECTORS = [
    pytest.param(
        b"abc", "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23", id="NIST-abc"
    ),
    pytest.param(
        b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        "3928e184fb8690f840da3988121d31be65cb9d3ef83ee6146feac861e19b563a",
        id="NIST-two-blocks",
    ),
]


def _hashlib_has_sha512_256() -> bool:
    try:
        hashlib.new("sha512_256")
    except ValueError:
        return False
    return True


needs_openssl_sha512_256 = pytest.mark.skipif(
    not _hashlib_has_sha512_256(), reason="this OpenSSL build has no sha512_256"
)


@pytest.mark.parametrize(("message", "expected"), NIST_VECTORS)
def test_pure_digest_matches_nist(message: bytes, expected: str) -> None:
    assert _sha512_256.pure_digest(message).hex() == expected


@pytest.mark.parametrize(("message", "expected"), NIST_VECTORS)
def test_hexdigest_matches_nist(message: bytes, expected: str) -> None:
    assert _sha512_256.hexdigest(message) == expected


def test_it_is_not_truncated_sha512() -> None:
    # SHA-512/256 differs from SHA-512 cut to 256 bits only by its initial hash value;
    # confusing the two is the mistake behind RFC 7616 §3.9.2's printed values.
    assert _sha512_256.pure_digest(b"abc") != hashlib.sha512(b"abc").digest()[:32]


@pytest.mark.parametrize("length", [0, 1, 55, 111, 112, 127, 128, 129, 239, 240, 256, 1000])
def test_padding_boundaries_against_hashlib_sha512(length: int) -> None:
    # The SHA-512 core, started from SHA-512's own initial value, is SHA-512: this checks
    # the compression and the padding (§5.1.2) at every block boundary.
    message = bytes(range(256)) * 4
    data = message[:length]
    assert (
        _sha512_256.sha512_family(data, _sha512_256.SHA512_IV, 64) == hashlib.sha512(data).digest()
    )


def _first_primes(count: int) -> list[int]:
    primes: list[int] = []
    candidate = 2
    while len(primes) < count:
        if all(candidate % p for p in primes if p * p <= candidate):
            primes.append(candidate)
        candidate += 1
    return primes


def _icbrt(n: int) -> int:
    root = int(n ** (1 / 3))
    while root**3 > n:
        root -= 1
    while (root + 1) ** 3 <= n:
        root += 1
    return root


def test_round_constants_are_the_cube_roots_of_the_first_eighty_primes() -> None:
    # FIPS 180-4 §4.2.3
    expected = tuple(_icbrt(p << 192) & (2**64 - 1) for p in _first_primes(80))
    assert expected == _sha512_256._K


def test_sha512_initial_value_is_the_square_roots_of_the_first_eight_primes() -> None:
    # FIPS 180-4 §5.3.5
    expected = tuple(math.isqrt(p << 128) & (2**64 - 1) for p in _first_primes(8))
    assert expected == _sha512_256.SHA512_IV


def test_sha512_256_initial_value_follows_the_iv_generation_function() -> None:
    # FIPS 180-4 §5.3.6: SHA-512/t IV = SHA-512 computed from (H(0) xor a5a5...a5) over "SHA-512/256"
    modified = tuple(word ^ 0xA5A5A5A5A5A5A5A5 for word in _sha512_256.SHA512_IV)
    words = struct.unpack(">8Q", _sha512_256.sha512_family(b"SHA-512/256", modified, 64))
    assert words == _sha512_256.SHA512_256_IV


@needs_openssl_sha512_256
@given(st.binary(max_size=600))
def test_pure_digest_agrees_with_hashlib(data: bytes) -> None:
    assert _sha512_256.pure_digest(data) == hashlib.new("sha512_256", data).digest()


def test_fallback_is_used_when_openssl_lacks_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN an OpenSSL build without sha512_256
    real_new = hashlib.new

    def new(name: str, *args: bytes) -> object:
        if name == "sha512_256":
            raise ValueError("unsupported hash type sha512_256")
        return real_new(name, *args)

    monkeypatch.setattr(hashlib, "new", new)
    with pytest.raises(ValueError, match="unsupported hash type"):
        hashlib.new("sha512_256", b"abc")
    # THEN the digest still comes out right
    assert (
        _sha512_256.hexdigest(b"abc")
        == "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23"
    )
