"""An edit based on a version of a record someone else changed meanwhile is refused in words and the page shows
their value: never a silent overwrite (services.records.update_record's `seen_version`, RecordPage.update_fields)."""

from __future__ import annotations

from workbench.domain.errors import StaleEditError
from workbench.services import records
from workbench.ui.pages.findings import FindingsPage


def _stored(sample_ws, session, uid: str) -> dict:
    return next(r for r in records.list_records(sample_ws, session.uid, "finding") if r["uid"] == uid)


def test_a_stale_edit_is_refused_and_the_page_reloads_the_record(qtbot, session, sample_ws) -> None:
    page = FindingsPage(session)
    qtbot.addWidget(page)
    record = page.rows()[0]
    uid = record["uid"]
    page.select(uid)
    shown = session.version_of("finding", uid)
    assert shown is not None
    # another auditor (another window, or a team server's other client) changes the owner meanwhile
    records.update_record(sample_ws, session.uid, "finding", uid, {"owner": "Someone Else"})
    refusals: list[Exception] = []
    session.failed.connect(refusals.append)
    before = session.undo_stack.count()

    assert not page.update_fields(record, {"title": "Retitled"}, "Title")  # another field, but an older version

    assert len(refusals) == 1 and isinstance(refusals[0], StaleEditError)
    assert "was changed meanwhile by tester" in str(refusals[0]) and "not saved" in str(refusals[0])
    reloaded = next(r for r in page.rows() if r["uid"] == uid)
    assert reloaded["owner"] == "Someone Else" and reloaded["title"] == record["title"]
    assert page.current_record()["owner"] == "Someone Else"  # reloaded: the other auditor's value
    assert session.version_of("finding", uid) == shown + 1
    assert session.undo_stack.count() == before  # nothing to undo: nothing was changed
    assert _stored(sample_ws, session, uid)["title"] == record["title"]

    # based on what it now shows, the same edit goes through, and is undoable and redoable
    assert page.update_fields(page.current_record(), {"title": "Retitled"}, "Title")
    assert _stored(sample_ws, session, uid)["title"] == "Retitled"
    assert session.version_of("finding", uid) == shown + 2
    session.undo_stack.undo()
    assert _stored(sample_ws, session, uid)["title"] == record["title"]
    session.undo_stack.redo()
    assert (_stored(sample_ws, session, uid)["title"], _stored(sample_ws, session, uid)["owner"]) == (
        "Retitled", "Someone Else")
    assert not refusals[1:]


def test_an_undo_after_someone_else_changed_the_record_is_refused(qtbot, session, sample_ws) -> None:
    page = FindingsPage(session)
    qtbot.addWidget(page)
    record = page.rows()[0]
    assert page.update_fields(record, {"title": "Mine"}, "Title")
    records.update_record(sample_ws, session.uid, "finding", record["uid"], {"title": "Theirs"})
    refusals: list[Exception] = []
    session.failed.connect(refusals.append)
    session.undo_stack.undo()  # would set back the title the other auditor has changed since
    assert len(refusals) == 1 and isinstance(refusals[0], StaleEditError)
    assert _stored(sample_ws, session, record["uid"])["title"] == "Theirs"
    assert next(r for r in page.rows() if r["uid"] == record["uid"])["title"] == "Theirs"
