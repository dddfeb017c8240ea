#!/usr/bin/env python3
"""Benchmark wwwauth against peer parsers and a regular-expression floor.

Run from the repository root:

    python benchmarks/bench.py            # full run (a few minutes)
    python benchmarks/bench.py --quick    # fewer repeats, smaller scaling inputs
    python benchmarks/bench.py --json results.json

Everything runs in one process. For every (workload, library) pair the script first
parses the value once and compares the result, normalised to
``[(scheme, {param: value}, token68), ...]``, with the expected value written out by
hand below; only then is the call timed (best of several `timeit` runs, ns per header).
A library that raises, returns a wrong value, or has no parser for the field is shown
as "error", "wrong" or "n/a" and never counts as the fastest correct peer.

The floor is one precompiled regular expression per field shape that validates the
whole value against the RFC 9110 ABNF (`fullmatch`) and builds nothing. No parser that
returns values can beat it by much; it shows how much of our time is construction.

See benchmarks/README.md for what each column means.
"""

from __future__ import annotations

import argparse
import base64
import inspect
import json
import math
import platform
import re
import sys
import timeit
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

Kind = Literal["challenges", "credentials", "info"]
Params = dict[str, "str | None"]  # names lower-cased; None for a name without a value
Item = tuple["str | None", Params, "str | None"]  # (scheme lower-cased, params, token68)
Norm = list[Item]

OK, PARTIAL, WRONG, ERROR, NA = "ok", "partial", "wrong", "error", "n/a"


# --------------------------------------------------------------------------------------
# Workloads, with the expected values written by hand
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Workload:
    key: str
    title: str
    kind: Kind
    value: str
    expected: Norm


_NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
_OPAQUE = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
_CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
# RFC 7616 section 3.9.1, SHA-256 (password "Circle of Life", GET /dir/index.html).
_RESPONSE = "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
_RSPAUTH = "6629fae49393a05397450978507c4ef1ae3c4d3fe0d0a9cd5fe09e7d9a8e7a0c"
_NEXTNONCE = "Hx8gZ5eR1y0uUlGm3ZgtJvq9W2kD0pPnS7c4mAaFt1bE"

WORKLOADS: tuple[Workload, ...] = (
    Workload(
        "basic-challenge",
        "simple Basic challenge (WWW-Authenticate)",
        "challenges",
        'Basic realm="simple"',
        [("basic", {"realm": "simple"}, None)],
    ),
    Workload(
        "digest-challenge",
        "Digest challenge, 6 params (RFC 7616 3.9.1 + charset)",
        "challenges",
        'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, '
        f'nonce="{_NONCE}", opaque="{_OPAQUE}", charset=UTF-8',
        [
            (
                "digest",
                {
                    "realm": "http-auth@example.org",
                    "qop": "auth, auth-int",
                    "algorithm": "SHA-256",
                    "nonce": _NONCE,
                    "opaque": _OPAQUE,
                    "charset": "UTF-8",
                },
                None,
            )
        ],
    ),
    Workload(
        "three-challenges",
        "three challenges in one field (RFC 9110 11.6.1 + Bearer)",
        "challenges",
        'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple", '
        'Bearer realm="example"',
        [
            ("newauth", {"realm": "apps", "type": "1", "title": 'Login to "apps"'}, None),
            ("basic", {"realm": "simple"}, None),
            ("bearer", {"realm": "example"}, None),
        ],
    ),
    Workload(
        "bearer-error",
        "Bearer error challenge (RFC 6750 3)",
        "challenges",
        'Bearer realm="example", error="invalid_token", '
        'error_description="The access token expired"',
        [
            (
                "bearer",
                {
                    "realm": "example",
                    "error": "invalid_token",
                    "error_description": "The access token expired",
                },
                None,
            )
        ],
    ),
    Workload(
        "digest-credentials",
        "Digest credentials (Authorization, RFC 7616 3.9.1 SHA-256)",
        "credentials",
        'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", '
        f'algorithm=SHA-256, nonce="{_NONCE}", nc=00000001, cnonce="{_CNONCE}", qop=auth, '
        f'response="{_RESPONSE}", opaque="{_OPAQUE}"',
        [
            (
                "digest",
                {
                    "username": "Mufasa",
                    "realm": "http-auth@example.org",
                    "uri": "/dir/index.html",
                    "algorithm": "SHA-256",
                    "nonce": _NONCE,
                    "nc": "00000001",
                    "cnonce": _CNONCE,
                    "qop": "auth",
                    "response": _RESPONSE,
                    "opaque": _OPAQUE,
                },
                None,
            )
        ],
    ),
    Workload(
        "basic-credentials",
        "Basic credentials (Authorization, RFC 7617)",
        "credentials",
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        [("basic", {}, "QWxhZGRpbjpvcGVuIHNlc2FtZQ==")],
    ),
    Workload(
        "authentication-info",
        "Authentication-Info (RFC 7616 3.5)",
        "info",
        f'rspauth="{_RSPAUTH}", cnonce="{_CNONCE}", nc=00000001, qop=auth, '
        f'nextnonce="{_NEXTNONCE}"',
        [
            (
                None,
                {
                    "rspauth": _RSPAUTH,
                    "cnonce": _CNONCE,
                    "nc": "00000001",
                    "qop": "auth",
                    "nextnonce": _NEXTNONCE,
                },
                None,
            )
        ],
    ),
)


