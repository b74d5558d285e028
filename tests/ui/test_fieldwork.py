"""File ▸ Hand out… and File ▸ Merge fieldwork…: the conflict dialog walked as the lead auditor would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from tests.helpers.qt import on_next_dialog
from workbench.services import records
from workbench.services.attestation import verify_trail
from workbench.services.engagements import create_engagement
from workbench.services.package_envelope import Protection, is_sealed
from workbench.services.packages import export_package, import_package
from workbench.store.workspace import Workspace
from workbench.ui import fieldwork_dialogs, package_trust
from workbench.ui.fieldwork_dialogs import ConflictDialog, HandOutDialog


@pytest.fixture
def lead_window(qtbot: Any, tmp_path: Path, settings: Any, remembered_identities: Any, preparer: Any) -> Any:
    from workbench.ui.main_window import MainWindow

    ws = Workspace(tmp_path / "lead.db", actor="Ann Lead").open()
    uid = create_engagement(ws, client="Acme Analytics", title="Platform audit")
    for title in ("Drift not monitored", "No model registry"):
        records.add_record(ws, uid, "finding", {"title": title, "severity": "High"})
    win = MainWindow(ws, settings)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.open_engagement(uid)
    yield win, ws, uid
    win.hide()
    ws.close()


def test_hand_out_assigns_parts_and_writes_a_package_the_colleague_imports(
        lead_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, preparer: Any) -> None:
    win, ws, uid = lead_window
    target = tmp_path / "handout.mlaudit"

    def fill(dialog: HandOutDialog) -> int:
        dialog.table.item(0, 1).setText("Bea Field")
        dialog.path.setText(str(target))
        assert dialog.hand_out.isEnabled()
        return 1

    monkeypatch.setattr(HandOutDialog, "exec", fill)
    chosen = package_trust.ExportSigner(True, preparer)
    monkeypatch.setattr(package_trust, "choose_export_signer", lambda _parent: chosen)
    win.findChild(type(win.hand_out_action), "hand_out").trigger()
    assert target.is_file()
    with Workspace(tmp_path / "bea.db") as bea:
        assert import_package(bea, target) == uid
        from workbench.services.fieldwork import assignments
        assert assignments(bea, uid)[0].auditor == "Bea Field"


def test_the_conflict_dialog_merges_only_once_every_conflict_is_decided_and_undo_puts_it_back(
        lead_window: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, preparer: Any) -> None:
    win, ws, uid = lead_window
    handout = export_package(ws, uid, tmp_path / "handout.mlaudit", signer=preparer, for_fieldwork=True)
    with Workspace(tmp_path / "bea.db", actor="Bea Field") as bea:
        import_package(bea, handout)
        records.update_record(bea, uid, "finding", "F-001", {"title": "Drift is never watched"})
        records.update_record(bea, uid, "finding", "F-002", {"owner": "Platform team"})
        back = export_package(bea, uid, tmp_path / "bea.mlaudit", signer=preparer)
    page_records = lambda: {f["ref"]: f for f in records.list_records(ws, uid, "finding")}  # noqa: E731
    win.session.apply("Retitle", lambda: records.update_record(ws, uid, "finding", "F-001",
                                                                {"title": "Drift unmonitored"}),
                      lambda: None, {"finding"})
    before = page_records()
    seen: list[str] = []

    def walk(dialog: ConflictDialog) -> int:
        dialog.resize(1366, 500)
        assert dialog.table.rowCount() == 1
        assert "Drift unmonitored" in dialog.table.item(0, 2).text() and "Ann Lead" in dialog.table.item(0, 2).text()
        assert "Drift is never watched" in dialog.table.item(0, 3).text()
        assert "Bea Field" in dialog.table.item(0, 3).text()
        assert not dialog.merge.isEnabled()  # nothing is merged while a conflict is open
        box = dialog.table.cellWidget(0, 4)
        assert isinstance(box, QComboBox)
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Down)
        qtbot.keyClick(box, Qt.Key.Key_Down)
        assert box.currentText() == "Take theirs" and dialog.merge.isEnabled()
        seen.append(dialog.status.text())
        return 1

    monkeypatch.setattr(fieldwork_dialogs.ConflictDialog, "exec", walk)
    win.merge_fieldwork_file(back)
    assert seen == ["Every conflict is decided"]
    merged = page_records()
    assert merged["F-001"]["title"] == "Drift is never watched" and merged["F-002"]["owner"] == "Platform team"
    assert [f["title"] for f in win.session.records("findings")][0] == "Drift is never watched"
    assert verify_trail(ws, uid).ok
    win.undo_group.undo()  # the merge is one undo step
    assert page_records() == before
    win.undo_group.redo()
    assert page_records() == merged
    assert verify_trail(ws, uid).chain.ok


def test_a_hand_out_returned_with_a_passphrase_is_merged_once_the_passphrase_is_typed(
        lead_window: Any, qtbot: Any, tmp_path: Path, preparer: Any) -> None:
    win, ws, uid = lead_window
    handout = export_package(ws, uid, tmp_path / "handout.mlaudit", signer=preparer, for_fieldwork=True)
    with Workspace(tmp_path / "bea.db", actor="Bea Field") as bea:
        import_package(bea, handout)
        records.update_record(bea, uid, "finding", "F-002", {"owner": "Platform team"})
        back = export_package(bea, uid, tmp_path / "bea.mlaudit", signer=preparer,
                              protection=Protection(passphrase="back from the field 2026"))
    assert is_sealed(back)
    prompts: list[str] = []

    def type_it(dialog: Any) -> None:
        prompts.append(dialog.prompt.text())
        dialog.field.setText("back from the field 2026")
        dialog.accept()

    problems = on_next_dialog(qtbot, type_it)
    win.merge_fieldwork_file(back)
    assert not problems and prompts == ["Passphrase of the package bea.mlaudit"]
    assert {f["ref"]: f for f in records.list_records(ws, uid, "finding")}["F-002"]["owner"] == "Platform team"
    assert verify_trail(ws, uid).ok
