"""The Basic scheme (RFC 7617): user-id and password, base64-encoded in a token68.

>>> from wwwauth import basic
>>> str(basic.encode("Aladdin", "open sesame"))
'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='
>>> basic.decode("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
('Aladdin', 'open sesame')

Decoding is strict: RFC 4648 base64 with its padding and zero pad bits, a user-pass with
a colon, no control characters. Every failure is a :class:`~wwwauth.ParseError` whose
message and echo never show the token68, the user-id or the password.

The user-id and password are encoded as given. RFC 7617 §2.1 asks a client that saw
``charset="UTF-8"`` to convert both to Unicode Normalization Form C first; do that with
``unicodedata.normalize("NFC", ...)`` before calling :func:`encode` (this module never
rewrites a password behind your back).
"""

from __future__ import annotations

import codecs
import functools
import re
from typing import Final

from ._abnf import CTL, CTL_RE, TOKEN68_CHAR
from ._base64 import Base64Error, decode_padded
from ._base64 import decode as decode_base64
from ._base64 import encode as encode_base64
from ._redact import redact_credentials, shown_scheme
from ._registry import AUTHORIZATION
from .errors import ParseError
from .model import Challenge, Credentials, ascii_lower
from .parsing import parse_authorization

__all__ = ["SCHEME", "challenge", "decode", "encode"]

SCHEME: Final = "Basic"

# RFC 7617 §2: "compatible with US-ASCII (mapping any US-ASCII character to a single
# octet matching the US-ASCII character code)".
_ASCII_SAMPLE: Final = "".join(map(chr, range(0x80)))


def _check_charset(charset: str) -> str:
    """The codec name for ``charset``, which must be ASCII-compatible (RFC 7617 §2)."""
    try:
        info = codecs.lookup(charset)
    except LookupError:
        raise ValueError(f"unknown charset {charset!r}") from None
    if _ASCII_SAMPLE.encode(info.name, "replace") != _ASCII_SAMPLE.encode("ascii"):
        raise ValueError(f"charset {charset!r} is not compatible with US-ASCII (RFC 7617 §2)")
    return info.name


# The codec of a charset, checked once per charset name (a lookup and two encodes).
_codec_of: Final = functools.lru_cache(maxsize=32)(_check_charset)


def challenge(realm: str, *, charset: str | None = None) -> Challenge:
    """Build a Basic challenge (RFC 7617 §2, §2.1).

    Args:
        realm: the protection space; always sent as a quoted-string (RFC 9110 §11.5).
            By position or keyword, as in every scheme's ``challenge`` builder
            (everything else is keyword-only).
        charset: ``"UTF-8"`` to ask for UTF-8 user-passes, or None to leave the
            encoding undefined (RFC 7617 §2.1 allows no other value).

    Returns:
        The challenge, e.g. ``Basic realm="WallyWorld"``.

    Raises:
        ValueError: ``charset`` is not UTF-8 (matched case-insensitively), or ``realm``
            holds a character a quoted-string cannot carry.

    >>> str(challenge("foo", charset="UTF-8"))
    'Basic realm="foo", charset=UTF-8'
    >>> challenge("foo") == challenge(realm="foo")  # realm by position or keyword
    True
    """
    try:
        # A server sends the same challenge again and again: the frozen result (and
        # with it its serialized text) is kept for the same arguments.
        return _kept_challenge(realm, charset)
    except TypeError:  # an unhashable argument: refused below with the usual message
        pass
    return _challenge(realm, charset)


def _challenge(realm: str, charset: str | None) -> Challenge:
    params = [("realm", realm)]
    if charset is not None:
        # RFC 7617 §2.1: 'The only allowed value is "UTF-8"; it is to be matched case-insensitively'
        if ascii_lower(charset) != "utf-8":
            raise ValueError(f"charset {charset!r} is not allowed: only 'UTF-8' (RFC 7617 §2.1)")
        params.append(("charset", charset))
    return Challenge(SCHEME, params)


# Bounded, so callers that put a fresh realm in each challenge do not grow it.
_kept_challenge: Final = functools.lru_cache(maxsize=64)(_challenge)


