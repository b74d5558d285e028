"""An edit based on a record someone else changed meanwhile is refused in words and the page shows their value:
never a silent overwrite (services.records.update_record's `seen`, RecordPage.update_fields)."""

from __future__ import annotations

from workbench.domain.errors import StaleEditError
from workbench.services import records
from workbench.ui.pages.findings import FindingsPage


def test_a_stale_edit_is_refused_and_the_page_reloads_the_record(qtbot, session, sample_ws) -> None:
    page = FindingsPage(session)
    qtbot.addWidget(page)
    record = page.rows()[0]
    uid = record["uid"]
    page.select(uid)
    # another auditor (another window, or a team server's other client) changes the owner meanwhile
    records.update_record(sample_ws, session.uid, "finding", uid, {"owner": "Someone Else"})
    refusals: list[Exception] = []
    session.failed.connect(refusals.append)
    before = session.undo_stack.count()

    assert not page.update_fields(record, {"owner": "Me"}, "Owner")  # based on the owner this page showed

    assert len(refusals) == 1 and isinstance(refusals[0], StaleEditError)
    assert "was changed meanwhile by tester" in str(refusals[0]) and "not saved" in str(refusals[0])
    shown = next(r for r in page.rows() if r["uid"] == uid)
    assert shown["owner"] == "Someone Else"  # reloaded: the other auditor's value, not ours, not the old one
    assert page.current_record()["owner"] == "Someone Else"
    assert session.undo_stack.count() == before  # nothing to undo: nothing was changed
    stored = next(r for r in records.list_records(sample_ws, session.uid, "finding") if r["uid"] == uid)
    assert stored["owner"] == "Someone Else"

    # based on what it now shows, the same edit goes through, and is undoable
    assert page.update_fields(page.current_record(), {"owner": "Me"}, "Owner")
    assert next(r for r in page.rows() if r["uid"] == uid)["owner"] == "Me"


def test_an_edit_of_other_fields_is_not_refused(qtbot, session, sample_ws) -> None:
    page = FindingsPage(session)
    qtbot.addWidget(page)
    record = page.rows()[0]
    records.update_record(sample_ws, session.uid, "finding", record["uid"], {"owner": "Someone Else"})
    assert page.update_fields(record, {"title": "Retitled"}, "Title")  # the owner it did not touch is kept
    stored = next(r for r in records.list_records(sample_ws, session.uid, "finding") if r["uid"] == record["uid"])
    assert (stored["title"], stored["owner"]) == ("Retitled", "Someone Else")
