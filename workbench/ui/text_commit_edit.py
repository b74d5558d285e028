"""A multi-line text field saved when the auditor leaves it: the notes and justifications of the assessment and
the health check. Built on the one rule of ui/unsaved_text.py, so a refresh never overwrites what is typed."""

from __future__ import annotations

from collections.abc import Hashable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from workbench.ui.unsaved_text import KeptText


class TextCommitEdit(QPlainTextEdit):
    """Multi-line text saved when the user leaves it (or presses Enter when `enter_commits`); Esc reverts.
    A refresh never overwrites what is being typed in it (ui/unsaved_text.py)."""

    committed = Signal(str)
    finished = Signal()  # Enter or Esc: hand the keyboard back

    def __init__(self, placeholder: str = "", *, enter_commits: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.enter_commits = enter_commits
        self.kept = KeptText(self)

    def set_text(self, text: str | None, key: Hashable = None) -> None:
        """Show the stored text of `key` (which item or dimension, say), without overwriting what the user is
        typing over that same key."""
        self.kept.show(key, text)

    def commit(self) -> None:
        if self.kept.unsaved() and not self.isReadOnly():
            self.kept.stored = text = self.toPlainText()
            self.committed.emit(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self.commit()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and self.enter_commits and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.commit()
            self.finished.emit()
        elif event.key() == Qt.Key.Key_Escape:
            self.kept.revert()
            self.finished.emit()
        else:
            super().keyPressEvent(event)
