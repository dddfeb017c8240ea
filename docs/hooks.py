"""MkDocs hooks (mkdocs.yml ``hooks:``) for the wwwauth documentation site.

- Docstrings are written for ``help()`` and doctest (reST roles, bare ``>>>`` examples):
  a Markdown preprocessor fences each ``>>>`` example as ``pycon`` and turns a role such
  as ``:func:`verify``` into code, so they render as code and not as links or brackets.
- ``KNOWN_DOCSTRING_WARNINGS``: griffe warnings about docstrings in ``src/`` that are
  reported and tolerated; any other warning still fails ``mkdocs build --strict``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

# Markdown ships no type information (types-Markdown is not a dependency).
from markdown import Markdown  # type: ignore[import-untyped]
from markdown.extensions import Extension  # type: ignore[import-untyped]
from markdown.preprocessors import Preprocessor  # type: ignore[import-untyped]
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent

# Google style wants one parameter per line; these docstrings document several on one
# ("password, ha1, username: as for verify"). Each entry: (file, parameter text).
KNOWN_DOCSTRING_WARNINGS = (
    ("src/wwwauth/digest/__init__.py", "'password, ha1, username'"),
    ("src/wwwauth/integrations/litestar.py", "'exclude, exclude_http_methods'"),
    ("src/wwwauth/integrations/protect.py", "'authentication_info, check_nonce, max_body'"),
)

_FENCE = re.compile(r"^\s*```")  # the only fence docs and docstrings use (~~~ is a caret line)
_ROLE = re.compile(r":(?:func|meth|class|attr|mod|data|exc|obj|const):`~?([^`]+)`")


class _DocstringPreprocessor(Preprocessor):  # type: ignore[misc]
    """Fence bare ``>>>`` examples as pycon; reST roles become code spans."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        in_fence = False
        in_example = False
        for line in lines:
            if not in_example and _FENCE.match(line):
                in_fence = not in_fence
            if in_fence:
                out.append(line)
                continue
            if in_example:
                if line.strip():
                    out.append(line)
                    continue
                out.append("```")
                in_example = False
            if line.lstrip().startswith(">>>"):
                indent = line[: len(line) - len(line.lstrip())]
                out.extend(["", f"{indent}```pycon", line])
                in_example = True
                continue
            out.append(_ROLE.sub(lambda m: f"`{m.group(1).split('.')[-1]}`", line))
        if in_example:
            out.append("```")
        return out


class DocstringExtension(Extension):  # type: ignore[misc]
    """Registers the preprocessor before fenced code blocks are read."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_DocstringPreprocessor(md), "wwwauth_docstrings", 40)


class _KnownWarnings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(
            path in message and text in message for path, text in KNOWN_DOCSTRING_WARNINGS
        )


@event_priority(100)  # before mkdocstrings reads the Markdown extensions
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config.markdown_extensions.append(DocstringExtension())
    for name in ("griffe", "mkdocs.plugins.griffe", "mkdocs.plugins.mkdocstrings_handlers"):
        logging.getLogger(name).addFilter(_KnownWarnings())
    return config
