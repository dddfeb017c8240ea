"""Slow, literal reference parser (test oracle) for the HTTP authentication fields.

Everything here is transcribed from the ABNF of RFC 9110 (HTTP Semantics) and
RFC 5234 Appendix B.1 (core rules).  It deliberately shares nothing with the
fast parser in ``src/wwwauth``.

How it works
------------
Every grammar rule is a method ``rule(i)`` that returns the SET of ALL ways the
rule can match the input starting at offset ``i``, as pairs
``(end_offset, semantic_value)``.  Alternation is set union, concatenation is
nested iteration, repetition is a closure over reachable states.  Repetition is
*not* greedy: ``1*tchar`` at "abc" yields "a", "ab" and "abc"; later rules
decide which of those lead to a complete parse.  Nothing is decided by
look-ahead, so the set of complete parses of the whole field value is exactly
what the grammar admits.  Results are memoised per (rule, offset), which keeps
the whole thing polynomial.

At the top level the distinct semantic values of all complete parses are
collected:

* none                          -> ReferenceParseError
* all parses violate the "parameter name only once" rule -> ReferenceParseError
* exactly one distinct value    -> returned
* two or more distinct values   -> AmbiguousParse

Lists are read in the RECIPIENT form of RFC 9110 §5.6.1.2 (empty elements are
allowed everywhere a ``#`` list appears, including the ``#auth-param`` list
nested inside each ``challenge``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar, cast

__all__ = [
    "AmbiguousParse",
    "ChallengeTuple",
    "Param",
    "ReferenceParseError",
    "reference_auth_info",
    "reference_challenges",
    "reference_credentials",
]


class ReferenceParseError(Exception):
    """The input is not in the language defined by the RFC grammar."""


class AmbiguousParse(ReferenceParseError):
    """The grammar admits two or more parses with different meanings."""


Param = tuple[str, str]
"""(parameter name as written, value; quoted-string values unescaped)"""

ChallengeTuple = tuple[str, tuple[Param, ...], str | None]
"""(auth-scheme as written, auth-params in order, token68 or None)"""

T = TypeVar("T")

Results = frozenset[tuple[int, T]]
"""All ways a rule matches from some start offset: {(end offset, value)}."""


# ---------------------------------------------------------------------------
# Character sets, straight from the RFCs
# ---------------------------------------------------------------------------


def _range(first: int, last: int) -> frozenset[str]:
    """%xFIRST-LAST as a set of one-character strings."""
    return frozenset(chr(c) for c in range(first, last + 1))


# RFC 5234 Appendix B.1 (core rules)
ALPHA = _range(0x41, 0x5A) | _range(0x61, 0x7A)  # ALPHA  = %x41-5A / %x61-7A
DIGIT = _range(0x30, 0x39)  #                        DIGIT  = %x30-39
SP = frozenset({"\x20"})  #                          SP     = %x20
HTAB = frozenset({"\x09"})  #                        HTAB   = %x09
DQUOTE = frozenset({"\x22"})  #                      DQUOTE = %x22
VCHAR = _range(0x21, 0x7E)  #                        VCHAR  = %x21-7E

# RFC 9110 §5.5:  obs-text = %x80-FF
OBS_TEXT = _range(0x80, 0xFF)

# RFC 9110 §5.5:  field-vchar = VCHAR / obs-text
FIELD_VCHAR = VCHAR | OBS_TEXT

# RFC 9110 §5.6.2:
#   tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*"
#         / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
#         / DIGIT / ALPHA
TCHAR = frozenset("!#$%&'*+-.^_`|~") | DIGIT | ALPHA

# RFC 9110 §5.6.4:  qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
QDTEXT = HTAB | SP | _range(0x21, 0x21) | _range(0x23, 0x5B) | _range(0x5D, 0x7E) | OBS_TEXT

# RFC 9110 §5.6.4:  quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
#                   (this is the set of octets allowed after the backslash)
QUOTED_PAIR_OCTET = HTAB | SP | VCHAR | OBS_TEXT

# RFC 9110 §11.2:  token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
#                  (this is the set inside the 1*( ... ))
TOKEN68_CHAR = ALPHA | DIGIT | frozenset("-._~+/")


def ascii_lower(name: str) -> str:
    """Lower-case A-Z only (§11.2: parameter names match case-insensitively;
    tokens are ASCII, so this is the ASCII case-insensitive comparison key)."""
    return "".join(chr(ord(c) + 0x20) if "A" <= c <= "Z" else c for c in name)


# ---------------------------------------------------------------------------
# The all-parses matcher
# ---------------------------------------------------------------------------


def _memoized(
    method: Callable[[_Parser, int], Results[T]],
) -> Callable[[_Parser, int], Results[T]]:
    """Cache a rule method's result per start offset (per parser instance)."""
    name = method.__name__

    def wrapper(self: _Parser, i: int) -> Results[T]:
        key = (name, i)
        if key not in self.cache:
            self.cache[key] = method(self, i)
        # The cache holds heterogeneous value types; `key` ties the entry to
        # `method`, whose results are Results[T].
        return cast("Results[T]", self.cache[key])

    wrapper.__name__ = name
    wrapper.__doc__ = method.__doc__
    return wrapper


