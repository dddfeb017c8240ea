"""Typed views of the other registered schemes: HOBA, Mutual, SCRAM, vapid, PrivateToken, Concealed.

Each view reads a generic :class:`~wwwauth.Challenge` or :class:`~wwwauth.Credentials`
(``from_challenge`` / ``from_credentials``), types the parameters that have a meaning,
keeps every other parameter in ``extensions``, and builds the generic value back
(``to_challenge`` / ``to_credentials``). Views of credentials never show a value in
their ``repr``. Decoding what a parameter carries (a base64url byte string, a JWT's
claims, a TokenChallenge struct) is a separate method, so a view of a header with a
placeholder value (as in the RFCs' examples) still reads.

* HOBA, RFC 7486 §2-§3: :class:`HobaChallenge`, :class:`HobaResult`, :func:`hoba_tbs`.
* Mutual, RFC 8120 §4: :class:`MutualChallenge`, :class:`MutualCredentials`.
* SCRAM-SHA-256 and SCRAM-SHA-1, RFC 7804 §5: :class:`ScramChallenge`,
  :class:`ScramCredentials`, :func:`scram_data`.
* vapid, RFC 8292 §3: :class:`VapidCredentials`.
* PrivateToken, RFC 9577 §2: :class:`PrivateTokenChallenge`, :class:`TokenChallenge`,
  :class:`PrivateTokenCredentials`.
* Concealed, RFC 9729 §4: :class:`ConcealedCredentials`.

>>> from wwwauth.schemes import VapidCredentials
>>> view = VapidCredentials.from_credentials("vapid t=a.b.c, k=BA")
>>> view
VapidCredentials(t='<redacted>', k='<redacted>', extensions=AuthParams([]))
"""

from __future__ import annotations

import base64
import binascii
import json
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from .._scheme import (
    check_extension_names,
    check_params_form,
    check_scheme,
    extensions,
    param_error,
    read_challenge,
    read_credentials,
    redacted_repr,
    scheme_shown,
)
from ..errors import ParseError
from ..model import AuthParams, Challenge, Credentials, ascii_lower

__all__ = [
    "CONCEALED",
    "HOBA",
    "MAX_INTEGER",
    "MUTUAL",
    "PRIVATE_TOKEN",
    "VAPID",
    "ConcealedCredentials",
    "HobaChallenge",
    "HobaResult",
    "MutualChallenge",
    "MutualCredentials",
    "PrivateTokenChallenge",
    "PrivateTokenCredentials",
    "ScramChallenge",
    "ScramCredentials",
    "TokenChallenge",
    "VapidCredentials",
    "hoba_tbs",
    "scram_data",
]

HOBA: Final = "HOBA"
MUTUAL: Final = "Mutual"
VAPID: Final = "vapid"
PRIVATE_TOKEN: Final = "PrivateToken"
CONCEALED: Final = "Concealed"

# RFC 4648 §5: the base64url alphabet ("=" padding is handled apart).
BASE64URL_CHAR: Final = frozenset(string.ascii_letters + string.digits + "-_")
_BASE64_CHAR: Final = frozenset(string.ascii_letters + string.digits + "+/")
_BASE64URL_PADDED: Final = BASE64URL_CHAR | {"="}
_DIGITS: Final = frozenset(string.digits)
_NONZERO: Final = _DIGITS - {"0"}


def _decode_base64(text: str, alphabet: frozenset[str], *, padded: bool | None) -> bytes:
    """Strict RFC 4648 decode: the alphabet, the padding rule, canonical pad bits.

    ``padded``: True requires "=" padding, False forbids it, None accepts either.

    Raises:
        ValueError: ``text`` is not such an encoding.
    """
    body = text.rstrip("=")
    pad = len(text) - len(body)
    if any(char not in alphabet for char in body):
        raise ValueError("not in the alphabet")
    if padded is False and pad:
        raise ValueError("padded")
    full = (len(body) % 4, pad) in {(0, 0), (2, 2), (3, 1)}
    bare = pad == 0 and len(body) % 4 != 1
    if not (full if padded else (full or bare)):
        raise ValueError("bad padding")
    standard = body.translate(str.maketrans("-_", "+/")) if alphabet is BASE64URL_CHAR else body
    try:
        data = base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
    except binascii.Error as exc:  # unreachable after the checks above
        raise ValueError("not base64") from exc
    again = base64.b64encode(data).decode("ascii").rstrip("=")
    if again != standard:
        raise ValueError("non-zero pad bits")  # RFC 4648 §3.5
    return data


def _decoded_param(
    text: str, name: str, alphabet: frozenset[str], *, padded: bool | None, secret: bool
) -> bytes:
    """:func:`_decode_base64` of parameter ``name``'s value, a failure as a ParseError.

    The error's ``source`` is the value alone, masked with ``*`` when it is a secret
    (a parameter of credentials).
    """
    try:
        return _decode_base64(text, alphabet, padded=padded)
    except ValueError as exc:
        form = "base64url" if alphabet is BASE64URL_CHAR else "base64"
        rule = {True: " with padding", False: " without padding", None: ""}[padded]
        raise _value_error(
            f"Expected {name} as {form}{rule} (RFC 4648)", text, secret=secret
        ) from exc