def encode(username: str, password: str, *, charset: str = "utf-8") -> Credentials:
    """Build Basic credentials from a user-id and password (RFC 7617 §2).

    Args:
        username: the user-id; it MUST NOT hold a colon or a control character.
        password: the password; it MUST NOT hold a control character.
        charset: the character encoding of the user-pass, ``"utf-8"`` by default
            (RFC 7617 §2.1); any ASCII-compatible Python codec, e.g. ``"iso-8859-1"``
            for servers that predate RFC 7617.

    Returns:
        The credentials; ``str()`` gives the Authorization field value.

    Raises:
        ValueError: the user-id holds ':' or a CTL, the password holds a CTL, a
            character cannot be encoded in ``charset``, or ``charset`` is unknown or not
            ASCII-compatible. The message never shows the password.

    >>> str(encode("test", "123£"))
    'Basic dGVzdDoxMjPCow=='
    """
    codec = _codec_of(charset)
    # RFC 7617 §2: "a user-id containing a colon character is invalid"
    if ":" in username:
        raise ValueError(f"the user-id holds ':' at index {username.index(':')} (RFC 7617 §2)")
    # RFC 7617 §2: "The user-id and password MUST NOT contain any control characters"
    for what, text in (("user-id", username), ("password", password)):
        for index, char in enumerate(text):
            if char in CTL:
                raise ValueError(
                    f"the {what} holds a control character at index {index} (RFC 7617 §2)"
                )
    try:
        user_pass = f"{username}:{password}".encode(codec)
    except UnicodeEncodeError as exc:
        # Report where, in which part, never what: the character may be the password's.
        what = "user-id" if exc.start < len(username) else "password"
        index = exc.start if what == "user-id" else exc.start - len(username) - 1
        raise ValueError(
            f"the {what} holds a character {charset!r} cannot encode at index {index}"
        ) from None
    # RFC 7617 §2: basic-credentials = base64 of the user-pass (RFC 4648 §4), a token68
    return Credentials(SCHEME, token68=encode_base64(user_pass))


# RFC 4648 via the one strict codec (_base64.py): what each of its refusals means here.
_BASE64_MESSAGES: Final = {
    "alphabet": "Expected a base64 character (RFC 4648 §4)",
    "padding": "Expected base64 padded with '=' to a multiple of four characters (RFC 4648 §4)",
    # RFC 4648 §3.5: pad bits MUST be zero; a decoder MAY reject them otherwise, and
    # a strict one does, so one user-pass has exactly one encoding.
    "pad-bits": "Expected canonical base64: the pad bits of the last character must be zero "
    "(RFC 4648 §3.5)",
}


def decode(credentials: Credentials | str | bytes, *, charset: str = "utf-8") -> tuple[str, str]:
    """Read the user-id and password of Basic credentials (RFC 7617 §2).

    Args:
        credentials: parsed credentials, or an Authorization field value (``str``, or
            ``bytes`` read as ISO-8859-1), parsed strictly.
        charset: the character encoding of the user-pass (``"utf-8"`` by default).

    Returns:
        ``(user_id, password)``, split at the first colon of the user-pass.

    Raises:
        ParseError: not Basic, no token68, not strict padded base64 (RFC 4648 §4, with
            zero pad bits, §3.5), not valid in ``charset``, no colon, or a control
            character in the user-id or password. Neither the message nor the echoed
            value shows the secret: the token68 is masked with ``*``.
        ValueError: ``charset`` is unknown or not ASCII-compatible.

    >>> decode("Basic dGVzdDoxMjPCow==")
    ('test', '123£')
    """
    # (codecs.lookup("utf-8").name is "utf-8": the default needs no lookup.)
    codec = "utf-8" if charset == "utf-8" else _codec_of(charset)
    if type(credentials) is str:
        # The fast path (see _decode_basic_text), its canonical form inlined.
        if credentials.startswith(_CANONICAL_PREFIXES):
            user_pass = decode_padded(credentials[6:])
            if user_pass is not None:
                try:
                    decoded = user_pass.decode(codec)
                except UnicodeDecodeError:
                    decoded = ""
                user_id, colon, password = decoded.partition(":")
                if colon and (decoded.isprintable() or _find_ctl(decoded) is None):
                    return user_id, password
        else:
            fast = _decode_basic_text(credentials, codec)
            if fast is not None:
                return fast
    return _decode_or_fail(credentials, codec, charset)