class _Parser:
    def __init__(self, text: str) -> None:
        self.s = text
        self.cache: dict[tuple[str, int], frozenset[tuple[int, object]]] = {}
        # Largest offset any character match reached, for error messages only.
        self.farthest = 0

    # -- primitives ---------------------------------------------------------

    def char(self, i: int, allowed: frozenset[str]) -> Results[str]:
        """One character from `allowed` at offset i."""
        if i < len(self.s) and self.s[i] in allowed:
            self.farthest = max(self.farthest, i + 1)
            return frozenset({(i + 1, self.s[i])})
        return frozenset()

    def repeat(self, i: int, element: Callable[[int], Results[str]], minimum: int) -> Results[str]:
        """ABNF `<minimum>*element`: every way to match `minimum` or more
        consecutive elements.  The value is the concatenation of the element
        values.  Every element used here consumes at least one character, so
        the closure is finite."""
        out: set[tuple[int, str]] = set()
        # state: (offset, number of elements matched capped at `minimum`, value)
        start = (i, 0, "")
        seen = {start}
        todo = [start]
        while todo:
            j, count, value = todo.pop()
            if count >= minimum:
                out.add((j, value))
            for k, v in element(j):
                assert k > j, "repeated element must consume input"
                state = (k, min(count + 1, minimum), value + v)
                if state not in seen:
                    seen.add(state)
                    todo.append(state)
        return frozenset(out)

    def optional(self, i: int, element: Callable[[int], Results[T]]) -> Results[tuple[T, ...]]:
        """ABNF `[ element ]`: either nothing (value ()) or one element (value (v,))."""
        out: set[tuple[int, tuple[T, ...]]] = {(i, ())}
        for j, v in element(i):
            out.add((j, (v,)))
        return frozenset(out)

    def hash_list(self, i: int, element: Callable[[int], Results[T]]) -> Results[tuple[T, ...]]:
        """RFC 9110 §5.6.1.2 (recipient requirements):

            #element => [ element ] *( OWS "," OWS [ element ] )

        The value is the tuple of the non-empty elements, in order (empty
        elements "do not contribute to the count of elements present")."""
        out: set[tuple[int, tuple[T, ...]]] = set()
        todo: list[tuple[int, tuple[T, ...]]] = []
        # [ element ]
        for j, first in self.optional(i, element):
            todo.append((j, first))
        seen = set(todo)
        # *( OWS "," OWS [ element ] )
        while todo:
            j, acc = todo.pop()
            out.add((j, acc))
            for k, _ in self.OWS(j):
                for m, _ in self.char(k, frozenset(",")):
                    for n, _ in self.OWS(m):
                        for p, maybe in self.optional(n, element):
                            state = (p, acc + maybe)
                            if state not in seen:
                                seen.add(state)
                                todo.append(state)
        return frozenset(out)

    # -- RFC 9110 §5.6.3 Whitespace -----------------------------------------

    @_memoized
    def OWS(self, i: int) -> Results[str]:
        # OWS = *( SP / HTAB )                      ; RFC 9110 §5.6.3
        return self.repeat(i, lambda j: self.char(j, SP | HTAB), 0)

    def BWS(self, i: int) -> Results[str]:
        # BWS = OWS                                 ; RFC 9110 §5.6.3
        return self.OWS(i)

    # -- RFC 9110 §5.5 Field Values -----------------------------------------

    @_memoized
    def field_content(self, i: int) -> Results[str]:
        # field-content = field-vchar
        #                 [ 1*( SP / HTAB / field-vchar ) field-vchar ]   ; RFC 9110 §5.5
        out: set[tuple[int, str]] = set()
        for j, first in self.char(i, FIELD_VCHAR):
            out.add((j, first))  # optional part absent
            for k, middle in self.repeat(j, lambda x: self.char(x, SP | HTAB | FIELD_VCHAR), 1):
                for m, last in self.char(k, FIELD_VCHAR):
                    out.add((m, first + middle + last))
        return frozenset(out)

    @_memoized
    def field_value(self, i: int) -> Results[str]:
        # field-value = *field-content                                   ; RFC 9110 §5.5
        return self.repeat(i, self.field_content, 0)

    def field_line_value(self, rule: Callable[[int], Results[T]]) -> set[T]:
        """Values of all complete parses of the whole input as

            OWS field-value OWS        ; field-line = field-name ":" OWS field-value OWS
                                       ;   (RFC 9112 §5; RFC 9110 §5.5 says the
                                       ;   surrounding whitespace is not part of the value)

        where the field-value must match both the generic `field-value` rule
        (RFC 9110 §5.5) and the field's own grammar `rule`."""
        complete: set[T] = set()
        # A separate matcher for the generic rule, so that `self.farthest`
        # only reflects progress in the field's own grammar.
        generic = _Parser(self.s)
        for j, _ in self.OWS(0):
            generic_ends = {e for e, _ in generic.field_value(j)}
            for k, value in rule(j):
                if k not in generic_ends:
                    continue
                for m, _ in self.OWS(k):
                    if m == len(self.s):
                        complete.add(value)
        return complete

    # -- RFC 9110 §5.6.2 Tokens ---------------------------------------------

    @_memoized
    def token(self, i: int) -> Results[str]:
        # token = 1*tchar                           ; RFC 9110 §5.6.2
        return self.repeat(i, lambda j: self.char(j, TCHAR), 1)

    # -- RFC 9110 §5.6.4 Quoted Strings -------------------------------------

    def qdtext(self, i: int) -> Results[str]:
        # qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text    ; RFC 9110 §5.6.4
        return self.char(i, QDTEXT)

    def quoted_pair(self, i: int) -> Results[str]:
        # quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )          ; RFC 9110 §5.6.4
        # "Recipients that process the value of a quoted-string MUST handle a
        #  quoted-pair as if it were replaced by the octet following the backslash."
        out: set[tuple[int, str]] = set()
        for j, _ in self.char(i, frozenset("\\")):
            for k, octet in self.char(j, QUOTED_PAIR_OCTET):
                out.add((k, octet))
        return frozenset(out)

    @_memoized
    def quoted_string(self, i: int) -> Results[str]:
        # quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE     ; RFC 9110 §5.6.4
        # value: the unescaped content between the quotes
        out: set[tuple[int, str]] = set()
        for j, _ in self.char(i, DQUOTE):
            for k, content in self.repeat(j, lambda x: self.qdtext(x) | self.quoted_pair(x), 0):
                for m, _ in self.char(k, DQUOTE):
                    out.add((m, content))
        return frozenset(out)

    # -- RFC 9110 §11.1 / §11.2 ---------------------------------------------

    def auth_scheme(self, i: int) -> Results[str]:
        # auth-scheme = token                       ; RFC 9110 §11.1
        return self.token(i)

    @_memoized
    def token68(self, i: int) -> Results[str]:
        # token68 = 1*( ALPHA / DIGIT /
        #               "-" / "." / "_" / "~" / "+" / "/" ) *"="      ; RFC 9110 §11.2
        out: set[tuple[int, str]] = set()
        for j, body in self.repeat(i, lambda x: self.char(x, TOKEN68_CHAR), 1):
            for k, padding in self.repeat(j, lambda x: self.char(x, frozenset("=")), 0):
                out.add((k, body + padding))
        return frozenset(out)

    @_memoized
    def auth_param(self, i: int) -> Results[Param]:
        # auth-param = token BWS "=" BWS ( token / quoted-string )     ; RFC 9110 §11.2
        out: set[tuple[int, Param]] = set()
        for j, name in self.token(i):
            for k, _ in self.BWS(j):
                for m, _ in self.char(k, frozenset("=")):
                    for n, _ in self.BWS(m):
                        for p, value in self.token(n) | self.quoted_string(n):
                            out.add((p, (name, value)))
        return frozenset(out)

    @_memoized
    def auth_param_list(self, i: int) -> Results[tuple[Param, ...]]:
        # #auth-param  (recipient form, RFC 9110 §5.6.1.2):
        #   [ auth-param ] *( OWS "," OWS [ auth-param ] )
        return self.hash_list(i, self.auth_param)

    # -- RFC 9110 §11.3 / §11.4 ---------------------------------------------

    @_memoized
    def challenge(self, i: int) -> Results[ChallengeTuple]:
        # challenge   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]  ; RFC 9110 §11.3
        # credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]  ; RFC 9110 §11.4
        out: set[tuple[int, ChallengeTuple]] = set()
        for j, scheme in self.auth_scheme(i):
            # optional part absent
            out.add((j, (scheme, (), None)))
            # optional part present: 1*SP ( token68 / #auth-param )
            for k, _ in self.repeat(j, lambda x: self.char(x, SP), 1):
                for m, t68 in self.token68(k):
                    out.add((m, (scheme, (), t68)))
                for m, params in self.auth_param_list(k):
                    out.add((m, (scheme, params, None)))
        return frozenset(out)

    def credentials(self, i: int) -> Results[ChallengeTuple]:
        # credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]  ; RFC 9110 §11.4
        # (textually identical to challenge)
        return self.challenge(i)

    # -- RFC 9110 §11.6 field values ----------------------------------------

    @_memoized
    def www_authenticate(self, i: int) -> Results[tuple[ChallengeTuple, ...]]:
        # WWW-Authenticate = #challenge             ; RFC 9110 §11.6.1
        #   (recipient form: [ challenge ] *( OWS "," OWS [ challenge ] ))
        return self.hash_list(i, self.challenge)

    def authorization(self, i: int) -> Results[ChallengeTuple]:
        # Authorization = credentials               ; RFC 9110 §11.6.2
        return self.credentials(i)

    def authentication_info(self, i: int) -> Results[tuple[Param, ...]]:
        # Authentication-Info = #auth-param         ; RFC 9110 §11.6.3
        return self.auth_param_list(i)


