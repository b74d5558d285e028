"""Many records added at once (an import) are the records, and the audit events, that adding them one by
one gives: same values, defaults, refs and checks; nothing is written when any record is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import assert_same, table_counts
from workbench.domain.errors import WorkbenchError
from workbench.services.packages import import_package
from workbench.services.records import add_in_unit, add_many_in_unit, list_records
from workbench.services.trail import audit_log, verify_engagement
from workbench.services.unit import change
from workbench.store.workspace import Workspace

SAMPLES = Path(__file__).resolve().parents[2] / "sample_audits"
BATCHES: dict[str, list[dict[str, Any]]] = {
    "finding": [
        {"title": "No drift alerts", "severity": "High", "dimension_id": "MON", "effort_hours": 6},
        {"title": "Models pickled by hand", "severity": "Critical", "ref": "F-120", "item_id": "MR-01"},
        {"title": "Blank ref after a high one", "severity": "Low", "status": "in_remediation"},
        {"title": "  Spaces around  ", "severity": "info", "due_date": "2026-05-01", "cost_estimate": 1200},
    ],
    "model": [{"name": "churn", "version": "3", "monitored": True, "latency_ms": 12.5}, {"name": "fraud"}],
    "risk": [{"title": "Vendor lock-in", "likelihood": 3, "impact": 4}, {"title": "Key person", "ref": "R-40",
                                                                           "likelihood": 2, "impact": 5}],
}


def _without_uids(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in record.items() if k != "uid"} for record in records]


def _events(ws: Workspace, uid: str, skip: int) -> list[tuple[str, str, Any, Any]]:
    return [(e["action"], e["entity"], e["before"], {k: v for k, v in (e["after"] or {}).items() if k != "uid"})
            for e in audit_log(ws, uid)[skip:]]


@pytest.mark.parametrize("kind", sorted(BATCHES))
def test_a_batch_gives_what_adding_one_by_one_gives(tmp_path: Path, kind: str) -> None:
    written = {}
    for way in ("one by one", "batch"):
        ws = Workspace(tmp_path / f"{way}.db").open()
        uid = import_package(ws, SAMPLES / "driftguard.mlaudit", untrusted=True)
        before = len(audit_log(ws, uid))
        with change(ws, uid) as unit:
            if way == "batch":
                uids, problems = add_many_in_unit(unit, kind, BATCHES[kind], action="import")
                assert not problems and len(uids) == len(BATCHES[kind])
            else:
                for values in BATCHES[kind]:
                    add_in_unit(unit, kind, dict(values), action="import")
        assert verify_engagement(ws, uid).ok
        written[way] = (_without_uids(list_records(ws, uid, kind)), _events(ws, uid, before))
        ws.close()
    assert_same(written["batch"], written["one by one"], kind)


def test_a_refused_record_leaves_the_batch_unwritten(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws.db").open()
    uid = import_package(ws, SAMPLES / "driftguard.mlaudit", untrusted=True)
    taken = list_records(ws, uid, "finding")[0]["ref"]
    counts = table_counts(ws)
    batch = [{"title": "fine", "severity": "Low", "ref": "F-500"},
             {"title": "again", "severity": "Low", "ref": "F-500"},
             {"title": "clash", "severity": "Low", "ref": taken}, {"title": "bad", "severity": "Severe"},
             {"title": "unknown dimension", "severity": "Low", "dimension_id": "NOPE"}]
    with change(ws, uid) as unit:
        uids, problems = add_many_in_unit(unit, "finding", batch)
    assert uids == [] and [index for index, _ in problems] == [1, 2, 3, 4]
    assert all(isinstance(exc, WorkbenchError) for _, exc in problems)
    assert "F-500 is already used" in str(problems[0][1]) and f"{taken} is already used" in str(problems[1][1])
    assert table_counts(ws) == counts
    ws.close()
