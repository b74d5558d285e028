"""The desktop app on a team server's workspace: it opens through the same call as a file's, shows the server
(never a password) in the status bar, and the library and an engagement's pages read from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from tests.helpers.pg_cluster import Cluster, available

pytestmark = pytest.mark.skipif(not available(), reason="PostgreSQL's initdb/pg_ctl are not installed")
SAMPLES = Path(__file__).resolve().parents[2] / "sample_audits"


def test_the_window_opens_a_server_workspace(qtbot, pg_cluster: Cluster, tmp_path: Path) -> None:
    from workbench.services import workspaces
    from workbench.services.library import summaries_at
    from workbench.services.packages import import_package
    from workbench.ui.main_window import MainWindow

    name = pg_cluster.fresh_database()
    url = pg_cluster.url(name).replace("postgres@", "postgres:secret@")  # trust auth: the password is not checked
    try:
        assert summaries_at(url) is None  # no file to read before opening: the library fills once it is open
        workspaces.unlock_if_locked(url, None)  # nothing to unlock on a server
        ws = workspaces.open_workspace(url)
        try:
            uid = import_package(ws, SAMPLES / "driftguard.mlaudit", untrusted=True)
            window = MainWindow(None, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
            qtbot.addWidget(window)
            window.attach_workspace(ws)
            message = window.statusBar().currentMessage()
            assert message.startswith("Workspace: postgresql://postgres:***@/") and "secret" not in message
            assert [s.uid for s in window.library.summaries] == [uid]
            window.open_engagement(uid)
            assert window.windowTitle().startswith("DGA-2026-01")
        finally:
            ws.close()
    finally:
        pg_cluster.drop(name)
