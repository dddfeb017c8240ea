"""What ``verify`` and ``authorize`` see of a request: :class:`RequestInfo`.

Part of the gate (:mod:`wwwauth.integrations._gate` re-exports it; the documented path
is :mod:`wwwauth.integrations.server`). The middleware build it lazily: a field such as
``headers`` is computed from what the server gave on its first read, and the object is
indistinguishable from one built eagerly.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Generic, TypeVar

__all__ = ["RequestInfo"]


_A = TypeVar("_A")


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestInfo:
    """What ``verify`` and ``authorize`` see of a request.

    Attributes:
        method: the request method.
        target: the request-target, percent-encoded, with the query: the raw target
            when the server gives it (ASGI ``raw_path``, WSGI ``REQUEST_URI`` or
            ``RAW_URI``), else rebuilt from the decoded path.
        headers: the header fields, names lower-cased, values as ISO-8859-1 text.
        body: the request content, read only for Digest ``qop=auth-int`` credentials
            (RFC 7616 §3.4.3 hashes it) whose nonce was checked first (see the
            middleware's ``check_nonce``); None otherwise.
        authority: the authority the request was sent to (RFC 9110 §7.2): the ``Host``
            field, else the server's own name and port; None when unknown. A Digest
            ``uri`` in absolute-form must name it.
        target_is_raw: whether ``target`` is the request-target as received (False when
            rebuilt from a decoded path, as under ``wsgiref``, where ``%2F`` and ``/``
            look alike: a Digest ``uri`` path is then compared percent-decoded).

    >>> RequestInfo(method="GET", target="/a?b=1").body is None
    True
    """

    method: str
    target: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    authority: str | None = None
    target_is_raw: bool = True


class _Deferred(Generic[_A]):
    """Field values the middleware computes on first read (see :class:`_OnFirstRead`):
    ``functions[field](argument)``, the argument being a snapshot taken when the request
    came. One object may stand in several fields (one per request, not one per field)."""

    __slots__ = ("argument", "functions")

    def __init__(self, functions: Mapping[str, Callable[[_A], object]], argument: _A) -> None:
        self.functions: Final = functions
        self.argument: Final = argument


class _OnFirstRead:
    """A data descriptor over one slot of :class:`RequestInfo`: a :class:`_Deferred` value
    in the slot is computed on the first read and stored in its place.

    Every read goes through here (``request.headers``, ``getattr``, ``__eq__``,
    ``__hash__``, ``__repr__``, ``dataclasses.replace``/``astuple``, pickling), so no
    caller ever sees a :class:`_Deferred`: a RequestInfo the middleware builds with
    deferred fields is indistinguishable from one built eagerly (same class, same fields,
    same values). The middleware defers only what cannot raise and what it computes from
    a snapshot taken when the request arrives (the ASGI header list, the WSGI environ).
    """

    __slots__ = ("name", "read", "slot", "write")

    def __init__(self, name: str, slot: types.MemberDescriptorType) -> None:
        self.name: Final = name
        self.slot: Final = slot
        self.read: Final = slot.__get__
        self.write: Final = slot.__set__

    def __get__(self, instance: object, owner: type | None = None) -> object:
        if instance is None:
            return self.slot
        value = self.read(instance, owner)
        if type(value) is _Deferred:
            value = value.functions[self.name](value.argument)
            self.write(instance, value)  # the same value for every reader
        return value

    def __set__(self, instance: object, value: object) -> None:
        self.slot.__set__(instance, value)

    def __delete__(self, instance: object) -> None:
        self.slot.__delete__(instance)


_SLOTS: Final[dict[str, types.MemberDescriptorType]] = {
    name: vars(RequestInfo)[name]
    for name in ("method", "target", "headers", "body", "authority", "target_is_raw")
}
for _name in ("target", "headers", "authority"):
    setattr(RequestInfo, _name, _OnFirstRead(_name, _SLOTS[_name]))
del _name
_SET_METHOD, _SET_TARGET, _SET_HEADERS, _SET_BODY, _SET_AUTHORITY, _SET_RAW = (
    slot.__set__ for slot in _SLOTS.values()
)


def _request_info_init(
    self: RequestInfo,
    *,
    method: str,
    target: str,
    headers: tuple[tuple[str, str], ...] = (),
    body: bytes | None = None,
    authority: str | None = None,
    target_is_raw: bool = True,
) -> None:
    # The dataclass's own __init__ (same signature and defaults), writing the slots
    # directly rather than through object.__setattr__ and the descriptors above.
    _SET_METHOD(self, method)
    _SET_TARGET(self, target)
    _SET_HEADERS(self, headers)
    _SET_BODY(self, body)
    _SET_AUTHORITY(self, authority)
    _SET_RAW(self, target_is_raw)


_request_info_init.__qualname__ = "RequestInfo.__init__"
_request_info_init.__doc__ = RequestInfo.__init__.__doc__
_request_info_init.__annotations__ = dict(RequestInfo.__init__.__annotations__)
setattr(RequestInfo, "__init__", _request_info_init)  # noqa: B010 - mypy keeps the dataclass's


def _request_info(
    method: str,
    target: str | _Deferred[Any],
    headers: tuple[tuple[str, str], ...] | _Deferred[Any],
    body: bytes | None,
    authority: str | None | _Deferred[Any],
    target_is_raw: bool,
) -> RequestInfo:
    """A :class:`RequestInfo` whose ``target``, ``headers`` or ``authority`` may be
    :class:`_Deferred` (computed on first read); the same fields as its constructor."""
    request = object.__new__(RequestInfo)
    _SET_METHOD(request, method)
    _SET_TARGET(request, target)
    _SET_HEADERS(request, headers)
    _SET_BODY(request, body)
    _SET_AUTHORITY(request, authority)
    _SET_RAW(request, target_is_raw)
    return request
