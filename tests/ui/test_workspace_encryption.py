"""Encryption in the desktop app: the new-workspace question (passphrase twice, its strength in words, a
visible way out), the offer to encrypt a plain workspace ("Not now" remembered per workspace) and
Tools › Encrypt workspace…, which leaves the open workspace encrypted and working."""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from tests.helpers import file_hash
from workbench.services.engagements import create_engagement, list_engagements
from workbench.store.keys import is_encrypted, key_file
from workbench.store.workspace import Workspace
from workbench.ui import workspace_encryption as we
from workbench.ui.workspace_encryption import ENCRYPT, PLAIN, ProtectDialog, prepare_workspace

PASSPHRASE = "a long workspace passphrase"
SHOTS = Path(__file__).resolve().parents[2] / "bench" / "out" / "screens"


@pytest.fixture(autouse=True)
def encrypted_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default of a real installation, not the suite's plain workspaces."""
    monkeypatch.delenv("WORKBENCH_PLAIN_WORKSPACE")


def answer(monkeypatch: pytest.MonkeyPatch, choice: str, passphrase: str = PASSPHRASE) -> list[str]:
    """The ProtectDialog's answer, without showing it; the modes asked are recorded."""
    modes: list[str] = []

    def ask(_path: Path, mode: str, _parent: object) -> tuple[str, str]:
        modes.append(mode)
        return choice, passphrase

    monkeypatch.setattr(we, "ask", ask)
    return modes


def plain_workspace(path: Path) -> Path:
    with Workspace(path) as ws:
        create_engagement(ws, client="Acme Analytics", title="Platform audit")
    return path


def test_the_dialog_says_how_strong_the_passphrase_is_and_refuses_a_short_or_unequal_one(qtbot, tmp_path: Path
                                                                                         ) -> None:
    dialog = ProtectDialog(tmp_path / "workspace.db", "new")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.way_out is not None and dialog.way_out.text() == "Create without encryption"
    assert dialog.way_out.isVisible()
    dialog.field.setText("abc")
    assert dialog.hint.text().startswith("Too short")
    dialog.encrypt_button.click()
    assert dialog.isVisible() and dialog.problem.text().startswith("Too short")
    dialog.field.setText("password1")
    assert dialog.hint.text().startswith("Weak")
    dialog.field.setText(PASSPHRASE)
    dialog.repeat.setText("a long workspace")
    assert dialog.hint.text().startswith("Strong") and "differ" in dialog.hint.text()
    dialog.encrypt_button.click()
    assert dialog.isVisible() and dialog.problem.text() == "The two passphrases differ."
    dialog.repeat.setText(PASSPHRASE)
    assert dialog.problem.text() == ""  # what was wrong before is no longer said
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "protect-new-workspace.png"))
    dialog.encrypt_button.click()
    assert not dialog.isVisible() and dialog.choice == ENCRYPT and dialog.passphrase() == PASSPHRASE


def test_the_way_out_is_a_choice_of_its_own(qtbot, tmp_path: Path) -> None:
    dialog = ProtectDialog(tmp_path / "workspace.db", "offer")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.grab().save(str(SHOTS / "protect-offer.png")) if SHOTS.is_dir() else None
    assert dialog.way_out is not None and dialog.way_out.text() == "Not now"
    dialog.way_out.click()
    assert dialog.choice == PLAIN and not dialog.isVisible()
    menu = ProtectDialog(tmp_path / "workspace.db", "menu")
    qtbot.addWidget(menu)
    assert menu.way_out is None  # the menu command is cancelled with Cancel


def test_a_new_workspace_is_created_encrypted(qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              settings: QSettings) -> None:
    modes = answer(monkeypatch, ENCRYPT)
    path = tmp_path / "data" / "workspace.db"
    assert prepare_workspace(path, settings)
    assert modes == ["new"] and is_encrypted(path) and key_file(path).is_file()
    with Workspace(path) as ws:  # the key is unlocked for the session
        create_engagement(ws, client="Confidential Client Ltd", title="Audit")
    assert b"Confidential Client" not in path.read_bytes()
    assert prepare_workspace(path, settings) and modes == ["new"]  # encrypted: nothing more to ask


@pytest.mark.parametrize(("choice", "starts"), [(PLAIN, True), ("cancel", False)])
def test_without_encryption_or_cancelled_nothing_is_created_yet(qapp: object, tmp_path: Path, settings: QSettings,
                                                                monkeypatch: pytest.MonkeyPatch, choice: str,
                                                                starts: bool) -> None:
    answer(monkeypatch, choice)
    path = tmp_path / "data" / "workspace.db"
    assert prepare_workspace(path, settings) is starts
    assert not path.exists()  # PLAIN: the app's own opening creates it, as before


def test_run_app_cancelled_at_the_question_starts_nothing(qapp: object, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.ui.app import run_app

    answer(monkeypatch, "cancel")
    monkeypatch.setenv("WORKBENCH_LOG_DIR", str(tmp_path / "log"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    path = tmp_path / "data" / "workspace.db"
    try:
        assert run_app(path) == 2
    finally:
        for handler in list(logging.getLogger().handlers):  # run_app's log file is this test's only
            if isinstance(handler, RotatingFileHandler):
                logging.getLogger().removeHandler(handler)
                handler.close()
    assert not path.exists()


def test_a_plain_workspace_is_offered_encryption_until_not_now(qapp: object, tmp_path: Path, settings: QSettings,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = plain_workspace(tmp_path / "workspace.db")
    other = plain_workspace(tmp_path / "other.db")
    modes = answer(monkeypatch, PLAIN)
    digest = file_hash(path)
    assert prepare_workspace(path, settings) and modes == ["offer"]
    assert file_hash(path) == digest and not is_encrypted(path)
    assert prepare_workspace(path, settings) and modes == ["offer"]  # "Not now" is remembered for this one
    modes = answer(monkeypatch, ENCRYPT)
    assert prepare_workspace(other, settings) and modes == ["offer"]  # not for another workspace
    assert is_encrypted(other)
    with Workspace(other) as ws:
        assert [e.client for e in list_engagements(ws)] == ["Acme Analytics"]


def test_encrypt_workspace_from_the_menu(qtbot, tmp_path: Path, settings: QSettings,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.ui.main_window import MainWindow

    ws = Workspace(plain_workspace(tmp_path / "workspace.db")).open()
    try:
        window = MainWindow(ws, settings)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        window.open_engagement(list_engagements(ws)[0].uid)
        assert window.encrypt_action.isEnabled()
        modes = answer(monkeypatch, ENCRYPT)
        window.encrypt_action.trigger()
        assert modes == ["menu"] and is_encrypted(ws.path)
        assert not window.encrypt_action.isEnabled()
        assert window.view is None and window.library.shown_uids()  # back in the library, which reads it
        create_engagement(ws, client="Second Client", title="Second audit")  # the same workspace, writable
        assert len(list_engagements(ws)) == 2
        assert b"Second Client" not in ws.path.read_bytes()
    finally:
        ws.close()
