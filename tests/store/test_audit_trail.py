"""Edits made behind the app's back (e.g. with the sqlite3 shell) break `log --verify`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.services import assessment, evidence, records
from workbench.services.engagements import create_engagement
from workbench.store.workspace import Workspace


@pytest.fixture
def populated(ws_path: Path) -> str:
    with Workspace(ws_path) as ws:
        uid = create_engagement(ws, client="Acme", title="Audit")
        records.add_record(ws, uid, "finding", {"title": "No drift", "severity": "High"})
        records.add_record(ws, uid, "risk", {"title": "Decay", "likelihood": 3, "impact": 4})
        assessment.set_assessment(ws, uid, "MON", level=2)
        evidence.attach_bytes(ws, uid, b"notes", "notes.txt")
    return uid


def tamper(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()


def verify(path: Path, uid: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--db", str(path), "log", uid, "--verify"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_untouched_trail_verifies(ws_path, populated, capsys) -> None:
    code, out = verify(ws_path, populated, capsys)
    assert code == 0 and "intact" in out


@pytest.mark.parametrize(("sql", "expected"), [
    ("UPDATE audit_event SET actor = 'mallory' WHERE seq = 4", "event #4 .* was altered"),
    ("DELETE FROM audit_event WHERE seq = 5", "event #5 is missing"),
    ("UPDATE audit_event SET after = json_set(after, '$.title', 'x') WHERE seq = 4", "event #4"),
    ("UPDATE finding SET title = 'Nothing to see'", "finding .* differs from event #4 .*field title"),
    ("UPDATE risk SET likelihood = 1", "risk .* differs from event #5"),
    ("DELETE FROM risk", "risk .* written by event #5 is missing"),
    ("UPDATE assessment SET current_level = 5", "assessment MON differs"),
    ("UPDATE engagement SET title = 'Other'", "engagement .* differs"),
    ("UPDATE client SET name = 'Evil Corp'", "client .* differs"),
    ("INSERT INTO finding (engagement_id, uid, ref, title, dimension_id, severity, impact, description, "
     "recommendation, currency, owner, status, carried_forward) VALUES (1, 'u-sneaky', 'F-099', 't', '', 'Low', "
     "'', '', '', 'EUR', '', 'open', 0)", "finding u-sneaky has no event"),
    ("UPDATE evidence_blob SET data = X'00'", "evidence notes.txt was altered"),
    ("UPDATE framework_snapshot SET content = replace(content, 'Data Pipeline', 'Data Pipes')",
     "framework was altered"),
])
def test_tampering_is_detected(ws_path, populated, capsys, sql, expected) -> None:
    tamper(ws_path, sql)
    code, out = verify(ws_path, populated, capsys)
    assert code == 1
    assert "audit trail broken" in out
    import re

    assert re.search(expected, out), out
    assert "Traceback" not in out


def test_log_json_lists_events(ws_path, populated, capsys) -> None:
    assert main(["--db", str(ws_path), "log", populated, "--json"]) == 0
    events = json.loads(capsys.readouterr().out)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert events[0]["prev_hash"] == "0" * 64
    assert all(e["actor"] == "tester" for e in events)
