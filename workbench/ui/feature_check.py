"""PySide6 asks of every module imported after it whether it uses PySide (for its `__feature__` switches): it
reads the module's source with inspect.getsource and looks for "PySide6". The app imports some 700 modules after
Qt (the database layer, matplotlib, the services), and that look costs a few tenths of a second of the start and
of reopening an engagement. The same question answered from the file's bytes costs a fraction of it; the answer
is the same. A PySide6 without that check is left alone.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

import PySide6.QtCore  # noqa: F401  (loads shibokensupport.feature, whose check is replaced here)

FEATURE_MODULE = "shibokensupport.feature"


def quicker_feature_check() -> bool:
    """Answer PySide's "does this module use PySide?" from the module's file; True if installed now."""
    feature = sys.modules.get(FEATURE_MODULE)
    original: Any = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None or getattr(original, "reads_bytes", False):
        return False

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return bool(original(module))  # a built-in, compiled or zipped module: as PySide itself decides

    uses_pyside.reads_bytes = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    return True
