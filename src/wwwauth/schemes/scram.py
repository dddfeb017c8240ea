"""The SCRAM-SHA-256 and SCRAM-SHA-1 scheme views (RFC 7804 §5).

:class:`ScramChallenge`, :class:`ScramCredentials`, :func:`scram_data`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from .._base64 import encode as encode_base64
from .._scheme import SchemeSpec, redacted_repr
from ..model import AuthParams, Challenge, Credentials
from ._shared import decoded_param, value_error

# RFC 7804 §4: the schemes are "SCRAM-" followed by the SASL mechanism's hash name;
# §5: realm, sid and data, none required.
_SCRAM: Final = SchemeSpec("SCRAM-", ("realm", "sid", "data"), rfc="RFC 7804 §4", family=True)


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
    octets = decoded_param(data, "data", urlsafe=False, padded=True, secret=True)
    try:
        return octets.decode("utf-8")
    except UnicodeDecodeError as exc:
        # RFC 5802 §5.1: SCRAM messages are UTF-8.
        raise value_error(
            "Expected data to carry UTF-8 (RFC 5802 §5.1)", data, secret=True
        ) from exc


@dataclass(frozen=True, slots=True, kw_only=True)
class _ScramView:
    """What a SCRAM challenge and SCRAM credentials share: their parameters (RFC 7804 §5)."""

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
        _SCRAM.check(self)
        self._to_generic()

    def _to_generic(self) -> Challenge | Credentials:
        raise NotImplementedError

    def message(self) -> str | None:
        """The decoded SCRAM message of ``data`` (see :func:`scram_data`)."""
        return None if self.data is None else scram_data({"data": self.data})


@dataclass(frozen=True, slots=True, kw_only=True)
class ScramChallenge(_ScramView):
    """A SCRAM challenge (RFC 7804 §5): the first (``realm``) or a later one (``sid``, ``data``).

    Attributes:
        scheme: ``SCRAM-SHA-256``, ``SCRAM-SHA-1``, ... as written.
        realm: the protection space, or None.
        sid: the SCRAM session id, or None.
        data: the base64 server-first-message, or None.
        extensions: every other parameter.
    """

    @classmethod
    def from_challenge(cls, value: Challenge | str | bytes) -> ScramChallenge:
        """Read a SCRAM challenge.

        Raises:
            ParseError: not a SCRAM-* scheme, or a token68.
        """
        return _SCRAM.challenge(value).build(cls)

    def to_challenge(self) -> Challenge:
        """Build the generic challenge."""
        return Challenge(self.scheme, _SCRAM.items(self))

    _to_generic = to_challenge


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class ScramCredentials(_ScramView):
    """SCRAM credentials (RFC 7804 §5). ``repr`` shows no value.

    Attributes:
        scheme: ``SCRAM-SHA-256``, ... as written.
        realm, sid: as sent, or None.
        data: the base64 client-first or client-final message, or None.
        extensions: every other parameter.
    """

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
        data = encode_base64(message.encode("utf-8"))
        return cls(scheme=scheme, realm=realm, sid=sid, data=data)

    @classmethod
    def from_credentials(cls, value: Credentials | str | bytes) -> ScramCredentials:
        """Read SCRAM credentials.

        Raises:
            ParseError: not a SCRAM-* scheme, or a token68.
        """
        return _SCRAM.credentials(value).build(cls)

    def to_credentials(self) -> Credentials:
        """Build the generic credentials."""
        return Credentials(self.scheme, _SCRAM.items(self))

    _to_generic = to_credentials
