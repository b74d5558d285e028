"""Spreadsheet / scanner-output import and export of findings, models and risks."""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from workbench.domain.costs import CostBasis
from workbench.domain.errors import ConflictError, ValidationError, WorkbenchError
from workbench.domain.fields import RECORD_FIELDS, Field, clean_record
from workbench.services import table_writers
from workbench.services.engagements import create_engagement
from workbench.services.records import add_record, list_records
from workbench.services.records_io import (
    ImportPreview,
    RowError,
    commit_import,
    engagement_context,
    export_records,
    import_records,
    read_table,
    suggest_mapping,
    validate_rows,
    write_records,
)
from workbench.services.table_readers import guard_formula, parse_csv, unguard_formula
from workbench.services.trail import audit_log
from workbench.store.workspace import Workspace

KINDS = ("finding", "model", "risk")
FORMATS = (".csv", ".xlsx", ".json")


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace(tmp_path / "ws.db").open()
    yield workspace
    workspace.close()


@pytest.fixture
def eng(ws: Workspace) -> str:
    return create_engagement(ws, client="Acme", title="T")


def write_csv_bytes(path: Path, text: str, *, bom: bool = True, encoding: str = "utf-8") -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


def without_uid(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in record.items() if k != "uid"} for record in records]


# ---------------------------------------------------------------- import: formats


def test_csv_with_semicolons_and_bom(ws: Workspace, eng: str, tmp_path: Path) -> None:
    path = write_csv_bytes(tmp_path / "scan.csv", (
        "Finding;Risk;Dimension;Fix;Effort (h);Due date;Unrelated\r\n"
        "No model registry;High;MR;Adopt MLflow registry;16;2026-03-01;x\r\n"
        "Drift not monitored;critical;Monitoring;\"Add drift checks; alert on PSI\";8,5;;y\r\n"))
    table = read_table(path)
    assert table.headers[0] == "Finding"  # the BOM is not part of the first header
    uids = import_records(ws, eng, "finding", path)
    assert len(uids) == 2
    rows = list_records(ws, eng, "finding")
    assert [(r["ref"], r["title"], r["severity"], r["dimension_id"]) for r in rows] == [
        ("F-001", "No model registry", "High", "MR"), ("F-002", "Drift not monitored", "Critical", "MON")]
    assert rows[0]["effort_hours"] == 16.0 and rows[0]["due_date"] == "2026-03-01"
    assert rows[1]["recommendation"] == "Add drift checks; alert on PSI"
    events = [e for e in audit_log(ws, eng) if e["entity"] == "finding"]
    assert [e["action"] for e in events] == ["import", "import"]
    assert {e["entity_id"] for e in events} == set(uids)


def test_csv_cp1252_tab_and_physical_line_numbers(tmp_path: Path) -> None:
    path = write_csv_bytes(tmp_path / "legacy.csv", (
        "title\tseverity\tdescription\r\n"
        "Caf\u00e9 pipeline\tLow\t\"two\r\nlines\"\r\n"
        "\r\n"
        "Second\tSevere\t\r\n"), bom=False, encoding="cp1252")
    table = read_table(path)
    assert [row.line for row in table.rows] == [2, 5]
    preview = validate_rows("finding", table, suggest_mapping("finding", table.headers))
    assert preview.records[0]["title"] == "Caf\u00e9 pipeline"
    assert preview.records[0]["description"] == "two\r\nlines"
    assert [str(e) for e in preview.errors] == [
        "line 5, severity: 'Severe' is not one of Critical, High, Medium, Low, Info"]


