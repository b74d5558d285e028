"""Step completeness texts and finalisation blockers."""

from __future__ import annotations

from workbench.services import assessment, records
from workbench.services.document import engagement_document
from workbench.services.progress import compute_progress
from workbench.services.unit import reading, snapshot_of


def progress_of(ws, uid):
    with reading(ws, uid) as (session, engagement):
        return compute_progress(snapshot_of(session, engagement), engagement_document(session, engagement))


def test_fresh_engagement_shows_what_is_missing(ws, engagement) -> None:
    progress = progress_of(ws, engagement)
    assert progress.step("assessment").summary == "Checklist 0/106 (0 %) · 0/8 levels"
    assert progress.step("overview").summary == "Planning · checklist 0 % covered"
    assert "DP Data Pipeline: no maturity level set" in progress.blocker_texts
    assert "no reviewer sign-off yet" in progress.blocker_texts
    assert progress.coverage is not None and progress.coverage.sentence() == (
        "0 of 106 checklist items, 0 of 5 health-check questions")


def test_counts_and_warnings_follow_the_work(ws, engagement) -> None:
    assessment.answer_item(ws, engagement, "DP-01", "yes")
    assessment.answer_item(ws, engagement, "DP-02", "na", "No batch sources")
    assessment.set_assessment(ws, engagement, "DP", level=3)
    records.add_record(ws, engagement, "finding", {"title": "a", "severity": "Critical"})
    records.add_record(ws, engagement, "finding", {"title": "b", "severity": "Critical"})
    records.add_record(ws, engagement, "model", {"name": "m", "status": "production", "monitored": False})
    progress = progress_of(ws, engagement)
    assert progress.step("assessment").summary == "Checklist 2/106 (1 %) · 1/8 levels"
    findings = progress.step("findings")
    assert "2 Critical findings lack a recommendation" in findings.warnings
    assert findings.summary == "2 findings · 2 Critical open"
    assert progress.step("models").warnings == ("1 production model not monitored",)
    assert "2 open Critical/High findings not on the roadmap" in progress.step("roadmap").warnings
    records.delete_record(ws, engagement, "finding", next(f["uid"] for f in records.list_records(ws, engagement,
                                                                                                 "finding")))
    assert "1 Critical finding lacks a recommendation" in progress_of(ws, engagement).step("findings").warnings
