"""The typed views of Digest fields (RFC 7616): challenge, credentials, Authentication-Info.

Each view reads the generic value (``from_challenge``, ``from_credentials``,
``from_params``), types the parameters RFC 7616 gives a meaning, keeps every other one in
``extensions``, and builds the generic value back. Their constructors refuse what their
readers would not read back. Nothing here hashes: :mod:`._compute` does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from .._abnf import HEXDIG, NOT_VALUE_CHAR_RE, WHITESPACE, is_token
from .._scheme import (
    SchemeSpec,
    auth_info_error,
    check_extension_names,
    check_params_form,
    check_scheme,
    extensions,
    param_error,
    read_credentials,
    redacted_repr,
)
from ..errors import ParseError, SerializeError
from ..ext_value import ExtValue, decode_ext_value
from ..model import AuthParams, Challenge, Credentials, ascii_lower, params_without, unchecked
from ..parsing import parse_authentication_info
from ._compute import is_session_algorithm

SCHEME: Final = "Digest"
# RFC 7616 §3.3: domain is "a space-separated list of URIs"; SP and HTAB (RFC 9110 §5.6.3
# whitespace) separate, and nothing else does (str.split would also split at obs-text
# such as U+00A0 and U+0085).
_DOMAIN_SEPARATOR_RE: Final = re.compile("[ \t]+")

# The parameters each view types, in the order it writes them: RFC 7616 §3.3 (realm and
# nonce required), §3.4, §3.5. A view keeps every other one in ``extensions``.
_CHALLENGE: Final = SchemeSpec(
    SCHEME,
    ("realm", "domain", "qop", "algorithm", "nonce", "opaque", "stale", "charset", "userhash"),
    required=("realm", "nonce"),
    rfc="RFC 7616 §3.3",
)
_CREDENTIALS: Final = SchemeSpec(
    SCHEME,
    (
        "username", "username*", "realm", "uri", "algorithm", "nonce", "nc", "cnonce", "qop",
        "response", "opaque", "userhash",
    ),
    rfc="RFC 7616 §3.4",
)  # fmt: skip
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


def _is_true(value: str | None) -> bool:
    # RFC 7616 §3.3: stale is "a case-insensitive flag"; userhash is "true" or "false".
    return value is not None and ascii_lower(value) == "true"


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
    return len(value) == 8 and HEXDIG.issuperset(value)


# --------------------------------------------------------------------------- challenge


def check_domain(domain: Sequence[str]) -> None:
    """Raise ValueError for a domain URI that is empty or holds SP or HTAB."""
    for uri in domain:
        # RFC 7616 §3.3: domain is "a quoted, space-separated list of URIs"
        if not uri or any(char in WHITESPACE for char in uri):
            raise ValueError(f"domain URI {uri!r} is empty or holds whitespace (RFC 7616 §3.3)")


def challenge_items(
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
        check_domain(self.domain)
        _CHALLENGE.check(self)
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
        params = _CHALLENGE.challenge(value).value.params
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
            extensions=params_without(params, _CHALLENGE.known),
        )

    def to_challenge(self) -> Challenge:
        """Build the generic challenge (extensions last, in order).

        >>> view = DigestChallenge(realm="r", nonce="n", qop=("auth",))
        >>> DigestChallenge.from_challenge(view.to_challenge()) == view
        True
        """
        items = challenge_items(
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
            and is_session_algorithm(self.algorithm)
            and self.cnonce is None
        ):
            raise ValueError("a -sess algorithm needs a cnonce (RFC 7616 §3.4.2)")
        if (self.username is None) == (self.username_ext is None):
            raise ValueError("exactly one of username and username_ext must be set")
        if self.username_ext is not None:
            self.username_ext.encode()  # refuses a charset or language it cannot write
        _CREDENTIALS.check(self)
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
        read = (index := params._by_name()).get  # names below are lower-case: the index
        userhash = _is_true(read("userhash"))
        plain, username_ext = _read_username(creds, userhash=userhash)
        # RFC 7616 §3.4: required; checked after the username, whose errors come first.
        for name in ("realm", "nonce", "uri", "response"):
            if name not in index:
                raise param_error(creds, name, f"Expected a {name!r} parameter (RFC 7616 §3.4)")
        qop, cnonce, nc, algorithm = read("qop"), read("cnonce"), read("nc"), read("algorithm")
        _check_qop_params(creds, qop=qop, cnonce=cnonce, nc=nc, algorithm=algorithm)
        # __post_init__'s checks are made above, values from a Credentials are carried:
        view = (unchecked(cls) if cls is DigestCredentials else cls)(
            username=plain,
            username_ext=username_ext,
            realm=index["realm"],
            nonce=index["nonce"],
            uri=index["uri"],
            response=index["response"],
            algorithm=algorithm,
            cnonce=cnonce,
            nc=nc,
            qop=qop,
            opaque=read("opaque"),
            userhash=userhash,
            extensions=params_without(params, _CREDENTIALS.known),
        )
        if view.username_ext is not None:
            view.username_ext.encode()  # refuses a charset or language it cannot write
        return view

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


def _read_username(creds: Credentials, *, userhash: bool) -> tuple[str | None, ExtValue | None]:
    """``username`` or the decoded ``username*`` of ``creds``: exactly one is not None.

    Raises:
        ParseError: both or neither (RFC 7616 §3.4: both "MUST be treated as an error"),
            or a ``username*`` that is not an ext-value or comes with ``userhash``.
    """
    plain, extended = creds.params.get("username"), creds.params.get("username*")
    if plain is not None and extended is not None:
        raise param_error(
            creds, "username*", "Expected username or username*, not both (RFC 7616 §3.4)"
        )
    if extended is None:
        if plain is None:
            raise param_error(
                creds, "username", "Expected a 'username' or 'username*' parameter (RFC 7616 §3.4)"
            )
        return plain, None
    if userhash:
        raise param_error(
            creds,
            "username*",
            "Expected username, not username*, with userhash=true (RFC 7616 §3.4)",
        )
    try:
        return None, decode_ext_value(extended)
    except ParseError as exc:
        # The value is a credential: the message may quote its charset, not show it.
        charset = extended.partition("'")[0]
        message = exc.message.replace(repr(charset), repr("*" * len(charset)), 1)
        raise param_error(creds, "username*", f"{message} in username*") from exc


def _check_qop_params(
    creds: Credentials,
    *,
    qop: str | None,
    cnonce: str | None,
    nc: str | None,
    algorithm: str | None,
) -> None:
    """Raise ParseError unless ``qop``, ``cnonce``, ``nc`` and a ``-sess`` algorithm agree.

    RFC 7616 §3.4: ``qop`` is one token and brings ``cnonce`` and ``nc``; ``nc`` is 8
    hex digits; §3.4.2: a ``-sess`` algorithm needs a ``cnonce``.
    """
    if qop is not None:
        # RFC 7616 §3.4: "this is a single token, not a quoted list of alternatives"
        if not is_token(qop):
            raise param_error(creds, "qop", "Expected a single qop token (RFC 7616 §3.4)")
        for required, present in (("cnonce", cnonce), ("nc", nc)):
            if present is None:
                raise param_error(
                    creds, required, f"Expected a {required!r} parameter with qop (RFC 7616 §3.4)"
                )
    if nc is not None and not _is_nc(nc):
        raise param_error(
            creds, "nc", "Expected nc of exactly 8 hexadecimal digits (RFC 7616 §3.4)"
        )
    if algorithm is not None and is_session_algorithm(algorithm) and cnonce is None:
        raise param_error(
            creds,
            "algorithm",
            "Expected a 'cnonce' parameter with a -sess algorithm (RFC 7616 §3.4.2)",
        )


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
