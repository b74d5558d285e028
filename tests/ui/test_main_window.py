"""The main window as an auditor uses it: library, new engagement, findings, undo across pages."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from tests.helpers import content_hash
from tests.helpers.qt import error_dialog, on_next_dialog
from tests.ui.conftest import SAMPLES
from workbench.charts.palette import VERDICT_HEX
from workbench.services import records


def test_library_lists_the_sample_grouped_by_client(window) -> None:
    window.show_library()
    tree = window.library.tree
    assert tree.topLevelItemCount() == 1
    client = tree.topLevelItem(0)
    assert client.text(0) == "DriftGuardAI Ltd"
    assert client.child(0).text(0) == "DGA-2026-01" and client.child(0).text(4) == "Conditional Go"
    assert client.child(0).background(4).color().name().upper() == VERDICT_HEX["Conditional Go"].upper()
    window.library.search.setText("no such client")
    assert tree.topLevelItemCount() == 0
    assert window.library.empty.isVisibleTo(window.library) and "No engagement matches" in window.library.empty.text()


def test_create_engagement_from_the_library(qtbot, window, monkeypatch) -> None:
    from workbench.ui import dialogs

    def fake_exec(dialog: QDialog) -> int:
        dialog.client.setCurrentText("Northwind Robotics")
        dialog.title_edit.setText("Fleet ML audit")
        dialog.framework.setCurrentIndex(dialog.framework.findData("aiml-infrastructure"))
        dialog.auditor.setText("Zoë Müller")
        return 1

    monkeypatch.setattr(dialogs.NewEngagementDialog, "exec", fake_exec)
    window.show_library()
    window.library.buttons["new"].click()
    assert window.session is not None
    engagement = window.session.document["engagement"]
    assert engagement["title"] == "Fleet ML audit" and engagement["lead_auditor"] == "Zoë Müller"
    assert window.session.framework.id == "aiml-infrastructure"
    assert "Fleet ML audit" in window.windowTitle()


def test_add_from_library_edit_and_filter_findings(qtbot, window) -> None:
    from workbench.services.record_library import library_entries

    window.show_step("findings")
    page = window.view.pages["findings"]
    before = len(window.session.document["findings"])
    template = next(t for t in library_entries("finding") if "drift" in t.title.lower())
    [uid] = page.library.add_from_library([template])
    assert len(window.session.document["findings"]) == before + 1
    added = next(f for f in window.session.document["findings"] if f["uid"] == uid)
    assert added["title"] == template.title and added["dimension_id"] == "MON"
    assert page.current_record()["uid"] == uid
    # edit in the form beside the table
    title = page.form.editors["title"]
    title.setText("Drift goes unnoticed for weeks")
    title.editingFinished.emit()
    stored = records.list_records(window.ws, window.session.uid, "finding")[-1]
    assert stored["title"] == "Drift goes unnoticed for weeks"
    # filters: severity and free text
    severity = page.filter_boxes["severity"]
    severity.setCurrentIndex(severity.findData("Critical"))
    shown = page.model.visible_rows()
    assert shown and all(row["severity"] == "Critical" for row in shown)
    severity.setCurrentIndex(0)
    page.search.setText("rate limiting")
    assert [row["ref"] for row in page.model.visible_rows()] == ["F-002"]
    page.search.clear()
    assert page.model.rowCount() == before + 1


def test_inline_edit_and_sorting(qtbot, window) -> None:
    window.show_step("findings")
    page = window.view.pages["findings"]
    column = page.spec.columns.index("severity")
    page.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    severities = [row["severity"] for row in page.model.visible_rows()]
    order = ["Critical", "High", "Medium", "Low", "Info"]
    assert severities == sorted(severities, key=order.index)
    index = page.model.index(0, page.spec.columns.index("owner"))
    assert page.model.setData(index, "Ada Lovelace")
    ref = page.model.row_at(0)["ref"]
    stored = {f["ref"]: f for f in records.list_records(window.ws, window.session.uid, "finding")}
    assert stored[ref]["owner"] == "Ada Lovelace"


def test_undo_and_redo_across_pages(qtbot, window) -> None:
    session = window.session
    window.show_step("findings")
    findings_page = window.view.pages["findings"]
    findings_page.add_record({"title": "Temporary finding", "severity": "Low"})
    window.show_step("models")
    models_page = window.view.pages["models"]
    models_page.add_record({"name": "shadow-model"})
    window.show_step("overview")
    undo = window.findChild(type(window.export_action), "undo")
    redo = window.findChild(type(window.export_action), "redo")
    undo.trigger()
    assert "shadow-model" not in [m["name"] for m in session.document["models"]]
    undo.trigger()
    assert "Temporary finding" not in [f["title"] for f in session.document["findings"]]
    redo.trigger()
    redo.trigger()
    assert "Temporary finding" in [f["title"] for f in session.document["findings"]]
    assert "shadow-model" in [m["name"] for m in session.document["models"]]
    from workbench.services.trail import verify_engagement

    assert verify_engagement(window.ws, session.uid).ok


def test_refused_edit_changes_nothing_and_is_not_undoable(qtbot, window) -> None:
    window.show_step("findings")
    page = window.view.pages["findings"]
    depth = window.session.undo_stack.count()
    before = content_hash(window.ws.path)
    finding = dict(page.model.row_at(0))
    index = page.model.index(0, page.spec.columns.index("due_date"))
    page.model.setData(index, "next tuesday")
    assert window.session.undo_stack.count() == depth
    assert "not a date" in window.statusBar().currentMessage()
    assert content_hash(window.ws.path) == before  # no record and no audit event written
    assert page.model.row_at(0) == finding
    assert next(f for f in window.session.document["findings"] if f["uid"] == finding["uid"]) == finding


def test_delete_and_undo_restores_same_record(qtbot, window) -> None:
    window.show_step("models")
    page = window.view.pages["models"]
    first = page.model.row_at(0)
    page.select(first["uid"])  # (selectRow would toggle if an earlier test's key click left Ctrl "held")
    page.delete_selected()
    assert first["uid"] not in [m["uid"] for m in window.session.document["models"]]
    window.session.undo_stack.undo()
    restored = next(m for m in window.session.document["models"] if m["uid"] == first["uid"])
    assert restored == first


def test_step_list_shows_completeness(window) -> None:
    """Every step shows its summary, its warnings and whether it is complete, as services.progress says."""
    from workbench.ui.step_list import DONE_ROLE, STATUS_ROLE, WARN_ROLE

    steps = window.view.steps
    progress = window.session.progress
    assert steps.count() == len(progress.steps)
    for row, step in enumerate(progress.steps):
        item = steps.item(row)
        assert item.data(STATUS_ROLE) == step.summary and step.summary in item.toolTip()
        assert all(warning in item.toolTip() for warning in step.warnings)
        assert item.data(WARN_ROLE) == (step.warnings[0] if step.warnings else "")
        assert item.data(DONE_ROLE) == step.complete
    tips = {steps.item(i).text(): steps.item(i).toolTip() for i in range(steps.count())}
    assert "20 findings" in tips["Findings"]
    assert any(step.complete for step in progress.steps) and not all(step.complete for step in progress.steps)


def test_settings_remember_geometry_and_last_engagement(qtbot, window, settings) -> None:
    from workbench.ui.main_window import MainWindow

    window.resize(1000, 700)  # (the offscreen screen is small: a wider window would be fitted to it on restore)
    window.close()
    assert settings.value("session/last_engagement") == window.ws.sample_uid
    again = MainWindow(window.ws, settings)  # the next start, with the same settings
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (1000, 700)  # not the first-start default, 1366 × 768
    again.attach_workspace(window.ws, str(settings.value("session/last_engagement")))  # as app.run_app does
    assert again.session is not None and again.session.uid == window.ws.sample_uid


def test_sorting_and_filtering_keep_the_selected_record(qtbot, window) -> None:
    """After a sort the highlighted row, the form and the next edit all stay on the same finding."""
    window.show_step("findings")
    page = window.view.pages["findings"]
    target = next(f for f in window.session.document["findings"] if f["ref"] == "F-005")
    page.select(target["uid"])
    header = page.table.horizontalHeader()
    title_column = page.spec.columns.index("title")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(title_column) + 5, 5))
    titles = [row["title"] for row in page.model.visible_rows()]
    assert titles == sorted(titles, key=str.casefold)
    assert page.current_record()["ref"] == "F-005"
    assert [page.model.row_at(i.row())["ref"] for i in page.table.selectionModel().selectedRows()] == ["F-005"]
    assert page.form.heading.text().startswith("F-005")
    owner = page.form.editors["owner"]
    owner.setText("Sorted Owner")
    owner.editingFinished.emit()
    stored = {f["ref"]: f["owner"] for f in records.list_records(window.ws, window.session.uid, "finding")}
    assert stored["F-005"] == "Sorted Owner" and list(stored.values()).count("Sorted Owner") == 1
    # a filter that keeps the record keeps it selected; one that hides it leaves nothing selected
    page.search.setText("connection pool")
    assert page.current_record()["ref"] == "F-005"
    page.search.setText("rate limiting")
    assert page.current_record() is None and not page.table.selectionModel().selectedRows()


# -- errors in plain words, Help menu
HOLDER = """
import sys, time
from pathlib import Path
from workbench.store.workspace import Workspace
ws = Workspace(Path(sys.argv[1])).open()
print("locked", flush=True)
time.sleep(60)
"""


def read_startup_dialog(qtbot) -> dict[str, str]:
    """At start-up there is no window: the dialog waits to be read, so read it from inside its exec()."""
    seen: dict[str, str] = {}

    def read(dialog: QDialog) -> None:
        seen.update(title=dialog.windowTitle(), text=dialog.text(), name=dialog.objectName())
        dialog.accept()

    seen["problems"] = on_next_dialog(qtbot, read)  # type: ignore[assignment]
    return seen


def start_holder(path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_startup_on_a_workspace_in_use_names_the_holder(qtbot, tmp_path, monkeypatch) -> None:
    import socket

    from workbench.logs import log_file
    from workbench.ui.app import run_app

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_app installs its own; put it back afterwards
    path = tmp_path / "shared.db"
    holder = start_holder(path)
    try:
        seen = read_startup_dialog(qtbot)
        assert run_app(path) == 2
        assert not seen["problems"] and seen["name"] == "errorDialog"
        assert seen["title"] == "Cannot open the workspace"
        assert f"is in use by {socket.gethostname()}, process {holder.pid}" in seen["text"]
        assert "Traceback" not in seen["text"]
        assert f"process {holder.pid}" in log_file().read_text(encoding="utf-8")  # the detail is logged too
    finally:
        holder.kill()
        holder.wait()
        for handler in list(logging.getLogger().handlers):  # run_app's log file handler
            if isinstance(handler, RotatingFileHandler):
                logging.getLogger().removeHandler(handler)
                handler.close()


def test_foreign_file_and_newer_schema_are_refused_unchanged(qtbot, tmp_path) -> None:
    from workbench.store.workspace import Workspace
    from workbench.ui.app import open_workspace

    foreign = tmp_path / "notes.db"
    foreign.write_text("meeting notes, not a database\n", encoding="utf-8")
    seen = read_startup_dialog(qtbot)
    assert open_workspace(foreign) is None
    assert "notes.db is not a workspace file" in seen["text"]
    assert foreign.read_text(encoding="utf-8") == "meeting notes, not a database\n"

    newer = tmp_path / "newer.db"
    Workspace(newer).open().close()
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed9999'")
    before = newer.read_bytes()
    seen = read_startup_dialog(qtbot)
    assert open_workspace(newer) is None
    assert "written by a newer version of the workbench" in seen["text"] and "has not been changed" in seen["text"]
    assert newer.read_bytes() == before


IMPORT_TIMEOUT_MS = 60_000  # a sample's import checks every signature and record: slow on a busy machine


def test_refused_package_import_says_why_and_changes_nothing(qtbot, window, tmp_path) -> None:
    from workbench.services.engagements import list_engagements

    before = [s.uid for s in list_engagements(window.ws)]
    fake = tmp_path / "quarterly.mlaudit"
    fake.write_text("not a zip at all", encoding="utf-8")
    window.import_package_file(fake)
    box = error_dialog(qtbot)
    assert box.windowTitle() == "Package not imported"
    assert "quarterly.mlaudit is not an engagement package" in box.text()
    # the sample is signed by an identity nothing here trusts: asked first, naming the risk; Cancel changes nothing
    asked: list[str] = []

    def untrusted(accept: bool) -> Callable[[QDialog], None]:
        def click(dialog: QDialog) -> None:
            assert dialog.objectName() == "untrustedPackage"
            asked.append(dialog.text())
            button = next(b for b in dialog.buttons() if b.text() == "Import as untrusted") if accept \
                else dialog.button(QMessageBox.StandardButton.Cancel)
            button.click()
        return click

    def answer(no_or_yes: QMessageBox.StandardButton) -> Callable[[QDialog], None]:
        def click(dialog: QDialog) -> None:
            asked.append(dialog.text())
            dialog.button(no_or_yes).click()
        return click

    def then(first: Callable[[QDialog], None], second: Callable[[QDialog], None]) -> Callable[[QDialog], None]:
        def click(dialog: QDialog) -> None:
            problems.extend(on_next_dialog(qtbot, second))
            first(dialog)
        return click

    problems = on_next_dialog(qtbot, untrusted(False))
    window.import_package_file(SAMPLES / "driftguard.mlaudit")
    qtbot.waitUntil(lambda: bool(asked), timeout=IMPORT_TIMEOUT_MS)
    assert not problems and "is signed by Amara Osei" in asked[0] and "could have been changed" in asked[0]
    assert [s.uid for s in list_engagements(window.ws)] == before
    # accepted as untrusted, the same engagement again: refused, the way out offered; No keeps the workspace
    asked.clear()
    problems = on_next_dialog(qtbot, then(untrusted(True), answer(QMessageBox.StandardButton.No)))
    window.import_package_file(SAMPLES / "driftguard.mlaudit")
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=IMPORT_TIMEOUT_MS)
    assert not problems and "is already in this workspace" in asked[1] and "Import it as a copy?" in asked[1]
    assert [s.uid for s in list_engagements(window.ws)] == before
    # Yes imports it as a copy beside the original, its trail saying it was imported untrusted
    asked.clear()
    problems = on_next_dialog(qtbot, then(untrusted(True), answer(QMessageBox.StandardButton.Yes)))
    window.import_package_file(SAMPLES / "driftguard.mlaudit")
    qtbot.waitUntil(lambda: window.session is not None and window.session.uid not in before,  # opened when done
                    timeout=IMPORT_TIMEOUT_MS)
    assert not problems and len(list_engagements(window.ws)) == len(before) + 1
    from workbench.services.trail import audit_log

    assert "import_untrusted" in [e["action"] for e in audit_log(window.ws, window.session.uid)]


def test_help_lists_shortcuts_and_opens_the_log_folder(qtbot, window, monkeypatch) -> None:
    from PySide6.QtGui import QDesktopServices

    from workbench.logs import log_dir

    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(QDialog, "shortcutsDialog")
    assert dialog is not None and dialog.isVisible()
    rows = dict(dialog.rows())
    assert rows["Ctrl+Z"] == "Undo" and rows["Ctrl+Shift+Z / Ctrl+Y"] == "Redo"
    assert rows["F1"] == "Keyboard shortcuts" and rows["Ctrl+2"] == "Go to Health check"
    assert ("Y", "Checklist: yes and move on") in dialog.rows()
    dialog.close()

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    next(a for a in help_menu.actions() if a.text() == "Open log folder").trigger()
    assert [Path(url.toLocalFile()) for url in opened] == [log_dir()]
    assert log_dir().is_dir()


def test_unexpected_error_is_plain_for_the_user_and_detailed_in_the_log(qtbot, window, caplog) -> None:
    from workbench.ui.errors import show_error

    try:
        raise KeyError("internal_cache_slot")
    except KeyError as exc:
        show_error(window, exc)
    box = error_dialog(qtbot)
    assert "internal_cache_slot" not in box.text() and "Your data is safe" in box.text()
    assert "workbench.log" in box.text()
    assert any(r.exc_info and "internal_cache_slot" in str(r.exc_info[1]) for r in caplog.records)


def test_a_system_switch_to_dark_redraws_the_charts_dark(qtbot, window) -> None:
    """The desktop hands over a dark palette at run time: open pages and charts follow without a restart."""
    from PySide6.QtGui import QColor, QPalette

    from workbench.ui.chart_widget import is_dark

    app = QApplication.instance()
    window.show_step("overview")
    gauge = window.view.pages["overview"].gauge
    assert not is_dark(gauge) and gauge.figure.get_facecolor()[0] > 0.5
    light = app.palette()
    dark = QPalette(light)
    for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.WindowText, "#e6e6e6"),
                         (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.Text, "#e6e6e6")):
        dark.setColor(role, QColor(colour))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: is_dark(gauge) and gauge.figure.get_facecolor()[0] < 0.5)
        window.show_step("risks")  # a page built after the switch starts dark
        assert window.view.pages["risks"].heatmap.figure.get_facecolor()[0] < 0.5
    finally:
        app.setPalette(light)
    qtbot.waitUntil(lambda: gauge.figure.get_facecolor()[0] > 0.5)


def test_tables_show_choice_labels_like_the_editor(qtbot, window) -> None:
    window.show_step("models")
    page = window.view.pages["models"]
    column = page.spec.columns.index("deployment")
    shown = {page.model.index(row, column).data() for row in range(page.model.rowCount())}
    stored = {page.model.row_at(row)["deployment"] for row in range(page.model.rowCount())}
    assert "rest" in stored and "REST API" in shown and "rest" not in shown


def test_closing_an_engagement_frees_its_session(qtbot, window, sample_ws) -> None:
    """Each session holds a whole engagement and its undo history: a day of switching must not pile them up."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from workbench.services.engagements import create_engagement
    from workbench.ui.session import EngagementSession

    other = create_engagement(sample_ws, client="Acme Bank", title="Second engagement")

    def alive() -> list[EngagementSession]:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return window.findChildren(EngagementSession)

    for uid in (other, sample_ws.sample_uid, other):
        window.open_engagement(uid)
        assert alive() == [window.session] and window.session.uid == uid
    window.show_library()
    assert alive() == []


def test_export_is_signed_by_the_chosen_identity(qtbot, window, tmp_path, monkeypatch, remembered_identities) -> None:
    """File › Export package…: the auditor picks who signs; the package carries the signature and the attestation."""
    import json
    import zipfile

    from PySide6.QtWidgets import QFileDialog, QInputDialog

    target = tmp_path / "signed.mlaudit"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    offered: list[list[str]] = []

    def pick(_parent, _title, _label, items, *_a, **_k):
        offered.append(list(items))
        return next(item for item in items if item.startswith("Rui Reviewer")), True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    protect = on_next_dialog(qtbot, lambda dialog: dialog.accept())  # Protect: none (the default)
    window.export_package_dialog(window.session.uid)
    qtbot.waitUntil(target.exists, timeout=60_000)
    assert not protect and len(offered[0]) == 2
    with zipfile.ZipFile(target) as archive:
        signature = json.loads(archive.read("signature.json"))["signature"]
        trail = json.loads(archive.read("engagement.json"))["audit_log"]
    assert signature["name"] == "Rui Reviewer" and signature["identity_id"] == remembered_identities["reviewer"][0]
    assert trail[-1]["action"] == "attest" and trail[-1]["after"]["signed"]["purpose"] == "export"
