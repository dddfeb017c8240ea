"""Read the status and the separate field lines of a response object of any HTTP library.

The testing kit takes the response objects users hold: requests, httpx (and so the
Starlette, FastAPI and Litestar test clients), Flask/werkzeug, Django, aiohttp, and
anything shaped like them. No framework is imported: types are told apart by the module
they come from and by the methods they have (duck typing).

RFC 9110 §5.3 lets a recipient join the field lines of one name with ", ", and several
libraries do so in their main header API (requests' ``r.headers``, ``dict(httpx
headers)``). Whether the server sent one challenge per field line (what browsers need)
can only be read where the separate lines are kept, so each reader goes there:

* requests: ``r.raw.headers.getlist(name)`` (urllib3), else
  ``r.raw._original_response.msg.get_all(name)`` (http.client);
* httpx: ``response.headers.multi_items()``;
* werkzeug: ``headers.getlist(name)``; Django: ``FieldLineHeaders.field_lines()``
  (:mod:`wwwauth.integrations.django`), else the one value per name Django sends;
* aiohttp: ``response.raw_headers`` (client), ``headers.getall(name)`` (server);
* http.client and urllib: ``headers.get_all(name)``.

Where the lines are lost, :attr:`ResponseReading.lost_lines` says why and what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from ._registry import (
    AUTHENTICATION_INFO,
    PROXY_AUTHENTICATE,
    PROXY_AUTHENTICATION_INFO,
    WWW_AUTHENTICATE,
)

__all__ = ["DJANGO_HINT", "ResponseReading", "header_lines", "lost_lines_of", "read_response"]

_FIELDS: Final = (
    WWW_AUTHENTICATE,
    PROXY_AUTHENTICATE,
    AUTHENTICATION_INFO,
    PROXY_AUTHENTICATION_INFO,
)

_PASS_LINES: Final = (
    "pass the status and each field line yourself: "
    "assert_auth_response(status, [(name, value), ...])"
)
_REQUESTS_LOST: Final = (
    "this requests.Response has no raw urllib3 response holding the headers (built by "
    "hand or by a mock?), and r.headers joins the field lines of a name with ', ', so "
    "its field lines cannot be told apart: give the Response its `raw`, or " + _PASS_LINES
)
_REQUESTS_HEADERS_LOST: Final = (
    "requests' r.headers joins the field lines of a name with ', ', so they cannot be "
    "told apart: pass the response itself, assert_auth_response(r), which reads them "
    "from r.raw"
)
DJANGO_HINT: Final = (
    "Django's HttpResponse holds one field line per name (setting a header again "
    "replaces it): add each challenge with "
    "wwwauth.integrations.django.add_field_line(response, name, value)"
)


@dataclass(frozen=True, slots=True)
class ResponseReading:
    """What the kit read from a response object.

    Attributes:
        status: the status code.
        lines: (name, value) of each header field line read, names as the library
            spells them (they ignore case).
        source: where the lines were read from, for the failure message.
        lost_lines: why the separate field lines of a name cannot be told apart, and what
            to do; ``None`` when they were read apart.
        hint: advice to add to a "several challenges on one field line" warning.
    """

    status: int
    lines: tuple[tuple[str, str], ...]
    source: str
    lost_lines: str | None = None
    hint: str | None = None


def _library(value: object) -> str:
    """The top-level package the type of ``value`` comes from (``"requests"``, ...)."""
    return type(value).__module__.split(".", 1)[0]


def _status_of(response: object) -> int:
    for attribute in ("status_code", "status"):
        status = getattr(response, attribute, None)
        if isinstance(status, int) and not isinstance(status, bool):
            return status
    raise TypeError(
        f"expected a status code and headers, or a response object with an int status_code "
        f"or status and its headers, not {type(response).__name__}"
    )


def _text(item: object) -> str:
    """A header name or value as ``str``; bytes are ISO-8859-1 (RFC 9110 §5.5)."""
    if isinstance(item, (bytes, bytearray)):
        return bytes(item).decode("latin-1")
    if isinstance(item, str):
        return item
    raise TypeError("header names and values must be str or bytes")


def _pairs(items: Iterable[object]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for pair in items:
        if not isinstance(pair, tuple) or len(pair) != 2:
            # Not repr(pair): it may be an Authorization line holding a secret.
            raise TypeError(
                f"a header must be a (name, value) pair, not {type(pair).__name__}"
                + (f" of {len(pair)} items" if isinstance(pair, (tuple, list)) else "")
            )
        pairs.append((_text(pair[0]), _text(pair[1])))
    return tuple(pairs)


def _by_name(get_all: Callable[[str], object]) -> tuple[tuple[str, str], ...]:
    """The field lines of the authentication fields, read through a get-all-values method."""
    lines: list[tuple[str, str]] = []
    for name in _FIELDS:
        values = get_all(name)
        if isinstance(values, Iterable) and not isinstance(values, (str, bytes)):
            lines.extend((name, _text(value)) for value in values)
    return tuple(lines)


def _method(value: object, *names: str) -> tuple[str, Callable[..., object]] | None:
    for name in names:
        method = getattr(value, name, None)
        if callable(method):
            return name, method
    return None


def _auth_names(lines: Iterable[tuple[str, str]]) -> set[str]:
    return {name.lower() for name, _ in lines if name.lower() in _LOWER_FIELDS}


_LOWER_FIELDS: Final = frozenset(name.lower() for name in _FIELDS)


def _read_requests(response: object, status: int) -> ResponseReading:
    merged = _mapping_pairs(getattr(response, "headers", {}))
    raw = getattr(response, "raw", None)
    sources: list[tuple[str, object]] = [("r.raw.headers", getattr(raw, "headers", None))]
    original = getattr(raw, "_original_response", None)
    sources.append(("r.raw._original_response.msg", getattr(original, "msg", None)))
    for source, headers in sources:
        found = _method(headers, "getlist", "get_all")
        if found is None:
            continue
        lines = _by_name(found[1])
        # Every authentication field r.headers holds must be in the raw headers too.
        if _auth_names(merged) <= _auth_names(lines):
            return ResponseReading(status, lines, f"requests, {source}")
    return ResponseReading(status, merged, "requests, r.headers", lost_lines=_REQUESTS_LOST)


def _mapping_pairs(headers: object) -> tuple[tuple[str, str], ...]:
    if isinstance(headers, Mapping):
        return _pairs(headers.items())
    items = getattr(headers, "items", None)
    if callable(items):
        found = items()
        if isinstance(found, Iterable):
            return _pairs(found)
    raise TypeError(f"cannot read the headers of a {type(headers).__name__}")


def header_lines(headers: object) -> tuple[tuple[str, str], ...]:
    """Each field line of a headers object or of (name, value) pairs, in order.

    Reads through ``multi_items()`` (httpx, Starlette), ``field_lines()`` (Django's
    :class:`~wwwauth.integrations.django.FieldLineHeaders`), ``getlist`` / ``getall`` /
    ``get_list`` / ``get_all`` (werkzeug, urllib3, aiohttp's multidict, http.client),
    then as a mapping (one line per name) or an iterable of pairs.
    """
    if isinstance(headers, (str, bytes)):
        raise TypeError("headers must be a mapping or (name, value) pairs, not a string")
    found = _method(headers, "multi_items", "field_lines")
    if found is not None:
        return _pairs(_iterable(found[1]()))
    found = _method(headers, "getlist", "getall", "get_list", "get_all")
    if found is not None and _library(headers) != "requests":
        return _by_name(_default_empty(found[1]))
    if isinstance(headers, Mapping):
        return _pairs(headers.items())
    return _pairs(_iterable(headers))


def _iterable(value: object) -> Iterable[object]:
    if not isinstance(value, Iterable):
        raise TypeError(
            f"headers must be a mapping or (name, value) pairs, not {type(value).__name__}"
        )
    return value


def _default_empty(get_all: Callable[..., object]) -> Callable[[str], object]:
    """``get_all(name)`` giving ``[]`` for an absent name, whatever the library does."""

    def read(name: str) -> object:
        try:
            values = get_all(name)
        except KeyError:  # multidict's getall without a default
            return []
        return [] if values is None else values

    return read


def lost_lines_of(headers: object) -> str | None:
    """Why the field lines of ``headers`` (given apart from their response) are lost."""
    if _library(headers) == "requests":
        return _REQUESTS_HEADERS_LOST
    return None


def read_response(response: object) -> ResponseReading:
    """The status and field lines of a response object, read where they are kept apart.

    Raises:
        TypeError: ``response`` has no int ``status_code`` or ``status``, or no headers.
    """
    status = _status_of(response)
    library = _library(response)
    if library == "requests":
        return _read_requests(response, status)
    raw_headers = getattr(response, "raw_headers", None)
    if raw_headers is not None and not callable(raw_headers):  # aiohttp's client response
        return ResponseReading(status, _pairs(_iterable(raw_headers)), f"{library}, raw_headers")
    headers = getattr(response, "headers", None)
    if headers is None:
        raise TypeError(f"a {type(response).__name__} has no headers to read")
    lines = header_lines(headers)
    if library == "django" and _method(headers, "field_lines") is None:
        return ResponseReading(status, lines, "django, response.headers", hint=DJANGO_HINT)
    if _method(headers, "multi_items", "field_lines", "getlist", "getall", "get_list", "get_all"):
        return ResponseReading(status, lines, f"{library}, response.headers")
    return ResponseReading(
        status,
        lines,
        f"{library}, response.headers",
        lost_lines=f"a {type(response).__name__}'s headers hold one value per name, so "
        "joined field lines cannot be told apart: " + _PASS_LINES,
    )