def _value_error(message: str, text: str, *, secret: bool) -> ParseError:
    """A ParseError about what a parameter's value carries, ``source`` the value alone."""
    source = "*" * len(text) if secret else text
    return ParseError(message, source, 0, span=(0, max(len(text), 1)))


def _b64url(data: bytes, *, padded: bool) -> str:
    text = base64.urlsafe_b64encode(data).decode("ascii")
    return text if padded else text.rstrip("=")


# Not an RFC limit: RFC 7486, 8120 and 9577 leave their integers unbounded. A signed
# 64-bit integer holds every value that has a meaning (seconds, counters, versions), and
# the bound keeps reading linear: int() of n digits is not, and Python refuses more than
# 4300 of them with a ValueError of its own.
MAX_INTEGER: Final = 2**63 - 1
_MAX_DIGITS: Final = len(str(MAX_INTEGER))


def _read_int(value: Challenge | Credentials, name: str) -> int | None:
    """Parameter ``name`` as a non-negative decimal integer up to :data:`MAX_INTEGER`, or None."""
    text = value.params.get(name)
    if text is None:
        return None
    if not text or any(char not in _DIGITS for char in text):
        raise param_error(value, name, f"Expected {name} as a non-negative decimal integer")
    digits = text.lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS or int(digits) > MAX_INTEGER:
        raise param_error(
            value, name, f"Expected {name} as a non-negative decimal integer up to {MAX_INTEGER}"
        )
    return int(digits)


def _check_integers(view: object, *names: str) -> None:
    """Raise ValueError unless each attribute ``names`` of ``view`` is None or 0..MAX_INTEGER.

    What a reader refuses, a builder must not write: a negative integer would go out as
    ``-1``, which no reader of the scheme accepts.
    """
    for name in names:
        number = getattr(view, name)
        if number is not None and not 0 <= number <= MAX_INTEGER:
            raise ValueError(f"{name} must be an integer from 0 to {MAX_INTEGER}, not {number}")


def _check_extensions(view: object, known: frozenset[str]) -> None:
    """:func:`check_extension_names` for a view of this module (each has ``extensions``)."""
    check_extension_names(view, getattr(view, "extensions"), known)  # noqa: B009  # every view has it


def _require(value: Challenge | Credentials, names: tuple[str, ...], rfc: str) -> None:
    for name in names:
        if name not in value.params:
            raise param_error(value, name, f"Expected a {name!r} parameter ({rfc})")


# --------------------------------------------------------------------------- HOBA

_HOBA_CHALLENGE_PARAMS: Final = frozenset({"challenge", "max-age", "realm"})
_HOBA_RESULT_PARAMS: Final = frozenset({"result"})


