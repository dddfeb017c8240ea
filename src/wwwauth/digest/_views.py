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

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from .._abnf import NOT_VALUE_CHAR_RE, WHITESPACE, is_token
from .._scheme import (
    auth_info_error,
    check_extension_names,
    check_params_form,
    check_scheme,
    extensions,
    param_error,
    read_challenge,
    read_credentials,
    redacted_repr,
)
from ..errors import ParseError, SerializeError
from ..ext_value import ExtValue, decode_ext_value, encode_ext_value, is_ext_value_safe
from ..model import AuthParams, Challenge, Credentials, ascii_lower
from ..parsing import parse_authentication_info
from . import _sha512_256

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

SCHEME: Final = "Digest"
QOP_AUTH: Final = "auth"
QOP_AUTH_INT: Final = "auth-int"

# RFC 7616 §3.7: SHA-256 is mandatory, SHA-512/256 the backup, MD5 for compatibility;
# §3.3: each also has a "-sess" variant.
ALGORITHMS: Final = (
    "SHA-256",
    "SHA-256-sess",
    "SHA-512-256",
    "SHA-512-256-sess",
    "MD5",
    "MD5-sess",
)

_HexHash = Callable[[bytes], str]


def _md5(data: bytes) -> str:
    # MD5 here is RFC 7616's digest function, not a security primitive of ours.
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# RFC 7616 §3.3: H(data) = <algorithm>(data), as lower-case hex (§3.2).
_HASHES: Final[Mapping[str, _HexHash]] = {
    "md5": _md5,
    "sha-256": _sha256,
    "sha-512-256": _sha512_256.hexdigest,
}
_SESS_SUFFIX: Final = "-sess"
_HEX: Final = frozenset("0123456789abcdefABCDEF")
# The lengths of the hex digests above: an ``ha1`` of any other length is the caller's
# mistake, one of another of these lengths is for another algorithm than the client's.
_HEX_DIGEST_LENGTHS: Final = frozenset(
    len(hash_function(b"")) for hash_function in _HASHES.values()
)
# RFC 7616 §3.3: domain is "a space-separated list of URIs"; SP and HTAB (RFC 9110 §5.6.3
# whitespace) separate, and nothing else does (str.split would also split at obs-text
# such as U+00A0 and U+0085).
_DOMAIN_SEPARATOR_RE: Final = re.compile("[ \t]+")

_CHALLENGE_PARAMS: Final = frozenset(
    {"realm", "domain", "nonce", "opaque", "stale", "algorithm", "qop", "charset", "userhash"}
)
_CREDENTIAL_PARAMS: Final = frozenset(
    {
        "username",
        "username*",
        "realm",
        "uri",
        "algorithm",
        "nonce",
        "nc",
        "cnonce",
        "qop",
        "response",
        "opaque",
        "userhash",
    }
)
_AUTH_INFO_PARAMS: Final = frozenset({"nextnonce", "qop", "rspauth", "cnonce", "nc"})
# The text attributes of the views, checked for what a quoted-string carries.
_CHALLENGE_TEXT_FIELDS: Final = (
    "realm",
    "nonce",
    "qop",
    "algorithm",
    "opaque",
    "domain",
    "charset",
)
_CREDENTIAL_TEXT_FIELDS: Final = (
    "realm", "nonce", "uri", "response", "username", "algorithm", "cnonce", "nc", "qop", "opaque",
)  # fmt: skip


def _algorithm(name: str) -> tuple[_HexHash, bool] | None:
    """The hash function of ``name`` and whether it is a session variant, or None."""
    key = ascii_lower(name)
    sess = key.endswith(_SESS_SUFFIX)
    hash_function = _HASHES.get(key[: -len(_SESS_SUFFIX)] if sess else key)
    return None if hash_function is None else (hash_function, sess)


def _require_algorithm(name: str) -> tuple[_HexHash, bool]:
    found = _algorithm(name)
    if found is None:
        raise ValueError(
            f"unsupported Digest algorithm {name!r}: expected one of {', '.join(ALGORITHMS)} "
            "(RFC 7616 §3.3)"
        )
    return found


def is_supported_algorithm(name: str) -> bool:
    """Whether this module can compute Digest algorithm ``name`` (ASCII case ignored).

    >>> is_supported_algorithm("sha-512-256-sess"), is_supported_algorithm("SHA-1")
    (True, False)
    """
    return _algorithm(name) is not None


