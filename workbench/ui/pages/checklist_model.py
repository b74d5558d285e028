"""How a checklist item looks and what the checklist shows of it: answer styles (badge, label, colour, also on a
graded item's scale), an item's answer, note and evidence count, and the list model of one dimension's items.

Kept apart from the painting and the keyboard so the health check and the selected-item pane can use the
styles and the state without the view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from workbench.charts.palette import ANSWER_HEX, OKABE_ITO, answer_key
from workbench.domain.framework import ChecklistItem
from workbench.domain.scales import AnswerScale

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class AnswerStyle:
    value: str
    label: str
    badge: str
    fill: str  # "" = outlined badge in the text colour (unanswered)


ANSWERS: tuple[AnswerStyle, ...] = (
    AnswerStyle("yes", "Yes", "YES", OKABE_ITO["bluish_green"]),
    AnswerStyle("partial", "Partial", "PARTIAL", OKABE_ITO["orange"]),
    AnswerStyle("no", "No", "NO", OKABE_ITO["vermillion"]),
    AnswerStyle("na", "Not applicable", "N/A", "#B4B4B4"),
    AnswerStyle("unanswered", "Unanswered", "—", ""),
)
ANSWER_STYLE = {style.value: style for style in ANSWERS}
ANSWER_ROLE = Qt.ItemDataRole.UserRole + 1
NOTE_ROLE = Qt.ItemDataRole.UserRole + 2
EVIDENCE_ROLE = Qt.ItemDataRole.UserRole + 3
STYLE_ROLE = Qt.ItemDataRole.UserRole + 4
ID_ROLE = Qt.ItemDataRole.UserRole
BADGE_CHARACTERS = 9


def answer_style(scale: AnswerScale, answer: str) -> AnswerStyle:
    """How an answer looks on its item's scale: yes / partial / no as always, a graded option by its label
    and coloured by its declared score (full marks green, part orange, none red; a recorded need blue)."""
    if not scale.graded or answer in ("na", "unanswered"):
        return ANSWER_STYLE.get(answer, ANSWER_STYLE["unanswered"])
    option = scale.option(answer)
    if option is None:
        return ANSWER_STYLE["unanswered"]
    badge = option.label.upper()
    if len(badge) > BADGE_CHARACTERS:
        badge = badge[:BADGE_CHARACTERS - 1].rstrip(" -") + "…"
    return AnswerStyle(answer, option.label, badge, ANSWER_HEX[answer_key(answer, option.score)])


@dataclass(frozen=True)
class ItemState:
    answer: str = "unanswered"
    note: str = ""
    evidence: int = 0
    target: str = ""  # graded items: target state and priority (the capability table)
    priority: str = ""


def item_states(document: dict[str, Any]) -> dict[str, ItemState]:
    """Every answered item's state, and the evidence count of every item files are linked to."""
    evidence: dict[str, int] = {}
    for record in document["evidence"]:
        for key in {link["target_key"] for link in record.get("links", []) if link["target_kind"] == "checklist_item"}:
            evidence[key] = evidence.get(key, 0) + 1
    responses = {r["item_id"]: r for r in document["checklist"]}
    states = {item_id: ItemState(str(r.get("answer") or "unanswered"), str(r.get("note") or ""),
                                 evidence.get(item_id, 0), str(r.get("target") or ""), str(r.get("priority") or ""))
              for item_id, r in responses.items()}
    for item_id, count in evidence.items():
        if item_id not in states:
            states[item_id] = ItemState(evidence=count)
    return states


class ChecklistModel(QAbstractListModel):
    """The items of one dimension; their answers come from `state(item_id)` so a refresh keeps the cursor."""

    def __init__(self, state: Callable[[str], ItemState]) -> None:
        super().__init__()
        self.items: tuple[ChecklistItem, ...] = ()
        self._state = state

    def set_items(self, items: Sequence[ChecklistItem]) -> None:
        self.beginResetModel()
        self.items = tuple(items)
        self.endResetModel()

    def refresh(self) -> None:
        if self.items:
            self.dataChanged.emit(self.index(0), self.index(len(self.items) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        state = self._state(item.id)
        style = answer_style(item.scale, state.answer)
        values = {
            Qt.ItemDataRole.DisplayRole: item.text, ID_ROLE: item.id, ANSWER_ROLE: state.answer,
            NOTE_ROLE: _note_line(item, state), EVIDENCE_ROLE: state.evidence, STYLE_ROLE: style,
            Qt.ItemDataRole.ToolTipRole: f"<b>{item.id}</b> — {escape(item.text)}<br><i>{escape(item.guidance)}</i>"
                                         + (f"<br>Scale: {escape(item.scale.name)}" if item.scale.graded else ""),
            Qt.ItemDataRole.AccessibleTextRole: f"{item.id}: {item.text}. Answer: {style.label}",
        }
        return values.get(Qt.ItemDataRole(role))


def _note_line(item: ChecklistItem, state: ItemState) -> str:
    """The note under an item; a graded item's target and priority lead it ("Target Advanced · high priority")."""
    plan = []
    if state.target:
        plan.append(f"Target {item.scale.label(state.target)}")
    if state.priority:
        plan.append(f"{state.priority} priority")
    return " · ".join(plan) + (" — " if plan and state.note else "") + state.note

