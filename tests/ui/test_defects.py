"""The defects an auditor met in a day at 1366 × 768, each shown fixed the way it was met."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from tests.ui.walk import settle
from workbench.ui.pages.evidence_widgets import LinkDialog


def link_dialog(window) -> LinkDialog:  # type: ignore[no-untyped-def]
    dialog = LinkDialog(window.session, set(), window)
    dialog.show()
    activate_dialog(dialog)
    return dialog


def activate_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
    dialog.activateWindow()
    dialog.search.setFocus()
    settle()


def test_link_dialog_enter_on_a_group_heading_keeps_it_open_and_says_why(qtbot, window) -> None:
    dialog = link_dialog(window)
    qtbot.keyClicks(dialog.search, "drift")
    findings = dialog.groups[0][0]
    total = len(window.session.document["findings"])
    shown = len([c for c in (findings.child(i) for i in range(findings.childCount())) if not c.isHidden()])
    assert findings.text(0) == f"Findings ({shown} of {total})"  # the counts follow the search
    dialog.tree.setFocus()
    dialog.tree.setCurrentItem(findings)  # the heading, as Down in the list reached it before
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)  # steps into the group instead of closing
    assert dialog.isVisible() and dialog.tree.currentItem().parent() is findings
    dialog.tree.clearSelection()
    dialog.accept()  # Link with nothing chosen: stays open, says so
    assert dialog.isVisible() and dialog.problem.isVisibleTo(dialog) and "Choose what" in dialog.problem.text()
    dialog.reject()


def test_link_dialog_search_down_enter_links_the_first_match(qtbot, window) -> None:
    dialog = link_dialog(window)
    qtbot.keyClicks(dialog.search, "F-003")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    assert dialog.tree.hasFocus() or QApplication.focusWidget() is dialog.tree
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)
    f003 = next(f["uid"] for f in window.session.document["findings"] if f["ref"] == "F-003")
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.chosen() == [("finding", f003)]


def test_link_dialog_enter_in_the_search_links_the_only_match(qtbot, window) -> None:
    dialog = link_dialog(window)
    qtbot.keyClicks(dialog.search, "F-003")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted and len(dialog.chosen()) == 1


def test_a_missing_documents_folder_is_not_the_default(qtbot, window, tmp_path: Path, monkeypatch) -> None:
    missing = tmp_path / "no such Documents"
    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda _where: str(missing))
    window.show_step("deliverables")
    target = window.current_page()._default_target("full")
    assert target.parent.is_dir() and target.parent == Path.home()


def test_a_progress_window_shows_over_the_middle_of_the_app(qtbot, window) -> None:
    from workbench.ui.workers import run_task

    window.move(240, 160)
    settle()
    release = threading.Event()
    task = run_task(lambda _task: release.wait(20), lambda _r: None, lambda _e: None, parent=window.view,
                    label="Rendering the full report…")
    progress = window.view.findChild(QProgressDialog)
    try:
        qtbot.waitUntil(progress.isVisible, timeout=5000)  # it appears once the work takes longer than 0.4 s
        centre, middle = progress.frameGeometry().center(), window.frameGeometry().center()
        assert abs(centre.x() - middle.x()) <= 2 and abs(centre.y() - middle.y()) <= 2
    finally:
        release.set()
        qtbot.waitUntil(lambda: task.future is not None and task.future.done())


def test_the_no_keychain_notice_is_inside_the_passphrase_prompt(qtbot, window, monkeypatch) -> None:
    from workbench.signing.keychain import NO_KEYCHAIN_NOTICE
    from workbench.ui.passphrase import PassphraseDialog, dialog_provider, notifier

    page = window.view.page("deliverables")
    shown: list[str] = []

    def answer(dialog: PassphraseDialog) -> int:
        shown.append(dialog.notice.text() if dialog.notice.isVisibleTo(dialog) else "")
        return 0

    monkeypatch.setattr(PassphraseDialog, "exec", answer)
    notifier(page)(NO_KEYCHAIN_NOTICE)  # what unlocking tells first, then it asks
    dialog_provider(page)("Passphrase of identity Ana: ")
    assert shown == [NO_KEYCHAIN_NOTICE]
    assert NO_KEYCHAIN_NOTICE in window.statusBar().currentMessage()
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    dialog_provider(page)("Passphrase of identity Ana: ")  # told once: the next prompt is plain
    assert shown == [NO_KEYCHAIN_NOTICE, ""]


def test_the_same_library_template_twice_asks_first(qtbot, window) -> None:
    from workbench.services.record_library import library_entries

    window.show_step("findings")
    page = window.current_page()
    template = next(t for t in library_entries("finding") if "drift" in t.title.lower())
    [first] = page.library.add_from_library([template])
    asked: list[str] = []
    page.library.confirm = lambda _title, text: asked.append(text) or False
    assert page.library.add_from_library([template]) == [] and asked and template.title in asked[0]
    assert sum(1 for f in window.session.document["findings"] if f["title"] == template.title) == 1
    page.library.confirm = lambda _title, _text: True
    [again] = page.library.add_from_library([template])
    assert again != first
    from workbench.ui.record_library import LibraryPicker

    dialog = LibraryPicker([template], "finding", page, page.library.used())
    assert "(already F-" in dialog.list.item(0).text() and dialog.list.item(0).text().startswith("[High] ")
    dialog.reject()


def test_a_new_model_raises_no_warning(qtbot, window) -> None:
    window.show_step("models")
    page = window.current_page()
    before = next(s for s in window.session.progress.steps if s.key == "models").warnings
    uid = page.add_record()
    added = next(m for m in window.session.document["models"] if m["uid"] == uid)
    assert added["status"] == "development"
    assert next(s for s in window.session.progress.steps if s.key == "models").warnings == before


def test_a_refused_date_is_named_in_words(qtbot, window) -> None:
    window.show_step("findings")
    page = window.current_page()
    due = page.form.editors["due_date"]
    due.setText("next week")
    due.editingFinished.emit()
    message = window.statusBar().currentMessage()
    assert message.startswith("Due date: 'next week' is not a date") and "due_date" not in message


def test_the_signature_hint_reads_as_a_sentence(qtbot, window) -> None:
    window.show_step("deliverables")
    text = window.current_page().verification.verdict.text()
    assert "`" not in text and "…." not in text and "Verify a signed PDF…" in text


def test_the_step_list_counts_in_words(qtbot, window) -> None:
    from workbench.services import records

    f = next(f for f in window.session.document["findings"] if f["severity"] == "Critical")
    records.update_record(window.ws, window.session.uid, "finding", f["uid"], {"recommendation": ""})
    window.open_engagement(window.session.uid)
    warnings = next(s for s in window.session.progress.steps if s.key == "findings").warnings
    assert "1 Critical finding lacks a recommendation" in warnings
