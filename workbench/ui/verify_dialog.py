"""Verify a signed deliverable: open or drop a PDF and read, in plain words, whether it can be relied on.

`VerificationView` shows one `VerificationResult` (services.signatures.verify_report): a verdict line at the
top, then signer, signing time, intact, modified after signing, trusted (and why not), the certificate and
the engagement uid and audit-trail head the document is tied to. The Deliverables page reuses the view to
show the check of a report it has just signed. Verification runs in a worker: the first one of a session
loads pyHanko, which takes a second or more.
"""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.signing_rules import format_fingerprint
from workbench.ui.errors import user_message
from workbench.ui.passphrase import SIGNING_MODULES, preload
from workbench.ui.workers import Task, run_task

if TYPE_CHECKING:  # pyHanko loads in the worker that verifies, not when the dialog opens
    from workbench.signing.verify import VerificationResult

__all__ = ["VerificationView", "VerifyDialog", "verdict_text"]

VALID_HEX, INVALID_HEX = "#006B4F", "#882255"  # white text on each: contrast > 6:1
ROWS = (("signer", "Signer"), ("time", "Signed at"), ("intact", "Signed bytes intact"),
        ("modified", "Modified after signing"), ("trusted", "Signer trusted"), ("certificate", "Certificate"),
        ("fingerprint", "SHA-256 fingerprint"), ("engagement", "Engagement uid"), ("chain", "Audit-trail head"),
        ("problems", "Problems"))


def verdict_text(result: VerificationResult) -> str:
    """One plain sentence for the top of the view."""
    if result.ok:
        firm = f" ({result.signer_firm})" if result.signer_firm else ""
        return (f"✓ Valid signature. Signed by {result.signer_name}{firm}; nothing was changed after signing and "
                "the signer is trusted.")
    if not result.signed:
        return f"✗ Not signed. {result.problems[0] if result.problems else ''}".strip()
    return f"✗ Do not rely on this document. {result.verdict}"


def _trust_reason(result: VerificationResult) -> str:
    return next((p for p in result.problems if "untrusted" in p), "the certificate chain was not accepted")


def _groups(digest: str, size: int = 8) -> str:
    """A long hex digest in groups, so it wraps in a narrow panel and reads aloud more easily."""
    return " ".join(digest[i:i + size] for i in range(0, len(digest), size))


def _yes_no(flag: bool, yes: str, no: str) -> str:
    return yes if flag else no


