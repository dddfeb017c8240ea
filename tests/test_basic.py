"""The Basic scheme (RFC 7617): RFC examples, strict decoding, errors that keep secrets."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwwauth import (
    Challenge,
    Credentials,
    ParseError,
    basic,
    parse_authorization,
    parse_proxy_authorization,
    parse_www_authenticate,
    strategies,
)
from wwwauth._abnf import CTL
from wwwauth.basic import _decode_basic_text, _decode_or_fail

# --------------------------------------------------------------------------- RFC examples


def test_rfc7617_2_challenge() -> None:
    # RFC 7617 §2: WWW-Authenticate: Basic realm="WallyWorld"
    example = 'Basic realm="WallyWorld"'
    assert parse_www_authenticate(example) == [basic.challenge("WallyWorld")]
    assert str(basic.challenge("WallyWorld")) == example


def test_rfc7617_2_aladdin_encode() -> None:
    # RFC 7617 §2: Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==
    assert str(basic.encode("Aladdin", "open sesame")) == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="


def test_rfc7617_2_aladdin_decode() -> None:
    assert basic.decode("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==") == ("Aladdin", "open sesame")
    assert basic.decode(parse_authorization("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")) == (
        "Aladdin",
        "open sesame",
    )


def test_rfc7617_2_1_challenge_with_charset() -> None:
    # RFC 7617 §2.1: WWW-Authenticate: Basic realm="foo", charset="UTF-8"
    # (the RFC notes the server chose the quoted-string form; we send the token form)
    assert parse_www_authenticate('Basic realm="foo", charset="UTF-8"') == [
        basic.challenge("foo", charset="UTF-8")
    ]
    assert str(basic.challenge("foo", charset="UTF-8")) == 'Basic realm="foo", charset=UTF-8'


def test_rfc7617_2_1_user_pass_octets() -> None:
    # RFC 7617 §2.1: 74 65 73 74 3A 31 32 33 C2 A3
    token68 = basic.encode("test", "123\u00a3").token68
    assert token68 is not None
    assert base64.b64decode(token68) == bytes.fromhex("74 65 73 74 3A 31 32 33 C2 A3")


def test_rfc7617_2_1_test_pound() -> None:
    # RFC 7617 §2.1: dGVzdDoxMjPCow== ; Authorization: Basic dGVzdDoxMjPCow==
    assert str(basic.encode("test", "123\u00a3")) == "Basic dGVzdDoxMjPCow=="
    assert basic.decode("Basic dGVzdDoxMjPCow==") == ("test", "123\u00a3")


def test_rfc7617_2_1_proxy_authorization() -> None:
    # RFC 7617 §2.1: Proxy-Authorization: Basic dGVzdDoxMjPCow==
    assert basic.decode(parse_proxy_authorization("Basic dGVzdDoxMjPCow==")) == (
        "test",
        "123\u00a3",
    )


# --------------------------------------------------------------------------- encode


def test_challenge_charset_is_case_insensitive_and_kept_as_written() -> None:
    assert basic.challenge("r", charset="utf-8").params["charset"] == "utf-8"


def test_challenge_refuses_other_charsets() -> None:
    with pytest.raises(ValueError) as caught:
        basic.challenge("r", charset="ISO-8859-1")
    assert str(caught.value) == "charset 'ISO-8859-1' is not allowed: only 'UTF-8' (RFC 7617 §2.1)"


def test_encode_latin1_for_old_servers() -> None:
    assert (
        basic.encode("test", "123\u00a3", charset="iso-8859-1").token68
        == base64.b64encode(b"test:123\xa3").decode()
    )


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("Ala:ddin", "pw", "the user-id holds ':' at index 3 (RFC 7617 §2)"),
        ("Ala\tddin", "pw", "the user-id holds a control character at index 3 (RFC 7617 §2)"),
        (
            "Aladdin",
            "open\x7fsesame",
            "the password holds a control character at index 4 (RFC 7617 §2)",
        ),
        (
            "Aladdin",
            "open\r\nsesame",
            "the password holds a control character at index 4 (RFC 7617 §2)",
        ),
    ],
)
def test_encode_refuses(username: str, password: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        basic.encode(username, password)
    assert str(caught.value) == message
    assert password not in str(caught.value)


def test_encode_unencodable_does_not_show_the_password() -> None:
    with pytest.raises(ValueError) as caught:
        basic.encode("user", "s€cret", charset="latin-1")
    assert str(caught.value) == "the password holds a character 'latin-1' cannot encode at index 1"
    assert "€" not in str(caught.value)


@pytest.mark.parametrize(
    ("charset", "message"),
    [
        ("no-such-codec", "unknown charset 'no-such-codec'"),
        ("utf-16", "charset 'utf-16' is not compatible with US-ASCII (RFC 7617 §2)"),
    ],
)
def test_encode_refuses_charsets(charset: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        basic.encode("u", "p", charset=charset)
    assert str(caught.value) == message


# --------------------------------------------------------------------------- decode


def test_split_at_the_first_colon() -> None:
    token68 = base64.b64encode(b"user:pass:word").decode()
    assert basic.decode(f"Basic {token68}") == ("user", "pass:word")


def test_empty_user_and_password() -> None:
    assert basic.decode("Basic Og==") == ("", "")


def test_scheme_is_case_insensitive() -> None:
    assert basic.decode("BASIC QWxhZGRpbjpvcGVuIHNlc2FtZQ==") == ("Aladdin", "open sesame")


def test_decode_bytes_and_ows() -> None:
    assert basic.decode(b"  Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==  ") == ("Aladdin", "open sesame")


def test_decode_latin1() -> None:
    token68 = base64.b64encode(b"test:123\xa3").decode()
    assert basic.decode(f"Basic {token68}", charset="iso-8859-1") == ("test", "123\u00a3")


SECRET_TOKEN = "QWxhZGRpbjpvcGVuIHNlc2FtZQ"

DECODE_ERRORS = [
    pytest.param(
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ",
        "Expected base64 padded with '=' to a multiple of four characters (RFC 4648 §4)\n"
        "    Basic **************************\n"
        "          ~~~~~~~~~~~~~~~~~~~~~~~~~~^",
        id="padding-missing",
    ),
    pytest.param(
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZR==",
        "Expected canonical base64: the pad bits of the last character must be zero (RFC 4648 §3.5)\n"
        "    Basic **************************==\n"
        "          ~~~~~~~~~~~~~~~~~~~~~~~~~^",
        id="non-zero-pad-bits",
    ),
    pytest.param(
        "Basic QWxh-GRpbjpvcGVuIHNlc2FtZQ==",
        "Expected a base64 character (RFC 4648 §4)\n"
        "    Basic **************************==\n"
        "          ~~~~^",
        id="base64url-character",
    ),
    pytest.param(
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ===",
        "Expected base64 padded with '=' to a multiple of four characters (RFC 4648 §4)\n"
        "    Basic **************************===\n"
        "          ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~^",
        id="too-much-padding",
    ),
    pytest.param(
        "Basic QWxhZGRpbg==",
        "Expected ':' between user-id and password in the decoded user-pass (RFC 7617 §2)\n"
        "    Basic **********==\n"
        "          ~~~~~~~~~~~~^",
        id="no-colon",
    ),
    pytest.param(
        "Basic /w==",
        "The decoded user-pass is not valid utf-8 (RFC 7617 §2.1)\n    Basic **==\n          ^",
        id="not-utf-8",
    ),
    pytest.param(
        "Basic dXNlcjpwYXNzCg==",
        "The decoded password holds a control character (RFC 7617 §2)\n    Basic **************==\n          ^",
        id="ctl-in-password",
    ),
    pytest.param(
        "Basic dQl4OnB3",
        "The decoded user-id holds a control character (RFC 7617 §2)\n    Basic ********\n          ^",
        id="ctl-in-user-id",
    ),
    pytest.param(
        "Bearer QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        "Expected the Basic scheme, not 'Bearer'\n    Bearer **************************==\n    ^",
        id="wrong-scheme",
    ),
    pytest.param(
        'Basic realm="open sesame"',
        "Expected a token68 after 'Basic', not auth-params (RFC 7617 §2)\n"
        '    Basic realm="***********"\n'
        "          ^",
        id="auth-params",
    ),
]


@pytest.mark.parametrize(("value", "message"), DECODE_ERRORS)
def test_decode_errors(value: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        basic.decode(value)
    assert str(caught.value) == message


@pytest.mark.parametrize(("value", "message"), DECODE_ERRORS)
def test_decode_errors_never_echo_the_secret(value: str, message: str) -> None:
    secret = value.split(" ", 1)[1].rstrip("=")
    with pytest.raises(ParseError) as caught:
        basic.decode(value)
    for shown in (str(caught.value), repr(caught.value), caught.value.source):
        assert secret not in shown
        assert "sesame" not in shown and "open" not in shown


def test_decode_error_from_credentials_object_masks_too() -> None:
    with pytest.raises(ParseError) as caught:
        basic.decode(Credentials("Basic", token68=SECRET_TOKEN))
    assert caught.value.source == "Basic " + "*" * len(SECRET_TOKEN)
    assert caught.value.position == len("Basic ") + len(SECRET_TOKEN)


def test_decode_error_position_counts_leading_ows() -> None:
    with pytest.raises(ParseError) as caught:
        basic.decode("  Basic QWxh-GRpbjpvcGVuIHNlc2FtZQ==")
    assert caught.value.position == 2 + len("Basic ") + 4


def test_grammar_errors_come_from_the_parser_masked() -> None:
    with pytest.raises(ParseError) as caught:
        basic.decode("Basic QWxh ZGRp")
    assert "QWxh" not in str(caught.value)


def test_decode_refuses_unknown_charset() -> None:
    with pytest.raises(ValueError, match="unknown charset"):
        basic.decode("Basic Og==", charset="nope")


def test_credentials_repr_hides_the_token() -> None:
    creds = basic.encode("Aladdin", "open sesame")
    assert SECRET_TOKEN not in repr(creds)


def test_challenge_is_a_challenge() -> None:
    assert isinstance(basic.challenge("r"), Challenge)


# --------------------------------------------------------------------------- properties

user_ids = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters=[":", *CTL]))
passwords = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters=list(CTL)))


@given(user_ids, passwords)
def test_decode_inverts_encode(username: str, password: str) -> None:
    assert basic.decode(basic.encode(username, password)) == (username, password)


@given(user_ids, passwords)
def test_decode_inverts_encode_through_the_field_value(username: str, password: str) -> None:
    assert basic.decode(str(basic.encode(username, password))) == (username, password)


@given(
    user_ids.map(lambda u: u.encode("latin-1", "replace").decode("latin-1")),
    passwords.map(lambda p: p.encode("latin-1", "replace").decode("latin-1")),
)
def test_decode_inverts_encode_in_latin1(username: str, password: str) -> None:
    creds = basic.encode(username, password, charset="iso-8859-1")
    assert basic.decode(creds, charset="iso-8859-1") == (username, password)


@given(st.binary(max_size=64))
def test_decode_raises_only_parse_error(data: bytes) -> None:
    value = "Basic " + base64.b64encode(data).decode()
    try:
        user_id, password = basic.decode(value)
    except ParseError as exc:
        # The echo shows the scheme, then only "*" and the padding.
        assert set(exc.source[len("Basic ") :]) <= {"*", "="}
    else:
        assert f"{user_id}:{password}".encode() == data


# The fast path of decode (one check each, in C) answers exactly as the step-by-step
# reader, or leaves the value to it.

_USER_PASS_TEXT = st.one_of(st.text(max_size=6), st.text(alphabet="a:\x00\n\x7f\xe9", max_size=6))
_BASIC_LIKE = st.builds(
    lambda scheme, space, token68, tail: scheme + space + token68 + tail,
    st.sampled_from(["Basic", "basic", "BASIC", "bAsIc", "Bearer", " Basic", "Basi"]),
    st.sampled_from([" ", "  ", "\t", ""]),
    st.one_of(
        st.text(alphabet="AQgh/+-._~=" + " \x00é", max_size=10),
        st.tuples(_USER_PASS_TEXT, st.sampled_from([":", ""]), _USER_PASS_TEXT).map(
            lambda parts: base64.b64encode("".join(parts).encode()).decode()
        ),
    ),
    st.sampled_from(["", " ", "\t", ",", " x"]),
)


@given(st.one_of(_BASIC_LIKE, strategies.header_values("Authorization")))
def test_fast_path_agrees_with_the_reader(value: str) -> None:
    fast = _decode_basic_text(value, "utf-8")
    try:
        slow: tuple[str, str] | None = _decode_or_fail(value, "utf-8", "utf-8")
    except ParseError:
        slow = None
    assert fast is None or fast == slow
    try:
        assert basic.decode(value) == slow
    except ParseError:
        assert slow is None


def test_challenges_are_kept_for_the_same_arguments() -> None:
    assert basic.challenge("kept") is basic.challenge("kept")
    assert basic.challenge("kept") is not basic.challenge("kept", charset="UTF-8")
    with pytest.raises(TypeError, match="must be a str, not list"):
        basic.challenge(["x"])  # type: ignore[arg-type]  # the point of the test
    with pytest.raises(TypeError) as caught:
        basic.challenge(1)  # type: ignore[arg-type]  # the point of the test
    assert caught.value.__context__ is None  # refused once, not after a failed memo lookup
