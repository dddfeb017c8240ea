"""Choosing which of a server's challenges to answer (RFC 9110 §11.6.1, RFC 7616 §3.7)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .errors import ParseError
from .model import Challenge, ascii_lower

__all__ = ["select_challenge"]


def _can_answer_digest(challenge: Challenge, *, body_available: bool) -> bool:
    """Whether :func:`wwwauth.digest.respond` can answer ``challenge``."""
    # Imported here so that ``import wwwauth`` does not pay for the Digest scheme.
    from . import digest

    try:
        view = digest.DigestChallenge.from_challenge(challenge)
    except ParseError:
        return False
    # RFC 7616 §3.3: "If the algorithm is not understood, the challenge SHOULD be ignored"
    if not digest.is_supported_algorithm(view.effective_algorithm):
        return False
    # RFC 7616 §4: "If the user agent does not support the encoding ... it can fail"
    if view.charset is not None and ascii_lower(view.charset) != "utf-8":
        return False
    offered = {ascii_lower(option) for option in view.qop}
    if not offered:
        # RFC 2069 form: fine, unless a -sess algorithm needs the cnonce that only qop brings.
        return not ascii_lower(view.effective_algorithm).endswith("-sess")
    if digest.QOP_AUTH in offered:
        return True
    # auth-int hashes the request content: only when the caller has it at hand.
    return digest.QOP_AUTH_INT in offered and body_available


def _can_answer(challenge: Challenge, *, body_available: bool) -> bool:
    if ascii_lower(challenge.scheme) == "digest":
        return _can_answer_digest(challenge, body_available=body_available)
    return True


def select_challenge(
    challenges: Iterable[Challenge],
    supported: Sequence[str],
    *,
    body_available: bool = True,
) -> Challenge | None:
    """Pick the challenge to answer: the caller's preference first, then the server's order.

    For each scheme name in ``supported`` (most preferred first, ASCII case ignored),
    the first challenge of that scheme that can be answered wins. The position of a
    challenge in the field does not make it preferred: RFC 9110 §11.6.1 leaves the
    choice to the client. Among challenges of one scheme the server's order is kept,
    which for Digest is its order of preference (RFC 7616 §3.7).

    Skipped as unanswerable: a Digest challenge that does not parse as one (no realm or
    nonce), whose algorithm :mod:`wwwauth.digest` cannot compute (RFC 7616 §3.3: "SHOULD
    be ignored"), whose charset is not UTF-8, that offers no qop this library knows, or
    that offers only ``auth-int`` when ``body_available`` is False.

    Args:
        challenges: the challenges received, in order.
        supported: the scheme names the caller can answer, most preferred first.
        body_available: whether the caller can hash the request content, as Digest
            ``qop=auth-int`` requires (False for a streamed upload, say).

    Returns:
        The chosen challenge, or None when no challenge can be answered.

    Raises:
        TypeError: ``supported`` is a single ``str`` (a sequence of names is expected).

    >>> from wwwauth import parse_www_authenticate
    >>> challenges = parse_www_authenticate('Basic realm="a", Digest realm="b", nonce="n", algorithm=SHA-1')
    >>> select_challenge(challenges, ["Digest", "Basic"]).scheme
    'Basic'
    """
    if isinstance(supported, str):
        raise TypeError("supported must be a sequence of scheme names, not a str")
    candidates = list(challenges)
    for name in supported:
        wanted = ascii_lower(name)
        for challenge in candidates:
            if ascii_lower(challenge.scheme) == wanted and _can_answer(
                challenge, body_available=body_available
            ):
                return challenge
    return None
