"""Project-wide rules: the layer boundaries of DESIGN §2 and the size of modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.architecture_rules import (
    NOT_FROM,
    import_cycles,
    import_graph,
    imports_of,
    layer_violations,
    module_name,
    source_files,
)

PACKAGE = Path(__file__).resolve().parents[1] / "workbench"


def python_files() -> list[Path]:
    return source_files(PACKAGE)


@pytest.mark.parametrize("layer", sorted(NOT_FROM))
def test_layers_point_one_way(layer: str) -> None:
    """Each package's run-time imports keep to its layer (tests/architecture_rules.NOT_FROM); Qt only in ui/."""
    bad = [problem for problem in layer_violations(PACKAGE) if problem.startswith(layer + "/")]
    assert not bad, bad


def test_only_ui_imports_qt() -> None:
    bad = [problem for problem in layer_violations(PACKAGE) if "may import Qt" in problem]
    assert not bad, bad


def test_no_module_imports_one_that_imports_it_back() -> None:
    """No import cycle over workbench/: run-time imports, inside functions too, and type-only ones."""
    graph: dict[str, set[str]] = {}
    for path in python_files():
        name = module_name(path, PACKAGE)
        graph[name] = {i.module for i in imports_of(path, PACKAGE) if i.module.startswith("workbench.")} - {name}
    assert not import_cycles(graph)
    assert not import_cycles(import_graph(PACKAGE))


def test_the_gui_names_data_layer_types_only_for_type_checking() -> None:
    """ui/ reaches data through services/: store and signing appear there only under TYPE_CHECKING."""
    for path in (PACKAGE / "ui").rglob("*.py"):
        runtime = [i.module for i in imports_of(path, PACKAGE) if not i.typing_only
                   and i.module.startswith(("workbench.store", "workbench.signing"))]
        assert not runtime, f"{path.relative_to(PACKAGE)} imports {runtime} at run time"


def test_no_module_is_far_too_long() -> None:
    long = [f"{p.relative_to(PACKAGE)} ({n} lines)" for p in python_files()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 800]
    assert not long, long


def test_the_command_line_reaches_the_workspace_through_one_opener() -> None:
    """Only cli/workspace.py imports the database layer; every command opens the workspace through it."""
    cli = PACKAGE / "cli"
    assert (cli / "__init__.py").is_file(), "the command line is the package workbench/cli"
    assert not list(PACKAGE.glob("cli*.py")), "no command-line modules outside workbench/cli"
    outside = [f"{p.relative_to(PACKAGE)}" for p in python_files()
               if "cli" not in p.relative_to(PACKAGE).parts and p.name != "__main__.py"
               and any(i.module.startswith("workbench.cli") for i in imports_of(p, PACKAGE))]
    assert not outside, f"only __main__ may start the command line: {outside}"
    for path in sorted(cli.glob("*.py")):
        if path.name == "workspace.py":
            continue
        bad = [i.module for i in imports_of(path, PACKAGE) if i.module.startswith("workbench.store")]
        assert not bad, f"cli/{path.name} imports {bad}; open the workspace with cli.workspace.open_workspace"
        assert "Workspace(" not in path.read_text(encoding="utf-8"), f"cli/{path.name} builds a Workspace itself"
