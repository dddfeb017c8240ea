"""The server side shared by the ASGI and WSGI middleware, and a ready Digest verifier.

Standard library only. :class:`wwwauth.integrations.asgi.AuthMiddleware` and
:class:`wwwauth.integrations.wsgi.AuthMiddleware` call your ``verify`` with the parsed
credentials and a :class:`RequestInfo`, your optional ``authorize`` with what ``verify``
returned, and answer with :func:`wwwauth.decide` (401, 400, 403, 407, one field line per
challenge, Bearer error codes). :class:`DigestVerifier` is a ``verify`` for Digest with
a user table: it issues stateless signed nonces, checks them (``stale`` when only the
nonce expired, RFC 7616 §3.3), refuses a nonce count that does not grow, and can send
``Authentication-Info`` with ``rspauth`` and ``nextnonce`` (RFC 7616 §3.5).

This module gathers the names of :mod:`wwwauth.integrations._gate` (the gate both
middleware share) and :mod:`wwwauth.integrations.digest_verifier`.

Both middleware fail closed:

* a request is granted only when ``verify`` returns a principal that is neither None
  nor False (nor :data:`STALE`, nor an awaitable the middleware cannot await) and,
  when ``authorize`` is given, ``authorize`` returns exactly ``True``;
* a ``ValueError`` from ``verify`` (:class:`~wwwauth.ParseError` included, and what
  :func:`wwwauth.digest.verify` raises on parameters the client chose) means "not
  verified": the usual 401 (or 400, 407) of :func:`wwwauth.decide`;
* any other exception from ``verify``, ``authorize``, ``authentication_info`` or
  ``check_nonce``, and an awaitable where the middleware cannot await one, is logged on
  the ``wwwauth.integrations`` logger (its type and where it was raised, never its
  message, which may hold a credential) and answered 500 without calling the
  application;
* nothing before authentication costs more than the header fields: the request content
  is read only for Digest ``qop=auth-int`` credentials answering a challenge that
  offers ``auth-int``, with a nonce that a :class:`DigestVerifier` in play (or
  ``check_nonce``) says it issued, and at most ``max_body`` octets of it (413 above).

>>> from wwwauth import Credentials, basic
>>> from wwwauth.integrations.server import DigestVerifier, RequestInfo
>>> verifier = DigestVerifier({"Mufasa": "Circle of Life"}, realm="api")
>>> challenge = verifier.challenge()
>>> from wwwauth import digest
>>> credentials = digest.respond(challenge, username="Mufasa", password="Circle of Life",
...                              method="GET", uri="/")
>>> verifier(credentials, RequestInfo(method="GET", target="/"))
'Mufasa'
"""

from __future__ import annotations

from . import _gate

# Every public name of the gate, re-exported (the path README.md and API.md document).
from ._gate import *
from .digest_verifier import DigestVerifier

__all__ = ["DigestVerifier"]
__all__ += _gate.__all__
