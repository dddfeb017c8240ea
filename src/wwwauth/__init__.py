"""Parse, validate and serialize the HTTP authentication fields of RFC 9110 §11."""

from __future__ import annotations

from ._serialize import format_authentication_info, format_challenges, format_credentials
from .decide import Decision, decide
from .errors import ParseError, SerializeError
from .model import AuthParams, Challenge, Credentials
from .parsing import (
    parse_authentication_info,
    parse_authorization,
    parse_proxy_authenticate,
    parse_proxy_authentication_info,
    parse_proxy_authorization,
    parse_www_authenticate,
)

__all__ = [
    "AuthParams",
    "Challenge",
    "Credentials",
    "Decision",
    "ParseError",
    "SerializeError",
    "decide",
    "format_authentication_info",
    "format_challenges",
    "format_credentials",
    "parse_authentication_info",
    "parse_authorization",
    "parse_proxy_authenticate",
    "parse_proxy_authentication_info",
    "parse_proxy_authorization",
    "parse_www_authenticate",
]
