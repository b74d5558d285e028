"""Parts of the Review page: the dialog that raises a note, and the sign-off table.

Both only read the session; the page turns their choices into service calls through
session.apply, so every raise and sign-off is undoable like any other edit.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.charts.palette import SEVERITY_HEX, SEVERITY_TEXT_HEX
from workbench.domain.enums import ReviewTarget, SignoffRole
from workbench.services.review import RECORD_TARGETS, SignoffNeed, target_label
from workbench.ui.session import EngagementSession

# status → (background, text) colours of the notes table: waiting notes stand out, closed ones do not
STATUS_COLOURS = {"open": "High", "answered": "Medium"}


def status_colours(row: dict[str, Any], name: str) -> tuple[QColor, QColor] | None:
    severity = STATUS_COLOURS.get(row.get("status", "")) if name == "status" else None
    if severity is None:
        return None
    return QColor(SEVERITY_HEX[severity]), QColor(SEVERITY_TEXT_HEX[severity])


def target_choices(session: EngagementSession, kind: str) -> list[tuple[str, str]]:
    """(label, key) pairs for the second combo of the note dialog, for one kind of target."""
    framework, document = session.framework, session.document
    if kind == ReviewTarget.ENGAGEMENT.value:
        return [("The engagement as a whole", "")]
    if kind == ReviewTarget.DIMENSION.value:
        return [(f"{d.id} · {d.name}", d.id) for d in framework.dimensions]
    if kind == ReviewTarget.CHECKLIST_ITEM.value:
        return [(f"{item.id} · {item.text[:70]}", item.id) for d in framework.dimensions for item in d.items]
    records = document.get(RECORD_TARGETS.get(kind, ""), [])
    title = ReviewTarget(kind).label
    return [(target_label(framework, document, kind, r["uid"]).removeprefix(title).strip() or r["uid"][:8], r["uid"])
            for r in records]


class NoteDialog(QDialog):
    """Raise a review note: what it is about (kind, then which one) and the question."""

    def __init__(self, session: EngagementSession, parent: QWidget | None = None, *, kind: str = "engagement",
                 key: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Raise a review note")
        self.setObjectName("noteDialog")
        self.session = session
        self.kind = QComboBox()
        self.kind.setObjectName("noteKind")
        for target in ReviewTarget:
            self.kind.addItem(target.label, target.value)
        self.target = QComboBox()
        self.target.setObjectName("noteTarget")
        self.target.setMinimumWidth(420)
        self.target.setMaxVisibleItems(20)
        self.text = QPlainTextEdit()
        self.text.setObjectName("noteText")
        self.text.setPlaceholderText("What should the preparer check, explain or fix?")
        self.text.setTabChangesFocus(True)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Raise note")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("About", self.kind)
        form.addRow("Which", self.target)
        form.addRow("", self.empty)
        form.addRow("Note", self.text)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.kind.currentIndexChanged.connect(lambda _i: self._fill_targets())
        self.text.textChanged.connect(self._update_ok)
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))
        self._fill_targets()
        if key:
            self.target.setCurrentIndex(max(self.target.findData(key), 0))
        self.resize(620, 340)

    def _fill_targets(self) -> None:
        kind = self.kind.currentData()
        self.target.clear()
        for label, key in target_choices(self.session, kind):
            self.target.addItem(label, key)
        self.target.setEnabled(kind != ReviewTarget.ENGAGEMENT.value and self.target.count() > 0)
        self.empty.setText("" if self.target.count() else f"This engagement has no {self.kind.currentText().lower()} "
                                                         "records yet.")
        self.empty.setVisible(not self.target.count())
        self._update_ok()

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.text.toPlainText().strip()) and self.target.count() > 0)

    def values(self) -> tuple[str, str, str]:
        """(target kind, target key, text)."""
        return self.kind.currentData(), self.target.currentData() or "", self.text.toPlainText()


class SignoffTable(QTableWidget):
    """Every sign-off the engagement expects: part, role, who signed when, and a button to sign or withdraw."""

    sign_requested = Signal(str, str)  # role, scope
    withdraw_requested = Signal(str)  # sign-off uid

    HEADERS = ("Part", "Signed", "")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.setObjectName("signoffTable")
        self.setHorizontalHeaderLabels(self.HEADERS)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.buttons: dict[tuple[str, str], QPushButton] = {}
        self._needs: dict[tuple[str, str], SignoffNeed] = {}

    def show_needs(self, needs: list[SignoffNeed], read_only: bool) -> None:
        """Fill the rows; buttons are made once per part and kept, so a refresh never leaves stale ones."""
        self._needs = {(need.role, need.scope): need for need in needs}
        self.setRowCount(len(needs))
        for row, need in enumerate(needs):
            role = SignoffRole(need.role).label.lower()
            text = f"Engagement ({role})" if not need.scope else need.label.removeprefix("Dimension ")
            part = QTableWidgetItem(text)
            part.setToolTip(f"{need.label}: {role} sign-off")
            if not need.scope:
                font = part.font()
                font.setBold(True)
                part.setFont(font)
            self.setItem(row, 0, part)
            given = need.given
            signed = QTableWidgetItem(f"✓ {given['name']}, {(given['signed_at'] or '')[:10]}" if given else "—")
            if given and given.get("note"):
                signed.setToolTip(given["note"])
            self.setItem(row, 1, signed)
            button = self._button(need.role, need.scope, row)
            button.setText("Withdraw" if given else "Sign off")
            button.setToolTip("Take this sign-off back" if given else f"Sign off {need.label.lower()} as {role}")
            button.setEnabled(not read_only)
        self.resizeRowsToContents()

    def _button(self, role: str, scope: str, row: int) -> QPushButton:
        button = self.buttons.get((role, scope))
        if button is None:
            button = QPushButton()
            button.setObjectName(f"sign_{role}_{scope or 'engagement'}")
            button.clicked.connect(lambda _=False, key=(role, scope): self._clicked(key))
            self.buttons[(role, scope)] = button
            self.setCellWidget(row, 2, button)
        return button

    def _clicked(self, key: tuple[str, str]) -> None:
        need = self._needs.get(key)
        if need is None:
            return
        if need.given:
            self.withdraw_requested.emit(need.given["uid"])
        else:
            self.sign_requested.emit(need.role, need.scope)
