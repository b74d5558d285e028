"""No silent edits: a mouse wheel passing over an editor changes nothing unless the auditor clicked into it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QTableView, QWidget

from tests.helpers import table_counts
from tests.ui.walk import SAMPLE_NAMES, every_view, import_samples, settle
from workbench.ui.pages.level_picker import LevelPicker
from workbench.ui.wheel_guard import is_value_editor


def wheel(widget: QWidget, notches: int) -> None:
    """Turn the wheel `notches` steps (negative: towards the user) with the pointer over the widget's centre."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre)), QPoint(0, 0), QPoint(0, 120 * notches),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def open_cell_editors(page: QWidget) -> list[tuple[QAbstractItemView, object]]:
    """Open the inline editor of every editable cell of each table's first row, the way a delegate makes them."""
    opened = []
    for view in page.findChildren(QTableView):
        model = view.model()
        if not view.isVisible() or model is None or not model.rowCount() or \
                view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers:
            continue
        for column in range(model.columnCount()):
            index = model.index(0, column)
            if model.flags(index) & Qt.ItemFlag.ItemIsEditable:
                QAbstractItemView.openPersistentEditor(view, index)
                opened.append((view, index))
    settle()
    return opened


def wheel_over_editors(page: QWidget) -> int:
    """Wheel both ways over every visible editor (and the level picker) without focus; returns how many."""
    editors = [w for w in page.findChildren(QWidget) if (is_value_editor(w) or isinstance(w, LevelPicker))
               and w.isVisible() and w.isEnabled()]
    for editor in editors:
        assert not editor.focusPolicy() & Qt.FocusPolicy.WheelFocus & ~Qt.FocusPolicy.StrongFocus, \
            f"{editor.objectName() or type(editor).__name__} takes focus from the wheel"
        editor.clearFocus()
        for notches in (1, 1, -1, -1, -1, 2):
            wheel(editor, notches)
    return len(editors)


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("wheel") / "samples.db"
    return path, import_samples(path)


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_wheel_over_every_editor_of_every_page_changes_nothing(qtbot, settings, samples_db, sample) -> None:
    from workbench.store.workspace import Workspace
    from workbench.ui.main_window import MainWindow

    path, uids = samples_db
    ws = Workspace(path).open()
    try:
        window = MainWindow(ws, settings)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        window.open_engagement(uids[sample])
        before = table_counts(path, ["audit_event"])
        turned = 0
        for _step, _tab, page in every_view(window):
            turned += wheel_over_editors(page)
            opened = open_cell_editors(page)
            turned += wheel_over_editors(page)
            for view, index in opened:
                QAbstractItemView.closePersistentEditor(view, index)
            settle()
        assert turned > 50  # the walk really met the editors
        assert table_counts(path, ["audit_event"]) == before
        assert window.session.undo_stack.count() == 0
        window.close()
    finally:
        ws.close()


def test_an_editor_clicked_into_takes_the_wheel(qtbot, window) -> None:
    """The guard only holds back the passing wheel: a focused status box still turns, as the auditor expects."""
    window.show_step("findings")
    page = window.view.pages["findings"]
    status = page.form.editors["status"]
    assert isinstance(status, QComboBox)
    asked: list[str] = []  # a move to Resolved or Risk accepted asks what the register must say first
    page.ask_status_details = lambda _record, value: asked.append(value) or (
        {"resolution_evidence": "Retested"} if value == "resolved" else {"accepted_by": "CRO", "accepted_reason": "r"})
    window.activateWindow()
    qtbot.mouseClick(status, Qt.MouseButton.LeftButton)  # opens the list...
    status.hidePopup()  # ...which the auditor closes again: the box keeps the focus
    qtbot.waitUntil(status.hasFocus)
    before = status.currentIndex()
    wheel(status, -1)
    assert status.currentIndex() != before and len(asked) <= 1
    assert window.session.undo_stack.count() == 1  # the change is saved and undoable like any other