# RFC 9110 §11.4 credentials = auth-scheme 1*SP token68, with the OWS of §5.5 around the
# field value, and the auth-scheme "Basic" in any case: the value
# parse_authorization reads as Basic credentials with a token68 and nothing else.
_BASIC_TOKEN68_RE: Final = re.compile(
    "[ \t]*[Bb][Aa][Ss][Ii][Cc] +([" + re.escape("".join(sorted(TOKEN68_CHAR))) + "]+=*)[ \\t]*\\Z"
)
_match_basic: Final = _BASIC_TOKEN68_RE.match
_CANONICAL_PREFIXES: Final = ("Basic ", "basic ", "BASIC ")
_find_ctl: Final = CTL_RE.search


def _decode_basic_text(text: str, codec: str) -> tuple[str, str] | None:
    """The user-id and password of a well-formed Basic value, or None.

    The fast path of :func:`decode`: the same checks, each done in C, and None (never
    an error) for anything they refuse, so :func:`_decode_or_fail` reads the value
    again to say what is wrong.
    """
    if text.startswith(_CANONICAL_PREFIXES):
        # The canonical form "Basic <token68>" (one SP, no OWS): strict base64 is a
        # token68, so decoding it is the only check the token68 needs.
        token68 = text[6:]
    else:
        match = _match_basic(text)
        if match is None:
            return None
        token68 = match.group(1)
    user_pass = decode_padded(token68)
    if user_pass is None:
        return None
    try:
        decoded = user_pass.decode(codec)
    except UnicodeDecodeError:
        return None
    # RFC 7617 §2: a colon, and no CTL in the user-id or the password (':' is no CTL,
    # so one search over both is the check of each).
    user_id, colon, password = decoded.partition(":")
    # (isprintable is False for every CTL: a cheap "none here" before the search.)
    if not colon or (not decoded.isprintable() and _find_ctl(decoded) is not None):
        return None
    return user_id, password


def _decode_or_fail(
    credentials: Credentials | str | bytes, codec: str, charset: str
) -> tuple[str, str]:
    """:func:`decode`, step by step: what the fast path refused is refused here with
    the reason. The masked copy of the value is made only when an error is raised."""
    if isinstance(credentials, Credentials):
        parsed = credentials
        text = str(credentials)
        token68_start = len(credentials.scheme) + 1
        scheme_start = 0
    else:
        parsed = parse_authorization(credentials)
        text = credentials if isinstance(credentials, str) else credentials.decode("latin-1")
        scheme_start = len(text) - len(text.lstrip(" \t"))
        token68_start = len(text.rstrip(" \t")) - len(parsed.token68 or "")

    def fail(message: str, position: int, start: int | None = None) -> ParseError:
        span = (position if start is None else start, position + 1)
        source = redact_credentials(text)
        return ParseError(message, source, position, span=span, field=AUTHORIZATION)

    if ascii_lower(parsed.scheme) != "basic":
        alone = parsed.token68 is None and not parsed.params
        shown = shown_scheme(parsed.scheme, alone=alone)
        raise fail(f"Expected the Basic scheme, not {shown!r}", scheme_start)
    token68 = parsed.token68
    if token68 is None:
        raise fail(
            "Expected a token68 after 'Basic', not auth-params (RFC 7617 §2)",
            scheme_start + len(parsed.scheme) + 1,
        )
    end = token68_start + len(token68)
    try:
        # RFC 7617 §2: basic-credentials = base64 of the user-pass, padded (RFC 4648 §4)
        user_pass = decode_base64(token68)
    except Base64Error as exc:
        position = token68_start + exc.index
        raise fail(_BASE64_MESSAGES[exc.reason], position, token68_start) from exc
    try:
        decoded = user_pass.decode(codec)
    except UnicodeDecodeError as exc:
        raise fail(
            f"The decoded user-pass is not valid {charset} (RFC 7617 §2.1)", token68_start
        ) from exc
    user_id, colon, password = decoded.partition(":")
    if not colon:
        raise fail(
            "Expected ':' between user-id and password in the decoded user-pass (RFC 7617 §2)",
            end,
            token68_start,
        )
    for what, part in (("user-id", user_id), ("password", password)):
        if _find_ctl(part) is not None:
            raise fail(f"The decoded {what} holds a control character (RFC 7617 §2)", token68_start)
    return user_id, password
