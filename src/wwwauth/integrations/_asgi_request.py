"""What ``verify`` sees of an ASGI request: shared by the Starlette and Litestar adapters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ._gate import RequestInfo
from .asgi import _authority, _has_raw_target, _target

__all__ = ["request_from_scope"]


def request_from_scope(scope: Mapping[str, object], header: str) -> tuple[RequestInfo, str | None]:
    """The :class:`RequestInfo` of an ASGI HTTP ``scope``, and the value of its field ``header``.

    The target is the raw one when the server gave it; several field lines of ``header``
    (lower-case) are joined with ", " as RFC 9110 §5.3 says (the strict parser then
    refuses them).

    >>> info, value = request_from_scope(
    ...     {"type": "http", "method": "GET", "path": "/a", "raw_path": b"/a?x=1",
    ...      "query_string": b"x=1", "headers": [(b"Authorization", b"Bearer t")]},
    ...     "authorization")
    >>> info.target, value
    ('/a?x=1', 'Bearer t')
    """
    entries = dict(scope)
    raw = entries.get("raw_path")
    if isinstance(raw, bytes) and b"?" in raw:
        # ASGI's raw_path is the path alone; a "?" ends a path (RFC 3986 §3.3), so what
        # follows is the query (Litestar's TestClient passes httpx's path-and-query).
        entries["raw_path"] = raw.partition(b"?")[0]
    pairs: Iterable[tuple[bytes, bytes]] = entries.get("headers", ())  # type: ignore[assignment]
    headers = tuple(
        (name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in pairs
    )
    lines = [value for name, value in headers if name == header]
    info = RequestInfo(
        method=str(entries.get("method", "GET")),
        target=_target(entries),
        headers=headers,
        authority=_authority(entries, headers),
        target_is_raw=_has_raw_target(entries),
    )
    return info, ", ".join(lines) if lines else None
