"""Basic and Digest authentication for requests that reads every challenge (needs requests).

>>> import requests
>>> from wwwauth.integrations.requests import HTTPAuth
>>> session = requests.Session()
>>> session.auth = HTTPAuth("Mufasa", "Circle of Life")

On a 401 (or a 407 from a proxy) :class:`HTTPAuth` reads every challenge of every field
line (from urllib3's raw headers, so repeated ``WWW-Authenticate`` lines stay apart, each
read leniently on its own), picks one with :func:`wwwauth.select_challenge` (Digest
before Basic by default; among Digest challenges the server's order, RFC 7616 §3.7), and
sends the request again with ``Authorization`` (or ``Proxy-Authorization``):

* Digest: MD5, SHA-256, SHA-512-256 and their ``-sess`` variants; qop ``auth``,
  ``auth-int`` (the real request content is hashed; a streamed body cannot be, so a
  challenge offering only ``auth-int`` is then skipped) and the RFC 2069 form; ``userhash``;
  for a name that is not ASCII, its UTF-8 octets in ``username`` (``username*`` when it
  holds ``"``, ``\\`` or a control character).
* ``stale=true``: answered once more with the new nonce, not taken for a wrong password.
* ``nextnonce`` of ``Authentication-Info`` is used for the next request; later requests to
  the same origin send credentials at once, with ``nc`` counting per nonce.
* ``verify_rspauth=True`` requires the server's ``rspauth`` on 2xx responses and checks
  it on every response (:class:`MutualAuthenticationError` otherwise).
* Credentials are bound to the origin (scheme, host, port) of the request: after a
  redirect to another origin, a challenge is not answered and headers this object set
  are removed before requests follows the redirect.

What it refuses (the 401 or 407 is then returned as it came) is listed in
:mod:`wwwauth.integrations._client_policy`, the policy it shares with
:mod:`wwwauth.integrations.httpx`: among it, a proxy's 407 without ``proxy_username``
and ``proxy_password``, Basic over plain ``http`` or to a proxy unless
``allow_basic_over_http=True``, and a downgrade (Basic, or MD5, after a stronger Digest
was accepted in the same protection space). A 401 or 407 returned unanswered is a
warning on the ``wwwauth.integrations`` logger saying why, each decision a debug record.

Limits: a 407 answered to a ``CONNECT`` (an ``https://`` URL through a proxy) never
reaches the auth object in requests: put the proxy credentials in the proxy URL there.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import requests
from requests.auth import AuthBase
from requests.cookies import RequestsCookieJar, extract_cookies_to_jar, get_cookie_header
from requests.models import PreparedRequest, Response
from requests.utils import rewind_body, urldefragauth

from . import _client, _client_log
from ._client import (
    ClientAuth,
    HTTPAuthBase,
    OutgoingRequest,
    ResponseView,
    merge_cookie_header,
    origin_of,
)

__all__ = ["HTTPAuth", "MutualAuthenticationError"]


class MutualAuthenticationError(_client.MutualAuthenticationError, requests.RequestException):
    """The server's ``rspauth`` is missing or wrong (RFC 7616 §3.5); a ``RequestException``.

    ``response`` is the response that failed the check.

    >>> issubclass(MutualAuthenticationError, requests.RequestException)
    True
    """


def _body(request: PreparedRequest) -> bytes | None:
    """The request content, or None for a stream that cannot be hashed and sent again."""
    body = request.body
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")  # urllib3 2 sends a str body as UTF-8
    return None


def _outgoing(request: PreparedRequest) -> OutgoingRequest:
    url = request.url or ""
    return OutgoingRequest(
        method=request.method or "GET",
        url=url,
        target=request.path_url,
        proxy_target=urldefragauth(url),  # what requests puts on a proxy's request line
        body=_body(request),
    )


def _field_lines(response: Response, name: str) -> list[str]:
    """Each field line of ``name`` apart, where urllib3 keeps them; else requests' joined value."""
    headers = getattr(response.raw, "headers", None)
    getlist = getattr(headers, "getlist", None)
    if callable(getlist):
        return [str(line) for line in getlist(name)]
    message = getattr(getattr(response.raw, "_original_response", None), "msg", None)
    get_all = getattr(message, "get_all", None)
    if callable(get_all):
        return [str(line) for line in get_all(name) or ()]
    value = response.headers.get(name)
    return [] if value is None else [value]


