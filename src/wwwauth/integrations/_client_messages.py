"""What the client engine and the requests and httpx adapters pass each other.

The request as the engine needs it, the response as it reads it, the origin a credential
is bound to, the error of a failed ``rspauth`` check, and the ``Cookie`` field of a retry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from ..model import ascii_lower

__all__ = [
    "MutualAuthenticationError",
    "Origin",
    "OutgoingRequest",
    "ResponseView",
    "merge_cookie_header",
    "origin_of",
]

# (scheme, host, port): RFC 6454 §4, the origin a credential is bound to.
Origin = tuple[str, str, int]

_DEFAULT_PORTS: Final = {"http": 80, "https": 443, "ws": 80, "wss": 443}


class MutualAuthenticationError(Exception):
    """The server's ``rspauth`` is missing or wrong: it did not prove it knows the password.

    Raised only with ``verify_rspauth=True`` (RFC 7616 §3.5). The integrations raise
    subclasses that are also their framework's own error class.

    >>> issubclass(MutualAuthenticationError, Exception)
    True
    """


def origin_of(url: str) -> Origin:
    """The origin of ``url``: scheme and host lower-cased, the default port filled in.

    >>> origin_of("HTTP://Example.org/a"), origin_of("https://example.org:8443/")
    (('http', 'example.org', 80), ('https', 'example.org', 8443))
    """
    parts = urlsplit(url)
    scheme = ascii_lower(parts.scheme)
    try:
        port = parts.port
    except ValueError:
        port = None
    return (
        scheme,
        ascii_lower(parts.hostname or ""),
        (_DEFAULT_PORTS.get(scheme, 0) if port is None else port),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class OutgoingRequest:
    """What the client needs to know of a request to answer its challenges.

    Attributes:
        method: the request method.
        url: the absolute URL requested.
        target: the request-target the origin server sees (origin-form, RFC 9112
            §3.2.1), the Digest ``uri`` of an Authorization (RFC 7616 §3.4.6).
        proxy_target: the request-target a forward proxy sees (absolute-form, RFC 9112
            §3.2.2), the Digest ``uri`` of a Proxy-Authorization.
        body: the request content, or None when it cannot be read twice (a stream):
            then a Digest challenge offering only ``qop=auth-int`` is not answered.
    """

    method: str
    url: str
    target: str
    proxy_target: str
    body: bytes | None


@dataclass(frozen=True, slots=True)
class ResponseView:
    """A response as :meth:`._client.ClientAuth.exchange` reads it.

    Attributes:
        status: the status code.
        field_lines: the field lines of a header field, by name, each as received
            (``bytes`` are read as ISO-8859-1).
        content: reads the response content (for ``rspauth`` with ``qop=auth-int``).
    """

    status: int
    field_lines: Callable[[str], Sequence[str | bytes]]
    content: Callable[[], bytes]


def merge_cookie_header(previous: str | None, fresh: str | None) -> str | None:
    """The ``Cookie`` field of a retry: ``previous``'s pairs, updated by ``fresh``'s.

    A 401 or 407 may set cookies the server needs on the retry (httpbin keeps its nonce
    state in them). A pair of ``fresh`` (the cookies the challenge set that apply to the
    request) replaces the pair of ``previous`` with the same name, in place; the others
    follow. RFC 6265 §5.4: the cookie-string is cookie-pairs joined by ``"; "``.

    >>> merge_cookie_header("a=1; b=2", "b=3; c=4")
    'a=1; b=3; c=4'
    >>> merge_cookie_header(None, "c=4"), merge_cookie_header("a=1", None)
    ('c=4', 'a=1')
    """
    if not fresh:
        return previous
    if not previous:
        return fresh
    pairs: dict[str, str] = {}
    for cookie_string in (previous, fresh):
        for pair in cookie_string.split(";"):
            pair = pair.strip()
            if pair:
                pairs[pair.partition("=")[0].strip()] = pair
    return "; ".join(pairs.values())
