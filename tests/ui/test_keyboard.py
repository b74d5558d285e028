"""Keyboard first: every step by Ctrl+number, the keyboard where the next key goes, answers by single keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from tests.helpers.qt import activate, press
from workbench.ui.pages import PAGE_CLASSES, STEP_TITLES, step_key
from workbench.ui.step_list import SHORTCUT_ROLE


def combination(sequence: str) -> tuple[Qt.Key, Qt.KeyboardModifier]:
    first = QKeySequence(sequence)[0]
    return first.key(), first.keyboardModifiers()


def focus() -> QWidget | None:
    return QApplication.focusWidget()


def test_every_step_has_a_ctrl_number_shown_in_the_step_list(qtbot, window) -> None:
    keys = [step_key(step) for step in PAGE_CLASSES]
    assert all(keys) and len(set(keys)) == len(PAGE_CLASSES) == 12  # review and deliverables included
    assert keys[:10] == [f"Ctrl+{n % 10}" for n in range(1, 11)]
    shown = [window.view.steps.item(row).data(SHORTCUT_ROLE) for row in range(window.view.steps.count())]
    assert shown == [QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys]
    assert "(Ctrl+3)" in window.view.steps.item(2).toolTip()


@pytest.mark.parametrize("step", list(PAGE_CLASSES))
def test_ctrl_number_shows_the_step_with_the_keyboard_on_its_page(qtbot, window, step) -> None:
    window.show_step("overview" if step != "overview" else "findings")
    press(qtbot, window, *combination(step_key(step)))
    assert window.view.current_step() == step
    page = window.current_page()
    expected = page.focus_target()
    assert focus() is expected and page.isAncestorOf(expected), f"{step}: focus on {focus()}"


def test_after_ctrl_3_the_checklist_takes_y_p_n_at_once(qtbot, window) -> None:
    press(qtbot, window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page()
    first = page.current_item().id
    press(qtbot, window, Qt.Key.Key_N)
    assert next(r["answer"] for r in window.session.document["checklist"] if r["item_id"] == first) == "no"
    assert page.current_item().id != first  # and moved on


def test_next_and_previous_step(qtbot, window) -> None:
    press(qtbot, window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.view.current_step() == "health"
    press(qtbot, window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.view.current_step() == "overview"


def test_enter_in_the_step_list_hands_the_keyboard_to_the_page(qtbot, window) -> None:
    steps = window.view.steps
    activate(qtbot, window)
    steps.setFocus()
    qtbot.keyClick(steps, Qt.Key.Key_Down)  # arrows browse: the page shows, the list keeps the keyboard
    qtbot.keyClick(steps, Qt.Key.Key_Down)
    assert window.view.current_step() == "assessment" and focus() is steps
    qtbot.keyClick(steps, Qt.Key.Key_Return)
    assert focus() is window.current_page().checklist


def test_health_check_by_y_and_n(qtbot, window) -> None:
    from workbench.services.assessment import answer_health_check

    answer_health_check(window.ws, window.session.uid, "HC-3", "unanswered")
    window.open_engagement(window.session.uid)  # opened again on the changed workspace
    session = window.session
    press(qtbot, window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page()
    assert focus() is page.rows["HC-3"].box  # the first question not answered yet
    press(qtbot, window, Qt.Key.Key_Y)
    answers = {h["question_id"]: h["answer"] for h in session.document["health_check"]}
    assert answers["HC-3"] == "yes" and focus() is page.rows["HC-4"].box  # answered and moved on
    press(qtbot, window, Qt.Key.Key_Up)
    press(qtbot, window, Qt.Key.Key_N)
    answers = {h["question_id"]: h["answer"] for h in session.document["health_check"]}
    assert answers["HC-3"] == "no"
    press(qtbot, window, Qt.Key.Key_Up)
    press(qtbot, window, Qt.Key.Key_Return)  # Enter: the note; Enter again saves it and returns
    assert focus() is page.rows["HC-3"].note
    qtbot.keyClicks(page.rows["HC-3"].note, " Timed at 12 minutes.")
    press(qtbot, window, Qt.Key.Key_Return)
    assert focus() is page.rows["HC-3"].box
    note = next(h["note"] for h in session.document["health_check"] if h["question_id"] == "HC-3")
    assert note.endswith("Timed at 12 minutes.")
    assert session.undo_stack.count() == 3


def test_enter_in_the_library_search_opens_the_only_match(qtbot, window) -> None:
    window.show_library()
    activate(qtbot, window)
    assert focus() is window.library.search  # Ctrl+L lands in the search
    qtbot.keyClicks(window.library.search, "driftguard")
    qtbot.keyClick(window.library.search, Qt.Key.Key_Return)
    assert window.session is not None and window.view.current_step() == "overview"


def test_down_in_the_library_search_goes_to_the_list(qtbot, window) -> None:
    window.show_library()
    activate(qtbot, window)
    qtbot.keyClick(window.library.search, Qt.Key.Key_Down)
    assert focus() is window.library.tree


def test_level_is_asked_for_after_a_dimensions_last_item(qtbot, window) -> None:
    press(qtbot, window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page()
    page.show_dimension(0, -1)
    page.checklist.setFocus()
    press(qtbot, window, Qt.Key.Key_3)  # the last item, DP-16, is graded: a digit picks its option
    picker = page.level_picker
    assert focus() is picker and picker.prompt_label.isVisible()
    assert "DP checked" in picker.prompt_label.text() and "Enter goes on to MD" in picker.prompt_label.text()
    press(qtbot, window, Qt.Key.Key_Escape)  # back to the checklist, still on DP
    assert focus() is page.checklist and page.dimension().id == "DP" and not picker.prompt_label.isVisible()
    press(qtbot, window, Qt.Key.Key_3)  # again; Enter keeps the level and goes on
    level = next(a for a in window.session.document["assessments"] if a["dimension_id"] == "DP")["current_level"]
    press(qtbot, window, Qt.Key.Key_Return)
    assert page.dimension().id == "MD" and focus() is page.checklist
    assert next(a for a in window.session.document["assessments"] if a["dimension_id"] == "DP")["current_level"] \
        == level


def test_double_click_on_a_review_note_goes_to_its_item(qtbot, window) -> None:
    press(qtbot, window, *combination(step_key("review")))
    page = window.current_page()
    page.show_box.setCurrentIndex(page.show_box.count() - 1)  # all notes
    targets = {}
    for row in range(page.model.rowCount()):
        note = page.model.row_at(row)
        targets.setdefault(note["target_kind"], note)
    assert {"finding", "checklist_item", "dimension"} <= set(targets)
    for kind, step in (("finding", "findings"), ("checklist_item", "assessment"), ("dimension", "assessment")):
        window.show_step("review")
        page.select_note(targets[kind]["uid"])
        press(qtbot, window, Qt.Key.Key_Return)
        assert window.view.current_step() == step
        shown = window.current_page()
        key = targets[kind]["target_key"]
        if kind == "finding":
            assert shown.current_record()["uid"] == key and focus() is shown.table
        elif kind == "checklist_item":
            assert shown.current_item().id == key and focus() is shown.checklist
        else:
            assert shown.dimension().id == key and focus() is shown.level_picker


def test_a_note_on_a_hidden_finding_clears_the_filter_that_hides_it(qtbot, window) -> None:
    window.show_step("findings")
    findings = window.current_page()
    findings.search.setText("no such words anywhere")
    uid = window.session.document["findings"][0]["uid"]
    assert window.view.go_to("finding", uid)
    assert findings.search.text() == "" and findings.current_record()["uid"] == uid
    assert not window.view.go_to("finding", "no-such-uid")


def test_help_lists_every_shortcut_of_the_window(qtbot, window) -> None:
    dialog = window.show_shortcuts()
    rows = dialog.rows()
    listed = {keys for keys, _what in rows}
    for action in window.findChildren(type(window.actions()[0])):
        for sequence in action.shortcuts():
            text = sequence.toString(QKeySequence.SequenceFormat.NativeText)
            assert any(text in keys.split(" / ") for keys in listed), f"{action.text()} ({text}) missing from Help"
    for step in PAGE_CLASSES:
        assert (QKeySequence(step_key(step)).toString(QKeySequence.SequenceFormat.NativeText),
                f"Go to {STEP_TITLES[step]}") in rows
    dialog.close()


def test_step_titles_are_the_progress_titles(session) -> None:
    """The Go menu and Help name the steps before the services load: the same words as the step list."""
    assert {step.key: step.title for step in session.progress.steps} == STEP_TITLES
