"""What the scheme views of this package share: base64 parameters, integers, checks."""

from __future__ import annotations

import base64
import binascii
import string
from typing import Final

from .._scheme import (
    check_extension_names,
    param_error,
)
from ..errors import ParseError
from ..model import Challenge, Credentials

# RFC 4648 §5: the base64url alphabet ("=" padding is handled apart).
BASE64URL_CHAR: Final = frozenset(string.ascii_letters + string.digits + "-_")
_BASE64_CHAR: Final = frozenset(string.ascii_letters + string.digits + "+/")
_BASE64URL_PADDED: Final = BASE64URL_CHAR | {"="}
_DIGITS: Final = frozenset(string.digits)
_NONZERO: Final = _DIGITS - {"0"}


def _decode_base64(text: str, alphabet: frozenset[str], *, padded: bool | None) -> bytes:
    """Strict RFC 4648 decode: the alphabet, the padding rule, canonical pad bits.

    ``padded``: True requires "=" padding, False forbids it, None accepts either.

    Raises:
        ValueError: ``text`` is not such an encoding.
    """
    body = text.rstrip("=")
    pad = len(text) - len(body)
    if any(char not in alphabet for char in body):
        raise ValueError("not in the alphabet")
    if padded is False and pad:
        raise ValueError("padded")
    full = (len(body) % 4, pad) in {(0, 0), (2, 2), (3, 1)}
    bare = pad == 0 and len(body) % 4 != 1
    if not (full if padded else (full or bare)):
        raise ValueError("bad padding")
    standard = body.translate(str.maketrans("-_", "+/")) if alphabet is BASE64URL_CHAR else body
    try:
        data = base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
    except binascii.Error as exc:  # unreachable after the checks above
        raise ValueError("not base64") from exc
    again = base64.b64encode(data).decode("ascii").rstrip("=")
    if again != standard:
        raise ValueError("non-zero pad bits")  # RFC 4648 §3.5
    return data


def _decoded_param(
    text: str, name: str, alphabet: frozenset[str], *, padded: bool | None, secret: bool
) -> bytes:
    """:func:`_decode_base64` of parameter ``name``'s value, a failure as a ParseError.

    The error's ``source`` is the value alone, masked with ``*`` when it is a secret
    (a parameter of credentials).
    """
    try:
        return _decode_base64(text, alphabet, padded=padded)
    except ValueError as exc:
        form = "base64url" if alphabet is BASE64URL_CHAR else "base64"
        rule = {True: " with padding", False: " without padding", None: ""}[padded]
        raise _value_error(
            f"Expected {name} as {form}{rule} (RFC 4648)", text, secret=secret
        ) from exc


def _value_error(message: str, text: str, *, secret: bool) -> ParseError:
    """A ParseError about what a parameter's value carries, ``source`` the value alone."""
    source = "*" * len(text) if secret else text
    return ParseError(message, source, 0, span=(0, max(len(text), 1)))


def _b64url(data: bytes, *, padded: bool) -> str:
    text = base64.urlsafe_b64encode(data).decode("ascii")
    return text if padded else text.rstrip("=")


# Not an RFC limit: RFC 7486, 8120 and 9577 leave their integers unbounded. A signed
# 64-bit integer holds every value that has a meaning (seconds, counters, versions), and
# the bound keeps reading linear: int() of n digits is not, and Python refuses more than
# 4300 of them with a ValueError of its own.
MAX_INTEGER: Final = 2**63 - 1
_MAX_DIGITS: Final = len(str(MAX_INTEGER))


def _read_int(value: Challenge | Credentials, name: str) -> int | None:
    """Parameter ``name`` as a non-negative decimal integer up to :data:`MAX_INTEGER`, or None."""
    text = value.params.get(name)
    if text is None:
        return None
    if not text or any(char not in _DIGITS for char in text):
        raise param_error(value, name, f"Expected {name} as a non-negative decimal integer")
    digits = text.lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS or int(digits) > MAX_INTEGER:
        raise param_error(
            value, name, f"Expected {name} as a non-negative decimal integer up to {MAX_INTEGER}"
        )
    return int(digits)


def _check_integers(view: object, *names: str) -> None:
    """Raise ValueError unless each attribute ``names`` of ``view`` is None or 0..MAX_INTEGER.

    What a reader refuses, a builder must not write: a negative integer would go out as
    ``-1``, which no reader of the scheme accepts.
    """
    for name in names:
        number = getattr(view, name)
        if number is not None and not 0 <= number <= MAX_INTEGER:
            raise ValueError(f"{name} must be an integer from 0 to {MAX_INTEGER}, not {number}")


def _check_extensions(view: object, known: frozenset[str]) -> None:
    """:func:`check_extension_names` for a view of this module (each has ``extensions``)."""
    check_extension_names(view, getattr(view, "extensions"), known)  # noqa: B009  # every view has it


def _require(value: Challenge | Credentials, names: tuple[str, ...], rfc: str) -> None:
    for name in names:
        if name not in value.params:
            raise param_error(value, name, f"Expected a {name!r} parameter ({rfc})")
