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
(``wwwauth.digest._sha512_256``). qop: ``auth``, ``auth-int`` and the RFC 2069 form without
qop. Strings from a header (realm, nonce, uri, a plain username) are octets and are
hashed as such (ISO-8859-1); the user's name and password are hashed as UTF-8, the only
charset RFC 7616 §4 allows. Like :mod:`wwwauth.basic`, nothing is NFC-normalized for you.

What :func:`verify` does not do, because it needs server state: check that the nonce is
one you issued and still fresh (send ``stale=true`` otherwise, §3.3), that ``nc`` grows
(replays, §5.5), and that ``uri`` names the request-target (§3.4.6: 400 if not).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping, Sequence

from .._abnf import HEXDIG, is_token
from ..ext_value import encode_ext_value, is_ext_value_safe
from ..model import AuthParams, Challenge, Credentials, ascii_lower
from ._compute import (
    ALGORITHMS,
    HEX_DIGEST_LENGTHS,
    QOP_AUTH,
    QOP_AUTH_INT,
    Algorithm,
    HexHash,
    a2,
    compute_ha1,
    find_algorithm,
    hash_a1,
    hash_username,
    hashed_username,
    is_supported_algorithm,
    octets,
    request_digest,
    require_algorithm,
)
from ._views import (
    SCHEME,
    DigestAuthenticationInfo,
    DigestChallenge,
    DigestCredentials,
    challenge_items,
    check_domain,
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


def challenge(
    realm: str,
    *,
    nonce: str,
    qop: Sequence[str] = (QOP_AUTH,),
    algorithm: str | None = "SHA-256",
    opaque: str | None = None,
    stale: bool = False,
    userhash: bool = False,
    domain: Sequence[str] = (),
    charset: str | None = "UTF-8",
) -> Challenge:
    """Build a Digest challenge (RFC 7616 §3.3).

    ``realm``, ``domain``, ``nonce``, ``opaque`` and ``qop`` go out as quoted-strings,
    ``algorithm`` and ``stale`` as tokens, as §3.3 requires.

    Args:
        realm: the protection space, e.g. ``"http-auth@example.org"``; by position or
            keyword, as in every scheme's ``challenge`` builder (everything else is
            keyword-only).
        nonce: a fresh server nonce (base64 or hex is advised).
        qop: the qop options offered, e.g. ``("auth", "auth-int")``; ``()`` for the RFC
            2069 form without qop.
        algorithm: one of :data:`ALGORITHMS`; None leaves the parameter out, which means
            MD5 to the client.
        opaque: a string the client returns unchanged.
        stale: True when the previous request failed only because its nonce was stale.
        userhash: True to ask for a hashed username (§3.4.4).
        domain: the URIs of the protection space.
        charset: ``"UTF-8"`` (the only value §4 allows), or None to leave it out.

    Returns:
        The challenge.

    Raises:
        ValueError: an unsupported algorithm, a qop option that is not a token, an
            empty nonce, a domain URI with whitespace, a charset other than UTF-8, or a
            value the model refuses.

    >>> str(challenge(realm="api@example.org", nonce="abc", algorithm="SHA-512-256", userhash=True))
    'Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, nonce="abc", charset=UTF-8, userhash=true'
    >>> challenge("api", nonce="abc") == challenge(realm="api", nonce="abc")  # realm by position or keyword
    True
    """
    if algorithm is not None:
        require_algorithm(algorithm)
    if not nonce:
        raise ValueError("nonce must not be empty (RFC 7616 §3.3)")
    for option in qop:
        if not is_token(option):
            raise ValueError(f"qop option {option!r} is not a token (RFC 7616 §3.3)")
    check_domain(domain)
    if charset is not None and ascii_lower(charset) != "utf-8":
        raise ValueError(f"charset {charset!r} is not allowed: only 'UTF-8' (RFC 7616 §4)")
    items = challenge_items(
        realm=realm,
        nonce=nonce,
        qop=tuple(qop),
        algorithm=algorithm,
        opaque=opaque,
        stale=stale,
        userhash=userhash,
        domain=tuple(domain),
        charset=charset,
    )
    return Challenge(SCHEME, items)


# --------------------------------------------------------------------------- computation


def _choose_qop(offered: tuple[str, ...], qop: str | None) -> str | None:
    known = {ascii_lower(option): option for option in offered}
    if qop is not None:
        if ascii_lower(qop) not in known:
            raise ValueError(
                f"qop {qop!r} is not among the options offered: {', '.join(offered) or 'none'}"
            )
        if ascii_lower(qop) not in (QOP_AUTH, QOP_AUTH_INT):
            raise ValueError(f"qop {qop!r} is not supported: expected 'auth' or 'auth-int'")
        return known[ascii_lower(qop)]
    if not offered:
        return None  # RFC 2069: no qop
    for preferred in (QOP_AUTH, QOP_AUTH_INT):
        if preferred in known:
            return known[preferred]
    # RFC 7616 §3.3: "Unrecognized options MUST be ignored" - and nothing is left.
    raise ValueError(f"none of the qop options offered is supported: {', '.join(offered)}")


def respond(
    challenge: Challenge | DigestChallenge,
    *,
    username: str,
    password: str,
    method: str,
    uri: str,
    body: bytes = b"",
    cnonce: str | None = None,
    nc: int = 1,
    qop: str | None = None,
    userhash: bool | None = None,
) -> Credentials:
    """Answer a Digest challenge (RFC 7616 §3.4).

    Args:
        challenge: the Digest challenge received (generic or typed).
        username: the user's name (UTF-8). Sent hashed when the challenge has
            ``userhash=true`` (§3.4.4), as ``username*`` (RFC 8187) when it is not
            printable ASCII, plainly otherwise.
        password: the password (UTF-8).
        method: the request method, e.g. ``"GET"``.
        uri: the request-target, exactly as on the request line (§3.4.6).
        body: the request content, hashed for ``qop=auth-int``.
        cnonce: the client nonce; a random one (128 bits, hex) when None.
        nc: the nonce count, 1 for the first request with this nonce.
        qop: ``"auth"`` or ``"auth-int"``; None picks ``auth`` when offered, else
            ``auth-int``, and no qop when the challenge has none (RFC 2069).
        userhash: override the challenge's ``userhash``: False sends the name
            in clear (``userhash=false``, as RFC 7616 §3.9.2's second request does).

    Returns:
        The credentials; ``str()`` gives the Authorization field value.

    Raises:
        ParseError: the challenge is not a valid Digest challenge.
        ValueError: an unsupported algorithm or charset, a qop not offered or not
            supported, a ``-sess`` algorithm without qop, ``nc`` outside 1..2**32-1,
            a user name holding ':', ``userhash=True`` the server did not offer, or a
            method that is not a token.

    >>> ch = challenge(realm="r", nonce="n", algorithm="MD5", qop=(), charset=None)
    >>> str(respond(ch, username="u", password="p", method="GET", uri="/"))
    'Digest username="u", realm="r", uri="/", algorithm=MD5, nonce="n", response="f23121ca97143c6b358da620220c83b4"'
    """
    view = (
        challenge
        if isinstance(challenge, DigestChallenge)
        else DigestChallenge.from_challenge(challenge)
    )
    algorithm = require_algorithm(view.effective_algorithm)
    _check_charset(view)
    chosen = _choose_qop(view.qop, qop)
    if chosen is None and algorithm.sess:
        raise ValueError(
            f"{view.effective_algorithm} needs a cnonce, which needs a qop (RFC 7616 §3.4.2)"
        )
    _check_request(nc=nc, username=username, method=method)
    hashed = _sends_hashed_username(view, userhash)
    client_nonce = nc_text = None
    if chosen is not None:
        # RFC 7616 §3.4: cnonce and nc go with a qop, and only with one
        client_nonce = cnonce if cnonce is not None else secrets.token_hex(16)
        nc_text = f"{nc:08x}"
    hash_function = algorithm.hash_function
    response = request_digest(
        algorithm,
        hash_a1(hash_function, username.encode("utf-8"), view.realm, password),
        nonce=view.nonce,
        cnonce=client_nonce,
        nc=nc_text,
        qop=chosen,
        a2=a2(hash_function, method, uri, chosen, body),
    )
    # RFC 7616 §3.4.4: the username is hashed "after any other hash calculation"
    user = _username_param(hash_function, view.realm, username, hashed=hashed)
    params = _response_params(
        view, uri=uri, qop=chosen, nc=nc_text, cnonce=client_nonce, response=response
    )
    if view.userhash:
        params.append(("userhash", "true" if hashed else "false"))
    return Credentials(SCHEME, [user, *params])


def _check_charset(view: DigestChallenge) -> None:
    if view.charset is not None and ascii_lower(view.charset) != "utf-8":
        # RFC 7616 §4: "If the user agent does not support the encoding ... it can fail"
        raise ValueError(f"charset {view.charset!r} is not supported: only UTF-8 (RFC 7616 §4)")


def _check_request(*, nc: int, username: str, method: str) -> None:
    """Raise ValueError for what :func:`respond`'s caller passed and no header can carry."""
    if not 1 <= nc <= 0xFFFFFFFF:
        raise ValueError(f"nc {nc} does not fit 8 hexadecimal digits (RFC 7616 §3.4)")
    if ":" in username:
        # RFC 7616 §4: usernames are UsernameCasePreserved "with the exception of the colon"
        raise ValueError("the username holds ':' (RFC 7616 §4)")
    if not is_token(method):
        raise ValueError(f"method {method!r} is not a token (RFC 9110 §9.1)")


def _sends_hashed_username(view: DigestChallenge, userhash: bool | None) -> bool:
    """Whether to hash the username: as the challenge asks, unless the caller overrides."""
    hashed = view.userhash if userhash is None else userhash
    if hashed and not view.userhash:
        raise ValueError("the challenge does not offer userhash (RFC 7616 §3.4.4)")
    return hashed


def _username_param(
    hash_function: HexHash, realm: str, username: str, *, hashed: bool
) -> tuple[str, str]:
    """The ``username`` (plain or hashed) or ``username*`` parameter (RFC 7616 §3.4)."""
    if hashed:
        return ("username", hashed_username(hash_function, username, realm))
    if is_ext_value_safe(username):
        return ("username", username)
    # RFC 7616 §3.4: username* (RFC 8187) when the name is not plain ASCII
    return ("username*", encode_ext_value(username))


def _response_params(
    view: DigestChallenge,
    *,
    uri: str,
    qop: str | None,
    nc: str | None,
    cnonce: str | None,
    response: str,
) -> list[tuple[str, str]]:
    """The parameters after the username, in the order of RFC 7616 §3.9's examples."""
    params = [("realm", view.realm), ("uri", uri)]
    if view.algorithm is not None:
        # RFC 7616 §3.4: algorithm "must be those supplied in the WWW-Authenticate"
        params.append(("algorithm", view.algorithm))
    params.append(("nonce", view.nonce))
    if qop is not None:
        assert nc is not None and cnonce is not None
        params += [("nc", nc), ("cnonce", cnonce), ("qop", qop)]
    params.append(("response", response))
    if view.opaque is not None:
        params.append(("opaque", view.opaque))
    return params


def _secret_ha1(
    view: DigestCredentials,
    algorithm: Algorithm,
    *,
    password: str | None,
    ha1: str | None,
    username: str | None,
) -> str | None:
    """H(A1) for ``view``, or None when it cannot be the one the client used.

    None, never an exception, for what the client chose: a hashed username that is not
    ``username``'s, a hashed username with a password but no ``username`` to hash, a
    plain one that is not ``username``, an ``ha1`` for another algorithm than the
    client's. The caller has checked its own arguments (:func:`_check_secret`).
    """
    if not _names_the_user(view, algorithm.hash_function, username=username, password=password):
        return None
    if ha1 is not None:
        # The client chose the algorithm: an H(A1) stored for another one cannot match.
        return ha1.lower() if len(ha1) == algorithm.digest_length else None
    assert password is not None
    user = _username_octets(view, username)
    return hash_a1(algorithm.hash_function, user, view.realm, password)


def _names_the_user(
    view: DigestCredentials, hash_function: HexHash, *, username: str | None, password: str | None
) -> bool:
    """Whether ``view`` names ``username`` (any user when None and a stored H(A1) is used)."""
    if not view.userhash:
        return username is None or username == view.name
    if username is None:
        # RFC 7616 §3.4.4: the header holds only H(username ":" realm), and a password
        # needs the plain name to compute H(A1)
        return password is None
    return _equal_hex(hashed_username(hash_function, username, view.realm), view.name)


def _username_octets(view: DigestCredentials, username: str | None) -> bytes:
    """The username of A1 as octets (RFC 7616 §3.4.2), once :func:`_names_the_user` agreed."""
    if view.userhash:
        assert username is not None  # _names_the_user: a password with userhash needs it
        return username.encode("utf-8")
    # A plain username is octets from the header; a username* was UTF-8 (RFC 7616 §4).
    return view.name.encode("utf-8") if view.username_ext is not None else octets(view.name)


def _check_secret(password: str | None, ha1: str | None) -> None:
    """Raise ValueError for the caller's own mistakes, whatever the credentials hold."""
    if (password is None) == (ha1 is None):
        raise ValueError("give exactly one of password and ha1")
    if ha1 is not None and (
        len(ha1) not in HEX_DIGEST_LENGTHS or any(char not in HEXDIG for char in ha1)
    ):
        raise ValueError("ha1 is not the hex digest of a supported algorithm (compute_ha1)")


def _equal_hex(expected: str, given: str) -> bool:
    # Constant time; compared as octets so that a non-ASCII "response" cannot raise.
    return hmac.compare_digest(expected.encode("ascii"), ascii_lower(given).encode("latin-1"))


def _credentials_view(value: Credentials | DigestCredentials | str | bytes) -> DigestCredentials:
    return (
        value if isinstance(value, DigestCredentials) else DigestCredentials.from_credentials(value)
    )


def _digest_of(
    view: DigestCredentials, algorithm: Algorithm, secret: str, *, method: str, body: bytes
) -> str:
    """The request-digest of ``view`` (RFC 7616 §3.4.1), or its rspauth for ``method=""``."""
    return request_digest(
        algorithm,
        secret,
        nonce=view.nonce,
        cnonce=view.cnonce,
        nc=view.nc,
        qop=view.qop,
        a2=a2(algorithm.hash_function, method, view.uri, view.qop, body),
    )


def verify(
    credentials: Credentials | DigestCredentials | str | bytes,
    *,
    method: str,
    password: str | None = None,
    ha1: str | None = None,
    username: str | None = None,
    body: bytes = b"",
) -> bool:
    """Check Digest credentials against a password or a stored H(A1) (RFC 7616 §3.6).

    The comparison is constant-time (:func:`hmac.compare_digest`).

    Args:
        credentials: the credentials received (or the Authorization value).
        method: the request method.
        password: the user's password; or
        ha1: the stored ``H(username ":" realm ":" password)`` in hex
            (:func:`compute_ha1`), for the credentials' algorithm.
        username: the user's plain name. Needed with ``password`` when the credentials
            carry ``userhash=true`` (the header only holds the hash, which is then
            checked); otherwise, when given, it must equal the name sent.
        body: the request content, for ``qop=auth-int``.

    Returns:
        True when the response matches. False for anything else the client chose: a
        response that does not match, a name that is not ``username``, an
        unsupported algorithm, ``userhash=true`` when only ``password`` is given (the
        plain name is needed to check the hash), or an algorithm other than the one
        ``ha1`` was computed for (e.g. an MD5 response against a SHA-256 ``ha1``).

    Raises:
        ParseError: the credentials are not valid Digest credentials (answer 400).
        ValueError: only the caller's own misuse, whatever the credentials hold:
            neither or both of ``password`` and ``ha1``, or an ``ha1`` that is not the
            hex digest of a supported algorithm (32 or 64 hex digits).

    >>> ch = challenge(realm="r", nonce="n")
    >>> creds = respond(ch, username="u", password="p", method="GET", uri="/")
    >>> verify(creds, method="GET", password="p"), verify(creds, method="GET", password="q")
    (True, False)
    """
    _check_secret(password, ha1)
    view = _credentials_view(credentials)
    algorithm = find_algorithm(view.effective_algorithm)
    if algorithm is None:
        return False
    secret = _secret_ha1(view, algorithm, password=password, ha1=ha1, username=username)
    if secret is None:
        return False
    return _equal_hex(_digest_of(view, algorithm, secret, method=method, body=body), view.response)


def authentication_info(
    credentials: Credentials | DigestCredentials | str | bytes,
    *,
    password: str | None = None,
    ha1: str | None = None,
    username: str | None = None,
    body: bytes = b"",
    nextnonce: str | None = None,
) -> AuthParams:
    """Build the Authentication-Info a server sends after accepting Digest credentials (RFC 7616 §3.5).

    Call it after :func:`verify` returned True; it does not check the response again.

    Args:
        credentials: the credentials accepted.
        password, ha1, username: as for :func:`verify`.
        body: the *response* content, hashed into ``rspauth`` for ``qop=auth-int``.
        nextnonce: the nonce the client should use next, if any.

    Returns:
        The auth-params (``nextnonce``, ``qop``, ``rspauth``, ``cnonce``, ``nc``); pass
        them to :func:`~wwwauth.format_authentication_info`.

    Raises:
        ParseError: the credentials are not valid Digest credentials.
        ValueError: as for :func:`verify`; and where :func:`verify` returns False
            without comparing (an unsupported algorithm, a ``username`` that does not
            match, a hashed username without ``username``, ``ha1`` for another
            algorithm): call this only after :func:`verify` returned True.

    >>> from wwwauth import format_authentication_info
    >>> creds = respond(challenge(realm="r", nonce="n"), username="u", password="p",
    ...                 method="GET", uri="/", cnonce="c")
    >>> format_authentication_info(authentication_info(creds, password="p"))[:34]
    'qop=auth, rspauth="358379a4f598593'
    """
    _check_secret(password, ha1)
    view = _credentials_view(credentials)
    algorithm = require_algorithm(view.effective_algorithm)
    secret = _secret_ha1(view, algorithm, password=password, ha1=ha1, username=username)
    if secret is None:
        raise ValueError(
            "H(A1) cannot be computed for these credentials: username does not match, "
            "is missing with userhash=true, or ha1 is for another algorithm"
        )
    info = DigestAuthenticationInfo(
        nextnonce=nextnonce,
        qop=view.qop,
        # RFC 7616 §3.5: rspauth as the response, but A2 = ":" request-uri [ ":" H(entity-body) ]
        rspauth=_digest_of(view, algorithm, secret, method="", body=body),
        cnonce=view.cnonce,
        nc=view.nc,
    )
    return info.to_params()


def verify_authentication_info(
    info: Mapping[str, str] | DigestAuthenticationInfo | str | bytes,
    credentials: Credentials | DigestCredentials | str | bytes,
    *,
    password: str | None = None,
    ha1: str | None = None,
    username: str | None = None,
    body: bytes = b"",
) -> bool:
    """Check the server's ``rspauth`` against the credentials the client sent (RFC 7616 §3.5).

    Args:
        info: the Authentication-Info received (value, params or view).
        credentials: the credentials this client sent with the request.
        password, ha1, username: as for :func:`verify` (``username`` is needed when
            the credentials carry a hashed username).
        body: the response content, for ``qop=auth-int``.

    Returns:
        True when ``rspauth`` is present and right, and ``qop``, ``cnonce`` and ``nc``
        echo the request's; False otherwise (also for an unsupported algorithm).

    Raises:
        ParseError: ``info`` or ``credentials`` do not parse.
        ValueError: as for :func:`verify`.

    >>> creds = respond(challenge(realm="r", nonce="n"), username="u", password="p",
    ...                 method="GET", uri="/")
    >>> info = authentication_info(creds, password="p")
    >>> verify_authentication_info(info, creds, password="p")
    True
    """
    _check_secret(password, ha1)
    received = (
        info
        if isinstance(info, DigestAuthenticationInfo)
        else DigestAuthenticationInfo.from_params(info)
    )
    view = _credentials_view(credentials)
    algorithm = find_algorithm(view.effective_algorithm)
    if algorithm is None or received.rspauth is None:
        return False
    echoes = ((received.qop, view.qop), (received.cnonce, view.cnonce), (received.nc, view.nc))
    if any(got is not None and got != sent for got, sent in echoes) or (
        view.qop is not None and received.qop is None
    ):
        return False
    secret = _secret_ha1(view, algorithm, password=password, ha1=ha1, username=username)
    if secret is None:
        return False
    rspauth = _digest_of(view, algorithm, secret, method="", body=body)
    return _equal_hex(rspauth, received.rspauth)