@dataclass(frozen=True, slots=True, kw_only=True)
class HobaChallenge:
    """A HOBA challenge (RFC 7486 §3).

    Attributes:
        challenge: the base64url challenge the client signs.
        max_age: seconds for which answers to this challenge are accepted (0: one answer).
        realm: the protection space, or None.
        extensions: every other parameter.

    >>> view = HobaChallenge(challenge="Q0hBTExFTkdF", max_age=10, realm="hoba")
    >>> str(view.to_challenge())
    'HOBA challenge=Q0hBTExFTkdF, max-age=10, realm="hoba"'
    """

    challenge: str
    max_age: int
    realm: str | None = None
    extensions: AuthParams = field(default_factory=AuthParams)

    def __post_init__(self) -> None:
        """Refuse what :meth:`to_challenge` could not build or :meth:`from_challenge` not read.

        Raises:
            ValueError: ``max_age`` outside 0..:data:`MAX_INTEGER`, a value the model
                refuses, or an extension named like a parameter of the view.
        """
        _check_integers(self, "max_age")
        _check_extensions(self, _HOBA_CHALLENGE_PARAMS)
        self.to_challenge()

    @classmethod
    def from_challenge(cls, value: Challenge | str | bytes) -> HobaChallenge:
        """Read a HOBA challenge.

        Raises:
            ParseError: not HOBA, a token68, no ``challenge`` or ``max-age`` (both
                "MUST be included", RFC 7486 §3), or a ``max-age`` that is not a
                non-negative integer up to :data:`MAX_INTEGER`.
        """
        ch = read_challenge(value)
        check_scheme(ch, HOBA)
        check_params_form(ch)
        _require(ch, ("challenge", "max-age"), "RFC 7486 §3")
        max_age = _read_int(ch, "max-age")
        assert max_age is not None
        return cls(
            challenge=ch.params["challenge"],
            max_age=max_age,
            realm=ch.params.get("realm"),
            extensions=extensions(ch.params, _HOBA_CHALLENGE_PARAMS),
        )

    def to_challenge(self) -> Challenge:
        """Build the generic challenge.

        Raises:
            ValueError: ``max_age`` outside 0..:data:`MAX_INTEGER`, or a value the model
                refuses.
        """
        _check_integers(self, "max_age")
        items = [("challenge", self.challenge), ("max-age", str(self.max_age))]
        if self.realm is not None:
            items.append(("realm", self.realm))
        return Challenge(HOBA, [*items, *self.extensions.items()])


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class HobaResult:
    """The HOBA client result, ``Authorization: HOBA result="kid.challenge.nonce.sig"`` (RFC 7486 §2, §3).

    Attributes:
        kid: the key identifier (base64url).
        challenge: the server's challenge, echoed.
        nonce: the client's nonce (base64url).
        signature: the signature over the HOBA-TBS blob (base64url).
        extensions: every other parameter.
    """

    kid: str
    challenge: str
    nonce: str
    signature: str
    extensions: AuthParams = field(default_factory=AuthParams)

    def __post_init__(self) -> None:
        """Refuse what :meth:`from_credentials` would not read back.

        Raises:
            ValueError: a part that is empty or not base64url (a ``.`` in it would
                split the result differently), or a value the model refuses.
        """
        if not _is_hoba_res((self.kid, self.challenge, self.nonce, self.signature)):
            raise ValueError(
                "kid, challenge, nonce and signature must be non-empty base64url (RFC 7486 §2)"
            )
        _check_extensions(self, _HOBA_RESULT_PARAMS)
        self.to_credentials()

    def __repr__(self) -> str:
        return redacted_repr(self)

    @property
    def result(self) -> str:
        """The HOBA-RES string: ``kid "." challenge "." nonce "." sig``."""
        return f"{self.kid}.{self.challenge}.{self.nonce}.{self.signature}"

    @classmethod
    def from_credentials(cls, value: Credentials | str | bytes) -> HobaResult:
        """Read HOBA credentials.

        Raises:
            ParseError: not HOBA, no ``result``, or a result that is not four
                dot-separated base64url parts (RFC 7486 §2: HOBA-RES).
        """
        creds = read_credentials(value)
        check_scheme(creds, HOBA)
        check_params_form(creds)
        _require(creds, ("result",), "RFC 7486 §3")
        parts = creds.params["result"].split(".")
        if len(parts) != 4 or not _is_hoba_res(parts):
            raise param_error(
                creds, "result", "Expected kid.challenge.nonce.sig in base64url (RFC 7486 §2)"
            )
        kid, challenge, nonce, signature = parts
        return cls(
            kid=kid,
            challenge=challenge,
            nonce=nonce,
            signature=signature,
            extensions=extensions(creds.params, _HOBA_RESULT_PARAMS),
        )

    def to_credentials(self) -> Credentials:
        """Build the generic credentials."""
        return Credentials(HOBA, [("result", self.result), *self.extensions.items()])


def _is_hoba_res(parts: Sequence[str]) -> bool:
    # RFC 7486 §2: HOBA-RES = kid "." challenge "." nonce "." sig ; each part base64url
    return all(part and all(char in _BASE64URL_PADDED for char in part) for part in parts)


def hoba_tbs(*, nonce: str, alg: str, origin: str, realm: str, kid: str, challenge: str) -> str:
    """The HOBA to-be-signed blob (RFC 7486 §2): each field as ``len ":" value``, concatenated.

    ``len`` is the length of the value in octets (UTF-8), in decimal.

    Args:
        nonce: the client's nonce (base64url).
        alg: the signing algorithm's registry value (RFC 7486 §7.2: "0" RSA-SHA256,
            "1" RSA-SHA1).
        origin: the Web origin, e.g. ``"https://example.com:443"``.
        realm: the realm, or ``""`` when the challenge had none.
        kid: the key identifier.
        challenge: the server's challenge.

    Returns:
        The blob the client signs.

    >>> hoba_tbs(nonce="bm9uY2U", alg="0", origin="https://example.com:443", realm="",
    ...          kid="a2lk", challenge="Y2g")
    '7:bm9uY2U1:023:https://example.com:4430:4:a2lk3:Y2g'
    """
    fields = (nonce, alg, origin, realm, kid, challenge)
    return "".join(f"{len(value.encode('utf-8'))}:{value}" for value in fields)


# --------------------------------------------------------------------------- Mutual

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
        _check_integers(self, *_MUTUAL_CHALLENGE_INTEGERS)
        _check_extensions(self, _MUTUAL_CHALLENGE_PARAMS)
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
            version=_read_int(ch, "version"),
            algorithm=params.get("algorithm"),
            validation=params.get("validation"),
            auth_scope=params.get("auth-scope"),
            realm=params.get("realm"),
            reason=params.get("reason"),
            sid=params.get("sid"),
            ks1=params.get("ks1"),
            nc_max=_read_int(ch, "nc-max"),
            nc_window=_read_int(ch, "nc-window"),
            time=_read_int(ch, "time"),
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
        _check_integers(self, *_MUTUAL_REQUEST_INTEGERS)
        _check_extensions(self, _MUTUAL_REQUEST_PARAMS)
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
            version=_read_int(creds, "version"),
            algorithm=params.get("algorithm"),
            validation=params.get("validation"),
            auth_scope=params.get("auth-scope"),
            realm=params.get("realm"),
            user=params.get("user"),
            kc1=params.get("kc1"),
            sid=params.get("sid"),
            nc=_read_int(creds, "nc"),
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


