"""review, note, signoff, finalise and reopen on the command line; a final engagement refuses edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import file_hash
from tests.helpers.cli import run
from tests.helpers.engagements import cover_everything
from workbench.store.workspace import Workspace

DIMENSIONS = ("DP", "MD", "MR", "DEP", "MON", "CICD", "EXP", "FS")


def as_(people: dict[str, tuple[str, str]], role: str) -> tuple[str, ...]:
    identity, secret = people[role]
    return ("--identity", identity, "--passphrase-file", secret)


def cover(db: str, ref: str, signer) -> None:
    with Workspace(Path(db)) as ws:
        cover_everything(ws, ref, signer)


def test_review_cycle_to_final_then_reopen_and_refinalise(capsys, eng, tmp_path, installed_identities,
                                                          preparer) -> None:
    people = installed_identities
    db, ref = eng
    code, out, err = run(capsys, "--db", db, "finalise", ref)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[:2] == [f"workbench: engagement {ref} cannot be finalised yet:",
                         "  - DP Data Pipeline: 16 checklist items unanswered (DP-01, DP-02, DP-03, DP-04, DP-05, "
                         "DP-06, DP-07, DP-08, DP-09, DP-10, DP-11, DP-12 and 4 more)"]
    assert "  - health check: 5 questions unanswered (HC-1, HC-2, HC-3, HC-4 and HC-5)" in lines
    assert "  - MON Monitoring: no maturity level set" in lines
    assert lines[-4:-2] == ["  - no preparer sign-off yet", "  - no reviewer sign-off yet"]
    for dimension in DIMENSIONS:
        assert run(capsys, "--db", db, "assess", ref, dimension, "--level", "3")[0] == 0
    assert run(capsys, "--db", db, "signoff", ref, "--role", "preparer", "--dimension", "DP",
               *as_(people, "preparer"))[0] == 0
    cover(db, ref, preparer)
    code, out, _ = run(capsys, "--db", db, "note", "add", ref, "--on", "dimension:DP", "Level 3 looks generous")
    assert code == 0 and out.startswith("raised note ")
    note = out.split("(")[1].rstrip(")\n")
    code, out, _ = run(capsys, "--db", db, "review", ref, "--json")
    summary = json.loads(out)
    assert [n["uid"] for n in summary["notes"]] == [note]
    assert summary["notes"][0]["target"].startswith("Dimension DP · ")
    assert [b["text"] for b in summary["blockers"]] == ["1 review note open", "no preparer sign-off yet",
                                                         "no reviewer sign-off yet"]
    assert summary["blockers"][0] == {"text": "1 review note open", "step": "review", "dimension": "", "item": "",
                                      "scope": "", "record": note}
    assert {"role": "reviewer", "scope": "", "label": "Engagement"} in summary["missing_signoffs"]
    assert run(capsys, "--db", db, "note", "answer", ref, note[:6], "Two pipelines are fully automated")[0] == 0
    code, out, _ = run(capsys, "--db", db, "review", ref)
    assert f"{note[:8]}  answered" in out and "answer: Two pipelines are fully automated" in out
    assert "finalisation blocked by:\n  - 1 answered review note not closed by the reviewer" in out
    assert run(capsys, "--db", db, "note", "close", ref, note[:6])[0] == 0
    code, out, _ = run(capsys, "--db", db, "signoff", ref, "--role", "preparer", *as_(people, "preparer"))
    assert code == 0 and out == f"signed off as preparer by Ana Preparer ({people['preparer'][0]})\n"
    assert run(capsys, "--db", db, "signoff", ref, "--role", "reviewer", *as_(people, "reviewer"))[0] == 0
    assert "ready to finalise" in run(capsys, "--db", db, "review", ref)[1]
    code, out, _ = run(capsys, "--db", db, "finalise", ref, *as_(people, "reviewer"))
    assert code == 0 and out.startswith(f"finalised {ref} at ") and out.rstrip().endswith("by Rui Reviewer")
    assert "final since" in run(capsys, "--db", db, "review", ref)[1]

    code, out, _ = run(capsys, "--db", db, "reopen", ref, "--reason", "Client sent a late runbook",
                       *as_(people, "reviewer"))
    assert code == 0 and "review note" in out
    code, _out, err = run(capsys, "--db", db, "finalise", ref)
    assert code == 2 and "  - 1 review note open" in err
    reason = json.loads(run(capsys, "--db", db, "review", ref, "--json")[1])["notes"][0]
    assert reason["text"] == "Reopened after finalisation: Client sent a late runbook"
    assert run(capsys, "--db", db, "note", "close", ref, reason["uid"])[0] == 0
    assert run(capsys, "--db", db, "finalise", ref, *as_(people, "reviewer"))[0] == 0
    code, out, _ = run(capsys, "--db", db, "log", ref, "--verify")
    assert code == 0 and "attested through the last event" in out
    assert f"finalise  events #1-#{len(out)}" not in out  # the lines name each attestation and who made it
    assert out.count("by Rui Reviewer") == 4 and out.count("by Ana Preparer") == 1 + 7 + 8 + 1
    events = json.loads(run(capsys, "--db", db, "log", ref, "--json")[1])
    assert [e["action"] for e in events if e["entity"] == "engagement"][-3:] == ["finalise", "reopen", "finalise"]


def _finalised(capsys, db: str, ref: str, people: dict[str, tuple[str, str]], preparer) -> None:
    for dimension in DIMENSIONS:
        run(capsys, "--db", db, "assess", ref, dimension, "--level", "2")
    cover(db, ref, preparer)
    run(capsys, "--db", db, "signoff", ref, "--role", "preparer", *as_(people, "preparer"))
    run(capsys, "--db", db, "signoff", ref, "--role", "reviewer", *as_(people, "reviewer"))
    assert run(capsys, "--db", db, "finalise", ref, *as_(people, "reviewer"))[0] == 0


def test_edits_of_a_final_engagement_are_refused_and_change_nothing(capsys, eng, tmp_path,
                                                                    installed_identities, preparer) -> None:
    db, ref = eng
    people = installed_identities
    package = tmp_path / "open.mlaudit"
    assert run(capsys, "--db", db, "export", ref, "-o", str(package), *as_(people, "preparer"))[0] == 0
    _finalised(capsys, db, ref, people, preparer)
    rows = tmp_path / "findings.json"
    rows.write_text(json.dumps([{"title": "late", "severity": "Low"}]), encoding="utf-8")
    before = file_hash(Path(db))
    for args in (("assess", ref, "DP", "--level", "5"), ("answer", ref, "DP-01", "yes"),
                 ("records", "import", ref, "findings", str(rows)),
                 ("note", "add", ref, "--on", "engagement", "late"),
                 ("signoff", ref, "--role", "preparer", "--section", "risks", *as_(people, "preparer")),
                 ("finalise", ref, *as_(people, "reviewer"))):
        code, out, err = run(capsys, "--db", db, *args)
        assert code == 2 and out == "", args
        assert len(err.splitlines()) == 1 and "final" in err, (args, err)
        assert file_hash(Path(db)) == before, args
    code, _out, err = run(capsys, "--db", db, "import", str(package))
    assert code == 2 and "is final and locked in this workspace" in err
    assert file_hash(Path(db)) == before


@pytest.mark.parametrize(("args", "message"), [
    (("note", "add", "{ref}", "--on", "dimension:ZZ", "x"), "has no dimension 'ZZ'"),
    (("note", "add", "{ref}", "--on", "finding:F-404", "x"), "no finding 'F-404'"),
    (("note", "answer", "{ref}", "beef", "x"), "no review note 'beef'"),
    (("signoff", "{ref}", "--role", "preparer", "--dimension", "DP", "--section", "risks"), "not allowed with"),
    (("signoff", "{ref}", "--role", "reviewer", "--section", "risks"), "signed off by the preparer"),
    (("reopen", "{ref}", "--reason", "x"), "is not final"),
])
def test_bad_input_is_one_plain_line(capsys, eng, args, message) -> None:
    db, ref = eng
    before = file_hash(Path(db))
    code, out, err = run(capsys, "--db", db, *(a.format(ref=ref) for a in args))
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err
    assert file_hash(Path(db)) == before


def test_one_identity_as_preparer_and_reviewer_is_refused(capsys, eng, installed_identities) -> None:
    """Default settings: the second sign-off by the same identity is refused, one plain line, nothing written."""
    db, ref = eng
    people = installed_identities
    assert run(capsys, "--db", db, "signoff", ref, "--role", "preparer", *as_(people, "preparer"))[0] == 0
    before = file_hash(Path(db))
    code, out, err = run(capsys, "--db", db, "signoff", ref, "--role", "reviewer", *as_(people, "preparer"))
    assert code == 2 and out == ""
    assert err == ("workbench: Ana Preparer signed off the engagement as preparer, so cannot sign off as reviewer: "
                   "preparer and reviewer must be different people (a one-person practice can allow this in the "
                   "settings)\n")
    assert file_hash(Path(db)) == before


def test_one_person_practice_setting_allows_it(capsys, eng, installed_identities) -> None:
    from workbench.services.preferences import update_preferences

    db, ref = eng
    people = installed_identities
    update_preferences(one_person_practice=True)
    assert run(capsys, "--db", db, "signoff", ref, "--role", "preparer", *as_(people, "preparer"))[0] == 0
    assert run(capsys, "--db", db, "signoff", ref, "--role", "reviewer", *as_(people, "preparer"))[0] == 0


@pytest.mark.parametrize(("args", "message"), [
    (("signoff", "{ref}", "--role", "preparer", "--identity", "ffff"), "there is no identity 'ffff'"),
    (("signoff", "{ref}", "--role", "preparer", "--name", "Ana"), "unrecognized arguments: --name Ana"),
    (("finalise", "{ref}", "--identity", "ffff"), "cannot be finalised yet"),
])
def test_signing_commands_refuse_bad_identities(capsys, eng, installed_identities, args, message) -> None:
    db, ref = eng
    before = file_hash(Path(db))
    code, _out, err = run(capsys, "--db", db, *(a.format(ref=ref) for a in args))
    assert code == 2 and message in err and "Traceback" not in err
    assert file_hash(Path(db)) == before


def test_a_wrong_passphrase_changes_nothing(capsys, eng, installed_identities, tmp_path) -> None:
    db, ref = eng
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n", encoding="utf-8")
    before = file_hash(Path(db))
    code, _out, err = run(capsys, "--db", db, "signoff", ref, "--role", "preparer", "--identity",
                          installed_identities["preparer"][0], "--passphrase-file", str(wrong))
    assert code == 2 and "the passphrase does not open the key of identity" in err
    assert file_hash(Path(db)) == before
