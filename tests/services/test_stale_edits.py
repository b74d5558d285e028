"""Optimistic concurrency: an edit carries the version of the record it was based on (`seen_version`); if another
auditor changed the record meanwhile it is refused in words, naming who and when, and nothing is written (on a
workspace file and on a team server). Every update bumps the version in the UPDATE that writes it."""

from __future__ import annotations

import pytest

from tests.helpers import content_hash
from tests.helpers.stale_records import CHANGE, VALUES
from workbench.domain.errors import StaleEditError, ValidationError
from workbench.services import records
from workbench.services.record_versions import record_versions
from workbench.services.trail import verify_engagement
from workbench.services.unit import reading


def versions(ws, engagement, kind: str) -> dict[str, int]:
    with reading(ws, engagement) as (session, row):
        return record_versions(session, row, kind)


def test_an_edit_based_on_a_stale_version_is_refused_and_changes_nothing(ws, engagement, monkeypatch) -> None:
    uid = records.add_record(ws, engagement, "finding", VALUES["finding"])
    assert versions(ws, engagement, "finding") == {uid: 1}
    monkeypatch.setattr(ws, "actor", "rui")
    records.update_record(ws, engagement, "finding", uid, {"owner": "Rui"}, seen_version=1)
    assert versions(ws, engagement, "finding") == {uid: 2}
    monkeypatch.setattr(ws, "actor", "ana")
    before = content_hash(ws)
    with pytest.raises(StaleEditError) as refused:  # Ana's page still showed version 1 (another field, even)
        records.update_record(ws, engagement, "finding", uid, {"title": "Rollback by hand"}, seen_version=1)
    assert str(refused.value).startswith("finding F-001 was changed meanwhile by rui at ")
    assert "not saved" in str(refused.value) and "\n" not in str(refused.value)
    assert content_hash(ws) == before
    # based on what is there now it goes through, and the version moves on
    records.update_record(ws, engagement, "finding", uid, {"owner": "Ana"}, seen_version=2)
    assert next(r for r in records.list_records(ws, engagement, "finding") if r["uid"] == uid)["owner"] == "Ana"
    assert versions(ws, engagement, "finding") == {uid: 3}
    assert verify_engagement(ws, engagement).ok


@pytest.mark.parametrize("kind", records.EDITABLE_KINDS)
def test_every_edited_kind_carries_a_version(ws, engagement, kind: str) -> None:
    uid = records.add_record(ws, engagement, kind, VALUES[kind])
    records.update_record(ws, engagement, kind, uid, CHANGE[kind], seen_version=1)
    assert versions(ws, engagement, kind) == {uid: 2}
    before = content_hash(ws)
    with pytest.raises(StaleEditError, match=r"was changed meanwhile by tester at \d{4}-\d\d-\d\d \d\d:\d\d;"):
        records.update_record(ws, engagement, kind, uid, VALUES[kind] if kind != "matrix" else CHANGE["finding"],
                              seen_version=1)
    assert content_hash(ws) == before


def test_the_version_is_bookkeeping_not_a_record_field(ws, engagement) -> None:
    """Records, their audit events (and so packages and JSON) never carry it; a kind without one refuses it."""
    uid = records.add_record(ws, engagement, "finding", VALUES["finding"])
    records.update_record(ws, engagement, "finding", uid, {"owner": "Rui"})  # no version given: not checked
    assert versions(ws, engagement, "finding") == {uid: 2}
    assert all("row_version" not in record for record in records.list_records(ws, engagement, "finding"))
    with reading(ws, engagement) as (session, row):
        from workbench.store.audit import events_of

        events = events_of(session, row.uid)
    assert not any("row_version" in (event["after"] or {}) for event in events)
    with pytest.raises(ValidationError, match="carry no version"), reading(ws, engagement) as (session, row):
        record_versions(session, row, "evidence_link")  # only added and removed
