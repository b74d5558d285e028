"""The checklist an auditor works through in an interview: one key answers the current item and moves on, so a
dimension can be worked through without touching the mouse; files dropped on an item become its evidence."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from workbench.ui.keys import CHECKLIST_ANSWERS, CHECKLIST_OPTIONS
from workbench.ui.pages.checklist_delegate import ChecklistDelegate
from workbench.ui.pages.checklist_model import ID_ROLE

ANSWER_KEYS = CHECKLIST_ANSWERS  # single keys an auditor presses on the checklist (no modifier, or Shift)
OPTION_KEYS = CHECKLIST_OPTIONS  # digits: the n-th option of the item's scale (graded items)


class ChecklistView(QListView):
    """Y/P/N/A answer and move on, U/Backspace clears, Enter/F2 edits the note; accepts dropped files."""

    answer_pressed = Signal(str)
    option_pressed = Signal(int)  # a digit: the n-th option of the current item's scale
    note_requested = Signal()
    past_end = Signal()  # Down on the last item: go to the next dimension
    before_start = Signal()  # Up on the first item: go to the previous dimension
    files_dropped = Signal(str, list)  # item id, paths

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.read_only = False
        self.setObjectName("checklist")
        self.setAccessibleName("Checklist")
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(False)
        self.setItemDelegate(ChecklistDelegate(self))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, mods = event.key(), event.modifiers()
        plain = mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier,
                         Qt.KeyboardModifier.KeypadModifier)
        row, rows = self.currentIndex().row(), self.model().rowCount() if self.model() else 0
        if plain and key in ANSWER_KEYS and rows:
            if not self.read_only:
                self.answer_pressed.emit(ANSWER_KEYS[key])
            event.accept()
        elif plain and key in OPTION_KEYS and rows:
            if not self.read_only:
                self.option_pressed.emit(OPTION_KEYS[key])
            event.accept()
        elif plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2) and rows:
            self.note_requested.emit()
            event.accept()
        elif key == Qt.Key.Key_Down and plain and row == rows - 1:
            self.past_end.emit()
            event.accept()
        elif key == Qt.Key.Key_Up and plain and row == 0:
            self.before_start.emit()
            event.accept()
        elif plain and Qt.Key.Key_A <= key <= Qt.Key.Key_Z:
            event.accept()  # no jump-to-item keyboard search: a mistyped answer key must not move the cursor
        else:
            super().keyPressEvent(event)

    # -- evidence by drag and drop
    @staticmethod
    def local_paths(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
        data = event.mimeData()
        if not data.hasUrls():
            return []
        paths = [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]
        return [path for path in paths if path.is_file()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if not self.read_only and self.local_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        index = self.indexAt(event.position().toPoint())
        if index.isValid():
            self.setCurrentIndex(index)  # shows which item the files will support
        event.acceptProposedAction() if not self.read_only else event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = self.local_paths(event)
        index = self.indexAt(event.position().toPoint())
        index = index if index.isValid() else self.currentIndex()
        if self.read_only or not paths or not index.isValid():
            event.ignore()
            return
        event.acceptProposedAction()
        self.setCurrentIndex(index)
        self.files_dropped.emit(str(index.data(ID_ROLE)), paths)
