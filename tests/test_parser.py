"""The grammar, case by case, in both modes.

Each row: an id, a WWW-Authenticate value, what strict mode gives (challenges, or the
position of the ParseError), and what lenient mode gives. ``SAME`` means lenient reads
it exactly as strict does (the rule for everything strict accepts).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, TypeAlias

import pytest

from wwwauth import (
    Challenge,
    Credentials,
    ParseError,
    format_challenges,
    parse_authentication_info,
    parse_authorization,
    parse_proxy_authenticate,
    parse_proxy_authentication_info,
    parse_proxy_authorization,
    parse_www_authenticate,
)

Expected: TypeAlias = list[Challenge] | int  # the challenges, or the error position
SAME: Final = "same"


def c(scheme: str, *params: tuple[str, str], token68: str | None = None) -> Challenge:
    return Challenge(scheme, params, token68)


CHALLENGE_CASES: list[tuple[str, str, Expected, Expected | str]] = [
    # RFC 9110 §11.3: challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
    ("bare-scheme", "Basic", [c("Basic")], SAME),
    ("scheme-any-token", "x-My.Scheme!#$%&'*+^_`|~9", [c("x-My.Scheme!#$%&'*+^_`|~9")], SAME),
    ("one-param", 'Basic realm="x"', [c("Basic", ("realm", "x"))], SAME),
    ("token-value", "Basic realm=x", [c("Basic", ("realm", "x"))], SAME),
    ("two-spaces-after-scheme", 'Basic  realm="x"', [c("Basic", ("realm", "x"))], SAME),
    ("tab-after-scheme", 'Basic\trealm="x"', 5, [c("Basic", ("realm", "x"))]),
    ("space-then-tab-after-scheme", 'Basic \trealm="x"', 6, [c("Basic", ("realm", "x"))]),
    ("trailing-ows", 'Basic realm="x" \t', [c("Basic", ("realm", "x"))], SAME),
    ("leading-ows", ' \tBasic realm="x"', [c("Basic", ("realm", "x"))], SAME),
    ("empty", "", [], SAME),
    ("only-ows", "  \t ", [], SAME),
    ("only-commas", " , ,, ", [], SAME),
    # RFC 9110 §5.6.1.2: empty list elements
    ("empty-elements-around", ', ,Basic realm="x",', [c("Basic", ("realm", "x"))], SAME),
    (
        "empty-elements-between-params",
        "Basic a=1,,, b=2",
        [c("Basic", ("a", "1"), ("b", "2"))],
        SAME,
    ),
    ("empty-element-first-param", "Basic , realm=x", [c("Basic", ("realm", "x"))], SAME),
    ("empty-element-first-param-then-scheme", "Basic , Bearer", [c("Basic"), c("Bearer")], SAME),
    ("comma-right-after-scheme-then-param", "Basic, realm=x", 7, [c("Basic", ("realm", "x"))]),
    ("trailing-comma-after-params", "Basic a=1, ", [c("Basic", ("a", "1"))], SAME),
    # Commas and '=' inside quoted strings
    ("comma-in-quoted", 'Basic realm="a, b"', [c("Basic", ("realm", "a, b"))], SAME),
    ("equals-in-quoted", 'Basic realm="a=b, c=d"', [c("Basic", ("realm", "a=b, c=d"))], SAME),
    (
        "scheme-like-in-quoted",
        'Basic realm="x, Bearer y"',
        [c("Basic", ("realm", "x, Bearer y"))],
        SAME,
    ),
    ("quoted-pair", r'Basic realm="a\"b\\c"', [c("Basic", ("realm", 'a"b\\c'))], SAME),
    ("needless-quoted-pair", r'Basic realm="\a\ \	"', [c("Basic", ("realm", "a \t"))], SAME),
    ("empty-quoted", 'Basic realm=""', [c("Basic", ("realm", ""))], SAME),
    (
        "obs-text-quoted",
        'Basic realm="caf\xe9 \xff"',
        [c("Basic", ("realm", "caf\xe9 \xff"))],
        SAME,
    ),
    ("obs-text-quoted-pair", 'Basic realm="\\\xe9"', [c("Basic", ("realm", "\xe9"))], SAME),
    ("tab-in-quoted", 'Basic realm="a\tb"', [c("Basic", ("realm", "a\tb"))], SAME),
    # BWS around '=' (RFC 9110 §11.2, §5.6.3)
    ("bws-both-sides", 'Basic realm = "x"', [c("Basic", ("realm", "x"))], SAME),
    ("bws-tabs", 'Basic realm\t=\t"x" , a = b', [c("Basic", ("realm", "x"), ("a", "b"))], SAME),
    # token68 versus auth-param
    (
        "token68",
        "Negotiate YIIBhgYGKwYBBQUCoIIBejCCAXag",
        [c("Negotiate", token68="YIIBhgYGKwYBBQUCoIIBejCCAXag")],
        SAME,
    ),
    ("token68-padding-1", "Basic abc=", [c("Basic", token68="abc=")], SAME),
    ("token68-padding-2", "Basic abc==", [c("Basic", token68="abc==")], SAME),
    ("token68-all-chars", "X aZ09-._~+/==", [c("X", token68="aZ09-._~+/==")], SAME),
    (
        "token68-then-challenge",
        'Negotiate abc=, Basic realm="x"',
        [c("Negotiate", token68="abc="), c("Basic", ("realm", "x"))],
        SAME,
    ),
    ("token68-trailing-ows", "Basic abc== ", [c("Basic", token68="abc==")], SAME),
    ("param-not-token68", "Basic abc=def", [c("Basic", ("abc", "def"))], SAME),
    ("param-bws-not-token68", "Basic abc = def", [c("Basic", ("abc", "def"))], SAME),
    ("token68-then-param", "Negotiate abc, realm=x", 15, [c("Negotiate", token68="abc")]),
    ("token68-then-word", "Negotiate abc def", 14, [c("Negotiate", token68="abc")]),
    ("token68-equals-in-middle", "Basic a=b=", 9, [c("Basic", ("a", "b="))]),
    ("token68-slash", "Basic a/b", [c("Basic", token68="a/b")], SAME),
    # A scheme with no params followed by another challenge
    (
        "scheme-then-challenge",
        'Basic, Bearer realm="x"',
        [c("Basic"), c("Bearer", ("realm", "x"))],
        SAME,
    ),
    (
        "params-then-bare-scheme",
        'Basic realm="x", Bearer',
        [c("Basic", ("realm", "x")), c("Bearer")],
        SAME,
    ),
    ("three-bare-schemes", "A, B ,C", [c("A"), c("B"), c("C")], SAME),
    (
        "params-then-token68-challenge",
        'Basic realm="x", Negotiate abc==',
        [c("Basic", ("realm", "x")), c("Negotiate", token68="abc==")],
        SAME,
    ),
    ("param-named-like-scheme", "Basic Bearer=x", [c("Basic", ("Bearer", "x"))], SAME),
    (
        "after-comma-token-equals-is-param",
        "Basic a=1, Bearer=x",
        [c("Basic", ("a", "1"), ("Bearer", "x"))],
        SAME,
    ),
    # Duplicate names (RFC 9110 §11.2: at most once per challenge)
    ("duplicate-param", "Basic realm=a, realm=b", 15, [c("Basic", ("realm", "a"))]),
    ("duplicate-param-case", "Basic realm=a, REALM=b", 15, [c("Basic", ("realm", "a"))]),
    (
        "same-param-in-two-challenges",
        "Basic realm=a, Digest realm=b",
        [c("Basic", ("realm", "a")), c("Digest", ("realm", "b"))],
        SAME,
    ),
    # Bad input
    ("unterminated-quoted", 'Basic realm="x', 14, [c("Basic", ("realm", "x"))]),
    # "realm=" is a token68 with one '=' of padding, not a param without a value.
    ("token68-looks-like-empty-param", "Basic realm=", [c("Basic", token68="realm=")], SAME),
    (
        "token68-looks-like-empty-param-then-param",
        "Basic realm=, a=b",
        14,
        [c("Basic", token68="realm=")],
    ),
    (
        "missing-value-then-comma",
        "Basic x=1, realm=, a=b",
        17,
        [c("Basic", ("x", "1"), ("realm", ""), ("a", "b"))],
    ),
    (
        "missing-comma-between-params",
        'Basic realm="x" charset=UTF-8',
        16,
        [c("Basic", ("realm", "x"), ("charset", "UTF-8"))],
    ),
    ("unquoted-with-space", "Basic realm=My Realm", 15, [c("Basic", ("realm", "My Realm"))]),
    (
        "unquoted-with-slash",
        "Bearer realm=https://example.com/api",
        18,
        [c("Bearer", ("realm", "https://example.com/api"))],
    ),
    (
        "unquoted-with-colon-and-space",
        "Basic realm=Server: Login",
        18,
        [c("Basic", ("realm", "Server: Login"))],
    ),
    ("single-quoted", "Basic realm='x y'", 15, [c("Basic", ("realm", "x y"))]),
    (
        "semicolon-separator",
        'Bearer realm="a"; error="b"',
        16,
        [c("Bearer", ("realm", "a"), ("error", "b"))],
    ),
    ("semicolon-in-unquoted-value", "Basic realm=a;b", 13, [c("Basic", ("realm", "a;b"))]),
    ("semicolon-then-param", "Basic realm=a; b=c", 13, [c("Basic", ("realm", "a"), ("b", "c"))]),
    ("trailing-semicolon", "Basic realm=a;", 13, [c("Basic", ("realm", "a"))]),
    (
        "unquoted-base64-padding",
        "Digest realm=x, nonce=abc==",
        25,
        [c("Digest", ("realm", "x"), ("nonce", "abc=="))],
    ),
    ("trailing-garbage", 'Basic realm="x" garbage', 16, [c("Basic", ("realm", "x"))]),
    (
        "missing-comma-between-challenges",
        'Basic realm="a" Bearer realm="b"',
        16,
        [c("Basic", ("realm", "a")), c("Bearer", ("realm", "b"))],
    ),
    ("no-scheme", 'realm="x"', 0, []),
    ("no-scheme-only-garbage", '"x" =', 0, 0),
    ("no-scheme-then-challenge", 'realm="x", Basic', 0, [c("Basic")]),
    ("equals-only", "=", 0, 0),
    ("scheme-then-equals", "Basic=x", 0, []),
    ("control-char-in-quoted", 'Basic realm="a\x01b"', 14, 14),
    ("lf-in-quoted", 'Basic realm="a\nb"', 14, 14),
    ("nul-after-param", "Basic realm=a\x00", 13, 13),
    ("del-in-quoted", 'Basic realm="a\x7f"', 14, 14),
    ("cr-lf-injection", 'Basic realm="x"\r\nSet-Cookie: a=b', 15, 15),
    ("obs-fold", 'Basic\r\n realm="x"', 5, [c("Basic", ("realm", "x"))]),
    (
        "obs-fold-bare-lf",
        'Basic realm="x",\n\tBearer',
        16,
        [c("Basic", ("realm", "x")), c("Bearer")],
    ),
    ("crlf-without-fold", 'Basic realm="x",\r\nBearer', 16, 16),
    ("quoted-pair-of-ctl", 'Basic realm="a\\\x01"', 15, 15),
    ("backslash-at-end", 'Basic realm="a\\', 15, [c("Basic", ("realm", "a\\"))]),
    ("non-token-scheme", '"Basic" realm=x', 0, []),
    ("non-token-param-name", "Basic re/alm=x", 8, [c("Basic")]),
    ("above-latin1", 'Basic realm="\u20ac"', 13, 13),
]


def _ids(cases: list[tuple[str, str, Expected, Expected | str]]) -> list[str]:
    return [case[0] for case in cases]


@pytest.mark.parametrize(
    ("case_id", "value", "strict", "lenient"), CHALLENGE_CASES, ids=_ids(CHALLENGE_CASES)
)
def test_www_authenticate_strict(
    case_id: str, value: str, strict: Expected, lenient: Expected | str
) -> None:
    if isinstance(strict, int):
        with pytest.raises(ParseError) as error:
            parse_www_authenticate(value)
        assert error.value.position == strict
    else:
        assert parse_www_authenticate(value) == strict
        assert [ch.scheme for ch in parse_www_authenticate(value)] == [ch.scheme for ch in strict]


@pytest.mark.parametrize(
    ("case_id", "value", "strict", "lenient"), CHALLENGE_CASES, ids=_ids(CHALLENGE_CASES)
)
def test_www_authenticate_lenient(
    case_id: str, value: str, strict: Expected, lenient: Expected | str
) -> None:
    expected = strict if lenient == SAME else lenient
    if isinstance(expected, int):
        with pytest.raises(ParseError) as error:
            parse_www_authenticate(value, strict=False)
        assert error.value.position == expected
    else:
        assert parse_www_authenticate(value, strict=False) == expected


def test_lenient_never_changes_what_strict_accepts() -> None:
    for _, value, strict, _ in CHALLENGE_CASES:
        if not isinstance(strict, int):
            assert parse_www_authenticate(value, strict=False) == strict


# RFC 9110 §11.6.2: credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ];
# Authorization is a singleton field (§5.3).
CREDENTIAL_CASES: list[tuple[str, str | list[str], Credentials | int, Credentials | int | str]] = [
    (
        "token68",
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        Credentials("Basic", token68="QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
        SAME,
    ),
    ("bare-scheme", "Negotiate", Credentials("Negotiate"), SAME),
    ("bare-scheme-ows", " Negotiate \t", Credentials("Negotiate"), SAME),
    (
        "params",
        'Digest username="a", nc=00000001',
        Credentials("Digest", [("username", "a"), ("nc", "00000001")]),
        SAME,
    ),
    ("params-trailing-comma", "Digest a=1,", Credentials("Digest", [("a", "1")]), SAME),
    (
        "params-empty-elements",
        "Digest a=1,, ,b=2",
        Credentials("Digest", [("a", "1"), ("b", "2")]),
        SAME,
    ),
    ("space-comma-after-scheme", "Basic , ", Credentials("Basic"), SAME),
    ("two-credentials", "Basic abc, Bearer def", 11, Credentials("Basic", token68="abc")),
    ("params-then-scheme", "Digest a=1, Bearer", 12, Credentials("Digest", [("a", "1")])),
    ("comma-after-scheme", "Basic,", 5, Credentials("Basic")),
    ("comma-after-token68", "Basic abc,", 9, Credentials("Basic", token68="abc")),
    ("leading-comma", ",Basic abc", 0, Credentials("Basic", token68="abc")),
    ("two-field-lines", ["Basic abc", "Basic def"], 11, Credentials("Basic", token68="abc")),
    ("one-field-line-in-list", ["Basic abc"], Credentials("Basic", token68="abc"), SAME),
    ("empty", "", 0, 0),
    ("no-scheme", 'realm="x"', 0, 0),
    ("duplicate", "Digest a=1, A=2", 12, Credentials("Digest", [("a", "1")])),
    ("token68-bad-padding", "Basic ab=c=", 10, Credentials("Basic", [("ab", "c=")])),
    # AWS Signature V4 is not RFC 9110 credentials ('/' and ';' in unquoted values); lenient
    # mode reads it whole.
    (
        "aws-sigv4",
        (
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027d0"
        ),
        48,
        Credentials(
            "AWS4-HMAC-SHA256",
            [
                ("Credential", "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"),
                ("SignedHeaders", "host;range;x-amz-date"),
                ("Signature", "fe5f80f77d5fa3beca038a248ff027d0"),
            ],
        ),
    ),
]


@pytest.mark.parametrize(
    ("case_id", "value", "strict", "lenient"),
    CREDENTIAL_CASES,
    ids=[c[0] for c in CREDENTIAL_CASES],
)
def test_authorization(
    case_id: str,
    value: str | list[str],
    strict: Credentials | int,
    lenient: Credentials | int | str,
) -> None:
    for mode, expected in ((True, strict), (False, strict if lenient == SAME else lenient)):
        if isinstance(expected, int):
            with pytest.raises(ParseError) as error:
                parse_authorization(value, strict=mode)
            assert error.value.position == expected
        else:
            assert parse_authorization(value, strict=mode) == expected


# RFC 9110 §11.6.3: Authentication-Info = #auth-param
AUTH_INFO_CASES: list[
    tuple[str, str, list[tuple[str, str]] | int, list[tuple[str, str]] | int | str]
] = [
    (
        "rfc7616-style",
        'nextnonce="abc", qop=auth, rspauth="d3f", cnonce="x", nc=00000001',
        [
            ("nextnonce", "abc"),
            ("qop", "auth"),
            ("rspauth", "d3f"),
            ("cnonce", "x"),
            ("nc", "00000001"),
        ],
        SAME,
    ),
    ("empty", "", [], SAME),
    ("empty-elements", ' ,a=1 ,, b="2", ', [("a", "1"), ("b", "2")], SAME),
    ("bare-token", "a=1, b", 6, [("a", "1")]),
    ("token68-like", "abc==", 4, [("abc", "=")]),
    ("duplicate", "a=1, a=2", 5, [("a", "1")]),
    ("missing-comma", "a=1 b=2", 4, [("a", "1"), ("b", "2")]),
]


@pytest.mark.parametrize(
    ("case_id", "value", "strict", "lenient"), AUTH_INFO_CASES, ids=[c[0] for c in AUTH_INFO_CASES]
)
def test_authentication_info(
    case_id: str,
    value: str,
    strict: list[tuple[str, str]] | int,
    lenient: list[tuple[str, str]] | int | str,
) -> None:
    for mode, expected in ((True, strict), (False, strict if lenient == SAME else lenient)):
        for parse in (parse_authentication_info, parse_proxy_authentication_info):
            if isinstance(expected, int):
                with pytest.raises(ParseError) as error:
                    parse(value, strict=mode)
                assert error.value.position == expected
            else:
                assert list(parse(value, strict=mode).items()) == expected


# RFC 9110 §5.3 and §5.5: several field lines, bytes, and characters beyond octets.


def test_field_lines_are_joined_with_comma_space() -> None:
    assert parse_www_authenticate(['Basic realm="a"', "Bearer"]) == [
        c("Basic", ("realm", "a")),
        c("Bearer"),
    ]


def test_field_line_boundary_ends_a_param_list() -> None:
    assert parse_www_authenticate(["Digest a=1", "b=2"]) == [c("Digest", ("a", "1"), ("b", "2"))]


def test_empty_field_lines_are_empty_elements() -> None:
    assert parse_www_authenticate(["", "Basic", ""]) == [c("Basic")]


def test_no_field_lines() -> None:
    assert parse_www_authenticate([]) == []


def test_error_position_counts_joined_lines_and_names_the_line() -> None:
    with pytest.raises(ParseError) as error:
        parse_www_authenticate(['Basic realm="a"', 'Bearer realm="b'])
    assert error.value.position == len('Basic realm="a", Bearer realm="b')
    assert error.value.line == 1


def test_bytes_are_iso_8859_1() -> None:
    assert parse_www_authenticate(b'Basic realm="caf\xe9"') == [c("Basic", ("realm", "caf\xe9"))]
    assert parse_www_authenticate(bytearray(b"Basic")) == [c("Basic")]


def test_iterable_of_bytes_and_str() -> None:
    assert parse_www_authenticate([b"Basic", "Bearer"]) == [c("Basic"), c("Bearer")]


def test_character_above_latin1_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as error:
        parse_www_authenticate('Basic realm="\u0100"')
    assert error.value.position == 13


def test_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        parse_www_authenticate(42)  # type: ignore[arg-type]  # the point of the test


EVERY_PARSER: Final = {
    "WWW-Authenticate": parse_www_authenticate,
    "Proxy-Authenticate": parse_proxy_authenticate,
    "Authorization": parse_authorization,
    "Proxy-Authorization": parse_proxy_authorization,
    "Authentication-Info": parse_authentication_info,
    "Proxy-Authentication-Info": parse_proxy_authentication_info,
}


@pytest.mark.parametrize(("field", "parse"), EVERY_PARSER.items(), ids=list(EVERY_PARSER))
@pytest.mark.parametrize("value", [None, 42, 4.2, object()], ids=["None", "int", "float", "object"])
def test_a_value_that_is_not_text_says_what_was_expected(
    field: str, parse: Callable[..., object], value: object
) -> None:
    # Issue 14: None gave "'NoneType' object is not iterable".
    with pytest.raises(TypeError) as error:
        parse(value)
    assert str(error.value) == (
        f"{field} field value must be str, bytes, or an iterable of str or bytes field "
        f"lines, not {type(value).__name__}"
    )


@pytest.mark.parametrize(("field", "parse"), EVERY_PARSER.items(), ids=list(EVERY_PARSER))
def test_a_field_line_that_is_not_text_is_named_by_its_type_only(
    field: str, parse: Callable[..., object]
) -> None:
    with pytest.raises(TypeError) as error:
        parse(["Basic dTpw", 12345])
    assert str(error.value) == f"{field} field line must be str or bytes, not int"
    assert "12345" not in str(error.value)


def test_parse_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_www_authenticate("=")


def test_scheme_and_names_keep_their_spelling() -> None:
    [challenge] = parse_www_authenticate('bAsIc ReAlM="x"')
    assert challenge.scheme == "bAsIc"
    assert list(challenge.params) == ["ReAlM"]
    assert challenge.params["realm"] == "x"
    assert challenge == c("Basic", ("realm", "x"))


def test_value_case_is_kept() -> None:
    [challenge] = parse_www_authenticate('Basic realm="X"')
    assert challenge != c("Basic", ("realm", "x"))


def test_token68_is_verbatim() -> None:
    assert parse_authorization("Basic QQ==").token68 == "QQ=="


# Field values in the forms real servers send (registries, identity providers, IIS,
# Apache); all are valid RFC 9110, so both modes read them the same.
REAL_WORLD: list[tuple[str, str, list[Challenge]]] = [
    (
        "container-registry-no-space-after-commas",
        (
            'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",'
            'scope="repository:samalba/my-app:pull,push"'
        ),
        [
            c(
                "Bearer",
                ("realm", "https://auth.docker.io/token"),
                ("service", "registry.docker.io"),
                ("scope", "repository:samalba/my-app:pull,push"),
            )
        ],
    ),
    (
        "identity-provider-braces-and-period",
        (
            'Bearer authorization_uri="https://login.example.com/{tenant}/oauth2/authorize", '
            'error="invalid_token", error_description="The access token is missing or invalid."'
        ),
        [
            c(
                "Bearer",
                ("authorization_uri", "https://login.example.com/{tenant}/oauth2/authorize"),
                ("error", "invalid_token"),
                ("error_description", "The access token is missing or invalid."),
            )
        ],
    ),
    (
        "apache-digest-nonce-with-equals",
        (
            'Digest realm="private", nonce="UVPxbQ2fBQA=3b0c8c3a2f09d3a4", algorithm=MD5, '
            'domain="/private", qop="auth"'
        ),
        [
            c(
                "Digest",
                ("realm", "private"),
                ("nonce", "UVPxbQ2fBQA=3b0c8c3a2f09d3a4"),
                ("algorithm", "MD5"),
                ("domain", "/private"),
                ("qop", "auth"),
            )
        ],
    ),
    ("iis-bare-schemes", "Negotiate, NTLM", [c("Negotiate"), c("NTLM")]),
    (
        "iis-negotiate-continuation",
        "Negotiate oYG3MIG0oAMKAQChCwYJKoZIgvcSAQICooGfBIGcYIGZBgkqhkiG9xIBAgICAG+BiTCBhqADAgEF",
        [
            c(
                "Negotiate",
                token68="oYG3MIG0oAMKAQChCwYJKoZIgvcSAQICooGfBIGcYIGZBgkqhkiG9xIBAgICAG+BiTCBhqADAgEF",
            )
        ],
    ),
    (
        "rfc9728-resource-metadata",
        'Bearer resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource"',
        [
            c(
                "Bearer",
                (
                    "resource_metadata",
                    "https://resource.example.com/.well-known/oauth-protected-resource",
                ),
            )
        ],
    ),
    (
        "rfc9449-dpop-nonce-error",
        (
            'DPoP algs="ES256 PS256", error="use_dpop_nonce", '
            'error_description="Resource server requires nonce in DPoP proof"'
        ),
        [
            c(
                "DPoP",
                ("algs", "ES256 PS256"),
                ("error", "use_dpop_nonce"),
                ("error_description", "Resource server requires nonce in DPoP proof"),
            )
        ],
    ),
]


@pytest.mark.parametrize(
    ("case_id", "value", "expected"), REAL_WORLD, ids=[r[0] for r in REAL_WORLD]
)
def test_real_world_values(case_id: str, value: str, expected: list[Challenge]) -> None:
    assert parse_www_authenticate(value) == expected
    assert parse_www_authenticate(value, strict=False) == expected
    assert parse_www_authenticate(format_challenges(expected)) == expected