# --------------------------------------------------------------------------- SCRAM


def _is_scram_scheme(scheme: str) -> bool:
    # RFC 7804 §4: the schemes are "SCRAM-" followed by the SASL mechanism's hash name.
    return ascii_lower(scheme).startswith("scram-")


def _check_scram(value: Challenge | Credentials) -> None:
    if not _is_scram_scheme(value.scheme):
        raise param_error(value, None, f"Expected a SCRAM-* scheme, not {scheme_shown(value)!r}")
    check_params_form(value)


_SCRAM_NAMES: Final = ("realm", "sid", "data")


def _check_scram_view(view: ScramChallenge | ScramCredentials) -> None:
    """Refuse a SCRAM view that its reader would not read back (see ``__post_init__``)."""
    if not _is_scram_scheme(view.scheme):
        raise ValueError(f"scheme {view.scheme!r} is not a SCRAM-* scheme (RFC 7804 §4)")
    _check_extensions(view, frozenset(_SCRAM_NAMES))


def _read_scram(
    value: Challenge | Credentials,
) -> tuple[str, str | None, str | None, str | None, AuthParams]:
    """scheme, realm, sid, data and the other params of a SCRAM challenge or credentials."""
    _check_scram(value)
    params = value.params
    realm, sid, data = (params.get(name) for name in _SCRAM_NAMES)
    return value.scheme, realm, sid, data, extensions(params, frozenset(_SCRAM_NAMES))


def _scram_params(
    realm: str | None, sid: str | None, data: str | None, others: AuthParams
) -> list[tuple[str, str]]:
    known = zip(_SCRAM_NAMES, (realm, sid, data))
    return [*((name, value) for name, value in known if value is not None), *others.items()]


def scram_data(params: Mapping[str, str]) -> str | None:
    """The SCRAM message carried by ``data`` (RFC 7804 §5), decoded from base64, or None.

    Works on the params of a challenge, credentials or Authentication-Info.

    Raises:
        ParseError: ``data`` is not padded base64 of UTF-8 text (``source`` is masked).

    >>> scram_data({"data": "biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8K"})
    'n,,n=user,r=rOprNGfwEbeRWgbNEkqO\\n'
    """
    data = params.get("data")
    if data is None:
        return None
    octets = _decoded_param(data, "data", _BASE64_CHAR, padded=True, secret=True)
    try:
        return octets.decode("utf-8")
    except UnicodeDecodeError as exc:
        # RFC 5802 §5.1: SCRAM messages are UTF-8.
        raise _value_error(
            "Expected data to carry UTF-8 (RFC 5802 §5.1)", data, secret=True
        ) from exc


@dataclass(frozen=True, slots=True, kw_only=True)
class ScramChallenge:
    """A SCRAM challenge (RFC 7804 §5): the first (``realm``) or a later one (``sid``, ``data``).

    Attributes:
        scheme: ``SCRAM-SHA-256``, ``SCRAM-SHA-1``, ... as written.
        realm: the protection space, or None.
        sid: the SCRAM session id, or None.
        data: the base64 server-first-message, or None.
        extensions: every other parameter.
    """

    scheme: str = "SCRAM-SHA-256"
    realm: str | None = None
    sid: str | None = None
    data: str | None = None
    extensions: AuthParams = field(default_factory=AuthParams)

    def __post_init__(self) -> None:
        """Refuse what the reader would not read back.

        Raises:
            ValueError: a scheme that is not ``SCRAM-*`` (RFC 7804 §4), an extension
                named ``realm``, ``sid`` or ``data``, or a value the model refuses.
        """
        _check_scram_view(self)
        self.to_challenge()

    @classmethod
    def from_challenge(cls, value: Challenge | str | bytes) -> ScramChallenge:
        """Read a SCRAM challenge.

        Raises:
            ParseError: not a SCRAM-* scheme, or a token68.
        """
        scheme, realm, sid, data, others = _read_scram(read_challenge(value))
        return cls(scheme=scheme, realm=realm, sid=sid, data=data, extensions=others)

    def message(self) -> str | None:
        """The decoded SCRAM message of ``data`` (see :func:`scram_data`)."""
        return None if self.data is None else scram_data({"data": self.data})

    def to_challenge(self) -> Challenge:
        """Build the generic challenge."""
        params = _scram_params(self.realm, self.sid, self.data, self.extensions)
        return Challenge(self.scheme, params)


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class ScramCredentials:
    """SCRAM credentials (RFC 7804 §5). ``repr`` shows no value.

    Attributes:
        scheme: ``SCRAM-SHA-256``, ... as written.
        realm, sid: as sent, or None.
        data: the base64 client-first or client-final message, or None.
        extensions: every other parameter.
    """

    scheme: str = "SCRAM-SHA-256"
    realm: str | None = None
    sid: str | None = None
    data: str | None = None
    extensions: AuthParams = field(default_factory=AuthParams)

    def __post_init__(self) -> None:
        """Refuse what the reader would not read back.

        Raises:
            ValueError: a scheme that is not ``SCRAM-*`` (RFC 7804 §4), an extension
                named ``realm``, ``sid`` or ``data``, or a value the model refuses.
        """
        _check_scram_view(self)
        self.to_credentials()

    def __repr__(self) -> str:
        return redacted_repr(self)

    @classmethod
    def for_message(
        cls,
        message: str,
        *,
        scheme: str = "SCRAM-SHA-256",
        realm: str | None = None,
        sid: str | None = None,
    ) -> ScramCredentials:
        """Wrap a SCRAM client message (RFC 5802 §5.1), base64-encoding it into ``data``.

        >>> str(ScramCredentials.for_message("n,,n=user,r=abc", realm="r").to_credentials())
        'SCRAM-SHA-256 realm="r", data=biwsbj11c2VyLHI9YWJj'
        """
        data = base64.b64encode(message.encode("utf-8")).decode("ascii")
        return cls(scheme=scheme, realm=realm, sid=sid, data=data)

    @classmethod
    def from_credentials(cls, value: Credentials | str | bytes) -> ScramCredentials:
        """Read SCRAM credentials.

        Raises:
            ParseError: not a SCRAM-* scheme, or a token68.
        """
        scheme, realm, sid, data, others = _read_scram(read_credentials(value))
        return cls(scheme=scheme, realm=realm, sid=sid, data=data, extensions=others)

    def message(self) -> str | None:
        """The decoded SCRAM message of ``data`` (see :func:`scram_data`)."""
        return None if self.data is None else scram_data({"data": self.data})

    def to_credentials(self) -> Credentials:
        """Build the generic credentials."""
        params = _scram_params(self.realm, self.sid, self.data, self.extensions)
        return Credentials(self.scheme, params)


