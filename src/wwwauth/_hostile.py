"""Invalid and adversarial field values, labelled, for fuzzing a server's auth handling.

Part of :mod:`wwwauth.strategies` (needs hypothesis). Each kind of value is a *label*:
what makes it hostile, whether the strict parser of the field accepts it (``valid``),
and how it is built for each of the three shapes of authentication field: a challenge
list (WWW-Authenticate, Proxy-Authenticate, RFC 9110 §11.6.1), one credentials
(Authorization, Proxy-Authorization, §11.6.2), an auth-param list (Authentication-Info,
Proxy-Authentication-Info, §11.6.3).

Every value can be sent as a header field by requests, httpx and the framework test
clients: ISO-8859-1 characters only (RFC 9110 §5.5), never CR, LF or NUL (no HTTP/1.1
message can carry them in a field value), no leading or trailing whitespace (which
recipients strip, RFC 9110 §5.5, and requests refuses).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from hypothesis import strategies as st

from ._abnf import CTL, HTAB, OBS_TEXT

__all__ = ["LABELS", "HostileValue", "Shape", "hostile_cases"]

Shape = Literal["challenge", "credentials", "info"]


@dataclass(frozen=True, slots=True, kw_only=True)
class HostileValue:
    """A field value a server must survive, and what makes it hostile.

    Attributes:
        label: the kind of value, e.g. ``"unbalanced-quote"`` or ``"overlong-token68"``.
        value: the field value.
        valid: whether the field's grammar (RFC 9110 §11) allows it, i.e. the strict
            parser accepts it; a valid value is hostile by its size or content
            (tens of thousands of characters or commas, obs-text, a token68 that reads
            as an auth-param).
    """

    label: str
    value: str
    valid: bool


# Every CTL a field line can carry on the wire: not HTAB (allowed, RFC 9110 §5.5), not CR,
# LF or NUL (they end or break the message, §5.5).
_SENDABLE_CTLS: Final = "".join(sorted(CTL - frozenset(HTAB + "\r\n\x00")))
_OBS_TEXT: Final = "".join(sorted(OBS_TEXT))
_WORD: Final = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
# Past the 8 KiB most servers allow for a field line, up to the 64 KiB some allow.
_OVERLONG: Final = st.integers(min_value=8193, max_value=65536)
_MANY: Final = st.integers(min_value=1000, max_value=20000)
_MANY_PARAMS: Final = st.integers(min_value=1000, max_value=4000)

_Build = Callable[[Shape], st.SearchStrategy[str]]


def _with_params(shape: Shape, params: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``params`` (an auth-param list) as a whole field value of ``shape``."""
    if shape == "info":
        return params
    scheme = st.sampled_from(
        ["Digest", "Newauth"] if shape == "credentials" else ["Basic", "Digest", "Newauth"]
    )
    return st.builds(lambda s, p: f"{s} {p}", scheme, params)


def _params(build: Callable[..., str], *parts: st.SearchStrategy[object]) -> _Build:
    return lambda shape: _with_params(shape, st.builds(build, *parts))


def _token68_value(build: Callable[..., str], *parts: st.SearchStrategy[object]) -> _Build:
    """A value whose scheme is followed by ``build(*parts)`` (a would-be token68)."""
    scheme = st.sampled_from(["Bearer", "Basic", "Newauth"])
    return lambda shape: st.builds(lambda s, rest: f"{s} {rest}", scheme, st.builds(build, *parts))


def _fixed(*values: str) -> _Build:
    return lambda shape: st.sampled_from(values)


