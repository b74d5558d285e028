"""The layer rules and the import-cycle check, as functions of a source folder.

tests/test_architecture.py applies them to workbench/; tests/test_ci_checks.py plants a violation in a
temporary copy and shows each rule catches it. Imports under `if TYPE_CHECKING:` never run, so they count
as type references only: they may name any layer and do not make cycles.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

QT_MODULES = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "matplotlib.backends.backend_qtagg")
DATA_ACCESS = ("workbench.store", "workbench.signing", "workbench.services.unit", "sqlmodel", "sqlalchemy")

# package → module prefixes its code may not import when it runs
NOT_FROM: dict[str, tuple[str, ...]] = {
    "domain": ("workbench.store", "workbench.services", "workbench.ui", "workbench.reports", "workbench.charts",
               "workbench.signing", "workbench.catalogs", "workbench.cli", "sqlmodel", "sqlalchemy"),
    "catalogs": ("workbench.store", "workbench.services", "workbench.ui", "workbench.reports", "workbench.charts",
                 "workbench.signing", "workbench.cli", "sqlmodel", "sqlalchemy"),
    "store": ("workbench.services", "workbench.ui", "workbench.reports", "workbench.cli"),
    "services": ("workbench.ui", "workbench.cli"),
    "charts": ("workbench.ui", "workbench.services", "workbench.store", "workbench.cli"),
    "reports": ("workbench.ui", "workbench.cli"),
    "signing": ("workbench.ui", "workbench.cli"),
    # the GUI reaches data only through services/ (its types may be named under TYPE_CHECKING)
    "ui": (*DATA_ACCESS, "workbench.cli"),
    # files and faults: used by every layer that writes a file, so it may use none of them
    "fs": ("workbench.store", "workbench.services", "workbench.ui", "workbench.reports", "workbench.charts",
           "workbench.signing", "workbench.catalogs", "workbench.cli", "sqlmodel", "sqlalchemy"),
}


@dataclass(frozen=True)
class Imported:
    module: str  # absolute dotted name
    typing_only: bool  # under `if TYPE_CHECKING:`


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(nodes: Iterable[ast.stmt | ast.AST], typing_only: bool) -> Iterator[tuple[ast.AST, bool]]:
    for node in nodes:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _walk(node.body, True)
            yield from _walk(node.orelse, typing_only)
            continue
        yield node, typing_only
        yield from _walk(ast.iter_child_nodes(node), typing_only)


def _resolve(module: str | None, level: int, name: str) -> str:
    """The absolute name of a relative import made in module `name`."""
    if level == 0:
        return module or ""
    base = name.split(".")[:-level]
    return ".".join([*base, module] if module else base)


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path) -> list[Imported]:
    """Every module a file imports: `from a import b` is `a.b` when b is a module under root, else `a`."""
    name = module_name(path, root)
    found: list[Imported] = []
    for node, typing_only in _walk(ast.parse(path.read_text(encoding="utf-8")).body, False):
        if isinstance(node, ast.Import):
            found += [Imported(alias.name, typing_only) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node.module, node.level, name if path.name != "__init__.py" else name + ".x")
            children = [f"{base}.{alias.name}" for alias in node.names]
            modules = [child for child in children if _module_path(child, root) is not None]
            found += [Imported(child, typing_only) for child in modules]
            if len(modules) < len(children):  # names defined in `base` itself
                found.append(Imported(base, typing_only))
    return found


def _module_path(name: str, root: Path) -> Path | None:
    parts = name.split(".")
    if parts[0] != root.name:
        return None
    base = root.parent.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def source_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "migrations" not in p.relative_to(root).parts)


def layer_violations(root: Path) -> list[str]:
    """'layer/file.py imports X' for every runtime import a layer rule forbids, and Qt outside ui/."""
    problems = []
    for path in source_files(root):
        relative = path.relative_to(root)
        layer = relative.parts[0] if len(relative.parts) > 1 else ""
        forbidden = NOT_FROM.get(layer, ())
        for imported in imports_of(path, root):
            if imported.module.startswith(QT_MODULES) and layer != "ui" and not imported.typing_only:
                problems.append(f"{relative} imports {imported.module}: only {root.name}/ui may import Qt")
            elif imported.module.startswith(forbidden) and not imported.typing_only:
                problems.append(f"{relative} imports {imported.module}")
    return problems


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module → the modules of the package it imports at run time (at the top or inside a function)."""
    graph: dict[str, set[str]] = {}
    for path in source_files(root):
        name = module_name(path, root)
        targets = {i.module for i in imports_of(path, root) if not i.typing_only}
        graph[name] = {t for t in targets if t != name and _module_path(t, root) is not None}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each group of modules that import each other, directly or round a loop (Tarjan's components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles
