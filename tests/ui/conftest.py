"""GUI fixtures: a workspace holding a sample engagement, a session on it, a main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

SAMPLES = Path(__file__).resolve().parents[2] / "sample_audits"


@pytest.fixture(autouse=True)
def no_personal_identities(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Signing identities come from a folder of the test's own, never from the user's real one."""
    folder = tmp_path / "data" / "identities"  # where tests/signing's identities_home puts them too
    monkeypatch.setenv("WORKBENCH_IDENTITIES", str(folder))
    return folder


@pytest.fixture
def sample_ws(tmp_path: Path):
    from workbench.services.packages import import_package
    from workbench.store.workspace import Workspace

    ws = Workspace(tmp_path / "ui.db").open()
    ws.sample_uid = import_package(ws, SAMPLES / "driftguard.mlaudit", untrusted=True)  # type: ignore[attr-defined]
    yield ws
    ws.close()


@pytest.fixture
def session(qtbot, sample_ws):
    from workbench.ui.session import EngagementSession

    return EngagementSession(sample_ws, sample_ws.sample_uid)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, sample_ws, settings):
    from workbench.ui.main_window import MainWindow

    win = MainWindow(sample_ws, settings)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.open_engagement(sample_ws.sample_uid)
    return win