def test_xlsx_import(ws: Workspace, eng: str, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Model name", "Version", "Deployment", "Latency (ms)", "Throughput", "Last updated",
                  "Registry", "Monitored", "Risk tier"])
    sheet.append(["churn", "1.4", "REST", 35, 120.5, datetime(2025, 11, 3), "MLflow", "yes", "High"])
    sheet.append([None] * 9)
    sheet.append(["fraud", 2, "streaming", None, None, None, "SageMaker", False, None])
    book.save(tmp_path / "models.xlsx")
    table = read_table(tmp_path / "models.xlsx")
    assert [row.line for row in table.rows] == [2, 4] and table.line_word == "row"
    import_records(ws, eng, "model", tmp_path / "models.xlsx")
    rows = list_records(ws, eng, "model")
    assert rows[0] | {"uid": ""} == {
        "uid": "", "name": "churn", "version": "1.4", "deployment": "rest", "latency_ms": 35.0,
        "throughput_rps": 120.5, "status": "production", "last_updated": "2025-11-03", "owner": "",
        "risk_tier": "high", "model_registry": "MLflow", "monitored": True, "notes": "", "model_card": "",
        "training_data": "", "code_commit": "", "approval": "not_recorded", "approved_by": ""}
    assert (rows[1]["version"], rows[1]["monitored"], rows[1]["risk_tier"]) == ("2", False, "medium")


def test_blank_cells_take_defaults_in_every_format(tmp_path: Path) -> None:
    table = parse_csv("title,severity,currency,status\nA,Low,,\n")
    assert validate_rows("finding", table, suggest_mapping("finding", table.headers)).records[0] == \
        clean_record("finding", {"title": "A", "severity": "Low"})


def test_xlsx_errors_name_sheet_rows(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["title", "likelihood", "impact"])
    sheet.append(["ok", 2, 3])
    sheet.append(["bad", "often", 9])
    book.save(tmp_path / "risks.xlsx")
    table = read_table(tmp_path / "risks.xlsx")
    preview = validate_rows("risk", table, suggest_mapping("risk", table.headers))
    assert [str(e) for e in preview.errors] == ["row 3, likelihood: 'often' is not a whole number",
                                                "row 3, impact: 9 is above the maximum of 5"]


def test_json_import_list_and_wrapped(ws: Workspace, eng: str, tmp_path: Path) -> None:
    (tmp_path / "risks.json").write_text(json.dumps([
        {"title": "Silent decay", "probability": 4, "impact": "5", "category": "Operational", "score": 20},
        {"title": "Key leak", "likelihood": 2, "impact": 5, "mitigation": "Vault"}]), encoding="utf-8")
    table = read_table(tmp_path / "risks.json")
    assert suggest_mapping("risk", table.headers) == {  # an exact name beats a synonym; unknown keys are ignored
        "title": "title", "probability": None, "impact": "impact", "category": "category", "score": None,
        "likelihood": "likelihood", "mitigation": "mitigation"}
    with pytest.raises(ValidationError, match="record 1, likelihood: a value is required"):
        import_records(ws, eng, "risk", tmp_path / "risks.json")
    (tmp_path / "risks.json").write_text(json.dumps({"records": [
        {"title": "Silent decay", "probability": 4, "impact": "5", "category": "Operational", "score": 20}]}))
    import_records(ws, eng, "risk", tmp_path / "risks.json")
    assert [(r["ref"], r["likelihood"], r["impact"], r["category"]) for r in list_records(ws, eng, "risk")] == [
        ("R-01", 4, 5, "operational")]
    (tmp_path / "findings.json").write_text(json.dumps({"findings": [
        {"ref": "SCAN-1", "issue": "Unpinned base image", "priority": "medium", "remediation": "Pin digests"},
        {"ref": "SCAN-2", "issue": "Secrets in env", "priority": "High", "monitored": None}]}), encoding="utf-8")
    uids = import_records(ws, eng, "finding", tmp_path / "findings.json")
    rows = list_records(ws, eng, "finding")
    assert [(r["uid"], r["ref"], r["severity"]) for r in rows] == [
        (uids[0], "SCAN-1", "Medium"), (uids[1], "SCAN-2", "High")]
    table = read_table(tmp_path / "findings.json")
    assert table.line_word == "record" and [row.line for row in table.rows] == [1, 2]


