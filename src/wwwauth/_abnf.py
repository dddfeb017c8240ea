"""Character classes and element patterns of the grammar, each written once.

Every class is a frozenset of characters built from its ABNF; every regex class is
derived from the set by :func:`_regex_class`, so the two can never disagree.
"""

from __future__ import annotations

import re
import string
from typing import Final

# RFC 5234 App. B.1: ALPHA = %x41-5A / %x61-7A ; DIGIT = %x30-39
ALPHA: Final = frozenset(string.ascii_letters)
DIGIT: Final = frozenset(string.digits)
# RFC 5234 App. B.1: SP = %x20 ; HTAB = %x09 ; VCHAR = %x21-7E
SP: Final = " "
HTAB: Final = "\t"
VCHAR: Final = frozenset(map(chr, range(0x21, 0x7F)))
# RFC 5234 App. B.1: CTL = %x00-1F / %x7F
CTL: Final = frozenset(map(chr, [*range(0x00, 0x20), 0x7F]))

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

# RFC 9110 §5.6.2: token = 1*tchar
TOKEN: Final = f"{_TCHAR}+"
TOKEN_RE: Final = re.compile(TOKEN)

# RFC 9110 §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
# Unrolled loop: qdtext and quoted-pair begin with disjoint characters ('\' is not
# qdtext), so the nested quantifier matches each character one way only: linear.
QUOTED_STRING: Final = f'"({_QDTEXT}*(?:\\\\{_QUOTED_PAIR_CHAR}{_QDTEXT}*)*)"'
QUOTED_STRING_RE: Final = re.compile(QUOTED_STRING)

# RFC 9110 §11.2: token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
# followed by OWS; the caller checks that a list separator or the end comes next.
TOKEN68_RE: Final = re.compile(f"({_TOKEN68_CHAR}+=*){_OWS}")

# RFC 9110 §11.2: auth-param = token BWS "=" BWS ( token / quoted-string )
# One element, then the list delimiter that may follow it (§5.6.1.2: OWS "," OWS, with
# empty elements, is the language of [ \t,]*). Group 1 is the name, group 2 a token
# value, group 3 a quoted-string's content, group 4 the delimiter when it has a comma.
AUTH_PARAM_RE: Final = re.compile(
    f"({TOKEN}){_OWS}={_OWS}(?:({TOKEN})|{QUOTED_STRING}){_OWS}(,[ \t,]*)?"
)

# RFC 9110 §11.2: auth-scheme = token, then 1*SP before its token68 or auth-params.
# It starts a list element, so the list delimiter before it comes first (§5.6.1.2).
# Group 1 is the scheme; group 2 the spaces (empty when the challenge ends here).
AUTH_SCHEME_RE: Final = re.compile(f"[ \t,]*({TOKEN})( *)")

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
TOKEN68_FULL_RE: Final = re.compile(f"{_TOKEN68_CHAR}+=*\\Z")


def is_token(text: str) -> bool:
    """Whether ``text`` is an RFC 9110 §5.6.2 token."""
    return TOKEN_FULL_RE.match(text) is not None


def is_token68(text: str) -> bool:
    """Whether ``text`` is an RFC 9110 §11.2 token68."""
    return TOKEN68_FULL_RE.match(text) is not None
