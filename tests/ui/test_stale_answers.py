"""A checklist answer, a review note's answer and the engagement's header, changed by another auditor after the page
showed them: saving on top is refused with one plain message and the page shows their value (services.record_versions;
the pages pass the version they show, EngagementSession.version_of)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from workbench.services import assessment, records, review
from workbench.services.engagements import update_engagement

SHOTS = os.environ.get("WORKBENCH_SCREENSHOTS")  # a folder: each test leaves its window there as a PNG


def as_bea(ws, change: Callable[[], object]) -> None:
    """Another auditor's change (another window, or a team server's other client)."""
    mine, ws.actor = ws.actor, "Bea Keller"
    try:
        change()
    finally:
        ws.actor = mine


def refusal(window) -> str:
    return window.statusBar().currentMessage()


def shoot(window, name: str) -> None:
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / f"{name}.png"))


def test_an_answer_given_meanwhile_is_not_overwritten(qtbot, window) -> None:
    session, ws = window.session, window.ws
    window.show_step("assessment")
    page = window.current_page()
    item = next(r["item_id"] for r in session.document["checklist"] if r["answer"] == "partial")
    before = session.undo_stack.count()

    as_bea(ws, lambda: assessment.answer_item(ws, session.uid, item, "yes", "Seen in the runbook"))
    assert not page.edits.answer_item(item, "no")  # the page still showed Bea's answer before her change

    assert refusal(window).startswith(f"Checklist {item} was changed meanwhile by Bea Keller at ")
    assert "not saved" in refusal(window)
    stored = next(r for r in records.list_records(ws, session.uid, "checklist") if r["item_id"] == item)
    assert (stored["answer"], stored["note"]) == ("yes", "Seen in the runbook")
    assert (page._state(item).answer, page._state(item).note) == ("yes", "Seen in the runbook")  # reloaded
    assert session.undo_stack.count() == before
    shoot(window, "stale-checklist-answer")

    assert page.edits.answer_item(item, "no")  # based on what it shows now, it goes through
    assert next(r for r in records.list_records(ws, session.uid, "checklist") if r["item_id"] == item)["answer"] == "no"


def test_a_note_answered_meanwhile_keeps_that_answer(qtbot, window) -> None:
    session, ws = window.session, window.ws
    window.show_step("review")
    page = window.current_page()
    note = page.raise_note("engagement", "", "Who approved the rollback plan?")
    assert note is not None
    page.select_note(note)

    as_bea(ws, lambda: review.answer_note(ws, session.uid, note, "The CTO, on 2 December"))
    page.answer.setPlainText("Nobody yet")
    page.answer_note()

    assert refusal(window).startswith("Review note “Who approved the rollback plan?” was changed meanwhile by "
                                      "Bea Keller at ")
    stored = next(r for r in records.list_records(ws, session.uid, "review_note") if r["uid"] == note)
    assert stored["answer"] == "The CTO, on 2 December"
    assert page.current_note()["answer"] == "The CTO, on 2 December"
    # the note is reloaded and shows Bea's answer; what was typed stays in the editor to be saved again or dropped
    assert "The CTO, on 2 December" in page.note_view.toHtml() and "Bea Keller" in page.note_view.toHtml()
    assert page.answer.toPlainText() == "Nobody yet"
    shoot(window, "stale-review-note")

    # and the note cannot be deleted (the undo of raising it) from the version the page no longer shows
    as_bea(ws, lambda: review.close_note(ws, session.uid, note))
    session.undo_stack.undo()
    assert "was changed meanwhile by Bea Keller" in refusal(window)
    assert any(r["uid"] == note for r in records.list_records(ws, session.uid, "review_note"))


def test_a_header_edit_on_a_changed_header_is_refused(qtbot, window) -> None:
    session, ws = window.session, window.ws
    page = window.current_page()  # the overview
    title = session.document["engagement"]["title"]
    as_bea(ws, lambda: update_engagement(ws, session.uid, {"scope": "Serving only"}))
    page._edit_engagement("title", "Retitled")
    assert "was changed meanwhile by Bea Keller" in refusal(window)
    shown = session.document["engagement"]
    assert (shown["scope"], shown["title"]) == ("Serving only", title)  # reloaded: Bea's scope, the title unchanged
    # an answer elsewhere moves no header version: the title edit now goes through
    as_bea(ws, lambda: assessment.answer_item(ws, session.uid, session.framework.dimensions[0].items[0].id, "no",
                                              "checked"))
    page._edit_engagement("title", "Retitled")
    assert session.document["engagement"]["title"] == "Retitled"


def test_a_record_changed_meanwhile_is_not_deleted(qtbot, window) -> None:
    session, ws = window.session, window.ws
    window.show_step("findings")
    page = window.current_page()
    first, second = page.rows()[0], page.rows()[1]
    page.table.selectRow(page.model.row_of(first["uid"]))
    page.table.selectionModel().select(page.model.index(page.model.row_of(second["uid"]), 0),
                                       page.table.selectionModel().SelectionFlag.Select
                                       | page.table.selectionModel().SelectionFlag.Rows)
    as_bea(ws, lambda: records.update_record(ws, session.uid, "finding", second["uid"], {"owner": "Bea"}))
    page.delete_selected()  # both, as shown: the second changed meanwhile, so neither goes
    assert "was changed meanwhile by Bea Keller" in refusal(window)
    kept = {r["uid"] for r in records.list_records(ws, session.uid, "finding")}
    assert {first["uid"], second["uid"]} <= kept
    assert next(r for r in page.rows() if r["uid"] == second["uid"])["owner"] == "Bea"  # reloaded
