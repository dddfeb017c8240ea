"""Character classes and element patterns of the grammar, each written once.

Every class is a frozenset of characters built from its ABNF; every regex class is
derived from the set by :func:`_regex_class`, so the two can never disagree.
"""

from __future__ import annotations

import re
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

# RFC 5234 App. B.1: ALPHA = %x41-5A / %x61-7A ; DIGIT = %x30-39
ALPHA: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
DIGIT: Final = frozenset("0123456789")
# RFC 5234 App. B.1: SP = %x20 ; HTAB = %x09 ; VCHAR = %x21-7E
SP: Final = " "
HTAB: Final = "\t"
VCHAR: Final = frozenset(map(chr, range(0x21, 0x7F)))
# RFC 5234 App. B.1: CTL = %x00-1F / %x7F
CTL: Final = frozenset(map(chr, [*range(0x20), 0x7F]))
# RFC 5234 App. B.1: HEXDIG = DIGIT / "A" / "B" / "C" / "D" / "E" / "F" (ABNF strings are
# case-insensitive, RFC 5234 §2.3, so a-f too)
HEXDIG: Final = DIGIT | frozenset("ABCDEFabcdef")

# RFC 9110 §5.6.3: OWS = *( SP / HTAB ) ; BWS = OWS
WHITESPACE: Final = frozenset(SP + HTAB)

# RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
#                          "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
TCHAR: Final = frozenset("!#$%&'*+-.^_`|~") | DIGIT | ALPHA

# RFC 9110 §5.5: obs-text = %x80-FF
OBS_TEXT: Final = frozenset(map(chr, range(0x80, 0x100)))

# RFC 9110 §5.6.4: qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
QDTEXT: Final = WHITESPACE | (VCHAR - frozenset('"\\')) | OBS_TEXT

# RFC 9110 §5.6.4: quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
QUOTED_PAIR_CHAR: Final = WHITESPACE | VCHAR | OBS_TEXT

# RFC 9110 §11.2: token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
TOKEN68_CHAR: Final = ALPHA | DIGIT | frozenset("-._~+/")

# The characters a value can carry: exactly what a quoted-string can hold (qdtext plus
# the quoted-pair escapes of '"' and '\'), so every value can be serialized.
VALUE_CHAR: Final = QUOTED_PAIR_CHAR

# RFC 6749 App. A: NQCHAR = %x21 / %x23-5B / %x5D-7E (scope-token, error_uri)
NQCHAR: Final = VCHAR - frozenset('"\\')
# RFC 6749 App. A: NQSCHAR = %x20-21 / %x23-5B / %x5D-7E (error, error_description)
NQSCHAR: Final = NQCHAR | frozenset(SP)


def _regex_class(chars: frozenset[str]) -> str:
    """Render a set of Latin-1 characters as a regex character class."""
    codes = sorted(ord(c) for c in chars)
    ranges: list[str] = []
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code == prev + 1:
            prev = code
            continue
        first, last = (re.escape(chr(start)), re.escape(chr(prev)))
        ranges.append(first if start == prev else f"{first}-{last}")
        start = prev = code
    return "[" + "".join(ranges) + "]"


_TCHAR: Final = _regex_class(TCHAR)
_QDTEXT: Final = _regex_class(QDTEXT)
_QUOTED_PAIR_CHAR: Final = _regex_class(QUOTED_PAIR_CHAR)
_TOKEN68_CHAR: Final = _regex_class(TOKEN68_CHAR)
_OWS: Final = "[ \t]*"

# Possessive repetition (Python 3.11+; plain on 3.10). Used only where what follows the
# run can never be one of its characters (a token before SP or "=", a token68 before
# "=", OWS or the end, qdtext before "\\" or DQUOTE, OWS before ",", SP or a list
# delimiter run before a token), so it matches exactly the same strings; it only stops
# the engine from giving characters back one by one when the match fails, which on a
# long malformed value cost ~15x a scan of it (and saves a little on every match).
_PLUS: Final = "++" if sys.version_info >= (3, 11) else "+"
_STAR: Final = "*+" if sys.version_info >= (3, 11) else "*"

# RFC 9110 §5.6.2: token = 1*tchar
TOKEN: Final = f"{_TCHAR}+"
TOKEN_RE: Final = re.compile(TOKEN)
_TOKEN_ATOMIC: Final = f"{_TCHAR}{_PLUS}"

# RFC 9110 §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
# Unrolled loop: qdtext and quoted-pair begin with disjoint characters ('\\' is not
# qdtext), so the nested quantifier matches each character one way only: linear.
_QUOTED_CONTENT: Final = f"{_QDTEXT}*(?:\\\\{_QUOTED_PAIR_CHAR}{_QDTEXT}*)*"
QUOTED_STRING: Final = f'"({_QUOTED_CONTENT})"'
QUOTED_STRING_RE: Final = re.compile(QUOTED_STRING)
_QUOTED_CONTENT_ATOMIC: Final = (
    f"{_QDTEXT}{_STAR}(?:\\\\{_QUOTED_PAIR_CHAR}{_QDTEXT}{_STAR}){_STAR}"
)
QUOTED_CONTENT_RE: Final = re.compile(_QUOTED_CONTENT_ATOMIC)

