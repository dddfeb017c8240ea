"""The public serialize functions, one per kind of field value (RFC 9110 §11.6, §11.7)."""

from __future__ import annotations

from collections.abc import Iterable

from ._registry import AUTHENTICATION_INFO, QUOTED_IN_AUTH_INFO
from ._serialize import serialize_params
from .model import AuthParams, Challenge, Credentials, ParamsInput

__all__ = ["format_authentication_info", "format_challenges", "format_credentials"]


def format_challenges(challenges: Iterable[Challenge]) -> str:
    """Serialize challenges as one WWW-Authenticate or Proxy-Authenticate value (RFC 9110 §11.6.1).

    Args:
        challenges: the challenges, in the order to send them.

    Returns:
        The field value; ``parse_www_authenticate`` reads it back to equal challenges.
        Browsers mis-read several challenges on one line: to send each on its own field
        line, call ``str(challenge)`` per challenge.

    Raises:
        TypeError: an element is not a :class:`Challenge`.

    >>> format_challenges([Challenge("Basic", {"realm": "simple"}), Challenge("Bearer")])
    'Basic realm="simple", Bearer'
    """
    parts = []
    for challenge in challenges:
        if not isinstance(challenge, Challenge):
            raise TypeError(f"expected a Challenge, not {type(challenge).__name__}")
        parts.append(Challenge.__str__(challenge))  # its own (cached) serialization
    return ", ".join(parts)


def format_credentials(credentials: Credentials) -> str:
    """Serialize credentials as an Authorization or Proxy-Authorization value (RFC 9110 §11.6.2).

    Args:
        credentials: the credentials.

    Returns:
        The field value, equal to ``str(credentials)``.

    >>> from wwwauth import Credentials
    >>> format_credentials(Credentials("Basic", token68="QWxhZGRpbjpvcGVuIHNlc2FtZQ=="))
    'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='
    """
    return str(credentials)


def format_authentication_info(params: ParamsInput) -> str:
    """Serialize an Authentication-Info or Proxy-Authentication-Info value (RFC 9110 §11.6.3).

    Args:
        params: the auth-params, as a mapping or (name, value) pairs, in order.

    Returns:
        The field value.

    Raises:
        ValueError: a name is not a token or is given twice, or a value holds a
            character a quoted-string cannot carry.

    >>> format_authentication_info([("nextnonce", "abc"), ("qop", "auth")])
    'nextnonce="abc", qop=auth'
    """
    checked = params if isinstance(params, AuthParams) else AuthParams(params)
    return serialize_params(checked._pairs(), QUOTED_IN_AUTH_INFO, AUTHENTICATION_INFO)
