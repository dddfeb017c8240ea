"""PrivateToken (RFC 9577): the RFC's examples and the typed views, read and built back."""

from __future__ import annotations

import base64
import hashlib

import pytest

from wwwauth import AuthParams, Credentials, parse_authorization, parse_www_authenticate
from wwwauth.schemes import PrivateTokenChallenge, PrivateTokenCredentials, TokenChallenge

from .rfc_figures import assert_secret_free, field, obs_fold, unwrap_fixed_width

# RFC 9577 §2.1.2, §2.1.2.1 and §2.2.2 print examples with placeholder values ("abc...");
# Appendix A prints test vectors with real ones. (Read from the RFC's final draft,
# draft-ietf-privacypass-auth-scheme-15, the version the RFC Editor published as RFC 9577.)

RFC9577_2_1_2 = """
WWW-Authenticate:
  PrivateToken challenge="abc...", token-key="123..."
"""

RFC9577_2_1_2_1 = """
WWW-Authenticate:
  PrivateToken challenge="abc...", token-key="123...",
  PrivateToken challenge="def...", token-key="234..."
"""

RFC9577_2_2_2 = """
Authorization: PrivateToken token="abc..."
"""


def test_rfc9577_2_1_2_challenge() -> None:
    """RFC 9577 §2.1.2's example, read strictly: its line break is obs-fold."""
    value = field(obs_fold(RFC9577_2_1_2), "WWW-Authenticate")
    assert value == 'PrivateToken challenge="abc...", token-key="123..."'
    (challenge,) = parse_www_authenticate(value)
    view = PrivateTokenChallenge.from_challenge(challenge)
    assert (view.challenge, view.token_key, view.max_age) == ("abc...", "123...", None)
    assert view.to_challenge() == challenge
    assert (
        str(view.to_challenge()) == "PrivateToken challenge=abc..., token-key=123..."
    )  # tokens: unquoted
    # The RFC's values are placeholders, not base64url: decoding them is an error.
    with pytest.raises(ValueError):
        view.token_challenge()


def test_rfc9577_2_1_2_1_multiple_challenges() -> None:
    """RFC 9577 §2.1.2.1's example, read strictly: two challenges in one field line."""
    value = field(obs_fold(RFC9577_2_1_2_1), "WWW-Authenticate")
    views = [
        PrivateTokenChallenge.from_challenge(challenge)
        for challenge in parse_www_authenticate(value)
    ]
    assert [(v.challenge, v.token_key) for v in views] == [
        ("abc...", "123..."),
        ("def...", "234..."),
    ]


def test_rfc9577_2_2_2_credentials() -> None:
    """RFC 9577 §2.2.2's example, read strictly."""
    value = field(RFC9577_2_2_2, "Authorization")
    credentials = parse_authorization(value)
    view = PrivateTokenCredentials.from_credentials(credentials)
    assert view.token == "abc..."
    assert view.to_credentials() == credentials
    assert_secret_free(view, "abc...")


# RFC 9577 Appendix A.2, the three WWW-Authenticate field lines, each with the parameters
# the RFC lists for its challenges: (token type, token-key, max-age, token-challenge) in
# hexadecimal, None for the Basic challenge. The hex strings keep the RFC's line breaks.
_A2_TOKEN_KEY_2 = (
    "30820152303d06092a864886f70d01010a3030a00d300b060960864"
    "8016503040202a11a301806092a864886f70d010108300b060960864801650304020"
    "2a2030201300382010f003082010a0282010100cb1aed6b6a95f5b1ce013a4cfcab2"
    "5b94b2e64a23034e4250a7eab43c0df3a8c12993af12b111908d4b471bec31d4b6c9"
    "ad9cdda90612a2ee903523e6de5a224d6b02f09e5c374d0cfe01d8f529c500a78a2f"
    "67908fa682b5a2b430c81eaf1af72d7b5e794fc98a3139276879757ce453b526ef9b"
    "f6ceb99979b8423b90f4461a22af37aab0cf5733f7597abe44d31c732db68a181c6c"
    "bbe607d8c0e52e0655fd9996dc584eca0be87afbcd78a337d17b1dba9e828bbd81e2"
    "91317144e7ff89f55619709b096cbb9ea474cead264c2073fe49740c01f00e109106"
    "066983d21e5f83f086e2e823c879cd43cef700d2a352a9babd612d03cad02db134b7"
    "e225a5f0203010001"
)
_A2_TOKEN_CHALLENGE_2 = (
    "0002000e6973737565722e6578616d706c65208a3e83a33d9"
    "8005d2f30bef419fa6bf4cd5c6005e36b1285bbb4ccd40fa4b383000e6f726967696"
    "e2e6578616d706c65"
)
_A2_TOKEN_KEY_1 = (
    "ebb1fed338310361c08d0c7576969671296e05e99a17d7926dfc28a"
    "53fabd489fac0f82bca86249a668f3a5bfab374c9"
)
_A2_TOKEN_CHALLENGE_1 = (
    "0001000e6973737565722e6578616d706c65208a3e83a33d9"
    "8005d2f30bef419fa6bf4cd5c6005e36b1285bbb4ccd40fa4b383000e6f726967696"
    "e2e6578616d706c65"
)
_A2_TOKEN_KEY_0 = (
    "856de3c710b892e7cca1ae5eb121af42ca8e779137a11224228c9b9"
    "9b0729bf84d5057d030000309b8f0d06ccffa17561f9eacd4c312e985a6bc60ffbea"
    "0610264dcb1726255313da81d665692686a1d8644f1516bf612cea009e6dff6d9a9a"
    "959fb538e1b5b2343c092992942382bdde22d5b324b1e4618ed21d7806286c2ce"
)
_A2_TOKEN_CHALLENGE_0 = (
    "0000acc3b25795c636fd9dd8b12982394abba8777d35978e8"
    "77fc8848892a217233045ac25a3d55c07c54efe6372973fee0073e77fc61bf19ab88"
    "0f20edf5d627502"
)

RFC9577_A_2 = [
    (
        """
   WWW-Authenticate: PrivateToken challenge="AAIADmlzc3Vlci5leGFtcGxlII
   o-g6M9mABdLzC-9Bn6a_TNXGAF42sShbu0zNQPpLODAA5vcmlnaW4uZXhhbXBsZQ==",
    token-key="MIIBUjA9BgkqhkiG9w0BAQowMKANMAsGCWCGSAFlAwQCAqEaMBgGCSqG
   SIb3DQEBCDALBglghkgBZQMEAgKiAwIBMAOCAQ8AMIIBCgKCAQEAyxrta2qV9bHOATpM
   _KsluUsuZKIwNOQlCn6rQ8DfOowSmTrxKxEZCNS0cb7DHUtsmtnN2pBhKi7pA1I-beWi
   JNawLwnlw3TQz-Adj1KcUAp4ovZ5CPpoK1orQwyB6vGvcte155T8mKMTknaHl1fORTtS
   bvm_bOuZl5uEI7kPRGGiKvN6qwz1cz91l6vkTTHHMttooYHGy75gfYwOUuBlX9mZbcWE
   7KC-h6-814ozfRex26noKLvYHikTFxROf_ifVWGXCbCWy7nqR0zq0mTCBz_kl0DAHwDh
   CRBgZpg9IeX4PwhuLoI8h5zUPO9wDSo1Kpur1hLQPK0C2xNLfiJaXwIDAQAB",unknow
   nChallengeAttribute="ignore-me", max-age="10"
""",
        [(0x0002, _A2_TOKEN_KEY_2, 10, _A2_TOKEN_CHALLENGE_2)],
    ),
    (
        """
   WWW-Authenticate: PrivateToken challenge="AAIADmlzc3Vlci5leGFtcGxlII
   o-g6M9mABdLzC-9Bn6a_TNXGAF42sShbu0zNQPpLODAA5vcmlnaW4uZXhhbXBsZQ==",
    token-key="MIIBUjA9BgkqhkiG9w0BAQowMKANMAsGCWCGSAFlAwQCAqEaMBgGCSqG
   SIb3DQEBCDALBglghkgBZQMEAgKiAwIBMAOCAQ8AMIIBCgKCAQEAyxrta2qV9bHOATpM
   _KsluUsuZKIwNOQlCn6rQ8DfOowSmTrxKxEZCNS0cb7DHUtsmtnN2pBhKi7pA1I-beWi
   JNawLwnlw3TQz-Adj1KcUAp4ovZ5CPpoK1orQwyB6vGvcte155T8mKMTknaHl1fORTtS
   bvm_bOuZl5uEI7kPRGGiKvN6qwz1cz91l6vkTTHHMttooYHGy75gfYwOUuBlX9mZbcWE
   7KC-h6-814ozfRex26noKLvYHikTFxROf_ifVWGXCbCWy7nqR0zq0mTCBz_kl0DAHwDh
   CRBgZpg9IeX4PwhuLoI8h5zUPO9wDSo1Kpur1hLQPK0C2xNLfiJaXwIDAQAB",unknow
   nChallengeAttribute="ignore-me", max-age="10", PrivateToken challeng
   e="AAEADmlzc3Vlci5leGFtcGxlIIo-g6M9mABdLzC-9Bn6a_TNXGAF42sShbu0zNQPp
   LODAA5vcmlnaW4uZXhhbXBsZQ==", token-key="67H-0zgxA2HAjQx1dpaWcSluBem
   aF9eSbfwopT-r1In6wPgryoYkmmaPOlv6s3TJ",unknownChallengeAttribute="ig
   nore-me", max-age="10"
""",
        [
            (0x0002, _A2_TOKEN_KEY_2, 10, _A2_TOKEN_CHALLENGE_2),
            (0x0001, _A2_TOKEN_KEY_1, 10, _A2_TOKEN_CHALLENGE_1),
        ],
    ),
    (
        """
   WWW-Authenticate: Basic realm="grease", PrivateToken challenge="AACs
   w7JXlcY2_Z3YsSmCOUq7qHd9NZeOh3_IhIiSohcjMEWsJaPVXAfFTv5jcpc_7gBz53_G
   G_GauIDyDt9dYnUC",token-key="hW3jxxC4kufMoa5esSGvQsqOd5E3oRIkIoybmbB
   ym_hNUFfQMAADCbjw0GzP-hdWH56s1MMS6YWmvGD_vqBhAmTcsXJiVTE9qB1mVpJoah2
   GRPFRa_YSzqAJ5t_22ampWftTjhtbI0PAkpkpQjgr3eItWzJLHkYY7SHXgGKGws4=",
   PrivateToken challenge="AAEADmlzc3Vlci5leGFtcGxlIIo-g6M9mABdLzC-9Bn6
   a_TNXGAF42sShbu0zNQPpLODAA5vcmlnaW4uZXhhbXBsZQ==", token-key="67H-0z
   gxA2HAjQx1dpaWcSluBemaF9eSbfwopT-r1In6wPgryoYkmmaPOlv6s3TJ",unknownC
   hallengeAttribute="ignore-me", max-age="10"
""",
        [
            None,
            (0x0000, _A2_TOKEN_KEY_0, None, _A2_TOKEN_CHALLENGE_0),
            (0x0001, _A2_TOKEN_KEY_1, 10, _A2_TOKEN_CHALLENGE_1),
        ],
    ),
]


