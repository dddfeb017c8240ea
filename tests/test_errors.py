"""ParseError: full renderings with the caret, positions, redaction, and only ParseError."""

from __future__ import annotations

import pickle

import pytest

from wwwauth import (
    ParseError,
    parse_authentication_info,
    parse_authorization,
    parse_proxy_authorization,
    parse_www_authenticate,
)

RENDERINGS = [
    (
        "unterminated-quoted-string",
        'Basic realm="x',
        ('Unterminated quoted-string\n    Basic realm="x\n          ~~~~~~~~^'),
    ),
    (
        "ctl-in-quoted-string-escaped-in-echo",
        'Basic realm="a\x01b"',
        (
            "Control character not allowed in a field value (RFC 9110 §5.5)\n"
            '    Basic realm="a\\x01b"\n'
            "          ~~~~~~~~^"
        ),
    ),
    (
        "crlf-injection",
        'Basic realm="x"\r\nSet-Cookie: a=b',
        (
            "Control character not allowed in a field value (RFC 9110 §5.5)\n"
            '    Basic realm="x"\\r\\nSet-Cookie: a=b\n'
            "                   ^"
        ),
    ),
    (
        "missing-comma",
        "Basic realm=x realm=y",
        (
            "Expected ',' after auth-param (missing comma?)\n"
            "    Basic realm=x realm=y\n"
            "                  ^"
        ),
    ),
    (
        "param-without-scheme",
        'realm="x"',
        (
            "Expected auth-scheme, found an auth-param (params follow their scheme after SP)\n"
            '    realm="x"\n'
            "    ^"
        ),
    ),
    (
        "duplicate",
        "Basic realm=a, REALM=b",
        (
            "Duplicate auth-param 'REALM' (RFC 9110 §11.2)\n"
            "    Basic realm=a, REALM=b\n"
            "                   ^"
        ),
    ),
    (
        "not-a-token",
        '"Basic"',
        ('Expected auth-scheme (a token)\n    "Basic"\n    ^'),
    ),
    (
        "tab-after-space",
        "Basic \trealm=x",
        (
            "Expected token68 or auth-param after the SP that follows the auth-scheme\n"
            "    Basic \\trealm=x\n"
            "          ^"
        ),
    ),
    (
        "bad-quoted-pair",
        'Basic realm="a\\\x7f"',
        (
            "Control character not allowed in a field value (RFC 9110 §5.5)\n"
            '    Basic realm="a\\\\x7f"\n'
            "          ~~~~~~~~~^"
        ),
    ),
    (
        "after-token68",
        "Negotiate abc def",
        ("Expected ',' or the end after token68\n    Negotiate abc def\n                  ^"),
    ),
    (
        "value-missing",
        "Basic a=1, b=, c=2",
        ("Expected token or quoted-string after '='\n    Basic a=1, b=, c=2\n               ~~^"),
    ),
    (
        "above-latin-1",
        "Basic realm=\u20ac",
        (
            "Character above U+00FF: a field value is octets (RFC 9110 §5.5)\n"
            "    Basic realm=\u20ac\n"
            "                ^"
        ),
    ),
]


@pytest.mark.parametrize(
    ("case_id", "value", "rendering"), RENDERINGS, ids=[r[0] for r in RENDERINGS]
)
def test_www_authenticate_rendering(case_id: str, value: str, rendering: str) -> None:
    with pytest.raises(ParseError) as error:
        parse_www_authenticate(value)
    assert str(error.value) == rendering
    assert error.value.field == "WWW-Authenticate"
    assert error.value.line is None


def test_rendering_of_second_field_line() -> None:
    with pytest.raises(ParseError) as error:
        parse_www_authenticate(['Basic realm="a"', 'Bearer realm="b'])
    assert str(error.value) == (
        "Unterminated quoted-string (field line 2)\n"
        '    Basic realm="a", Bearer realm="b\n'
        "                            ~~~~~~~~^"
    )
    assert error.value.line == 1


# Authorization: no secret in the message, the echo masks values with '*'.

SECRET_CASES = [
    (
        "digest-junk-after-response",
        'Digest username="Mufasa", response="6629fae49393a05397450978507c4ef1" x',
        ("Mufasa", "6629fae4"),
        (
            "Expected ',' after auth-param (missing comma?)\n"
            '    Digest username="******", response="********************************" *\n'
            "                                                                          ^"
        ),
    ),
    (
        "two-credentials",
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==, Basic x",
        ("QWxhZGRpbjpvcGVuIHNlc2FtZQ",),
        (
            "Expected one credentials: the field is not a list (RFC 9110 §11.6.2)\n"
            "    Basic **************************==, ***** *\n"
            "                                        ^"
        ),
    ),
    (
        "nul-inside-token68",
        "Basic QWxh\x00ZGRp",
        ("QWxh", "ZGRp"),
        (
            "Control character not allowed in a field value (RFC 9110 §5.5)\n"
            "    Basic *********\n"
            "              ^"
        ),
    ),
    (
        "quoted-value-that-looks-like-params",
        'Digest response="a=b, c=d" "',
        ("a=b", "c=d"),
        (
            "Expected ',' after auth-param (missing comma?)\n"
            '    Digest response="********" "\n'
            "                               ^"
        ),
    ),
    (
        "escaped-quote-in-secret",
        'Digest response="zq\\"xw", x',
        ("zq", "xw"),
        (
            "Expected one credentials: the field is not a list (RFC 9110 §11.6.2)\n"
            '    Digest response="******", *\n'
            "                              ^"
        ),
    ),
]