class VerificationView(QFrame):
    """The outcome of one verification, or a short message while there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verificationView")
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.values: dict[str, QLabel] = {}
        grid = QGridLayout()  # QFormLayout keeps stale row heights when wrapped values change after showing
        grid.setColumnStretch(1, 1)
        top = Qt.AlignmentFlag.AlignTop
        for row, (key, title) in enumerate(ROWS):
            label = QLabel()
            label.setObjectName(f"verify_{key}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = label
            grid.addWidget(QLabel(title), row, 0, top)
            grid.addWidget(label, row, 1, top)
        self.details = QWidget()
        self.details.setLayout(grid)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.verdict)
        layout.addWidget(self.details)
        layout.addStretch(1)
        self.result: VerificationResult | None = None
        self.show_message("No document checked yet.")

    def _banner(self, text: str, colour: str | None) -> None:
        self.verdict.setText(text)
        self.verdict.setStyleSheet(f"QLabel#verdict {{ background: {colour}; color: white; padding: 10px; "
                                   "font-weight: bold; border-radius: 4px; }" if colour else
                                   "QLabel#verdict { padding: 10px 0px; }")

    def show_message(self, text: str, *, problem: bool = False) -> None:
        """A message instead of a result: while checking, before any check, or why a check failed."""
        self.result = None
        self._banner(text, INVALID_HEX if problem else None)
        self.details.hide()

    def show_result(self, result: VerificationResult) -> None:
        self.result = result
        self._banner(verdict_text(result), VALID_HEX if result.ok else INVALID_HEX)
        v = self.values
        for label in v.values():
            label.clear()
        v["problems"].setText("\n".join(f"• {p}" for p in result.problems) or "None")
        self.details.show()
        if not result.signed:
            for key, label in v.items():
                if key != "problems":
                    label.setText("—")
            return
        who = result.signer_name or "unknown"
        v["signer"].setText(who + (f" <{result.signer_email}>" if result.signer_email else "")
                            + (f", {result.signer_firm}" if result.signer_firm else ""))
        v["time"].setText(f"{result.signing_time.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC (as stated by the signer)"
                          if result.signing_time else "not stated")
        v["intact"].setText(_yes_no(result.intact, "Yes: the signed bytes are exactly as signed",
                                    "No: the document was altered inside the signed range"))
        v["modified"].setText(_yes_no(result.modified_after_signing,
                                      "Yes: a later revision changes the document", "No"))
        if result.trusted:
            v["trusted"].setText(f"Yes: issued by {result.trust_anchor}")
        elif not result.intact:  # pyHanko does not vouch for the signer of a signature that does not match
            v["trusted"].setText("Not established: the signature does not match the document")
        else:
            v["trusted"].setText(f"No: {_trust_reason(result)}")
        validity = (f"valid {result.certificate_not_before:%Y-%m-%d} to {result.certificate_not_after:%Y-%m-%d}"
                    if result.certificate_not_before and result.certificate_not_after else "")
        state = "expired" if result.expired else "not yet valid" if result.not_yet_valid else ""
        v["certificate"].setText(", ".join(part for part in (validity, state) if part) or "—")
        v["fingerprint"].setText(format_fingerprint(result.fingerprint) if result.fingerprint else "—")
        v["engagement"].setText(result.engagement_uid or "not recorded in the document")
        v["chain"].setText(_groups(result.chain_head) if result.chain_head else "not recorded in the document")


class VerifyDialog(QDialog):
    """Open or drop a PDF; the verdict and the details of its signature appear below."""

    checked = Signal(object)  # the VerificationResult

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verifyDialog")
        self.setWindowTitle("Verify a signed PDF")
        self.setAcceptDrops(True)
        self.path: Path | None = None
        self.task: Task | None = None
        self.drop_hint = QLabel("Drop a signed PDF here, or open one.")
        self.drop_hint.setObjectName("dropHint")
        self.file_label = QLabel()
        self.file_label.setObjectName("verifyFile")
        self.file_label.setWordWrap(True)
        self.open_button = QPushButton("Open PDF…")
        self.open_button.setObjectName("openPdf")
        self.open_button.clicked.connect(self.choose_file)
        top = QHBoxLayout()
        top.addWidget(self.drop_hint, 1)
        top.addWidget(self.open_button)
        self.view = VerificationView()
        self.view.show_message("No document checked yet.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.file_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(720, 520)
        preload(*SIGNING_MODULES)

    def choose_file(self) -> None:
        start = str(self.path.parent) if self.path else ""
        path, _ = QFileDialog.getOpenFileName(self, "Verify a signed PDF", start,
                                              "PDF documents (*.pdf);;All files (*)")
        if path:
            self.verify(Path(path))

    def verify(self, path: Path) -> None:
        """Check `path` in a worker; the result appears in the view and is emitted as `checked`."""
        if self.task is not None:
            self.task.cancel()  # a newer file replaces the one being checked; its result is ignored
        self.path = Path(path)
        self.file_label.setText(str(self.path))
        self.view.show_message(f"Checking {self.path.name}…")
        task: Task | None = None

        def done(result: VerificationResult) -> None:
            if task is self.task:
                self.task = None
                self.view.show_result(result)
                self.checked.emit(result)

        def failed(exc: BaseException) -> None:
            if task is self.task:
                self.task = None
                self.view.show_message(f"✗ {user_message(exc)}", problem=True)

        target = self.path

        def work(_task: Task) -> VerificationResult:
            from workbench.services.signatures import verify_report

            return verify_report(target)

        task = run_task(work, done, failed, parent=self, show_progress=False)
        self.task = task

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if _dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        path = _dropped_file(event)
        if path is not None:
            event.acceptProposedAction()
            self.verify(path)


def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    local = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
    return local[0] if len(local) == 1 else None
