"""The desktop app's first frame comes before the heavy libraries: when the main window is shown, the GUI thread
has imported neither the database layer (SQLAlchemy, SQLModel), nor the cryptography libraries, nor the report
modules; the workspace opens in a worker, started once that frame is painted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.store.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from workbench.ui.app import make_application

app = make_application()
seen = {}

class Shown(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Show and watched.objectName() == "mainWindow" and not seen:
            seen["modules"] = sorted(sys.modules)
            seen["library rows"] = len(watched.library.summaries or [])
            seen["opening"] = watched.ws is None
            QTimer.singleShot(0, lambda: QApplication.instance().exit(0))
        return False

watcher = Shown()
app.installEventFilter(watcher)
from workbench.cli import main
main(["--db", sys.argv[1]])
print(json.dumps(seen))
"""
HEAVY = ("sqlalchemy", "sqlmodel", "cryptography", "keyring", "matplotlib", "reportlab", "pyhanko", "yaml",
         "workbench.reports.data", "workbench.services.signatures", "workbench.store.workspace")


def start_workspace(tmp_path: Path) -> Path:
    path = tmp_path / "start.db"
    with Workspace(path) as ws:
        from workbench.services.engagements import create_engagement

        create_engagement(ws, client="Import Bank", title="Start-up")
    return path


def modules_at_first_show(path: Path, tmp_path: Path, **environment: str) -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_PLAIN_WORKSPACE": "1",
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "WORKBENCH_LOG_DIR": str(tmp_path / "log"), "WORKBENCH_PREFERENCES": str(tmp_path / "preferences.json"),
           **environment}
    done = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["library rows"] == 1 and seen["opening"]
    return list(seen["modules"])


def test_the_window_shows_before_the_database_layer_and_the_cryptography_load(tmp_path: Path) -> None:
    modules = modules_at_first_show(start_workspace(tmp_path), tmp_path)
    loaded = [name for name in modules if name.split(".")[0] in HEAVY or name in HEAVY]
    assert loaded == [], loaded


@pytest.mark.parametrize("plain_by_choice", ["1", ""])
def test_on_an_encrypted_workspace_only_the_keychain_loads_before_the_window(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plain_by_choice: str) -> None:
    """Its key comes from the keychain (keyring) and its rows through SQLCipher; nothing else heavy, neither
    the passphrase prompting and signing machinery nor the cryptography library (no key is unwrapped), with or
    without WORKBENCH_PLAIN_WORKSPACE (the auditor's own start asks services.encryption about the file)."""
    from bench import keychain
    from workbench.services.encryption import encrypt_workspace

    monkeypatch.setenv("WORKBENCH_BENCH_KEYCHAIN", str(tmp_path / "keychain.json"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "")  # put back after the test: use() sets it
    keychain.use()  # a keychain the app's process shares (a file)
    path = start_workspace(tmp_path)
    encrypt_workspace(path, "a long workspace passphrase", scrypt_n=2**10)
    modules = modules_at_first_show(path, tmp_path, PYTHONPATH=str(ROOT), WORKBENCH_PLAIN_WORKSPACE=plain_by_choice)
    assert "sqlcipher3" in modules and "keyring" in modules
    heavy = set(HEAVY) - {"keyring"}
    loaded = [name for name in modules if name.split(".")[0] in heavy or name in heavy]
    assert loaded == [], loaded
