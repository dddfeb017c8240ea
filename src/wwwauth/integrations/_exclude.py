"""``exclude=`` of the middleware: which paths stay public, decided on the routed path."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Final, TypeVar

from ._log import logger as _logger
from ._log import where as _where

__all__ = ["ExcludeRule"]


# exclude=: paths left public, as a sequence of paths or a predicate on the path.
ExcludeRule = Sequence[str] | Callable[[str], bool]

# A framework's request object (aiohttp, Flask).
_Request = TypeVar("_Request")


def _is_plain_path(path: str) -> bool:
    """Whether ``path`` is absolute, without empty, ``.`` or ``..`` segments, ``\\`` or ``%``.

    Only such a path can be excluded: a router may resolve dot segments (RFC 3986
    §5.2.4), merge empty ones, take ``\\`` for ``/`` or percent-decode once more, so any
    other spelling could name a protected resource. It stays protected (fails closed).

    >>> [_is_plain_path(p) for p in ("/docs", "/docs/", "//docs", "/docs/../x", "/a%2F")]
    [True, True, False, False, False]
    """
    return (
        path.startswith("/")
        and "//" not in path
        and "/./" not in path
        and "/../" not in path
        and not path.endswith(("/.", "/.."))
        and "\\" not in path
        and "%" not in path
    )


class _Exclusions:
    """Which request paths the middleware leaves public (``exclude=``).

    A path given as a string excludes exactly that path; one ending in ``/`` excludes
    every path that starts with it (``"/static/"``: ``/static/app.js``, not ``/static``).
    A callable is asked ``predicate(path)`` and excludes only on exactly ``True``; if it
    raises, the path stays protected (logged). Comparison is exact and case-sensitive,
    on the percent-decoded path the application routes on, and only a plain path (see
    :func:`_is_plain_path`) is ever excluded.

    Raises:
        TypeError: ``exclude`` is a single string, or holds something else than strings.
        ValueError: a path is not plain and absolute, is not ASCII, or is ``/`` as a
            prefix (which would leave everything public).
    """

    def __init__(self, exclude: ExcludeRule | None) -> None:
        self._predicate: Callable[[str], bool] | None = None
        exact: set[str] = set()
        prefixes: list[str] = []
        if callable(exclude):
            self._predicate = exclude
        elif isinstance(exclude, (str, bytes)):
            raise TypeError('exclude takes a sequence of paths (["/docs"]), not one string')
        elif exclude is not None:
            for path in exclude:
                if not isinstance(path, str):
                    raise TypeError(f"an excluded path is a str, not {type(path).__name__}")
                if not path.isascii() or not _is_plain_path(path):
                    raise ValueError(
                        f"an excluded path is an ASCII absolute path without empty, '.' or "
                        f"'..' segments, '\\\\' or '%': {path!r}"
                    )
                if path == "/":
                    raise ValueError(
                        'exclude "/" would leave every path public: give the paths to leave '
                        "public, or a predicate"
                    )
                if path.endswith("/"):
                    prefixes.append(path)
                else:
                    exact.add(path)
        self._exact: Final = frozenset(exact)
        self._prefixes: Final = tuple(prefixes)
        self.active: Final = bool(exact or prefixes or self._predicate is not None)

    def __call__(self, path: object) -> bool:
        """Whether a request for ``path`` (the decoded path) passes unprotected."""
        if not isinstance(path, str) or not _is_plain_path(path):
            return False
        if path in self._exact or (self._prefixes and path.startswith(self._prefixes)):
            return True
        if self._predicate is None:
            return False
        try:
            return self._predicate(path) is True
        except Exception as exc:  # noqa: BLE001 - a failing predicate protects the path
            _logger.error(
                "exclude raised %s at %s: the path stays protected",
                type(exc).__qualname__,
                _where(exc),
            )
            return False


def _request_exclusion(
    exclude: Iterable[str] | Callable[[_Request], bool], path_of: Callable[[_Request], object]
) -> Callable[[_Request], bool] | None:
    """An adapter's ``exclude=``: which of the framework's requests pass unchecked.

    A predicate on the request is used as given; paths are compared with
    ``path_of(request)`` by the middleware's rule (:class:`_Exclusions`).

    Returns:
        The predicate, or None when ``exclude`` names no path.

    Raises:
        TypeError: ``exclude`` is a single str.
        ValueError: as for :class:`_Exclusions`.
    """
    if callable(exclude):
        return exclude
    if isinstance(exclude, str):
        raise TypeError("exclude takes paths (a list of str) or a predicate, not a str")
    paths = tuple(exclude)
    if not paths:
        return None
    public = _Exclusions(paths)
    return lambda request: public(path_of(request))