# --------------------------------------------------------------------------- vapid

_VAPID_PARAMS: Final = frozenset({"t", "k"})


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class VapidCredentials:
    """vapid credentials (RFC 8292 §3): a signed JWT ``t`` and the signer's public key ``k``.

    Attributes:
        t: the JWT (RFC 8292 §3.1).
        k: the base64url uncompressed P-256 public key (RFC 8292 §3.2).
        extensions: every other parameter.
    """

    t: str
    k: str
    extensions: AuthParams = field(default_factory=AuthParams)

    def __post_init__(self) -> None:
        """Refuse what :meth:`from_credentials` would not read back.

        Raises:
            ValueError: an extension named ``t`` or ``k``, or a value the model refuses.
        """
        _check_extensions(self, _VAPID_PARAMS)
        self.to_credentials()

    def __repr__(self) -> str:
        return redacted_repr(self)

    @classmethod
    def from_credentials(cls, value: Credentials | str | bytes) -> VapidCredentials:
        """Read vapid credentials.

        Raises:
            ParseError: not vapid, a token68, or no ``t`` or ``k`` (RFC 8292 §3).
        """
        creds = read_credentials(value)
        check_scheme(creds, VAPID)
        check_params_form(creds)
        _require(creds, ("t", "k"), "RFC 8292 §3")
        return cls(
            t=creds.params["t"],
            k=creds.params["k"],
            extensions=extensions(creds.params, _VAPID_PARAMS),
        )

    def to_credentials(self) -> Credentials:
        """Build the generic credentials (``t`` then ``k``, as RFC 8292 §3 shows)."""
        return Credentials(VAPID, [("t", self.t), ("k", self.k), *self.extensions.items()])

    def claims(self) -> dict[str, object]:
        """The JWT's claims (``aud``, ``exp``, ``sub``), decoded but NOT verified.

        Raises:
            ParseError: ``t`` is not three base64url parts with a JSON object in the
                middle (UTF-8, nested at most as deep as the interpreter's recursion
                limit allows). The error's ``source`` is ``t``, masked.
        """
        parts = self.t.split(".")
        if len(parts) != 3:
            raise _value_error(
                "Expected t as a JWS compact serialization (RFC 7515 §7.1)", self.t, secret=True
            )
        payload = _decoded_param(parts[1], "t", BASE64URL_CHAR, padded=False, secret=True)
        try:
            # RFC 7519 §7.2: the claims are a JSON object, UTF-8 encoded (RFC 8259 §8.1).
            claims = json.loads(payload.decode("utf-8"))
        except (ValueError, RecursionError) as exc:
            # ValueError: not UTF-8 or not JSON (or an integer past Python's digit
            # limit); RecursionError: arrays or objects nested too deep to decode.
            raise _value_error(
                "Expected t to carry JSON claims (RFC 7519 §7.2)", self.t, secret=True
            ) from exc
        if not isinstance(claims, dict):
            raise _value_error(
                "Expected t to carry a JSON object (RFC 7519 §7.2)", self.t, secret=True
            )
        return {str(name): claim for name, claim in claims.items()}

    def public_key(self) -> bytes:
        """The 65-octet uncompressed P-256 point of ``k`` (RFC 8292 §3.2).

        Raises:
            ParseError: ``k`` is not base64url of 65 octets starting 0x04 (``source`` is
                ``k``, masked).
        """
        key = _decoded_param(self.k, "k", BASE64URL_CHAR, padded=None, secret=True)
        if len(key) != 65 or key[0] != 4:
            raise _value_error(
                "Expected k as an uncompressed P-256 point (RFC 8292 §3.2)", self.k, secret=True
            )
        return key