def many_challenges(count: int) -> Workload:
    """`count` Digest-like challenges with distinct scheme names in one field."""
    parts: list[str] = []
    expected: Norm = []
    for i in range(count):
        parts.append(f'Scheme{i} realm="realm {i}", qop="auth, auth-int", nonce="n{i:08x}"')
        expected.append(
            (
                f"scheme{i}",
                {"realm": f"realm {i}", "qop": "auth, auth-int", "nonce": f"n{i:08x}"},
                None,
            )
        )
    return Workload(
        f"challenges-{count}", f"{count} challenges", "challenges", ", ".join(parts), expected
    )


# 64 characters as written: a comma (list separator outside quotes) and two quoted-pairs.
_CHUNK = 'Lorem ipsum dolor sit amet, consectetur \\"adipiscing\\" elit, se.'
assert len(_CHUNK) == 64


def long_quoted_string(size: int) -> Workload:
    """A Basic challenge whose realm is a quoted-string of `size` characters as written
    (quotes included): mostly text, with a comma and two quoted-pairs every 64 bytes."""
    body = _CHUNK * ((size - 2) // len(_CHUNK)) + "x" * ((size - 2) % len(_CHUNK))
    unescaped = body.replace('\\"', '"')
    return Workload(
        f"quoted-{size}",
        f"quoted-string of {size} bytes",
        "challenges",
        f'Basic realm="{body}"',
        [("basic", {"realm": unescaped}, None)],
    )


# --------------------------------------------------------------------------------------
# The floor: one validating regular expression per field shape (RFC 9110 ABNF)
# --------------------------------------------------------------------------------------

TCHAR = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]"
TOKEN = TCHAR + "+"  # RFC 9110 5.6.2
TOKEN68 = r"[A-Za-z0-9\-._~+/]+=*"  # RFC 9110 11.2
OWS = r"[ \t]*"  # RFC 9110 5.6.3 (BWS is the same production)
QDTEXT = r"[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]"  # RFC 9110 5.6.4
QUOTED_PAIR = r"\\[\t \x21-\x7e\x80-\xff]"
QUOTED_STRING = f'"{QDTEXT}*(?:{QUOTED_PAIR}{QDTEXT}*)*"'  # unrolled: no backtracking
AUTH_PARAM = f"{TOKEN}{OWS}={OWS}(?:{TOKEN}|{QUOTED_STRING})"  # RFC 9110 11.2, BWS
SEP = f"{OWS},{OWS}"
# #auth-param with the recipient's list rule of RFC 9110 5.6.1.2 (empty elements allowed).
PARAM_LIST = f"(?:{AUTH_PARAM})?(?:{SEP}(?:{AUTH_PARAM})?)*"
# challenge / credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]. The lookahead
# only stops token68 from trying to swallow the name of an auth-param.
CHALLENGE = rf"{TOKEN}(?: +(?:{TOKEN68}(?={OWS}(?:,|\Z))|{PARAM_LIST}))?"

