"""Project-wide rules: the layer boundaries of DESIGN §2 and the size of modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "workbench"
QT_MODULES = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "matplotlib.backends.backend_qtagg")
NOT_FROM = {
    "domain": ("workbench.store", "workbench.services", "workbench.ui", "workbench.reports", "workbench.charts",
               "workbench.signing", "sqlmodel", "sqlalchemy"),
    "store": ("workbench.services", "workbench.ui", "workbench.reports"),
    "services": ("workbench.ui",),
    "charts": ("workbench.ui", "workbench.services", "workbench.store"),
    "reports": ("workbench.ui",),
    "signing": ("workbench.ui",),
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def python_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("path", python_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_ui_imports_qt(path: Path) -> None:
    if "ui" in path.relative_to(PACKAGE).parts:
        return
    bad = [name for name in imports_of(path) if name.startswith(QT_MODULES)]
    assert not bad, f"{path.name} imports {bad}; only workbench/ui may import Qt"


@pytest.mark.parametrize("layer", sorted(NOT_FROM))
def test_layers_point_one_way(layer: str) -> None:
    for path in (PACKAGE / layer).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        bad = [name for name in imports_of(path) if name.startswith(NOT_FROM[layer])]
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_no_module_is_far_too_long() -> None:
    long = [f"{p.relative_to(PACKAGE)} ({n} lines)" for p in python_files()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 800]
    assert not long, long


def test_the_command_line_reaches_the_workspace_through_one_opener() -> None:
    """Only cli/workspace.py imports the database layer; every command opens the workspace through it."""
    cli = PACKAGE / "cli"
    assert (cli / "__init__.py").is_file(), "the command line is the package workbench/cli"
    assert not list(PACKAGE.glob("cli*.py")), "no command-line modules outside workbench/cli"
    for path in sorted(cli.glob("*.py")):
        if path.name == "workspace.py":
            continue
        bad = [name for name in imports_of(path) if name.startswith("workbench.store")]
        assert not bad, f"cli/{path.name} imports {bad}; open the workspace with cli.workspace.open_workspace"
        assert "Workspace(" not in path.read_text(encoding="utf-8"), f"cli/{path.name} builds a Workspace itself"
