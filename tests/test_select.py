"""select_challenge: the caller's preference, the server's order, skipping what cannot be answered."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwwauth import Challenge, digest, parse_www_authenticate
from wwwauth._select import select_challenge

# RFC 7616 §3.9.1: two Digest challenges, SHA-256 first (the server's preference, §3.7)
_NONCE_OPAQUE = (
    'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", '
    'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"'
)
RFC7616_CHALLENGES = [
    f'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, {_NONCE_OPAQUE}',
    f'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, {_NONCE_OPAQUE}',
]


def test_rfc7616_3_7_first_supported_digest_wins() -> None:
    challenges = parse_www_authenticate(RFC7616_CHALLENGES)
    chosen = select_challenge(challenges, ["Digest"])
    assert chosen is challenges[0]


def test_rfc9449_7_2_figure_17_caller_prefers_dpop() -> None:
    # RFC 9449 §7.2, Figure 17: WWW-Authenticate: Bearer, DPoP algs="ES256 PS256"
    challenges = parse_www_authenticate('Bearer, DPoP algs="ES256 PS256"')
    chosen = select_challenge(challenges, ["DPoP", "Bearer"])
    assert chosen is not None and chosen.scheme == "DPoP"
    chosen = select_challenge(challenges, ["Bearer", "DPoP"])
    assert chosen is not None and chosen.scheme == "Bearer"


def test_the_first_challenge_is_not_assumed_to_be_the_one() -> None:
    challenges = parse_www_authenticate('Basic realm="a", Digest realm="b", nonce="n", qop="auth"')
    assert select_challenge(challenges, ["Digest", "Basic"]) is challenges[1]


def test_names_ignore_case() -> None:
    challenges = parse_www_authenticate('digest realm="b", nonce="n"')
    assert select_challenge(challenges, ["DIGEST"]) is challenges[0]


def test_unsupported_algorithm_is_skipped_for_the_next_digest() -> None:
    challenges = parse_www_authenticate(
        'Digest realm="r", nonce="n", algorithm=SHA-1, Digest realm="r", nonce="n", algorithm=SHA-256'
    )
    assert select_challenge(challenges, ["Digest"]) is challenges[1]


def test_nothing_answerable_falls_to_the_next_scheme_then_none() -> None:
    challenges = parse_www_authenticate(
        'Digest realm="r", nonce="n", algorithm=SHA-1, Basic realm="r"'
    )
    assert select_challenge(challenges, ["Digest", "Basic"]) is challenges[1]
    assert select_challenge(challenges, ["Digest"]) is None
    assert select_challenge(challenges, ["Bearer"]) is None
    assert select_challenge([], ["Basic"]) is None


@pytest.mark.parametrize(
    ("challenge", "body_available", "answerable"),
    [
        pytest.param(
            'Digest realm="r", nonce="n", qop="auth-int"', True, True, id="auth-int-with-body"
        ),
        pytest.param(
            'Digest realm="r", nonce="n", qop="auth-int"', False, False, id="auth-int-without-body"
        ),
        pytest.param(
            'Digest realm="r", nonce="n", qop="auth, auth-int"', False, True, id="auth-also-offered"
        ),
        pytest.param(
            'Digest realm="r", nonce="n", qop="auth-conf"', True, False, id="unknown-qop-only"
        ),
        pytest.param('Digest realm="r", nonce="n"', False, True, id="rfc2069-no-qop"),
        pytest.param(
            'Digest realm="r", nonce="n", algorithm=MD5-sess', True, False, id="sess-without-qop"
        ),
        pytest.param(
            'Digest realm="r", nonce="n", charset=ISO-8859-1', True, False, id="other-charset"
        ),
        pytest.param('Digest realm="r", nonce="n", charset=utf-8', True, True, id="utf-8-any-case"),
        pytest.param('Digest realm="r"', True, False, id="no-nonce"),
        pytest.param("Digest abc", True, False, id="token68"),
        pytest.param(
            'Digest realm="r", nonce="n", algorithm=sha-512-256-SESS, qop="auth"',
            True,
            True,
            id="case",
        ),
    ],
)
def test_digest_answerability(challenge: str, body_available: bool, answerable: bool) -> None:
    challenges = parse_www_authenticate(challenge)
    chosen = select_challenge(challenges, ["Digest"], body_available=body_available)
    assert (chosen is not None) is answerable


def test_other_schemes_are_taken_as_they_are() -> None:
    challenges = parse_www_authenticate("Negotiate, NTLM, Bearer")
    assert select_challenge(challenges, ["ntlm"]) is challenges[1]


def test_accepts_any_iterable() -> None:
    challenges = parse_www_authenticate('Basic realm="a"')
    assert select_challenge(iter(challenges), ("Basic",)) is challenges[0]


def test_supported_must_not_be_a_string() -> None:
    with pytest.raises(TypeError) as caught:
        select_challenge([], "Basic")
    assert str(caught.value) == "supported must be a sequence of scheme names, not a str"


_digest_challenges = st.builds(
    lambda algorithm, qop, charset: Challenge(
        "Digest",
        [
            ("realm", "r"),
            ("nonce", "n"),
            *([("algorithm", algorithm)] if algorithm else []),
            *([("qop", qop)] if qop else []),
            *([("charset", charset)] if charset else []),
        ],
    ),
    st.sampled_from(["", "MD5", "SHA-256-sess", "SHA-512-256", "SHA-1", "md5-SESS"]),
    st.sampled_from(["", "auth", "auth-int", "auth, auth-int", "auth-conf"]),
    st.sampled_from(["", "UTF-8", "latin-1"]),
)


@given(st.lists(_digest_challenges, max_size=4), st.booleans())
def test_what_is_selected_can_be_answered(
    challenges: list[Challenge], body_available: bool
) -> None:
    chosen = select_challenge(challenges, ["Digest"], body_available=body_available)
    answerable = []
    for challenge in challenges:
        try:
            qop = None
            if not body_available:
                view = digest.DigestChallenge.from_challenge(challenge)
                qop = "auth" if "auth" in view.qop else ("none" if view.qop else None)
                if qop == "none":
                    continue
            digest.respond(challenge, username="u", password="p", method="GET", uri="/", qop=qop)
        except ValueError:
            continue
        answerable.append(challenge)
    assert chosen is (answerable[0] if answerable else None)


def test_import_wwwauth_does_not_import_digest() -> None:
    """``import wwwauth`` leaves the Digest scheme module unloaded until it is used."""
    import subprocess
    import sys

    code = 'import sys, wwwauth; print("wwwauth.digest" in sys.modules)'
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
