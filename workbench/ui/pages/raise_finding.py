"""'Raise finding…' from a checklist answer that falls short or a health-check No: one undoable step that adds
the prefilled finding (services.raise_finding) and shows it on the findings step."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QPushButton

from workbench.domain.errors import ValidationError
from workbench.services import records as record_service
from workbench.services.raise_finding import finding_for_item, finding_for_question
from workbench.services.record_library import LibraryEntry, library_entries, starter_entries
from workbench.ui.session import EngagementSession

TIP = "Add a finding for this answer, prefilled from the item and the library's findings, and show it"
log = logging.getLogger(__name__)


def library_findings() -> list[LibraryEntry]:
    """The library's findings; with the firm's library damaged, the starter ones (raising still works: the
    firm's file is refused in plain words where it is opened, From library…)."""
    try:
        return library_entries("finding")
    except ValidationError:
        log.warning("the firm's library cannot be read; raising from the starter findings", exc_info=True)
        return [e for e in starter_entries() if e.kind == "finding"]


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
        created["state"] = record_service.delete_record(ws, uid, "finding", created["uid"],
                                                        seen_version=session.version_of("finding", created["uid"]))

    if not session.apply(f"Raise finding on {about}", redo, undo, {"finding"}):
        return None
    session.navigate.emit("finding", created["uid"])
    return str(created["uid"])


def raise_for_item(session: EngagementSession, item_id: str, answer: str, note: str) -> str | None:
    values = finding_for_item(session.framework, item_id, answer, note, library_findings())
    return add_finding(session, values, item_id)


def raise_for_question(session: EngagementSession, question_id: str, note: str) -> str | None:
    values = finding_for_question(session.framework, question_id, note, library_findings())
    return add_finding(session, values, question_id)
