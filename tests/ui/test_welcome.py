"""The welcome page: shown on the first start only, reopened from Help, and each of its three sections works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from tests.helpers.signing import MemoryKeyring
from workbench.services.engagements import list_engagements
from workbench.services.packages import package_engagement_uid
from workbench.services.preferences import load_preferences
from workbench.services.samples import sample_packages
from workbench.signing import identities, keychain
from workbench.ui.app import ORGANISATION, SMOKE_EXIT_ENV
from workbench.ui.welcome import SHOWN_KEY, WelcomeDialog

PASSPHRASE = "correct horse battery"


@pytest.fixture(autouse=True)
def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh user profile: preferences, identities and keychain in tmp."""
    monkeypatch.setenv("WORKBENCH_PREFERENCES", str(tmp_path / "preferences.json"))
    monkeypatch.setenv("WORKBENCH_IDENTITIES", str(tmp_path / "identities"))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    keychain.reset()
    yield tmp_path
    keyring.set_keyring(previous)
    keychain.reset()


def _visible_welcome() -> list[WelcomeDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, WelcomeDialog) and w.isVisible()]


def _start_app(profile: Path) -> str:
    """One start of the desktop app exactly as `workbench` does it, in its own process on a given profile,
    quit by the smoke-test timer; returns the line naming the windows that were visible."""
    env = {**os.environ, "HOME": str(profile), "XDG_CONFIG_HOME": str(profile / "config"),
           "XDG_DATA_HOME": str(profile / "share"), "WORKBENCH_DB": str(profile / "workspace.db"),
           "WORKBENCH_LOG_DIR": str(profile / "logs"), "QT_QPA_PLATFORM": "offscreen", SMOKE_EXIT_ENV: "500"}
    done = subprocess.run([sys.executable, "-m", "workbench"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return next(line for line in done.stdout.splitlines() if line.startswith("smoke:"))


def test_welcome_shown_on_a_fresh_profile_and_not_on_the_second_start(tmp_path) -> None:
    first = _start_app(tmp_path)
    assert "mainWindow" in first and "welcomeDialog" in first
    settings = QSettings(str(tmp_path / "config" / ORGANISATION / "workbench.conf"), QSettings.Format.IniFormat)
    assert settings.value(SHOWN_KEY, False, type=bool)

    second = _start_app(tmp_path)
    assert "mainWindow" in second and "welcomeDialog" not in second


def test_help_menu_reopens_the_welcome_page(window) -> None:
    window.settings.setValue(SHOWN_KEY, True)
    action = window.findChild(QAction, "welcome")
    assert action is not None and action.text() == "Welcome…"
    action.trigger()
    shown = _visible_welcome()
    assert len(shown) == 1 and shown[0].parent() is window
    shown[0].close()


def test_open_samples_imports_the_missing_ones_once_and_opens_driftguard(qtbot, window, sample_ws) -> None:
    dialog = window.show_welcome()
    qtbot.mouseClick(dialog.samples_button, Qt.MouseButton.LeftButton)
    driftguard = next(package_engagement_uid(p) for p in sample_packages() if p.stem == "driftguard")
    qtbot.waitUntil(lambda: dialog.samples_button.isEnabled(), timeout=120000)
    assert "3 sample engagements" in dialog.samples_status.text()
    assert window.session is not None and window.session.uid == driftguard
    assert len(list_engagements(sample_ws)) == len(sample_packages()) == 3
    assert {s.uid for s in window.library.summaries} == {s.uid for s in list_engagements(sample_ws)}

    qtbot.mouseClick(dialog.samples_button, Qt.MouseButton.LeftButton)  # a second click imports nothing new
    qtbot.waitUntil(lambda: dialog.samples_button.isEnabled(), timeout=30000)
    assert len(list_engagements(sample_ws)) == 3
    dialog.close()
    again = window.show_welcome()  # the samples are there (as after `workbench demo`): open, not import
    assert again.samples_status.text() == "The sample engagements are in your library."
    assert again.samples_button.text() == "Open the DriftGuardAI sample"
    again.close()


def test_branding_is_saved_to_the_preferences_the_cli_reads(qtbot, window, profile) -> None:
    dialog = window.show_welcome()
    form = dialog.branding
    logo = Path(__file__).resolve().parents[2] / "resources" / "icons" / "workbench-128.png"
    qtbot.keyClicks(form.firm, "Northwind Assurance LLP")
    form.logo.setText(str(logo))
    form.set_accent("#2e7d32")
    form.day_rate.setValue(1450)
    form.currency.setCurrentText("gbp")
    qtbot.mouseClick(form.findChild(type(dialog.samples_button), "brandingSave"), Qt.MouseButton.LeftButton)

    saved = json.loads((profile / "preferences.json").read_text(encoding="utf-8"))
    assert saved["firm_name"] == "Northwind Assurance LLP" and saved["logo_path"] == str(logo)
    assert saved["accent_hex"] == "#2E7D32" and saved["day_rate"] == 1450 and saved["currency"] == "GBP"
    assert load_preferences().branding().logo_path == logo
    assert not form.logo_preview.pixmap().isNull()
    assert "Saved" in form.status.text()

    before = (profile / "preferences.json").read_bytes()
    form.currency.setCurrentText("EURO")
    assert form.save() is None
    assert "Currency" in form.problem.text() and (profile / "preferences.json").read_bytes() == before
    form.currency.setCurrentText("EUR")
    form.logo.setText(str(profile / "missing.png"))
    assert form.save() is None and "no logo file" in form.problem.text()
    assert (profile / "preferences.json").read_bytes() == before

    reopened = WelcomeDialog(window.ws, window)  # a later visit shows what was saved
    assert reopened.branding.firm.text() == "Northwind Assurance LLP"
    assert reopened.branding.accent_hex() == "#2E7D32" and reopened.branding.currency.currentText() == "GBP"
    for widget in (dialog, reopened):
        widget.close()


def test_create_identity_from_the_welcome_page(qtbot, window) -> None:
    dialog = window.show_welcome()
    assert dialog.identity_status.text() == "No identity yet."
    dialog.branding.firm.setText("Northwind Assurance LLP")
    create = dialog.create_identity()
    assert create.firm.text() == "Northwind Assurance LLP"  # the firm is carried over from the branding
    qtbot.keyClicks(create.name, "Ada Auditor")
    qtbot.keyClicks(create.email, "ada@example.com")
    qtbot.keyClicks(create.passphrase, PASSPHRASE)
    qtbot.keyClicks(create.repeat, "a different one")
    ok = create.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert "differ" in create.problem.text() and identities.list_identities() == []

    create.repeat.clear()
    qtbot.keyClicks(create.repeat, PASSPHRASE)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    made = identities.list_identities()
    assert [(i.name, i.email, i.firm) for i in made] == [("Ada Auditor", "ada@example.com", "Northwind Assurance LLP")]
    qtbot.waitUntil(lambda: "Signing as Ada Auditor" in dialog.identity_status.text())
    assert dialog.identity_button.text() == "Create another…"
    dialog.close()
