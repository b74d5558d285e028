"""The checklist sent out as a spreadsheet (a client self-assessment) and its answers read back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.helpers import content_hash
from tests.helpers.engagements import ready
from tests.helpers.files import read_csv, write_csv
from workbench.domain.errors import ConflictError, ValidationError
from workbench.services import finalise
from workbench.services.assessment import answer_item
from workbench.services.checklist_io import (
    export_checklist,
    import_checklist_answers,
    parse_answer,
    read_checklist_answers,
)
from workbench.services.document import engagement_document
from workbench.services.table_readers import RawRow, RawTable
from workbench.services.trail import audit_log, verify_engagement
from workbench.services.unit import reading


def answers(ws, engagement) -> dict[str, tuple[str, str]]:
    with reading(ws, engagement) as (session, row):
        return {r["item_id"]: (r["answer"], r["note"]) for r in engagement_document(session, row)["checklist"]}


def test_export_lists_every_item_with_its_dimension_text_and_answer(ws, engagement, tmp_path: Path) -> None:
    answer_item(ws, engagement, "DP-02", "partial", "Only null checks")
    rows = read_csv(export_checklist(ws, engagement, tmp_path / "checklist.csv"))
    assert len(rows) == 106 and list(rows[0]) == ["dimension_id", "dimension", "item_id", "item", "choices", "answer",
                                                  "note"]
    dp02 = next(r for r in rows if r["item_id"] == "DP-02")
    assert dp02["dimension"] == "Data Pipeline" and dp02["answer"] == "partial" and dp02["note"] == "Only null checks"
    assert dp02["item"].startswith("Incoming data is checked automatically")
    assert {r["answer"] for r in rows if r["item_id"] != "DP-02"} == {""}  # open items: blank cells to fill in


def test_an_old_export_read_back_never_clears_answers_given_since(ws, engagement, tmp_path: Path) -> None:
    exported = export_checklist(ws, engagement, tmp_path / "checklist.xlsx")
    answer_item(ws, engagement, "DP-01", "yes", "Given after the export")
    found = import_checklist_answers(ws, engagement, exported)
    assert found.changes == () and answers(ws, engagement)["DP-01"] == ("yes", "Given after the export")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_the_client_fills_it_in_and_the_answers_come_back(ws, engagement, tmp_path: Path, suffix: str) -> None:
    exported = export_checklist(ws, engagement, tmp_path / f"checklist{suffix}")
    filled = {"DP-01": ("Yes", "Airflow ingests nightly"), "DP-03": ("n/a", "No batch sources"),
              "MON-02": ("P", "Dashboards only")}
    if suffix == ".csv":
        rows = read_csv(exported)
        for row in rows:
            row["answer"], row["note"] = filled.get(row["item_id"], ("", row["note"]))
        write_csv(exported, rows)
    elif suffix == ".xlsx":
        book = load_workbook(exported)
        sheet = book.active
        header = [cell.value for cell in sheet[1]]
        answer, note = header.index("answer"), header.index("note")
        for row in sheet.iter_rows(min_row=2):
            if row[2].value in filled:
                row[answer].value, row[note].value = filled[row[2].value]
        book.save(exported)
    else:
        rows = json.loads(exported.read_text(encoding="utf-8"))
        for row in rows:
            if row["item_id"] in filled:
                row["answer"], row["note"] = filled[row["item_id"]]
        exported.write_text(json.dumps(rows), encoding="utf-8")

    found = read_checklist_answers(ws, engagement, exported)
    assert [(c.item_id, c.answer, c.note) for c in found.changes] == [
        ("DP-01", "yes", "Airflow ingests nightly"), ("DP-03", "na", "No batch sources"),
        ("MON-02", "partial", "Dashboards only")]
    assert answers(ws, engagement).get("DP-01") is None  # reading writes nothing
    import_checklist_answers(ws, engagement, exported)
    now = answers(ws, engagement)
    assert now["DP-01"] == ("yes", "Airflow ingests nightly") and now["MON-02"] == ("partial", "Dashboards only")
    events = [e for e in audit_log(ws, engagement) if e["entity"] == "checklist"]
    assert len(events) == 3 and verify_engagement(ws, engagement).ok


def test_blank_cells_change_nothing_and_unanswered_clears(ws, engagement, tmp_path: Path) -> None:
    answer_item(ws, engagement, "DP-01", "yes", "Kept")
    answer_item(ws, engagement, "DP-02", "no", "Was wrong")
    path = write_csv(tmp_path / "answers.csv", [
        {"Control": "DP-01", "Response": "", "Comments": ""},
        {"Control": "DP-02", "Response": "Not answered", "Comments": ""},
        {"Control": "DP-03", "Response": "", "Comments": "Asked the data team"},
        {"Control": "", "Response": "", "Comments": ""}])
    found = import_checklist_answers(ws, engagement, path)
    assert (found.unchanged, found.blank) == (0, 1)  # the empty last line is no row at all
    now = answers(ws, engagement)
    assert now["DP-01"] == ("yes", "Kept") and now["DP-02"] == ("unanswered", "Was wrong")
    assert now["DP-03"] == ("unanswered", "Asked the data team")


GOOD_ROW = {"item_id": "DP-02", "answer": "yes"}  # would be fine alone: the whole file is refused all the same


@pytest.mark.parametrize("rows, message", [
    ([GOOD_ROW, {"item_id": "DP-99", "answer": "yes"}],
     "line 3, item_id: no checklist item 'DP-99' in this framework"),
    ([GOOD_ROW, {"item_id": "DP-01", "answer": "yes"}, {"item_id": "DP-01", "answer": "no"}],
     "line 4, item_id: 'DP-01' is already on line 3"),
    ([GOOD_ROW, {"item_id": "DP-01", "answer": "maybe"}], "line 3, answer: 'maybe' is not an answer"),
    ([GOOD_ROW, {"item_id": "", "answer": "yes"}], "line 3, item_id: an answer without an item id"),
    ([{"id_of_item": "DP-01", "answer": "yes"}], "answers.csv: no 'item_id' column"),
    ([{**GOOD_ROW, "note": ""}, {"item_id": "DP-01", "answer": "n/a", "note": " "}],
     "line 3, note: a not-applicable answer needs a reason"),
])
def test_a_bad_file_is_refused_whole_and_changes_nothing(ws, engagement, tmp_path: Path, rows, message) -> None:
    path = write_csv(tmp_path / "answers.csv", rows)
    before = content_hash(ws)
    with pytest.raises(ValidationError) as refused:
        import_checklist_answers(ws, engagement, path)
    assert message in str(refused.value)
    assert content_hash(ws) == before


def test_a_final_engagement_takes_no_answers(ws, engagement, tmp_path: Path, preparer, reviewer) -> None:
    ready(ws, engagement, preparer, reviewer)
    path = write_csv(tmp_path / "answers.csv", [{"item_id": "DP-01", "answer": "no"}])
    finalise.finalise(ws, engagement, signer=reviewer)
    before = content_hash(ws)
    with pytest.raises(ConflictError, match="final"):
        import_checklist_answers(ws, engagement, path)
    assert content_hash(ws) == before


@pytest.mark.parametrize("cell, meant", [("Yes", "yes"), (" y ", "yes"), ("PARTIAL", "partial"), ("P", "partial"),
                                         ("No", "no"), ("N/A", "na"), ("not applicable", "na"),
                                         ("Not answered", "unanswered"), ("", None), ("   ", None)])
def test_answer_words(cell: str, meant: str | None) -> None:
    assert parse_answer(cell) == meant


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(cells=st.lists(st.tuples(st.text(max_size=12), st.text(max_size=12), st.text(max_size=30)), max_size=6))
def test_any_cells_are_read_or_refused_in_words(ws, engagement, cells) -> None:
    from workbench.services.checklist_io import _compare
    from workbench.services.unit import snapshot_of

    table = RawTable(["item_id", "answer", "note"], [RawRow(n + 2, row) for n, row in enumerate(cells)],
                     name="answers.csv")
    with reading(ws, engagement) as (session, row):
        framework = snapshot_of(session, row)
    try:
        found = _compare(table, {"item_id": 0, "answer": 1, "note": 2}, framework, {})
    except ValidationError as refused:
        assert str(refused).startswith("answers.csv: ")
    else:
        assert len(found.changes) + found.unchanged + found.blank == len(cells)