FLOOR: dict[Kind, re.Pattern[str]] = {
    # WWW-Authenticate = #challenge (11.6.1). Auth-params after a challenge's 1*SP continue
    # it; a param may not follow a bare scheme or a token68 (the regex has no way to).
    "challenges": re.compile(f"(?:,{OWS})*{CHALLENGE}(?:{SEP}(?:{CHALLENGE})?)*"),
    # Authorization = credentials (11.6.2): exactly one, not a list.
    "credentials": re.compile(rf"{TOKEN}(?: +(?:{TOKEN68}|{PARAM_LIST}))?"),
    # Authentication-Info = #auth-param (11.6.3).
    "info": re.compile(PARAM_LIST),
}

_FLOOR_CHECKS: dict[Kind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "challenges": (
        (
            "Basic",
            'Negotiate abc==, Basic realm="x"',
            'Basic , realm="x"',
            ', Basic realm="x",',
            'A a=b, B, C c = "d\\"" ,, D d/e=',
        ),
        (
            'Basic realm="x',
            'Basic, realm="x"',
            'Basic abc==, realm="x"',
            'realm="x"',
            'Basic realm="x\x00"',
            'Basic realm="\u0100"',
            "Basic realm=x y",
            'Basic\trealm="x"',
            'Basic realm="x"\n',
            "Basic realm=x\\y",
        ),
    ),
    "credentials": (
        ("Basic QWxh", 'Digest a=b, c="d"', "Bearer", "Bearer mF_9.B5f-4.1JqM="),
        ("Basic a b", "Digest a=b, Basic c=d", "Basic abc==, x=y", "Basic a=b=", " Basic"),
    ),
    "info": (
        ("a=b", 'a="b", c=d', ", a=b,"),
        ("a", "a=b c=d", 'a="b'),
    ),
}


def check_floor() -> None:
    """Refuse to run with a floor that does not validate what it claims to validate."""
    problems: list[str] = []
    for kind, (valid, invalid) in _FLOOR_CHECKS.items():
        pattern = FLOOR[kind]
        problems += [f"{kind}: rejects {v!r}" for v in valid if not pattern.fullmatch(v)]
        problems += [f"{kind}: accepts {v!r}" for v in invalid if pattern.fullmatch(v)]
    for workload in WORKLOADS:
        if not FLOOR[workload.kind].fullmatch(workload.value):
            problems.append(f"{workload.key}: floor rejects the workload")
    if problems:
        raise SystemExit("floor regex is wrong:\n  " + "\n  ".join(problems))


# --------------------------------------------------------------------------------------
# Libraries: how each is called and how its result is normalised
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    run: Callable[[], object]  # the timed call, arguments bound
    normalise: Callable[[object], Norm | None]  # None: the floor, which builds nothing


@dataclass(frozen=True)
class Library:
    name: str
    version: str
    prepare: Callable[[Kind, str], Prepared | None]  # None: no parser for this field
    role: Literal["ours", "peer", "floor"] = "peer"
    note: str = ""


def _lower(params: Mapping[str, Any]) -> Params:
    return {str(name).lower(): value for name, value in params.items()}


def _item(scheme: str | None, params: Mapping[str, Any] | None, token68: str | None) -> Item:
    return (None if scheme is None else scheme.lower(), _lower(params or {}), token68)


def _dist_version(name: str) -> str:
    if name == "python":
        return "stdlib"
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def _strip_scheme(value: str) -> tuple[str, str]:
    scheme, _, rest = value.partition(" ")
    return scheme, rest.strip(" \t")


