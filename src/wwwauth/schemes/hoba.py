"""The HOBA scheme views (RFC 7486 §2-§3): :class:`HobaChallenge`, :class:`HobaResult`, :func:`hoba_tbs`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Final

from .._abnf import BASE64URL_CHAR
from .._scheme import SchemeSpec
from ..model import AuthParams, Credentials
from ._shared import ChallengeView, CredentialsView, read_int

HOBA: Final = "HOBA"


# RFC 7486 §2: a HOBA-RES part is base64url, which may carry "=" padding.
_BASE64URL_PADDED: Final = BASE64URL_CHAR | {"="}
# RFC 7486 §3: challenge and max-age "MUST be included" in the challenge, result in the
# credentials.
_CHALLENGE: Final = SchemeSpec(
    HOBA,
    ("challenge", "max-age", "realm"),
    required=("challenge", "max-age"),
    rfc="RFC 7486 §3",
    readers={"max-age": read_int},
)
_RESULT: Final = SchemeSpec(HOBA, ("result",), required=("result",), rfc="RFC 7486 §3")


@dataclass(frozen=True, slots=True, kw_only=True)
class HobaChallenge(ChallengeView):
    """A HOBA challenge (RFC 7486 §3): ``challenge`` and ``max-age`` "MUST be included".

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

    _SPEC: ClassVar[SchemeSpec] = _CHALLENGE


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class HobaResult(CredentialsView):
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

    _SPEC: ClassVar[SchemeSpec] = _RESULT

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
        CredentialsView.__post_init__(self)

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
        params = _RESULT.credentials(value)
        parts = params["result"].split(".")
        if len(parts) != 4 or not _is_hoba_res(parts):
            raise params.error(
                "result", "Expected kid.challenge.nonce.sig in base64url (RFC 7486 §2)"
            )
        kid, challenge, nonce, signature = parts
        return cls(
            kid=kid,
            challenge=challenge,
            nonce=nonce,
            signature=signature,
            extensions=params.extensions,
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