# label -> (shape -> valid, builder); a shape missing from the first mapping gets no value.
_TABLE: Final[Mapping[str, tuple[Mapping[Shape, bool], _Build]]] = {
    # RFC 9110 §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
    "unbalanced-quote": (
        {"challenge": False, "credentials": False, "info": False},
        _params(lambda w: f'realm="{w}, qop=auth', _WORD),
    ),
    "trailing-backslash": (
        {"challenge": False, "credentials": False, "info": False},
        _params(lambda w: f'realm="{w}\\', _WORD),
    ),
    "unescaped-quote": (
        {"challenge": False, "credentials": False, "info": False},
        _params(lambda a, b: f'realm="{a}"{b}"', _WORD, _WORD),
    ),
    # RFC 9110 §5.5: no CTL but HTAB in a field value
    "control-character": (
        {"challenge": False, "credentials": False, "info": False},
        _params(
            lambda a, c, b: f'realm="{a}{c}{b}"', _WORD, st.sampled_from(_SENDABLE_CTLS), _WORD
        ),
    ),
    # RFC 9110 §5.6.2: obs-text is no tchar; §5.6.4: qdtext allows it (a server decoding
    # UTF-8 must cope with any octet)
    "obs-text-in-token": (
        {"challenge": False, "credentials": False, "info": False},
        _params(lambda a, o: f'{a}{o}="x"', _WORD, st.sampled_from(_OBS_TEXT)),
    ),
    "obs-text-in-quoted-string": (
        {"challenge": True, "credentials": True, "info": True},
        _params(
            lambda a, o: f'realm="{a}{o}"',
            _WORD,
            st.text(alphabet=_OBS_TEXT, min_size=1, max_size=8),
        ),
    ),
    "obs-text-in-token68": (
        {"challenge": False, "credentials": False},
        _token68_value(lambda a, o: a + o, _WORD, st.sampled_from(_OBS_TEXT)),
    ),
    # RFC 9110 §11.2: each parameter name MUST only occur once per challenge
    "duplicated-param": (
        {"challenge": False, "credentials": False, "info": False},
        _params(
            lambda name, a, b: f'{name}="{a}", {name.upper()}="{b}"',
            st.sampled_from(["realm", "nonce", "qop", "username", "error"]),
            _WORD,
            _WORD,
        ),
    ),
    # RFC 9110 §11.1: auth-scheme [ 1*SP ( token68 / #auth-param ) ], not both
    "token68-then-param": (
        {"challenge": False, "credentials": False, "info": False},
        lambda shape: (
            st.builds(lambda w: f'{w}==, realm="x"', _WORD)
            if shape == "info"
            else _token68_value(lambda w: f'{w}=, realm="x"', _WORD)(shape)
        ),
    ),
    "token68-bad-padding": (
        {"challenge": False, "credentials": False},
        _token68_value(lambda a, b: f"{a}=={b}", _WORD, _WORD),
    ),
    # A token68 holding "=" before its end reads as an auth-param (RFC 9110 §11.2)
    "token68-read-as-auth-param": (
        {"challenge": True, "credentials": True},
        _token68_value(lambda a, b: f"{a}={b}", _WORD, _WORD),
    ),
    "semicolon-separator": (
        {"challenge": False, "credentials": False, "info": False},
        _params(lambda w: f'realm="{w}"; charset=UTF-8', _WORD),
    ),
    "tab-after-scheme": (
        {"challenge": False, "credentials": False},
        _fixed('Basic\trealm="x"', "Bearer\tabc", 'Digest\tusername="u"'),
    ),
    "no-scheme": (
        {"challenge": False, "credentials": False},
        _fixed('="x"', '"Basic"', "=abc", ", =x"),
    ),
    # RFC 9110 §11.6.2: Authorization holds one credentials, not a list
    "two-credentials": (
        {"credentials": False},
        _fixed("Basic dXNlcjpwYXNz, Bearer abc", 'Bearer abc, Digest username="u"'),
    ),
    # RFC 9110 §5.6.1.2: empty list elements are valid; an empty value is valid for lists
    "empty": ({"challenge": True, "credentials": False, "info": True}, _fixed("")),
    "only-commas": (
        {"challenge": True, "credentials": False, "info": True},
        lambda shape: st.builds(lambda n: ", " * n + ",", _MANY),
    ),
    "many-empty-list-elements": (
        {"challenge": True, "credentials": True, "info": True},
        _params(lambda n: 'realm="x"' + "," * n + " qop=auth", _MANY),
    ),
    "many-params": (
        {"challenge": True, "credentials": True, "info": True},
        _params(lambda n: ", ".join(f"p{i}={i}" for i in range(n)), _MANY_PARAMS),
    ),
    "many-challenges": (
        {"challenge": True},
        lambda shape: st.builds(lambda n: ", ".join(['Basic realm="x"'] * n), _MANY_PARAMS),
    ),
    "overlong-quoted-string": (
        {"challenge": True, "credentials": True, "info": True},
        _params(lambda n: 'realm="' + "a" * n + '"', _OVERLONG),
    ),
    "overlong-token68": (
        {"challenge": True, "credentials": True},
        _token68_value(lambda n: "A" * n, _OVERLONG),
    ),
    "overlong-scheme": (
        {"challenge": True, "credentials": True},
        lambda shape: st.builds(lambda n: "S" * n, _OVERLONG),
    ),
}

LABELS: Final = tuple(_TABLE)


def _labelled(
    label: str, valid: bool, values: st.SearchStrategy[str]
) -> st.SearchStrategy[HostileValue]:
    return values.map(lambda value: HostileValue(label=label, value=value, valid=valid))


def hostile_cases(shape: Shape) -> st.SearchStrategy[HostileValue]:
    """Labelled hostile values of a field of ``shape``."""
    return st.one_of(
        [
            _labelled(label, valid_by_shape[shape], build(shape))
            for label, (valid_by_shape, build) in _TABLE.items()
            if shape in valid_by_shape
        ]
    )
