"""The session's document after an edit, updated from the audit events, equals a full re-read.

Every kind of edit a page makes (add, update, delete, undo, evidence links, assessments, the
engagement itself) is applied through `session.apply`; the document, score and progress must be
exactly what reading the engagement again gives.
"""

from __future__ import annotations

from typing import Any

from tests.helpers import assert_same
from workbench.services import assessment, evidence, records
from workbench.services.document import DOCUMENT_KINDS, engagement_document
from workbench.services.engagements import score_in_session, update_engagement
from workbench.services.progress import compute_progress
from workbench.services.unit import reading


def assert_fresh(session) -> None:
    with reading(session.ws, session.uid) as (db, engagement):
        fresh = engagement_document(db, engagement, audit_log=False)
        score = score_in_session(db, engagement, session.framework)
    for key in ("engagement", "client", *DOCUMENT_KINDS):
        assert_same(session.document[key], fresh[key], key)
    assert session.score == score
    assert session.progress == compute_progress(session.framework, fresh)


def test_edits_of_every_kind_keep_the_document_exact(session) -> None:
    ws, uid = session.ws, session.uid
    first = session.document["findings"][0]
    created: dict[str, str] = {}

    def add() -> None:
        created["finding"] = records.add_record(ws, uid, "finding", {"title": "Added", "severity": "Critical"})

    assert session.apply("Add", add, lambda: records.delete_record(ws, uid, "finding", created["finding"]),
                         {"finding"})
    assert_fresh(session)
    assert session.document["findings"][-1]["uid"] == created["finding"]

    old_title = first["title"]
    assert session.apply("Title", lambda: records.update_record(ws, uid, "finding", first["uid"], {"title": "New"}),
                         lambda: records.update_record(ws, uid, "finding", first["uid"], {"title": old_title}),
                         {"finding"})
    assert_fresh(session)
    assert session.apply("Severity", lambda: records.update_record(ws, uid, "finding", first["uid"],
                                                                   {"severity": "Info", "status": "resolved"}),
                         lambda: None, {"finding"})
    assert_fresh(session)

    session.undo_stack.undo()  # the severity edit (its undo changes nothing), then the title
    session.undo_stack.undo()
    assert_fresh(session)
    assert next(f for f in session.document["findings"] if f["uid"] == first["uid"])["title"] == old_title
    session.undo_stack.undo()  # the added finding is deleted again
    assert_fresh(session)
    assert all(f["uid"] != created["finding"] for f in session.document["findings"])
    session.undo_stack.redo()
    assert_fresh(session)

    model = session.document["models"][0]
    state: dict[str, Any] = {}
    assert session.apply("Delete model",
                         lambda: state.update(records.delete_record(ws, uid, "model", model["uid"])),
                         lambda: records.restore_record(ws, uid, "model", state), {"model"})
    assert_fresh(session)
    session.undo_stack.undo()
    assert_fresh(session)

    dimension = session.framework.dimensions[0].id
    item = session.framework.dimensions[0].items[0].id
    assert session.apply("Level", lambda: assessment.set_assessment(ws, uid, dimension, level=1), lambda: None,
                         {"assessment"})
    assert_fresh(session)
    assert session.apply("Answer", lambda: assessment.answer_item(ws, uid, item, "no", note="Not in place"),
                         lambda: None, {"checklist"})
    assert_fresh(session)

    file = session.document["evidence"][0]
    links: dict[str, str] = {}
    assert session.apply("Link", lambda: links.update(uid=evidence.link_evidence(
        ws, uid, file["uid"], "finding", first["uid"])), lambda: None, {"evidence_link"})
    assert_fresh(session)
    assert session.apply("Unlink", lambda: evidence.unlink_evidence(ws, uid, links["uid"]), lambda: None,
                         {"evidence_link"})
    assert_fresh(session)
    assert session.apply("Remove", lambda: evidence.remove_evidence(ws, uid, file["uid"]), lambda: None,
                         {"evidence"})
    assert_fresh(session)

    assert session.apply("Engagement", lambda: update_engagement(ws, uid, {"title": "Renamed audit"}), lambda: None,
                         {"engagement"})
    assert_fresh(session)
    assert session.document["engagement"]["title"] == "Renamed audit"


def test_a_refused_edit_leaves_the_document_as_it_was(session) -> None:
    before = session.document["findings"]
    assert not session.apply("Bad", lambda: records.update_record(session.ws, session.uid, "finding",
                                                                  before[0]["uid"], {"severity": "Catastrophic"}),
                             lambda: None, {"finding"})
    assert_fresh(session)
    assert session.document["findings"] == before


def test_an_edit_made_outside_the_session_is_picked_up_by_the_next_reload(session) -> None:
    """Events written by a service called directly (an import dialog, a script) are applied too."""
    records.add_record(session.ws, session.uid, "risk", {"title": "Direct", "likelihood": 3, "impact": 4})
    records.add_record(session.ws, session.uid, "finding", {"title": "Direct", "severity": "High"})
    session.reload({"finding"})
    assert_fresh(session)


def test_deleting_a_linked_record_and_undoing_keeps_the_document_exact(session) -> None:
    ws, uid = session.ws, session.uid
    linked = {link["target_key"] for e in session.document["evidence"] for link in e["links"]
              if link["target_kind"] == "finding"}
    finding = next(f for f in session.document["findings"] if f["uid"] in linked)  # the sample links evidence
    states: list[dict[str, Any]] = []
    assert session.apply("Delete", lambda: states.append(records.delete_record(ws, uid, "finding", finding["uid"])),
                         lambda: records.restore_record(ws, uid, "finding", states[-1]), {"finding"})
    assert_fresh(session)
    assert finding["uid"] not in {link["target_key"] for e in session.document["evidence"] for link in e["links"]}
    session.undo_stack.undo()
    assert_fresh(session)
    assert finding["uid"] in {link["target_key"] for e in session.document["evidence"] for link in e["links"]}