def load_ours() -> tuple[Library | None, str]:
    """wwwauth, in strict mode; (None, reason) when it cannot be imported or used yet."""
    try:
        import wwwauth
    except ImportError:
        src = Path(__file__).resolve().parent.parent / "src"
        sys.path.insert(0, str(src))
        try:
            import wwwauth
        except Exception as error:  # noqa: BLE001 - a half-written package may raise anything
            return None, f"import wwwauth failed: {type(error).__name__}: {error}"
    except Exception as error:  # noqa: BLE001
        return None, f"import wwwauth failed: {type(error).__name__}: {error}"
    mod: ModuleType = wwwauth
    names = ("parse_www_authenticate", "parse_authorization", "parse_authentication_info")
    missing = [n for n in names if not hasattr(mod, n)]
    if missing:
        return None, f"wwwauth lacks {', '.join(missing)}"
    for n in names:  # the API pins strict=True as the default; we time the default call
        default = inspect.signature(getattr(mod, n)).parameters.get("strict")
        if default is None or default.default is not True:
            return None, f"wwwauth.{n} has no strict=True default"
    try:
        mod.parse_www_authenticate('Basic realm="x"')
    except Exception as error:  # noqa: BLE001
        return None, f"wwwauth.parse_www_authenticate fails: {type(error).__name__}: {error}"

    def challenges(result: object) -> Norm:
        return [_item(c.scheme, c.params, c.token68) for c in result]  # type: ignore[attr-defined]

    def credentials(result: object) -> Norm:
        c: Any = result
        return [_item(c.scheme, c.params, c.token68)]

    def info(result: object) -> Norm:
        return [_item(None, result, None)]  # type: ignore[arg-type]

    def prepare(kind: Kind, value: str) -> Prepared:
        if kind == "challenges":
            return Prepared(partial(mod.parse_www_authenticate, value), challenges)
        if kind == "credentials":
            return Prepared(partial(mod.parse_authorization, value), credentials)
        return Prepared(partial(mod.parse_authentication_info, value), info)

    version = getattr(mod, "__version__", None) or _dist_version("pywwwauth")
    return Library("wwwauth", version, prepare, "ours", "strict (the default)"), ""


def floor_library() -> Library:
    def prepare(kind: Kind, value: str) -> Prepared:
        pattern = FLOOR[kind]
        return Prepared(partial(pattern.fullmatch, value), lambda result: None)

    return Library("floor", "re", prepare, "floor", "one validating re fullmatch")


def load_authchallenge(strict: bool) -> Library | None:
    try:
        import authchallenge as ac
    except ImportError:
        return None

    def challenges(result: object) -> Norm:
        return [_item(c.scheme, c.params, c.token68) for c in result]  # type: ignore[attr-defined]

    def credentials(result: object) -> Norm:
        c: Any = result
        return [_item(c.scheme, c.params, c.token68)] if c.scheme else []

    def info(result: object) -> Norm:
        return [_item(None, result, None)]  # type: ignore[arg-type]

    def prepare(kind: Kind, value: str) -> Prepared:
        if kind == "challenges":
            return Prepared(partial(ac.parse_challenges, value, strict=strict), challenges)
        if kind == "credentials":
            return Prepared(partial(ac.parse_authorization, value, strict=strict), credentials)
        return Prepared(partial(ac.parse_auth_info, value, strict=strict), info)

    name = "authch.strict" if strict else "authchallenge"
    note = "parse_challenges / parse_authorization / parse_auth_info"
    note += ", strict=True" if strict else " (default, tolerant)"
    return Library(name, _dist_version("authchallenge"), prepare, note=note)


def load_www_authenticate() -> Library | None:
    try:
        import www_authenticate  # type: ignore[import-untyped]
    except ImportError:
        return None

    def normalise(result: object) -> Norm:
        # {scheme: token68 str | {name: value} | None}; the keys are case-folded schemes.
        found: Mapping[str, Any] = result  # type: ignore[assignment]
        norm: Norm = []
        for scheme, data in found.items():
            if isinstance(data, str):
                norm.append(_item(scheme, None, data))
            else:
                norm.append(_item(scheme, data, None))
        return norm

    def prepare(kind: Kind, value: str) -> Prepared | None:
        if kind == "info":  # a challenge parser: Authentication-Info has no scheme
            return None
        return Prepared(partial(www_authenticate.parse, value), normalise)

    return Library(
        "www-auth", _dist_version("www-authenticate"), prepare, note="www_authenticate.parse"
    )


