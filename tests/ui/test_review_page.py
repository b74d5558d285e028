"""The Review step as reviewer and preparer use it: notes, sign-offs, finalise, read-only pages, reopen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)

from workbench.services import records
from workbench.services.trail import verify_engagement
from workbench.ui.pages import PAGE_CLASSES
from workbench.ui.pages.review_widgets import NoteDialog

# widgets that only read, search, filter or copy out: they stay usable on a final engagement
# (filter combos are named "filter_<field>" or "<something>Filter")
READ_ONLY_NAMES = {"search", "export", "saveToLibrary", "save", "reopen", "exportChecklist", "newSigningIdentity",
                   "guidance"}
READ_ONLY_COMBOS = {"signAs"}  # who signs: it changes nothing until a sign-off, finalising or reopening
READ_ONLY_TEXTS = {"Copy"}


@pytest.fixture(autouse=True)
def identities(remembered_identities):
    """The preparer's and reviewer's identities on this computer, their passphrases in the keychain (the page
    is built with the window, so they must exist first)."""
    return remembered_identities


def choose(page, identity_id: str) -> None:
    page.sign_as.combo.setCurrentIndex(page.sign_as.combo.findData(identity_id))


@pytest.fixture
def page(window):
    window.show_step("review")
    return window.view.pages["review"]


def notes(window) -> dict[str, dict]:
    return {n["uid"]: n for n in records.list_records(window.ws, window.session.uid, "review_note")}


def undo(window) -> None:
    window.findChild(QAction, "undo").trigger()


def redo(window) -> None:
    window.findChild(QAction, "redo").trigger()


def settle(window, page) -> None:
    """Close every waiting note, sign off (as Ana Preparer) the sections the sample left open and give the
    reviewer's sign-off (as Rui Reviewer), through the page."""
    from workbench.services.signatures import list_identities

    people = {i.name: i.id for i in list_identities()}
    page.show_box.setCurrentIndex(0)
    while page.model.rowCount():
        page.notes.selectRow(0)
        page.close_button.click()
    choose(page, people["Ana Preparer"])
    for key in ("section:roadmap", "section:matrices", "section:evidence"):
        page.signoffs.buttons[("preparer", key)].click()
    choose(page, people["Rui Reviewer"])
    page.signoffs.buttons[("reviewer", "")].click()


def test_page_shows_waiting_notes_signoffs_and_blockers(page, window) -> None:
    assert page.model.rowCount() == 3  # the sample: 2 open, 1 answered (and 2 closed)
    assert {page.model.row_at(r)["status"] for r in range(3)} == {"open", "answered"}
    page.show_box.setCurrentIndex(page.show_box.findText("All notes"))
    assert page.model.rowCount() == 5
    assert page.signoffs.rowCount() == 2 + 8 + 8
    assert page.signoffs.item(1, 0).text() == "Engagement (reviewer)" and page.signoffs.item(1, 1).text() == "—"
    assert "no reviewer sign-off yet" in page.blockers.text()
    assert not page.finalise_button.isEnabled() and not page.reopen_button.isEnabled()
    assert window.view.steps.item(list(PAGE_CLASSES).index("review")).data(Qt.ItemDataRole.DisplayRole) == \
        "Review and sign-off"


def test_raise_answer_close_with_undo(qtbot, page, window, monkeypatch) -> None:
    finding = next(f for f in window.session.document["findings"] if f["ref"] == "F-003")

    def fill(dialog: NoteDialog) -> int:
        dialog.kind.setCurrentIndex(dialog.kind.findData("finding"))
        dialog.target.setCurrentIndex(dialog.target.findData(finding["uid"]))
        qtbot.keyClicks(dialog.text, "Which log shipper was reviewed?")
        assert dialog.buttons.buttons()[0].isEnabled()
        return 1

    monkeypatch.setattr(NoteDialog, "exec", fill)
    before = set(notes(window))
    qtbot.mouseClick(page.raise_button, Qt.MouseButton.LeftButton)
    [uid] = set(notes(window)) - before
    note = notes(window)[uid]
    assert (note["target_kind"], note["target_key"], note["status"]) == ("finding", finding["uid"], "open")
    assert page.current_note()["uid"] == uid and "Finding F-003" in page.note_view.toPlainText()
    undo(window)
    assert uid not in notes(window)
    redo(window)
    assert notes(window)[uid]["text"] == "Which log shipper was reviewed?"

    page.select_note(uid)
    page.answer.setFocus()
    qtbot.keyClicks(page.answer, "Fluent Bit, config in evidence")
    page.signoffs.buttons[("preparer", "section:roadmap")].click()  # another edit refreshes the page...
    assert page.answer.toPlainText() == "Fluent Bit, config in evidence"  # ...without losing unsaved typing
    qtbot.mouseClick(page.answer_button, Qt.MouseButton.LeftButton)
    assert notes(window)[uid]["status"] == "answered"
    assert notes(window)[uid]["answer"] == "Fluent Bit, config in evidence"
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    assert notes(window)[uid]["status"] == "closed"
    assert page.current_note() is None or page.current_note()["uid"] != uid  # closed notes leave "Waiting"
    undo(window)
    assert notes(window)[uid]["status"] == "answered"
    page.select_note(uid)
    qtbot.mouseClick(page.reopen_note_button, Qt.MouseButton.LeftButton)
    assert notes(window)[uid]["status"] == "open"
    assert verify_engagement(window.ws, window.session.uid).ok


