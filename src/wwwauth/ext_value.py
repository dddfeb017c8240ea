"""RFC 8187 ext-values: ``name*=UTF-8'en'%E2%82%AC%20rates`` for parameters that need non-ASCII text.

An auth-param value is octets (RFC 9110 §5.5); a parameter whose name ends in ``*`` carries
an ext-value instead: a charset, an optional language tag and percent-encoded octets
(RFC 8187 §3.2). Digest's ``username*`` (RFC 7616 §3.4) is the registered use in HTTP
authentication; any scheme may define others. When both ``x`` and ``x*`` are present,
``x*`` wins (:func:`resolve_param`), as RFC 8187 §4.2 recommends for recipients that
understand it.

Charsets: producers MUST use UTF-8 (RFC 8187 §3.2.1), so :func:`encode_ext_value`
writes UTF-8 unless asked for ISO-8859-1, the other charset RFC 5987 (which 8187
obsoletes) required recipients to support. :func:`decode_ext_value` reads both and
refuses any other (RFC 8187 reserves them for future use).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from ._abnf import ALPHA, DIGIT, HEXDIG, TCHAR
from .errors import ParseError

__all__ = [
    "ATTR_CHAR",
    "ExtValue",
    "decode_ext_value",
    "encode_ext_value",
    "is_ext_value_safe",
    "resolve_param",
]

Charset = Literal["UTF-8", "ISO-8859-1"]

# RFC 8187 §3.2.1: attr-char = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." /
#                              "^" / "_" / "`" / "|" / "~" ; token except ( "*" / "'" / "%" )
ATTR_CHAR: Final = TCHAR - frozenset("*'%")

# RFC 8187 §3.2.1: mime-charsetc = ALPHA / DIGIT / "!" / "#" / "$" / "%" / "&" / "+" / "-" /
#                                  "^" / "_" / "`" / "{" / "}" / "~"
MIME_CHARSETC: Final = ALPHA | DIGIT | frozenset("!#$%&+-^_`{}~")

# RFC 5646 §2.1: Language-Tag, checked for its shape only: subtags of 1-8 letters and
# digits joined by "-", the first all letters (langtag, privateuse "x-..." and the
# grandfathered tags all have it). Full well-formedness needs the IANA registry.
_LANGUAGE_RE: Final = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*\Z")

# RFC 8187 §3.2.1: charset = "UTF-8" / mime-charset, matched case-insensitively.
_CODECS: Final[Mapping[str, str]] = {"utf-8": "utf-8", "iso-8859-1": "latin-1"}
_CANONICAL: Final[Mapping[str, Charset]] = {"utf-8": "UTF-8", "iso-8859-1": "ISO-8859-1"}


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtValue:
    """A decoded RFC 8187 ext-value.

    Attributes:
        value: the text, decoded from the percent-encoded octets.
        charset: ``"UTF-8"`` or ``"ISO-8859-1"``, as canonically spelled.
        language: the language tag, or ``""`` when the ext-value has none.

    >>> ExtValue(value="£ rates", charset="ISO-8859-1", language="en").encode()
    "ISO-8859-1'en'%A3%20rates"
    """

    value: str
    charset: Charset = "UTF-8"
    language: str = ""

    def __post_init__(self) -> None:
        """Refuse what would not read back equal (:func:`decode_ext_value` spells the charset
        canonically).

        Raises:
            ValueError: a charset other than ``"UTF-8"`` and ``"ISO-8859-1"`` spelled so,
                a language that is not a language tag, or a value the charset cannot
                encode.
        """
        if self.charset not in _CANONICAL.values():
            raise ValueError(f"charset must be 'UTF-8' or 'ISO-8859-1', not {self.charset!r}")
        self.encode()

    def encode(self) -> str:
        """Serialize as an ext-value; see :func:`encode_ext_value`."""
        return encode_ext_value(self.value, charset=self.charset, language=self.language)


def is_ext_value_safe(text: str) -> bool:
    """Whether ``text`` can travel as a plain quoted-string without ambiguity.

    True for printable US-ASCII (VCHAR and SP): such text reads the same whatever charset
    the recipient assumes. Anything else (non-ASCII, controls) needs an ext-value.

    >>> is_ext_value_safe("Mufasa"), is_ext_value_safe("Jäsøn Doe")
    (True, False)
    """
    return text.isascii() and text.isprintable()


def encode_ext_value(value: str, *, charset: Charset = "UTF-8", language: str = "") -> str:
    """Encode ``value`` as an RFC 8187 ext-value (§3.2.1).

    Every character outside attr-char is encoded in ``charset`` and each octet written as
    ``%XX`` (upper-case hex, RFC 3986 §2.1).

    Args:
        value: the text.
        charset: ``"UTF-8"`` (the default; RFC 8187 §3.2.1 says producers MUST use it)
            or ``"ISO-8859-1"`` for recipients that only know RFC 5987.
        language: an RFC 5646 language tag, or ``""`` for none.

    Returns:
        The ext-value, e.g. ``UTF-8''J%C3%A4s%C3%B8n%20Doe``; it is always a token.

    Raises:
        ValueError: ``charset`` is neither UTF-8 nor ISO-8859-1, ``language`` is not a
            language tag, or ``value`` holds a character ``charset`` cannot encode
            (or a lone surrogate).

    >>> encode_ext_value("Jäsøn Doe")
    "UTF-8''J%C3%A4s%C3%B8n%20Doe"
    """
    codec = _CODECS.get(charset.lower())
    if codec is None:
        raise ValueError(f"charset {charset!r} is not UTF-8 or ISO-8859-1 (RFC 8187 §3.2.1)")
    if language and _LANGUAGE_RE.match(language) is None:
        raise ValueError(f"language {language!r} is not a language tag (RFC 5646 §2.1)")
    out: list[str] = []
    for index, char in enumerate(value):
        if char in ATTR_CHAR:
            out.append(char)
            continue
        try:
            octets = char.encode(codec)
        except UnicodeEncodeError:
            raise ValueError(
                f"character U+{ord(char):04X} at index {index} cannot be encoded in {charset}"
            ) from None
        out.append("".join(f"%{octet:02X}" for octet in octets))
    return f"{charset}'{language}'{''.join(out)}"


def _fail(message: str, text: str, position: int, start: int | None = None) -> ParseError:
    return ParseError(
        message, text, position, span=(position if start is None else start, position + 1)
    )


def decode_ext_value(text: str) -> ExtValue:
    """Decode an RFC 8187 ext-value (§3.2.1).

    ``ext-value = charset "'" [ language ] "'" value-chars``, where
    ``value-chars = *( pct-encoded / attr-char )``. Charset and language match
    case-insensitively; the language tag is returned as written.

    Args:
        text: the parameter value, e.g. ``UTF-8''%c2%a3%20and%20%e2%82%ac%20rates``.

    Returns:
        The decoded :class:`ExtValue`.

    Raises:
        ParseError: ``text`` is not an ext-value, names a charset other than UTF-8 or
            ISO-8859-1, or its octets are not valid in that charset. The error's
            ``source`` is ``text``.

    >>> decode_ext_value("UTF-8''%c2%a3%20and%20%e2%82%ac%20rates").value
    '£ and € rates'
    """
    first = text.find("'")
    if first == -1:
        raise _fail(
            'Expected "\'" after the charset of an ext-value (RFC 8187 §3.2.1)', text, len(text), 0
        )
    charset = text[:first]
    bad = next((i for i, char in enumerate(charset) if char not in MIME_CHARSETC), None)
    if bad is not None or not charset:
        position = first if bad is None else bad
        raise _fail("Expected a charset name in an ext-value (RFC 8187 §3.2.1)", text, position, 0)
    codec = _CODECS.get(charset.lower())
    if codec is None:
        raise _fail(
            f"Unsupported charset {charset!r} in an ext-value: expected UTF-8 or ISO-8859-1 "
            "(RFC 8187 §3.2.1)",
            text,
            0,
        )
    second = text.find("'", first + 1)
    if second == -1:
        raise _fail(
            'Expected "\'" after the language of an ext-value (RFC 8187 §3.2.1)',
            text,
            len(text),
            first + 1,
        )
    language = text[first + 1 : second]
    if language and _LANGUAGE_RE.match(language) is None:
        raise _fail("Expected a language tag (RFC 5646 §2.1)", text, first + 1)
    octets = bytearray()
    position = second + 1
    length = len(text)
    while position < length:
        char = text[position]
        if char == "%":
            pair = text[position + 1 : position + 3]
            if len(pair) < 2 or pair[0] not in HEXDIG or pair[1] not in HEXDIG:
                raise _fail(
                    "Expected two hex digits after '%' (RFC 8187 §3.2.1 pct-encoded)",
                    text,
                    position + 1 + len(_hex_prefix(pair)),
                    position,
                )
            octets.append(int(pair, 16))
            position += 3
        elif char in ATTR_CHAR:
            octets.append(ord(char))
            position += 1
        else:
            raise _fail(
                "Expected an attr-char or '%' in an ext-value (RFC 8187 §3.2.1)", text, position
            )
    try:
        value = bytes(octets).decode(codec)
    except UnicodeDecodeError as exc:
        raise _fail(
            f"The octets of an ext-value are not valid {_CANONICAL[charset.lower()]} "
            f"(octet {exc.start + 1} of {len(octets)})",
            text, second + 1,
        ) from exc  # fmt: skip
    return ExtValue(value=value, charset=_CANONICAL[charset.lower()], language=language)


def _hex_prefix(pair: str) -> str:
    """The leading hex digits of ``pair`` (to point the caret at the first bad one)."""
    for index, char in enumerate(pair):
        if char not in HEXDIG:
            return pair[:index]
    return pair


def resolve_param(params: Mapping[str, str], name: str) -> str | None:
    """The value of parameter ``name``, preferring the ext-value ``name*`` when present.

    RFC 8187 §4.2: a recipient that understands ext-values uses ``name*`` over ``name``.
    Lookup follows ``params`` (an :class:`~wwwauth.AuthParams` ignores case).

    Args:
        params: the auth-params of a challenge, credentials or Authentication-Info.
        name: the parameter name without the ``*``.

    Returns:
        The decoded ``name*`` value if present, else the ``name`` value, else None.

    Raises:
        ParseError: ``name*`` is present but is not a valid ext-value.

    >>> from wwwauth import AuthParams
    >>> resolve_param(AuthParams([("title", "EURO rates"), ("title*", "UTF-8''%e2%82%ac%20rates")]), "title")
    '€ rates'
    """
    extended = params.get(name + "*")
    if extended is not None:
        return decode_ext_value(extended).value
    return params.get(name)
