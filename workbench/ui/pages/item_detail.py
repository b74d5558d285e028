"""The assessment step's "Selected item" pane: the item in full, its note, its evidence and, for a graded
item, its target state and priority (its row of the capability table)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.enums import Rating
from workbench.domain.framework import ChecklistItem
from workbench.services import assessment as assessment_service
from workbench.ui.pages.checklist_model import ItemState, answer_style
from workbench.ui.pages.raise_finding import raise_button, raise_for_item
from workbench.ui.session import EngagementSession
from workbench.ui.text_commit_edit import TextCommitEdit


class PlanRow(QWidget):
    """Target state and priority of a graded item; each change is one undoable service call."""

    def __init__(self, session: EngagementSession, state: Callable[[str], ItemState],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._state = state
        self.item: ChecklistItem | None = None
        self.target = QComboBox()
        self.target.setObjectName("itemTarget")
        self.target.setAccessibleName("Target state")
        self.target.activated.connect(lambda _i: self._save("target", self.target.currentData()))
        self.priority = QComboBox()
        self.priority.setObjectName("itemPriority")
        self.priority.setAccessibleName("Priority")
        self.priority.addItem("No priority", None)
        for rating in Rating:
            self.priority.addItem(rating.label, rating.value)
        self.priority.activated.connect(lambda _i: self._save("priority", self.priority.currentData()))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Target"))
        layout.addWidget(self.target, 1)
        layout.addWidget(QLabel("Priority"))
        layout.addWidget(self.priority, 1)

    def show_item(self, item: ChecklistItem | None) -> None:
        """Shown for graded items only; a yes / partial / no item has no target state."""
        self.item = item if item is not None and item.scale.graded else None
        self.setVisible(self.item is not None)
        if self.item is None:
            return
        state = self._state(self.item.id)
        self.target.clear()
        self.target.addItem("No target", "")
        for option in self.item.scale.options:
            self.target.addItem(option.label, option.value)
        self.target.setCurrentIndex(max(self.target.findData(state.target), 0))
        self.priority.setCurrentIndex(max(self.priority.findData(state.priority or None), 0))
        for box in (self.target, self.priority):
            box.setEnabled(not self.session.locked)

    def _save(self, name: str, value: Any) -> bool:
        item = self.item
        if item is None or self.session.locked:
            return False
        state = self._state(item.id)
        old = state.target if name == "target" else (state.priority or None)
        if (value or None) == (old or None):
            return True
        ws, uid, seen = self.session.ws, self.session.uid, self.session.version_of
        shown = item.scale.label(value) if name == "target" and value else (value or "none")
        return self.session.apply(
            f"Set {name} of {item.id} to {shown}",
            lambda: assessment_service.plan_item(ws, uid, item.id, **{name: value},
                                                 seen_version=seen("checklist", item.id)),
            lambda: assessment_service.plan_item(ws, uid, item.id, **{name: old},
                                                 seen_version=seen("checklist", item.id)),
            {"checklist"})


class ItemDetail(QGroupBox):
    """What the page shows of the selected checklist item, below the checklist."""

    attach_requested = Signal()

    def __init__(self, session: EngagementSession, state: Callable[[str], ItemState],
                 parent: QWidget | None = None) -> None:
        super().__init__("Selected item", parent)
        self.label = QLabel()
        self.label.setObjectName("itemLabel")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.note = TextCommitEdit("Note for this item (Enter saves, Shift+Enter new line)", enter_commits=True)
        self.note.setObjectName("itemNote")
        self.note.setAccessibleName("Note")
        self.note.setMaximumHeight(64)
        self.plan = PlanRow(session, state)
        self.evidence_label = QLabel()
        self.evidence_label.setObjectName("itemEvidence")
        self.evidence_label.setWordWrap(True)
        self.attach_button = QPushButton("Attach evidence…")
        self.attach_button.setObjectName("attachEvidence")
        self.attach_button.setToolTip("Attach files supporting the selected checklist item")
        self.attach_button.clicked.connect(self.attach_requested)
        self.item_actions = QHBoxLayout()  # buttons acting on the item, beside "Attach evidence…"
        self.session, self._state = session, state
        self.item: ChecklistItem | None = None
        self.raise_button = raise_button("raiseFinding")
        self.raise_button.clicked.connect(self.raise_finding)
        self.item_actions.addWidget(self.raise_button, 0, Qt.AlignmentFlag.AlignTop)
        evidence_row = QHBoxLayout()
        evidence_row.addWidget(self.evidence_label, 1)
        evidence_row.addLayout(self.item_actions)
        evidence_row.addWidget(self.attach_button, 0, Qt.AlignmentFlag.AlignTop)
        item_scroll = QScrollArea()  # a catalog control's statement and guidance can run to pages
        item_scroll.setWidgetResizable(True)
        item_scroll.setObjectName("itemText")
        item_scroll.setAccessibleName("Selected item's statement and guidance")  # a Tab stop: arrows scroll it
        item_scroll.setWidget(self.label)
        item_scroll.setMaximumHeight(150)
        layout = QVBoxLayout(self)
        layout.addWidget(item_scroll)
        layout.addWidget(self.plan)
        layout.addWidget(self.note)
        layout.addLayout(evidence_row)
        self.plan.setVisible(False)

    def show_item(self, item: ChecklistItem | None, empty: str) -> None:
        """The item in full with its answer, its plan and the files supporting it; `empty` says why there is none."""
        self.plan.show_item(item)
        self.offer_finding(item)
        self.note.setEnabled(item is not None)
        if item is None:
            self.label.setText(empty)
            self.evidence_label.clear()
            return
        answer = answer_style(item.scale, self._state(item.id).answer).label
        guidance = f"<br><i>{escape(item.guidance)}</i>" if item.guidance else ""
        self.label.setText(f"<b>{escape(item.id)}</b> — {escape(answer)}<br>"
                           f"{escape(item.text)}{guidance}".replace("\n", "<br>"))
        names = [r["file_name"] for r in self.session.document["evidence"]
                 if any(link["target_kind"] == "checklist_item" and link["target_key"] == item.id
                        for link in r.get("links", []))]
        self.evidence_label.setText(f"Evidence ({len(names)}): {', '.join(names)}" if names
                                    else "No evidence attached to this item yet.")

    def offer_finding(self, item: ChecklistItem | None) -> None:
        """'Raise finding…' for an answer that falls short of full marks (No, Partial, Basic …)."""
        self.item = item
        answer = self._state(item.id).answer if item is not None else "unanswered"
        self.raise_button.setEnabled(item is not None and not self.session.locked and item.scale.falls_short(answer))

    def raise_finding(self) -> str | None:
        if self.item is None or not self.raise_button.isEnabled():
            return None
        state = self._state(self.item.id)
        return raise_for_item(self.session, self.item.id, state.answer, state.note)
