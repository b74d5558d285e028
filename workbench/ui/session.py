"""The open engagement as the pages see it: its data, its undo stack, one change signal.

Pages never call each other: they call `apply()` for an edit and listen to `changed`. Every
edit goes through services (validated, audited, saved at once) and becomes an undo command.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from workbench.domain.errors import WorkbenchError
from workbench.domain.framework import Framework
from workbench.domain.scoring import ScoreCard
from workbench.services.document import (
    DOCUMENT_KINDS,
    apply_events,
    document_part,
    engagement_document,
    engagement_header,
)
from workbench.services.engagements import facts_of, score_in_session, score_of_document
from workbench.services.progress import Progress, compute_progress
from workbench.services.unit import reading, snapshot_of
from workbench.store.audit import chain_head, events_of
from workbench.store.workspace import Workspace

log = logging.getLogger(__name__)
# record kind → the document list it lives in; "engagement" covers the engagement and client
KEY_OF_KIND: dict[str, str] = {kind: key for key, kind in DOCUMENT_KINDS.items()} | {
    "engagement": "engagement", "evidence_link": "evidence"}
Action = Callable[[], Any]
MAX_EVENTS = 200  # more events than this (a big import) and the parts are re-read instead


def _may_change_score(events: list[dict[str, Any]]) -> bool:
    """Only assessments and what the verdict reads of findings move the score (not a title, say)."""
    for event in events:
        if event["entity"] == "assessment":
            return True
        if event["entity"] == "finding":
            before, after = event["before"], event["after"]
            if before is None or after is None or facts_of(before) != facts_of(after):
                return True
    return False


class ServiceCommand(QUndoCommand):
    """An edit already applied through services; redo/undo re-run the service calls."""

    def __init__(self, session: EngagementSession, text: str, redo: Action, undo: Action, kinds: set[str]) -> None:
        super().__init__(text)
        self._session = session
        self._redo = redo
        self._undo = undo
        self._kinds = kinds
        self._first = True

    def redo(self) -> None:
        if self._first:  # applied before the push, so a refused edit never enters the stack
            self._first = False
            return
        self._session.run_quietly(self._redo, self._kinds)

    def undo(self) -> None:
        self._session.run_quietly(self._undo, self._kinds)


class EngagementSession(QObject):
    changed = Signal(object)  # set of record kinds that changed
    failed = Signal(object)  # the exception of an edit that was refused
    navigate = Signal(str, str)  # a page asks to show (target kind, key) on its step: EngagementView.go_to

    def __init__(self, ws: Workspace, uid: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.uid = uid
        self.undo_stack = QUndoStack(self)
        self.document: dict[str, Any] = {}
        self.framework: Framework
        self.score: ScoreCard
        self._progress: Progress | None = None
        self._seq = 0  # the last audit event the document reflects
        self.reload()

    @property
    def ref(self) -> str:
        return str(self.document["engagement"]["ref"])

    @property
    def locked(self) -> bool:
        return bool(self.document["engagement"].get("locked_at"))

    def reload(self, kinds: set[str] | None = None) -> None:
        """Re-read the engagement; with `kinds`, only what an edit of those kinds changed.

        After an edit the session reads the audit events the edit wrote, which hold each changed
        record's new state, and applies them to the document (services.document.apply_events): on a
        5,000-finding engagement that is a millisecond where re-reading the findings took fifty.
        Anything unusual falls back to re-reading the parts named by `kinds`.
        """
        keys = None if kinds is None else {KEY_OF_KIND.get(kind, "*") for kind in kinds}
        with reading(self.ws, self.uid) as (session, engagement):
            if keys is None or "*" in keys or not self.document:
                self.framework = snapshot_of(session, engagement)
                self.document = engagement_document(session, engagement, audit_log=False)
                self.score = score_in_session(session, engagement, self.framework)
                self._seq = chain_head(session, engagement.uid)[0]
            else:
                self.document.update(engagement_header(session, engagement))
                events = events_of(session, engagement.uid, after_seq=self._seq, limit=MAX_EVENTS + 1)
                touched = apply_events(self.document, events, self._seq) if len(events) <= MAX_EVENTS else None
                if touched is None:
                    for key in keys - {"engagement"}:
                        self.document[key] = document_part(session, engagement, key)
                    self._seq = chain_head(session, engagement.uid)[0]
                    self.score = score_in_session(session, engagement, self.framework)
                else:
                    self._seq = events[-1]["seq"] if events else self._seq
                    if _may_change_score(events):
                        self.score = score_of_document(self.framework, self.document)
        self._progress = None  # computed when a page asks: ~5 ms on a big engagement, not needed by every edit

    @property
    def progress(self) -> Progress:
        """Completeness and warnings of every step, as of the last reload."""
        if self._progress is None:
            self._progress = compute_progress(self.framework, self.document)
        return self._progress

    def run(self, action: Action, kinds: set[str]) -> Any:
        try:
            result = action()
        except WorkbenchError as exc:
            self.failed.emit(exc)
            raise
        finally:
            self.reload(kinds)
            self.changed.emit(kinds)
        return result

    def run_quietly(self, action: Action, kinds: set[str]) -> None:
        """For undo/redo called from Qt: a refusal is reported through `failed`, never raised."""
        try:
            self.run(action, kinds)
        except WorkbenchError:
            pass
        except Exception as exc:
            log.exception("undo/redo failed")
            self.failed.emit(exc)

    def apply(self, text: str, redo: Action, undo: Action, kinds: set[str]) -> bool:
        """Apply an edit now and make it undoable; False (and `failed` emitted) if refused."""
        try:
            self.run(redo, kinds)
        except WorkbenchError:
            return False
        except Exception as exc:  # unexpected: logged, reported, never crashes the window
            log.exception("edit failed: %s", text)
            self.failed.emit(exc)
            return False
        self.undo_stack.push(ServiceCommand(self, text, redo, undo, kinds))
        return True

    def records(self, key: str) -> list[dict[str, Any]]:
        return list(self.document.get(key, []))