def test_json_risk_rows_with_blank_likelihood_are_named(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text(json.dumps({"records": [{"title": "a", "probability": None, "impact": 1}]}))
    table = read_table(tmp_path / "r.json")
    preview = validate_rows("risk", table, suggest_mapping("risk", table.headers))
    assert [str(e) for e in preview.errors] == ["record 1, likelihood: a value is required"]


# ---------------------------------------------------------------- import: refusals


def test_three_bad_rows_are_all_named_and_nothing_is_imported(ws: Workspace, eng: str, tmp_path: Path) -> None:
    add_record(ws, eng, "finding", {"title": "Existing", "severity": "Low"})
    before_records, before_trail = list_records(ws, eng, "finding"), len(audit_log(ws, eng))
    path = write_csv_bytes(tmp_path / "bad.csv", (
        "title,severity,effort_hours,due_date\n"
        "Good one,High,4,2026-01-31\n"
        "Bad severity,Severe,2,\n"
        "Fine,Low,,\n"
        "Bad hours,Medium,lots,\n"
        ",Info,1,31/12/2026\n"))
    with pytest.raises(ValidationError) as caught:
        import_records(ws, eng, "finding", path)
    lines = str(caught.value).splitlines()
    assert lines[0] == "3 rows have problems; nothing was imported"
    assert lines[1:] == [
        "line 3, severity: 'Severe' is not one of Critical, High, Medium, Low, Info",
        "line 5, effort_hours: 'lots' is not a number",
        "line 6, title: a value is required",
        "line 6, due_date: '31/12/2026' is not a date (use YYYY-MM-DD)"]
    assert list_records(ws, eng, "finding") == before_records
    assert len(audit_log(ws, eng)) == before_trail


def test_unknown_severity_in_preview(tmp_path: Path) -> None:
    table = parse_csv("Title,Severity\nA,Sev1\nB,high\n")
    preview = validate_rows("finding", table, suggest_mapping("finding", table.headers))
    assert preview.errors == [RowError(2, "severity", "'Sev1' is not one of Critical, High, Medium, Low, Info")]
    assert [r["title"] for r in preview.records] == ["B"] and preview.lines == [3]
    assert not preview.ok


def test_number_column_with_text() -> None:
    table = parse_csv("title;likelihood;impact\nA;three;2\nB;2.5;x\n")
    preview = validate_rows("risk", table, suggest_mapping("risk", table.headers))
    assert [str(e) for e in preview.errors] == ["line 2, likelihood: 'three' is not a whole number",
                                                "line 3, likelihood: '2.5' is not a whole number",
                                                "line 3, impact: 'x' is not a whole number"]
    model = parse_csv("name,latency_ms\nm,fast\n")
    assert [str(e) for e in validate_rows("model", model, suggest_mapping("model", model.headers)).errors] == [
        "line 2, latency_ms: 'fast' is not a number"]


def test_missing_required_column_is_one_error() -> None:
    table = parse_csv("severity,owner\nHigh,Ann\nLow,Bob\n")
    preview = validate_rows("finding", table, suggest_mapping("finding", table.headers))
    assert [str(e) for e in preview.errors] == ["line 1, title: no column of the file holds this required field"]
    assert preview.records == []
    assert preview.report().splitlines()[0] == "1 row has problems; nothing was imported"


def test_too_large_file_and_too_many_rows(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with open(big, "wb") as handle:
        handle.truncate(51 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(ValidationError, match=r"big.csv is 51 MB; files of at most 50 MB can be imported"):
        read_table(big)
    many = tmp_path / "many.csv"
    many.write_text("title,severity\n" + "t,Low\n" * 100_001)
    with pytest.raises(ValidationError, match="more than 100,000 rows"):
        read_table(many)


def test_duplicate_refs_in_file_and_clash_with_engagement(ws: Workspace, eng: str, tmp_path: Path) -> None:
    table = parse_csv("ref,title,severity\nF-7,a,Low\nF-8,b,Low\nF-7,c,Low\n")
    preview = validate_rows("finding", table, suggest_mapping("finding", table.headers))
    assert [str(e) for e in preview.errors] == ["line 4, ref: F-7 is also used on line 2"]

    add_record(ws, eng, "finding", {"ref": "F-8", "title": "Existing", "severity": "Low"})
    path = write_csv_bytes(tmp_path / "f.csv", "ref,title,severity\nF-1,a,Low\nF-8,b,Low\n")
    trail = len(audit_log(ws, eng))
    with pytest.raises(ValidationError, match="line 3, ref: F-8 is already used by another finding"):
        import_records(ws, eng, "finding", path)
    # the same check guards a commit of a preview built without the engagement's context
    table = read_table(path)
    bare = validate_rows("finding", table, suggest_mapping("finding", table.headers))
    assert bare.ok
    with pytest.raises(ValidationError, match="line 3, ref: F-8 is already used"):
        commit_import(ws, eng, "finding", bare)
    assert [r["title"] for r in list_records(ws, eng, "finding")] == ["Existing"]
    assert len(audit_log(ws, eng)) == trail


def test_blank_refs_are_numbered_after_the_file_and_engagement(ws: Workspace, eng: str) -> None:
    add_record(ws, eng, "risk", {"title": "Existing", "likelihood": 1, "impact": 1})
    table = parse_csv("title,likelihood,impact,ref\na,1,1,\nb,1,1,R-05\nc,1,1,\n")
    preview = validate_rows("risk", table, suggest_mapping("risk", table.headers),
                            context=engagement_context(ws, eng, "risk"))
    commit_import(ws, eng, "risk", preview)
    assert [r["ref"] for r in list_records(ws, eng, "risk")] == ["R-01", "R-06", "R-05", "R-07"]


def test_dimension_is_checked_against_the_framework(ws: Workspace, eng: str) -> None:
    table = parse_csv("title,severity,dimension\na,Low,md\nb,Low,Model Registry\nc,Low,XYZ\n")
    context = engagement_context(ws, eng, "finding")
    preview = validate_rows("finding", table, suggest_mapping("finding", table.headers), context=context)
    assert [r["dimension_id"] for r in preview.records] == ["MD", "MR"]
    assert len(preview.errors) == 1 and preview.errors[0].line == 4 and preview.errors[0].field == "dimension_id"
    assert "no dimension 'XYZ'" in preview.errors[0].message and "DP" in preview.errors[0].message


def test_extra_cells_and_bad_mappings() -> None:
    table = parse_csv("title,severity\nA, b,Low\n")
    preview = validate_rows("finding", table, suggest_mapping("finding", table.headers))
    assert preview.errors[0].line == 2 and "more cells than the header" in preview.errors[0].message
    with pytest.raises(ValidationError, match="not a finding field"):
        validate_rows("finding", table, {"title": "nonsense"})
    with pytest.raises(ValidationError, match="both mapped to title"):
        validate_rows("finding", table, {"title": "title", "severity": "title"})


def test_report_lists_at_most_twenty_errors(ws: Workspace, eng: str, tmp_path: Path) -> None:
    path = write_csv_bytes(tmp_path / "f.csv", "title,severity\n" + "x,bad\n" * 25)
    with pytest.raises(ValidationError) as caught:
        import_records(ws, eng, "finding", path)
    lines = str(caught.value).splitlines()
    assert lines[0] == "25 rows have problems; nothing was imported"
    assert len(lines) == 22 and lines[-1] == "... and 5 more"


def test_refusals(ws: Workspace, eng: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="cannot be imported or exported"):
        suggest_mapping("cost", ["name"])
    with pytest.raises(ValidationError, match="cannot be imported or exported"):
        export_records(ws, eng, "roadmap", tmp_path / "x.csv")
    with pytest.raises(ValidationError, match=r"\.csv, \.xlsx or \.json"):
        export_records(ws, eng, "finding", tmp_path / "x.pdf")
    with pytest.raises(ValidationError, match=r"save it as \.xlsx or \.csv"):
        read_table(tmp_path / "old.xls")
    with pytest.raises(ValidationError, match="no file at"):
        read_table(tmp_path / "missing.csv")
    (tmp_path / "empty.csv").write_bytes(b"\xef\xbb\xbf\r\n  \r\n")
    with pytest.raises(ValidationError, match="empty"):
        read_table(tmp_path / "empty.csv")
    (tmp_path / "fake.xlsx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ValidationError, match="not an Excel workbook"):
        read_table(tmp_path / "fake.xlsx")
    (tmp_path / "bad.json").write_text('{"title": 1}')
    with pytest.raises(ValidationError, match="list of records"):
        read_table(tmp_path / "bad.json")
    (tmp_path / "header.csv").write_text("title,severity\n")
    with pytest.raises(ValidationError, match="no rows to import"):
        import_records(ws, eng, "finding", tmp_path / "header.csv")
    with pytest.raises(ValidationError, match="nothing was imported"):
        commit_import(ws, eng, "finding", ImportPreview("finding", errors=[RowError(2, "title", "bad")]))
    with pytest.raises(ValidationError, match="holds risk records"):
        commit_import(ws, eng, "finding", ImportPreview("risk", records=[{}], lines=[1]))


def test_final_engagement_refuses_import(ws: Workspace, eng: str, tmp_path: Path) -> None:
    from workbench.services.unit import change

    with change(ws, eng) as unit:
        unit.engagement.locked_at = "2026-01-01T00:00:00Z"
    path = write_csv_bytes(tmp_path / "f.csv", "title,severity\na,Low\n")
    with pytest.raises(ConflictError, match="final and locked"):
        import_records(ws, eng, "finding", path)


# ---------------------------------------------------------------- export


FULL_RECORDS: dict[str, list[dict[str, Any]]] = {
    "finding": [
        {"ref": "F-010", "title": "=HYPERLINK(\"http://x\")", "dimension_id": "MD", "severity": "Critical",
         "impact": "Revenue; trust", "description": "Line one\nline two, with \"quotes\"",
         "recommendation": "-rm the old bucket", "current_level": 1, "recommended_level": 3,
         "effort_hours": 12.5, "cost_estimate": 1500, "currency": "USD", "owner": "@ops", "due_date": "2026-06-30",
         "status": "in_remediation", "carried_forward": True},
        {"title": "Café \u2013 \u65e5\u672c", "severity": "Info"},
    ],
    "model": [
        {"name": "churn", "version": "1.10", "deployment": "rest", "latency_ms": 35.25, "throughput_rps": 1e6,
         "status": "staging", "last_updated": "2025-12-01", "owner": "+Data team", "risk_tier": "high",
         "model_registry": "MLflow", "monitored": True, "notes": "'=already quoted"},
        {"name": "fraud"},
    ],
    "risk": [
        {"ref": "R-03", "title": "Silent decay", "category": "operational", "likelihood": 4, "impact": 5,
         "mitigation": "@drift alerts", "owner": "Ann", "status": "mitigating"},
        {"title": "Key leak", "likelihood": 1, "impact": 1},
    ],
}


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("kind", KINDS)
def test_export_import_round_trip(ws: Workspace, kind: str, suffix: str, tmp_path: Path) -> None:
    source = create_engagement(ws, client="Acme", title="Source")
    target = create_engagement(ws, client="Beta", title="Target")
    for record in FULL_RECORDS[kind]:
        add_record(ws, source, kind, record)
    path = export_records(ws, source, kind, tmp_path / f"out{suffix}")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []  # no temp left over
    uids = import_records(ws, target, kind, path)
    original = [priced(record) for record in list_records(ws, source, kind)]
    assert without_uid(list_records(ws, target, kind)) == without_uid(original)
    assert set(uids).isdisjoint(r["uid"] for r in original)


def priced(record: dict[str, Any]) -> dict[str, Any]:
    """A finding as exported: its cost is the cost service's figure (hours ÷ 8 × 1,200, EUR), not a stored one."""
    if "effort_hours" not in record:
        return record
    hours = record["effort_hours"]
    return {**record, "cost_estimate": None if hours is None else round(hours / 8 * 1200), "currency": "EUR"}


def test_export_formats_and_formula_guard(ws: Workspace, eng: str, tmp_path: Path) -> None:
    for record in FULL_RECORDS["finding"]:
        add_record(ws, eng, "finding", record)
    names = [f.name for f in RECORD_FIELDS["finding"]]

    raw = (tmp_path / "f.csv")
    export_records(ws, eng, "finding", raw)
    data = raw.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines(keepends=True)))
    assert rows[0] == names
    first = dict(zip(names, rows[1], strict=True))
    assert first["title"] == "'=HYPERLINK(\"http://x\")"
    assert first["recommendation"] == "'-rm the old bucket" and first["owner"] == "'@ops"
    assert first["carried_forward"] == "yes" and first["effort_hours"] == "12.5" and first["cost_estimate"] == "1875"

    export_records(ws, eng, "finding", tmp_path / "f.xlsx")
    sheet = load_workbook(tmp_path / "f.xlsx").active
    assert [c.value for c in sheet[1]] == names and all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    title = sheet.cell(row=2, column=names.index("title") + 1)
    assert title.value == "'=HYPERLINK(\"http://x\")" and title.data_type == "s"
    assert sheet.cell(row=2, column=names.index("due_date") + 1).value == datetime(2026, 6, 30)
    assert 8 <= sheet.column_dimensions["B"].width <= 62

    export_records(ws, eng, "finding", tmp_path / "f.json")
    exported = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    # JSON is not a spreadsheet: no guard, uid kept; the cost is the cost service's figure
    assert exported == [priced(record) for record in list_records(ws, eng, "finding")]
    assert list(exported[0]) == ["uid", *names]


def test_guard_is_reversible() -> None:
    for text in ("=1+1", "+x", "-", "@a", "\tx", "'=x", "''+y", "'plain", "plain", "", "a=b"):
        assert unguard_formula(guard_formula(text)) == text
    assert guard_formula("=1") == "'=1" and guard_formula("'=1") == "''=1" and guard_formula("'a") == "'a"


# ---------------------------------------------------------------- property tests

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEADER_WORDS = st.sampled_from(["title", "Severity", "ref", "likelihood", "impact", "name", "Effort (h)",
                                "due_date", "monitored", "latency_ms", "status", "", "x", "title"])
CELLS = st.one_of(st.text(max_size=12), st.sampled_from(["High", "1", "5", "-3", "1e999", "nan", "yes", "F-001",
                                                         "2026-02-30", "'=1", "\x00", "\"", "1,000.5"]))


def check_only_workbench_errors(path: Path) -> None:
    try:
        table = read_table(path)
    except WorkbenchError:
        return
    for kind in KINDS:
        try:
            preview = validate_rows(kind, table, suggest_mapping(kind, table.headers))
        except WorkbenchError:
            continue
        assert len(preview.records) == len(preview.lines)
        for error in preview.errors:
            assert str(error)


@SETTINGS
@given(text=st.text(max_size=400), suffix=st.sampled_from([".csv", ".tsv", ".json"]))
def test_arbitrary_text_raises_only_workbench_errors(text: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"in{suffix}"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        check_only_workbench_errors(path)


@SETTINGS
@given(header=st.lists(HEADER_WORDS, min_size=1, max_size=6),
       rows=st.lists(st.lists(CELLS, max_size=7), max_size=6), delimiter=st.sampled_from([",", ";", "\t"]))
def test_arbitrary_csv_tables_raise_only_workbench_errors(header: list[str], rows: list[list[str]],
                                                          delimiter: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.csv"
        with open(path, "w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, delimiter=delimiter)
            writer.writerow(header)
            writer.writerows(rows)
        check_only_workbench_errors(path)


@SETTINGS
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".xlsx", ".json"]))
def test_arbitrary_bytes_raise_only_workbench_errors(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"in{suffix}"
        path.write_bytes(data)
        check_only_workbench_errors(path)


SAFE = st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Co"))
TEXT = st.text(alphabet=st.one_of(SAFE, st.sampled_from("=+-@'; ,\"")), max_size=30)
LONG = st.text(alphabet=st.one_of(SAFE, st.sampled_from("=+-@'\n\t;,\"")), max_size=80)


def value_strategy(spec: Field) -> st.SearchStrategy[Any]:
    if spec.type == "choice":
        assert spec.choices is not None
        return st.sampled_from([member.value for member in spec.choices])
    if spec.type == "int":
        return st.integers(int(spec.minimum or 0), int(spec.maximum or 1000))
    if spec.type == "float":
        return st.floats(spec.minimum or 0, min(spec.maximum or 1e6, 1e9), allow_nan=False)
    if spec.type == "date":
        return st.dates(date(1900, 1, 1), date(2200, 12, 31)).map(date.isoformat)
    if spec.type == "bool":
        return st.booleans()
    if spec.required:
        return TEXT.filter(lambda text: text.strip() != "")
    return LONG if spec.type == "longtext" else TEXT


@st.composite
def records_of(draw: st.DrawFn, kind: str) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 4))
    records = []
    for index in range(count):
        record = {}
        for spec in RECORD_FIELDS[kind]:
            if spec.name == "ref":
                record["ref"] = f"X-{index}" if draw(st.booleans()) else ""
            elif spec.required or draw(st.booleans()):
                record[spec.name] = draw(value_strategy(spec))
        if record.get("status") == "risk_accepted":  # who and why are required then
            for name in ("accepted_by", "accepted_reason"):
                record[name] = draw(TEXT.filter(lambda text: text.strip() != ""))
        records.append(record)
    return records


@SETTINGS
@given(data=st.data(), kind=st.sampled_from(KINDS), suffix=st.sampled_from(FORMATS))
def test_valid_generated_rows_round_trip(data: st.DataObject, kind: str, suffix: str) -> None:
    # a blank cell means "not given", so a field with a default (currency) takes it: generate blanks as absent
    expected = [clean_record(kind, {k: v for k, v in record.items() if not (isinstance(v, str) and not v.strip())})
                for record in data.draw(records_of(kind))]
    with tempfile.TemporaryDirectory() as folder:
        path = write_records(Path(folder) / f"rows{suffix}", kind, expected)
        table = read_table(path)
    preview = validate_rows(kind, table, suggest_mapping(kind, table.headers))
    assert preview.errors == []
    if kind == "finding":  # a finding is written with the cost service's figures, not a stored cost
        basis = CostBasis()
        assert [(r.get("cost_estimate"), r.get("currency")) for r in preview.records] == \
            [(basis.cost(r.get("effort_hours")), "EUR") for r in expected]
        preview.records[:] = [{k: v for k, v in r.items() if k not in ("cost_estimate", "currency")}
                              for r in preview.records]
        expected = [{k: v for k, v in r.items() if k not in ("cost_estimate", "currency")} for r in expected]
    assert preview.records == expected


def test_write_records_leaves_target_untouched_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "keep.json"
    target.write_text("old")

    def boom(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(table_writers, "_write_json", boom)
    with pytest.raises(WorkbenchError, match="the disk is full: .*keep.json could not be written, and nothing was "
                                             "changed"):
        write_records(target, "risk", [])
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["keep.json"]
