"""The fast paths of big engagements give exactly what the straightforward code gave.

Refs numbered from an index, scores counted in SQL, records read with SQL Core, the package
document written line by record: each is compared with the plain Python definition.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlmodel import select

from tests.helpers import assert_same
from workbench.domain.coverage import Share
from workbench.domain.enums import FindingStatus, Severity
from workbench.domain.scoring import FindingFacts, score_engagement
from workbench.services import engagements, records
from workbench.services.assessment import set_assessment
from workbench.services.document import DOCUMENT_KINDS, engagement_document
from workbench.services.packages import document_text, import_package
from workbench.services.unit import reading, snapshot_of
from workbench.store.tables import Assessment, Finding, row_to_dict

SAMPLES = Path(__file__).resolve().parents[2] / "sample_audits"


def plain_next_ref(refs: list[str], prefix: str, width: int) -> str:
    numbers = [int(m.group(1)) for ref in refs if (m := re.fullmatch(re.escape(prefix) + r"([0-9]+)", ref))]
    return f"{prefix}{(max(numbers) + 1 if numbers else 1):0{width}d}"


@pytest.mark.parametrize("refs", [
    [],
    ["F-001", "F-002", "F-010"],
    ["F-0100", "F-99"],  # leading zeros: 100 is the highest
    ["F-007", "F-12a", "X-999", "F-", "f-500", "F-3 "],  # not of the form: ignored
    ["F-005"] + [f"F-{n}x" for n in range(900, 940)],  # the first index candidates are all malformed
    ["F-004", "F-99999999999999999999"],  # beyond SQL's 64-bit integers
])
def test_next_finding_ref_is_one_above_the_highest(ws, engagement, refs: list[str]) -> None:
    for ref in refs:
        records.add_record(ws, engagement, "finding", {"ref": ref, "title": f"Finding {ref}", "severity": "Low"})
    expected = plain_next_ref(refs, "F-", 3)
    uid = records.add_record(ws, engagement, "finding", {"title": "Numbered by the service", "severity": "Low"})
    added = next(f for f in records.list_records(ws, engagement, "finding") if f["uid"] == uid)
    assert added["ref"] == expected


def test_next_risk_ref_and_taken_refs(ws, engagement) -> None:
    for ref in ("R-03", "R-11"):
        records.add_record(ws, engagement, "risk", {"ref": ref, "title": ref, "likelihood": 2, "impact": 2})
    with reading(ws, engagement) as (session, row):
        assert records.next_record_ref(session, row, "risk") == "R-12"
        assert records.next_record_ref(session, row, "risk", taken=["R-12", "R-40"]) == "R-41"


def test_sql_counted_score_matches_python_facts(ws, engagement) -> None:
    """Whitespace-only recommendations (any Unicode space), empty due dates, every status."""
    for level, dimension in enumerate(("DP", "MD", "MR", "DEP", "MON", "CICD"), start=1):
        set_assessment(ws, engagement, dimension, level=min(level, 5), target=4)
    cases = [("Critical", "open", "\u2003\n", "2026-03-01"), ("Critical", "open", " fix it ", "2026-03-01"),
             ("Critical", "in_remediation", "Plan", ""), ("High", "resolved", "", None),
             ("Medium", "risk_accepted", "\u00a0", None), ("Low", "open", "x", "2026-01-01")]
    for severity, status, recommendation, due in cases:
        accepted = {"accepted_by": "CRO", "accepted_reason": "Low impact"} if status == "risk_accepted" else {}
        uid = records.add_record(ws, engagement, "finding", {"title": severity, "severity": severity,
                                                             "due_date": due, "status": status, **accepted})
        with ws.session() as session, session.begin():  # stored as is, as an older version might have
            row = session.exec(select(Finding).where(Finding.uid == uid)).one()
            row.recommendation = recommendation
    with reading(ws, engagement) as (session, row):
        findings = session.exec(select(Finding).where(Finding.engagement_id == row.id)).all()
        facts = [FindingFacts(Severity.parse(f.severity), FindingStatus.parse(f.status),
                              bool(f.recommendation.strip()), bool(f.due_date)) for f in findings]
        assessed = session.exec(select(Assessment).where(Assessment.engagement_id == row.id)).all()
        expected = score_engagement(snapshot_of(session, row), {a.dimension_id: a.current_level for a in assessed},
                                    {a.dimension_id: a.target_level for a in assessed}, facts, Share(0, 106))
    assert engagements.score(ws, engagement)[1] == expected
    assert expected.provisional_reasons[1].startswith("0 of 106 checklist items answered (0 %)")
    assert expected.verdict == "No-Go"  # the Critical finding with only a wide space has no recommendation
    [summary] = engagements.list_engagements(ws)
    assert (summary.score, summary.verdict, summary.finding_count) == (expected.overall, expected.verdict, 6)


def test_records_read_with_core_equal_the_orm_rows(ws) -> None:
    uid = import_package(ws, SAMPLES / "driftguard.mlaudit", untrusted=True)
    with reading(ws, uid) as (session, engagement):
        document = engagement_document(session, engagement)
        for key, kind in DOCUMENT_KINDS.items():
            orm = [row_to_dict(row) for row in records.rows_of(session, engagement, kind)]
            core = [{k: v for k, v in record.items() if k != "links"} for record in document[key]]
            assert_same(orm, core, key)
            assert orm or kind in ("signoff", "review_note"), f"the sample should hold {kind} records"


def test_package_text_is_sorted_json_with_a_record_per_line(ws) -> None:
    uid = import_package(ws, SAMPLES / "driftguard.mlaudit", untrusted=True)
    with reading(ws, uid) as (session, engagement):
        document = engagement_document(session, engagement)
    text = document_text(document).decode("utf-8")
    assert json.loads(text) == json.loads(json.dumps(document))
    assert list(json.loads(text)) == sorted(document)
    lines = text.splitlines()
    assert len(lines) > len(document["findings"]) + len(document["audit_log"])
    first_finding = json.dumps(document["findings"][0], ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
    assert f"  {first_finding}," in lines


def test_choice_parse_shortcut_agrees_with_the_tolerant_reading() -> None:
    """The stored spelling is looked up directly; it must give what the tolerant comparison gives."""
    import inspect

    from workbench.domain import enums

    choices = [c for c in vars(enums).values() if inspect.isclass(c) and issubclass(c, enums.Choice)
               and c is not enums.Choice]
    assert len(choices) > 5
    for choice in choices:
        for member in choice:
            tolerant = next(m for m in choice if member.value.lower() in (m.value.lower(), m.name.lower()))
            assert choice.parse(member.value) is tolerant is member
            assert choice.parse(f" {member.value.upper()} ") is member


def test_plain_columns_are_the_tables_columns() -> None:
    """store.columns repeats what tables.py defines (so reads need no SQLAlchemy): checked column by column."""
    from sqlalchemy import JSON, Boolean

    from workbench.store.columns import TABLE_COLUMNS
    from workbench.store.tables import INTERNAL_COLUMNS, RECORD_TABLES, ROW_VERSION, VERSIONED_KINDS, Client, Engagement

    tables = {"engagement": Engagement, "client": Client} | {kind: table for kind, (table, _) in RECORD_TABLES.items()}
    assert list(TABLE_COLUMNS) == list(tables)
    for kind, model in tables.items():
        table = model.__table__  # type: ignore[attr-defined]
        columns = [column for column in table.columns if column.name not in INTERNAL_COLUMNS]
        described = TABLE_COLUMNS[kind]
        assert described.table == table.name, kind
        assert described.fields == tuple(column.name for column in columns), kind
        assert described.booleans == {column.name for column in columns if isinstance(column.type, Boolean)}, kind
        assert described.json == {column.name for column in columns if isinstance(column.type, JSON)}, kind
        assert described.versioned == (ROW_VERSION in table.columns) == (kind in VERSIONED_KINDS), kind


def test_show_json_is_the_document_the_services_read(ws, db, capsys) -> None:
    """`show --json` reads in plain SQL without the database layer: the same document, header and score."""
    from workbench.cli import main
    from workbench.services.engagements import score_in_session

    uid = import_package(ws, SAMPLES / "driftguard.mlaudit", untrusted=True)
    with reading(ws, uid) as (session, engagement):
        expected = engagement_document(session, engagement, audit_log=False)
        expected["score"] = score_in_session(session, engagement).as_dict()
    assert main(["--db", db, "show", uid, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == json.loads(json.dumps(expected))
    assert [list(part) for part in shown["findings"]] == [list(part) for part in expected["findings"]]
    assert shown["evidence"][0]["links"] and shown["matrices"][0]["data"]