def _view(response: Response) -> ResponseView:
    return ResponseView(
        response.status_code, lambda name: _field_lines(response, name), lambda: response.content
    )


class _Chain:
    """The requests of one ``Session.send``: the original, retries and redirect hops."""

    def __init__(self, auth: ClientAuth, request: PreparedRequest) -> None:
        self.auth = auth
        self.original = request
        self.origin = origin_of(request.url or "")
        self.current: PreparedRequest = request
        self.flow = auth.exchange(_outgoing(request))
        self.set_headers: dict[str, str] = next(self.flow)
        request.headers.update(self.set_headers)

    def handle(self, response: Response, **kwargs: Any) -> Response:
        """The response hook: answer challenges on the chain's origin only."""
        request = response.request
        if request is not self.current:
            # A redirect hop: requests prepared it from an earlier request.
            if origin_of(request.url or "") != self.origin:
                _client_log.other_origin(response.status_code, request.url or "", self.origin)
                return response  # never answer another origin's challenge
            self.current = request
            self.flow = self.auth.exchange(_outgoing(request), preemptive=False)
            next(self.flow)
        while True:
            try:
                headers = self.flow.send(_view(response))
            except StopIteration:
                self._before_redirect(response)
                return response
            except _client.MutualAuthenticationError as exc:
                raise MutualAuthenticationError(str(exc), response=response) from None
            response = self._resend(response, headers, kwargs)

    def _resend(
        self, response: Response, headers: dict[str, str], kwargs: dict[str, Any]
    ) -> Response:
        """Send the request again with ``headers``, as requests' own HTTPDigestAuth does."""
        response.content  # noqa: B018 - read the body so the connection can be reused
        response.close()
        request = self.current.copy()
        if request.body is not None and not isinstance(request.body, (bytes, str)):
            rewind_body(request)
        if request._cookies is not None:
            extract_cookies_to_jar(request._cookies, self.current, response.raw)
        # The cookies the 401 (or 407) set go with the retry: a server may keep its nonce
        # state in them (httpbin's stale_after). requests' prepare_cookies leaves a Cookie
        # header it finds alone, which re-sent the previous attempt's cookies.
        fresh = RequestsCookieJar()
        extract_cookies_to_jar(fresh, self.current, response.raw)
        bare = request.copy()  # the jar adds no Cookie header to a request that has one
        bare.headers.pop("Cookie", None)
        previous = request.headers.get("Cookie")
        if isinstance(previous, bytes):
            previous = previous.decode("latin-1")
        cookie = merge_cookie_header(previous, get_cookie_header(fresh, bare))
        if cookie is not None:
            request.headers["Cookie"] = cookie
        request.headers.update(headers)
        self.set_headers.update(headers)
        retried = response.connection.send(request, **kwargs)
        retried.history.append(response)
        retried.request = request
        self.current = request
        return retried

    def _before_redirect(self, response: Response) -> None:
        """Take this object's credentials off the requests a cross-origin redirect copies."""
        location = response.headers.get("location") if response.is_redirect else None
        if location is None or origin_of(urljoin(response.url, location)) == self.origin:
            return
        # requests copies the request it was given (and then each hop); it keeps
        # Authorization on an http -> https redirect to the same host, which is
        # another origin (RFC 6454 §4).
        for request in (self.original, response.request):
            for name, value in self.set_headers.items():
                if request.headers.get(name) == value:
                    del request.headers[name]


class HTTPAuth(HTTPAuthBase, AuthBase):
    """A requests auth that answers Basic and Digest challenges, read from every field line.

    Use one instance per user; it may be shared by threads and sessions. Its arguments
    (the user, ``prefer``, ``verify_rspauth``, the proxy's user,
    ``allow_basic_over_http``, ``min_digest_algorithm``) and what they raise are those
    of :class:`wwwauth.integrations._client.HTTPAuthBase`.

    >>> auth = HTTPAuth("Mufasa", "Circle of Life", prefer=("Digest",))
    >>> auth.username
    'Mufasa'
    """

    def __call__(self, r: PreparedRequest) -> PreparedRequest:
        """Prepare ``r``: remembered credentials, and a hook that answers challenges."""
        r.register_hook("response", _Chain(self, r).handle)
        return r
