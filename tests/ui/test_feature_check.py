"""PySide's check of every imported module ("does it use PySide?") is answered from the module's file: the same
answers as PySide's own reading of the source, for modules that use Qt and modules that do not."""

from __future__ import annotations

import importlib
import json
import sys

import workbench.ui  # noqa: F401  (installs the check)
from workbench.ui.feature_check import FEATURE_MODULE, quicker_feature_check


def test_the_check_gives_pysides_answers() -> None:
    feature = sys.modules[FEATURE_MODULE]
    quick = feature._mod_uses_pyside
    assert getattr(quick, "reads_bytes", False)
    assert quicker_feature_check() is False  # installed once
    import inspect

    def by_source(module: object) -> bool:
        try:
            return "PySide6" in inspect.getsource(module)  # type: ignore[arg-type]
        except (TypeError, OSError):
            return False

    for name in ("workbench.ui.style", "workbench.ui.record_model", "workbench.domain.scoring", "json",
                 "workbench.services.records", "sys", "math"):
        module = importlib.import_module(name)
        assert quick(module) == by_source(module), name
    assert quick(importlib.import_module("workbench.ui.style")) and not quick(json)
