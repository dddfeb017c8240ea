"""What the scheme views of this package share: base64 parameters, integers, checks.

Reading and writing the parameters themselves is :class:`wwwauth._scheme.SchemeSpec`'s.
"""

from __future__ import annotations

from typing import Final

from .._abnf import DIGIT
from .._base64 import Base64Error
from .._base64 import decode as decode_base64
from .._base64 import encode as encode_base64
from .._scheme import SchemeSpec, param_error
from ..errors import ParseError
from ..model import Challenge, Credentials


def decoded_param(
    text: str, name: str, *, urlsafe: bool, padded: bool | None, secret: bool
) -> bytes:
    """:func:`wwwauth._base64.decode` of parameter ``name``'s value, a failure as a ParseError.

    The error's ``source`` is the value alone, masked with ``*`` when it is a secret
    (a parameter of credentials).
    """
    try:
        return decode_base64(text, urlsafe=urlsafe, padded=padded)
    except Base64Error as exc:
        form = "base64url" if urlsafe else "base64"
        rule = {True: " with padding", False: " without padding", None: ""}[padded]
        raise value_error(
            f"Expected {name} as {form}{rule} (RFC 4648)", text, secret=secret
        ) from exc


def value_error(message: str, text: str, *, secret: bool) -> ParseError:
    """A ParseError about what a parameter's value carries, ``source`` the value alone."""
    source = "*" * len(text) if secret else text
    return ParseError(message, source, 0, span=(0, max(len(text), 1)))


def b64url(data: bytes, *, padded: bool) -> str:
    return encode_base64(data, urlsafe=True, padded=padded)


# Not an RFC limit: RFC 7486, 8120 and 9577 leave their integers unbounded. A signed
# 64-bit integer holds every value that has a meaning (seconds, counters, versions), and
# the bound keeps reading linear: int() of n digits is not, and Python refuses more than
# 4300 of them with a ValueError of its own.
MAX_INTEGER: Final = 2**63 - 1
_MAX_DIGITS: Final = len(str(MAX_INTEGER))


def read_int(value: Challenge | Credentials, name: str) -> int | None:
    """Parameter ``name`` as a non-negative decimal integer up to :data:`MAX_INTEGER`, or None."""
    text = value.params.get(name)
    if text is None:
        return None
    if not text or any(char not in DIGIT for char in text):
        raise param_error(value, name, f"Expected {name} as a non-negative decimal integer")
    digits = text.lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS or int(digits) > MAX_INTEGER:
        raise param_error(
            value, name, f"Expected {name} as a non-negative decimal integer up to {MAX_INTEGER}"
        )
    return int(digits)


def check_integers(view: object, *names: str) -> None:
    """Raise ValueError unless each attribute ``names`` of ``view`` is None or 0..MAX_INTEGER.

    What a reader refuses, a builder must not write: a negative integer would go out as
    ``-1``, which no reader of the scheme accepts.
    """
    for name in names:
        number = getattr(view, name)
        if number is not None and not 0 <= number <= MAX_INTEGER:
            raise ValueError(f"{name} must be an integer from 0 to {MAX_INTEGER}, not {number}")


def check_fields(view: object, spec: SchemeSpec) -> None:
    """Raise ValueError for a view its reader would not read back as built.

    The integers ``spec`` reads with :func:`read_int` must be None or 0..MAX_INTEGER,
    then :meth:`wwwauth._scheme.SchemeSpec.check`.
    """
    check_integers(view, *spec.attributes(read_int))
    spec.check(view)
