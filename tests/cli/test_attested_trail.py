"""`log --verify` against someone who can write the workspace file: attestations catch what the chain cannot.

Each forgery is made with sqlite3 directly and keeps the hash chain consistent (hashes recomputed), so
only the attestations (signatures over the chain head) can tell.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.engagements import finalised_engagement
from workbench.cli import main
from workbench.services import engagements, records, review
from workbench.store.audit import GENESIS_HASH, event_hash
from workbench.store.workspace import Workspace


def final_engagement(path: Path, preparer: Any, reviewer: Any) -> str:
    with Workspace(path) as ws:
        return finalised_engagement(ws, preparer, reviewer)


def rows(conn: sqlite3.Connection, uid: str) -> list[dict[str, Any]]:
    cursor = conn.execute("SELECT id, seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash "
                          "FROM audit_event WHERE engagement_uid = ? ORDER BY seq", (uid,))
    names = [d[0] for d in cursor.description]
    events = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for event in events:
        for key in ("before", "after"):
            event[key] = json.loads(event[key]) if event[key] is not None else None
    return events


def rehash(conn: sqlite3.Connection, events: list[dict[str, Any]]) -> None:
    """Recompute every hash from the genesis, as a forger without any key can."""
    prev = GENESIS_HASH
    for event in events:
        event["prev_hash"], event["hash"] = prev, event_hash(prev, event)
        prev = event["hash"]
        conn.execute("UPDATE audit_event SET seq = ?, before = ?, after = ?, prev_hash = ?, hash = ? WHERE id = ?",
                     (event["seq"], json.dumps(event["before"]) if event["before"] is not None else None,
                      json.dumps(event["after"]) if event["after"] is not None else None,
                      event["prev_hash"], event["hash"], event["id"]))


def verify(capsys: pytest.CaptureFixture[str], db: Path, uid: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "log", uid, "--verify"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def final_db(tmp_path: Path, preparer: Any, reviewer: Any) -> tuple[Path, str]:
    db = tmp_path / "final.db"
    return db, final_engagement(db, preparer, reviewer)


def test_a_final_engagement_verifies_attested_to_its_last_event(capsys, final_db) -> None:
    db, uid = final_db
    code, out, _ = verify(capsys, db, uid)
    assert code == 0
    assert "attested through the last event" in out
    assert "finalise  " in out and "by Rui Reviewer" in out and "by Ana Preparer" in out and ": trusted" in out
    code = main(["--db", str(db), "log", uid, "--verify", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["ok"] and report["unattested"] is None and report["final"]
    assert [a["purpose"] for a in report["attestations"]] == ["sign_off"] * (8 + 8 + 2) + ["finalise"]
    assert report["attested_through"] == report["events"]


def test_deleting_the_last_event_is_detected(capsys, final_db) -> None:
    db, uid = final_db
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM audit_event WHERE engagement_uid = ? AND seq = (SELECT max(seq) FROM audit_event "
                 "WHERE engagement_uid = ?)", (uid, uid))
    conn.commit()
    conn.close()
    code, out, err = verify(capsys, db, uid)
    assert code == 1 and "audit trail intact" in out  # the chain alone cannot tell
    assert err.startswith("workbench: audit trail not attested as it should be: the engagement is final, but "
                          "event") and "not attested after the last trusted attestation" in err


def test_an_event_appended_with_its_row_changed_to_match_is_detected(capsys, final_db) -> None:
    db, uid = final_db
    conn = sqlite3.connect(db)
    events = rows(conn, uid)
    finding = next(e for e in events if e["entity"] == "finding")
    after = {**finding["after"], "severity": "Low"}
    last = events[-1]
    forged = {"seq": last["seq"] + 1, "at": last["at"], "actor": "tester", "action": "update", "entity": "finding",
              "entity_id": finding["entity_id"], "before": finding["after"], "after": after}
    forged["prev_hash"], forged["hash"] = last["hash"], event_hash(last["hash"], forged)
    conn.execute("INSERT INTO audit_event (engagement_uid, seq, at, actor, action, entity, entity_id, before, after, "
                 "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (uid, forged["seq"], forged["at"], forged["actor"], forged["action"], forged["entity"],
                  forged["entity_id"], json.dumps(forged["before"]), json.dumps(after), forged["prev_hash"],
                  forged["hash"]))
    conn.execute("UPDATE finding SET severity = 'Low' WHERE uid = ?", (finding["entity_id"],))
    conn.commit()
    conn.close()
    code, out, err = verify(capsys, db, uid)
    assert code == 1 and "audit trail intact" in out
    assert f"event #{forged['seq']} is not attested after the last trusted attestation" in err


def test_history_rewritten_with_recomputed_hashes_is_detected(capsys, final_db) -> None:
    """A Critical finding turned Low in its creating event, every later hash recomputed, the row to match."""
    db, uid = final_db
    conn = sqlite3.connect(db)
    events = rows(conn, uid)
    finding = next(e for e in events if e["entity"] == "finding")
    finding["after"]["severity"] = "Low"
    rehash(conn, events)
    conn.execute("UPDATE finding SET severity = 'Low' WHERE uid = ?", (finding["entity_id"],))
    conn.commit()
    conn.close()
    code, out, err = verify(capsys, db, uid)
    assert code == 1 and "audit trail intact" in out
    assert "does not hold: it signed event #" in err and "(the history was rewritten)" in err


def test_an_open_engagement_reports_what_is_not_yet_attested(capsys, tmp_path: Path, preparer) -> None:
    """Before finalisation, events after the last attestation are listed, not refused (nothing could attest them)."""
    db = tmp_path / "open.db"
    with Workspace(db) as ws:
        uid = engagements.create_engagement(ws, client="Acme Bank", title="Credit audit")
        review.sign_off(ws, uid, "preparer", signer=preparer)
        records.add_record(ws, uid, "risk", {"title": "Drift", "likelihood": 3, "impact": 4})
    code, out, _ = verify(capsys, db, uid)
    assert code == 0
    assert main(["--db", str(db), "log", uid, "--verify", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    last = report["events"]
    assert report["ok"] and report["unattested"] == [last, last] and report["attested_through"] == last - 1
    assert out.splitlines()[-1] == (f"not yet attested: event #{last} (after the last trusted attestation, nothing "
                                    "anchors them)")


def test_a_signoff_row_put_under_another_identity_is_detected(capsys, tmp_path: Path, preparer, reviewer,
                                                             stranger) -> None:
    """Mallory adds a reviewer sign-off in Rui's name and attests it with her own key: it does not fit."""
    from workbench.services.attestation import attest_in_unit
    from workbench.services.unit import change
    from workbench.store.tables import Signoff, row_to_dict

    db = tmp_path / "forged.db"
    with Workspace(db) as ws:
        uid = engagements.create_engagement(ws, client="Acme Bank", title="Credit audit")
        review.sign_off(ws, uid, "preparer", signer=preparer)
        with change(ws, uid) as unit:
            row = Signoff(engagement_id=unit.engagement.id, uid="0bad0bad-0000-4000-8000-000000000000",
                          role="reviewer", name=reviewer.name, scope="", signed_at=unit.at, note="",
                          identity_id=reviewer.identity_id, fingerprint=reviewer.fingerprint)
            unit.session.add(row)
            unit.session.flush()
            unit.record("sign_off", "signoff", row.uid, None, row_to_dict(row))
            attest_in_unit(unit, stranger, "sign_off")
    code, _out, err = verify(capsys, db, uid)
    assert code == 1
    assert f"names Rui Reviewer (identity {reviewer.identity_id}) but is attested by Sam Stranger" in err
