"""The options of the server-side gate: what ``AuthMiddleware`` and ``Protection`` configure.

Standard library only. :class:`_GateSettings` bundles them once, as the ASGI and WSGI
middleware take them, and is handed on to the gate; a
:class:`~wwwauth.integrations.protect.Protection` holds the same options as attributes
and is handed on itself (both are :class:`_GateOptions`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    from ._gate import ChallengeSource, InfoCallback, NonceCheck

# The most request content the middleware reads for Digest auth-int (RFC 7616 §3.4.3):
# 1 MiB unless ``max_body`` says otherwise; more is answered 413 (RFC 9110 §15.5.14).
DEFAULT_MAX_BODY: Final = 1 << 20


def _is_async_callable(function: object) -> bool:
    """Whether calling ``function`` gives a coroutine or an async generator.

    Sees through :func:`functools.partial` and objects whose ``__call__`` is a
    coroutine function.

    >>> async def verify(credentials, request): ...
    >>> _is_async_callable(verify), _is_async_callable(len)
    (True, False)
    """
    call = getattr(function, "__call__", None)  # noqa: B004 - is __call__ a coroutine function
    return any(
        inspect.iscoroutinefunction(candidate) or inspect.isasyncgenfunction(candidate)
        for candidate in (function, call)
    )


class _GateOptions(Protocol):
    """What a gate is built from: a :class:`_GateSettings`, or a ``Protection``.

    Each option as ``AuthMiddleware`` documents it.
    """

    @property
    def challenges(self) -> Sequence[ChallengeSource]: ...
    @property
    def verify(self) -> Callable[..., object]: ...
    @property
    def authorize(self) -> Callable[..., object] | None: ...
    @property
    def proxy(self) -> bool: ...
    @property
    def authentication_info(self) -> InfoCallback | None: ...
    @property
    def check_nonce(self) -> NonceCheck | None: ...
    @property
    def max_body(self) -> int: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class _GateSettings:
    """The gate's options as ``AuthMiddleware`` takes them, built once and handed on."""

    challenges: Sequence[ChallengeSource]
    verify: Callable[..., object]
    authorize: Callable[..., object] | None = None
    proxy: bool = False
    authentication_info: InfoCallback | None = None
    check_nonce: NonceCheck | None = None
    max_body: int = DEFAULT_MAX_BODY


def _first_async(options: _GateOptions, roles: Sequence[str]) -> str | None:
    """The first of the callbacks named ``roles`` that is a coroutine function, or None.

    >>> async def verify(credentials, request): ...
    >>> _first_async(_GateSettings(challenges=(), verify=verify), ("authorize", "verify"))
    'verify'
    """
    return next((role for role in roles if _is_async_callable(getattr(options, role))), None)
