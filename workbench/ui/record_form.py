"""Editors built from the domain's field rules, shared by every record page and table."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from workbench.domain.fields import Field
from workbench.ui.record_model import RecordTableModel, display_value

NONE_LABEL = "—"


def choice_items(field: Field) -> list[tuple[str, Any]]:
    """(label, value) pairs a combo box offers for a field, or [] when it takes free text."""
    if field.type == "choice" and field.choices is not None:
        items = [(member.label, member.value) for member in field.choices
                 if member.value != "unanswered"]
        return items
    if field.type == "bool":
        return [("Yes", True), ("No", False)]
    if field.type == "int" and field.minimum is not None and field.maximum is not None \
            and field.maximum - field.minimum <= 10:
        values = [(str(n), n) for n in range(int(field.minimum), int(field.maximum) + 1)]
        return values if field.required else [(NONE_LABEL, None), *values]
    return []


def editor_for(field: Field, parent: QWidget | None, choices: Sequence[tuple[str, Any]] = ()) -> QWidget:
    items = list(choices) or choice_items(field)
    if items:
        combo = QComboBox(parent)
        # a long choice (an imported family's name) must not push the form onto two-line rows: the box
        # keeps a field's width, the list that drops down and the tooltip show the whole text
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(16)
        for label, value in items:
            combo.addItem(label, value)
            combo.setItemData(combo.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
        combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
        return combo
    if field.type == "longtext":
        text = QPlainTextEdit(parent)
        text.setTabChangesFocus(True)
        text.setMinimumHeight(64)
        return text
    line = QLineEdit(parent)
    if field.type == "date":
        line.setPlaceholderText("YYYY-MM-DD")
    elif field.type == "list":
        line.setPlaceholderText("comma separated")
    return line


def set_editor_value(editor: QWidget, field: Field, value: Any) -> None:
    editor.blockSignals(True)
    try:
        if isinstance(editor, QComboBox):
            index = editor.findData(value)
            editor.setCurrentIndex(max(index, 0))
        elif isinstance(editor, QPlainTextEdit):
            if editor.toPlainText() != (value or ""):
                editor.setPlainText(value or "")
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QLineEdit):
            editor.setText(", ".join(value) if isinstance(value, list) else display_raw(value))
            editor.setCursorPosition(0)
    finally:
        editor.blockSignals(False)


def display_raw(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def editor_value(editor: QWidget) -> Any:
    if isinstance(editor, QComboBox):
        return editor.currentData()
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText()
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QLineEdit):
        return editor.text()
    return None


class _FocusOut(QObject):
    def __init__(self, form: RecordForm, name: str) -> None:
        super().__init__(form)
        self._form = form
        self._name = name

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusOut:
            self._form._commit(self._name)
        return False


LABEL_WIDTH = 128  # a long label ("Training data version or hash") wraps instead of squeezing every field


def _label(title: str, buddy: QWidget) -> QLabel:
    label = QLabel(title)
    label.setWordWrap(True)
    label.setMinimumWidth(min(label.fontMetrics().horizontalAdvance(title) + 2, LABEL_WIDTH))  # short ones: 1 line
    label.setMaximumWidth(LABEL_WIDTH)
    label.setBuddy(buddy)
    return label


class RecordForm(QScrollArea):
    """The editor beside a table: one widget per field, each change committed when it is made."""

    edited = Signal(str, object)  # field name, new value

    def __init__(self, fields: Sequence[Field], parent: QWidget | None = None,
                 choices: dict[str, Sequence[tuple[str, Any]]] | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.fields = {field.name: field for field in fields}
        self.editors: dict[str, QWidget] = {}
        self._values: dict[str, Any] = {}
        body = QWidget()
        layout = QFormLayout(body)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)  # a field stays beside its label
        self.heading = QLabel()
        self.heading.setObjectName("formHeading")
        self.heading.setWordWrap(True)
        layout.addRow(self.heading)
        for field in fields:
            editor = editor_for(field, body, (choices or {}).get(field.name, ()))
            editor.setObjectName(f"edit_{field.name}")
            editor.setAccessibleName(field.title)
            self.editors[field.name] = editor
            layout.addRow(_label(field.title, editor), editor)
            if isinstance(editor, QComboBox):
                editor.activated.connect(lambda _i, n=field.name: self._commit(n))
            elif isinstance(editor, QLineEdit):
                editor.editingFinished.connect(lambda n=field.name: self._commit(n))
            elif isinstance(editor, QPlainTextEdit):
                editor.installEventFilter(_FocusOut(self, field.name))
        self.setWidget(body)
        self.set_record(None)

    def set_record(self, record: dict[str, Any] | None, heading: str = "", read_only: bool = False, *,
                   keep: Collection[str] = ()) -> None:
        """Show a record. `keep`: fields whose unsaved text stays in its editor (the same record shown again
        after someone else's change: what the auditor is typing is not lost; unsaved())."""
        kept = {name: self._values.get(name) for name in keep}
        self._values = {**(record or {}), **kept}
        self.heading.setText(heading if record else "Select a row to edit it here.")
        for name, editor in self.editors.items():
            editor.setEnabled(record is not None and not read_only)
            if name not in kept:
                set_editor_value(editor, self.fields[name], self._values.get(name))

    def unsaved(self) -> set[str]:
        """The text fields whose editor holds text not committed yet (typed, the cursor still there)."""
        return {name for name, editor in self.editors.items() if self._values
                and isinstance(editor, QLineEdit | QPlainTextEdit) and self._differs(name, editor_value(editor))}

    def _differs(self, name: str, value: Any) -> bool:
        old = self._values.get(name)
        return not (value == old or (value in ("", None) and old in ("", None, [])) or
                    (self.fields[name].type == "list" and isinstance(old, list) and value == ", ".join(old)) or
                    (isinstance(old, int | float) and display_raw(old) == value))

    def _commit(self, name: str) -> None:
        if not self._values:
            return
        value = editor_value(self.editors[name])
        if not self._differs(name, value):
            return
        self._values[name] = value
        self.edited.emit(name, value)


class FieldDelegate(QStyledItemDelegate):
    """Inline table editing with the same editors as the form (combo boxes for choices)."""

    def __init__(self, model: RecordTableModel, parent: QObject | None = None,
                 choices: dict[str, Sequence[tuple[str, Any]]] | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._choices = choices or {}

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        field = self._model.columns[index.column()].field
        editor = editor_for(field, parent, self._choices.get(field.name, ()))
        if isinstance(editor, QPlainTextEdit):  # inline, a long text is edited on one line
            editor.deleteLater()
            editor = QLineEdit(parent)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        field = self._model.columns[index.column()].field
        set_editor_value(editor, field, index.data(Qt.ItemDataRole.EditRole))

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        value = editor_value(editor)
        current = index.data(Qt.ItemDataRole.EditRole)
        if display_value(current) == value or display_raw(current) == value:
            return
        model.setData(index, value, Qt.ItemDataRole.EditRole)