def test_sign_off_and_withdraw_buttons(qtbot, page, window, identities) -> None:
    choose(page, identities["preparer"][0])
    button = page.signoffs.buttons[("preparer", "section:roadmap")]
    assert button.text() == "Sign off"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    signed = [s for s in records.list_records(window.ws, window.session.uid, "signoff")
              if s["scope"] == "section:roadmap"]
    assert [(s["role"], s["name"], s["identity_id"]) for s in signed] == [
        ("preparer", "Ana Preparer", identities["preparer"][0])]
    assert button.text() == "Withdraw"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not any(s["scope"] == "section:roadmap" for s in records.list_records(window.ws, window.session.uid,
                                                                                  "signoff"))
    undo(window)  # the withdrawal
    assert any(s["uid"] == signed[0]["uid"] for s in records.list_records(window.ws, window.session.uid, "signoff"))
    undo(window)  # the sign-off
    assert not any(s["scope"] == "section:roadmap" for s in records.list_records(window.ws, window.session.uid,
                                                                                  "signoff"))


def _editable_widgets(page) -> list[str]:
    """Enabled widgets that could change the engagement (anything not reading, searching or filtering)."""
    found = []
    for button in page.findChildren(QAbstractButton):
        if button.isEnabled() and button.isVisibleTo(page) and button.objectName() not in READ_ONLY_NAMES \
                and button.text() not in READ_ONLY_TEXTS:
            found.append(f"button {button.objectName() or button.text()}")
    for cls in (QLineEdit, QPlainTextEdit, QTextEdit):
        for edit in page.findChildren(cls):
            if edit.isEnabled() and not edit.isReadOnly() and edit.isVisibleTo(page) \
                    and not isinstance(edit.parent(), QComboBox) and edit.objectName() != "search":
                found.append(f"{cls.__name__} {edit.objectName()}")
    for combo in page.findChildren(QComboBox):
        name = combo.objectName()
        if combo.isEnabled() and combo.isVisibleTo(page) and not name.startswith("filter_") \
                and not name.endswith("Filter") and name not in READ_ONLY_COMBOS:
            found.append(f"combo {name}")
    for view in page.findChildren(QAbstractItemView):
        model = view.model()
        if model is None or not type(model).__module__.startswith("workbench") or not model.rowCount():
            continue
        columns = model.columnCount() if hasattr(model, "columns") else 1
        if any(model.flags(model.index(0, c)) & Qt.ItemFlag.ItemIsEditable for c in range(columns)):
            found.append(f"editable table {view.objectName()}")
    return found