def load_werkzeug() -> Library | None:
    try:
        from werkzeug.datastructures import Authorization, WWWAuthenticate
    except ImportError:
        return None

    def challenge(result: object) -> Norm:
        if result is None:
            return []
        r: Any = result
        return [_item(r.type, r.parameters, r.token)]

    def credentials(result: object) -> Norm:
        if result is None:
            return []
        r: Any = result
        if r.type == "basic":
            # werkzeug decodes Basic into username/password (UTF-8); encode it back so the
            # token68 can be compared. Extra work for werkzeug, so this flatters nobody.
            pair = f"{r.parameters['username']}:{r.parameters['password']}".encode()
            return [_item(r.type, None, base64.b64encode(pair).decode("ascii"))]
        return [_item(r.type, r.parameters, r.token)]

    def prepare(kind: Kind, value: str) -> Prepared | None:
        if kind == "challenges":
            return Prepared(partial(WWWAuthenticate.from_header, value), challenge)
        if kind == "credentials":
            return Prepared(partial(Authorization.from_header, value), credentials)
        return None  # werkzeug has no Authentication-Info parser

    return Library(
        "werkzeug",
        _dist_version("werkzeug"),
        prepare,
        note="datastructures.WWWAuthenticate.from_header / Authorization.from_header",
    )


def _dict_parser(
    name: str, dist: str, parse: Callable[[str], Mapping[str, Any]], note: str
) -> Library:
    """A parser of `name=value` lists, given the value with its auth-scheme cut off."""

    def prepare(kind: Kind, value: str) -> Prepared | None:
        if kind == "info":
            scheme: str | None = None
            rest = value
        else:
            scheme, rest = _strip_scheme(value)
            if "=" not in rest.rstrip("="):
                return None  # a token68 (or nothing): not a dict header
        return Prepared(partial(parse, rest), lambda result: [_item(scheme, result, None)])  # type: ignore[arg-type]

    return Library(name, _dist_version(dist), prepare, note=note)


def load_requests() -> Library | None:
    try:
        from requests.utils import parse_dict_header
    except ImportError:
        return None
    note = "requests.utils.parse_dict_header(value after the scheme)"
    return _dict_parser("requests", "requests", parse_dict_header, note)


def load_urllib() -> Library:
    from urllib.request import parse_http_list, parse_keqv_list

    def parse(rest: str) -> dict[str, str]:
        return parse_keqv_list(parse_http_list(rest))

    note = "urllib.request.parse_keqv_list(parse_http_list(value after the scheme))"
    return _dict_parser("urllib", "python", parse, note)


def load_httpx() -> Library | None:
    try:
        import httpx
    except ImportError:
        return None
    auth = httpx.DigestAuth("user", "password")
    parse_challenge: Callable[..., Any] | None = getattr(auth, "_parse_challenge", None)
    if parse_challenge is None:
        return None
    request = httpx.Request("GET", "https://example.org/")
    response = httpx.Response(401, request=request)

    def normalise(result: object) -> Norm:
        # _DigestAuthChallenge keeps realm, nonce, algorithm, opaque and qop, as bytes.
        r: Any = result
        params: Params = {"realm": r.realm.decode(), "nonce": r.nonce.decode()}
        params["algorithm"] = r.algorithm
        if r.opaque is not None:
            params["opaque"] = r.opaque.decode()
        if r.qop is not None:
            params["qop"] = r.qop.decode()
        return [("digest", params, None)]

    def prepare(kind: Kind, value: str) -> Prepared | None:
        # Only for one Digest challenge: the method asserts the scheme is Digest.
        if kind != "challenges" or value.partition(" ")[0].lower() != "digest":
            return None
        return Prepared(partial(parse_challenge, request, response, value), normalise)

    return Library(
        "httpx",
        _dist_version("httpx"),
        prepare,
        note="httpx.DigestAuth()._parse_challenge(request, response, value), Digest only",
    )


def load_libraries() -> tuple[list[Library], list[str]]:
    notes: list[str] = []
    ours, why = load_ours()
    if ours is None:
        notes.append(f"wwwauth is not measured: {why}")
    found: list[Library] = [lib for lib in (ours, floor_library()) if lib is not None]
    loaders: list[tuple[str, Callable[[], Library | None]]] = [
        ("authchallenge", partial(load_authchallenge, False)),
        ("authchallenge", partial(load_authchallenge, True)),
        ("www-authenticate", load_www_authenticate),
        ("werkzeug", load_werkzeug),
        ("requests", load_requests),
        ("urllib", load_urllib),
        ("httpx", load_httpx),
    ]
    for dist, loader in loaders:
        lib = loader()
        if lib is None:
            notes.append(f"{dist} is not installed (pip install -e '.[bench]')")
        else:
            found.append(lib)
    return found, notes


