"""Basic and Digest authentication for httpx that reads every challenge (needs httpx).

>>> import httpx
>>> from wwwauth.integrations.httpx import HTTPAuth
>>> client = httpx.Client(auth=HTTPAuth("Mufasa", "Circle of Life"))

:class:`HTTPAuth` is an ``httpx.Auth`` whose ``auth_flow`` generator serves
``httpx.Client`` and ``httpx.AsyncClient`` alike. It behaves as
:class:`wwwauth.integrations.requests.HTTPAuth` does: every field line of every
challenge field is read (the raw header lines, each leniently on its own), a challenge
is picked with :func:`wwwauth.select_challenge` (Digest before Basic by default), Digest
is answered with every RFC 7616 algorithm and qop (``auth-int`` hashes the request
content, which is why ``requires_request_body`` is True), ``stale=true`` is answered
once more, ``nextnonce`` is used for the next request, ``rspauth`` is checked with
``verify_rspauth=True``, and a 407 is answered with ``Proxy-Authorization`` (with the
proxy credentials, when given).

What it refuses (the 401 or 407 is then returned as it came) is listed in
:mod:`wwwauth.integrations._client_policy`, the policy it shares with
:mod:`wwwauth.integrations.requests`. A 401 or 407 returned unanswered is a warning on
the ``wwwauth.integrations`` logger saying why, each decision a debug record.

Redirects: httpx follows them inside one auth flow, so the flow sees the last response
of the chain. A challenge from the same origin is answered on the request that got it
(the last hop); one from another origin (scheme, host, port) is not answered. httpx
itself drops ``Authorization`` on a redirect to another origin, except from ``http`` to
``https`` on the same host, which httpx allows.

Limits: a 407 answered to a ``CONNECT`` (an ``https://`` URL through a proxy) is raised
by the transport as ``httpx.ProxyError`` and never reaches the auth flow: give proxy
credentials in the proxy URL there.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping

import httpx

from . import _client, _client_log
from ._client import HTTPAuthBase, OutgoingRequest, ResponseView, merge_cookie_header, origin_of

__all__ = ["HTTPAuth", "MutualAuthenticationError"]


class MutualAuthenticationError(_client.MutualAuthenticationError, httpx.HTTPError):
    """The server's ``rspauth`` is missing or wrong (RFC 7616 §3.5); an ``httpx.HTTPError``.

    ``response`` is the response that failed the check.

    >>> issubclass(MutualAuthenticationError, httpx.HTTPError)
    True
    """

    def __init__(self, message: str, *, response: httpx.Response) -> None:
        super().__init__(message)
        self.request = response.request
        self.response = response


def _outgoing(request: httpx.Request) -> OutgoingRequest:
    url = request.url
    port = b"" if url.port is None else b":%d" % url.port
    # httpcore's request line to a forward proxy: scheme "://" host [":" port] target
    proxy_target = b"%b://%b%b%b" % (url.raw_scheme, url.raw_host, port, url.raw_path)
    return OutgoingRequest(
        method=request.method,
        url=str(url),
        target=url.raw_path.decode("ascii"),
        proxy_target=proxy_target.decode("ascii"),
        body=_content(request),
    )


def _content(request: httpx.Request) -> bytes | None:
    """The request content; a redirect's copy is read from its in-memory stream."""
    try:
        return request.content
    except httpx.RequestNotRead:
        if isinstance(request.stream, httpx.ByteStream):
            return request.read()
        return None


def _set_fields(request: httpx.Request, fields: Mapping[str, str]) -> None:
    """Set the auth fields as the octets they stand for: ISO-8859-1 (RFC 9110 §5.5).

    httpx encodes a ``str`` value as ASCII, which raised ``UnicodeEncodeError`` for a
    Digest answer echoing a realm or nonce with obs-text (octets above 0x7F, RFC 9110
    §5.6.4); given bytes, it sends them as they are.
    """
    if not fields:
        return
    request.headers.update(
        {name.encode("ascii"): value.encode("latin-1") for name, value in fields.items()}
    )
    if not all(value.isascii() for value in fields.values()):
        # httpx decodes every field with one encoding, chosen once; ASCII no longer fits.
        request.headers.encoding = "iso-8859-1"


def _update_cookies(request: httpx.Request, response: httpx.Response) -> None:
    """Send the cookies the 401 (or 407) set with the retry, over those sent before.

    A server may keep its nonce state in cookies (httpbin's stale_after); httpx's
    ``Cookies.set_cookie_header`` leaves a Cookie header it finds alone, which re-sent
    the previous attempt's cookies.
    """
    if not response.cookies:
        return
    scratch = httpx.Request(request.method, request.url)
    httpx.Cookies(response.cookies).set_cookie_header(request=scratch)
    cookie = merge_cookie_header(request.headers.get("Cookie"), scratch.headers.get("Cookie"))
    if cookie is not None:
        request.headers["Cookie"] = cookie


def _view(response: httpx.Response) -> ResponseView:
    def field_lines(name: str) -> list[bytes]:
        key = name.lower().encode("ascii")
        return [value for field, value in response.headers.raw if field.lower() == key]

    return ResponseView(response.status_code, field_lines, lambda: response.content)


class HTTPAuth(HTTPAuthBase, httpx.Auth):
    """An httpx auth that answers Basic and Digest challenges, read from every field line.

    Use one instance per user, with ``httpx.Client`` or ``httpx.AsyncClient``. Its
    arguments (the user, ``prefer``, ``verify_rspauth``, the proxy's user,
    ``allow_basic_over_http``, ``min_digest_algorithm``) and what they raise are those
    of :class:`wwwauth.integrations._client.HTTPAuthBase`.

    >>> auth = HTTPAuth("Mufasa", "Circle of Life", verify_rspauth=True)
    >>> auth.requires_request_body, auth.requires_response_body
    (True, True)
    """

    # auth-int hashes the request content (RFC 7616 §3.4.3), so httpx reads it first.
    requires_request_body = True

    @property
    def requires_response_body(self) -> bool:  # type: ignore[override]
        """rspauth with qop=auth-int hashes the response content: read it first then."""
        return self.verify_rspauth

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Send ``request``, answering its challenges; see the module docstring."""
        origin = origin_of(str(request.url))
        flow = self.exchange(_outgoing(request))
        _set_fields(request, next(flow))
        response = yield request
        while True:
            if response.request is not request:
                # httpx followed a redirect: the challenge is the last hop's to answer.
                request = response.request
                if origin_of(str(request.url)) != origin:
                    _client_log.other_origin(response.status_code, str(request.url), origin)
                    return  # another origin: its challenges are not ours to answer
                flow = self.exchange(_outgoing(request), preemptive=False)
                next(flow)
            try:
                headers = flow.send(_view(response))
            except StopIteration:
                return
            except _client.MutualAuthenticationError as exc:
                raise MutualAuthenticationError(str(exc), response=response) from None
            _set_fields(request, headers)
            _update_cookies(request, response)
            response = yield request
