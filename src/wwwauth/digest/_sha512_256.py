"""SHA-512/256 (FIPS 180-4 §6.7), with a pure-Python fallback for Digest's ``SHA-512-256``.

RFC 7616 §3.2 names SHA-512/256 as Digest's backup algorithm, but ``hashlib`` only offers
it when the OpenSSL build does (``hashlib.new("sha512_256")`` raises ``ValueError`` on
some builds, e.g. LibreSSL and older macOS system Pythons). :func:`hexdigest` uses
OpenSSL when it can and this module's own SHA-512 core otherwise. The core is the
SHA-512 compression of FIPS 180-4 §6.4 started from the SHA-512/256 initial hash value of
§5.3.6, with the digest truncated to its leftmost 256 bits (§6.7). It is slow (pure
Python) but only ever hashes a few short Digest strings per request.
"""

from __future__ import annotations

import hashlib
import struct
from typing import Final

__all__ = ["digest", "hexdigest", "pure_digest"]

_MASK: Final = 0xFFFFFFFFFFFFFFFF

# FIPS 180-4 §4.2.3: the first 64 bits of the fractional parts of the cube roots of the
# first eighty primes (tests/test_sha512_256.py recomputes them from the primes).
_K: Final = (
    0x428A2F98D728AE22, 0x7137449123EF65CD, 0xB5C0FBCFEC4D3B2F, 0xE9B5DBA58189DBBC,
    0x3956C25BF348B538, 0x59F111F1B605D019, 0x923F82A4AF194F9B, 0xAB1C5ED5DA6D8118,
    0xD807AA98A3030242, 0x12835B0145706FBE, 0x243185BE4EE4B28C, 0x550C7DC3D5FFB4E2,
    0x72BE5D74F27B896F, 0x80DEB1FE3B1696B1, 0x9BDC06A725C71235, 0xC19BF174CF692694,
    0xE49B69C19EF14AD2, 0xEFBE4786384F25E3, 0x0FC19DC68B8CD5B5, 0x240CA1CC77AC9C65,
    0x2DE92C6F592B0275, 0x4A7484AA6EA6E483, 0x5CB0A9DCBD41FBD4, 0x76F988DA831153B5,
    0x983E5152EE66DFAB, 0xA831C66D2DB43210, 0xB00327C898FB213F, 0xBF597FC7BEEF0EE4,
    0xC6E00BF33DA88FC2, 0xD5A79147930AA725, 0x06CA6351E003826F, 0x142929670A0E6E70,
    0x27B70A8546D22FFC, 0x2E1B21385C26C926, 0x4D2C6DFC5AC42AED, 0x53380D139D95B3DF,
    0x650A73548BAF63DE, 0x766A0ABB3C77B2A8, 0x81C2C92E47EDAEE6, 0x92722C851482353B,
    0xA2BFE8A14CF10364, 0xA81A664BBC423001, 0xC24B8B70D0F89791, 0xC76C51A30654BE30,
    0xD192E819D6EF5218, 0xD69906245565A910, 0xF40E35855771202A, 0x106AA07032BBD1B8,
    0x19A4C116B8D2D0C8, 0x1E376C085141AB53, 0x2748774CDF8EEB99, 0x34B0BCB5E19B48A8,
    0x391C0CB3C5C95A63, 0x4ED8AA4AE3418ACB, 0x5B9CCA4F7763E373, 0x682E6FF3D6B2B8A3,
    0x748F82EE5DEFB2FC, 0x78A5636F43172F60, 0x84C87814A1F0AB72, 0x8CC702081A6439EC,
    0x90BEFFFA23631E28, 0xA4506CEBDE82BDE9, 0xBEF9A3F7B2C67915, 0xC67178F2E372532B,
    0xCA273ECEEA26619C, 0xD186B8C721C0C207, 0xEADA7DD6CDE0EB1E, 0xF57D4F7FEE6ED178,
    0x06F067AA72176FBA, 0x0A637DC5A2C898A6, 0x113F9804BEF90DAE, 0x1B710B35131C471B,
    0x28DB77F523047D84, 0x32CAAB7B40C72493, 0x3C9EBE0A15C9BEBC, 0x431D67C49C100D4C,
    0x4CC5D4BECB3E42B6, 0x597F299CFC657E2A, 0x5FCB6FAB3AD6FAEC, 0x6C44198C4A475817,
)  # fmt: skip

# FIPS 180-4 §5.3.5: SHA-512's initial hash value (used by the tests to check the core
# against hashlib.sha512, and by §5.3.6 to derive the SHA-512/t values below).
SHA512_IV: Final = (
    0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
    0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179,
)  # fmt: skip