# --------------------------------------------------------------------------------------
# Judging and timing
# --------------------------------------------------------------------------------------


def _short(value: object, limit: int = 48) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def judge(got: Norm, expected: Norm) -> tuple[str, str]:
    """OK, or PARTIAL (every value it returns is right but some params are dropped), or
    WRONG with the first difference."""
    if got == expected:
        return OK, ""
    if len(got) != len(expected):
        return WRONG, f"{len(got)} challenge(s), expected {len(expected)}"
    dropped: list[str] = []
    for (scheme, params, token68), (e_scheme, e_params, e_token68) in zip(got, expected):
        if scheme != e_scheme:
            return WRONG, f"scheme {_short(scheme)}, expected {_short(e_scheme)}"
        if token68 != e_token68:
            return WRONG, f"token68 {_short(token68)}, expected {_short(e_token68)}"
        for name, value in params.items():
            if name not in e_params:
                return WRONG, f"extra param {_short(name)}={_short(value)}"
            if value != e_params[name]:
                return WRONG, f"{name}={_short(value)}, expected {_short(e_params[name])}"
        dropped += [name for name in e_params if name not in params]
    return PARTIAL, "drops " + ", ".join(dropped)


@dataclass
class Cell:
    status: str
    ns: float | None = None  # ns per header, when timed
    reason: str = ""


@dataclass(frozen=True)
class Settings:
    repeat: int
    min_time: float  # seconds per timed run
    time_wrong: bool = True


def best_ns(run: Callable[[], object], settings: Settings) -> float:
    """Best of `repeat` timeit runs, each long enough to last `min_time`, in ns per call."""
    timer = timeit.Timer(run)
    for _ in range(3):
        run()  # warm caches
    number = 1
    while True:
        elapsed = timer.timeit(number)
        if elapsed >= settings.min_time / 10:
            number = max(1, math.ceil(number * settings.min_time / elapsed))
            break
        number *= 10
    return min(timer.repeat(settings.repeat, number)) / number * 1e9


def measure(lib: Library, workload: Workload, settings: Settings, time_wrong: bool) -> Cell:
    prepared = lib.prepare(workload.kind, workload.value)
    if prepared is None:
        return Cell(NA, reason="no parser for this field")
    try:
        result = prepared.run()
    except Exception as error:  # noqa: BLE001 - any exception means "cannot handle it"
        return Cell(ERROR, reason=f"{type(error).__name__}: {_short(str(error), 60)}")
    if lib.role == "floor":
        status, reason = (OK, "") if result is not None else (WRONG, "no match")
    else:
        got = prepared.normalise(result)
        status, reason = judge(got or [], workload.expected)
    cell = Cell(status, reason=reason)
    if status in (OK, PARTIAL) or time_wrong:
        cell.ns = best_ns(prepared.run, settings)
    return cell


# --------------------------------------------------------------------------------------
# Running and printing
# --------------------------------------------------------------------------------------


def _fmt_ns(ns: float | None) -> str:
    if ns is None:
        return "-"
    if ns >= 100_000:
        return f"{ns / 1000:,.0f}µ"
    return f"{ns:,.0f}"


