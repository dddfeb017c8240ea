"""The SCRAM-SHA-256 and SCRAM-SHA-1 scheme views (RFC 7804 §5).

:class:`ScramChallenge`, :class:`ScramCredentials`, :func:`scram_data`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar, Final

from .._base64 import encode as encode_base64
from .._scheme import SchemeSpec
from ..model import AuthParams
from ._shared import ChallengeView, CredentialsView, decoded_param, value_error

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


# repr=False: each view class writes its own (the credentials' shows no value).
@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class _ScramView:
    """What a SCRAM challenge and SCRAM credentials share: their parameters (RFC 7804 §5).

    The scheme is any ``SCRAM-*`` (RFC 7804 §4), kept as written; no parameter is required.
    """

    scheme: str = "SCRAM-SHA-256"
    realm: str | None = None
    sid: str | None = None
    data: str | None = None
    extensions: AuthParams = field(default_factory=AuthParams)

    _SPEC: ClassVar[SchemeSpec] = _SCRAM

    def message(self) -> str | None:
        """The decoded SCRAM message of ``data`` (see :func:`scram_data`)."""
        return None if self.data is None else scram_data({"data": self.data})


@dataclass(frozen=True, slots=True, kw_only=True)
class ScramChallenge(_ScramView, ChallengeView):
    """A SCRAM challenge (RFC 7804 §5): the first (``realm``) or a later one (``sid``, ``data``).

    Attributes:
        scheme: ``SCRAM-SHA-256``, ``SCRAM-SHA-1``, ... as written.
        realm: the protection space, or None.
        sid: the SCRAM session id, or None.
        data: the base64 server-first-message, or None.
        extensions: every other parameter.
    """


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class ScramCredentials(_ScramView, CredentialsView):
    """SCRAM credentials (RFC 7804 §5). ``repr`` shows no value.

    Attributes:
        scheme: ``SCRAM-SHA-256``, ... as written.
        realm, sid: as sent, or None.
        data: the base64 client-first or client-final message, or None.
        extensions: every other parameter.
    """

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
