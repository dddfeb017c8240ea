"""The layout rules of ARCHITECTURE.md that a machine can check.

* No import cycle among the modules of ``wwwauth``: the graph is built from the AST of
  every module, from its module-level imports (``import``, ``from . import x``,
  ``from .x import y``), leaving out imports under ``if TYPE_CHECKING:`` and imports
  inside functions (both run only when needed, so they cannot make a cycle at import).
* No module longer than :data:`MAX_LINES` lines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import get_args

from wwwauth import _registry

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "src" / "wwwauth"
MAX_LINES = 600


def _module_name(path: Path, package_dir: Path) -> str:
    parts = path.relative_to(package_dir.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports that run when the module is imported: at module level, also inside
    ``if``/``try`` blocks, but not under ``if TYPE_CHECKING:`` and not in functions or
    classes' methods."""
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _module_level_imports(node.body)
            yield from _module_level_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from _module_level_imports(block)
            for handler in node.handlers:
                yield from _module_level_imports(handler.body)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module named by a ``from ... import`` in ``module``."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def import_graph(package_dir: Path = PACKAGE_DIR) -> dict[str, set[str]]:
    """Module -> the ``wwwauth`` modules it imports at import time."""
    paths = sorted(package_dir.rglob("*.py"))
    modules = {_module_name(path, package_dir) for path in paths}
    graph: dict[str, set[str]] = {}
    for path in paths:
        name = _module_name(path, package_dir)
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        targets: set[str] = set()
        for node in _module_level_imports(tree.body):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
                continue
            source = _resolve(name, is_package, node)
            targets.add(source)
            # `from . import x` and `from .pkg import mod` import the submodule x / mod.
            targets.update(f"{source}.{alias.name}" for alias in node.names)
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def find_cycle(graph: Mapping[str, set[str]]) -> list[str] | None:
    """One import cycle as ``[a, b, ..., a]``, or None when the graph has none.

    A package's own ``__init__`` importing its submodules is not a cycle by itself
    (Python runs the package first); an edge to a parent package is left out, since
    importing ``a.b`` has already imported ``a``.
    """
    visiting: list[str] = []
    state: dict[str, str] = {}  # "open" while on the path, "done" after

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        visiting.append(node)
        for target in sorted(graph.get(node, ())):
            if node.startswith(target + "."):
                continue  # a submodule naming its parent package
            if state.get(target) == "open":
                return [*visiting[visiting.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found is not None:
                    return found
        visiting.pop()
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found is not None:
                return found
    return None


def test_the_graph_sees_the_imports_it_should() -> None:
    graph = import_graph()
    assert "wwwauth._serialize" in graph["wwwauth.model"]
    assert "wwwauth.model" in graph["wwwauth.formatting"]
    # `from . import _abnf` counts; a TYPE_CHECKING import does not, nor does one inside
    # a function (parsing loads _lenient on first use).
    assert "wwwauth._abnf" in graph["wwwauth.model"]
    assert "wwwauth._lenient" not in graph["wwwauth.parsing"]
    assert "wwwauth.basic" not in graph["wwwauth"]


def test_no_import_cycle() -> None:
    assert find_cycle(import_graph()) is None


def test_a_cycle_is_reported_exactly() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set[str]()}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"a.b"}, "a.b": {"a"}}) is None  # package and its submodule
    assert find_cycle({"x": {"y"}, "y": set[str]()}) is None


def test_the_graph_finds_a_cycle_in_real_files(tmp_path: Path) -> None:
    package = tmp_path / "wwwauth"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "one.py").write_text("from .two import X\n")
    (package / "two.py").write_text("from . import one\nX = 1\n")
    (package / "three.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import one\n"
        "def f() -> None:\n    from . import two\n"
    )
    graph = import_graph(package)
    assert find_cycle(graph) == ["wwwauth.one", "wwwauth.two", "wwwauth.one"]
    assert graph["wwwauth.three"] == set()


def test_no_module_is_too_long() -> None:
    too_long = {
        path.relative_to(PACKAGE_DIR).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE_DIR.rglob("*.py")
        if len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES
    }
    assert too_long == {}


def test_field_names_agree() -> None:
    assert _registry.FIELD_NAMES == (
        _registry.WWW_AUTHENTICATE,
        _registry.PROXY_AUTHENTICATE,
        _registry.AUTHORIZATION,
        _registry.PROXY_AUTHORIZATION,
        _registry.AUTHENTICATION_INFO,
        _registry.PROXY_AUTHENTICATION_INFO,
    )
    # FieldName is for type checkers (typing is not imported by `import wwwauth`); at run
    # time the module builds it on first use, from the same tuple.
    assert get_args(_registry.FieldName) == _registry.FIELD_NAMES