def _shown(cell: Cell) -> str:
    if cell.status == OK:
        return _fmt_ns(cell.ns)
    return cell.status


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    rows = [list(header)] + [list(r) for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def fastest_correct_peer(
    libs: Sequence[Library], cells: Mapping[str, Cell]
) -> tuple[str, float] | None:
    best: tuple[str, float] | None = None
    for lib in libs:
        cell = cells[lib.name]
        eligible = lib.role == "peer" and cell.status == OK and cell.ns is not None
        if eligible and cell.ns is not None and (best is None or cell.ns < best[1]):
            best = (lib.name, cell.ns)
    return best


def run_workloads(libs: Sequence[Library], settings: Settings) -> dict[str, dict[str, Cell]]:
    results: dict[str, dict[str, Cell]] = {}
    for workload in WORKLOADS:
        results[workload.key] = {
            lib.name: measure(lib, workload, settings, settings.time_wrong) for lib in libs
        }
        print(f"  measured {workload.key}", file=sys.stderr, flush=True)
    return results


def print_workloads(
    libs: Sequence[Library], results: Mapping[str, Mapping[str, Cell]]
) -> dict[str, Any]:
    names = [lib.name for lib in libs]
    ours = next((lib.name for lib in libs if lib.role == "ours"), None)
    print("ns per header (best of the runs); wrong/partial/error/n/a are not counted as correct")
    rows = [
        [f"{i}. {key}"] + [_shown(results[key][n]) for n in names]
        for i, key in enumerate(results, 1)
    ]
    print(_table(["workload"] + names, rows))
    print()

    summary: dict[str, Any] = {"per_workload": {}}
    if ours is None:
        print("(wwwauth not measured: no ratios)")
        return summary
    peers = [lib.name for lib in libs if lib.role == "peer"]
    print("peer ÷ ours (>1: the peer is slower); only for correct results")
    ratio_rows = []
    for i, key in enumerate(results, 1):
        mine = results[key][ours]
        row = [f"{i}. {key}"]
        for n in peers:
            cell = results[key][n]
            if cell.status == OK and cell.ns and mine.status == OK and mine.ns:
                row.append(f"{cell.ns / mine.ns:.2f}")
            else:
                row.append(cell.status if cell.status != OK else "-")
        ratio_rows.append(row)
    print(_table(["workload"] + peers, ratio_rows))
    print()

    print("ours vs the fastest correct peer and the floor")
    summary_rows = []
    log_sum, counted = 0.0, 0
    for i, key in enumerate(results, 1):
        cells = results[key]
        mine, floor = cells[ours], cells["floor"]
        best = fastest_correct_peer(libs, cells)
        vs_peer = vs_floor = None
        if mine.status == OK and mine.ns:
            if best is not None:
                vs_peer = mine.ns / best[1]
                log_sum += math.log(vs_peer)
                counted += 1
            if floor.status == OK and floor.ns:
                vs_floor = mine.ns / floor.ns
        summary["per_workload"][key] = {
            "ours_ns": mine.ns if mine.status == OK else None,
            "fastest_correct_peer": best[0] if best else None,
            "fastest_correct_peer_ns": best[1] if best else None,
            "ours_over_fastest_correct_peer": vs_peer,
            "ours_over_floor": vs_floor,
        }
        summary_rows.append(
            [
                f"{i}. {key}",
                _shown(mine),
                best[0] if best else "none",
                _fmt_ns(best[1]) if best else "-",
                f"{vs_peer:.2f}" if vs_peer is not None else "-",
                _fmt_ns(floor.ns) if floor.status == OK else floor.status,
                f"{vs_floor:.2f}" if vs_floor is not None else "-",
            ]
        )
    print(
        _table(
            [
                "workload",
                "ours",
                "fastest correct peer",
                "its ns",
                "ours÷peer",
                "floor",
                "ours÷floor",
            ],
            summary_rows,
        )
    )
    if counted:
        geomean = math.exp(log_sum / counted)
        summary["geomean_ours_over_fastest_correct_peer"] = geomean
        summary["geomean_workloads"] = counted
        print(
            f"geometric mean of ours ÷ fastest correct peer over {counted} workloads: {geomean:.2f}"
        )
    return summary


def print_notes(libs: Sequence[Library], results: Mapping[str, Mapping[str, Cell]]) -> None:
    print("why a result is not counted:")
    for key, cells in results.items():
        for lib in libs:
            cell = cells[lib.name]
            if cell.status not in (OK, NA):
                timed = f" (ran in {_fmt_ns(cell.ns)} ns)" if cell.ns is not None else ""
                print(f"  {key:<20} {lib.name:<14} {cell.status}: {cell.reason}{timed}")


def run_scaling(
    libs: Sequence[Library],
    settings: Settings,
    title: str,
    unit: str,
    cases: Sequence[tuple[int, Workload]],
    per_byte: bool,
) -> list[dict[str, Any]]:
    """Time every library on growing inputs; print ns per challenge or per byte of the
    field value. The last row divides the per-unit cost at the largest size by the one at
    the smallest: about 1 means linear growth."""
    names = [lib.name for lib in libs]
    ours = next((lib for lib in libs if lib.role == "ours"), None)
    rows: list[list[str]] = []
    record: list[dict[str, Any]] = []
    per_unit: dict[str, list[float | None]] = {n: [] for n in names}
    problems: dict[tuple[str, str], str] = {}
    for size, workload in cases:
        cells = {lib.name: measure(lib, workload, settings, time_wrong=False) for lib in libs}
        print(f"  measured {workload.key}", file=sys.stderr, flush=True)
        units = len(workload.value) if per_byte else size
        row = [f"{size:,}", f"{len(workload.value):,}"]
        if ours is not None:
            mine = cells[ours.name]
            row.append(f"{mine.ns / 1000:,.1f}" if mine.status == OK and mine.ns else mine.status)
        for n in names:
            cell = cells[n]
            ok = cell.status == OK and cell.ns is not None
            per_unit[n].append(cell.ns / units if ok and cell.ns else None)
            row.append(f"{cell.ns / units:,.1f}" if ok and cell.ns else cell.status)
            if not ok and cell.status != NA:
                problems.setdefault((n, cell.status), cell.reason)
        rows.append(row)
        record.append(
            {
                "size": size,
                "bytes": len(workload.value),
                "units": units,
                "libraries": {
                    n: {
                        "status": c.status,
                        "ns": c.ns,
                        "reason": c.reason,
                        "ns_per_unit": c.ns / units if c.ns and c.status == OK else None,
                    }
                    for n, c in cells.items()
                },
            }
        )
    growth = ["largest÷smallest", ""] + ([""] if ours else [])
    for n in names:
        first, last = per_unit[n][0], per_unit[n][-1]
        growth.append(f"{last / first:.2f}" if first and last else "-")
    rows.append(growth)
    print(f"{title} (ns per {unit}; 'ours µs' is the whole field value)")
    header = ["N", "bytes"] + (["ours µs"] if ours else []) + names
    print(_table(header, rows))
    for (name, status), reason in problems.items():
        print(f"  {name} {status}: {reason}")
    return record


def _environment(libs: Sequence[Library]) -> dict[str, Any]:
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "libraries": {lib.name: {"version": lib.version, "call": lib.note} for lib in libs},
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer and shorter timing runs")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args(argv)

    # --quick keeps every input and only shortens the timing.
    settings = Settings(repeat=3, min_time=0.02) if args.quick else Settings(repeat=7, min_time=0.1)
    counts = (1, 10, 100, 1000)
    sizes = (1_000, 10_000, 100_000, 1_000_000)

    check_floor()
    libs, notes = load_libraries()
    env = _environment(libs)
    print(f"Python {env['python']} ({env['implementation']}) on {env['platform']}")
    for lib in libs:
        print(f"  {lib.name:<14} {lib.version:<10} {lib.note}")
    for note in notes:
        print(f"  NOTE: {note}")
    print(f"best of {settings.repeat} runs of >= {settings.min_time}s each\n")

    results = run_workloads(libs, settings)
    for i, workload in enumerate(WORKLOADS, 1):
        print(f"{i}. {workload.key}: {workload.title}")
    print()
    summary = print_workloads(libs, results)
    print()
    print_notes(libs, results)
    print()

    scaling_challenges = run_scaling(
        libs,
        settings,
        "scaling: N challenges in one field",
        "challenge",
        [(n, many_challenges(n)) for n in counts],
        per_byte=False,
    )
    print()
    scaling_quoted = run_scaling(
        libs,
        settings,
        "scaling: one quoted-string of N bytes",
        "byte",
        [(n, long_quoted_string(n)) for n in sizes],
        per_byte=True,
    )

    if args.json:
        data = {
            "environment": env,
            "settings": {
                "repeat": settings.repeat,
                "min_time": settings.min_time,
                "quick": args.quick,
            },
            "notes": notes,
            "workloads": {
                w.key: {
                    "title": w.title,
                    "kind": w.kind,
                    "value": w.value,
                    "libraries": {
                        n: {"status": c.status, "ns": c.ns, "reason": c.reason}
                        for n, c in results[w.key].items()
                    },
                }
                for w in WORKLOADS
            },
            "summary": summary,
            "scaling": {"challenges": scaling_challenges, "quoted_string": scaling_quoted},
        }
        Path(args.json).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
