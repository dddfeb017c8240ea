"""Self-tests for the reference parser (tests/reference.py).

Every expected value below was derived by hand from the RFC 9110 ABNF; the
comments say which derivation applies where it is not obvious.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .reference import (
    AmbiguousParse,
    ChallengeTuple,
    Param,
    ReferenceParseError,
    Results,
    _parse,
    _Parser,
    reference_auth_info,
    reference_challenges,
    reference_credentials,
)

# ---------------------------------------------------------------------------
# WWW-Authenticate = #challenge
# ---------------------------------------------------------------------------

CHALLENGES_OK = [
    pytest.param(
        # RFC 9110 §11.6.1 example (the RFC prints it folded over two lines)
        'Basic realm="simple", Newauth realm="apps", type=1, title="Login to \\"apps\\""',
        [
            ("Basic", (("realm", "simple"),), None),
            ("Newauth", (("realm", "apps"), ("type", "1"), ("title", 'Login to "apps"')), None),
        ],
        id="rfc9110-example",
    ),
    pytest.param(
        # the same example in the order RFC 7235 §4.1 used
        'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
        [
            ("Newauth", (("realm", "apps"), ("type", "1"), ("title", 'Login to "apps"')), None),
            ("Basic", (("realm", "simple"),), None),
        ],
        id="rfc7235-example-order",
    ),
    pytest.param(
        'Basic, Bearer realm="x"',
        [("Basic", (), None), ("Bearer", (("realm", "x"),), None)],
        id="bare-scheme-then-challenge",
    ),
    # token68 may end in "="; an auth-param needs a non-empty value after "="
    pytest.param("Basic abc=", [("Basic", (), "abc=")], id="token68-padding"),
    pytest.param("Basic abc==", [("Basic", (), "abc==")], id="token68-double-padding"),
    pytest.param(
        "Basic abc=def", [("Basic", (("abc", "def"),), None)], id="auth-param-not-token68"
    ),
    pytest.param(
        # "realm=" is not an auth-param (no value) but IS a token68
        "Basic realm=",
        [("Basic", (), "realm=")],
        id="name-equals-nothing-is-token68",
    ),
    pytest.param(
        "Bearer abc.def-ghi_jkl~+/==",
        [("Bearer", (), "abc.def-ghi_jkl~+/==")],
        id="token68-all-chars",
    ),
    pytest.param(
        "Basic abc=, Bearer",
        [("Basic", (), "abc="), ("Bearer", (), None)],
        id="token68-then-challenge",
    ),
    pytest.param(', ,Basic realm="x",', [("Basic", (("realm", "x"),), None)], id="empty-elements"),
    pytest.param("", [], id="empty-value"),
    pytest.param(" ,\t, ", [], id="only-commas-and-ows"),
    pytest.param('Basic realm = "x"', [("Basic", (("realm", "x"),), None)], id="bws-spaces"),
    pytest.param('Basic realm\t=\t"x"', [("Basic", (("realm", "x"),), None)], id="bws-tabs"),
    pytest.param(
        'Basic realm="caf\xe9"', [("Basic", (("realm", "caf\xe9"),), None)], id="obs-text-quoted"
    ),
    pytest.param(
        'Basic realm="\\\xe9\\\\\\"\\\t"',
        [("Basic", (("realm", '\xe9\\"\t'),), None)],
        id="quoted-pairs-unescaped",
    ),
    pytest.param('Basic realm=""', [("Basic", (("realm", ""),), None)], id="empty-quoted-string"),
    pytest.param(
        'Basic realm="a,b=c"', [("Basic", (("realm", "a,b=c"),), None)], id="comma-inside-quotes"
    ),
    pytest.param(
        # 1*SP, then #auth-param whose first element is empty
        "Basic , realm=x",
        [("Basic", (("realm", "x"),), None)],
        id="sp-comma-param-belongs-to-scheme",
    ),
    pytest.param(
        # "abc" cannot be an auth-param, so it is a new challenge
        "Basic realm=x, abc",
        [("Basic", (("realm", "x"),), None), ("abc", (), None)],
        id="trailing-bare-scheme",
    ),
    pytest.param(
        # "Bearer" followed by SP opens its own (initially empty) #auth-param list
        "Basic realm=x, Bearer , error=y",
        [("Basic", (("realm", "x"),), None), ("Bearer", (("error", "y"),), None)],
        id="scheme-sp-comma-param",
    ),
    pytest.param(
        # BWS before "=": "B =2" is an auth-param of A, not a challenge
        "A x=1, B =2",
        [("A", (("x", "1"), ("B", "2")), None)],
        id="bws-makes-param-not-challenge",
    ),
    pytest.param(
        # §11.6.1 note: ", ," may be empties of A's #auth-param or of #challenge;
        # both readings mean the same thing
        "A x=1, , , B y=2",
        [("A", (("x", "1"),), None), ("B", (("y", "2"),), None)],
        id="comma-ws-comma-harmless",
    ),
    pytest.param(
        "A realm=x, B realm=y",
        [("A", (("realm", "x"),), None), ("B", (("realm", "y"),), None)],
        id="same-name-different-challenges",
    ),
    pytest.param("bAsIc ReAlM=x", [("bAsIc", (("ReAlM", "x"),), None)], id="case-preserved"),
    pytest.param(
        " \tBasic   realm=x \t", [("Basic", (("realm", "x"),), None)], id="ows-around-value"
    ),
    pytest.param("A ,", [("A", (), None)], id="scheme-sp-comma"),
    pytest.param(
        "Basic realm=x,Bearer",
        [("Basic", (("realm", "x"),), None), ("Bearer", (), None)],
        id="no-space-after-comma",
    ),
]


@pytest.mark.parametrize(("value", "expected"), CHALLENGES_OK)
def test_challenges_ok(value: str, expected: list[ChallengeTuple]) -> None:
    assert reference_challenges(value) == expected


CHALLENGES_BAD = [
    # challenge = auth-scheme [ 1*SP ... ]: params need SP right after the scheme,
    # and "realm=x" alone is not a challenge
    pytest.param("Basic, realm=x", id="comma-before-first-param"),
    pytest.param("Basic realm=x, Bearer, error=y", id="param-after-bare-scheme"),
    pytest.param("Basic abc, realm=x", id="token68-then-param"),
    pytest.param("Basic\trealm=x", id="htab-after-scheme"),
    pytest.param('Basic realm="x', id="unterminated-quote"),
    pytest.param('Basic realm="x\\"', id="escaped-closing-quote"),
    pytest.param('Basic realm="a\x01b"', id="ctl-in-quoted-string"),
    pytest.param("Basic realm=x\r\n", id="crlf"),
    pytest.param("Basic realm=x\x00", id="nul"),
    pytest.param("Basic realm=x, realm=y", id="duplicate-param"),
    pytest.param("Basic realm=x, REALM=y", id="duplicate-param-case-insensitive"),
    pytest.param("Basic x=1, realm=", id="missing-value-after-params"),
    pytest.param("Basic realm=caf\xe9", id="obs-text-in-token"),
    pytest.param('Basic realm="\u20ac"', id="outside-latin1"),
    pytest.param("Basic realm=x y=z", id="missing-comma"),
    pytest.param("=x", id="no-scheme"),
    pytest.param("Basic a=b=", id="equals-in-value"),
    pytest.param('Basic "x"', id="quoted-string-as-token68"),
    pytest.param("Basic abc def", id="two-token68"),
    pytest.param('Basic realm="x"Bearer', id="no-separator-after-quote"),
]


@pytest.mark.parametrize("value", CHALLENGES_BAD)
def test_challenges_bad(value: str) -> None:
    with pytest.raises(ReferenceParseError):
        reference_challenges(value)


# ---------------------------------------------------------------------------
# Authorization = credentials
# ---------------------------------------------------------------------------

CREDENTIALS_OK = [
    pytest.param(
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        ("Basic", (), "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
        id="basic-token68",
    ),
    pytest.param(
        'Digest username="Mufasa", realm="http-auth@example.org", nc=00000001',
        (
            "Digest",
            (("username", "Mufasa"), ("realm", "http-auth@example.org"), ("nc", "00000001")),
            None,
        ),
        id="digest-params",
    ),
    pytest.param("Basic", ("Basic", (), None), id="scheme-only"),
    pytest.param("Basic  ", ("Basic", (), None), id="scheme-trailing-sp"),
    pytest.param("Basic ,realm=x,", ("Basic", (("realm", "x"),), None), id="empty-param-elements"),
    pytest.param("Basic realm=", ("Basic", (), "realm="), id="token68-looks-like-param"),
]


@pytest.mark.parametrize(("value", "expected"), CREDENTIALS_OK)
def test_credentials_ok(value: str, expected: ChallengeTuple) -> None:
    assert reference_credentials(value) == expected


CREDENTIALS_BAD = [
    pytest.param("", id="empty"),
    pytest.param("Basic abc, Bearer def", id="two-credentials"),
    pytest.param("Basic realm=x, Bearer", id="params-then-scheme"),
    pytest.param(", Basic", id="list-syntax"),
    pytest.param("Basic abc def", id="two-token68"),
    pytest.param("Digest a=1, A=2", id="duplicate-param"),
]


@pytest.mark.parametrize("value", CREDENTIALS_BAD)
def test_credentials_bad(value: str) -> None:
    with pytest.raises(ReferenceParseError):
        reference_credentials(value)


# ---------------------------------------------------------------------------
# Authentication-Info = #auth-param
# ---------------------------------------------------------------------------

AUTH_INFO_OK = [
    pytest.param(
        'nextnonce="abc", qop=auth, rspauth="x,y"',
        (("nextnonce", "abc"), ("qop", "auth"), ("rspauth", "x,y")),
        id="digest-style",
    ),
    pytest.param("", (), id="empty"),
    pytest.param(", ,", (), id="only-commas"),
    pytest.param(' a = "b" ,', (("a", "b"),), id="bws-and-trailing-comma"),
]


@pytest.mark.parametrize(("value", "expected"), AUTH_INFO_OK)
def test_auth_info_ok(value: str, expected: tuple[Param, ...]) -> None:
    assert reference_auth_info(value) == expected


AUTH_INFO_BAD = [
    pytest.param("Basic realm=x", id="challenge-not-param"),
    pytest.param("abc", id="bare-token"),
    pytest.param("a=1, A=2", id="duplicate-param"),
    pytest.param("a=1 b=2", id="missing-comma"),
]


@pytest.mark.parametrize("value", AUTH_INFO_BAD)
def test_auth_info_bad(value: str) -> None:
    with pytest.raises(ReferenceParseError):
        reference_auth_info(value)


# ---------------------------------------------------------------------------
# The ambiguity machinery itself
# ---------------------------------------------------------------------------


def _toy_rule(p: _Parser) -> Callable[[int], Results[tuple[str, str]]]:
    """A deliberately ambiguous toy grammar:  toy = token token"""

    def rule(i: int) -> Results[tuple[str, str]]:
        out: set[tuple[int, tuple[str, str]]] = set()
        for j, a in p.token(i):
            for k, b in p.token(j):
                out.add((k, (a, b)))
        return frozenset(out)

    return rule


def test_ambiguous_parse_is_reported() -> None:
    # "abc" = "a" "bc" = "ab" "c": two parses, different meanings
    with pytest.raises(AmbiguousParse, match="2 parses"):
        _parse("toy", "abc", _toy_rule, lambda _: None)


def test_single_parse_is_returned() -> None:
    assert _parse("toy", "ab", _toy_rule, lambda _: None) == ("a", "b")


def test_same_meaning_parses_collapse() -> None:
    # "A x=1, , B" has several derivations (the ", ," can be empty elements of
    # A's #auth-param or of #challenge, and the SP after A's scheme can start an
    # empty #auth-param); they all mean the same thing, so there is one result.
    value = "A x=1, , B"
    a_challenge: ChallengeTuple = ("A", (("x", "1"),), None)
    assert reference_challenges(value) == [a_challenge, ("B", (), None)]
    # ...and the challenge rule really does admit A ending at several offsets
    p = _Parser(value)
    a_ends = {end for end, v in p.challenge(0) if v == a_challenge}
    assert {len("A x=1"), len("A x=1,"), len("A x=1, ,")} <= a_ends
