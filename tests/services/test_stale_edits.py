"""Optimistic concurrency: an edit carries the values it was based on (`seen`); if another auditor changed them
meanwhile it is refused in words, naming who, and nothing is written (on a workspace file and on a team server)."""

from __future__ import annotations

import pytest

from tests.helpers import content_hash
from workbench.domain.errors import StaleEditError
from workbench.services import records
from workbench.services.trail import verify_engagement


def test_an_edit_based_on_a_stale_value_is_refused_and_changes_nothing(ws, engagement, monkeypatch) -> None:
    uid = records.add_record(ws, engagement, "finding", {"title": "Manual rollback", "severity": "High",
                                                         "owner": "Platform team"})
    monkeypatch.setattr(ws, "actor", "rui")
    records.update_record(ws, engagement, "finding", uid, {"owner": "Rui"}, seen={"owner": "Platform team"})
    monkeypatch.setattr(ws, "actor", "ana")
    before = content_hash(ws)
    with pytest.raises(StaleEditError) as refused:
        records.update_record(ws, engagement, "finding", uid, {"owner": "Ana", "title": "Rollback by hand"},
                              seen={"owner": "Platform team", "title": "Manual rollback"})
    assert str(refused.value).startswith("finding F-001 was changed meanwhile by rui at ")
    assert "(owner)" in str(refused.value) and "\n" not in str(refused.value)
    assert content_hash(ws) == before
    # based on what is there now it goes through
    records.update_record(ws, engagement, "finding", uid, {"owner": "Ana"}, seen={"owner": "Rui"})
    assert next(r for r in records.list_records(ws, engagement, "finding") if r["uid"] == uid)["owner"] == "Ana"
    assert verify_engagement(ws, engagement).ok
