"""Each check `bash .ci/run` makes catches a violation planted in a temporary folder.

The same configuration (pyproject.toml) and the same rules (tests/architecture_rules.py) the run applies to
workbench/ are applied to a small package written here with exactly one fault.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.architecture_rules import import_cycles, import_graph, layer_violations

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"


def plant(root: Path, files: dict[str, str]) -> Path:
    """A package `workbench` under root with the given modules (path → source); returns the package."""
    package = root / "workbench"
    for relative, source in files.items():
        path = package / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        for folder in (path.parent, *path.parent.parents):
            if folder == root:
                break
            (folder / "__init__.py").touch()
        path.write_text(source, encoding="utf-8")
    return package


def run_tool(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a check as .ci/run does. mypy runs without its cache: a planted edit of the same size written
    within the cache's timestamp resolution would otherwise be read as unchanged."""
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_mypy_refuses_a_type_error_and_passes_the_same_code_typed_right(tmp_path: Path) -> None:
    shutil.copy(PYPROJECT, tmp_path / "pyproject.toml")
    plant(tmp_path, {"domain/typed.py": "def total(values: list[int]) -> int:\n    return sum(values)\n"})
    assert run_tool("mypy", "--no-incremental", cwd=tmp_path).returncode == 0
    plant(tmp_path, {"domain/typed.py": "def total(values: list[int]) -> str:\n    return sum(values)\n"})
    checked = run_tool("mypy", "--no-incremental", cwd=tmp_path)
    assert checked.returncode == 1 and "Incompatible return value type" in checked.stdout, checked.stdout


def test_mypy_is_strict_outside_ui_only(tmp_path: Path) -> None:
    shutil.copy(PYPROJECT, tmp_path / "pyproject.toml")
    untyped = "def shown(value):\n    return value\n"
    plant(tmp_path, {"ui/page.py": untyped})
    assert run_tool("mypy", "--no-incremental", cwd=tmp_path).returncode == 0
    plant(tmp_path, {"services/page.py": untyped})
    checked = run_tool("mypy", "--no-incremental", cwd=tmp_path)
    assert checked.returncode == 1 and "missing a type annotation" in checked.stdout, checked.stdout


@pytest.mark.parametrize(("layer_file", "source", "expected"), [
    ("domain/rules.py", "from workbench.store.tables import Finding\n", "domain/rules.py imports workbench.store"),
    ("ui/page.py", "from workbench.store.workspace import Workspace\n", "ui/page.py imports workbench.store"),
    ("ui/page.py", "def f():\n    from workbench.signing import sign\n", "ui/page.py imports workbench.signing.sign"),
    ("catalogs/convert.py", "import workbench.services.records\n", "catalogs/convert.py imports workbench.services"),
    ("services/work.py", "from PySide6.QtCore import QObject\n", "only workbench/ui may import Qt"),
])
def test_a_layer_violation_is_caught(tmp_path: Path, layer_file: str, source: str, expected: str) -> None:
    package = plant(tmp_path, {"store/tables.py": "Finding = 1\n", "store/workspace.py": "Workspace = 1\n",
                               "signing/sign.py": "", "services/records.py": "", layer_file: source})
    problems = layer_violations(package)
    assert len(problems) == 1 and expected in problems[0], problems


def test_a_type_only_import_of_the_data_layer_is_allowed_in_ui(tmp_path: Path) -> None:
    source = ("from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
              "    from workbench.store.workspace import Workspace\n")
    package = plant(tmp_path, {"store/workspace.py": "Workspace = 1\n", "ui/page.py": source})
    assert layer_violations(package) == []


def test_an_import_cycle_is_caught_even_through_a_function_level_import(tmp_path: Path) -> None:
    package = plant(tmp_path, {"cli/commands.py": "def export():\n    from workbench.cli import frameworks\n",
                               "cli/frameworks.py": "from workbench.cli.commands import export\n",
                               "cli/workspace.py": ""})
    assert import_cycles(import_graph(package)) == [["workbench.cli.commands", "workbench.cli.frameworks"]]
    (package / "cli" / "frameworks.py").write_text("from workbench.cli.workspace import *\n", encoding="utf-8")
    assert import_cycles(import_graph(package)) == []


def test_ruff_refuses_a_function_more_complex_than_15(tmp_path: Path) -> None:
    shutil.copy(PYPROJECT, tmp_path / "pyproject.toml")
    branches = "".join(f"    if value == {n}:\n        return {n}\n" for n in range(14))
    plant(tmp_path, {"domain/branches.py": f"def pick(value: int) -> int:\n{branches}    return -1\n"})
    assert run_tool("ruff", "check", ".", cwd=tmp_path).returncode == 0  # 15 paths: at the limit
    plant(tmp_path, {"domain/branches.py": f"def pick(value: int) -> int:\n{branches}"
                                           "    if value == 14:\n        return 14\n    return -1\n"})
    checked = run_tool("ruff", "check", ".", cwd=tmp_path)
    assert checked.returncode == 1 and "C901" in checked.stdout and "(16 > 15)" in checked.stdout, checked.stdout