def _is_true(value: str | None) -> bool:
    # RFC 7616 §3.3: stale is "a case-insensitive flag"; userhash is "true" or "false".
    return value is not None and ascii_lower(value) == "true"


def _octets(text: str) -> bytes:
    """A header-borne string as the octets it stands for (RFC 9110 §5.5: ISO-8859-1)."""
    return text.encode("latin-1")


def _join(*parts: bytes) -> bytes:
    return b":".join(parts)


def _check_carried(view: object, names: Sequence[str]) -> None:
    """Raise ValueError when a text attribute of ``view`` holds what no field value carries.

    The views check this, as the model would when they are built (RFC 9110 §5.6.4:
    HTAB, SP, VCHAR and obs-text), without building the generic value: readers create
    views on every request. The message names the attribute, never its value.
    """
    values = [getattr(view, name) for name in names]
    texts = [
        text
        for value in values
        for text in (value if isinstance(value, tuple) else (value,))
        if text is not None
    ]
    if NOT_VALUE_CHAR_RE.search("".join(texts)) is None:
        return  # one search for all: the common case
    for name, value in zip(names, values):
        for text in value if isinstance(value, tuple) else (value,):
            if text is not None and NOT_VALUE_CHAR_RE.search(text) is not None:
                raise SerializeError(
                    f"{name} holds a character a quoted-string cannot carry (RFC 9110 §5.6.4)"
                )


def _is_nc(value: str) -> bool:
    # RFC 7616 §3.5: "the nc value MUST be exactly 8 hexadecimal digits"
    return len(value) == 8 and all(char in _HEX for char in value)


# --------------------------------------------------------------------------- challenge


def _challenge_items(
    *,
    realm: str,
    nonce: str,
    qop: Sequence[str],
    algorithm: str | None,
    opaque: str | None,
    stale: bool,
    userhash: bool,
    domain: Sequence[str],
    charset: str | None,
) -> list[tuple[str, str]]:
    """The parameters of a Digest challenge in the order of RFC 7616 §3.9's examples."""
    items = [("realm", realm)]
    if domain:
        # RFC 7616 §3.3: domain = a quoted, space-separated list of URIs
        items.append(("domain", " ".join(domain)))
    if qop:
        # RFC 7616 §3.3: qop = a quoted string of one or more tokens (a #list)
        items.append(("qop", ", ".join(qop)))
    if algorithm is not None:
        items.append(("algorithm", algorithm))
    items.append(("nonce", nonce))
    if opaque is not None:
        items.append(("opaque", opaque))
    if stale:
        items.append(("stale", "true"))
    if charset is not None:
        items.append(("charset", charset))
    if userhash:
        items.append(("userhash", "true"))
    return items


