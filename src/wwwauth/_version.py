"""The installed distribution's version, read from its metadata (``wwwauth.__version__``).

``wwwauth/__init__.py`` calls :func:`installed_version` from its module ``__getattr__`` the
first time ``wwwauth.__version__`` is read, so ``import wwwauth`` never imports
:mod:`importlib.metadata`.
"""

from __future__ import annotations

from importlib import metadata

DISTRIBUTION = "pywwwauth"
"""The name on the package index (the import name ``wwwauth`` there is another project's)."""

UNKNOWN_VERSION = "0+unknown"
"""The version when no ``pywwwauth`` distribution is installed (a bare source tree on the
path): a valid PEP 440 version that sorts before every release."""


def installed_version() -> str:
    """The version of the installed ``pywwwauth`` distribution.

    Returns:
        Its ``Version`` metadata, or :data:`UNKNOWN_VERSION` when none is installed.

    Example:
        >>> import wwwauth
        >>> wwwauth.__version__ == installed_version()
        True
    """
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return UNKNOWN_VERSION
