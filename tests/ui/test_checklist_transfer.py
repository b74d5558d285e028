"""The checklist sent out from the assessment step and the client's answers taken back, undoably."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from tests.helpers.files import read_csv, write_csv


def _answers(session) -> dict[str, tuple[str, str]]:
    return {r["item_id"]: (r["answer"], r["note"]) for r in session.document["checklist"]}


def _open_dialog(name: str) -> QMessageBox | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)
                 and w.objectName() == name and w.isVisible()), None)


def test_export_then_import_the_filled_in_answers_and_undo(qtbot, window, tmp_path: Path) -> None:
    window.show_step("assessment")
    transfer = window.view.pages["assessment"].transfer
    sheet = transfer.export_to(tmp_path / "self-assessment.csv")
    assert sheet is not None and "Checklist exported to" in window.statusBar().currentMessage()
    rows = read_csv(sheet)
    assert len(rows) == 106
    before = _answers(window.session)
    changed = next(r for r in rows if r["answer"] != "no")
    changed["answer"], changed["note"] = "no", "The client says the runbook is missing"
    write_csv(sheet, rows)

    transfer.import_from(sheet)
    qtbot.waitUntil(lambda: _open_dialog("confirmAnswers") is not None, timeout=10_000)
    box = _open_dialog("confirmAnswers")
    assert "Change 1 answer from self-assessment.csv?" in box.text() and changed["item_id"] in box.text()
    assert _answers(window.session) == before  # nothing changes before the auditor says yes
    box.button(QMessageBox.StandardButton.Yes).click()
    after = _answers(window.session)
    assert after[changed["item_id"]] == ("no", "The client says the runbook is missing")
    assert window.undo_group.undoText() == "Import 1 answer from self-assessment.csv"

    window.undo_group.undo()
    assert _answers(window.session) == before


def test_cancel_changes_nothing_and_a_bad_file_is_explained(qtbot, window, tmp_path: Path) -> None:
    window.show_step("assessment")
    transfer = window.view.pages["assessment"].transfer
    before = _answers(window.session)
    sheet = write_csv(tmp_path / "answers.csv", [{"item_id": "DP-01", "answer": "no" if before.get("DP-01", ("",))[0]
                                                  != "no" else "yes"}])
    transfer.import_from(sheet)
    qtbot.waitUntil(lambda: _open_dialog("confirmAnswers") is not None, timeout=10_000)
    _open_dialog("confirmAnswers").button(QMessageBox.StandardButton.Cancel).click()
    assert _answers(window.session) == before

    bad = write_csv(tmp_path / "bad.csv", [{"item_id": "DP-01", "answer": "maybe"}])
    transfer.import_from(bad)
    qtbot.waitUntil(lambda: _open_dialog("errorDialog") is not None, timeout=10_000)
    assert "'maybe' is not an answer" in _open_dialog("errorDialog").text()
    _open_dialog("errorDialog").close()
    assert _answers(window.session) == before
