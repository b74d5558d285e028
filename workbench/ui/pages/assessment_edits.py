"""The assessment step's changes, each one undoable service call: an item's answer and note, a dimension's level,
target and justification, files attached to an item as its evidence.

Apart from the page that shows them, so the rules of a change live in one place: it is based on the version the
page shows (one changed meanwhile by another auditor is refused and reloaded), "not applicable" needs a reason,
and several files are attached all together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QInputDialog, QWidget

from workbench.services import assessment as assessment_service
from workbench.services import evidence as evidence_service
from workbench.ui.pages.checklist_model import ItemState, answer_style
from workbench.ui.session import EngagementSession

KEEP: Any = object()  # "leave the note as it is"
ASSESSMENT_FIELDS = {"level": "current_level", "target": "target_level"}  # set_assessment's names -> the record's


def assessment_record(session: EngagementSession, dimension_id: str) -> dict[str, Any]:
    """A dimension's assessment as stored (level, target, justification); {} while none is recorded."""
    return next((a for a in session.document["assessments"] if a["dimension_id"] == dimension_id), {})


class AssessmentEdits:
    """Answers, notes, levels and evidence of the engagement shown, through the session (one undo step each)."""

    def __init__(self, session: EngagementSession, state: Callable[[str], ItemState], parent: QWidget) -> None:
        self.session = session
        self._state = state  # the answer and note of an item as the page shows them
        self._parent = parent
        # replaced in tests; in the app it asks with a dialog
        self.ask_na_reason: Callable[[str], str | None] = self._ask_na_reason

    def answer_item(self, item_id: str, answer: str, note: Any = KEEP) -> bool:
        old = self._state(item_id)
        ws, uid = self.session.ws, self.session.uid
        if answer == old.answer and (note is KEEP or note == old.note):
            return True
        if answer == "na" and not str(old.note if note is KEEP else note).strip():
            reason = (self.ask_na_reason(item_id) or "").strip()  # not applicable counts as covered: say why
            if not reason:
                return False
            note = reason
        scale = self.session.framework.item(item_id)[1].scale
        what = "note of" if note is not KEEP else f"{answer_style(scale, answer).label.lower()} to"
        keep_note: dict[str, Any] = {} if note is KEEP else {"note": note}
        seen = self.session.version_of  # based on the answer shown: one changed meanwhile is refused and reloaded
        return self.session.apply(
            f"Set {what} {item_id}",
            lambda: assessment_service.answer_item(ws, uid, item_id, answer, **keep_note,
                                                   seen_version=seen("checklist", item_id)),
            lambda: assessment_service.answer_item(ws, uid, item_id, old.answer, old.note,
                                                   seen_version=seen("checklist", item_id)),
            {"checklist"})

    def _ask_na_reason(self, item_id: str) -> str | None:
        text, ok = QInputDialog.getMultiLineText(
            self._parent, "Not applicable", f"Why does {item_id} not apply to this engagement? The reason is kept as "
                                            "the item's note and shown in the report.")
        return text if ok else None

    def set_assessment(self, dimension_id: str, text: str, name: str, value: Any) -> bool:
        """One field of a dimension's assessment (level, target or justification); `text` names the change."""
        old = assessment_record(self.session, dimension_id).get(ASSESSMENT_FIELDS.get(name, name))
        if old == value or self.session.read_only:
            return True
        ws, uid, seen = self.session.ws, self.session.uid, self.session.version_of
        return self.session.apply(
            f"{text} of {dimension_id}",
            lambda: assessment_service.set_assessment(ws, uid, dimension_id, **{name: value},
                                                      seen_version=seen("assessment", dimension_id)),
            lambda: assessment_service.set_assessment(ws, uid, dimension_id, **{name: old},
                                                      seen_version=seen("assessment", dimension_id)),
            {"assessment"})

    def attach_evidence(self, item_id: str, paths: Sequence[Path | str]) -> bool:
        """Attach files, each linked to a checklist item, as one undo step: all of them or none."""
        session = self.session
        if session.read_only or not paths:
            return False
        ws, uid = session.ws, session.uid
        created: list[str] = []

        def redo() -> None:
            created.clear()
            try:
                for path in paths:
                    created.append(evidence_service.attach_file(ws, uid, Path(path),
                                                                links=[("checklist_item", item_id)]))
            except Exception:
                undo()
                raise

        def undo() -> None:
            evidence_service.remove_evidence_files(ws, uid, created[::-1],
                                                   {made: session.version_of("evidence", made) for made in created})
            created.clear()

        names = ", ".join(Path(p).name for p in paths)
        return session.apply(f"Attach {names} to {item_id}", redo, undo, {"evidence"})