@pytest.mark.parametrize(
    ("figure", "expected"),
    RFC9577_A_2,
    ids=[f"RFC9577-A.2-vector{i}" for i in range(1, len(RFC9577_A_2) + 1)],
)
def test_rfc9577_a_2_header_vectors(
    figure: str, expected: list[tuple[int, str, int | None, str] | None]
) -> None:
    """RFC 9577 Appendix A.2: valid RFC 9110 syntax, read strictly, each challenge against its listed values."""
    value = field(unwrap_fixed_width(figure), "WWW-Authenticate")
    challenges = parse_www_authenticate(value)
    assert len(challenges) == len(expected)
    for challenge, listed in zip(challenges, expected, strict=True):
        if listed is None:
            assert challenge.scheme == "Basic"
            continue
        token_type, token_key, max_age, token_challenge = listed
        view = PrivateTokenChallenge.from_challenge(challenge)
        assert view.max_age == max_age
        assert view.token_key_bytes() == bytes.fromhex(token_key)
        raw = base64.urlsafe_b64decode(view.challenge)
        assert raw == bytes.fromhex(token_challenge)
        if token_type == 0x0000:
            # A grease challenge: random octets after the type, which clients ignore.
            with pytest.raises(ValueError):
                view.token_challenge()
        else:
            decoded = view.token_challenge()
            assert decoded.token_type == token_type
            assert (decoded.issuer_name, decoded.origin_info) == (
                "issuer.example",
                ("origin.example",),
            )
            assert decoded.encode() == raw
            # "an unknown (not specified) parameter that implementations are meant to ignore"
            assert view.extensions == AuthParams([("unknownChallengeAttribute", "ignore-me")])
        assert PrivateTokenChallenge.from_challenge(view.to_challenge()) == view


