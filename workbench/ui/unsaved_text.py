"""What the auditor is typing survives a page refresh: another auditor's change arriving from a team server
(issue #18 item 3), or a local edit of another kind. One rule for every page:

* a text editor shows a stored value through `KeptText`, keyed by which record or item and which field it edits:
  typing over that same key stays as it is (its text, cursor and the keyboard), even when the stored value changed
  meanwhile; whether saving it then is allowed is the stale-edit question, answered where it is saved;
* a table's rows are shown anew through `TableRefresh`: while one of its cells has an editor open the refresh waits,
  and runs when that editor closes (committed or abandoned).

The record pages' forms keep their fields the same way (RecordForm.unsaved, keyed by the record they show).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtWidgets import QAbstractItemView, QPlainTextEdit


class KeptText:
    """The stored text a plain-text editor shows, and whether it now holds the auditor's unsaved typing."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        self.editor = editor
        self.key: Hashable = None  # which record / item and field the editor shows
        self.stored = ""  # the stored text it was last given (or the text last saved from it)

    def unsaved(self) -> bool:
        return self.editor.toPlainText() != self.stored

    def show(self, key: Hashable, text: str | None) -> None:
        """Show the stored text of `key`. Typing over the same key stays untouched (the editor is not even written
        to, so its cursor, selection and focus stay too); another key's text always replaces it."""
        typing = key == self.key and self.unsaved()
        self.key, self.stored = key, text or ""
        if not typing and self.editor.toPlainText() != self.stored:
            self.editor.setPlainText(self.stored)

    def revert(self) -> None:
        """Back to the stored text (Esc)."""
        self.editor.setPlainText(self.stored)


class TableRefresh:
    """Calls `refresh` now, or, while a cell of `table` is being edited, once that cell's editor closes: a model
    reset or a repaint of the row would close the editor or overwrite what is typed in it. Make it after the
    table's item delegate is set."""

    def __init__(self, table: QAbstractItemView, refresh: Callable[[], None]) -> None:
        self._table = table
        self._refresh = refresh
        self.waiting = False
        table.itemDelegate().closeEditor.connect(self._editor_closed)  # after the view's own slot: editing is over

    def __call__(self) -> None:
        if self._table.state() == QAbstractItemView.State.EditingState:
            self.waiting = True
            return
        self.waiting = False
        self._refresh()

    def _editor_closed(self, *_args: object) -> None:
        if self.waiting:
            self()
