"""A finding raised against a checklist item (control): the item files it under its dimension."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.domain.errors import ValidationError
from workbench.services import records
from workbench.services.records_io import import_records


def _finding(ws, engagement: str, uid: str) -> dict:
    return next(f for f in records.list_records(ws, engagement, "finding") if f["uid"] == uid)


def test_an_item_alone_files_the_finding_under_its_dimension(ws, engagement) -> None:
    uid = records.add_record(ws, engagement, "finding", {"title": "No drift tests", "severity": "High",
                                                         "item_id": "MON-03"})
    finding = _finding(ws, engagement, uid)
    assert (finding["dimension_id"], finding["item_id"]) == ("MON", "MON-03")


def test_an_item_of_another_dimension_or_an_unknown_item_is_refused(ws, engagement) -> None:
    with pytest.raises(ValidationError, match="MON-03 belongs to dimension MON, not DP"):
        records.add_record(ws, engagement, "finding", {"title": "x", "severity": "Low", "dimension_id": "DP",
                                                       "item_id": "MON-03"})
    with pytest.raises(ValidationError, match="no checklist item 'ZZ-9'"):
        records.add_record(ws, engagement, "finding", {"title": "x", "severity": "Low", "item_id": "ZZ-9"})
    assert records.list_records(ws, engagement, "finding") == []


def test_moving_a_finding_to_another_dimension_lets_go_of_its_item(ws, engagement) -> None:
    uid = records.add_record(ws, engagement, "finding", {"title": "Lineage", "severity": "Medium",
                                                         "item_id": "DP-05"})
    records.update_record(ws, engagement, "finding", uid, {"dimension_id": "DP"})  # same dimension: kept
    assert _finding(ws, engagement, uid)["item_id"] == "DP-05"
    records.update_record(ws, engagement, "finding", uid, {"dimension_id": "MR"})
    assert (_finding(ws, engagement, uid)["dimension_id"], _finding(ws, engagement, uid)["item_id"]) == ("MR", "")
    moved = records.update_record(ws, engagement, "finding", uid, {"item_id": "CICD-04"})  # the item moves it
    assert _finding(ws, engagement, uid)["dimension_id"] == "CICD"
    assert moved == {"item_id": "", "dimension_id": "MR"}  # every field the change moved: what undo sets back
    records.update_record(ws, engagement, "finding", uid, moved)
    assert (_finding(ws, engagement, uid)["dimension_id"], _finding(ws, engagement, uid)["item_id"]) == ("MR", "")
    assert records.update_record(ws, engagement, "finding", uid, {"item_id": ""}) == {}  # nothing changed


def test_records_import_reads_an_item_column(ws, engagement, tmp_path: Path) -> None:
    source = tmp_path / "findings.csv"
    source.write_text("Title,Severity,Item\nNo alerting,High,mon-05\nNo IaC,Low,CICD-06\n", encoding="utf-8")
    import_records(ws, engagement, "finding", source)
    found = {f["title"]: (f["dimension_id"], f["item_id"]) for f in records.list_records(ws, engagement, "finding")}
    assert found == {"No alerting": ("MON", "MON-05"), "No IaC": ("CICD", "CICD-06")}
    bad = tmp_path / "bad.csv"
    bad.write_text("Title,Severity,Dimension,Control\nA,High,DP,MON-05\nB,Low,,XX-1\n", encoding="utf-8")
    with pytest.raises(ValidationError) as refused:
        import_records(ws, engagement, "finding", bad)
    assert "line 2, item_id: MON-05 belongs to dimension MON, not DP" in str(refused.value)
    assert "line 3, item_id: the framework has no checklist item 'XX-1'" in str(refused.value)
    assert len(records.list_records(ws, engagement, "finding")) == 2