# RFC 9110 §11.2: token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
# followed by OWS; the caller checks that a list separator or the end comes next.
TOKEN68: Final = f"{_TOKEN68_CHAR}+=*"
_TOKEN68_ATOMIC: Final = f"{_TOKEN68_CHAR}{_PLUS}={_STAR}"
TOKEN68_RE: Final = re.compile(f"({_TOKEN68_ATOMIC}){_OWS}")

# RFC 9110 §11.4: credentials = auth-scheme [ 1*SP token68 ], in the form Basic and
# Bearer use, as the whole field value (with the OWS around it, §5.5): the scheme
# (group 1) and the token68 (group 2). Group 3 is None when the end follows; it is ""
# when something else does, so that a failed value is not read again to learn how far
# the token68 went (the parser goes on from there).
CREDENTIALS_TOKEN68_RE: Final = re.compile(
    f"{_OWS}({_TOKEN_ATOMIC}) {_PLUS}({_TOKEN68_ATOMIC})[ \t]{_STAR}(?:\\Z|())"
)

# RFC 9110 §11.2: auth-param = token BWS "=" BWS ( token / quoted-string )
# Groups: the name, a token value, a quoted-string's content (one of the two is None).
AUTH_PARAM: Final = f'({TOKEN}){_OWS}={_OWS}(?:({TOKEN})|"({_QUOTED_CONTENT})")'
_AUTH_PARAM_ATOMIC: Final = (
    f'({_TOKEN_ATOMIC})[ \t]{_STAR}=[ \t]{_STAR}(?:({_TOKEN_ATOMIC})|"({_QUOTED_CONTENT_ATOMIC})")'
)

# RFC 9110 §5.6.1.2: the next element of an #auth-param list, with the delimiter before
# it: OWS "," OWS and any empty elements (the language of OWS "," [ \t,]*).
NEXT_AUTH_PARAM_RE: Final = re.compile(f"[ \t]{_STAR},[ \t,]{_STAR}{_AUTH_PARAM_ATOMIC}")

# RFC 9110 §11.6.3: the first element of Authentication-Info's #auth-param, after any
# empty elements.
FIRST_AUTH_PARAM_RE: Final = re.compile(f"[ \t,]{_STAR}{_AUTH_PARAM_ATOMIC}")

# RFC 9110 §11.3: challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]; this reads
# its head: the delimiter before it in the #challenge list (§5.6.1.2), the auth-scheme
# (group 1) and, when 1*SP and an auth-param follow, that first auth-param (groups 2-4
# as AUTH_PARAM's; all None when no auth-param follows).
CHALLENGE_HEAD_RE: Final = re.compile(
    f"[ \t,]{_STAR}({_TOKEN_ATOMIC})(?: {_PLUS}{_AUTH_PARAM_ATOMIC})?"
)

# RFC 9110 §11.4: credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]; its head
# as CHALLENGE_HEAD_RE, after the OWS that may lead a field value (§5.5).
CREDENTIALS_HEAD_RE: Final = re.compile(
    f"[ \t]{_STAR}({_TOKEN_ATOMIC})(?: {_PLUS}{_AUTH_PARAM_ATOMIC})?"
)

# RFC 9110 §5.6.1.2: a recipient accepts #element => [ element ] *( OWS "," OWS [ element ] ),
# so any run of OWS and commas separates (or precedes, or ends) elements.
LIST_SEPARATOR_RE: Final = re.compile("[ \t,]*")  # the same language as OWS *( "," OWS )
OWS_RE: Final = re.compile(_OWS)

# quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ): unescaping keeps the second char.
QUOTED_PAIR_RE: Final = re.compile(r"\\(.)", re.DOTALL)

# Inputs: a str may hold only octets (RFC 9110 §5.5 field values are octets, read
# here as ISO-8859-1).
NOT_LATIN1_RE: Final = re.compile("[^\x00-\xff]")
# What a value can carry (see VALUE_CHAR); used by the model's validation.
NOT_VALUE_CHAR_RE: Final = re.compile(f"[^{_regex_class(VALUE_CHAR)[1:-1]}]")
TOKEN_FULL_RE: Final = re.compile(f"{TOKEN}\\Z")
# Any control character (CTL), and every CTL but HTAB: what a field value may never
# carry (RFC 9110 §5.5 allows HTAB inside a value, no other CTL).
CTL_RE: Final = re.compile(_regex_class(CTL))
CTL_BUT_HTAB_RE: Final = re.compile(_regex_class(CTL - frozenset(HTAB)))
TOKEN68_FULL_RE: Final = re.compile(f"{_TOKEN68_CHAR}+=*\\Z")


_ASCII_UPPER: Final = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(text: str) -> str:
    """Lower-case ASCII letters only (names are tokens; ``str.lower`` folds e.g. U+212A to 'k')."""
    return text.lower() if text.isascii() else text.translate(_ASCII_UPPER)


def is_token(text: str) -> bool:
    """Whether ``text`` is an RFC 9110 §5.6.2 token."""
    return TOKEN_FULL_RE.match(text) is not None


def is_token68(text: str) -> bool:
    """Whether ``text`` is an RFC 9110 §11.2 token68."""
    return TOKEN68_FULL_RE.match(text) is not None


# RFC 4648 §4: the base64 alphabet; §5: the base64url ("URL and filename safe") alphabet.
# The pad character "=" is in neither: the codec in _base64.py handles it apart.
BASE64_CHAR: Final = ALPHA | DIGIT | frozenset("+/")
BASE64URL_CHAR: Final = ALPHA | DIGIT | frozenset("-_")
