"""``python -m wwwauth``: the command line of :mod:`wwwauth.cli`."""

from __future__ import annotations

from .cli import main

raise SystemExit(main())
