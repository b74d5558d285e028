"""Deliverables: render the full report or executive summary, preview it in the app, save it or sign it.

Rendering and signing run in workers (ui.workers.run_task) with a progress dialog and Cancel, so the window
stays responsive. The preview is rendered into memory and never written to a temporary file (it holds client
data in clear); "Save as…" writes it where the auditor says. Signing first unlocks the identity on the GUI
thread (its passphrase may need a dialog), then signs the previewed PDF from memory into the deliverable in a
worker with the engagement uid and audit-trail chain head read when the preview was rendered, and checks the
result; if the engagement changed since the preview, the signature is refused, because the report would no
longer match the record it claims to come from. A final (locked) engagement can still be rendered and signed:
that is what finalising is for.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.fs.files import atomic_output
from workbench.ui.errors import show_error
from workbench.ui.folders import start_folder
from workbench.ui.identity_dialog import CreateIdentityDialog, IdentitiesDialog
from workbench.ui.passphrase import SIGNING_MODULES, dialog_provider, notifier, preload
from workbench.ui.pdf_preview import PdfPreview, display_copy
from workbench.ui.session import EngagementSession
from workbench.ui.sign_dialog import SignDialog
from workbench.ui.verify_dialog import VerificationView
from workbench.ui.workers import Task, run_task
from workbench.ui.working_copy import WorkingCopyExport

KINDS = (("Full report", "full"), ("Executive summary", "executive"))
KIND_NAMES = {value: text for text, value in KINDS}
REPORT_MODULES = ("workbench.services.deliverables",)
LAST_FOLDER = "deliverables/last_folder"


@dataclass(frozen=True)
class Rendered:
    """The PDF in the preview (held in memory) and what it was made from."""

    name: str  # the deliverable's file name
    pdf: bytes  # the report as rendered; once signed, the signed file's content
    kind: str
    draft: bool
    anchor: tuple[str, str]  # (engagement uid, audit-trail chain head) when it was rendered
    rendered_at: datetime
    path: Path | None = None  # the signed deliverable's file; an unsigned preview is in memory only
    signed_by: str = ""
    shown: bytes | None = None  # the PDF in the preview when it is not `pdf` (see pdf_preview.display_copy)


class DeliverablesPage(QWidget):
    """Kind and DRAFT choice, Render preview / Save as… / Sign…, the PDF itself and its signature check."""

    def __init__(self, session: EngagementSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_deliverables")
        self.session = session
        self.settings = QSettings()
        self.rendered: Rendered | None = None
        self.stale = False
        self.render_task: Task | None = None
        self.sign_task: Task | None = None
        self._locked = session.locked

        self.kind = QComboBox()
        self.kind.setObjectName("reportKind")
        for text, value in KINDS:
            self.kind.addItem(text, value)
        self.draft = QCheckBox("DRAFT mark on every page")
        self.draft.setObjectName("draftMark")
        self.draft.setToolTip("Reports of an engagement that is not final are drafts; a final engagement's "
                              "report carries no DRAFT mark unless you ask for one.")
        self.draft.setChecked(not self._locked)
        self.render_button = _button("Render preview", "renderPreview", self.render_preview)
        self.save_button = _button("Save as…", "saveReport", self.save_as)
        self.sign_button = _button("Sign…", "signReport", self.sign)
        self.docx_button = _button("Export DOCX…", "exportDocx", self.export_docx)
        self.docx_button.setToolTip("An editable Word copy of the chosen deliverable, made from the engagement as it "
                                    "is now and marked as an unsigned working copy. The signed PDF stays the "
                                    "deliverable.")
        self.working_copy = WorkingCopyExport(self, session, self.settings, self._say, self._update_buttons)
        identities = _button("Signing identities…", "signingIdentities", self.manage_identities)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Deliverable"))
        bar.addWidget(self.kind)
        bar.addWidget(self.draft)
        bar.addWidget(self.render_button)
        bar.addStretch(1)
        for button in (self.save_button, self.docx_button, self.sign_button, identities):
            bar.addWidget(button)

        self.status = QLabel()
        self.status.setObjectName("deliverableStatus")
        self.status.setWordWrap(True)
        self.preview = PdfPreview("Choose the deliverable and press Render preview to see it here before you save "
                                  "or sign it. Rendering runs in the background; you can cancel it.")
        self.verification = VerificationView()
        self.verification.show_message("Not signed yet. Anyone can check a signed report: here with Tools › "
                                       "Verify a signed PDF…, on the command line with workbench verify.")
        signature_box = QGroupBox("Signature")
        signature_layout = QVBoxLayout(signature_box)
        signature_layout.addWidget(self.verification)
        signature_layout.addStretch(1)
        splitter = QSplitter()
        splitter.setObjectName("deliverablesSplitter")
        splitter.addWidget(self.preview)
        splitter.addWidget(signature_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([760, 330])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        session.changed.connect(lambda _kinds: self.refresh())
        self.kind.currentIndexChanged.connect(lambda _i: self._update_buttons())
        self.draft.toggled.connect(lambda _on: self._update_buttons())
        preload(*REPORT_MODULES, *SIGNING_MODULES)
        self.refresh()

    def focus_target(self) -> QWidget:
        return self.render_button if self.render_button.isEnabled() else self.kind

    # -- state
    def refresh(self) -> None:
        """After any change to the engagement: the preview no longer shows the current record."""
        if self.session.locked != self._locked:
            self._locked = self.session.locked
            self.draft.setChecked(not self._locked)
        if self.rendered is not None and self.rendered.signed_by == "":
            self.stale = True
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.render_task is not None or self.sign_task is not None or self.working_copy.task is not None
        have = self.rendered is not None
        self.render_button.setEnabled(not busy)
        self.docx_button.setEnabled(not busy)
        self.save_button.setEnabled(have and not busy)
        self.sign_button.setEnabled(have and not busy and not (self.rendered and self.rendered.signed_by))
        self.status.setText(self._status_text())

    def _status_text(self) -> str:
        r = self.rendered
        if self.render_task is not None:
            return "Rendering…"
        if r is None:
            final = "final, so no DRAFT mark by default" if self._locked else "not final: the report is a draft"
            return f"The engagement is {final}."
        what = f"{KIND_NAMES[r.kind]}{', draft' if r.draft else ''}, rendered {r.rendered_at:%H:%M:%S}"
        if r.signed_by:
            return f"{what}; signed by {r.signed_by} and saved to {r.path}."
        if self.stale:
            return f"{what}. The engagement changed after this preview: render it again before signing."
        if (r.kind, r.draft) != (self.kind.currentData(), self.draft.isChecked()):
            return f"{what}. The choice above differs from the preview: render again to apply it."
        return f"{what}. Save it as it is, or sign it."

    # -- rendering
    def render_preview(self) -> Task | None:
        """Render the chosen deliverable in a worker; the preview shows it when done."""
        if self.render_task is not None or self.sign_task is not None:
            return None
        ws, uid = self.session.ws, self.session.uid
        kind, draft = str(self.kind.currentData()), self.draft.isChecked()

        def work(task: Task) -> Rendered:
            from workbench.services import deliverables
            from workbench.services.preferences import load_preferences
            from workbench.services.trail import engagement_anchor

            preferences = load_preferences()  # branding and day rate, as `workbench report` uses them
            anchor = engagement_anchor(ws, uid)
            pdf = deliverables.render_pdf(
                ws, uid, kind=kind, draft=draft, branding=preferences.branding(), cancelled=task.cancelled,
                progress=task.progress.emit, day_rate=preferences.day_rate, currency=preferences.currency,
                expect_head=anchor[1])
            return Rendered(pdf.name, pdf.data, kind, draft, anchor, datetime.now())

        self.render_task = run_task(work, self._rendered, self._render_failed, parent=self,
                                    label=f"Rendering the {KIND_NAMES[kind].lower()}…")
        self.render_task.progress.connect(
            lambda percent, text: self.status.setText(f"Rendering: {text} ({percent} %)"))
        self._update_buttons()
        return self.render_task

    def _rendered(self, rendered: Rendered) -> None:
        self.render_task = None
        self._show(rendered)
        self.verification.show_message("Not signed yet. Sign… adds your digital signature in the box on the "
                                       "last page.")

    def _show(self, rendered: Rendered) -> None:
        try:
            self.preview.load(rendered.shown or rendered.pdf, rendered.name,
                              KIND_NAMES[rendered.kind] + (" (draft)" if rendered.draft else ""))
        except WorkbenchError as exc:
            show_error(self, exc, "The preview cannot be shown")
            self.rendered = None
        else:
            self.rendered, self.stale = rendered, False
        self._update_buttons()

    def _render_failed(self, exc: BaseException) -> None:
        from workbench.reports.document import ReportCancelled

        self.render_task = None
        self._update_buttons()
        if isinstance(exc, ReportCancelled):
            self.status.setText("Rendering cancelled; nothing was written.")
        else:
            show_error(self, exc, "The report could not be rendered")

    # -- saving
    def _default_target(self, kind: str) -> Path:
        from workbench.services.deliverables import default_file_name

        return start_folder(self.settings, LAST_FOLDER) / default_file_name(self.session.ref, kind)

    def save_as(self) -> None:
        r = self.rendered
        if r is None:
            return
        name = r.path.name if r.path is not None else self._default_target(r.kind).name
        start = str(self._default_target(r.kind).parent / name)
        path, _ = QFileDialog.getSaveFileName(self, "Save the report", start, "PDF documents (*.pdf)")
        if not path:
            return
        target = Path(path if path.lower().endswith(".pdf") else path + ".pdf")
        try:
            save_file(r.pdf, target)
        except WorkbenchError as exc:
            show_error(self, exc, "The report was not saved")
            return
        self.settings.setValue(LAST_FOLDER, str(target.parent))
        self.status.setText(f"Saved to {target}.")

    def export_docx(self) -> Task | None:
        """The chosen deliverable as an unsigned DOCX working copy (asks where, writes in a worker)."""
        if self.render_task is not None or self.sign_task is not None:
            return None
        return self.working_copy.export(str(self.kind.currentData()))

    def _say(self, text: str) -> None:
        self.status.setText(text)

    # -- signing
    def sign(self) -> None:
        """Choose identity and role, unlock the key (GUI thread), sign and check the file (worker)."""
        r = self.rendered
        if r is None or r.signed_by or self.sign_task is not None:
            return
        if self.stale:
            QMessageBox.information(self, "Render again first", "The engagement changed after this preview was "
                                    "rendered. Render the preview again, look at it, then sign.")
            return
        from workbench.services import signatures

        try:
            identities = signatures.list_identities()
        except WorkbenchError as exc:
            show_error(self, exc, "The report was not signed")
            return
        if not identities and not self._offer_identity():
            return
        from workbench.services.report_signing import held_roles, signing_terms

        ws, uid = self.session.ws, self.session.uid
        dialog = SignDialog(signatures.list_identities(), self._default_target(r.kind),
                            lambda identity_id: held_roles(ws, uid, identity_id), self.session.locked, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        choice = dialog.choice()
        try:
            identity = signatures.get_identity(choice.identity_id)
            terms = signing_terms(ws, uid, identity.id, identity.name, choice.role, draft_signature=choice.draft,
                                  draft_mark=r.draft)
            signatures.unlock_identity(choice.identity_id, dialog_provider(self), notify=notifier(self))
        except signatures.PassphraseCancelled:
            self.status.setText("Not signed: no passphrase was given.")
            return
        except WorkbenchError as exc:
            show_error(self, exc, "The report was not signed")
            return
        self.settings.setValue(LAST_FOLDER, str(choice.target.parent))

        def work(task: Task) -> tuple[Any, Any, bytes] | None:
            from workbench.services.deliverables import signature_placement

            if signatures.engagement_anchor(ws, uid) != r.anchor:
                raise ValidationError("the engagement changed after the preview was rendered; render it again, "
                                      "then sign")
            if task.cancelled():
                return None
            place = signature_placement(r.pdf)
            signed = signatures.sign_report(r.pdf, choice.target, choice.identity_id, None, role=terms.role_label,
                                            engagement_uid=r.anchor[0], chain_head=r.anchor[1],
                                            page=place.page_index, box=place.rect, draft=terms.draft)
            return signed, signatures.verify_report(signed.path), display_copy(signed.path)

        self.sign_task = run_task(work, self._signed, self._sign_failed, parent=self, label="Signing the report…")
        self._update_buttons()

    def _offer_identity(self) -> bool:
        answer = QMessageBox.question(self, "No signing identity", "You have no signing identity yet. A report is "
                                      "signed with your own certificate. Create one now?")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return CreateIdentityDialog(self).exec() == QDialog.DialogCode.Accepted

    def _signed(self, outcome: tuple[Any, Any, bytes] | None) -> None:
        self.sign_task = None
        r = self.rendered
        if outcome is None or r is None:
            self._update_buttons()
            self.status.setText("Signing cancelled; nothing was written.")
            return
        signed, result, shown = outcome
        self._show(replace(r, name=signed.path.name, pdf=signed.path.read_bytes(), path=signed.path,
                           signed_by=signed.signer, shown=shown))
        self.verification.show_result(result)
        if not result.ok:
            self.status.setText(f"Signed and saved to {signed.path}, but the check of the file failed: "
                                f"{result.verdict}")

    def _sign_failed(self, exc: BaseException) -> None:
        self.sign_task = None
        self._update_buttons()
        show_error(self, exc, "The report was not signed")

    def manage_identities(self) -> None:
        IdentitiesDialog(self).exec()


def save_file(pdf: bytes, target: Path) -> None:
    """Write through a temporary file beside the target, so a failed write never leaves half a report."""
    try:
        with atomic_output(target) as out:
            out.write(pdf)
    except (OSError, WorkbenchError) as exc:
        raise WorkbenchError(f"cannot save the report: {exc}") from None


def _button(text: str, name: str, slot: Any) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.clicked.connect(slot)
    return button
