"""What the CLI shows of credentials: the common rule of ``wwwauth._redact``, except that
the Digest parameters which are no secret are shown, so a Digest mismatch can be debugged.

Digest credentials (RFC 7616 §3.4) carry one secret-derived value, ``response`` (a hash of
the password that an attacker who also knows ``cnonce`` can attack offline), and
``cnonce``; both stay masked. Shown: ``realm``, ``uri``, ``qop``, ``algorithm``, ``nc``,
``nonce``, ``opaque``, ``userhash``, and ``username`` / ``username*`` (a user name is
personal data but no secret, and a wrong one is a common cause of a mismatch) — unless
``userhash=true``: then the client chose to hide the user name (RFC 7616 §3.4.4), and
the hash in ``username`` stays masked. Any other parameter, a token68, or a value that
reads as no Digest credentials is masked as everywhere else (fail closed).
"""

from __future__ import annotations

import re
from typing import Final

from .._redact import redact_credentials
from ..model import Credentials, ascii_lower

__all__ = ["DIGEST_SHOWN_PARAMS", "redact_for_display", "shown_params"]

# RFC 7616 §3.4: the parameters of Digest credentials that hold no secret.
DIGEST_SHOWN_PARAMS: Final = frozenset(
    {"realm", "uri", "qop", "algorithm", "nc", "nonce", "opaque", "userhash"}
)
# Shown unless userhash=true (RFC 7616 §3.4.4).
_USER_NAME_PARAMS: Final = frozenset({"username", "username*"})

# A word followed by "=" in a redacted value, at a word start: the redactor shows a
# name only where it stands at an element start in the tight form name=value (see
# wwwauth._redact), so a shown name found here is one. The lookbehind anchors each
# match at a word start, so every character is read a bounded number of times.
_NAME_RE: Final = re.compile(r'(?<![^ \t,="])([^ \t,="]+)=')
_TOKEN_VALUE_RE: Final = re.compile(r'[^ \t,"]*')


def shown_params(credentials: Credentials | None) -> frozenset[str]:
    """The lower-cased names of the parameters of ``credentials`` shown in the clear."""
    if credentials is None or credentials.token68 is not None:
        return frozenset()
    if ascii_lower(credentials.scheme) != "digest":
        return frozenset()
    userhash = credentials.params.get("userhash")
    if userhash is not None and ascii_lower(userhash) == "true":
        return DIGEST_SHOWN_PARAMS
    return DIGEST_SHOWN_PARAMS | _USER_NAME_PARAMS


def redact_for_display(value: str, shown: frozenset[str]) -> str:
    """``value`` masked by :func:`wwwauth._redact.redact_credentials`, with the values
    of the parameters named in ``shown`` put back (the columns are kept).

    >>> redact_for_display('Digest username="Mufasa", response="6629fa"', frozenset({"username"}))
    'Digest username="Mufasa", response="******"'
    """
    redacted = redact_credentials(value)
    if not shown:
        return redacted
    out: list[str] = []
    copied = 0
    for match in _NAME_RE.finditer(redacted):
        start = match.end()
        if ascii_lower(match.group(1)) not in shown or start < copied:
            continue
        if redacted.startswith('"', start):
            # The redactor masks all of a quoted string but its quotes: the next '"'
            # closes it (or it runs to the end).
            close = redacted.find('"', start + 1)
            end = len(redacted) if close < 0 else close + 1
        else:
            token = _TOKEN_VALUE_RE.match(redacted, start)
            assert token is not None  # the pattern matches the empty string
            end = token.end()
        out.append(redacted[copied:start])
        out.append(value[start:end])
        copied = end
    out.append(redacted[copied:])
    return "".join(out)
