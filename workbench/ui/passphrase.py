"""Signing in the GUI: the passphrase dialog that stands in for the keychain, notices, background loading.

`services.signatures` asks for a passphrase through a *provider* (a callable taking a prompt and returning
the passphrase, or None when the user cancels). Here the provider is a modal dialog, so it must be called on
the GUI thread: pages unlock an identity first (on the GUI thread) and sign in a worker afterwards, with the
passphrase already kept by the keychain or for the session.

pyHanko and reportlab take seconds to import on a slow laptop; `preload` imports them in a background
thread when a signing screen opens, so the first click on Sign does not freeze the window.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.signing_rules import MIN_PASSPHRASE_LENGTH
from workbench.ui.appearance import mark_attention
from workbench.ui.status import show_status

if TYPE_CHECKING:
    from workbench.signing.keychain import PassphraseProvider

__all__ = ["PassphraseDialog", "check_new_passphrase", "dialog_provider", "notifier", "preload", "secret_field"]
log = logging.getLogger(__name__)
SIGNING_MODULES = ("workbench.services.signatures", "workbench.services.signing_engine")


def preload(*modules: str) -> None:
    """Import `modules` in a background thread unless already imported (a later import just waits for it)."""
    missing = [name for name in modules if name not in sys.modules]
    if not missing:
        return

    def load() -> None:
        for name in missing:
            try:
                importlib.import_module(name)
            except Exception:  # the real import on first use reports the problem in plain words
                log.warning("background import of %s failed", name, exc_info=True)

    threading.Thread(target=load, name="workbench-preload", daemon=True).start()


def _sentence(prompt: str) -> str:
    return prompt.strip().rstrip(":").strip()


def secret_field(name: str) -> QLineEdit:
    """A line edit for a passphrase (not shown as typed)."""
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class PassphraseDialog(QDialog):
    """Asks for one passphrase; a *new* passphrase is typed twice and must be long enough."""

    def __init__(self, prompt: str, *, new: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle("New passphrase" if new else "Passphrase")
        self.new = new
        self.prompt = QLabel(_sentence(prompt))
        self.prompt.setObjectName("passphrasePrompt")
        self.prompt.setWordWrap(True)
        self.field = secret_field("passphrase")
        self.repeat = secret_field("passphraseRepeat")
        self.notice = QLabel()
        self.notice.setObjectName("passphraseNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.problem = QLabel()
        self.problem.setObjectName("passphraseProblem")
        self.problem.setWordWrap(True)
        mark_attention(self.problem)
        self.problem.hide()
        form = QFormLayout()
        form.addRow("Passphrase", self.field)
        if new:
            form.addRow("Repeat", self.repeat)
        else:
            self.repeat.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.notice)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    def passphrase(self) -> str:
        return self.field.text()

    def accept(self) -> None:
        problem = check_new_passphrase(self.field.text(), self.repeat.text()) if self.new else (
            "" if self.field.text() else "Type the passphrase, or Cancel.")
        if problem:
            self.problem.setText(problem)
            self.problem.show()
            return
        super().accept()


def check_new_passphrase(first: str, repeat: str) -> str:
    """'' when a new passphrase is acceptable, else what is wrong in one sentence."""
    if len(first) < MIN_PASSPHRASE_LENGTH:
        return f"The passphrase must have at least {MIN_PASSPHRASE_LENGTH} characters."
    if first != repeat:
        return "The two passphrases differ."
    return ""


NOTICE_PROPERTY = "pendingSigningNotice"  # a notice the next passphrase dialog over this widget shows


def dialog_provider(parent: QWidget | None) -> PassphraseProvider:
    """A passphrase provider that opens a PassphraseDialog (GUI thread only); a signing notice given just
    before (no keychain) is shown inside it, not in a window of its own left behind it."""

    def provide(prompt: str) -> str | None:
        from workbench.services.signatures import NEW_PASSPHRASE_PROMPT  # the database layer: only when asked

        dialog = PassphraseDialog(prompt, new=prompt == NEW_PASSPHRASE_PROMPT, parent=parent)
        notice = str(parent.property(NOTICE_PROPERTY) or "") if parent is not None else ""
        if notice:
            parent.setProperty(NOTICE_PROPERTY, "")  # type: ignore[union-attr]
            dialog.show_notice(notice)
        try:
            return dialog.passphrase() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    return provide


def notifier(parent: QWidget | None) -> Callable[[str], None]:
    """A signing notice (the one-time "no keychain" message) in the status bar, and in the passphrase dialog
    that follows (dialog_provider): never a window of its own that stays open behind the prompt."""
    def notify(message: str) -> None:
        show_status(parent, message, 30000)
        if parent is not None:
            parent.setProperty(NOTICE_PROPERTY, message)

    return notify