# ---------------------------------------------------------------------------
# Choosing the answer
# ---------------------------------------------------------------------------


def _duplicate_name(params: Iterable[Param]) -> str | None:
    """§11.2: "each parameter name MUST only occur once per challenge" (names
    compared case-insensitively).  Return the first repeated name, if any."""
    seen: set[str] = set()
    for name, _ in params:
        key = ascii_lower(name)
        if key in seen:
            return name
        seen.add(key)
    return None


def _parse(
    field: str,
    value: str,
    rule: Callable[[_Parser], Callable[[int], Results[T]]],
    duplicate_in: Callable[[T], str | None],
) -> T:
    for offset, c in enumerate(value):
        if ord(c) > 0xFF:
            raise ReferenceParseError(
                f"{field}: character {c!r} at offset {offset} is outside %x00-FF"
            )
    parser = _Parser(value)
    parses = parser.field_line_value(rule(parser))
    if not parses:
        raise ReferenceParseError(
            f"{field}: {value!r} does not match the grammar "
            f"(no partial parse got past offset {parser.farthest})"
        )
    valid = {p for p in parses if duplicate_in(p) is None}
    if not valid:
        names = sorted({str(duplicate_in(p)) for p in parses})
        raise ReferenceParseError(
            f"{field}: {value!r} repeats parameter name(s) {names} (RFC 9110 §11.2)"
        )
    if len(valid) > 1:
        listing = "\n  ".join(repr(p) for p in sorted(valid, key=repr))
        raise AmbiguousParse(
            f"{field}: {value!r} has {len(valid)} parses with different meanings:\n  {listing}"
        )
    (only,) = valid
    return only


