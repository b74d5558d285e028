"""The Verify dialog: open or drop a PDF and read whether it can be relied on, and why not."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog

from tests.helpers.signing import MARKER, PASSPHRASE, add_page_content, given, make_pdf
from workbench.domain.signing_rules import format_fingerprint
from workbench.services import signatures
from workbench.signing import identities
from workbench.ui.verify_dialog import VerifyDialog

pytestmark = pytest.mark.usefixtures("memory_keyring", "identities_home")  # tests/conftest.py

ENGAGEMENT = "3c9d1f00-5e6a-4b7c-8d9e-0123456789ab"
HEAD = "5a" * 32


@pytest.fixture
def signed(tmp_path: Path) -> tuple[Path, identities.Identity]:
    identity = signatures.create_identity("Jane Doe", "jane@example.com", "Doe Audit LLP", given(PASSPHRASE))
    out = tmp_path / "signed.pdf"
    signatures.sign_report(make_pdf(tmp_path / "report.pdf"), out, identity.id, None, role="Lead auditor",
                           engagement_uid=ENGAGEMENT, chain_head=HEAD)
    return out, identity


def check(qtbot, dialog: VerifyDialog, path: Path):
    with qtbot.waitSignal(dialog.checked, timeout=60_000) as blocker:
        dialog.verify(path)
    return blocker.args[0]


def value(dialog: VerifyDialog, key: str) -> str:
    return dialog.view.values[key].text()


def test_a_signed_report_is_valid_with_every_detail(qtbot, signed) -> None:
    path, identity = signed
    dialog = VerifyDialog()
    qtbot.addWidget(dialog)
    result = check(qtbot, dialog, path)
    assert result.ok
    assert dialog.view.verdict.text().startswith("✓ Valid signature. Signed by Jane Doe (Doe Audit LLP)")
    assert value(dialog, "signer") == "Jane Doe <jane@example.com>, Doe Audit LLP"
    assert value(dialog, "time").endswith("UTC (as stated by the signer)")
    assert value(dialog, "intact").startswith("Yes") and value(dialog, "modified") == "No"
    assert value(dialog, "trusted").startswith("Yes: issued by") and "Jane Doe" in value(dialog, "trusted")
    assert value(dialog, "fingerprint") == format_fingerprint(identity.fingerprint)
    assert value(dialog, "engagement") == ENGAGEMENT
    assert value(dialog, "chain").replace(" ", "") == HEAD
    assert value(dialog, "problems") == "None"


def test_a_byte_flipped_in_the_signed_range_is_not_intact(qtbot, signed) -> None:
    path, _ = signed
    data = bytearray(path.read_bytes())
    data[data.find(MARKER.encode())] ^= 0x01
    path.write_bytes(bytes(data))
    dialog = VerifyDialog()
    qtbot.addWidget(dialog)
    result = check(qtbot, dialog, path)
    assert not result.ok
    assert dialog.view.verdict.text().startswith("✗ Do not rely on this document.")
    assert value(dialog, "intact").startswith("No: the document was altered")
    assert value(dialog, "trusted").startswith("Not established")
    assert "not intact" in value(dialog, "problems")


def test_content_added_after_signing_is_reported_as_a_modification(qtbot, signed) -> None:
    path, _ = signed
    add_page_content(path)
    dialog = VerifyDialog()
    qtbot.addWidget(dialog)
    check(qtbot, dialog, path)
    assert value(dialog, "intact").startswith("Yes")  # the signed bytes are untouched...
    assert value(dialog, "modified").startswith("Yes")  # ...but a later revision changed the page
    assert "modified after signing" in dialog.view.verdict.text()


def test_an_unknown_signer_is_untrusted_and_the_dialog_says_why(qtbot, tmp_path: Path) -> None:
    stranger = identities.create_identity("Eve Stranger", "eve@example.com", "Elsewhere", PASSPHRASE,
                                          base=tmp_path / "elsewhere" / "identities")
    from workbench.signing import sign

    with (tmp_path / "foreign.pdf").open("wb") as out:
        sign.sign_pdf(make_pdf(tmp_path / "r.pdf"), out, key=identities.load_private_key(stranger, PASSPHRASE),
                      certificate=stranger.certificate(), chain=stranger.chain(), signer_name=stranger.name)
    dialog = VerifyDialog()
    qtbot.addWidget(dialog)
    check(qtbot, dialog, tmp_path / "foreign.pdf")
    assert value(dialog, "trusted").startswith("No: The signer is untrusted")
    assert value(dialog, "engagement") == "not recorded in the document"
    assert "untrusted" in dialog.view.verdict.text()


def test_dropping_a_file_checks_it_and_a_non_pdf_gets_a_plain_answer(qtbot, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("meeting notes, not a report")
    dialog = VerifyDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(notes))])
    with warnings.catch_warnings():  # PySide marks the only QDragEnterEvent constructor deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(dialog.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
    dialog.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(dialog.rect().center()), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(dialog.checked, timeout=60_000):
        dialog.dropEvent(drop)
    assert dialog.view.verdict.text() == "✗ Not signed. notes.txt is not a PDF file."
    assert value(dialog, "signer") == "—"


def test_the_tools_menu_opens_the_dialog_and_open_pdf_checks_the_chosen_file(qtbot, window, signed,
                                                                             monkeypatch) -> None:
    path, _ = signed
    action = window.findChild(QAction, "verify_pdf")
    assert action is not None and action.text() == "Verify a signed PDF…"
    action.trigger()
    dialog = window.findChild(VerifyDialog)
    assert dialog is not None and dialog.isVisible()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))
    with qtbot.waitSignal(dialog.checked, timeout=60_000):
        qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert dialog.view.result is not None and dialog.view.result.ok
    assert dialog.file_label.text() == str(path)
