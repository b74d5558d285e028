"""The open engagement as the pages see it: its data, its undo stack, one change signal.

Pages never call each other: they call `apply()` for an edit and listen to `changed`. Every
edit goes through services (validated, audited, saved at once) and becomes an undo command.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from workbench.domain.errors import CheckedOutError, WorkbenchError
from workbench.domain.framework import Framework
from workbench.domain.scoring import ScoreCard
from workbench.domain.trail import NOTICE
from workbench.services.live_document import KEY_OF_KIND, LiveDocument, read_live_document, refresh_live_document
from workbench.services.progress import Progress, compute_progress, firm_gates
from workbench.services.record_versions import ABSENT, ANSWER_KINDS

if TYPE_CHECKING:
    from workbench.store.workspace import Workspace

log = logging.getLogger(__name__)
Action = Callable[[], Any]


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
        self._live: LiveDocument = read_live_document(ws, uid)
        self._progress: Progress | None = None
        self.checked_out = _checked_out(ws, uid)  # why the server's copy takes no change now ("": it does)

    @property
    def ref(self) -> str:
        return str(self.document["engagement"]["ref"])

    @property
    def locked(self) -> bool:
        return bool(self.document["engagement"].get("locked_at"))

    @property
    def read_only(self) -> bool:
        """The pages take no edit: the engagement is final, or checked out of this team server to a laptop."""
        return self.locked or bool(self.checked_out)

    @property
    def document(self) -> dict[str, Any]:
        return self._live.document

    @property
    def framework(self) -> Framework:
        return self._live.framework

    @property
    def score(self) -> ScoreCard:
        return self._live.score

    def reload(self, kinds: set[str] | None = None) -> None:
        """Re-read the engagement; with `kinds`, only what an edit of those kinds changed (services.live_document)."""
        if kinds is None:
            self._live = read_live_document(self.ws, self.uid)
        else:
            refresh_live_document(self.ws, self.uid, self._live, kinds)
        self._progress = None  # computed when a page asks: ~5 ms on a big engagement, not needed by every edit

    @property
    def progress(self) -> Progress:
        """Completeness and warnings of every step, as of the last reload."""
        if self._progress is None:
            self._progress = compute_progress(self.framework, self.document, firm_gates())
        return self._progress

    def run(self, action: Action, kinds: set[str]) -> Any:
        try:
            result = action()
        except WorkbenchError as exc:
            if isinstance(exc, CheckedOutError):  # checked out to a laptop meanwhile: the pages turn read-only
                self.checked_out = str(exc)
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
            log.exception("an edit of %s failed", ", ".join(sorted(kinds)))  # never the text: it may quote records
            self.failed.emit(exc)
            return False
        self.undo_stack.push(ServiceCommand(self, text, redo, undo, kinds))
        return True

    def records(self, key: str) -> list[dict[str, Any]]:
        return list(self.document.get(key, []))

    @property
    def seq(self) -> int:
        """The last audit event the pages show."""
        return self._live.seq

    def take_remote(self, kinds: set[str]) -> None:
        """Other auditors' committed changes of these kinds (a team server's notice): the pages refresh as after a
        local edit; what an editor holds unsaved stays (RecordPage). A trail notice may be a checkout to a laptop, a
        check-in or a release: whether the pages take edits is read again."""
        if NOTICE in kinds:
            was = self.checked_out
            self.checked_out = _checked_out(self.ws, self.uid)
            if self.checked_out != was:  # every page turns read-only, or editable again
                kinds = set(kinds) | set(KEY_OF_KIND)
        self.reload(kinds)
        self.changed.emit(kinds)

    def version_of(self, kind: str, key: str) -> int | None:
        """The version of a record as the pages show it (services.live_document): what an edit or delete of it is
        based on, so that one made after another auditor changed it is refused (services.record_versions). An
        answer the page shows as not given yet is ABSENT (0): one given meanwhile is refused too."""
        shown = self._live.versions.get(kind)
        if shown is None:
            return None
        return shown.get(key, ABSENT) if kind in ANSWER_KINDS else shown.get(key)


def _checked_out(ws: Workspace, uid: str) -> str:
    """On a team server, the reason an engagement checked out to a laptop is read-only here (services/checkout.py)."""
    if not ws.is_server:
        return ""
    from workbench.services.checkout import checkout_of

    mark = checkout_of(ws, uid)
    return mark.reason if mark is not None and mark.kind == "out" else ""
