"""Tests stand alone: shared helpers live in tests/helpers or a conftest.py, never in another test module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
MODULES = sorted(p for p in TESTS.rglob("*.py") if p.name.startswith("test_") or p.parent.name != "helpers")


def imported_modules(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(TESTS)))
def test_no_module_imports_a_test_module_or_another_folders_conftest(path: Path) -> None:
    own_conftest = ".".join(["tests", *path.relative_to(TESTS).parent.parts, "conftest"])
    bad = [name for name in imported_modules(path) if name.startswith("tests.")
           and (name.rsplit(".", 1)[-1].startswith("test_") or (name.endswith("conftest") and name != own_conftest))]
    assert not bad, f"{path.relative_to(TESTS)} imports {bad}: move what it shares to tests/helpers"


def test_no_test_edits_the_import_path() -> None:
    edits = [str(p.relative_to(TESTS)) for p in TESTS.rglob("*.py")
             if p != Path(__file__).resolve() and "sys.path" in p.read_text(encoding="utf-8")]
    assert not edits, edits
