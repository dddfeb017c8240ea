"""The PrivateToken scheme views (RFC 9577 §2).

:class:`PrivateTokenChallenge`, :class:`TokenChallenge`, :class:`PrivateTokenCredentials`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Final

from .._scheme import SchemeSpec
from ..errors import ParseError
from ..model import AuthParams
from ._shared import ChallengeView, CredentialsView, b64url, decoded_param, read_int

PRIVATE_TOKEN: Final = "PrivateToken"


# RFC 9577 §2.1.2: challenge is "required for all challenges"; §2.2.2: the token.
_CHALLENGE: Final = SchemeSpec(
    PRIVATE_TOKEN,
    ("challenge", "token-key", "max-age", "realm"),
    required=("challenge",),
    rfc="RFC 9577 §2.1.2",
    readers={"max-age": read_int},
)
_CREDENTIALS: Final = SchemeSpec(
    PRIVATE_TOKEN, ("token",), required=("token",), rfc="RFC 9577 §2.2.2"
)


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
class PrivateTokenChallenge(ChallengeView):
    """A PrivateToken challenge (RFC 9577 §2.1.2): ``challenge`` is "required for all challenges".

    Written challenge, token-key, max-age, realm.

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

    _SPEC: ClassVar[SchemeSpec] = _CHALLENGE

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
            challenge=b64url(token_challenge.encode(), padded=True),
            token_key=None if token_key is None else b64url(token_key, padded=True),
            max_age=max_age,
            realm=realm,
        )

    def token_challenge(self) -> TokenChallenge:
        """Decode ``challenge``.

        Raises:
            ParseError: not base64url, or not a TokenChallenge.
        """
        return TokenChallenge.decode(
            decoded_param(self.challenge, "challenge", urlsafe=True, padded=None, secret=False)
        )

    def token_key_bytes(self) -> bytes | None:
        """Decode ``token-key``, or None.

        Raises:
            ParseError: not base64url.
        """
        if self.token_key is None:
            return None
        return decoded_param(self.token_key, "token-key", urlsafe=True, padded=None, secret=False)


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class PrivateTokenCredentials(CredentialsView):
    """PrivateToken credentials (RFC 9577 §2.2.2): the base64url Token. ``repr`` shows no value.

    Attributes:
        token: the base64url Token structure (padded), required.
        extensions: every other parameter (RFC 9577 §2.2.2: to be ignored).
    """

    token: str
    extensions: AuthParams = field(default_factory=AuthParams)

    _SPEC: ClassVar[SchemeSpec] = _CREDENTIALS

    def token_bytes(self) -> bytes:
        """Decode ``token``.

        Raises:
            ParseError: not base64url (``source`` is masked).
        """
        return decoded_param(self.token, "token", urlsafe=True, padded=None, secret=True)
