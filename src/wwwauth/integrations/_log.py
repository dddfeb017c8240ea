"""The integrations' logger, and how a failure is named in it (never its message)."""

from __future__ import annotations

import logging
import traceback
from typing import Final

# Exceptions, and refusals the developer should hear about, go here (never a credential).
logger: Final = logging.getLogger("wwwauth.integrations")


def where(exc: BaseException) -> str:
    """Where ``exc`` was raised, as ``file:line in function`` (never its message)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "an unknown place"
    last = frames[-1]
    return f"{last.filename}:{last.lineno} in {last.name}"