def test_finalise_locks_every_page_and_reopen_unlocks(qtbot, page, window) -> None:
    steps = [step for step in PAGE_CLASSES if step != "deliverables"]  # reports are made from final engagements
    for step in steps:
        window.show_step(step)
    window.show_step("review")
    assert _editable_widgets(window.view.pages["findings"])  # the check sees editable widgets when open
    settle(window, page)
    assert page.finalise_button.isEnabled() and "Ready to finalise" in page.state.text()
    page.confirm = lambda _title, _text: False
    qtbot.mouseClick(page.finalise_button, Qt.MouseButton.LeftButton)
    assert not window.session.locked  # cancelled
    asked: list[str] = []
    page.confirm = lambda title, _text: asked.append(title) or True
    qtbot.mouseClick(page.finalise_button, Qt.MouseButton.LeftButton)
    assert asked == ["Finalise the engagement"]
    engagement = records_engagement(window)
    assert engagement["status"] == "final" and engagement["locked_at"]
    assert engagement["finalised_by"] == "Rui Reviewer"  # the identity chosen to sign as
    assert window.view.banner.isVisibleTo(window) and "Reopen" in window.view.banner.text()
    assert not window.findChild(QAction, "undo").isEnabled()  # the lock ends the undo history
    for step in steps:
        assert _editable_widgets(window.view.pages[step]) == [], step
    assert page.reopen_button.isEnabled() and not page.finalise_button.isEnabled()

    page.ask_reason = lambda: "   "
    qtbot.mouseClick(page.reopen_button, Qt.MouseButton.LeftButton)
    assert window.session.locked  # no reason, no reopening
    page.ask_reason = lambda: "Client sent the DR test report"
    qtbot.mouseClick(page.reopen_button, Qt.MouseButton.LeftButton)
    assert not window.session.locked and not window.view.banner.isVisibleTo(window)
    assert records_engagement(window)["status"] == "review"
    assert window.view.pages["findings"].add_button.isEnabled()
    assert page.model.rowCount() == 1 and "Client sent the DR test report" in page.model.row_at(0)["text"]
    assert not page.finalise_button.isEnabled()
    settle_notes_only(page)
    qtbot.mouseClick(page.finalise_button, Qt.MouseButton.LeftButton)
    assert window.session.locked
    events = [e["action"] for e in records_trail(window) if e["entity"] == "engagement"]
    assert events[-3:] == ["finalise", "reopen", "finalise"]
    assert verify_engagement(window.ws, window.session.uid).ok
    from workbench.services.attestation import verify_trail

    verdict = verify_trail(window.ws, window.session.uid)
    assert verdict.ok and verdict.attestation.unattested is None  # attested through the final event


def settle_notes_only(page) -> None:
    while page.model.rowCount():
        page.notes.selectRow(0)
        page.close_button.click()


def records_engagement(window) -> dict:
    from workbench.services.unit import reading
    from workbench.store.tables import row_to_dict

    with reading(window.ws, window.session.uid) as (_session, engagement):
        return row_to_dict(engagement)


def records_trail(window) -> list[dict]:
    from workbench.services.trail import audit_log

    return audit_log(window.ws, window.session.uid)


def test_sign_as_lists_this_computers_identities_newest_first(qtbot, window, identities) -> None:
    window.show_step("review")
    picker = window.view.pages["review"].sign_as
    from workbench.services.signatures import list_identities

    newest_first = [identity.id for identity in reversed(list_identities())]
    assert sorted(newest_first) == sorted(identity for identity, _ in identities.values())
    assert [picker.combo.itemData(i) for i in range(picker.combo.count())] == newest_first
    assert picker.identity_id() == newest_first[0]
    choose(window.view.pages["review"], identities["reviewer"][0])
    assert picker.combo.currentText().startswith("Rui Reviewer <reviewer@example.com>, Audit & Co · until ")


def test_one_identity_cannot_sign_as_preparer_and_reviewer(qtbot, page, window, identities) -> None:
    from tests.helpers import content_hash

    choose(page, identities["preparer"][0])
    page.signoffs.buttons[("preparer", "section:roadmap")].click()
    before = content_hash(window.ws.path)
    shown: list[str] = []
    window.session.failed.connect(lambda exc: shown.append(str(exc)))
    page.signoffs.buttons[("reviewer", "")].click()
    assert shown == ["Ana Preparer signed off section roadmap as preparer, so cannot sign off as reviewer: "
                     "preparer and reviewer must be different people (a one-person practice can allow this in the "
                     "settings)"]
    assert content_hash(window.ws.path) == before


def test_a_cancelled_passphrase_signs_nothing(qtbot, page, window, identities) -> None:
    from tests.helpers import content_hash
    from workbench.signing import keychain

    keychain.reset()
    keychain.forget_passphrase(identities["preparer"][0])
    choose(page, identities["preparer"][0])
    page.sign_as.provider = lambda _prompt: None
    before = content_hash(window.ws.path)
    page.signoffs.buttons[("preparer", "section:roadmap")].click()
    assert content_hash(window.ws.path) == before
