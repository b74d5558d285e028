"""GUI fixtures: a workspace holding a sample engagement, a session on it, a main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from tests.ui.windows import open_window

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
    return open_window(qtbot, sample_ws, sample_ws.sample_uid, settings)


@pytest.fixture
def server_window(qtbot, server_url: str, settings):
    """The main window on a team server (another auditor's changes arrive through its change feed), the sample
    engagement open: (window, engagement uid). Needs PostgreSQL (tests/helpers/pg_cluster.py)."""
    from workbench.services.packages import import_package
    from workbench.store.server_workspace import ServerWorkspace

    ws = ServerWorkspace(server_url, actor="Ana Lopes").open()
    uid = import_package(ws, SAMPLES / "driftguard.mlaudit", untrusted=True)
    window = open_window(qtbot, ws, uid, settings)
    yield window, uid
    window.close()
    ws.close()
