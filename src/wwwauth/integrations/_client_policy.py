"""What the client engine answers, and what it refuses (the policy of :mod:`._client`).

The requests and httpx integrations share it through :class:`._client.ClientAuth`; their
docstrings refer here. What it will not answer (the policy is applied before
:func:`wwwauth.select_challenge` chooses among what is left; when nothing is left the
401 or 407 is final):

* a proxy's 407 without proxy credentials: the origin's are never sent to a proxy;
* Basic, unless the request goes to an ``https`` origin or ``allow_basic_over_http`` is
  on (a proxy's Basic needs ``allow_basic_over_http``: the connection to the proxy is not
  seen from here);
* a downgrade: once Digest credentials were accepted by a protection space (an origin,
  or a proxy for that origin), Basic is not answered there again, nor is MD5 once a
  SHA-256 or SHA-512-256 Digest was accepted there; this holds over ``https`` too and
  with ``allow_basic_over_http`` (a new auth object starts afresh);
* a Digest algorithm below the minimum (:data:`DIGEST_ALGORITHM_RANKS`): by default MD5
  when the same field offers a stronger Digest challenge; with ``min_digest_algorithm``
  anything below it (MD5 < SHA-256 < SHA-512-256; ``-sess`` ranks with its base);
* a Digest challenge whose ``realm``, ``nonce`` or ``opaque`` is longer than
  :data:`MAX_ECHOED_PARAM_LENGTH` (1024), holds a character that cannot go back in a
  field value (a control character, or one above U+00FF), or whose answer would be
  longer than :data:`MAX_CREDENTIALS_LENGTH` (8192 octets); a ``nextnonce`` failing the
  same checks is ignored.

Octets above 0x7F (obs-text, RFC 9110 §5.6.4) are echoed as the same octets: header
field values are ISO-8859-1 here, both ways (RFC 9110 §5.5). Nothing about a challenge
makes the client raise anything but ``MutualAuthenticationError`` (with
``verify_rspauth=True``).

Every decision is logged on the ``wwwauth.integrations`` logger: at debug, the challenge
chosen, credentials sent at once, a refusal of them, a stale nonce answered again; a
warning when a 401 or 407 is returned unanswered, naming each scheme offered and why it
was refused (:func:`refusals`). Records hold scheme names, origins (no path or query) and
reasons, never a credential, password or nonce.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final

from .. import digest
from .._abnf import NOT_VALUE_CHAR_RE
from ..errors import ParseError
from ..model import Challenge, ascii_lower
from ..parsing import (
    parse_authentication_info,
    parse_proxy_authenticate,
    parse_proxy_authentication_info,
    parse_www_authenticate,
)

__all__ = [
    "DIGEST_ALGORITHM_RANKS",
    "MAX_CREDENTIALS_LENGTH",
    "MAX_ECHOED_PARAM_LENGTH",
    "digest_rank",
    "permitted",
    "read_challenges",
    "refusals",
]

ANSWERABLE: Final = frozenset({"basic", "digest"})
BASIC_RANK: Final = 0  # the password in clear: below every Digest algorithm
_SECURE_SCHEMES: Final = frozenset({"https", "wss"})

MAX_ECHOED_PARAM_LENGTH: Final = 1024
"""The longest ``realm``, ``nonce``, ``opaque`` or ``nextnonce`` answered, in characters
(octets: ISO-8859-1). Real servers send a few dozen; a longer one is a server making its
clients send (and keep) large fields, which the client does not."""

MAX_CREDENTIALS_LENGTH: Final = 8192
"""The longest Digest ``Authorization`` or ``Proxy-Authorization`` value sent, in octets
(Apache's default LimitRequestFieldSize is 8190): a longer answer is not sent."""

DIGEST_ALGORITHM_RANKS: Final[Mapping[str, int]] = MappingProxyType(
    {"MD5": 1, "SHA-256": 2, "SHA-512-256": 3}
)
"""The order of ``min_digest_algorithm``: MD5 < SHA-256 < SHA-512-256. A ``-sess``
variant ranks with its base algorithm (RFC 7616 §3.3: only the HA1 differs)."""

_RANKS_BY_KEY: Final = {ascii_lower(name): rank for name, rank in DIGEST_ALGORITHM_RANKS.items()}
STRONG_RANK: Final = DIGEST_ALGORITHM_RANKS["SHA-256"]


def digest_rank(algorithm: str) -> int | None:
    """The rank of Digest ``algorithm`` in :data:`DIGEST_ALGORITHM_RANKS`, None if unknown.

    >>> digest_rank("md5-sess"), digest_rank("SHA-512-256"), digest_rank("SHA-1")
    (1, 3, None)
    """
    key = ascii_lower(algorithm)
    return _RANKS_BY_KEY.get(key.removesuffix("-sess"))


def is_echoable(value: str | None) -> bool:
    """Whether a challenge's ``value`` can be sent back as it came: short, no CTL, <= U+00FF.

    RFC 9110 §5.5: a field value is VCHAR, SP, HTAB and obs-text; anything else (only a
    caller handing in ``str`` lines can bring it) is not answered rather than mangled.
    """
    return value is None or (
        len(value) <= MAX_ECHOED_PARAM_LENGTH and NOT_VALUE_CHAR_RE.search(value) is None
    )


_RANK_NAMES: Final = {rank: name for name, rank in DIGEST_ALGORITHM_RANKS.items()}
_SHOWN_LENGTH: Final = 40  # characters of a server's value shown in a refusal


def shown(value: str) -> str:
    """``value`` (a scheme or algorithm name the server sent) fit for a log line: repr, cut."""
    if len(value) > _SHOWN_LENGTH:
        return repr(value[:_SHOWN_LENGTH]) + "..."
    return repr(value)


def _digest_assessment(challenge: Challenge) -> tuple[int | None, str | None]:
    """(rank, None) for a Digest challenge that is safe to answer, else (None, why not).

    The reason names no parameter value: a nonce or opaque is the server's secret state.
    """
    try:
        view = digest.DigestChallenge.from_challenge(challenge)
    except ParseError:
        return None, "not a valid Digest challenge (RFC 7616 §3.3: realm and nonce are required)"
    if not all(map(is_echoable, (view.realm, view.nonce, view.opaque))):
        return None, (
            f"its realm, nonce or opaque is longer than {MAX_ECHOED_PARAM_LENGTH} characters "
            "or holds a character that cannot be sent back in a field value"
        )
    rank = digest_rank(view.effective_algorithm)
    if rank is None:
        return None, (
            f"algorithm {shown(view.effective_algorithm)} is not one this client answers "
            f"({', '.join(DIGEST_ALGORITHM_RANKS)})"
        )
    return rank, None


def basic_refusal(scheme: str, *, proxy: bool, floor: int, over_http: bool) -> str | None:
    """Why Basic may not be answered in a space (secure, or allowed; never above Basic), or None.

    >>> print(basic_refusal("https", proxy=False, floor=BASIC_RANK, over_http=False))
    None
    >>> basic_refusal("http", proxy=False, floor=BASIC_RANK, over_http=False)
    'Basic over http would send the password in clear (allow_basic_over_http=True allows it)'
    """
    if floor != BASIC_RANK:
        return (
            "Digest credentials were accepted in this protection space before: "
            "no downgrade to Basic"
        )
    if over_http:
        return None
    if proxy:
        return (
            "Basic to a proxy would send the password in clear "
            "(allow_basic_over_http=True allows it)"
        )
    if scheme not in _SECURE_SCHEMES:
        return (
            f"Basic over {scheme} would send the password in clear "
            "(allow_basic_over_http=True allows it)"
        )
    return None


def basic_allowed(scheme: str, *, proxy: bool, floor: int, over_http: bool) -> bool:
    """Whether Basic may be answered in a space: secure (or allowed), never above Basic.

    >>> basic_allowed("https", proxy=False, floor=BASIC_RANK, over_http=False)
    True
    >>> basic_allowed("http", proxy=False, floor=BASIC_RANK, over_http=False)
    False
    """
    return basic_refusal(scheme, proxy=proxy, floor=floor, over_http=over_http) is None


def refusals(
    challenges: Sequence[Challenge], *, basic: str | None, minimum: int
) -> list[str | None]:
    """Why the policy refuses each challenge, in the server's order (None: permitted).

    Basic is refused for the reason ``basic`` (None: permitted); a Digest challenge must
    parse, name a known algorithm at or above ``minimum`` (and SHA-256 when the same
    field offers SHA-256 or SHA-512-256), and have parameters it is safe to send back.
    Other schemes are not refused here: :func:`wwwauth.select_challenge` skips them.
    """
    assessed = [
        _digest_assessment(challenge) if ascii_lower(challenge.scheme) == "digest" else (None, None)
        for challenge in challenges
    ]
    strongest = max((rank for rank, _ in assessed if rank is not None), default=0)
    # The default minimum: MD5 is refused when a stronger Digest is offered beside it.
    beside = max(minimum, min(strongest, STRONG_RANK))
    reasons: list[str | None] = []
    for challenge, (rank, problem) in zip(challenges, assessed):
        scheme_name = ascii_lower(challenge.scheme)
        if scheme_name == "basic":
            reasons.append(basic)
        elif scheme_name != "digest":
            reasons.append(None)
        elif rank is None:
            reasons.append(problem)
        elif rank < minimum:
            reasons.append(
                f"its algorithm ranks below {_RANK_NAMES[minimum]}, the weakest answered "
                "here (min_digest_algorithm, or a stronger Digest accepted before in this "
                "protection space)"
            )
        elif rank < beside:
            reasons.append("a stronger Digest challenge is offered beside it")
        else:
            reasons.append(None)
    return reasons


def permitted(challenges: Sequence[Challenge], *, basic: bool, minimum: int) -> list[Challenge]:
    """The challenges the client may answer, in the server's order (see :func:`refusals`)."""
    basic_reason = None if basic else "Basic is not allowed here"
    reasons = refusals(challenges, basic=basic_reason, minimum=minimum)
    return [challenge for challenge, reason in zip(challenges, reasons) if reason is None]


def read_challenges(lines: Sequence[str | bytes], *, proxy: bool) -> list[Challenge]:
    """Every challenge of every field line, each line read on its own, leniently.

    A line that cannot be read at all is skipped, so one broken challenge does not
    hide the others. Repeated field lines form one list (RFC 9110 §5.3).

    >>> [c.scheme for c in read_challenges(['Newauth realm="x"', "Basic realm=My Server"], proxy=False)]
    ['Newauth', 'Basic']
    """
    parse = parse_proxy_authenticate if proxy else parse_www_authenticate
    challenges: list[Challenge] = []
    for line in lines:
        try:
            challenges += parse(line, strict=False)
        except ParseError:
            continue
    return challenges


def read_info(
    lines: Sequence[str | bytes], *, proxy: bool
) -> digest.DigestAuthenticationInfo | None:
    """The Digest Authentication-Info received, or None when absent or unreadable."""
    if not lines:
        return None
    parse = parse_proxy_authentication_info if proxy else parse_authentication_info
    try:
        params = parse(lines, strict=False)
    except ParseError:
        return None
    try:
        return digest.DigestAuthenticationInfo.from_params(params)
    except ParseError:
        # A server that sends qop without rspauth, cnonce or nc (RFC 7616 §3.5 wants all
        # three) still gets its nextnonce used; there is no rspauth to check.
        nextnonce = params.get("nextnonce")
        return None if nextnonce is None else digest.DigestAuthenticationInfo(nextnonce=nextnonce)