def challenge(
    *,
    realm: str,
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
        realm: the protection space, e.g. ``"http-auth@example.org"``.
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
    """
    if algorithm is not None:
        _require_algorithm(algorithm)
    if not nonce:
        raise ValueError("nonce must not be empty (RFC 7616 §3.3)")
    for option in qop:
        if not is_token(option):
            raise ValueError(f"qop option {option!r} is not a token (RFC 7616 §3.3)")
    for uri in domain:
        if not uri or any(char in WHITESPACE for char in uri):
            raise ValueError(f"domain URI {uri!r} is empty or holds whitespace (RFC 7616 §3.3)")
    if charset is not None and ascii_lower(charset) != "utf-8":
        raise ValueError(f"charset {charset!r} is not allowed: only 'UTF-8' (RFC 7616 §4)")
    items = _challenge_items(
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


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestChallenge:
    """A Digest challenge, its parameters typed (RFC 7616 §3.3).

    Attributes:
        realm: the protection space.
        nonce: the server nonce.
        qop: the qop options, in order; ``()`` when the challenge has no qop (RFC 2069).
        algorithm: as written, or None when absent (which means MD5).
        opaque: the opaque string, or None.
        stale: whether ``stale`` is ``true`` (ASCII case ignored).
        userhash: whether ``userhash`` is ``true``.
        domain: the protection-space URIs.
        charset: as written, or None.
        extensions: every other parameter, in order.

    >>> view = DigestChallenge.from_challenge('Digest realm="r", nonce="n", qop="auth, auth-int", stale=TRUE')
    >>> view.qop, view.stale, view.effective_algorithm
    (('auth', 'auth-int'), True, 'MD5')
    """

    realm: str
    nonce: str
    qop: tuple[str, ...] = ()
    algorithm: str | None = None
    opaque: str | None = None
    stale: bool = False
    userhash: bool = False
    domain: tuple[str, ...] = ()
    charset: str | None = None
    extensions: AuthParams = field(default_factory=AuthParams)

    def __post_init__(self) -> None:
        """Refuse what :meth:`to_challenge` could not build or :meth:`from_challenge` not read.

        Raises:
            ValueError: a qop option that is empty, holds ',' or starts or ends with
                whitespace; a domain URI that is empty or holds SP or HTAB; an extension
                named like a Digest parameter; a value the model refuses.
        """
        for option in self.qop:
            if not option or "," in option or option.strip(" \t") != option:
                raise ValueError(f"qop option {option!r} cannot be carried in a qop list")
        for uri in self.domain:
            if not uri or any(char in WHITESPACE for char in uri):
                raise ValueError(f"domain URI {uri!r} is empty or holds whitespace (RFC 7616 §3.3)")
        check_extension_names(self, self.extensions, _CHALLENGE_PARAMS)
        _check_carried(self, _CHALLENGE_TEXT_FIELDS)

    @property
    def effective_algorithm(self) -> str:
        """The algorithm in force: :attr:`algorithm`, or ``"MD5"`` when absent (RFC 7616 §3.3)."""
        return "MD5" if self.algorithm is None else self.algorithm

    @classmethod
    def from_challenge(cls, value: Challenge | str | bytes) -> DigestChallenge:
        """Read a received Digest challenge.

        Args:
            value: a :class:`~wwwauth.Challenge`, or a WWW-Authenticate value holding one.

        Returns:
            The typed view.

        Raises:
            ParseError: not Digest, a token68, or no ``realm`` or ``nonce``.

        >>> DigestChallenge.from_challenge('Digest realm="r", nonce="n", domain="/a /b"').domain
        ('/a', '/b')
        """
        ch = read_challenge(value)
        check_scheme(ch, SCHEME)
        check_params_form(ch)
        params = ch.params
        for required in ("realm", "nonce"):
            if required not in params:
                raise param_error(
                    ch, required, f"Expected a {required!r} parameter (RFC 7616 §3.3)"
                )
        qop = params.get("qop")
        domain = params.get("domain")
        return cls(
            realm=params["realm"],
            nonce=params["nonce"],
            # RFC 9110 §5.6.1.2: a recipient accepts empty list elements and OWS
            qop=()
            if qop is None
            else tuple(item.strip(" \t") for item in qop.split(",") if item.strip(" \t")),
            algorithm=params.get("algorithm"),
            opaque=params.get("opaque"),
            stale=_is_true(params.get("stale")),
            userhash=_is_true(params.get("userhash")),
            domain=()
            if domain is None
            else tuple(filter(None, _DOMAIN_SEPARATOR_RE.split(domain))),
            charset=params.get("charset"),
            extensions=extensions(params, _CHALLENGE_PARAMS),
        )

    def to_challenge(self) -> Challenge:
        """Build the generic challenge (extensions last, in order).

        >>> view = DigestChallenge(realm="r", nonce="n", qop=("auth",))
        >>> DigestChallenge.from_challenge(view.to_challenge()) == view
        True
        """
        items = _challenge_items(
            realm=self.realm,
            nonce=self.nonce,
            qop=self.qop,
            algorithm=self.algorithm,
            opaque=self.opaque,
            stale=self.stale,
            userhash=self.userhash,
            domain=self.domain,
            charset=self.charset,
        )
        return Challenge(SCHEME, [*items, *self.extensions.items()])


# --------------------------------------------------------------------------- credentials


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class DigestCredentials:
    """Digest credentials, their parameters typed (RFC 7616 §3.4). ``repr`` shows no value.

    Exactly one of ``username`` and ``username_ext`` is set.

    Attributes:
        username: the ``username`` parameter (a plain name, or its hash when
            :attr:`userhash`), or None when ``username*`` was sent.
        username_ext: the decoded ``username*`` ext-value (RFC 8187), or None.
        realm, nonce, uri, response: the parameters of those names.
        algorithm: as written, or None (MD5).
        cnonce, nc, qop: None in the RFC 2069 form.
        opaque: the opaque string echoed back, or None.
        userhash: whether ``userhash`` is ``true``.
        extensions: every other parameter, in order.
    """

    realm: str
    nonce: str
    uri: str
    response: str
    username: str | None = None
    username_ext: ExtValue | None = None
    algorithm: str | None = None
    cnonce: str | None = None
    nc: str | None = None
    qop: str | None = None
    opaque: str | None = None
    userhash: bool = False
    extensions: AuthParams = field(default_factory=AuthParams)

    def __post_init__(self) -> None:
        """Refuse what :meth:`from_credentials` would not read back (its rules, as ValueError).

        Raises:
            ValueError: neither or both of ``username`` and ``username_ext``;
                ``username_ext`` with ``userhash``; a ``qop`` that is not a token or
                comes without ``cnonce`` and ``nc``; an ``nc`` that is not 8 hex
                digits; a ``-sess`` algorithm without ``cnonce``; an extension named
                like a Digest parameter; a value the model refuses.
        """
        if self.username_ext is not None and self.userhash:
            raise ValueError("username_ext cannot go with userhash (RFC 7616 §3.4)")
        if self.qop is not None and (
            not is_token(self.qop) or self.cnonce is None or self.nc is None
        ):
            raise ValueError("qop must be a token, with cnonce and nc (RFC 7616 §3.4)")
        if self.nc is not None and not _is_nc(self.nc):
            raise ValueError("nc must be exactly 8 hexadecimal digits (RFC 7616 §3.4)")
        if (
            self.algorithm is not None
            and ascii_lower(self.algorithm).endswith(_SESS_SUFFIX)
            and self.cnonce is None
        ):
            raise ValueError("a -sess algorithm needs a cnonce (RFC 7616 §3.4.2)")
        if (self.username is None) == (self.username_ext is None):
            raise ValueError("exactly one of username and username_ext must be set")
        if self.username_ext is not None:
            self.username_ext.encode()  # refuses a charset or language it cannot write
        check_extension_names(self, self.extensions, _CREDENTIAL_PARAMS)
        _check_carried(self, _CREDENTIAL_TEXT_FIELDS)

    def __repr__(self) -> str:
        return redacted_repr(self)

    @property
    def name(self) -> str:
        """The username as sent: the decoded ``username*``, else ``username``."""
        if self.username_ext is not None:
            return self.username_ext.value
        assert self.username is not None  # from_credentials guarantees one of the two
        return self.username

    @property
    def effective_algorithm(self) -> str:
        """:attr:`algorithm`, or ``"MD5"`` when absent (RFC 7616 §3.3)."""
        return "MD5" if self.algorithm is None else self.algorithm

    @property
    def nonce_count(self) -> int | None:
        """``nc`` as an integer, or None in the RFC 2069 form."""
        return None if self.nc is None else int(self.nc, 16)

    @classmethod
    def from_credentials(cls, value: Credentials | str | bytes) -> DigestCredentials:
        """Read Digest credentials (RFC 7616 §3.4).

        Args:
            value: :class:`~wwwauth.Credentials`, or an Authorization field value.

        Returns:
            The typed view.

        Raises:
            ParseError: not Digest; both or neither of ``username`` and ``username*``
                (§3.4: both "MUST be treated as an error"); a ``username*`` that is not
                an ext-value or comes with ``userhash=true``; no ``realm``, ``nonce``,
                ``uri`` or ``response``; ``qop`` that is a list; ``qop`` without
                ``cnonce`` and ``nc``; an ``nc`` that is not 8 hex digits; a ``-sess``
                algorithm without ``cnonce``. The echo masks every value.

        >>> view = DigestCredentials.from_credentials(
        ...     'Digest username="Mufasa", realm="r", nonce="n", uri="/", response="0f"')
        >>> view.name, view.qop, view  # doctest: +ELLIPSIS
        ('Mufasa', None, DigestCredentials(realm='<redacted>', ...))
        """
        creds = read_credentials(value)
        check_scheme(creds, SCHEME)
        check_params_form(creds)
        params = creds.params
        plain, extended = params.get("username"), params.get("username*")
        if plain is not None and extended is not None:
            raise param_error(
                creds, "username*", "Expected username or username*, not both (RFC 7616 §3.4)"
            )
        if plain is None and extended is None:
            raise param_error(
                creds, "username", "Expected a 'username' or 'username*' parameter (RFC 7616 §3.4)"
            )
        userhash = _is_true(params.get("userhash"))
        username_ext = None
        if extended is not None:
            if userhash:
                raise param_error(
                    creds,
                    "username*",
                    "Expected username, not username*, with userhash=true (RFC 7616 §3.4)",
                )
            try:
                username_ext = decode_ext_value(extended)
            except ParseError as exc:
                # The value is a credential: the message may quote its charset, not show it.
                charset = extended.partition("'")[0]
                message = exc.message.replace(repr(charset), repr("*" * len(charset)), 1)
                raise param_error(creds, "username*", f"{message} in username*") from exc
        for required in ("realm", "nonce", "uri", "response"):
            if required not in params:
                raise param_error(
                    creds, required, f"Expected a {required!r} parameter (RFC 7616 §3.4)"
                )
        qop, cnonce, nc = params.get("qop"), params.get("cnonce"), params.get("nc")
        if qop is not None:
            # RFC 7616 §3.4: "this is a single token, not a quoted list of alternatives"
            if not is_token(qop):
                raise param_error(creds, "qop", "Expected a single qop token (RFC 7616 §3.4)")
            for required, present in (("cnonce", cnonce), ("nc", nc)):
                if present is None:
                    raise param_error(
                        creds,
                        required,
                        f"Expected a {required!r} parameter with qop (RFC 7616 §3.4)",
                    )
        if nc is not None and not _is_nc(nc):
            raise param_error(
                creds, "nc", "Expected nc of exactly 8 hexadecimal digits (RFC 7616 §3.4)"
            )
        algorithm = params.get("algorithm")
        if (
            algorithm is not None
            and ascii_lower(algorithm).endswith(_SESS_SUFFIX)
            and cnonce is None
        ):
            raise param_error(
                creds,
                "algorithm",
                "Expected a 'cnonce' parameter with a -sess algorithm (RFC 7616 §3.4.2)",
            )
        return cls(
            username=plain,
            username_ext=username_ext,
            realm=params["realm"],
            nonce=params["nonce"],
            uri=params["uri"],
            response=params["response"],
            algorithm=algorithm,
            cnonce=cnonce,
            nc=nc,
            qop=qop,
            opaque=params.get("opaque"),
            userhash=userhash,
            extensions=extensions(params, _CREDENTIAL_PARAMS),
        )

    def to_credentials(self) -> Credentials:
        """Build the generic credentials, parameters in the order of RFC 7616 §3.9.

        Raises:
            ValueError: neither or both of ``username`` and ``username_ext`` are set.
        """
        if (self.username is None) == (self.username_ext is None):
            raise ValueError("exactly one of username and username_ext must be set")
        items: list[tuple[str, str]] = []
        if self.username_ext is not None:
            items.append(("username*", self.username_ext.encode()))
        else:
            assert self.username is not None
            items.append(("username", self.username))
        items += [("realm", self.realm), ("uri", self.uri)]
        if self.algorithm is not None:
            items.append(("algorithm", self.algorithm))
        items.append(("nonce", self.nonce))
        for name, optional in (("nc", self.nc), ("cnonce", self.cnonce), ("qop", self.qop)):
            if optional is not None:
                items.append((name, optional))
        items.append(("response", self.response))
        if self.opaque is not None:
            items.append(("opaque", self.opaque))
        if self.userhash:
            items.append(("userhash", "true"))
        return Credentials(SCHEME, [*items, *self.extensions.items()])


# --------------------------------------------------------------------------- computation


def hash_username(username: str, realm: str, *, algorithm: str = "SHA-256") -> str:
    """The hashed username of RFC 7616 §3.4.4: ``H(unq(username) ":" unq(realm))``.

    Args:
        username: the plain user name (hashed as UTF-8).
        realm: the realm as received (its octets are hashed).
        algorithm: the challenge's algorithm (a ``-sess`` suffix is ignored).

    Returns:
        The lower-case hex hash a server can index its users by.

    Raises:
        ValueError: unsupported algorithm.

    >>> hash_username("Mufasa", "http-auth@example.org", algorithm="MD5")
    '4238f3a16167373febb9bc4d43db9cc4'
    """
    hash_function, _ = _require_algorithm(algorithm)
    return hash_function(_join(username.encode("utf-8"), _octets(realm)))


def compute_ha1(username: str, realm: str, password: str, *, algorithm: str = "SHA-256") -> str:
    """The H(A1) a server may store instead of the password (RFC 7616 §3.4.2, §5.2).

    ``H(unq(username) ":" unq(realm) ":" passwd)``; for a ``-sess`` algorithm this is
    the inner hash, which :func:`verify` combines with the nonces per request.

    Args:
        username: the plain user name (UTF-8).
        realm: the realm (its octets).
        password: the password (UTF-8).
        algorithm: the algorithm; a ``-sess`` suffix is ignored.

    Returns:
        Lower-case hex.

    Raises:
        ValueError: unsupported algorithm.

    >>> compute_ha1("Mufasa", "http-auth@example.org", "Circle of Life", algorithm="MD5")
    '3d78807defe7de2157e2b0b6573a855f'
    """
    hash_function, _ = _require_algorithm(algorithm)
    return hash_function(_join(username.encode("utf-8"), _octets(realm), password.encode("utf-8")))


def _keyed_digest(
    hash_function: _HexHash,
    sess: bool,
    ha1: str,
    *,
    nonce: str,
    cnonce: str | None,
    nc: str | None,
    qop: str | None,
    a2: bytes,
) -> str:
    """KD(H(A1), ...) of RFC 7616 §3.4.1, or the RFC 2069 form without qop."""
    if sess:
        # RFC 7616 §3.4.2: A1 = H( unq(username) ":" unq(realm) ":" passwd ) ":" unq(nonce-prime) ":" unq(cnonce-prime)
        assert cnonce is not None  # callers check: a -sess algorithm needs a cnonce
        ha1 = hash_function(_join(ha1.encode("ascii"), _octets(nonce), _octets(cnonce)))
    ha2 = hash_function(a2)
    if qop is None:
        # RFC 2069 §2.1.2: request-digest = KD(H(A1), unq(nonce-value) ":" H(A2))
        data = _join(_octets(nonce), ha2.encode("ascii"))
    else:
        # RFC 7616 §3.4.1: KD(H(A1), unq(nonce) ":" nc ":" unq(cnonce) ":" unq(qop) ":" H(A2))
        assert cnonce is not None and nc is not None
        data = _join(
            _octets(nonce), _octets(nc), _octets(cnonce), _octets(qop), ha2.encode("ascii")
        )
    # RFC 7616 §3.3: KD(secret, data) = H(concat(secret, ":", data))
    return hash_function(_join(ha1.encode("ascii"), data))


def _a2(hash_function: _HexHash, method: str, uri: str, qop: str | None, body: bytes) -> bytes:
    """A2 of RFC 7616 §3.4.3 (``method`` is empty for rspauth, §3.5)."""
    if qop is not None and ascii_lower(qop) == QOP_AUTH_INT:
        # RFC 7616 §3.4.3: A2 = Method ":" request-uri ":" H(entity-body)
        return _join(_octets(method), _octets(uri), hash_function(bytes(body)).encode("ascii"))
    # RFC 7616 §3.4.3: A2 = Method ":" request-uri
    return _join(_octets(method), _octets(uri))


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
    hash_function, sess = _require_algorithm(view.effective_algorithm)
    if view.charset is not None and ascii_lower(view.charset) != "utf-8":
        # RFC 7616 §4: "If the user agent does not support the encoding ... it can fail"
        raise ValueError(f"charset {view.charset!r} is not supported: only UTF-8 (RFC 7616 §4)")
    chosen = _choose_qop(view.qop, qop)
    if chosen is None and sess:
        raise ValueError(
            f"{view.effective_algorithm} needs a cnonce, which needs a qop (RFC 7616 §3.4.2)"
        )
    if not 1 <= nc <= 0xFFFFFFFF:
        raise ValueError(f"nc {nc} does not fit 8 hexadecimal digits (RFC 7616 §3.4)")
    if ":" in username:
        # RFC 7616 §4: usernames are UsernameCasePreserved "with the exception of the colon"
        raise ValueError("the username holds ':' (RFC 7616 §4)")
    if not is_token(method):
        raise ValueError(f"method {method!r} is not a token (RFC 9110 §9.1)")
    hashed = view.userhash if userhash is None else userhash
    if hashed and not view.userhash:
        raise ValueError("the challenge does not offer userhash (RFC 7616 §3.4.4)")
    uses_cnonce = chosen is not None
    client_nonce = (
        (cnonce if cnonce is not None else secrets.token_hex(16)) if uses_cnonce else None
    )
    nc_text = f"{nc:08x}" if uses_cnonce else None
    ha1 = hash_function(
        _join(username.encode("utf-8"), _octets(view.realm), password.encode("utf-8"))
    )
    response = _keyed_digest(
        hash_function,
        sess,
        ha1,
        nonce=view.nonce,
        cnonce=client_nonce,
        nc=nc_text,
        qop=chosen,
        a2=_a2(hash_function, method, uri, chosen, body),
    )
    items: list[tuple[str, str]] = []
    if hashed:
        # RFC 7616 §3.4.4: username = H( unq(username) ":" unq(realm) ), "after any other hash calculation"
        items.append(
            ("username", hash_function(_join(username.encode("utf-8"), _octets(view.realm))))
        )
    elif is_ext_value_safe(username):
        items.append(("username", username))
    else:
        # RFC 7616 §3.4: username* (RFC 8187) when the name is not plain ASCII
        items.append(("username*", encode_ext_value(username)))
    items += [("realm", view.realm), ("uri", uri)]
    if view.algorithm is not None:
        # RFC 7616 §3.4: algorithm "must be those supplied in the WWW-Authenticate"
        items.append(("algorithm", view.algorithm))
    items.append(("nonce", view.nonce))
    if chosen is not None:
        assert nc_text is not None and client_nonce is not None
        items += [("nc", nc_text), ("cnonce", client_nonce), ("qop", chosen)]
    items.append(("response", response))
    if view.opaque is not None:
        items.append(("opaque", view.opaque))
    if view.userhash:
        items.append(("userhash", "true" if hashed else "false"))
    return Credentials(SCHEME, items)


def _secret_ha1(
    view: DigestCredentials,
    hash_function: _HexHash,
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
    if view.userhash:
        if username is None:
            if password is not None:
                return None  # RFC 7616 §3.4.4: the header holds only H(username ":" realm)
        else:
            expected = hash_function(_join(username.encode("utf-8"), _octets(view.realm)))
            if not hmac.compare_digest(
                expected.encode("ascii"), ascii_lower(view.name).encode("latin-1")
            ):
                return None
        user = None if username is None else username.encode("utf-8")
    else:
        if username is not None and username != view.name:
            return None
        # A plain username is octets from the header; a username* was UTF-8 (RFC 7616 §4).
        user = view.name.encode("utf-8") if view.username_ext is not None else _octets(view.name)
    if ha1 is not None:
        # The client chose the algorithm: an H(A1) stored for another one cannot match.
        return ha1.lower() if len(ha1) == len(hash_function(b"")) else None
    assert user is not None and password is not None
    return hash_function(_join(user, _octets(view.realm), password.encode("utf-8")))


def _check_secret(password: str | None, ha1: str | None) -> None:
    """Raise ValueError for the caller's own mistakes, whatever the credentials hold."""
    if (password is None) == (ha1 is None):
        raise ValueError("give exactly one of password and ha1")
    if ha1 is not None and (
        len(ha1) not in _HEX_DIGEST_LENGTHS or any(char not in _HEX for char in ha1)
    ):
        raise ValueError("ha1 is not the hex digest of a supported algorithm (compute_ha1)")


def _equal_hex(expected: str, given: str) -> bool:
    # Constant time; compared as octets so that a non-ASCII "response" cannot raise.
    return hmac.compare_digest(expected.encode("ascii"), ascii_lower(given).encode("latin-1"))


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
    view = (
        credentials
        if isinstance(credentials, DigestCredentials)
        else DigestCredentials.from_credentials(credentials)
    )
    found = _algorithm(view.effective_algorithm)
    if found is None:
        return False
    hash_function, sess = found
    secret = _secret_ha1(view, hash_function, password=password, ha1=ha1, username=username)
    if secret is None:
        return False
    expected = _keyed_digest(
        hash_function,
        sess,
        secret,
        nonce=view.nonce,
        cnonce=view.cnonce,
        nc=view.nc,
        qop=view.qop,
        a2=_a2(hash_function, method, view.uri, view.qop, body),
    )
    return _equal_hex(expected, view.response)


# --------------------------------------------------------------------------- Authentication-Info


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestAuthenticationInfo:
    """The Digest parameters of Authentication-Info (RFC 7616 §3.5).

    Attributes:
        nextnonce: the nonce for the next request, or None.
        qop: the qop applied, or None.
        rspauth: the server's proof (mutual authentication), or None.
        cnonce, nc: echoed from the request, or None.
        extensions: every other parameter, in order.

    >>> info = DigestAuthenticationInfo.from_params('nextnonce="n2"')
    >>> info.nextnonce
    'n2'
    """

    nextnonce: str | None = None
    qop: str | None = None
    rspauth: str | None = None
    cnonce: str | None = None
    nc: str | None = None
    extensions: AuthParams = field(default_factory=AuthParams)

    def __post_init__(self) -> None:
        """Refuse what :meth:`from_params` would not read back (its rules, as ValueError).

        Raises:
            ValueError: an ``nc`` that is not 8 hex digits; ``qop`` without
                ``rspauth``, ``cnonce`` and ``nc`` (RFC 7616 §3.5); an extension named
                like a typed parameter; a value the model refuses.
        """
        if self.nc is not None and not _is_nc(self.nc):
            raise ValueError("nc must be exactly 8 hexadecimal digits (RFC 7616 §3.5)")
        if self.qop is not None and None in (self.rspauth, self.cnonce, self.nc):
            raise ValueError("qop needs rspauth, cnonce and nc (RFC 7616 §3.5)")
        check_extension_names(self, self.extensions, _AUTH_INFO_PARAMS)
        self.to_params()

    @classmethod
    def from_params(cls, value: Mapping[str, str] | str | bytes) -> DigestAuthenticationInfo:
        """Read an Authentication-Info value (or its parsed params).

        Raises:
            ParseError: the text is not Authentication-Info; ``nc`` is not 8 hex
                digits; with ``qop``, one of ``rspauth``, ``cnonce``, ``nc`` is missing
                (§3.5: they "MUST be present").
        """
        if isinstance(value, (str, bytes)):
            params = parse_authentication_info(value)
        else:
            params = value if isinstance(value, AuthParams) else AuthParams(value)
        nc = params.get("nc")
        if nc is not None and not _is_nc(nc):
            raise auth_info_error(
                params, "nc", "Expected nc of exactly 8 hexadecimal digits (RFC 7616 §3.5)"
            )
        if "qop" in params:
            for required in ("rspauth", "cnonce", "nc"):
                if required not in params:
                    raise auth_info_error(
                        params,
                        required,
                        f"Expected a {required!r} parameter with qop (RFC 7616 §3.5)",
                    )
        return cls(
            nextnonce=params.get("nextnonce"),
            qop=params.get("qop"),
            rspauth=params.get("rspauth"),
            cnonce=params.get("cnonce"),
            nc=nc,
            extensions=extensions(params, _AUTH_INFO_PARAMS),
        )

    def to_params(self) -> AuthParams:
        """The auth-params, for :func:`~wwwauth.format_authentication_info`."""
        items = [
            (name, value)
            for name, value in (
                ("nextnonce", self.nextnonce),
                ("qop", self.qop),
                ("rspauth", self.rspauth),
                ("cnonce", self.cnonce),
                ("nc", self.nc),
            )
            if value is not None
        ]
        return AuthParams([*items, *self.extensions.items()])


def _rspauth(
    view: DigestCredentials, hash_function: _HexHash, sess: bool, secret: str, body: bytes
) -> str:
    # RFC 7616 §3.5: rspauth as the response, but A2 = ":" request-uri [ ":" H(entity-body) ]
    return _keyed_digest(
        hash_function,
        sess,
        secret,
        nonce=view.nonce,
        cnonce=view.cnonce,
        nc=view.nc,
        qop=view.qop,
        a2=_a2(hash_function, "", view.uri, view.qop, body),
    )


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
    view = (
        credentials
        if isinstance(credentials, DigestCredentials)
        else DigestCredentials.from_credentials(credentials)
    )
    hash_function, sess = _require_algorithm(view.effective_algorithm)
    secret = _secret_ha1(view, hash_function, password=password, ha1=ha1, username=username)
    if secret is None:
        raise ValueError(
            "H(A1) cannot be computed for these credentials: username does not match, "
            "is missing with userhash=true, or ha1 is for another algorithm"
        )
    info = DigestAuthenticationInfo(
        nextnonce=nextnonce,
        qop=view.qop,
        rspauth=_rspauth(view, hash_function, sess, secret, body),
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
    view = (
        credentials
        if isinstance(credentials, DigestCredentials)
        else DigestCredentials.from_credentials(credentials)
    )
    found = _algorithm(view.effective_algorithm)
    if found is None or received.rspauth is None:
        return False
    hash_function, sess = found
    echoes = ((received.qop, view.qop), (received.cnonce, view.cnonce), (received.nc, view.nc))
    if any(got is not None and got != sent for got, sent in echoes) or (
        view.qop is not None and received.qop is None
    ):
        return False
    secret = _secret_ha1(view, hash_function, password=password, ha1=ha1, username=username)
    if secret is None:
        return False
    return _equal_hex(_rspauth(view, hash_function, sess, secret, body), received.rspauth)