def _challenges_duplicate(challenges: tuple[ChallengeTuple, ...]) -> str | None:
    for _, params, _ in challenges:
        name = _duplicate_name(params)
        if name is not None:
            return name
    return None


def reference_challenges(value: str) -> list[ChallengeTuple]:
    """Parse a WWW-Authenticate (or Proxy-Authenticate) field value.

    WWW-Authenticate = #challenge                                  (RFC 9110 §11.6.1)
    """
    challenges: tuple[ChallengeTuple, ...] = _parse(
        "WWW-Authenticate", value, lambda p: p.www_authenticate, _challenges_duplicate
    )
    return list(challenges)


def reference_credentials(value: str) -> ChallengeTuple:
    """Parse an Authorization (or Proxy-Authorization) field value.

    Authorization = credentials                                    (RFC 9110 §11.6.2)
    """
    return _parse(
        "Authorization", value, lambda p: p.authorization, lambda c: _duplicate_name(c[1])
    )


def reference_auth_info(value: str) -> tuple[Param, ...]:
    """Parse an Authentication-Info (or Proxy-Authentication-Info) field value.

    Authentication-Info = #auth-param                              (RFC 9110 §11.6.3)
    """
    return _parse("Authentication-Info", value, lambda p: p.authentication_info, _duplicate_name)
