"""Optimistic concurrency beyond the record tables: assessment, checklist and health-check answers, the engagement's
header, evidence, review notes, sign-offs, and every delete. Two auditors (the workspace's actor switched between
their changes): the second change, based on the version the first one replaced, is refused in words naming who
and when, and nothing is written, not even an audit event. None (the CLI, imports) keeps checking nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text

from tests.helpers import content_hash, legacy_signoff
from workbench.domain.errors import StaleEditError
from workbench.services import assessment, evidence, records, review
from workbench.services.engagements import update_engagement
from workbench.services.record_versions import ABSENT, record_versions
from workbench.services.trail import verify_engagement
from workbench.services.unit import reading, snapshot_of

MEANWHILE = r"was changed meanwhile by rui at \d{4}-\d\d-\d\d \d\d:\d\d; your change was not saved"


def versions(ws: Any, engagement: str, kind: str) -> dict[str, int]:
    with reading(ws, engagement) as (session, row):
        return record_versions(session, row, kind)


def ids(ws: Any, engagement: str) -> tuple[str, str, str]:
    """A dimension, a checklist item and a health-check question of the engagement's framework."""
    with reading(ws, engagement) as (session, row):
        framework = snapshot_of(session, row)
    return framework.dimensions[0].id, framework.dimensions[0].items[0].id, framework.health_check[0].id


def refused(ws: Any, monkeypatch: pytest.MonkeyPatch, action: Callable[[], object], match: str = MEANWHILE) -> None:
    """Ana's change is refused and leaves the workspace (records and trail) exactly as it was."""
    monkeypatch.setattr(ws, "actor", "ana")
    before = content_hash(ws)
    with pytest.raises(StaleEditError, match=match):
        action()
    assert content_hash(ws) == before


def as_rui(ws: Any, monkeypatch: pytest.MonkeyPatch, action: Callable[[], object]) -> None:
    monkeypatch.setattr(ws, "actor", "rui")
    action()


def test_answers_carry_a_version_and_absent_means_not_given_yet(ws, engagement, monkeypatch) -> None:
    dimension, item, question = ids(ws, engagement)
    assert versions(ws, engagement, "checklist") == {}
    # both pages showed the item unanswered (ABSENT): Rui answers first, Ana's answer would overwrite his
    as_rui(ws, monkeypatch, lambda: assessment.answer_item(ws, engagement, item, "yes", seen_version=ABSENT))
    assert versions(ws, engagement, "checklist") == {item: 1}
    refused(ws, monkeypatch, lambda: assessment.answer_item(ws, engagement, item, "no", seen_version=ABSENT),
            rf"checklist {item} {MEANWHILE}")
    refused(ws, monkeypatch, lambda: assessment.answer_and_plan(ws, engagement, item, "no", seen_version=ABSENT))
    assessment.answer_item(ws, engagement, item, "no", "checked twice", seen_version=1)  # based on his answer
    assert versions(ws, engagement, "checklist") == {item: 2}

    as_rui(ws, monkeypatch, lambda: assessment.set_assessment(ws, engagement, dimension, level=2,
                                                              seen_version=ABSENT))
    refused(ws, monkeypatch, lambda: assessment.set_assessment(ws, engagement, dimension, level=3,
                                                               seen_version=ABSENT))
    as_rui(ws, monkeypatch, lambda: assessment.answer_health_check(ws, engagement, question, "yes",
                                                                   seen_version=ABSENT))
    as_rui(ws, monkeypatch, lambda: assessment.answer_health_check(ws, engagement, question, "no", seen_version=1))
    refused(ws, monkeypatch, lambda: assessment.answer_health_check(ws, engagement, question, "yes", seen_version=1),
            rf"health check {question} {MEANWHILE}")
    assert (versions(ws, engagement, "assessment"), versions(ws, engagement, "health_check")) == (
        {dimension: 1}, {question: 2})
    assessment.answer_health_check(ws, engagement, question, "unanswered")  # None: not checked (CLI, imports)
    assert verify_engagement(ws, engagement).ok


