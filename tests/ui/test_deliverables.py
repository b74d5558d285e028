"""The Deliverables page as an auditor uses it: render a preview, save it, sign it, and the cases that go wrong.

The keychain is an in-memory backend and identities live in a temporary folder (fixtures of tests/signing).
The executive summary is rendered rather than the full report to keep the tests short; both kinds go
through the same page code.
"""

from __future__ import annotations

import io
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from tests.helpers.signing import PASSPHRASE, NoKeychain, given
from workbench.services import deliverables, signatures
from workbench.services.engagements import update_engagement
from workbench.services.trail import verify_engagement

pytestmark = pytest.mark.usefixtures("memory_keyring", "identities_home")  # tests/conftest.py

RENDER_TIMEOUT_MS = 180_000


def open_page(window):
    window.show_step("deliverables")
    page = window.view.pages["deliverables"]
    assert window.view.stack.currentWidget() is page
    return page


def pdf_pages(pdf: Path | bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    data = pdf if isinstance(pdf, bytes) else pdf.read_bytes()
    return int(PdfFileReader(io.BytesIO(data), strict=False).root["/Pages"]["/Count"])


def render(qtbot, page, kind: str = "executive") -> None:
    """Choose the kind, click Render preview, wait until the preview is shown (or the render failed)."""
    page.kind.setCurrentIndex(page.kind.findData(kind))
    qtbot.mouseClick(page.render_button, Qt.MouseButton.LeftButton)
    assert page.render_task is not None and not page.render_button.isEnabled()
    qtbot.waitUntil(lambda: page.render_task is None, timeout=RENDER_TIMEOUT_MS)


def when_dialog(name: str, act: Callable[[QWidget], None], qtbot) -> None:
    """Run `act` on the modal dialog called `name` as soon as it is open (it blocks the test's call)."""
    def attempt(tries: int = 0) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and dialog.objectName() == name:
            act(dialog)
        elif tries < 400:
            QTimer.singleShot(25, lambda: attempt(tries + 1))

    QTimer.singleShot(0, attempt)


def signed_off(window, identity, role: str = "reviewer") -> None:
    """The identity gives a sign-off in the engagement (the signature's role must be one it holds)."""
    from workbench.services.attestation import unlock_signer
    from workbench.services.review import sign_off

    sign_off(window.ws, window.session.uid, role, signer=unlock_signer(identity.id, given(PASSPHRASE)))
    window.session.reload({"signoff"})


def press_ok(dialog: QWidget, qtbot) -> None:
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_render_preview_shows_the_report_and_save_as_copies_it(qtbot, window, tmp_path: Path, monkeypatch) -> None:
    page = open_page(window)
    assert page.draft.isChecked(), "an engagement that is not final gets a draft by default"
    assert not page.save_button.isEnabled() and not page.sign_button.isEnabled()

    # the report is held back until the test lets it go: the click must return with the work started
    # elsewhere, and the window must go on handling events meanwhile
    release, in_worker = threading.Event(), []
    real_render = deliverables.render_pdf

    def held_render(*args: object, **kwargs: object) -> deliverables.RenderedPdf:
        in_worker.append(threading.current_thread() is not threading.main_thread())
        assert release.wait(60), "the test never released the render"
        return real_render(*args, **kwargs)

    monkeypatch.setattr(deliverables, "render_pdf", held_render)
    page.kind.setCurrentIndex(page.kind.findData("executive"))
    qtbot.mouseClick(page.render_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(in_worker), timeout=RENDER_TIMEOUT_MS)
    assert in_worker == [True] and page.render_task is not None and page.rendered is None
    handled: list[bool] = []
    QTimer.singleShot(0, lambda: handled.append(True))
    qtbot.waitUntil(lambda: bool(handled))
    release.set()
    qtbot.waitUntil(lambda: page.render_task is None, timeout=RENDER_TIMEOUT_MS)

    rendered = page.rendered
    assert rendered is not None and rendered.kind == "executive" and rendered.draft
    assert page.preview.document.status() == QPdfDocument.Status.Ready
    assert page.preview.page_count() == pdf_pages(rendered.pdf) >= 2 and rendered.path is None  # in memory
    assert "Executive summary, draft" in page.status.text()
    assert page.save_button.isEnabled() and page.sign_button.isEnabled()

    target = tmp_path / "exports" / "summary.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target.with_suffix("")), ""))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes() == rendered.pdf
    assert str(target) in page.status.text()


def test_sign_with_a_test_identity_and_the_signed_file_verifies(qtbot, window, tmp_path: Path) -> None:
    """The sample is not final: the report is signed as an explicit draft, in a role its signer holds."""
    identity = signatures.create_identity("Jane Doe", "jane@example.com", "Doe Audit LLP", given(PASSPHRASE))
    signed_off(window, identity)
    page = open_page(window)
    render(qtbot, page)
    target = tmp_path / "signed summary.pdf"

    def fill(dialog: QWidget) -> None:
        assert dialog.identity.currentData() == identity.id
        assert [dialog.role.itemText(i) for i in range(dialog.role.count())] == ["Reviewer"]
        dialog.target.setText(str(target))
        press_ok(dialog, qtbot)  # not ticked as a draft: refused in the dialog
        assert "The engagement is not final" in dialog.problem.text() and dialog.isVisible()
        dialog.draft.setChecked(True)
        press_ok(dialog, qtbot)

    when_dialog("signDialog", fill, qtbot)
    qtbot.mouseClick(page.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.sign_task is None, timeout=RENDER_TIMEOUT_MS)

    result = signatures.verify_report(target)
    assert result.ok, result.problems
    uid = window.session.uid
    assert (result.engagement_uid, result.chain_head) == (uid, verify_engagement(window.ws, uid).head_hash)
    assert result.fingerprint == identity.fingerprint
    assert page.verification.result is not None and page.verification.result.ok
    assert page.verification.verdict.text().startswith("✓ Valid signature")
    assert page.rendered is not None and page.rendered.path == target and page.rendered.signed_by == "Jane Doe"
    assert page.preview.page_count() == pdf_pages(target)
    assert not page.sign_button.isEnabled(), "a signed report is not signed twice"
    last = str(pdf_pages(target))
    text = subprocess.run(["pdftotext", "-f", last, "-l", last, str(target), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "DRAFT — not an audit opinion" in text
    assert "Digitally signed by Jane Doe" in text and "Role: Reviewer" in text


def test_a_wrong_passphrase_is_a_plain_message_and_writes_nothing(qtbot, window, tmp_path: Path) -> None:
    identity = signatures.create_identity("Jane Doe", "jane@example.com", "Doe Audit LLP", given(PASSPHRASE))
    signed_off(window, identity)
    keyring.get_keyring().secrets.clear()  # type: ignore[attr-defined]
    from workbench.signing import keychain

    keychain.reset()
    page = open_page(window)
    render(qtbot, page)
    target = tmp_path / "signed.pdf"

    def fill(dialog: QWidget) -> None:
        dialog.target.setText(str(target))
        dialog.draft.setChecked(True)
        when_dialog("passphraseDialog", type_wrong, qtbot)
        press_ok(dialog, qtbot)

    def type_wrong(dialog: QWidget) -> None:
        assert identity.id in dialog.prompt.text()
        qtbot.keyClicks(dialog.field, "not the passphrase")
        press_ok(dialog, qtbot)

    when_dialog("signDialog", fill, qtbot)
    qtbot.mouseClick(page.sign_button, Qt.MouseButton.LeftButton)
    errors = [w for w in QApplication.topLevelWidgets() if w.objectName() == "errorDialog" and w.isVisible()]
    assert errors and "passphrase does not open the key" in errors[0].text()
    assert not target.exists() and page.sign_task is None and page.sign_button.isEnabled()


def test_without_keychain_or_identity_the_page_says_so_and_helps_create_one(qtbot, window, tmp_path: Path,
                                                                          monkeypatch) -> None:
    keyring.set_keyring(NoKeychain())
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    page = open_page(window)
    render(qtbot, page)
    target = tmp_path / "signed.pdf"

    def create(dialog: QWidget) -> None:
        qtbot.keyClicks(dialog.name, "Sam Auditor")
        qtbot.keyClicks(dialog.email, "sam@example.com")
        qtbot.keyClicks(dialog.firm, "Audit & Co")
        qtbot.keyClicks(dialog.passphrase, "a long passphrase")
        qtbot.keyClicks(dialog.repeat, "a long passphrase")
        when_dialog("signDialog", sign, qtbot)
        press_ok(dialog, qtbot)

    def sign(dialog: QWidget) -> None:
        assert "Sam Auditor" in dialog.identity.currentText()
        dialog.target.setText(str(target))
        dialog.draft.setChecked(True)
        press_ok(dialog, qtbot)  # a new identity holds no sign-off in this engagement: no role to sign in
        assert dialog.role.count() == 0 and "has given no sign-off in this engagement" in dialog.problem.text()
        dialog.reject()

    when_dialog("createIdentityDialog", create, qtbot)
    qtbot.mouseClick(page.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.sign_task is None, timeout=RENDER_TIMEOUT_MS)
    # the one-time "no keychain" notice is told in the status bar, not in a window left open behind the others
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert "No keychain is available" in window.statusBar().currentMessage()
    assert [i.name for i in signatures.list_identities()] == ["Sam Auditor"]
    assert not target.exists()


def test_cancelling_a_render_writes_nothing(qtbot, window, monkeypatch) -> None:
    """The render is held after its first step until the auditor has pressed Cancel: however fast the machine,
    the click lands on a render still running."""
    release = threading.Event()
    gather = deliverables.gather_report_data

    def held_until_cancelled(*args, **kwargs):
        release.wait(timeout=RENDER_TIMEOUT_MS / 1000)
        return gather(*args, **kwargs)

    monkeypatch.setattr(deliverables, "gather_report_data", held_until_cancelled)
    page = open_page(window)
    page.kind.setCurrentIndex(page.kind.findData("full"))
    qtbot.mouseClick(page.render_button, Qt.MouseButton.LeftButton)
    progress = page.findChild(QProgressDialog)
    assert progress is not None
    qtbot.waitUntil(progress.isVisible, timeout=10_000)  # shown once the render has run for 0.4 s: it is held
    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    assert page.render_task is not None and page.render_task.cancelled()
    release.set()
    qtbot.waitUntil(lambda: page.render_task is None, timeout=RENDER_TIMEOUT_MS)
    assert page.rendered is None and page.status.text() == "Rendering cancelled; nothing was written."


def test_a_preview_older_than_the_engagement_is_not_signed(qtbot, window, monkeypatch) -> None:
    signatures.create_identity("Jane Doe", "jane@example.com", "Doe Audit LLP", given(PASSPHRASE))
    page = open_page(window)
    render(qtbot, page)
    session = window.session
    old = session.document["engagement"]["title"]
    assert session.apply("Edit title", lambda: update_engagement(session.ws, session.uid, {"title": "Changed"}),
                         lambda: update_engagement(session.ws, session.uid, {"title": old}), {"engagement"})
    assert "render it again before signing" in page.status.text()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text, *_a: told.append(text))
    qtbot.mouseClick(page.sign_button, Qt.MouseButton.LeftButton)
    assert told and "changed after this preview" in told[0]
    assert page.sign_task is None


def test_identities_dialog_imports_a_pkcs12_and_a_trusted_ca(qtbot, window, tmp_path: Path, monkeypatch) -> None:
    from cryptography.hazmat.primitives import serialization

    from tests.helpers.signing import make_pkcs12

    make_pkcs12(tmp_path / "firm.p12", b"firm-secret")
    _leaf, colleague_ca = make_pkcs12(tmp_path / "colleague.p12", b"other")  # another firm's CA
    (tmp_path / "colleague-ca.pem").write_bytes(colleague_ca.public_bytes(serialization.Encoding.PEM))
    dialog = window.show_identities()  # Tools ▸ Signing identities…
    assert dialog.empty.isVisibleTo(dialog) and dialog.identities.rowCount() == 0

    chosen = iter([str(tmp_path / "firm.p12"), str(tmp_path / "colleague-ca.pem")])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (next(chosen), ""))

    def passphrase(box: QWidget) -> None:
        assert "firm.p12" in box.prompt.text()
        qtbot.keyClicks(box.field, "firm-secret")
        press_ok(box, qtbot)

    when_dialog("passphraseDialog", passphrase, qtbot)
    qtbot.mouseClick(dialog.findChild(QPushButton, "importIdentity"), Qt.MouseButton.LeftButton)
    assert dialog.identities.rowCount() == 1 and dialog.identities.item(0, 0).text() == "Max Mustermann"
    assert not dialog.empty.isVisibleTo(dialog)
    assert keyring.get_keyring().get_password("workbench", signatures.list_identities()[0].id) == "firm-secret"

    assert dialog.trusted.rowCount() == 1  # the imported identity's own CA
    qtbot.mouseClick(dialog.findChild(QPushButton, "importTrust"), Qt.MouseButton.LeftButton)
    origins = sorted(dialog.trusted.item(row, 2).text() for row in range(dialog.trusted.rowCount()))
    assert len(origins) == 2 and origins[1] == "imported"


def test_create_identity_dialog_refuses_differing_passphrases(qtbot) -> None:
    from workbench.ui.identity_dialog import CreateIdentityDialog

    dialog = CreateIdentityDialog()
    qtbot.addWidget(dialog)
    for field, text in ((dialog.name, "Jane Doe"), (dialog.email, "jane@example.com"),
                        (dialog.passphrase, "a long passphrase"), (dialog.repeat, "another passphrase")):
        qtbot.keyClicks(field, text)
    press_ok(dialog, qtbot)
    assert dialog.problem.text() == "The two passphrases differ." and dialog.identity is None
    dialog.repeat.clear()
    qtbot.keyClicks(dialog.repeat, "a long passphrase")
    dialog.email.setText("not an address")
    press_ok(dialog, qtbot)
    assert dialog.identity is None and "mail" in dialog.problem.text().lower()
    assert signatures.list_identities() == []


def test_export_docx_writes_the_unsigned_working_copy_in_the_background(qtbot, window, tmp_path: Path,
                                                                        monkeypatch) -> None:
    import docx

    page = open_page(window)
    page.kind.setCurrentIndex(page.kind.findData("executive"))
    target = tmp_path / "copies" / "summary"
    target.parent.mkdir()
    asked: list[str] = []

    def choose(_parent: object, _title: str, start: str, _filter: str) -> tuple[str, str]:
        asked.append(start)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    qtbot.mouseClick(page.docx_button, Qt.MouseButton.LeftButton)
    assert asked and asked[0].endswith("executive summary working copy.docx")
    assert page.working_copy.task is not None and not page.render_button.isEnabled()
    qtbot.waitUntil(lambda: page.working_copy.task is None, timeout=RENDER_TIMEOUT_MS)
    written = target.with_suffix(".docx")
    document = docx.Document(str(written))
    assert document.paragraphs[0].text.startswith("UNSIGNED WORKING COPY")
    assert str(written) in page.status.text() and "unsigned" in page.status.text().lower()
    assert page.render_button.isEnabled() and page.docx_button.isEnabled()

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: ("", ""))  # the user cancels
    qtbot.mouseClick(page.docx_button, Qt.MouseButton.LeftButton)
    assert page.working_copy.task is None