# FIPS 180-4 §5.3.6.2: SHA-512/256's initial hash value H(0).
SHA512_256_IV: Final = (
    0x22312194FC2BF72C, 0x9F555FA3C84C64C2, 0x2393B86B6F53B151, 0x963877195940EABD,
    0x96283EE2A88EFFE3, 0xBE5E1E2553863992, 0x2B0199FC2C85B8AA, 0x0EB72DDC81C52CA2,
)  # fmt: skip

_BLOCK: Final = struct.Struct(">16Q")
_STATE: Final = struct.Struct(">8Q")


def _rotr(x: int, n: int) -> int:
    """FIPS 180-4 §3.2: ROTR^n(x) on a 64-bit word."""
    return ((x >> n) | (x << (64 - n))) & _MASK


def _compress(state: list[int], block: bytes) -> None:
    """FIPS 180-4 §6.4.2: process one 1024-bit block into ``state`` (in place)."""
    w = list(_BLOCK.unpack(block))
    for t in range(16, 80):
        # §4.1.3: sigma0 = ROTR^1 ^ ROTR^8 ^ SHR^7 ; sigma1 = ROTR^19 ^ ROTR^61 ^ SHR^6
        s0 = _rotr(w[t - 15], 1) ^ _rotr(w[t - 15], 8) ^ (w[t - 15] >> 7)
        s1 = _rotr(w[t - 2], 19) ^ _rotr(w[t - 2], 61) ^ (w[t - 2] >> 6)
        w.append((w[t - 16] + s0 + w[t - 7] + s1) & _MASK)
    a, b, c, d, e, f, g, h = state
    for t in range(80):
        # §4.1.3: Sigma1 = ROTR^14 ^ ROTR^18 ^ ROTR^41 ; Ch(e, f, g)
        big_s1 = _rotr(e, 14) ^ _rotr(e, 18) ^ _rotr(e, 41)
        choose = (e & f) ^ (~e & g)
        t1 = (h + big_s1 + choose + _K[t] + w[t]) & _MASK
        # §4.1.3: Sigma0 = ROTR^28 ^ ROTR^34 ^ ROTR^39 ; Maj(a, b, c)
        big_s0 = _rotr(a, 28) ^ _rotr(a, 34) ^ _rotr(a, 39)
        majority = (a & b) ^ (a & c) ^ (b & c)
        t2 = (big_s0 + majority) & _MASK
        a, b, c, d, e, f, g, h = (t1 + t2) & _MASK, a, b, c, (d + t1) & _MASK, e, f, g
    for index, value in enumerate((a, b, c, d, e, f, g, h)):
        state[index] = (state[index] + value) & _MASK


def sha512_family(data: bytes, iv: tuple[int, ...], digest_size: int) -> bytes:
    """The SHA-512 computation from ``iv``, truncated to ``digest_size`` bytes (FIPS 180-4 §6.4, §6.7)."""
    # §5.1.2: append bit 1, zeros to 896 mod 1024 bits, then the 128-bit message length.
    padded = (
        data + b"\x80" + b"\x00" * ((111 - len(data)) % 128) + (len(data) * 8).to_bytes(16, "big")
    )
    state = list(iv)
    for start in range(0, len(padded), 128):
        _compress(state, padded[start : start + 128])
    return _STATE.pack(*state)[:digest_size]


def pure_digest(data: bytes) -> bytes:
    """SHA-512/256 of ``data``, computed in pure Python (FIPS 180-4 §6.7).

    Args:
        data: the message.

    Returns:
        The 32-byte digest.

    >>> pure_digest(b"abc").hex()[:16]
    '53048e2681941ef9'
    """
    return sha512_family(bytes(data), SHA512_256_IV, 32)


def digest(data: bytes) -> bytes:
    """SHA-512/256 of ``data``: OpenSSL's when ``hashlib`` has it, else :func:`pure_digest`.

    Args:
        data: the message.

    Returns:
        The 32-byte digest.

    >>> digest(b"abc") == pure_digest(b"abc")
    True
    """
    try:
        return hashlib.new("sha512_256", data).digest()
    except ValueError:  # "unsupported hash type": this OpenSSL build lacks it
        return pure_digest(data)


def hexdigest(data: bytes) -> str:
    """SHA-512/256 of ``data`` as 64 lower-case hex digits (RFC 7616 §3.2).

    Args:
        data: the message.

    Returns:
        The hex digest.

    >>> hexdigest(b"abc")[-8:]
    '07e7af23'
    """
    return digest(data).hex()
