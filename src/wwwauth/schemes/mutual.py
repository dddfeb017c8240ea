"""The Mutual scheme view, RFC 8120 §4: :class:`MutualChallenge`, :class:`MutualCredentials`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

from .._scheme import (
    check_params_form,
    check_scheme,
    extensions,
    param_error,
    read_challenge,
    read_credentials,
    redacted_repr,
)
from ..model import AuthParams, Challenge, Credentials, ascii_lower
from ._shared import check_extensions, check_integers, read_int

MUTUAL: Final = "Mutual"


MutualChallengeMessage = Literal["401-INIT", "401-STALE", "401-KEX-S1"]
MutualRequestMessage = Literal["req-KEX-C1", "req-VFY-C"]

_MUTUAL_COMMON: Final = frozenset({"version", "algorithm", "validation", "auth-scope", "realm"})
_MUTUAL_CHALLENGE_PARAMS: Final = _MUTUAL_COMMON | {
    "reason", "sid", "ks1", "nc-max", "nc-window", "time", "path",
}  # fmt: skip
_MUTUAL_REQUEST_PARAMS: Final = _MUTUAL_COMMON | {"user", "kc1", "sid", "nc", "vkc"}
_MUTUAL_CHALLENGE_INTEGERS: Final = ("version", "nc_max", "nc_window", "time")
_MUTUAL_REQUEST_INTEGERS: Final = ("version", "nc")


def _numbered(params: Mapping[str, str], prefix: str) -> list[str]:
    """Names like ``ks1``, ``kc2``: the prefix followed by decimal digits."""
    return [
        name
        for name in params
        if ascii_lower(name).startswith(prefix)
        and name[len(prefix) :].isdigit()
        and name[len(prefix) :].isascii()
    ]


def _mutual_challenge_problem(params: Mapping[str, str]) -> tuple[str, str] | None:
    """The parameter that breaks RFC 8120 §4's rules for a challenge, and why; or None."""
    exclusive = [name for name in params if ascii_lower(name) in ("reason", "vks")]
    exclusive += _numbered(params, "ks")
    if len(exclusive) > 1:
        return exclusive[1], "Expected only one of reason, ks# and vks (RFC 8120 §4)"
    for wrong in [*_numbered(params, "kc"), *(n for n in params if ascii_lower(n) == "vkc")]:
        return wrong, f"A challenge must not carry {wrong!r} (RFC 8120 §4)"
    return None


