"""Parse, validate and serialize the HTTP authentication fields of RFC 9110 §11."""

from __future__ import annotations

from . import parsing
from ._select import select_challenge
from .decide import Decision, decide
from .errors import ParseError, SerializeError
from .formatting import format_authentication_info, format_challenges, format_credentials
from .model import AuthParams, Challenge, Credentials
from .parsing import *  # the six parse_* functions: parsing.__all__

__all__ = [
    "AuthParams",
    "Challenge",
    "Credentials",
    "Decision",
    "ParseError",
    "SerializeError",
    "basic",
    "bearer",
    "decide",
    "digest",
    "dpop",
    "ext_value",
    "format_authentication_info",
    "format_challenges",
    "format_credentials",
    "negotiate",
    "schemes",
    "select_challenge",
]
__all__ += parsing.__all__  # the six parse_* functions

# The scheme modules (Digest included) load on first use (``wwwauth.basic`` or ``from wwwauth import
# basic``), so ``import wwwauth`` stays cheap for those who only parse.
_LAZY_MODULES = frozenset(
    {"basic", "bearer", "digest", "dpop", "ext_value", "negotiate", "schemes"}
)

TYPE_CHECKING = False  # not typing's: `import wwwauth` does not load typing
if TYPE_CHECKING:
    from . import basic, bearer, digest, dpop, ext_value, negotiate, schemes

    __version__: str


def __getattr__(name: str) -> object:
    if name in _LAZY_MODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    if name == "__version__":  # read from the metadata on first use only (import stays cheap)
        from ._version import installed_version

        globals()[name] = version = installed_version()
        return version
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's names, with the lazily loaded scheme modules (PEP 562)."""
    return sorted({*globals(), *_LAZY_MODULES})
