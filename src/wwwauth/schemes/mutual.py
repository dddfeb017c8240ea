"""The Mutual scheme view, RFC 8120 §4: :class:`MutualChallenge`, :class:`MutualCredentials`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar, Final, Literal

from .._abnf import DIGIT
from .._scheme import SchemeSpec
from ..model import AuthParams, ascii_lower
from ._shared import ChallengeView, CredentialsView, read_int

MUTUAL: Final = "Mutual"


MutualChallengeMessage = Literal["401-INIT", "401-STALE", "401-KEX-S1"]
MutualRequestMessage = Literal["req-KEX-C1", "req-VFY-C"]

# RFC 8120 §4: the parameters of each message, in its order; none is required of every one.
_COMMON: Final = ("version", "algorithm", "validation", "auth-scope", "realm")
_CHALLENGE: Final = SchemeSpec(
    MUTUAL,
    (*_COMMON, "reason", "sid", "ks1", "nc-max", "nc-window", "time", "path"),
    rfc="RFC 8120 §4",
    readers=dict.fromkeys(("version", "nc-max", "nc-window", "time"), read_int),
)
_REQUEST: Final = SchemeSpec(
    MUTUAL,
    (*_COMMON, "user", "kc1", "sid", "nc", "vkc"),
    rfc="RFC 8120 §4",
    readers=dict.fromkeys(("version", "nc"), read_int),
)


def _numbered(params: Mapping[str, str], prefix: str) -> list[str]:
    """Names like ``ks1``, ``kc2``: the prefix followed by decimal digits."""
    return [
        name
        for name in params
        if ascii_lower(name).startswith(prefix)
        and name[len(prefix) :] != ""
        and all(char in DIGIT for char in name[len(prefix) :])
    ]


def _keys(
    params: Mapping[str, str], prefix: str, names: tuple[str, ...], *, numbered_first: bool
) -> list[str]:
    """The names of one side's key-exchange parameters: ``prefix#`` ones and ``names``."""
    numbered = _numbered(params, prefix)
    plain = [name for name in params if ascii_lower(name) in names]
    return numbered + plain if numbered_first else plain + numbered


def _problem(kind: str, own: list[str], alien: list[str], choices: str) -> tuple[str, str] | None:
    """RFC 8120 §4: at most one of ``own`` ("mutually exclusive"), none of ``alien``."""
    if len(own) > 1:
        return own[1], f"Expected only one of {choices} (RFC 8120 §4)"
    if alien:
        return alien[0], f"A {kind} must not carry {alien[0]!r} (RFC 8120 §4)"
    return None


def _mutual_challenge_problem(params: Mapping[str, str]) -> tuple[str, str] | None:
    """The parameter that breaks RFC 8120 §4's rules for a challenge, and why; or None."""
    own = _keys(params, "ks", ("reason", "vks"), numbered_first=False)
    alien = _keys(params, "kc", ("vkc",), numbered_first=True)
    return _problem("challenge", own, alien, "reason, ks# and vks")


def _mutual_request_problem(params: Mapping[str, str]) -> tuple[str, str] | None:
    """The parameter that breaks RFC 8120 §4's rules for a request, and why; or None."""
    own = _keys(params, "kc", ("vkc",), numbered_first=True)
    alien = _keys(params, "ks", ("reason", "vks"), numbered_first=True)
    return _problem("request", own, alien, "kc# and vkc")


# repr=False: each view class writes its own (the credentials' shows no value).
@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class _MutualView:
    """The parameters every Mutual message may carry (RFC 8120 §4), first in each."""

    version: int | None = None
    algorithm: str | None = None
    validation: str | None = None
    auth_scope: str | None = None
    realm: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MutualChallenge(_MutualView, ChallengeView):
    """A Mutual challenge (RFC 8120 §4.1, §4.3): 401-INIT, 401-STALE or 401-KEX-S1.

    At most one of ``reason``, ``ks#`` and ``vks``, and no ``kc#`` or ``vkc`` (RFC 8120
    §4: "mutually exclusive", "MUST NOT contain"): the reader refuses them with a
    ParseError, the constructor (as extensions) with a ValueError.

    Attributes:
        version: the protocol version (``1``), or None.
        algorithm, validation, auth_scope, realm: as written, or None.
        reason: why the server challenges (``initial``, ``stale-session``,
            ``auth-failed``, ...), in 401-INIT and 401-STALE.
        sid, ks1: the session id and server key-exchange value of 401-KEX-S1.
        nc_max, nc_window, time: the 401-KEX-S1 integers.
        path: the 401-KEX-S1 path list, or None.
        extensions: every other parameter.
    """

    reason: str | None = None
    sid: str | None = None
    ks1: str | None = None
    nc_max: int | None = None
    nc_window: int | None = None
    time: int | None = None
    path: str | None = None
    extensions: AuthParams = field(default_factory=AuthParams)

    _SPEC: ClassVar[SchemeSpec] = _CHALLENGE
    _problem = staticmethod(_mutual_challenge_problem)

    @property
    def message(self) -> MutualChallengeMessage | None:
        """Which RFC 8120 §4 message this is, or None when it cannot tell."""
        if self.reason is not None:
            return "401-STALE" if self.reason == "stale-session" else "401-INIT"
        if self.ks1 is not None:
            return "401-KEX-S1"
        return None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class MutualCredentials(_MutualView, CredentialsView):
    """Mutual credentials (RFC 8120 §4.2, §4.4): req-KEX-C1 or req-VFY-C. ``repr`` shows no value.

    Not both a ``kc#`` and ``vkc``, and none of ``reason``, ``ks#``, ``vks`` (RFC 8120
    §4): the reader refuses them with a ParseError, the constructor (as extensions) with
    a ValueError.

    Attributes:
        version, algorithm, validation, auth_scope, realm: as in the challenge.
        user, kc1: the user name and client key-exchange value of req-KEX-C1.
        sid, nc, vkc: the session id, nonce number and client verifier of req-VFY-C.
        extensions: every other parameter.
    """

    user: str | None = None
    kc1: str | None = None
    sid: str | None = None
    nc: int | None = None
    vkc: str | None = None
    extensions: AuthParams = field(default_factory=AuthParams)

    _SPEC: ClassVar[SchemeSpec] = _REQUEST
    _problem = staticmethod(_mutual_request_problem)

    @property
    def message(self) -> MutualRequestMessage | None:
        """Which RFC 8120 §4 message this is, or None when it cannot tell."""
        if self.kc1 is not None:
            return "req-KEX-C1"
        if self.vkc is not None:
            return "req-VFY-C"
        return None
