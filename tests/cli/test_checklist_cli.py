"""`workbench checklist export/import`: the client self-assessment round trip from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import content_hash
from tests.helpers.cli import run
from tests.helpers.files import read_csv, write_csv


def _fill(path: Path, answers: dict[str, tuple[str, str]]) -> Path:
    rows = read_csv(path)
    for row in rows:
        row["answer"], row["note"] = answers.get(row["item_id"], (row["answer"], row["note"]))
    return write_csv(path, rows)


def test_export_fill_preview_import(capsys, eng, tmp_path: Path) -> None:
    db, ref = eng
    sheet = tmp_path / "self-assessment.csv"
    assert run(capsys, "--db", db, "checklist", "export", ref, "-o", str(sheet)) == (0, f"wrote {sheet}\n", "")
    _fill(sheet, {"DP-01": ("yes", "Nightly Airflow ingestion"), "MON-01": ("partial", "")})

    before = content_hash(Path(db))
    code, out, _ = run(capsys, "--db", db, "checklist", "import", ref, str(sheet), "--preview")
    assert code == 0 and out.splitlines() == ["would change 2 answers (0 as before, 104 left blank)",
                                              "  DP-01: unanswered → yes  (Nightly Airflow ingestion)",
                                              "  MON-01: unanswered → partial"]
    assert content_hash(Path(db)) == before

    code, out, _ = run(capsys, "--db", db, "checklist", "import", ref, str(sheet), "--json")
    assert code == 0 and json.loads(out)["imported"] is True and len(json.loads(out)["changes"]) == 2
    code, out, _ = run(capsys, "--db", db, "show", ref, "--json")
    checklist = {r["item_id"]: r["answer"] for r in json.loads(out)["checklist"]}
    assert checklist["DP-01"] == "yes" and checklist["MON-01"] == "partial"
    assert run(capsys, "--db", db, "log", ref, "--verify")[0] == 0


@pytest.mark.parametrize("text, message", [
    ("item_id,answer\nDP-01,maybe\n", "line 2, answer: 'maybe' is not an answer"),
    ("item_id,answer\nXX-01,yes\n", "line 2, item_id: no checklist item 'XX-01' in this framework"),
    ("name;value\nDP-01;yes\n", "no 'item_id' or 'answer' column"),
    ("control;status\n", "answers.csv: the file has no rows of answers"),
])
def test_a_bad_file_exits_2_and_changes_nothing(capsys, eng, tmp_path: Path, text: str, message: str) -> None:
    db, ref = eng
    path = tmp_path / "answers.csv"
    path.write_text(text, encoding="utf-8")
    before = content_hash(Path(db))
    code, out, err = run(capsys, "--db", db, "checklist", "import", ref, str(path))
    assert code == 2 and out == "" and message in err and "Traceback" not in err
    assert content_hash(Path(db)) == before
