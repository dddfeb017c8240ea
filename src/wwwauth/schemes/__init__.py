"""Typed views of the other registered schemes: HOBA, Mutual, SCRAM, vapid, PrivateToken, Concealed.

Each view reads a generic :class:`~wwwauth.Challenge` or :class:`~wwwauth.Credentials`
(``from_challenge`` / ``from_credentials``), types the parameters that have a meaning,
keeps every other parameter in ``extensions``, and builds the generic value back
(``to_challenge`` / ``to_credentials``). Views of credentials never show a value in
their ``repr``. Decoding what a parameter carries (a base64url byte string, a JWT's
claims, a TokenChallenge struct) is a separate method, so a view of a header with a
placeholder value (as in the RFCs' examples) still reads.

* HOBA, RFC 7486 §2-§3: :class:`HobaChallenge`, :class:`HobaResult`, :func:`hoba_tbs`.
* Mutual, RFC 8120 §4: :class:`MutualChallenge`, :class:`MutualCredentials`.
* SCRAM-SHA-256 and SCRAM-SHA-1, RFC 7804 §5: :class:`ScramChallenge`,
  :class:`ScramCredentials`, :func:`scram_data`.
* vapid, RFC 8292 §3: :class:`VapidCredentials`.
* PrivateToken, RFC 9577 §2: :class:`PrivateTokenChallenge`, :class:`TokenChallenge`,
  :class:`PrivateTokenCredentials`.
* Concealed, RFC 9729 §4: :class:`ConcealedCredentials`.

>>> from wwwauth.schemes import VapidCredentials
>>> view = VapidCredentials.from_credentials("vapid t=a.b.c, k=BA")
>>> view
VapidCredentials(t='<redacted>', k='<redacted>', extensions=AuthParams([]))
"""

from __future__ import annotations

from ._shared import MAX_INTEGER
from .concealed import CONCEALED, ConcealedCredentials
from .hoba import HOBA, HobaChallenge, HobaResult, hoba_tbs
from .mutual import MUTUAL, MutualChallenge, MutualCredentials
from .privatetoken import (
    PRIVATE_TOKEN,
    PrivateTokenChallenge,
    PrivateTokenCredentials,
    TokenChallenge,
)
from .scram import ScramChallenge, ScramCredentials, scram_data
from .vapid import VAPID, VapidCredentials

__all__ = [
    "CONCEALED",
    "HOBA",
    "MAX_INTEGER",
    "MUTUAL",
    "PRIVATE_TOKEN",
    "VAPID",
    "ConcealedCredentials",
    "HobaChallenge",
    "HobaResult",
    "MutualChallenge",
    "MutualCredentials",
    "PrivateTokenChallenge",
    "PrivateTokenCredentials",
    "ScramChallenge",
    "ScramCredentials",
    "TokenChallenge",
    "VapidCredentials",
    "hoba_tbs",
    "scram_data",
]
