"""File › Export package… offers Protect: none / for recipients / with a passphrase; File › Import package…
opens an encrypted package with this computer's identity (its passphrase dialog if the keychain has none) or
asks the package's passphrase in the same dialog; a wrong one is refused and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QListWidget, QPushButton, QRadioButton

from tests.helpers import content_hash
from tests.helpers.qt import error_dialog, on_next_dialog
from tests.helpers.signing import PASSPHRASE as SIGNER_PASSPHRASE
from workbench.services.engagements import create_engagement, list_engagements
from workbench.services.package_envelope import Protection, is_sealed, recipient_certificates
from workbench.services.packages import export_package
from workbench.store.workspace import Workspace

PACKAGE_PASSPHRASE = "a passphrase for e-mail"
TIMEOUT_MS = 60_000


def test_export_protected_for_a_recipient(qtbot, window, tmp_path, monkeypatch, remembered_identities,
                                          identity_pool) -> None:
    target = tmp_path / "for-rui.mlaudit"
    reviewer_cert = str(identity_pool["reviewer"].cert_path)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([reviewer_cert], ""))
    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, items, *_a, **_k: (items[0], True))
    seen: dict[str, object] = {}

    def protect(dialog: QDialog) -> None:
        assert dialog.objectName() == "protectPackage"
        assert dialog.findChild(QRadioButton, "protectNone").isChecked()
        dialog.findChild(QRadioButton, "protectRecipients").setChecked(True)
        dialog.accept()  # no certificate chosen yet: refused in the dialog
        seen["problem"] = dialog.problem.text()
        dialog.findChild(QPushButton, "chooseCertificates").click()
        recipients = dialog.findChild(QListWidget, "recipientList")
        seen["recipients"] = [recipients.item(i).text() for i in range(recipients.count())]
        dialog.accept()

    problems = on_next_dialog(qtbot, protect)
    window.export_package_dialog(window.session.uid)
    qtbot.waitUntil(target.exists, timeout=TIMEOUT_MS)
    assert not problems
    assert seen["problem"] == "Choose the certificate of at least one recipient, or another protection."
    assert seen["recipients"] == ["Rui Reviewer <reviewer@example.com>"]
    assert is_sealed(target) and b"DriftGuardAI" not in target.read_bytes()


def test_export_with_a_passphrase_typed_twice(qtbot, window, tmp_path, monkeypatch, remembered_identities) -> None:
    target = tmp_path / "for-mail.mlaudit"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, items, *_a, **_k: (items[0], True))
    said: list[str] = []

    def protect(dialog: QDialog) -> None:
        dialog.findChild(QRadioButton, "protectPassphrase").setChecked(True)
        dialog.findChild(QLineEdit, "packagePassphrase").setText(PACKAGE_PASSPHRASE)
        dialog.findChild(QLineEdit, "packagePassphraseRepeat").setText(PACKAGE_PASSPHRASE + "?")
        dialog.accept()
        said.append(dialog.problem.text())
        dialog.findChild(QLineEdit, "packagePassphraseRepeat").setText(PACKAGE_PASSPHRASE)
        dialog.accept()

    problems = on_next_dialog(qtbot, protect)
    window.export_package_dialog(window.session.uid)
    qtbot.waitUntil(target.exists, timeout=TIMEOUT_MS)
    assert not problems and said == ["The two passphrases differ."] and is_sealed(target)


@pytest.fixture
def foreign(tmp_path: Path, preparer: object, identity_pool: dict[str, object]):
    """Packages of an engagement from another workspace, exported by the preparer and protected as asked."""
    source = Workspace(tmp_path / "elsewhere.db").open()
    uid = create_engagement(source, client="Northwind Lending", title="Scoring audit")

    def package(name: str, protection: Protection) -> Path:
        return export_package(source, uid, tmp_path / name, signer=preparer, protection=protection)  # type: ignore[arg-type]

    yield package
    source.close()


def answer_passphrase(text: str, prompts: list[str]):
    def answer(dialog: QDialog) -> None:
        assert dialog.objectName() == "passphraseDialog"
        prompts.append(dialog.prompt.text())
        dialog.field.setText(text)
        dialog.accept()
    return answer


def test_import_for_this_identity_asks_its_passphrase_once(qtbot, window, foreign, installed_identities,
                                                           identity_pool) -> None:
    certificate = recipient_certificates([identity_pool["reviewer"].cert_path])
    package = foreign("for-rui.mlaudit", Protection(certificate))
    prompts: list[str] = []
    problems = on_next_dialog(qtbot, answer_passphrase(SIGNER_PASSPHRASE, prompts))  # the keychain has none
    window.import_package_file(package)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Imported for-rui.mlaudit", timeout=TIMEOUT_MS)
    assert "Scoring audit" in [s.title for s in list_engagements(window.ws)]
    assert not problems and prompts == ["Passphrase of identity Rui Reviewer (" +
                                        installed_identities["reviewer"][0] + ")"]


def test_import_with_a_passphrase_asks_again_after_a_wrong_one(qtbot, window, foreign,
                                                               remembered_identities) -> None:
    package = foreign("for-mail.mlaudit", Protection(passphrase=PACKAGE_PASSPHRASE))
    before = content_hash(Path(window.ws.path))
    count = len(list_engagements(window.ws))
    prompts: list[str] = []
    notices: list[str] = []

    def then(second):
        def wrong(dialog: QDialog) -> None:
            prompts.append(dialog.prompt.text())
            problems.extend(on_next_dialog(qtbot, second))
            dialog.field.setText("not the passphrase")
            dialog.accept()
        return wrong

    def cancel(dialog: QDialog) -> None:
        notices.append(dialog.notice.text())
        dialog.reject()

    def right(dialog: QDialog) -> None:
        notices.append(dialog.notice.text())
        dialog.field.setText(PACKAGE_PASSPHRASE)
        dialog.accept()

    problems = on_next_dialog(qtbot, then(cancel))  # a wrong passphrase, asked again, then Cancel
    window.import_package_file(package)
    qtbot.waitUntil(lambda: len(notices) == 1, timeout=TIMEOUT_MS)
    assert prompts == ["Passphrase of the package for-mail.mlaudit"]
    assert notices == ["for-mail.mlaudit cannot be opened: the passphrase does not open it. Type it again, or "
                       "Cancel."]
    assert content_hash(Path(window.ws.path)) == before and len(list_engagements(window.ws)) == count
    notices.clear()
    problems += on_next_dialog(qtbot, then(right))  # wrong, then right: imported
    window.import_package_file(package)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Imported for-mail.mlaudit", timeout=TIMEOUT_MS)
    assert not problems and len(list_engagements(window.ws)) == count + 1 and len(notices) == 1


def test_a_package_for_someone_else_is_refused_before_anything_is_asked(qtbot, window, foreign,
                                                                        identity_pool) -> None:
    certificate = recipient_certificates([identity_pool["stranger"].cert_path])
    package = foreign("for-sam.mlaudit", Protection(certificate))
    before = content_hash(Path(window.ws.path))
    window.import_package_file(package)
    box = error_dialog(qtbot)
    assert "is encrypted for other recipients" in box.text() and "Sam Stranger" in box.text()
    assert content_hash(Path(window.ws.path)) == before


def test_choosing_certificates_selects_recipients_and_a_file_that_is_no_certificate_is_named(
        qtbot, identity_pool, tmp_path) -> None:
    from workbench.ui.package_protection import ProtectDialog

    dialog = ProtectDialog("x.mlaudit")
    qtbot.addWidget(dialog)
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    dialog.add_certificates([notes])
    assert dialog.problem.text() == "notes.txt is not a certificate (PEM or DER)."
    assert dialog.none.isChecked() and dialog.protection() is None
    assert dialog.choose.isEnabled() and not dialog.recipient_list.isEnabled()
    reviewer = identity_pool["reviewer"].cert_path
    dialog.add_certificates([reviewer])
    dialog.add_certificates([reviewer])  # the same certificate twice: listed once
    assert dialog.recipients.isChecked() and dialog.recipient_list.isEnabled() and dialog.recipient_list.count() == 1
    protection = dialog.protection()
    assert protection is not None and len(protection.certificates) == 1 and protection.passphrase is None


def test_the_identities_dialog_saves_the_selected_certificate_for_colleagues(
        qtbot, installed_identities, identity_pool, tmp_path, monkeypatch) -> None:
    from workbench.ui.identity_dialog import IdentitiesDialog

    dialog = IdentitiesDialog()
    qtbot.addWidget(dialog)
    target = tmp_path / "for-colleagues"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    names = [dialog.identities.item(row, 0).text() for row in range(dialog.identities.rowCount())]
    dialog.identities.selectRow(names.index("Rui Reviewer"))
    dialog.findChild(QPushButton, "saveCertificate").click()
    written = tmp_path / "for-colleagues.pem"
    assert written.read_bytes() == identity_pool["reviewer"].cert_path.read_bytes()
    assert recipient_certificates([written])  # what Export's Choose certificates… takes
