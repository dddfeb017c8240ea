"""The Digest scheme (RFC 7616): challenges, responses, verification and ``rspauth``.

A client answers a challenge with :func:`respond`; a server builds challenges with
:func:`challenge`, checks an answer with :func:`verify` (constant-time, from the
password or from a stored H(A1)) and may prove itself back with
:func:`authentication_info`, which the client checks with
:func:`verify_authentication_info`.

>>> from wwwauth import digest
>>> ch = digest.challenge(realm="http-auth@example.org", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v")
>>> creds = digest.respond(ch, username="Mufasa", password="Circle of Life", method="GET", uri="/dir/index.html")
>>> digest.verify(creds, method="GET", password="Circle of Life")
True

Algorithms: MD5, SHA-256 and SHA-512-256 with their ``-sess`` variants (RFC 7616 §3.3,
§6.1), matched ignoring ASCII case. SHA-512-256 works without OpenSSL support
(``wwwauth._sha512_256``). qop: ``auth``, ``auth-int`` and the RFC 2069 form without
qop. Strings from a header (realm, nonce, uri, a plain username) are octets and are
hashed as such (ISO-8859-1); the user's name and password are hashed as UTF-8, the only
charset RFC 7616 §4 allows. Like :mod:`wwwauth.basic`, nothing is NFC-normalized for you.

What :func:`verify` does not do, because it needs server state: check that the nonce is
one you issued and still fresh (send ``stale=true`` otherwise, §3.3), that ``nc`` grows
(replays, §5.5), and that ``uri`` names the request-target (§3.4.6: 400 if not).
"""

from __future__ import annotations

from ._views import (
    ALGORITHMS,
    QOP_AUTH,
    QOP_AUTH_INT,
    SCHEME,
    DigestAuthenticationInfo,
    DigestChallenge,
    DigestCredentials,
    authentication_info,
    challenge,
    compute_ha1,
    hash_username,
    is_supported_algorithm,
    respond,
    verify,
    verify_authentication_info,
)

__all__ = [
    "ALGORITHMS",
    "QOP_AUTH",
    "QOP_AUTH_INT",
    "SCHEME",
    "DigestAuthenticationInfo",
    "DigestChallenge",
    "DigestCredentials",
    "authentication_info",
    "challenge",
    "compute_ha1",
    "hash_username",
    "is_supported_algorithm",
    "respond",
    "verify",
    "verify_authentication_info",
]