def _mutual_request_problem(params: Mapping[str, str]) -> tuple[str, str] | None:
    """The parameter that breaks RFC 8120 §4's rules for a request, and why; or None."""
    exclusive = _numbered(params, "kc") + [n for n in params if ascii_lower(n) == "vkc"]
    if len(exclusive) > 1:
        return exclusive[1], "Expected only one of kc# and vkc (RFC 8120 §4)"
    for wrong in [
        *_numbered(params, "ks"),
        *(n for n in params if ascii_lower(n) in ("reason", "vks")),
    ]:
        return wrong, f"A request must not carry {wrong!r} (RFC 8120 §4)"
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class MutualChallenge:
    """A Mutual challenge (RFC 8120 §4.1, §4.3): 401-INIT, 401-STALE or 401-KEX-S1.

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

    version: int | None = None
    algorithm: str | None = None
    validation: str | None = None
    auth_scope: str | None = None
    realm: str | None = None
    reason: str | None = None
    sid: str | None = None
    ks1: str | None = None
    nc_max: int | None = None
    nc_window: int | None = None
    time: int | None = None
    path: str | None = None
    extensions: AuthParams = field(default_factory=AuthParams)

    def __post_init__(self) -> None:
        """Refuse what :meth:`to_challenge` could not build or :meth:`from_challenge` not read.

        Raises:
            ValueError: an integer outside 0..:data:`MAX_INTEGER`; two of ``reason``,
                ``ks#`` and ``vks``, or a ``kc#`` or ``vkc`` extension (RFC 8120 §4);
                an extension named like a typed parameter; a value the model refuses.
        """
        check_integers(self, *_MUTUAL_CHALLENGE_INTEGERS)
        check_extensions(self, _MUTUAL_CHALLENGE_PARAMS)
        problem = _mutual_challenge_problem(self.to_challenge().params)
        if problem is not None:
            raise ValueError(problem[1])

    @property
    def message(self) -> MutualChallengeMessage | None:
        """Which RFC 8120 §4 message this is, or None when it cannot tell."""
        if self.reason is not None:
            return "401-STALE" if self.reason == "stale-session" else "401-INIT"
        if self.ks1 is not None:
            return "401-KEX-S1"
        return None

    @classmethod
    def from_challenge(cls, value: Challenge | str | bytes) -> MutualChallenge:
        """Read a Mutual challenge.

        Raises:
            ParseError: not Mutual; two of ``reason``, ``ks#`` and ``vks``, or any
                ``kc#`` or ``vkc`` (RFC 8120 §4: "mutually exclusive", "MUST NOT
                contain"); an integer parameter that is not one.
        """
        ch = read_challenge(value)
        check_scheme(ch, MUTUAL)
        check_params_form(ch)
        problem = _mutual_challenge_problem(ch.params)
        if problem is not None:
            raise param_error(ch, *problem)
        params = ch.params
        known = _MUTUAL_CHALLENGE_PARAMS
        return cls(
            version=read_int(ch, "version"),
            algorithm=params.get("algorithm"),
            validation=params.get("validation"),
            auth_scope=params.get("auth-scope"),
            realm=params.get("realm"),
            reason=params.get("reason"),
            sid=params.get("sid"),
            ks1=params.get("ks1"),
            nc_max=read_int(ch, "nc-max"),
            nc_window=read_int(ch, "nc-window"),
            time=read_int(ch, "time"),
            path=params.get("path"),
            extensions=extensions(params, known),
        )

    def to_challenge(self) -> Challenge:
        """Build the generic challenge (parameters in RFC 8120 §4's order)."""
        fields: tuple[tuple[str, object], ...] = (
            ("version", self.version),
            ("algorithm", self.algorithm),
            ("validation", self.validation),
            ("auth-scope", self.auth_scope),
            ("realm", self.realm),
            ("reason", self.reason),
            ("sid", self.sid),
            ("ks1", self.ks1),
            ("nc-max", self.nc_max),
            ("nc-window", self.nc_window),
            ("time", self.time),
            ("path", self.path),
        )
        items = [(name, str(value)) for name, value in fields if value is not None]
        return Challenge(MUTUAL, [*items, *self.extensions.items()])


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class MutualCredentials:
    """Mutual credentials (RFC 8120 §4.2, §4.4): req-KEX-C1 or req-VFY-C. ``repr`` shows no value.

    Attributes:
        version, algorithm, validation, auth_scope, realm: as in the challenge.
        user, kc1: the user name and client key-exchange value of req-KEX-C1.
        sid, nc, vkc: the session id, nonce number and client verifier of req-VFY-C.
        extensions: every other parameter.
    """

    version: int | None = None
    algorithm: str | None = None
    validation: str | None = None
    auth_scope: str | None = None
    realm: str | None = None
    user: str | None = None
    kc1: str | None = None
    sid: str | None = None
    nc: int | None = None
    vkc: str | None = None
    extensions: AuthParams = field(default_factory=AuthParams)

    def __post_init__(self) -> None:
        """Refuse what :meth:`to_credentials` could not build or :meth:`from_credentials` not read.

        Raises:
            ValueError: an integer outside 0..:data:`MAX_INTEGER`; both a ``kc#`` and
                ``vkc``, or a ``reason``, ``ks#`` or ``vks`` extension (RFC 8120 §4); an
                extension named like a typed parameter; a value the model refuses.
        """
        check_integers(self, *_MUTUAL_REQUEST_INTEGERS)
        check_extensions(self, _MUTUAL_REQUEST_PARAMS)
        problem = _mutual_request_problem(self.to_credentials().params)
        if problem is not None:
            raise ValueError(problem[1])

    def __repr__(self) -> str:
        return redacted_repr(self)

    @property
    def message(self) -> MutualRequestMessage | None:
        """Which RFC 8120 §4 message this is, or None when it cannot tell."""
        if self.kc1 is not None:
            return "req-KEX-C1"
        if self.vkc is not None:
            return "req-VFY-C"
        return None

    @classmethod
    def from_credentials(cls, value: Credentials | str | bytes) -> MutualCredentials:
        """Read Mutual credentials.

        Raises:
            ParseError: not Mutual; both a ``kc#`` and ``vkc``, or any of ``reason``,
                ``ks#``, ``vks`` (RFC 8120 §4); an integer parameter that is not one.
        """
        creds = read_credentials(value)
        check_scheme(creds, MUTUAL)
        check_params_form(creds)
        problem = _mutual_request_problem(creds.params)
        if problem is not None:
            raise param_error(creds, *problem)
        params = creds.params
        known = _MUTUAL_REQUEST_PARAMS
        return cls(
            version=read_int(creds, "version"),
            algorithm=params.get("algorithm"),
            validation=params.get("validation"),
            auth_scope=params.get("auth-scope"),
            realm=params.get("realm"),
            user=params.get("user"),
            kc1=params.get("kc1"),
            sid=params.get("sid"),
            nc=read_int(creds, "nc"),
            vkc=params.get("vkc"),
            extensions=extensions(params, known),
        )

    def to_credentials(self) -> Credentials:
        """Build the generic credentials."""
        fields: tuple[tuple[str, object], ...] = (
            ("version", self.version),
            ("algorithm", self.algorithm),
            ("validation", self.validation),
            ("auth-scope", self.auth_scope),
            ("realm", self.realm),
            ("user", self.user),
            ("kc1", self.kc1),
            ("sid", self.sid),
            ("nc", self.nc),
            ("vkc", self.vkc),
        )
        items = [(name, str(value)) for name, value in fields if value is not None]
        return Credentials(MUTUAL, [*items, *self.extensions.items()])
