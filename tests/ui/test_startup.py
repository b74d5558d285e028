"""Start-up: the first frame already lists the engagements and answers input while the workspace opens in a
worker; an engagement asked for meanwhile opens as soon as the workspace is ready. Never a black window."""

from __future__ import annotations

import logging
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import SAMPLES
from workbench.services.library import summaries_at
from workbench.services.packages import import_package
from workbench.store.workspace import Workspace
from workbench.ui.welcome import SHOWN_KEY


@pytest.fixture
def samples_db(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    path = tmp_path / "start.db"
    with Workspace(path) as ws:
        uids = {package.stem: import_package(ws, package, untrusted=True)  # samples: signed by no one trusted
                for package in sorted(SAMPLES.glob("*.mlaudit"))}
    return path, uids


@pytest.fixture
def held_open(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Opening the workspace (in the worker) waits until the test sets this event: the frames before are seen."""
    release = threading.Event()
    original = Workspace.open

    def slow_open(self: Workspace) -> Workspace:
        if threading.current_thread() is not threading.main_thread():
            release.wait(30)
        return original(self)

    monkeypatch.setattr(Workspace, "open", slow_open)
    return release


@pytest.fixture
def app_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """run_app's QSettings() and log file land in the test's folder; its handlers are put back after."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("WORKBENCH_LOG_DIR", str(tmp_path / "log"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    settings = QSettings()
    settings.setValue(SHOWN_KEY, True)  # a returning auditor: no welcome page
    settings.remove("session/last_engagement")
    yield
    for window in QApplication.topLevelWidgets():  # run_app's window outlives its event loop: not the next test's
        if window.objectName() == "mainWindow":
            window.hide()  # hidden, not closed: closing the last window would post another quit
            window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    for handler in list(logging.getLogger().handlers):
        if isinstance(handler, RotatingFileHandler):
            logging.getLogger().removeHandler(handler)
            handler.close()


def painted(image: QImage) -> dict[str, float]:
    """How much of the image is ink, and how light it is on average (a black or empty window fails both)."""
    small = image.scaled(200, 120, Qt.AspectRatioMode.IgnoreAspectRatio).convertToFormat(QImage.Format.Format_RGB32)
    colours, light = set(), 0.0
    for y in range(small.height()):
        for x in range(small.width()):
            colour = small.pixelColor(x, y)
            colours.add(colour.rgb())
            light += colour.lightnessF()
    return {"colours": len(colours), "lightness": light / (small.width() * small.height())}


def main_window() -> Any:
    return next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow" and w.isVisible())


def test_the_first_frame_lists_the_engagements_and_answers_input_while_the_workspace_opens(
        qtbot, samples_db, held_open, app_settings) -> None:
    from workbench.ui.app import run_app

    path, uids = samples_db
    seen: dict[str, Any] = {}

    def first_turn() -> None:  # the first turn of the event loop after the window was shown
        window = main_window()
        seen["opening"] = window.ws is None
        seen["first frame"] = painted(window.grab().toImage())
        library = window.library
        seen["clients"] = library.tree.topLevelItemCount()
        library.search.setText("brightpath")  # answers input: typing filters at once
        seen["filtered"] = [library.tree.topLevelItem(i).child(0).text(0)
                            for i in range(library.tree.topLevelItemCount())]
        seen["new enabled"] = library.buttons["new"].isEnabled()
        library.buttons["open"].click()  # asked for before the workspace is open: it opens once it is
        seen["still opening"] = window.ws is None and window.view is None
        held_open.set()
        qtbot.waitUntil(lambda: window.view is not None, timeout=60_000)
        seen["opened"] = window.session.uid
        seen["engagement frame"] = painted(window.grab().toImage())
        QApplication.instance().exit(0)  # not quit(): its event, handled after exec returns, stops every later loop

    QTimer.singleShot(0, first_turn)
    assert run_app(path) == 0
    assert seen["opening"] and seen["clients"] == 3
    assert seen["first frame"]["colours"] > 20 and seen["first frame"]["lightness"] > 0.5, seen["first frame"]
    assert seen["filtered"] == ["BPM-2026-01"] and not seen["new enabled"]
    assert seen["still opening"] and seen["opened"] == uids["early-stage"]
    assert seen["engagement frame"]["colours"] > 20 and seen["engagement frame"]["lightness"] > 0.5


def test_the_first_frame_lists_what_the_services_list(samples_db) -> None:
    from workbench.services.engagements import list_engagements

    path, _uids = samples_db
    with Workspace(path) as ws:
        assert summaries_at(path) == list_engagements(ws)


def test_without_an_up_to_date_workspace_the_first_frame_says_it_is_opening(tmp_path: Path) -> None:
    assert summaries_at(tmp_path / "none-yet.db") is None
    foreign = tmp_path / "notes.db"
    foreign.write_text("not a database", encoding="utf-8")
    assert summaries_at(foreign) is None  # the workspace's own opening says what is wrong


def test_the_last_engagement_reopens_after_the_library_was_shown(qtbot, samples_db, app_settings) -> None:
    from workbench.ui.app import run_app

    path, uids = samples_db
    QSettings().setValue("session/last_engagement", uids["driftguard"])
    seen: dict[str, Any] = {}

    def reopened() -> None:
        window = main_window()
        seen["library first"] = window.library.tree.topLevelItemCount()
        qtbot.waitUntil(lambda: window.view is not None, timeout=60_000)
        seen["opened"] = window.session.uid
        QApplication.instance().exit(0)

    QTimer.singleShot(0, reopened)
    assert run_app(path) == 0
    assert seen == {"library first": 3, "opened": uids["driftguard"]}
