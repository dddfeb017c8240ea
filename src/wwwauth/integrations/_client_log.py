"""What the client engine (:mod:`._client`) logs, on the ``wwwauth.integrations`` logger.

Debug: each decision (the challenge chosen, credentials sent at once, credentials
refused, a stale nonce answered again, a redirect to another origin not answered).
Warning: a 401 or 407 returned unanswered although it came with challenges, naming each
scheme offered and why it was refused. Records hold scheme names, origins (scheme, host,
port: no path, query or user-info) and reasons; never a credential, password or nonce.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Final

from .._select import select_challenge
from ..model import Challenge, ascii_lower
from ._client_messages import Origin, origin_of
from ._client_policy import ANSWERABLE, shown

__all__ = [
    "answer_too_long",
    "choice",
    "other_origin",
    "proxy_without_credentials",
    "refused_again",
    "sent_remembered",
    "stale_again",
]

_logger: Final = logging.getLogger("wwwauth.integrations")


def shown_origin(origin: Origin) -> str:
    """An origin for a log line: ``scheme://host:port``.

    >>> shown_origin(("https", "example.org", 443))
    'https://example.org:443'
    """
    scheme, host, port = origin
    return f"{scheme}://{host}:{port}"


def sent_remembered(scheme: str, origin: Origin) -> None:
    _logger.debug(
        "sending the %s credentials remembered for %s at once", scheme, shown_origin(origin)
    )


def refused_again(status: int, origin: Origin, chosen: Challenge | None) -> None:
    """Debug: the credentials sent were refused (when ``chosen`` is there to answer again)."""
    if chosen is None:
        return  # choice() has said why nothing can be answered
    _logger.debug(
        "the %d from %s refused the %s credentials sent: not answered again",
        status,
        shown_origin(origin),
        shown(chosen.scheme),
    )


def stale_again(origin: Origin) -> None:
    _logger.debug(
        "the Digest nonce of %s is stale: answering its new nonce once more", shown_origin(origin)
    )


def answer_too_long(status: int, origin: Origin, scheme: str, limit: int) -> None:
    _logger.warning(
        "the %d from %s is not answered: the answer to its %s challenge would be longer "
        "than %d octets",
        status,
        shown_origin(origin),
        shown(scheme),
        limit,
    )


def proxy_without_credentials() -> None:
    _logger.warning(
        "the 407 from a proxy is not answered: no proxy_username and proxy_password were "
        "given (the origin's credentials never go to a proxy)"
    )


def other_origin(status: int, url: str, origin: Origin) -> None:
    """Debug: a redirect reached another origin, whose challenges are not answered."""
    if status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.PROXY_AUTHENTICATION_REQUIRED):
        _logger.debug(
            "the %d from %s is not answered: the credentials are for %s only",
            status,
            shown_origin(origin_of(url)),
            shown_origin(origin),
        )


def choice(
    key: tuple[Origin, bool],
    status: int,
    field_name: str,
    offered: Sequence[tuple[Challenge, str | None]],
    chosen: Challenge | None,
    prefer: Sequence[str],
    body_available: bool,
) -> None:
    """Log the challenge chosen (debug), or warn that none of ``offered`` can be answered.

    ``offered`` pairs each challenge with the policy's reason to refuse it (None: permitted).
    """
    where = shown_origin(key[0])
    if chosen is not None:
        if _logger.isEnabledFor(logging.DEBUG):
            _logger.debug(
                "the %d from %s offers %s: its %s challenge is chosen",
                status,
                where,
                ", ".join(shown(challenge.scheme) for challenge, _ in offered),
                shown(chosen.scheme),
            )
        return
    if key[1]:
        where = f"the proxy for {where}"
    if not offered:
        _logger.warning(
            "the %d from %s is not answered: it has no %s challenge that can be read",
            status,
            where,
            field_name,
        )
        return
    _logger.warning(
        "the %d from %s is not answered: none of the %s challenges offered can be: %s",
        status,
        where,
        field_name,
        "; ".join(
            f"{shown(challenge.scheme)}: {why_not(challenge, refusal, prefer, body_available)}"
            for challenge, refusal in offered
        ),
    )


def why_not(
    challenge: Challenge, refusal: str | None, prefer: Sequence[str], body_available: bool
) -> str:
    """Why ``challenge`` was not chosen: the policy's ``refusal``, else select_challenge's."""
    if refusal is not None:
        return refusal
    scheme_name = ascii_lower(challenge.scheme)
    if scheme_name not in ANSWERABLE:
        return "this client answers Basic and Digest only"
    if scheme_name not in {ascii_lower(name) for name in prefer}:
        return f"not in prefer={tuple(prefer)!r}"
    if not body_available and select_challenge([challenge], [scheme_name]) is not None:
        return "it offers only qop=auth-int, which hashes the request content, a stream here"
    return (
        "wwwauth.select_challenge cannot answer it (a charset other than UTF-8, no qop it "
        "knows, or a -sess algorithm without qop)"
    )