def test_the_header_version_counts_header_changes_only(ws, engagement, monkeypatch) -> None:
    _dimension, item, _question = ids(ws, engagement)
    assert versions(ws, engagement, "engagement") == {engagement: 1}
    assessment.answer_item(ws, engagement, item, "yes")  # rewrites the engagement's updated_at, not its header
    assert versions(ws, engagement, "engagement") == {engagement: 1}
    update_engagement(ws, engagement, {"title": "Platform audit"})  # the same title: nothing changed
    assert versions(ws, engagement, "engagement") == {engagement: 1}
    as_rui(ws, monkeypatch, lambda: update_engagement(ws, engagement, {"scope": "Serving"}, seen_version=1))
    assert versions(ws, engagement, "engagement") == {engagement: 2}
    refused(ws, monkeypatch, lambda: update_engagement(ws, engagement, {"title": "Mine"}, seen_version=1),
            rf"engagement \S+ {MEANWHILE}")
    update_engagement(ws, engagement, {"title": "Mine"}, seen_version=2)
    assert versions(ws, engagement, "engagement") == {engagement: 3}


def test_evidence_edits_and_removals_are_checked(ws, engagement, monkeypatch) -> None:
    uid = evidence.attach_bytes(ws, engagement, b"screenshot", "proof.txt")
    other = evidence.attach_bytes(ws, engagement, b"log", "run.log")
    as_rui(ws, monkeypatch, lambda: records.update_record(ws, engagement, "evidence", uid,
                                                          {"description": "Rollback run"}, seen_version=1))
    refused(ws, monkeypatch, lambda: records.update_record(ws, engagement, "evidence", uid,
                                                           {"description": "Mine"}, seen_version=1),
            rf"evidence proof.txt {MEANWHILE}")
    refused(ws, monkeypatch, lambda: evidence.remove_evidence(ws, engagement, uid, seen_version=1))
    # several at once: all or none (the other file is still there after the refusal)
    refused(ws, monkeypatch, lambda: evidence.remove_evidence_files(ws, engagement, [other, uid], {other: 1, uid: 1}))
    evidence.remove_evidence_files(ws, engagement, [other, uid], {other: 1, uid: 2})
    assert versions(ws, engagement, "evidence") == {}


def test_review_notes_and_signoffs_are_checked(ws, engagement, monkeypatch) -> None:
    note = review.raise_note(ws, engagement, "engagement", "", "Who approved the rollback plan?")
    as_rui(ws, monkeypatch, lambda: review.answer_note(ws, engagement, note, "The CTO", seen_version=1))
    refused(ws, monkeypatch, lambda: review.answer_note(ws, engagement, note, "Nobody", seen_version=1),
            rf"review note “Who approved the rollback plan\?” {MEANWHILE}")
    refused(ws, monkeypatch, lambda: review.close_note(ws, engagement, note, seen_version=1))
    as_rui(ws, monkeypatch, lambda: review.close_note(ws, engagement, note, seen_version=2))
    refused(ws, monkeypatch, lambda: review.reopen_note(ws, engagement, note, seen_version=2))
    refused(ws, monkeypatch, lambda: review.restore_note_state(ws, engagement, note, {"status": "open"},
                                                               seen_version=2))
    review.reopen_note(ws, engagement, note, seen_version=3)
    assert versions(ws, engagement, "review_note") == {note: 4}

    signoff = legacy_signoff(ws, engagement, "preparer", "Rui")
    assert versions(ws, engagement, "signoff") == {signoff: 1}
    with ws.writing() as session:  # as a merged change would (services.merge): the version moves on
        session.execute(text("UPDATE signoff SET row_version = 2"))
    refused(ws, monkeypatch, lambda: review.withdraw_signoff(ws, engagement, signoff, seen_version=1),
            r"signoff Rui was changed meanwhile")
    review.withdraw_signoff(ws, engagement, signoff, seen_version=2)
    assert versions(ws, engagement, "signoff") == {}


@pytest.mark.parametrize("kind", records.EDITABLE_KINDS)
def test_a_stale_delete_is_refused(ws, engagement, monkeypatch, kind: str) -> None:
    from tests.helpers.stale_records import CHANGE, VALUES

    uid = records.add_record(ws, engagement, kind, VALUES[kind])
    kept = records.add_record(ws, engagement, kind, VALUES[kind])
    as_rui(ws, monkeypatch, lambda: records.update_record(ws, engagement, kind, uid, CHANGE[kind], seen_version=1))
    refused(ws, monkeypatch, lambda: records.delete_record(ws, engagement, kind, uid, seen_version=1))
    refused(ws, monkeypatch, lambda: records.delete_records(ws, engagement, kind, [kept, uid],
                                                            seen_versions={kept: 1, uid: 1}))
    records.delete_record(ws, engagement, kind, uid, seen_version=2)
    assert versions(ws, engagement, kind) == {kept: 1}
    assert verify_engagement(ws, engagement).ok
