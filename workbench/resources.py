"""Where the bundled resources live (source tree, installed package or frozen app).

Every lookup of resources/ and sample_audits/ goes through here, so the three ways the workbench runs
find the same files:
- a PyInstaller bundle: `sys._MEIPASS/resources` and `sys._MEIPASS/sample_audits` (installer/workbench.spec);
- a source checkout or editable install: the repository's top-level folders;
- a regular (non-editable) install: the wheel's data files under `<prefix>/share/workbench/`
  (pyproject.toml [tool.setuptools.data-files]), whether into a venv, --user, --prefix or the system.
WORKBENCH_RESOURCES overrides the resources folder (tests, a firm's customised frameworks).
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def _data_root() -> Path:
    """The folder that holds resources/ and sample_audits/ side by side."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    if (_SOURCE_ROOT / "resources").is_dir():
        return _SOURCE_ROOT
    # the install prefix: <prefix>/lib/python3.X/site-packages/workbench (POSIX) or <prefix>/Lib/site-packages/...
    here = Path(__file__).resolve().parents
    for prefix in [here[i] for i in (4, 3) if i < len(here)] + [Path(sysconfig.get_path("data")), Path(sys.prefix)]:
        installed = prefix / "share" / "workbench"
        if (installed / "resources").is_dir():
            return installed
    return _SOURCE_ROOT  # nothing found: messages then name the expected source-tree location


def resources_dir() -> Path:
    override = os.environ.get("WORKBENCH_RESOURCES")
    if override:
        return Path(override)
    return _data_root() / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def sample_audits_dir() -> Path:
    """The sample engagement packages (*.mlaudit) shipped with the workbench."""
    return _data_root() / "sample_audits"
