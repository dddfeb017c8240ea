"""What the generic layers know about particular schemes and fields: each fact once.

The parser, serializer, redactor, testing kit, CLI and ``decide`` import these tables
instead of spelling them out; scheme modules (bearer, digest, ...) may re-export them.
"""

from __future__ import annotations

from collections.abc import Mapping

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: `import wwwauth` does not load typing
if TYPE_CHECKING:
    from typing import Final, Literal

__all__ = [
    "AUTHENTICATION_INFO",
    "AUTHORIZATION",
    "BEARER_ERROR_STATUS",
    "BEARER_INSUFFICIENT_SCOPE",
    "BEARER_INVALID_REQUEST",
    "BEARER_INVALID_TOKEN",
    "FIELD_NAMES",
    "PROXY_AUTHENTICATE",
    "PROXY_AUTHENTICATION_INFO",
    "PROXY_AUTHORIZATION",
    "QUOTED_IN_AUTH_INFO",
    "QUOTED_IN_CHALLENGE",
    "QUOTED_IN_CREDENTIALS",
    "QUOTED_IN_EVERY_SCHEME",
    "REGISTERED_SCHEMES",
    "REQUIRED_CHALLENGE_PARAMS",
]

# The six fields of RFC 9110 §11.6 and §11.7 (and RFC 7615 for the two -Info ones).
WWW_AUTHENTICATE: Final = "WWW-Authenticate"
PROXY_AUTHENTICATE: Final = "Proxy-Authenticate"
AUTHORIZATION: Final = "Authorization"
PROXY_AUTHORIZATION: Final = "Proxy-Authorization"
AUTHENTICATION_INFO: Final = "Authentication-Info"
PROXY_AUTHENTICATION_INFO: Final = "Proxy-Authentication-Info"
if TYPE_CHECKING:
    FieldName = Literal[
        "WWW-Authenticate",
        "Proxy-Authenticate",
        "Authorization",
        "Proxy-Authorization",
        "Authentication-Info",
        "Proxy-Authentication-Info",
    ]
# In this order: WWW_AUTHENTICATE, PROXY_AUTHENTICATE, AUTHORIZATION, PROXY_AUTHORIZATION,
# AUTHENTICATION_INFO, PROXY_AUTHENTICATION_INFO (the names above; a test checks they agree,
# and that FieldName lists exactly these).
FIELD_NAMES: Final[tuple[FieldName, ...]] = (
    WWW_AUTHENTICATE,
    PROXY_AUTHENTICATE,
    AUTHORIZATION,
    PROXY_AUTHORIZATION,
    AUTHENTICATION_INFO,
    PROXY_AUTHENTICATION_INFO,
)

# The IANA HTTP Authentication Scheme Registry (RFC 9110 §16.4), and NTLM, lower-cased.
# Every place that decides whether a scheme may be shown in the clear asks
# _redact.is_shown_scheme, which reads this.
REGISTERED_SCHEMES: Final = frozenset(
    {
        "basic", "bearer", "concealed", "digest", "dpop", "gnap", "hoba", "mutual",
        "negotiate", "ntlm", "oauth", "privatetoken", "scram-sha-1", "scram-sha-256", "vapid",
    }
)  # fmt: skip

# RFC 9110 §11.5: realm's value "MUST only" be generated as a quoted-string, in any scheme.
QUOTED_IN_EVERY_SCHEME: Final = frozenset({"realm"})

# Parameters whose value the scheme's RFC writes as quoted-string only, by scheme.
QUOTED_IN_CHALLENGE: Final[Mapping[str, frozenset[str]]] = {
    # RFC 7616 §3.3: domain, nonce, opaque and qop-options are quoted-strings.
    "digest": frozenset({"domain", "nonce", "opaque", "qop"}),
    # RFC 6750 §3 (its ABNF for scope, error, error_description, error_uri: quoted).
    "bearer": frozenset({"scope", "error", "error_description", "error_uri"}),
    # RFC 9449 §7.1: DPoP reuses RFC 6750's attributes and adds algs, a quoted list.
    "dpop": frozenset({"scope", "error", "error_description", "error_uri", "algs"}),
}
QUOTED_IN_CREDENTIALS: Final[Mapping[str, frozenset[str]]] = {
    # RFC 7616 §3.4: username, nonce, uri, response, cnonce and opaque are quoted.
    "digest": frozenset({"username", "nonce", "uri", "response", "cnonce", "opaque"}),
}
# RFC 7616 §3.5: nextnonce, rspauth and cnonce of Authentication-Info are quoted.
QUOTED_IN_AUTH_INFO: Final = frozenset({"nextnonce", "rspauth", "cnonce"})

# Parameters a scheme's challenge MUST carry: RFC 7617 §2 (Basic: realm is REQUIRED),
# RFC 7616 §3.3 (Digest: realm and nonce).
REQUIRED_CHALLENGE_PARAMS: Final[Mapping[str, tuple[str, ...]]] = {
    "basic": ("realm",),
    "digest": ("realm", "nonce"),
}

# RFC 6750 §3.1: the Bearer error codes, and the status code each is sent with.
BEARER_INVALID_REQUEST: Final = "invalid_request"
BEARER_INVALID_TOKEN: Final = "invalid_token"
BEARER_INSUFFICIENT_SCOPE: Final = "insufficient_scope"
BEARER_ERROR_STATUS: Final[Mapping[str, int]] = {
    BEARER_INVALID_REQUEST: 400,
    BEARER_INVALID_TOKEN: 401,
    BEARER_INSUFFICIENT_SCOPE: 403,
}


if not TYPE_CHECKING:  # hidden from type checkers, which would read every name through it

    def __getattr__(name: str) -> object:
        """``FieldName`` at run time, for code that reads it there (built on first use)."""
        if name == "FieldName":
            from typing import Literal

            return Literal[FIELD_NAMES]
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