# --------------------------------------------------------------------------- PrivateToken

_PRIVATE_TOKEN_CHALLENGE_PARAMS: Final = frozenset({"challenge", "token-key", "max-age", "realm"})
_PRIVATE_TOKEN_CREDENTIALS_PARAMS: Final = frozenset({"token"})


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenChallenge:
    """The TokenChallenge structure a PrivateToken challenge carries (RFC 9577 §2.1.1).

    Attributes:
        token_type: the issuance protocol (e.g. ``0x0002`` for Blind RSA).
        issuer_name: the issuer's host name.
        redemption_context: empty or 32 octets.
        origin_info: the origin names the token is bound to (empty: any origin).

    >>> tc = TokenChallenge(token_type=2, issuer_name="issuer.example", origin_info=("origin.example",))
    >>> TokenChallenge.decode(tc.encode()) == tc
    True
    """

    token_type: int
    issuer_name: str
    redemption_context: bytes = b""
    origin_info: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Refuse what :meth:`encode` could not write or :meth:`decode` not read back.

        Raises:
            ValueError: a ``token_type`` outside 16 bits; a redemption context of a
                length other than 0 or 32; an issuer name that is empty, not ASCII or
                longer than 65535 octets; an origin name that is empty, not ASCII or
                holds ``,`` (the list separator); origin names longer than 65535
                octets together.
        """
        problem = _token_challenge_problem(
            self.token_type, self.issuer_name, self.redemption_context, self.origin_info
        )
        if problem is not None:
            raise ValueError(problem)

    def encode(self) -> bytes:
        """The TLS-presentation-language encoding of RFC 9577 §2.1.1."""
        issuer = self.issuer_name.encode("ascii")
        origins = ",".join(self.origin_info).encode("ascii")
        return b"".join(
            (
                self.token_type.to_bytes(2, "big"),
                len(issuer).to_bytes(2, "big"),
                issuer,
                bytes([len(self.redemption_context)]),
                self.redemption_context,
                len(origins).to_bytes(2, "big"),
                origins,
            )
        )

    @classmethod
    def decode(cls, data: bytes) -> TokenChallenge:
        """Read the structure.

        Raises:
            ParseError: truncated or trailing octets, or fields :class:`TokenChallenge`
                refuses (an empty issuer name, a redemption context of the wrong
                length, names that are not ASCII, an empty origin name). The error's
                ``source`` is ``data`` in hex, two characters per octet.
        """
        octets = bytes(data)
        position = 0

        def fail(message: str, at: int) -> ParseError:
            source = octets.hex()
            return ParseError(message, source, 2 * at, span=(2 * at, 2 * at + 2))

        def take(count: int) -> bytes:
            nonlocal position
            if position + count > len(octets):
                raise fail("TokenChallenge is truncated (RFC 9577 §2.1.1)", len(octets))
            chunk = octets[position : position + count]
            position += count
            return chunk

        # RFC 9577 §2.1.1: struct { uint16 token_type; opaque issuer_name<1..2^16-1>;
        # opaque redemption_context<0..32>; opaque origin_info<0..2^16-1>; } TokenChallenge;
        token_type = int.from_bytes(take(2), "big")
        issuer = take(int.from_bytes(take(2), "big"))
        context = take(take(1)[0])
        origins = take(int.from_bytes(take(2), "big"))
        if position != len(octets):
            raise fail("TokenChallenge has trailing octets (RFC 9577 §2.1.1)", position)
        # Latin-1 maps each octet to one character; a non-ASCII one is then refused below.
        issuer_name, origin_text = issuer.decode("latin-1"), origins.decode("latin-1")
        origin_info = tuple(origin_text.split(",")) if origin_text else ()
        problem = _token_challenge_problem(token_type, issuer_name, context, origin_info)
        if problem is not None:
            raise fail(f"TokenChallenge: {problem}", 2)
        return cls(
            token_type=token_type,
            issuer_name=issuer_name,
            redemption_context=context,
            origin_info=origin_info,
        )


def _token_challenge_problem(
    token_type: int, issuer_name: str, context: bytes, origin_info: tuple[str, ...]
) -> str | None:
    """What keeps these fields from being a TokenChallenge (RFC 9577 §2.1.1), or None."""
    if not 0 <= token_type <= 0xFFFF:
        return "token_type must fit 16 bits"
    if len(context) not in (0, 32):
        return "redemption_context must be 0 or 32 octets (RFC 9577 §2.1.1)"
    if not 1 <= len(issuer_name) <= 0xFFFF or not issuer_name.isascii():
        return "issuer_name must be 1 to 65535 ASCII characters (RFC 9577 §2.1.1)"
    # RFC 9577 §2.1.1: origin_info carries the origin names joined with commas, so a
    # name can neither be empty nor hold a comma and still be read back.
    for name in origin_info:
        if not name or "," in name or not name.isascii():
            return "each origin name must be non-empty ASCII without ',' (RFC 9577 §2.1.1)"
    if sum(map(len, origin_info)) + max(len(origin_info) - 1, 0) > 0xFFFF:
        return "origin_info must be at most 65535 octets (RFC 9577 §2.1.1)"
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class PrivateTokenChallenge:
    """A PrivateToken challenge (RFC 9577 §2.1.2).

    Attributes:
        challenge: the base64url TokenChallenge (padded).
        token_key: the base64url issuer public key (padded), or None.
        max_age: seconds the challenge is accepted, or None.
        realm: the protection space, or None.
        extensions: every other parameter.

    >>> view = PrivateTokenChallenge.for_token_challenge(TokenChallenge(token_type=2, issuer_name="i"), max_age=10)
    >>> view.token_challenge().issuer_name
    'i'
    """

    challenge: str
    token_key: str | None = None
    max_age: int | None = None
    realm: str | None = None
    extensions: AuthParams = field(default_factory=AuthParams)

    def __post_init__(self) -> None:
        """Refuse what :meth:`to_challenge` could not build or :meth:`from_challenge` not read.

        Raises:
            ValueError: ``max_age`` outside 0..:data:`MAX_INTEGER`, an extension named
                like a typed parameter, or a value the model refuses.
        """
        _check_integers(self, "max_age")
        _check_extensions(self, _PRIVATE_TOKEN_CHALLENGE_PARAMS)
        self.to_challenge()

    @classmethod
    def for_token_challenge(
        cls,
        token_challenge: TokenChallenge,
        *,
        token_key: bytes | None = None,
        max_age: int | None = None,
        realm: str | None = None,
    ) -> PrivateTokenChallenge:
        """Encode ``token_challenge`` (and the key) as RFC 9577 §2.1.2 asks: base64url with padding."""
        return cls(
            challenge=_b64url(token_challenge.encode(), padded=True),
            token_key=None if token_key is None else _b64url(token_key, padded=True),
            max_age=max_age,
            realm=realm,
        )

    @classmethod
    def from_challenge(cls, value: Challenge | str | bytes) -> PrivateTokenChallenge:
        """Read a PrivateToken challenge.

        Raises:
            ParseError: not PrivateToken, a token68, no ``challenge`` ("required for all
                challenges", RFC 9577 §2.1.2), or a ``max-age`` that is not an integer
                up to :data:`MAX_INTEGER`.
        """
        ch = read_challenge(value)
        check_scheme(ch, PRIVATE_TOKEN)
        check_params_form(ch)
        _require(ch, ("challenge",), "RFC 9577 §2.1.2")
        p = ch.params
        return cls(
            challenge=p["challenge"],
            token_key=p.get("token-key"),
            max_age=_read_int(ch, "max-age"),
            realm=p.get("realm"),
            extensions=extensions(p, _PRIVATE_TOKEN_CHALLENGE_PARAMS),
        )

    def token_challenge(self) -> TokenChallenge:
        """Decode ``challenge``.

        Raises:
            ParseError: not base64url, or not a TokenChallenge.
        """
        return TokenChallenge.decode(
            _decoded_param(self.challenge, "challenge", BASE64URL_CHAR, padded=None, secret=False)
        )

    def token_key_bytes(self) -> bytes | None:
        """Decode ``token-key``, or None.

        Raises:
            ParseError: not base64url.
        """
        if self.token_key is None:
            return None
        return _decoded_param(
            self.token_key, "token-key", BASE64URL_CHAR, padded=None, secret=False
        )

    def to_challenge(self) -> Challenge:
        """Build the generic challenge (challenge, token-key, max-age, realm)."""
        fields: tuple[tuple[str, object], ...] = (
            ("challenge", self.challenge),
            ("token-key", self.token_key),
            ("max-age", self.max_age),
            ("realm", self.realm),
        )
        items = [(name, str(value)) for name, value in fields if value is not None]
        return Challenge(PRIVATE_TOKEN, [*items, *self.extensions.items()])


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class PrivateTokenCredentials:
    """PrivateToken credentials (RFC 9577 §2.2.2): the base64url Token. ``repr`` shows no value.

    Attributes:
        token: the base64url Token structure (padded).
        extensions: every other parameter (RFC 9577 §2.2.2: to be ignored).
    """

    token: str
    extensions: AuthParams = field(default_factory=AuthParams)

    def __post_init__(self) -> None:
        """Refuse what :meth:`from_credentials` would not read back.

        Raises:
            ValueError: an extension named ``token``, or a value the model refuses.
        """
        _check_extensions(self, _PRIVATE_TOKEN_CREDENTIALS_PARAMS)
        self.to_credentials()

    def __repr__(self) -> str:
        return redacted_repr(self)

    @classmethod
    def from_credentials(cls, value: Credentials | str | bytes) -> PrivateTokenCredentials:
        """Read PrivateToken credentials.

        Raises:
            ParseError: not PrivateToken, a token68, or no ``token``.
        """
        creds = read_credentials(value)
        check_scheme(creds, PRIVATE_TOKEN)
        check_params_form(creds)
        _require(creds, ("token",), "RFC 9577 §2.2.2")
        return cls(
            token=creds.params["token"],
            extensions=extensions(creds.params, _PRIVATE_TOKEN_CREDENTIALS_PARAMS),
        )

    def token_bytes(self) -> bytes:
        """Decode ``token``.

        Raises:
            ParseError: not base64url (``source`` is masked).
        """
        return _decoded_param(self.token, "token", BASE64URL_CHAR, padded=None, secret=True)

    def to_credentials(self) -> Credentials:
        """Build the generic credentials."""
        return Credentials(PRIVATE_TOKEN, [("token", self.token), *self.extensions.items()])


# --------------------------------------------------------------------------- Concealed

_CONCEALED_BYTES: Final = ("k", "a", "p", "v")
_CONCEALED_PARAMS: Final = frozenset({"k", "a", "p", "s", "v"})


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class ConcealedCredentials:
    """Concealed credentials (RFC 9729 §4): a TLS-exporter-bound signature. ``repr`` shows no value.

    Attributes:
        k: the key ID.
        a: the public key.
        p: the proof (signature).
        s: the TLS SignatureScheme of the proof (0-65535).
        v: the verification (16 octets of the key exporter output).
        extensions: every other parameter.
    """

    k: bytes
    a: bytes
    p: bytes
    s: int
    v: bytes
    extensions: AuthParams = field(default_factory=AuthParams)

    def __post_init__(self) -> None:
        """Refuse what :meth:`from_credentials` would not read back.

        Raises:
            ValueError: ``s`` outside 0-65535, an extension named ``k``, ``a``, ``p``,
                ``s`` or ``v``, or an extension value the model refuses.
        """
        _check_extensions(self, _CONCEALED_PARAMS)
        self.to_credentials()

    def __repr__(self) -> str:
        return redacted_repr(self)

    @classmethod
    def from_credentials(cls, value: Credentials | str | bytes) -> ConcealedCredentials:
        """Read Concealed credentials, checking RFC 9729 §4's value syntax.

        Raises:
            ParseError: not Concealed, a token68, a missing parameter (all five are
                REQUIRED), a byte sequence that is not unpadded base64url, or an ``s``
                that is not a decimal integer without leading zeros up to 65535. RFC
                9729 §6.1: a frontend then ignores the whole field.
        """
        creds = read_credentials(value)
        check_scheme(creds, CONCEALED)
        check_params_form(creds)
        _require(creds, ("k", "a", "p", "s", "v"), "RFC 9729 §4")
        decoded: dict[str, bytes] = {}
        for name in _CONCEALED_BYTES:
            try:
                # RFC 9729 §4: concealed-byte-sequence-param-value = *( ALPHA / DIGIT / "-" / "_" )
                decoded[name] = _decode_base64(creds.params[name], BASE64URL_CHAR, padded=False)
            except ValueError:
                raise param_error(
                    creds, name, f"Expected {name} as base64url without padding (RFC 9729 §4)"
                ) from None
        s = creds.params["s"]
        # RFC 9729 §4: concealed-integer-param-value = %x31-39 1*4( DIGIT ) / "0"
        # (read with the prose: "MUST NOT start with a zero unless the full value is "0"",
        # so a single non-zero digit is allowed, which the ABNF's 1*4 DIGIT would refuse).
        well_formed = s == "0" or (
            s[:1] in _NONZERO and len(s) <= 5 and all(c in _DIGITS for c in s)
        )
        if not well_formed or int(s) > 0xFFFF:
            raise param_error(
                creds,
                "s",
                "Expected s as an integer from 0 to 65535 without leading zeros (RFC 9729 §4)",
            )
        return cls(
            k=decoded["k"],
            a=decoded["a"],
            p=decoded["p"],
            s=int(s),
            v=decoded["v"],
            extensions=extensions(creds.params, _CONCEALED_PARAMS),
        )

    def to_credentials(self) -> Credentials:
        """Build the generic credentials (k, a, s, v, p, as RFC 9729 §5's example orders them).

        Raises:
            ValueError: ``s`` outside 0-65535.
        """
        if not 0 <= self.s <= 0xFFFF:
            raise ValueError("s must be from 0 to 65535 (RFC 9729 §4)")
        items = [
            ("k", _b64url(self.k, padded=False)),
            ("a", _b64url(self.a, padded=False)),
            ("s", str(self.s)),
            ("v", _b64url(self.v, padded=False)),
            ("p", _b64url(self.p, padded=False)),
        ]
        return Credentials(CONCEALED, [*items, *self.extensions.items()])
