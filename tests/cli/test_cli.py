"""The command line: documented shapes, exit codes 0/1/2, one clear line and never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import content_hash
from workbench.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "cli.db")


def new(capsys, db: str, *extra: str) -> dict:
    code, out, err = run(capsys, "--db", db, "new", "--client", "Acme Bank", "--title", "Credit audit", "--json",
                         *extra)
    assert code == 0, err
    return json.loads(out)


def test_new_assess_answer_score_flow(capsys, db) -> None:
    created = new(capsys, db, "--auditor", "Zoë Müller", "--system", "CreditNet")
    assert created["ref"].startswith("ACME-")
    for dim, level in zip(["DP", "MD", "MR", "DEP", "MON", "CICD", "EXP", "FS"], [2, 3, 4, 3, 1, 2, 4, 1],
                          strict=True):
        assert run(capsys, "--db", db, "assess", created["ref"], dim, "--level", str(level), "--target", "4")[0] == 0
    assert run(capsys, "--db", db, "answer", created["uid"][:8], "DP-01", "partial", "--note", "two feeds")[0] == 0
    code, out, _ = run(capsys, "--db", db, "score", created["ref"], "--json")
    assert code == 0
    card = json.loads(out)
    assert card["overall"] == 49.0 and card["band"] == "Standardized" and card["verdict"] == "Conditional Go"
    assert card["engagement"]["uid"] == created["uid"]
    assert [d["id"] for d in card["dimensions"]] == ["DP", "MD", "MR", "DEP", "MON", "CICD", "EXP", "FS"]
    assert set(card["dimensions"][0]) == {"id", "name", "weight", "level", "target", "score"}
    code, out, _ = run(capsys, "--db", db, "list", "--json")
    [summary] = json.loads(out)
    assert summary["score"] == 49.0 and summary["client"] == "Acme Bank"
    code, out, _ = run(capsys, "--db", db, "show", created["ref"], "--json")
    shown = json.loads(out)
    assert shown["engagement"]["lead_auditor"] == "Zoë Müller"
    assert shown["checklist"] == [{"item_id": "DP-01", "answer": "partial", "note": "two feeds", "target": "",
                                   "priority": None}]
    assert run(capsys, "--db", db, "show", created["ref"])[1].count("checklist: 1/") == 1
    assert "49" in run(capsys, "--db", db, "score", created["ref"])[1]
    assert run(capsys, "--db", db, "list")[1].count("Acme Bank") == 1


@pytest.mark.parametrize("args", [
    ["score", "NOPE-1"],
    ["assess", "{ref}", "XX", "--level", "3"],
    ["assess", "{ref}", "DP", "--level", "9"],
    ["assess", "{ref}", "DP"],
    ["answer", "{ref}", "DP-01", "maybe"],
    ["answer", "{ref}", "ZZ-99", "yes"],
    ["new", "--client", "X"],
    ["new", "--client", "X", "--title", "T", "--framework", "nope"],
    ["frameworks", "show", "nope"],
    ["frameworks", "import", "/no/such/file.json"],
    ["restore", "/no/such/backup.db"],
    ["bogus-command"],
])
def test_bad_input_exits_2_with_one_line_and_changes_nothing(capsys, db, args) -> None:
    ref = new(capsys, db)["ref"]
    before = content_hash(Path(db))
    code, out, err = run(capsys, "--db", db, *[a.format(ref=ref) for a in args])
    assert code == 2
    assert err.startswith("workbench: ") and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err + out
    assert content_hash(Path(db)) == before


def test_foreign_workspace_file_is_a_clear_error(capsys, tmp_path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("hello")
    code, _, err = run(capsys, "--db", str(bogus), "list")
    assert code == 2 and "not a workspace" in err
    assert bogus.read_text() == "hello"


def test_frameworks_list_and_show(capsys, db) -> None:
    code, out, _ = run(capsys, "--db", db, "frameworks", "list", "--json")
    ids = {f["id"] for f in json.loads(out)}
    assert {"mlops-architecture", "aiml-infrastructure"} <= ids
    code, out, _ = run(capsys, "--db", db, "frameworks", "show", "mlops-architecture")
    assert code == 0 and "DP-01" in out and "HC-1" in out


def test_framework_import_validates(capsys, db, tmp_path) -> None:
    from workbench.resources import resource

    raw = json.loads(resource("frameworks", "mlops-architecture.json").read_text())
    raw["id"] = "firm-mlops"
    good = tmp_path / "firm.json"
    good.write_text(json.dumps(raw))
    assert run(capsys, "--db", db, "frameworks", "import", str(good))[0] == 0
    raw["id"] = "firm-mlops-with-an-identifier-as-long-as-an-imported-title"
    good.write_text(json.dumps(raw))
    assert run(capsys, "--db", db, "frameworks", "import", str(good))[0] == 0
    rows = run(capsys, "--db", db, "frameworks", "list")[1].splitlines()
    assert len({row.index(" dimensions") for row in rows}) == 1  # columns stay aligned past a long id
    run(capsys, "--db", db, "new", "--client", "Acme", "--title", "Firm audit", "--framework", "firm-mlops")
    rows = run(capsys, "--db", db, "frameworks", "list")[1].splitlines()
    assert " 1 engagement  " in next(r for r in rows if r.startswith("firm-mlops "))
    assert " 0 engagements  " in next(r for r in rows if r.startswith("mlops-architecture "))
    assert len({row.index(" engagement") for row in rows}) == 1
    raw["id"] = "firm-bad"
    raw["dimensions"][0]["weight"] = 0.9
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(raw))
    before = content_hash(Path(db))
    code, _, err = run(capsys, "--db", db, "frameworks", "import", str(bad))
    assert code == 2 and "weights sum to" in err
    assert content_hash(Path(db)) == before
    created = json.loads(run(capsys, "--db", db, "new", "--client", "C", "--title", "T", "--framework",
                             "firm-mlops", "--json")[1])
    assert created["ref"]


def test_backup_and_restore(capsys, db, tmp_path) -> None:
    ref = new(capsys, db)["ref"]
    backup = tmp_path / "backup.db"
    assert run(capsys, "--db", db, "backup", "-o", str(backup))[0] == 0
    run(capsys, "--db", db, "new", "--client", "Other", "--title", "Second", "--json")
    assert len(json.loads(run(capsys, "--db", db, "list", "--json")[1])) == 2
    code, out, _ = run(capsys, "--db", db, "restore", str(backup))
    assert code == 0 and "kept as" in out
    listed = json.loads(run(capsys, "--db", db, "list", "--json")[1])
    assert [e["ref"] for e in listed] == [ref]


def test_reaudit_from_cli(capsys, db) -> None:
    ref = new(capsys, db)["ref"]
    code, out, _ = run(capsys, "--db", db, "new", "--from", ref, "--title", "Follow-up", "--json")
    assert code == 0
    shown = json.loads(run(capsys, "--db", db, "show", json.loads(out)["uid"], "--json")[1])
    assert shown["engagement"]["previous_uid"] is not None and shown["engagement"]["title"] == "Follow-up"


def test_python_dash_m_entry_point(tmp_path) -> None:
    result = subprocess.run([sys.executable, "-m", "workbench", "--db", str(tmp_path / "x.db"), "list"],
                            capture_output=True, text=True, env={**os.environ}, timeout=120)
    assert result.returncode == 0 and "no engagements yet" in result.stdout