# RFC 9577 Appendix A.1, test vectors 1-5 (token type 0x0002, issuer_name "issuer.example"):
# (redemption_context, origin_info, token_authenticator_input), in hexadecimal.
# token_authenticator_input = token_type || nonce || SHA-256(TokenChallenge) || token_key_id.
_A1_NONCE = "e01978182c469e5e026d66558ee186568614f235e41ef7e2378e6f202688abab"
_A1_TOKEN_KEY_ID = "ca572f8982a9ca248a3056186322d93ca147266121ddeb5632c07f1f71cd2708"
_A1_CONTEXT = "476ac2c935f458e9b2d7af32dacfbd22dd6023ef5887a789f1abe004e79bb5bb"
RFC9577_A_1 = [
    (
        _A1_CONTEXT,
        "6f726967696e2e6578616d706c65",
        (
            "0002e01978182c469e5e026d66558ee1865686"
            "14f235e41ef7e2378e6f202688abab8e1d5518ec82964255526efd8f9db88205a"
            "8ddd3ffb1db298fcc3ad36c42388fca572f8982a9ca248a3056186322d93ca147"
            "266121ddeb5632c07f1f71cd2708"
        ),
    ),
    (
        "",
        "6f726967696e2e6578616d706c65",
        (
            "0002e01978182c469e5e026d66558ee1865686"
            "14f235e41ef7e2378e6f202688abab11e15c91a7c2ad02abd66645802373db1d8"
            "23bea80f08d452541fb2b62b5898bca572f8982a9ca248a3056186322d93ca147"
            "266121ddeb5632c07f1f71cd2708"
        ),
    ),
    (
        "",
        "",
        (
            "0002e01978182c469e5e026d66558ee1865686"
            "14f235e41ef7e2378e6f202688ababb741ec1b6fd05f1e95f8982906aec161289"
            "6d9ca97d53eef94ad3c9fe023f7a4ca572f8982a9ca248a3056186322d93ca147"
            "266121ddeb5632c07f1f71cd2708"
        ),
    ),
    (
        _A1_CONTEXT,
        "",
        (
            "0002e01978182c469e5e026d66558ee1865686"
            "14f235e41ef7e2378e6f202688ababb85fb5bc06edeb0e8e8bdb5b3bea8c4fa40"
            "837c82e8bcaf5882c81e14817ea18ca572f8982a9ca248a3056186322d93ca147"
            "266121ddeb5632c07f1f71cd2708"
        ),
    ),
    (
        _A1_CONTEXT,
        "666f6f2e6578616d706c652c6261722e6578616d706c65",
        (
            "0002e01978182c469e5e026d66558ee1865686"
            "14f235e41ef7e2378e6f202688ababa2a775866b6ae0f98944910c8f48728d8a2"
            "735b9157762ddbf803f70e2e8ba3eca572f8982a9ca248a3056186322d93ca147"
            "266121ddeb5632c07f1f71cd2708"
        ),
    ),
]


@pytest.mark.parametrize(
    ("redemption_context", "origin_info", "token_authenticator_input"),
    RFC9577_A_1,
    ids=[f"RFC9577-A.1-vector{i}" for i in range(1, len(RFC9577_A_1) + 1)],
)
def test_rfc9577_a_1_token_challenge_vectors(
    redemption_context: str, origin_info: str, token_authenticator_input: str
) -> None:
    """RFC 9577 Appendix A.1: the TokenChallenge encoding, checked through its SHA-256 digest."""
    origins = bytes.fromhex(origin_info).decode("ascii")
    token_challenge = TokenChallenge(
        token_type=0x0002,
        issuer_name=bytes.fromhex("6973737565722e6578616d706c65").decode("ascii"),
        redemption_context=bytes.fromhex(redemption_context),
        origin_info=tuple(origins.split(",")) if origins else (),
    )
    encoded = token_challenge.encode()
    digest = hashlib.sha256(encoded).digest()
    assert (
        b"\x00\x02" + bytes.fromhex(_A1_NONCE) + digest + bytes.fromhex(_A1_TOKEN_KEY_ID)
    ) == bytes.fromhex(token_authenticator_input)
    assert TokenChallenge.decode(encoded) == token_challenge


def test_token_challenge_structure() -> None:
    context = bytes(range(32))
    token_challenge = TokenChallenge(
        token_type=0x0002,
        issuer_name="issuer.example",
        redemption_context=context,
        origin_info=("origin.example", "other.example"),
    )
    encoded = token_challenge.encode()
    # RFC 9577 §2.1.1: uint16 type, <1..2^16-1> issuer, <0..32> context, <0..2^16-1> origin_info
    assert encoded == (
        b"\x00\x02"
        + b"\x00\x0eissuer.example"
        + b"\x20"
        + context
        + b"\x00\x1corigin.example,other.example"
    )
    view = PrivateTokenChallenge.for_token_challenge(
        token_challenge, token_key=b"\x01\x02", max_age=10
    )
    text = str(view.to_challenge())
    # base64url with its padding (RFC 9577 §2.1.2), so a padded value goes out quoted
    assert text.endswith(', token-key="AQI=", max-age=10')
    again = PrivateTokenChallenge.from_challenge(text)
    assert again == view
    assert again.token_challenge() == token_challenge
    assert again.token_key_bytes() == b"\x01\x02"


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x02\x00",
        b"\x00\x02\x00\x00\x00\x00\x00",
        b"\x00\x02\x00\x01i\x05abcde\x00\x00",
        b"\x00\x02\x00\x01i\x00\x00\x00!",
    ],
    ids=["truncated", "empty-issuer", "bad-context-length", "trailing"],
)
def test_token_challenge_refuses(data: bytes) -> None:
    with pytest.raises(ValueError):
        TokenChallenge.decode(data)


def test_types() -> None:
    assert isinstance(PrivateTokenCredentials(token="t").to_credentials(), Credentials)
