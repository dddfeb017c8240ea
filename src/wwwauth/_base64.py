"""The one strict RFC 4648 base64 codec: both alphabets, the padding rule, canonical bits.

Every scheme that carries base64 (Basic, Negotiate and NTLM, SCRAM, vapid, PrivateToken,
Concealed, HOBA) decodes through :func:`decode`, so one rule holds everywhere:

* RFC 4648 §4 (``urlsafe=False``) or §5 (``urlsafe=True``) alphabet, nothing else: no
  whitespace, no line breaks, no character of the other alphabet (§3.3: reject).
* The "=" padding as ``padded`` asks (§3.2): True requires it, False forbids it, None
  takes either; a length that no encoding has (one character past a quantum) never.
* Canonical pad bits (§3.5): an encoder sets the pad bits of the last character to
  zero, and a decoder MAY reject them otherwise. This one always does, for every
  scheme, so each octet string has exactly one encoding: ``TR==`` is refused where
  ``TQ==`` is ``b"M"``. Real encoders (Kerberos and NTLM libraries, browsers) write
  zero bits, so Negotiate needs no tolerant mode.
"""

from __future__ import annotations

import base64
import binascii
import re
import sys
from typing import Final, Literal

from ._abnf import BASE64_CHAR, BASE64URL_CHAR

__all__ = ["Base64Error", "decode", "decode_padded", "encode"]

# (characters after the last full quantum, "=" count) of a well-formed tail, RFC 4648 §4:
# a final quantum of 8 bits ends in "==", of 16 bits in "=", of 24 bits in nothing.
_PADDED_TAILS: Final = frozenset({(0, 0), (2, 2), (3, 1)})
_URLSAFE_TO_STANDARD: Final = str.maketrans("-_", "+/")
# RFC 4648 §4, Table 1: the alphabet in the order of the values 0-63.
_TABLE: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
# RFC 4648 §3.5: a last character with zero pad bits: after 2 characters of a final
# quantum (8 data bits) the low 4 bits, after 3 (16 data bits) the low 2. Both alphabets
# agree here: they differ only on the values 62 and 63, neither a multiple of 4.
_ZERO_PAD_BITS: Final = {2: frozenset(_TABLE[::16]), 3: frozenset(_TABLE[::4])}
# A character outside the alphabet, by alphabet (True: base64url), RFC 4648 §3.3.
_NOT_ALPHABET: Final = {
    urlsafe: re.compile("[^" + re.escape("".join(sorted(chars))) + "]")
    for urlsafe, chars in ((False, BASE64_CHAR), (True, BASE64URL_CHAR))
}

Reason = Literal["alphabet", "padding", "pad-bits"]


class Base64Error(ValueError):
    """``text`` is not a strict RFC 4648 encoding.

    Attributes:
        reason: ``"alphabet"`` (a character outside the alphabet), ``"padding"`` (the
            length or the "=" padding is wrong) or ``"pad-bits"`` (§3.5: non-zero).
        index: where in ``text``: the offending character, the end for a padding
            error, the last data character for pad bits.
    """

    def __init__(self, reason: Reason, index: int) -> None:
        super().__init__(f"not strict base64: {reason} at index {index}")
        self.reason: Reason = reason
        self.index = index


def _check_padding(tail: int, pad: int, padded: bool | None, end: int) -> None:
    """Raise Base64Error unless ``pad`` "=" after a body ending in ``tail`` characters is right."""
    if padded is False and pad:
        raise Base64Error("padding", end)
    full = (tail, pad) in _PADDED_TAILS
    bare = pad == 0 and tail != 1
    if not (full if padded else full or bare):
        raise Base64Error("padding", end + pad)


def decode(text: str, *, urlsafe: bool = False, padded: bool | None = True) -> bytes:
    """Decode ``text`` strictly (RFC 4648 §3.2, §3.3, §3.5, and §4 or §5).

    Args:
        text: the encoding; the empty string is the empty octet string.
        urlsafe: the §5 alphabet (``-`` and ``_``) instead of the §4 one (``+`` and ``/``).
        padded: True requires "=" padding, False forbids it, None accepts either.

    Raises:
        Base64Error: not such an encoding (a ValueError; ``text`` is never in its message).

    >>> decode("Zm9vYg=="), decode("Zm9vYg", padded=None), decode("-_8", urlsafe=True, padded=False)
    (b'foob', b'foob', b'\\xfb\\xff')
    """
    body = text.rstrip("=")
    bad = _NOT_ALPHABET[urlsafe].search(body)
    if bad is not None:
        raise Base64Error("alphabet", bad.start())
    tail = len(body) % 4
    _check_padding(tail, len(text) - len(body), padded, len(body))
    # RFC 4648 §3.5: the last character's pad bits (4 after 2 characters, 2 after 3) are 0.
    if tail and body[-1] not in _ZERO_PAD_BITS[tail]:
        raise Base64Error("pad-bits", len(body) - 1)
    standard = body.translate(_URLSAFE_TO_STANDARD) if urlsafe else body
    try:
        data = binascii.a2b_base64(standard + "=" * (-len(standard) % 4))
    except binascii.Error as exc:  # unreachable after the checks above; kept as a backstop
        raise Base64Error("padding", len(text)) from exc
    return data


if sys.version_info >= (3, 11):

    def decode_padded(text: str) -> bytes | None:
        """``decode(text)`` for the §4 alphabet with padding, or None where it raises.

        The fast path of a strict decoder: binascii's strict mode refuses in C what
        :func:`decode` refuses in Python (a character outside the alphabet, a wrong
        length or padding, data after the padding), which leaves the §3.5 pad bits.
        """
        try:
            data = binascii.a2b_base64(text, strict_mode=True)
        except (binascii.Error, ValueError):  # ValueError: a non-ASCII str
            return None
        # The padding again (3.13's strict mode takes "AAAA="): a padded encoding is
        # whole quanta, ending in no "=" (tail 0), one (tail 3) or two (tail 2); then
        # the pad bits of the last data character.
        if len(text) & 3:
            return None
        if not text.endswith("="):
            return data
        if text[-2] != "=":
            return data if text[-2] in _ZERO_PAD_BITS_AFTER_3 else None
        return data if text[-3] in _ZERO_PAD_BITS_AFTER_2 else None

    _ZERO_PAD_BITS_AFTER_2: Final = _ZERO_PAD_BITS[2]
    _ZERO_PAD_BITS_AFTER_3: Final = _ZERO_PAD_BITS[3]

else:  # Python 3.10: no strict mode in binascii

    def decode_padded(text: str) -> bytes | None:
        """``decode(text)`` for the §4 alphabet with padding, or None where it raises."""
        try:
            return decode(text)
        except Base64Error:
            return None


def encode(data: bytes, *, urlsafe: bool = False, padded: bool = True) -> str:
    """Encode ``data`` (RFC 4648 §4, or §5 when ``urlsafe``), with "=" padding when ``padded``.

    >>> encode(b"foob"), encode(b"\\xfb\\xff", urlsafe=True, padded=False)
    ('Zm9vYg==', '-_8')
    """
    raw = base64.urlsafe_b64encode(data) if urlsafe else base64.b64encode(data)
    text = raw.decode("ascii")
    return text if padded else text.rstrip("=")