@pytest.mark.parametrize(
    ("case_id", "value", "secrets", "rendering"), SECRET_CASES, ids=[c[0] for c in SECRET_CASES]
)
def test_authorization_errors_mask_secrets(
    case_id: str, value: str, secrets: tuple[str, ...], rendering: str
) -> None:
    for parse in (parse_authorization, parse_proxy_authorization):
        with pytest.raises(ParseError) as error:
            parse(value)
        assert str(error.value) == rendering
        for secret in secrets:
            assert secret not in str(error.value)
            assert secret not in error.value.source
            assert secret not in repr(error.value)
            assert secret not in str(error.value.args)


def test_authorization_error_in_lenient_mode_masks_too() -> None:
    with pytest.raises(ParseError) as error:
        parse_authorization("Basic s3cr3t\r\n", strict=False)
    assert "s3cr3t" not in str(error.value)


def test_position_and_span() -> None:
    with pytest.raises(ParseError) as error:
        parse_www_authenticate('Basic realm="x')
    assert error.value.position == 14
    assert error.value.span == (6, 15)
    assert error.value.source == 'Basic realm="x'


def test_parse_error_pickles() -> None:
    with pytest.raises(ParseError) as error:
        parse_authentication_info("a=1 b=2")
    copy = pickle.loads(pickle.dumps(error.value))
    assert str(copy) == str(error.value)
    assert copy.position == error.value.position == 4


def test_parse_error_is_not_chained_to_internal_exceptions() -> None:
    with pytest.raises(ParseError) as error:
        parse_www_authenticate("=")
    assert error.value.__cause__ is None
    assert error.value.__suppress_context__


@pytest.mark.parametrize(
    "value",
    ["QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln,"],
    ids=["token68-without-scheme", "jwt-without-scheme"],
)
def test_a_secret_sent_without_its_scheme_is_masked(value: str) -> None:
    secret = value.rstrip("=,")
    with pytest.raises(ParseError) as error:
        parse_authorization(value)
    assert secret[:8] not in str(error.value)


def test_a_lone_word_credentials_repr_masks_an_unknown_scheme() -> None:
    jwt = parse_authorization("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln")
    assert "eyJ" not in repr(jwt)
    assert "Negotiate" in repr(parse_authorization("Negotiate"))


# A long value is echoed as a window of about 60 columns around the caret (issue 12).


def test_long_value_echoes_a_window_around_the_caret() -> None:
    value = 'Basic realm="' + "a" * 200 + "\x01" + "b" * 200 + '"'
    with pytest.raises(ParseError) as error:
        parse_www_authenticate(value)
    heading, echo, carets = str(error.value).split("\n")
    assert heading == "Control character not allowed in a field value (RFC 9110 §5.5)"
    # 40 characters before the error, the error (rendered as \x01), 19 after, cut ends marked.
    assert echo == "    …" + "a" * 40 + "\\x01" + "b" * 19 + "…"
    assert carets == "     " + "~" * 40 + "^"
    # The attributes still describe the whole value.
    assert error.value.source == value and error.value.position == 213
    assert error.value.span == (6, 214)  # the element read starts before the window


def test_window_at_either_end_keeps_60_columns() -> None:
    with pytest.raises(ParseError) as error:
        parse_www_authenticate("Basic \x01" + "A" * 500)
    assert str(error.value).split("\n")[1:] == [
        "    Basic \\x01" + "A" * 53 + "…",
        "          ^",
    ]
    with pytest.raises(ParseError) as error:
        parse_www_authenticate('Basic realm="' + "a" * 500)
    assert str(error.value).split("\n")[1:] == ["    …" + "a" * 60, "     " + "~" * 60 + "^"]


def test_values_up_to_80_characters_are_echoed_whole() -> None:
    value = 'Basic realm="' + "a" * 66 + "\x01"
    assert len(value) == 80
    with pytest.raises(ParseError) as error:
        parse_www_authenticate(value)
    assert str(error.value).split("\n")[1] == '    Basic realm="' + "a" * 66 + "\\x01"


def test_error_on_a_megabyte_value_renders_a_short_message() -> None:
    megabyte = 10**6
    for value, position in (
        ("Basic " + "A" * megabyte + "\x01", 6 + megabyte),
        ("Basic \x01" + "A" * megabyte, 6),
    ):
        with pytest.raises(ParseError) as error:
            parse_authorization(value)
        assert error.value.position == position
        assert len(str(error.value)) < 250
        assert error.value.args == (error.value.message,)  # rendered on demand, not stored


def test_window_of_credentials_is_masked() -> None:
    secret = "c2VjcmV0LXRva2VuLXRoYXQtaXMtbG9uZw"
    value = 'Digest username="' + "u" * 100 + f'", response="{secret * 4}", nonce="n" x'
    for parse in (parse_authorization, parse_proxy_authorization):
        with pytest.raises(ParseError) as error:
            parse(value)
        text = str(error.value)
        echo = text.split("\n")[1]
        assert echo == "    …" + "*" * 46 + '", nonce="*" *'  # the last 60 columns
        assert "uuu" not in text and secret[:8] not in text and secret[:8] not in repr(error.value)
        assert text.split("\n")[2] == " " * (len(echo) - 1) + "^"  # under the x


def test_pickled_error_renders_the_same() -> None:
    with pytest.raises(ParseError) as error:
        parse_www_authenticate('Basic realm="' + "a" * 300)
    copy = pickle.loads(pickle.dumps(error.value))
    assert str(copy) == str(error.value) and copy.source == error.value.source
