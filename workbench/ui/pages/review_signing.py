"""The review page's sign-offs, Finalise and Reopen.

A sign-off is an edit like any other (session.apply, undoable), attested by the signer's identity. Finalising and
reopening change what every page may do, so they are not undoable: they reload everything and clear the undo stack
(nothing done before them can be undone across the lock).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from workbench.domain.errors import WorkbenchError
from workbench.services import finalise as finalise_service
from workbench.services import review as review_service
from workbench.ui.errors import show_error
from workbench.ui.session import EngagementSession
from workbench.ui.signer_picker import SignerPicker

log = logging.getLogger(__name__)


class SignOffActions(QWidget):
    """What the review page does with the sign-off table and the Finalise / Reopen buttons."""

    session: EngagementSession
    sign_as: SignerPicker
    confirm: Callable[[str, str], bool]  # replaced in tests; in the app they ask with a dialog
    ask_reason: Callable[[], str | None]

    # -- sign-offs
    def sign_off(self, role: str, scope: str) -> None:
        """Sign off under the chosen identity (unlocked first: its key attests the sign-off)."""
        signer = self.sign_as.signer()
        if signer is None:
            return
        ws, uid, one_person = self.session.ws, self.session.uid, one_person_practice()
        kind, _, key = scope.partition(":")
        done: dict[str, Any] = {}

        def redo() -> None:
            if "state" in done:
                review_service.restore_signoff(ws, uid, done["state"], signer=signer, one_person_practice=one_person)
            else:
                done["uid"] = review_service.sign_off(ws, uid, role, signer=signer,
                                                      dimension=key if kind == "dimension" else None,
                                                      section=key if kind == "section" else None,
                                                      one_person_practice=one_person)

        def undo() -> None:
            done["state"] = review_service.withdraw_signoff(
                ws, uid, done["uid"], seen_version=self.session.version_of("signoff", done["uid"]))

        self.session.apply(f"Sign off {review_service.scope_label(self.session.framework, scope).lower()}", redo,
                           undo, {"signoff"})

    def withdraw_signoff(self, signoff_uid: str) -> None:
        ws, uid = self.session.ws, self.session.uid
        held: dict[str, Any] = {}

        def redo() -> None:
            held["state"] = review_service.withdraw_signoff(
                ws, uid, signoff_uid, seen_version=self.session.version_of("signoff", signoff_uid))

        def undo() -> None:  # the sign-off comes back only under its own identity, attested again
            state = held["state"]
            signer = self.sign_as.signer(state.get("identity_id") or None)
            if signer is None:
                raise WorkbenchError("the sign-off was not restored: its identity was not unlocked")
            review_service.restore_signoff(ws, uid, state, signer=signer, one_person_practice=one_person_practice())

        self.session.apply("Withdraw sign-off", redo, undo, {"signoff"})

    # -- finalise and reopen
    def finalise(self) -> bool:
        if not self.confirm("Finalise the engagement",
                            f"Finalise {self.session.ref}? It is then locked: nothing can be changed until it is "
                            "reopened, and reports no longer carry the DRAFT mark. Your identity's key attests "
                            "the final audit trail."):
            return False
        signer = self.sign_as.signer()
        if signer is None:
            return False
        return self._lifecycle(lambda: finalise_service.finalise(self.session.ws, self.session.uid, signer=signer))

    def reopen(self) -> bool:
        reason = self.ask_reason()
        if not reason or not reason.strip():
            return False
        signer = self.sign_as.signer()
        if signer is None:
            return False
        return self._lifecycle(lambda: finalise_service.reopen(self.session.ws, self.session.uid, reason,
                                                               signer=signer))

    def _lifecycle(self, action: Callable[[], Any]) -> bool:
        """Run finalise/reopen: every page reloads; the undo history ends here."""
        try:
            self.session.run(action, {"all", "engagement"})
        except WorkbenchError:
            return False  # the session reported it (failed signal)
        except Exception as exc:
            log.exception("finalise/reopen failed")
            show_error(self, exc)
            return False
        self.session.undo_stack.clear()
        return True

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def _ask_reason(self) -> str | None:
        text, ok = QInputDialog.getMultiLineText(self, "Reopen the engagement",
                                                 "Why is the final engagement reopened? The reason is recorded in "
                                                 "the audit trail as a review note to close before finalising again.")
        return text if ok else None


def one_person_practice() -> bool:
    """The one-person practice setting (preferences); an unreadable preferences file counts as off."""
    from workbench.services.preferences import load_preferences

    try:
        return load_preferences().one_person_practice
    except WorkbenchError:
        return False
