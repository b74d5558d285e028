"""A record page's edits as undoable service calls, and the record version they are based on.

A change is based on the version of the record the page shows (for the form's record: the version it showed when
the typing began), so one made after another auditor changed that record is refused in words and the page reloads
it (services.records.update_record's `seen_version`) instead of overwriting theirs silently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbench.services import records as record_service
from workbench.ui.record_form import RecordForm
from workbench.ui.session import EngagementSession


class RecordEdits:
    """Add, change and delete records of one kind through the session; remember what the form's edits are based on."""

    def __init__(self, session: EngagementSession, kind: str, describe: Callable[[dict[str, Any]], str]) -> None:
        self.session = session
        self.kind = kind
        self._describe = describe
        self.basis: tuple[str, int | None] | None = None  # (uid, version) of the record the form shows

    def show(self, form: RecordForm, record: dict[str, Any] | None, heading: str) -> None:
        """Show a record in the form. The same record shown again (someone else changed it, or another) keeps the
        text being typed in its editors, and the edit stays based on the version the form first showed: if that
        record changed underneath, saving it is refused."""
        uid = record.get("uid") if record else None
        keep = form.unsaved() if uid is not None and self.basis is not None and self.basis[0] == uid else set()
        if not keep:
            self.basis = (uid, self.session.version_of(self.kind, uid)) if uid is not None else None
        form.set_record(record, heading, self.session.read_only, keep=keep)

    def update(self, record: dict[str, Any], values: dict[str, Any], text: str) -> bool:
        """Change several fields of one record as one undo step, based on the version shown (see the module)."""
        uid, kind, session = record["uid"], self.kind, self.session
        old = {name: record.get(name) for name in values}  # and whatever else the change moved along (undo)
        label = self._describe(record) or kind
        # the first run only; redo and undo: the version shown then
        basis = {"version": self.basis[1] if self.basis is not None and self.basis[0] == uid else None}

        def put(changes: dict[str, Any]) -> dict[str, Any]:
            seen = basis.pop("version", None)
            return record_service.update_record(session.ws, session.uid, kind, uid, changes, seen_version=(
                seen if seen is not None else session.version_of(kind, uid)))

        return session.apply(f"{text} of {label}", lambda: old.update(put(values)), lambda: put(old), {kind})

    def add(self, values: dict[str, Any]) -> str | None:
        """A new record (undo deletes it, redo restores it as it was); its uid, or None if refused."""
        session, kind = self.session, self.kind
        created: dict[str, Any] = {}

        def redo() -> None:
            if "uid" in created:
                record_service.restore_record(session.ws, session.uid, kind, created["state"])
            else:
                created["uid"] = record_service.add_record(session.ws, session.uid, kind, values)

        def undo() -> None:
            created["state"] = record_service.delete_record(session.ws, session.uid, kind, created["uid"],
                                                            seen_version=session.version_of(kind, created["uid"]))

        return str(created["uid"]) if session.apply(f"Add {kind}", redo, undo, {kind}) else None

    def delete(self, uids: list[str]) -> None:
        """Delete records as one undo step (undo restores them with their links)."""
        session, kind = self.session, self.kind
        states: list[dict[str, Any]] = []

        def redo() -> None:  # all or none, as shown: refused (and reloaded) if one changed meanwhile
            states[:] = record_service.delete_records(session.ws, session.uid, kind, uids, seen_versions={
                uid: session.version_of(kind, uid) for uid in uids})

        def undo() -> None:
            for state in states:
                record_service.restore_record(session.ws, session.uid, kind, state)

        text = f"Delete {len(uids)} {kind}{'s' if len(uids) > 1 else ''}"
        touched = {kind, "evidence"} if kind in record_service.LINKED_KINDS else {kind}  # links go with it
        session.apply(text, redo, undo, touched)
