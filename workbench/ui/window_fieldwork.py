"""The main window's fieldwork commands: File ▸ Hand out… and File ▸ Merge fieldwork… (services/fieldwork.py,
services/merge.py). A merge is applied through the open engagement's session, so it is one undo step: undo
puts every record it changed back as it was (the trail keeps the merged events and records the undo)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from workbench.ui.errors import show_error
from workbench.ui.folders import start_folder

if TYPE_CHECKING:
    from workbench.services.attestation import Signer
    from workbench.services.merge import MergePreview
    from workbench.services.package_envelope import OpeningKeys
    from workbench.store.workspace import Workspace
    from workbench.ui.library import LibraryPage
    from workbench.ui.session import EngagementSession


class FieldworkCommands(QMainWindow):
    """File › Hand out… and File › Merge fieldwork…, for the main window."""

    ws: Workspace
    settings: QSettings
    library: LibraryPage
    session: EngagementSession | None
    open_engagement: Callable[[str], None]

    def hand_out_dialog(self) -> None:
        from workbench.services.fieldwork import assign, assignments, hand_out
        from workbench.ui.fieldwork_dialogs import HandOutDialog
        from workbench.ui.package_trust import choose_export_signer

        uid = self.session.uid if self.session else self.library.selected_uid()
        if not uid:
            return
        ref = next((s.ref for s in self.library.summaries if s.uid == uid), "engagement")
        folder = Path(str(start_folder(self.settings, "paths/last_folder")))
        try:
            parts = assignments(self.ws, uid)
        except Exception as exc:
            show_error(self, exc, "Cannot hand the engagement out")
            return
        dialog = HandOutDialog(ref, parts, folder / f"{ref}-fieldwork.mlaudit", self)
        if not dialog.exec():
            return
        choice = choose_export_signer(self)
        if not choice.go:
            return
        try:
            for scope, auditor in dialog.changed():
                assign(self.ws, uid, scope, auditor)
            written = hand_out(self.ws, uid, dialog.target(), signer=choice.signer)
        except Exception as exc:
            show_error(self, exc, "Engagement not handed out")
            return
        self.settings.setValue("paths/last_folder", str(written.parent))
        self.statusBar().showMessage(f"Handed out {written}", 8000)

    def merge_fieldwork_dialog(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Merge fieldwork", str(start_folder(self.settings,
                                                                                           "paths/last_folder")),
                                                  "Engagement packages (*.mlaudit);;All files (*)")
        if path:
            self.merge_fieldwork_file(Path(path))

    def merge_fieldwork_file(self, path: Path, untrusted: bool = False, keys: OpeningKeys | None = None) -> None:
        from workbench.services.merge import preview_merge
        from workbench.ui.package_trust import UntrustedPackage, confirm_untrusted

        self.settings.setValue("paths/last_folder", str(path.parent))
        keys = keys or self._hand_out_keys(path)
        if keys is None:
            return
        try:
            preview = preview_merge(self.ws, path, untrusted=untrusted, keys=keys)
        except UntrustedPackage as exc:
            if confirm_untrusted(self, exc):
                self.merge_fieldwork_file(path, untrusted=True, keys=keys)
            return
        except Exception as exc:
            show_error(self, exc, "Fieldwork not merged")
            return
        if preview.nothing_new:
            QMessageBox.information(self, "Nothing to merge", f"{preview.engagement_ref} already holds every event "
                                                              f"of {path.name}.")
            return
        choices = self._decide(preview)
        if choices is None:
            return
        signer = self._merge_signer()
        if signer is not None:
            self._apply_merge(preview, path, signer, choices, untrusted, keys)

    def _hand_out_keys(self, path: Path) -> OpeningKeys | None:
        """What opens the hand-out: nothing for a clear one; this identity's key or the package's passphrase
        for an encrypted one (asked here, as Import asks). None: refused or cancelled, already said."""
        from workbench.services.package_envelope import OpeningKeys, sealed_for
        from workbench.ui.package_protection import opening_keys

        try:
            found = sealed_for(path)
        except Exception as exc:
            show_error(self, exc, "Fieldwork not merged")
            return None
        return OpeningKeys() if found is None else opening_keys(self, path, found)

    def _decide(self, preview: MergePreview) -> dict[str, Any] | None:
        from workbench.ui.fieldwork_dialogs import ConflictDialog

        if not preview.conflicts:
            return {}
        dialog = ConflictDialog(preview, self)
        return dialog.choices() if dialog.exec() else None

    def _merge_signer(self) -> Signer | None:
        from workbench.domain.errors import WorkbenchError
        from workbench.services.attestation import unlock_signer
        from workbench.services.signatures import PassphraseCancelled
        from workbench.ui.passphrase import dialog_provider, notifier

        try:
            return unlock_signer(None, dialog_provider(self), notify=notifier(self))
        except PassphraseCancelled:
            return None
        except WorkbenchError as exc:
            show_error(self, exc, "The merge needs your signing identity to attest it")
            return None

    def _apply_merge(self, preview: MergePreview, path: Path, signer: Signer, choices: dict[str, Any],
                     untrusted: bool, keys: OpeningKeys) -> None:
        from workbench.services.merge import merge_package, restore_states

        if self.session is None or self.session.uid != preview.engagement_uid:
            self.open_engagement(preview.engagement_uid)
        session = self.session
        if session is None or session.uid != preview.engagement_uid:
            return
        done: dict[str, Any] = {}

        def redo() -> None:
            if "result" not in done:
                done["result"] = merge_package(self.ws, path, signer=signer, choices=choices,
                                               untrusted=untrusted, keys=keys)
            else:
                restore_states(self.ws, preview.engagement_uid, done["result"].after, "redo_merge")

        def undo() -> None:
            restore_states(self.ws, preview.engagement_uid, done["result"].before, "undo_merge")

        from workbench.services.document import DOCUMENT_KINDS

        kinds = set(DOCUMENT_KINDS.values()) | {"engagement", "evidence_link"}  # a merge may touch any record
        if session.apply(f"Merge fieldwork from {path.name}", redo, undo, kinds):
            result = done["result"]
            notes = "; ".join(change.note() for change in result.renumbered)
            self.statusBar().showMessage(f"Merged {preview.events} event(s) of {path.name}: {result.changed} "
                                         f"record(s) changed" + (f". {notes}" if notes else ""), 12000)
            self.library.refresh()
