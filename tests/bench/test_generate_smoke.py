"""A small run of the benchmark generator: counts as asked, every record with its audit event."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from bench.generate import generate_workspace
from workbench.services.engagements import list_engagements
from workbench.services.records import list_records
from workbench.services.trail import audit_log, verify_engagement
from workbench.store.tables import ChecklistResponse, Engagement
from workbench.store.workspace import Workspace


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("bench") / "bench.db"
    return generate_workspace(path, engagements=3, big_findings=50, big_models=12, big_risks=9, seed=7)


def test_counts_of_the_big_and_ordinary_engagements(generated) -> None:
    assert len(generated.engagement_uids) == 3
    assert generated.big_uid == generated.engagement_uids[-1]
    with Workspace(generated.path) as ws:
        summaries = {s.uid: s for s in list_engagements(ws)}
        assert set(summaries) == set(generated.engagement_uids)
        for uid in generated.engagement_uids:
            counts = generated.counts[uid]
            for kind in ("finding", "model", "risk", "assessment", "checklist", "evidence"):
                assert len(list_records(ws, uid, kind)) == counts[kind], (uid, kind)
            assert summaries[uid].finding_count == counts["finding"]
        big = generated.counts[generated.big_uid]
        assert (big["finding"], big["model"], big["risk"]) == (50, 12, 9)
        assert big["assessment"] == 8 and big["checklist"] > 60  # every dimension and checklist item
        with ws.session() as session:
            engagement = session.exec(select(Engagement).where(Engagement.uid == generated.big_uid)).one()
            answered = session.exec(select(func.count()).select_from(ChecklistResponse)
                                    .where(ChecklistResponse.engagement_id == engagement.id)).one()
        assert answered == big["checklist"]
        for uid in generated.engagement_uids[:-1]:
            counts = generated.counts[uid]
            assert 16 <= counts["finding"] <= 24
            assert (counts["model"], counts["risk"]) == (8, 10)


def test_every_record_has_its_audit_event_and_the_trails_verify(generated) -> None:
    with Workspace(generated.path) as ws:
        for uid in generated.engagement_uids:
            report = verify_engagement(ws, uid)
            assert report.ok, report.problem
        events = audit_log(ws, generated.big_uid)
        created = [e for e in events if e["entity"] == "finding" and e["action"] == "create"]
        assert len(created) == 50
        assert {e["actor"] for e in events} == {"bench-generator"}


def test_same_seed_same_content(tmp_path: Path) -> None:
    def titles(path: Path) -> list[str]:
        result = generate_workspace(path, engagements=1, big_findings=5, big_models=1, big_risks=1, seed=3)
        with Workspace(path) as ws:
            return [f["title"] for f in list_records(ws, result.big_uid, "finding")]

    assert titles(tmp_path / "a.db") == titles(tmp_path / "b.db")


def test_refuses_to_overwrite_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    generate_workspace(path, engagements=1, big_findings=1, big_models=1, big_risks=1)
    with pytest.raises(FileExistsError):
        generate_workspace(path, engagements=1, big_findings=1, big_models=1, big_risks=1)
    generate_workspace(path, engagements=1, big_findings=1, big_models=1, big_risks=1, overwrite=True)
