"""Examples from the RFCs, verbatim except for line folding.

The RFCs print long field values over several lines; a recipient replaces such a fold
with a single SP (RFC 9110 §5.5), and a hex digest that the RFC wraps mid-value is
joined without one, as the text around it says it is a single value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Field = Literal["WWW-Authenticate", "Authorization", "Authentication-Info"]
Params = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Vector:
    id: str  # RFC and section
    field: Field
    value: str
    expected: tuple[tuple[str, Params, str | None], ...]  # (scheme, params, token68) each


DIGEST_NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
DIGEST_OPAQUE = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
DIGEST_CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
SHA512_NONCE = "5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK"
SHA512_OPAQUE = "HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS"
SHA512_CNONCE = "NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v"


def _digest_challenge(algorithm: str) -> tuple[str, Params, None]:
    return (
        "Digest",
        (
            ("realm", "http-auth@example.org"),
            ("qop", "auth, auth-int"),
            ("algorithm", algorithm),
            ("nonce", DIGEST_NONCE),
            ("opaque", DIGEST_OPAQUE),
        ),
        None,
    )


def _digest_credentials(algorithm: str, response: str) -> tuple[str, Params, None]:
    return (
        "Digest",
        (
            ("username", "Mufasa"),
            ("realm", "http-auth@example.org"),
            ("uri", "/dir/index.html"),
            ("algorithm", algorithm),
            ("nonce", DIGEST_NONCE),
            ("nc", "00000001"),
            ("cnonce", DIGEST_CNONCE),
            ("qop", "auth"),
            ("response", response),
            ("opaque", DIGEST_OPAQUE),
        ),
        None,
    )


VECTORS: tuple[Vector, ...] = (
    Vector(
        "RFC9110-11.6.1-two-challenges",
        "WWW-Authenticate",
        'Basic realm="simple", Newauth realm="apps", type=1, title="Login to \\"apps\\""',
        (
            ("Basic", (("realm", "simple"),), None),
            ("Newauth", (("realm", "apps"), ("type", "1"), ("title", 'Login to "apps"')), None),
        ),
    ),
    Vector(
        "RFC7235-4.1-newauth-first",  # the same example as RFC 9110's predecessor printed it
        "WWW-Authenticate",
        'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
        (
            ("Newauth", (("realm", "apps"), ("type", "1"), ("title", 'Login to "apps"')), None),
            ("Basic", (("realm", "simple"),), None),
        ),
    ),
    Vector(
        "RFC7617-2-challenge",
        "WWW-Authenticate",
        'Basic realm="WallyWorld"',
        (("Basic", (("realm", "WallyWorld"),), None),),
    ),
    Vector(
        "RFC7617-2-credentials",
        "Authorization",
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        (("Basic", (), "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),),
    ),
    Vector(
        "RFC7617-2.1-challenge-charset",
        "WWW-Authenticate",
        'Basic realm="foo", charset="UTF-8"',
        (("Basic", (("realm", "foo"), ("charset", "UTF-8")), None),),
    ),
    Vector(
        "RFC7617-2.1-credentials-utf8",
        "Authorization",
        "Basic dGVzdDoxMjPCow==",
        (("Basic", (), "dGVzdDoxMjPCow=="),),
    ),
    Vector(
        "RFC6750-2.1-credentials",
        "Authorization",
        "Bearer mF_9.B5f-4.1JqM",
        (("Bearer", (), "mF_9.B5f-4.1JqM"),),
    ),
    Vector(
        "RFC6750-3-realm",
        "WWW-Authenticate",
        'Bearer realm="example"',
        (("Bearer", (("realm", "example"),), None),),
    ),
    Vector(
        "RFC6750-3-invalid-token",
        "WWW-Authenticate",
        'Bearer realm="example", error="invalid_token", '
        'error_description="The access token expired"',
        (
            (
                "Bearer",
                (
                    ("realm", "example"),
                    ("error", "invalid_token"),
                    ("error_description", "The access token expired"),
                ),
                None,
            ),
        ),
    ),
    Vector(
        "RFC7616-3.9.1-challenges-two-field-lines",  # given as two lines, joined per §5.3
        "WWW-Authenticate",
        'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, '
        f'nonce="{DIGEST_NONCE}", opaque="{DIGEST_OPAQUE}", '
        'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, '
        f'nonce="{DIGEST_NONCE}", opaque="{DIGEST_OPAQUE}"',
        (_digest_challenge("SHA-256"), _digest_challenge("MD5")),
    ),
    Vector(
        "RFC7616-3.9.1-credentials-MD5",
        "Authorization",
        'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", '
        f'algorithm=MD5, nonce="{DIGEST_NONCE}", nc=00000001, cnonce="{DIGEST_CNONCE}", '
        f'qop=auth, response="8ca523f5e9506fed4657c9700eebdbec", opaque="{DIGEST_OPAQUE}"',
        (_digest_credentials("MD5", "8ca523f5e9506fed4657c9700eebdbec"),),
    ),
    Vector(
        "RFC7616-3.9.1-credentials-SHA-256",
        "Authorization",
        'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", '
        f'algorithm=SHA-256, nonce="{DIGEST_NONCE}", nc=00000001, cnonce="{DIGEST_CNONCE}", '
        'qop=auth, response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", '
        f'opaque="{DIGEST_OPAQUE}"',
        (
            _digest_credentials(
                "SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
            ),
        ),
    ),
    Vector(
        "RFC7616-3.9.2-challenge-SHA-512-256",
        "WWW-Authenticate",
        'Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, '
        f'nonce="{SHA512_NONCE}", opaque="{SHA512_OPAQUE}", charset=UTF-8, userhash=true',
        (
            (
                "Digest",
                (
                    ("realm", "api@example.org"),
                    ("qop", "auth"),
                    ("algorithm", "SHA-512-256"),
                    ("nonce", SHA512_NONCE),
                    ("opaque", SHA512_OPAQUE),
                    ("charset", "UTF-8"),
                    ("userhash", "true"),
                ),
                None,
            ),
        ),
    ),
    Vector(
        "RFC7616-3.9.2-credentials-username-star",
        "Authorization",
        "Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm=\"api@example.org\", "
        f'uri="/doe.json", algorithm=SHA-512-256, nonce="{SHA512_NONCE}", nc=00000001, '
        f'cnonce="{SHA512_CNONCE}", qop=auth, '
        'response="ae66e67d6b427bd3f120414a82e4acff38e8ecd9101d6c861229025f607a79dd", '
        f'opaque="{SHA512_OPAQUE}", userhash=false',
        (
            (
                "Digest",
                (
                    ("username*", "UTF-8''J%C3%A4s%C3%B8n%20Doe"),
                    ("realm", "api@example.org"),
                    ("uri", "/doe.json"),
                    ("algorithm", "SHA-512-256"),
                    ("nonce", SHA512_NONCE),
                    ("nc", "00000001"),
                    ("cnonce", SHA512_CNONCE),
                    ("qop", "auth"),
                    (
                        "response",
                        "ae66e67d6b427bd3f120414a82e4acff38e8ecd9101d6c861229025f607a79dd",
                    ),
                    ("opaque", SHA512_OPAQUE),
                    ("userhash", "false"),
                ),
                None,
            ),
        ),
    ),
    Vector(
        "RFC7616-3.9.2-credentials-userhash",
        "Authorization",
        'Digest username="488869477bf257147b804c45308cd62ac4e25eb717b12b298c79e62dcea254ec", '
        f'realm="api@example.org", uri="/doe.json", algorithm=SHA-512-256, nonce="{SHA512_NONCE}", '
        f'nc=00000001, cnonce="{SHA512_CNONCE}", qop=auth, '
        'response="ae66e67d6b427bd3f120414a82e4acff38e8ecd9101d6c861229025f607a79dd", '
        f'opaque="{SHA512_OPAQUE}", userhash=true',
        (
            (
                "Digest",
                (
                    (
                        "username",
                        "488869477bf257147b804c45308cd62ac4e25eb717b12b298c79e62dcea254ec",
                    ),
                    ("realm", "api@example.org"),
                    ("uri", "/doe.json"),
                    ("algorithm", "SHA-512-256"),
                    ("nonce", SHA512_NONCE),
                    ("nc", "00000001"),
                    ("cnonce", SHA512_CNONCE),
                    ("qop", "auth"),
                    (
                        "response",
                        "ae66e67d6b427bd3f120414a82e4acff38e8ecd9101d6c861229025f607a79dd",
                    ),
                    ("opaque", SHA512_OPAQUE),
                    ("userhash", "true"),
                ),
                None,
            ),
        ),
    ),
)
