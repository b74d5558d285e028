"""'Raise finding…' from a checklist answer that falls short or a health-check No: one undoable step that adds
the prefilled finding (services.raise_finding) and shows it on the findings step."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPushButton

from workbench.services import records as record_service
from workbench.services.finding_library import load_templates
from workbench.services.raise_finding import finding_for_item, finding_for_question
from workbench.ui.session import EngagementSession

TIP = "Add a finding for this answer, prefilled from the item and the finding library, and show it"


def raise_button(name: str) -> QPushButton:
    button = QPushButton("Raise finding…")
    button.setObjectName(name)
    button.setToolTip(TIP)
    return button


def add_finding(session: EngagementSession, values: dict[str, Any], about: str) -> str | None:
    """Add the finding as one undoable step and show it; its uid, or None when refused."""
    ws, uid = session.ws, session.uid
    created: dict[str, Any] = {}

    def redo() -> None:
        if "state" in created:
            record_service.restore_record(ws, uid, "finding", created["state"])
        else:
            created["uid"] = record_service.add_record(ws, uid, "finding", values)

    def undo() -> None:
        created["state"] = record_service.delete_record(ws, uid, "finding", created["uid"])

    if not session.apply(f"Raise finding on {about}", redo, undo, {"finding"}):
        return None
    session.navigate.emit("finding", created["uid"])
    return str(created["uid"])


def raise_for_item(session: EngagementSession, item_id: str, answer: str, note: str) -> str | None:
    values = finding_for_item(session.framework, item_id, answer, note, load_templates())
    return add_finding(session, values, item_id)


def raise_for_question(session: EngagementSession, question_id: str, note: str) -> str | None:
    values = finding_for_question(session.framework, question_id, note, load_templates())
    return add_finding(session, values, question_id)
