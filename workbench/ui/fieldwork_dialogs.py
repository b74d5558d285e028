"""The dialogs of fieldwork on several laptops: handing an engagement out, and deciding a merge's conflicts.

HandOutDialog shows every part of the engagement (each dimension, each sign-off section) with the auditor who
prepares it, editable, and where to write the hand-out package. ConflictDialog lays each conflict out side by
side: the record and field, this workspace's value with who changed it and when, the package's likewise, and
a choice; Merge stays disabled until every conflict has one (services.merge writes nothing before).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from workbench.domain.assignments import Assignment
    from workbench.domain.merge_plan import Conflict, Side
    from workbench.services.merge import MergePreview

__all__ = ["ConflictDialog", "HandOutDialog"]

KEEP = ("Choose…", "Keep mine", "Take theirs")
CHOICE_OF = {1: "mine", 2: "theirs"}


class HandOutDialog(QDialog):
    """Who prepares what, and the hand-out file: `changed()` and `target()` once accepted."""

    def __init__(self, ref: str, parts: list[Assignment], default_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handOutDialog")
        self.setWindowTitle(f"Hand out {ref} for fieldwork")
        self.parts = parts
        intro = QLabel("A colleague imports the hand-out on their laptop as this same engagement and works offline; "
                       "File ▸ Merge fieldwork… brings their work back. Assign the parts each auditor prepares "
                       "(the assignments travel with the engagement).")
        intro.setWordWrap(True)
        self.table = QTableWidget(len(parts), 2)
        self.table.setObjectName("assignments")
        self.table.setHorizontalHeaderLabels(["Part of the engagement", "Prepared by"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, part in enumerate(parts):
            title = QTableWidgetItem(f"{part.title}  ({part.scope.split(':')[0]})")
            title.setFlags(title.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, title)
            self.table.setItem(row, 1, QTableWidgetItem(part.auditor))
        self.path = QLineEdit(str(default_path))
        self.path.setObjectName("handOutPath")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(QLabel("Hand-out file:"))
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.hand_out = buttons.addButton("Hand out", QDialogButtonBox.ButtonRole.AcceptRole)
        self.hand_out.setObjectName("handOut")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(where)
        layout.addWidget(buttons)
        self.resize(760, 560)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Hand-out package", self.path.text(),
                                              "Engagement packages (*.mlaudit)")
        if path:
            self.path.setText(path)

    def changed(self) -> list[tuple[str, str]]:
        """(scope, auditor) of every part whose auditor was changed here."""
        result = []
        for row, part in enumerate(self.parts):
            item = self.table.item(row, 1)
            auditor = " ".join((item.text() if item is not None else "").split())
            if auditor != part.auditor:
                result.append((part.scope, auditor))
        return result

    def target(self) -> Path:
        text = self.path.text().strip()
        return Path(text if text.endswith(".mlaudit") else text + ".mlaudit").expanduser()


def _value_text(value: Any) -> str:
    if value is None:
        return "(deleted)"
    if isinstance(value, dict):  # a whole record (a deletion against a change): its plain fields
        shown = {k: v for k, v in value.items() if v not in ("", None, [], {}) and k != "uid"}
        return "\n".join(f"{k.replace('_', ' ')}: {v}" for k, v in list(shown.items())[:8])
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _side_item(side: Side) -> QTableWidgetItem:
    item = QTableWidgetItem(f"{_value_text(side.value)}\n— {side.actor}, {side.at[:16].replace('T', ' ')}")
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    item.setToolTip(_value_text(side.value))
    return item


class ConflictDialog(QDialog):
    """Each conflict of a merge side by side, with a choice; `choices()` once accepted."""

    def __init__(self, preview: MergePreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(f"Merge {preview.package} into {preview.engagement_ref}")
        self.conflicts: list[Conflict] = list(preview.conflicts)
        signer = f"signed by {preview.signer}" if preview.signer else "unsigned"
        count = len(self.conflicts)
        intro = QLabel(f"{preview.package} ({signer}) brings {preview.events} event(s); {preview.changes} record(s) "
                       f"change without a conflict. {count} change{'s' if count != 1 else ''} were made to the same "
                       "field on both laptops (or to a record the other deleted): choose which to keep for each. "
                       "Nothing is merged until every conflict is decided.")
        intro.setWordWrap(True)
        self.table = QTableWidget(count, 5)
        self.table.setObjectName("conflicts")
        self.table.setHorizontalHeaderLabels(["Record", "Field", "Mine (this workspace)", "Theirs (the package)",
                                              "Keep"])
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.boxes: list[QComboBox] = []
        for row, conflict in enumerate(self.conflicts):
            self._fill_row(row, conflict)
        self.table.resizeRowsToContents()
        self.all_mine = QPushButton("Keep all mine")
        self.all_theirs = QPushButton("Take all theirs")
        self.all_mine.clicked.connect(lambda: self._choose_all(1))
        self.all_theirs.clicked.connect(lambda: self._choose_all(2))
        self.status = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge = buttons.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge.setObjectName("merge")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row_of_buttons = QHBoxLayout()
        row_of_buttons.addWidget(self.all_mine)
        row_of_buttons.addWidget(self.all_theirs)
        row_of_buttons.addWidget(self.status, 1)
        row_of_buttons.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row_of_buttons)
        self.resize(1100, 560)
        self._update()

    def _fill_row(self, row: int, conflict: Conflict) -> None:
        record = QTableWidgetItem(conflict.label)
        what = QTableWidgetItem("deleted on one laptop, changed on the other" if conflict.deletion
                                else conflict.field.replace("_", " "))
        for item in (record, what):
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(row, 0, record)
        self.table.setItem(row, 1, what)
        self.table.setItem(row, 2, _side_item(conflict.mine))
        self.table.setItem(row, 3, _side_item(conflict.theirs))
        box = QComboBox()
        box.addItems(list(KEEP))
        box.setObjectName(f"keep-{row}")
        box.currentIndexChanged.connect(lambda _index: self._update())
        self.table.setCellWidget(row, 4, box)
        self.boxes.append(box)

    def _choose_all(self, index: int) -> None:
        for box in self.boxes:
            box.setCurrentIndex(index)

    def _update(self) -> None:
        open_ = sum(1 for box in self.boxes if box.currentIndex() not in CHOICE_OF)
        self.merge.setEnabled(open_ == 0)
        self.status.setText(f"{open_} conflict{'s' if open_ != 1 else ''} still to decide" if open_ else
                            "Every conflict is decided")

    def choices(self) -> dict[str, str]:
        return {conflict.id: CHOICE_OF[box.currentIndex()] for conflict, box in zip(self.conflicts, self.boxes,
                                                                                  strict=True)
                if box.currentIndex() in CHOICE_OF}
