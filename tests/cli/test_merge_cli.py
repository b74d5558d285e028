"""`export --for-fieldwork`, `import`, `merge` and `assign` on two workspaces through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import content_hash
from tests.helpers.cli import run
from workbench.services import records
from workbench.store.workspace import Workspace


def test_hand_out_import_edit_and_merge_back_with_a_choices_file(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, remembered_identities: dict[str, tuple[str, str]]) -> None:
    identity = ["--identity", remembered_identities["preparer"][0]]
    lead, bea = str(tmp_path / "lead.db"), str(tmp_path / "bea.db")
    code, out, err = run(capsys, "--db", lead, "new", "--client", "Acme Bank", "--title", "Credit audit", "--json")
    assert code == 0, err
    ref = json.loads(out)["ref"]
    with Workspace(Path(lead)) as ws:
        records.add_record(ws, ref, "finding", {"title": "Drift not monitored", "severity": "High"})
    handout = tmp_path / "handout.mlaudit"
    code, out, err = run(capsys, "--db", lead, "export", ref, "-o", str(handout), "--for-fieldwork", *identity)
    assert code == 0 and "hand-out" in out, err
    code, out, err = run(capsys, "--db", bea, "import", str(handout))
    assert code == 0 and ref in out, err
    code, out, err = run(capsys, "--db", bea, "assign", ref, "section:findings", "Bea Field")
    assert code == 0 and "Bea Field" in out, err
    with Workspace(Path(lead)) as ws:
        records.update_record(ws, ref, "finding", "F-001", {"title": "Drift is not watched"})
    with Workspace(Path(bea)) as ws:
        records.update_record(ws, ref, "finding", "F-001", {"title": "No drift monitoring at all"})
    back = tmp_path / "bea.mlaudit"
    assert run(capsys, "--db", bea, "export", ref, "-o", str(back), *identity)[0] == 0

    code, out, err = run(capsys, "--db", lead, "merge", str(back), "--preview", "--json")
    assert code == 0, err
    (conflict,) = json.loads(out)["conflicts"]
    assert (conflict["mine"]["value"], conflict["theirs"]["value"]) == ("Drift is not watched",
                                                                         "No drift monitoring at all")
    before = content_hash(Path(lead))
    code, out, err = run(capsys, "--db", lead, "merge", str(back), *identity)
    assert code == 2 and "1 conflict to decide" in err and conflict["id"] in out
    assert content_hash(Path(lead)) == before  # nothing written

    choices = tmp_path / "choices.json"
    choices.write_text(json.dumps({conflict["id"]: "theirs"}), encoding="utf-8")
    code, out, err = run(capsys, "--db", lead, "merge", str(back), "--resolve", str(choices), *identity)
    assert code == 0 and "1 conflict(s) decided" in out, err
    code, out, err = run(capsys, "--db", lead, "show", ref, "--json")
    assert [f["title"] for f in json.loads(out)["findings"]] == ["No drift monitoring at all"]
    code, out, err = run(capsys, "--db", lead, "assign", ref, "--json")
    assert {a["scope"]: a["auditor"] for a in json.loads(out)}["section:findings"] == "Bea Field"
    code, out, err = run(capsys, "--db", lead, "log", ref, "--verify")
    assert code == 0, out + err
    code, out, err = run(capsys, "--db", lead, "merge", str(back), *identity)
    assert code == 0 and out.startswith("nothing to merge"), err


def test_bad_choices_and_unknown_parts_are_refused_in_one_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, eng: tuple[str, str]) -> None:
    db, ref = eng
    code, _out, err = run(capsys, "--db", db, "assign", ref, "section:nowhere", "Bea")
    assert code == 2 and err.startswith("workbench: ") and err.count("\n") == 1
    bad = tmp_path / "choices.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    code, _out, err = run(capsys, "--db", db, "merge", str(tmp_path / "none.mlaudit"), "--resolve", str(bad))
    assert code == 2 and err.startswith("workbench: ") and err.count("\n") == 1


def test_a_hand_out_sent_encrypted_comes_back_encrypted_and_merges(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, remembered_identities: dict[str, tuple[str, str]]) -> None:
    """Hand-outs travel by USB stick and e-mail, so both ways they may be wrapped with a passphrase."""
    identity = ["--identity", remembered_identities["preparer"][0]]
    secret, wrong = tmp_path / "secret.txt", tmp_path / "wrong.txt"
    secret.write_text("fieldwork passphrase 2026\n", encoding="utf-8")
    wrong.write_text("not the passphrase at all\n", encoding="utf-8")
    sealed = ["--encrypt-with-passphrase", "--package-passphrase-file", str(secret)]
    lead, bea = str(tmp_path / "lead.db"), str(tmp_path / "bea.db")
    code, out, err = run(capsys, "--db", lead, "new", "--client", "Acme Bank", "--title", "Credit audit", "--json")
    assert code == 0, err
    ref = json.loads(out)["ref"]
    handout = tmp_path / "handout.mlaudit"
    code, out, err = run(capsys, "--db", lead, "export", ref, "-o", str(handout), "--for-fieldwork", *sealed,
                         *identity)
    assert code == 0 and "hand-out" in out, err
    assert b"Acme Bank" not in handout.read_bytes()
    code, out, err = run(capsys, "--db", bea, "import", str(handout), "--package-passphrase-file", str(secret))
    assert code == 0 and ref in out, err
    with Workspace(Path(bea)) as ws:
        records.add_record(ws, ref, "finding", {"title": "Features computed twice", "severity": "Medium"})
    back = tmp_path / "bea.mlaudit"
    assert run(capsys, "--db", bea, "export", ref, "-o", str(back), *sealed, *identity)[0] == 0

    before = content_hash(Path(lead))
    code, out, err = run(capsys, "--db", lead, "merge", str(back), "--package-passphrase-file", str(wrong),
                         *identity)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "passphrase" in err, err
    assert content_hash(Path(lead)) == before
    code, out, err = run(capsys, "--db", lead, "merge", str(back), "--preview", "--json",
                         "--package-passphrase-file", str(secret))
    assert code == 0 and json.loads(out)["conflicts"] == [], err
    code, out, err = run(capsys, "--db", lead, "merge", str(back), "--package-passphrase-file", str(secret),
                         *identity)
    assert code == 0 and out.startswith("merged"), err
    code, out, err = run(capsys, "--db", lead, "show", ref, "--json")
    assert [f["title"] for f in json.loads(out)["findings"]] == ["Features computed twice"]
