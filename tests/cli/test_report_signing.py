"""Signing only what is true: `report --sign` on engagements that are not final, roles not held, draft marks.

Every refusal exits 2 with one plain line, asks for no passphrase, writes no file and leaves the workspace
byte-identical.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import file_hash
from tests.helpers.engagements import cover_everything
from workbench.cli import main
from workbench.services import assessment, engagements, finalise, review
from workbench.store.workspace import Workspace

DIMENSIONS = ("DP", "MD", "MR", "DEP", "MON", "CICD", "EXP", "FS")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def as_(people: dict[str, tuple[str, str]], role: str) -> tuple[str, ...]:
    identity, secret = people[role]
    return ("--identity", identity, "--passphrase-file", secret)


@pytest.fixture
def engagement_db(tmp_path: Path, preparer: Any, reviewer: Any, installed_identities) -> tuple[Path, str]:
    """A quarter-answered engagement with every level set, signed off by preparer and reviewer, not final."""
    db = tmp_path / "sign.db"
    with Workspace(db) as ws:
        uid = engagements.create_engagement(ws, client="Acme Bank", title="Credit audit")
        for dimension in DIMENSIONS:
            assessment.set_assessment(ws, uid, dimension, level=3)
        for item in ("DP-01", "DP-02", "MD-01", "MON-01"):
            assessment.answer_item(ws, uid, item, "yes")
        review.sign_off(ws, uid, "preparer", signer=preparer)
        review.sign_off(ws, uid, "reviewer", signer=reviewer)
    return db, uid


def stamp_text(pdf: Path) -> str:
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    last = next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:"))
    return subprocess.run(["pdftotext", "-f", last, "-l", last, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.parametrize(("extra", "message"), [
    ((), "is not final, so its report cannot carry a signed audit opinion: finalise it first, or sign it "
         "explicitly as a draft (--draft-signature)"),
    (("--draft-signature", "--no-draft"), "a signed draft must carry the DRAFT mark on every page"),
    (("--draft-signature", "--role", "preparer"), "Rui Reviewer holds no preparer sign-off in engagement"),
    (("--draft-signature", "--role", "boss"), "role: 'boss' is not one of preparer, reviewer, engagement_lead"),
])
def test_refusals_write_nothing_and_ask_no_passphrase(capsys, tmp_path: Path, engagement_db, installed_identities,
                                                      extra, message) -> None:
    db, uid = engagement_db
    identity, _secret = installed_identities["reviewer"]
    never = tmp_path / "never-read"  # a passphrase file that does not exist: reading it would fail differently
    out = tmp_path / "report.pdf"
    before = file_hash(db)
    code, stdout, err = run(capsys, "--db", str(db), "report", uid, "-o", str(out), "--sign", "--identity", identity,
                            "--passphrase-file", str(never), *extra)
    assert code == 2 and stdout == "" and err.count("\n") == 1 and message in err, err
    assert not out.exists() and file_hash(db) == before


def test_an_identity_without_a_signoff_cannot_sign(capsys, tmp_path: Path, engagement_db, identity_pool) -> None:
    """Someone who signed off nothing in this engagement (the issue: a lead auditor named nowhere else)."""
    import shutil

    from workbench.signing import identities

    stranger = identity_pool["stranger"]
    shutil.copytree(stranger.folder, identities.identities_dir() / stranger.id)
    db, uid = engagement_db
    before = file_hash(db)
    code, _out, err = run(capsys, "--db", str(db), "report", uid, "-o", str(tmp_path / "r.pdf"), "--sign",
                          "--draft-signature", "--identity", stranger.id)
    assert code == 2 and "Sam Stranger" in err and "has given no sign-off in engagement" in err
    assert file_hash(db) == before


def test_a_signed_draft_says_so_in_its_signature(capsys, tmp_path: Path, engagement_db, installed_identities) -> None:
    db, uid = engagement_db
    out = tmp_path / "draft.pdf"
    code, stdout, _ = run(capsys, "--db", str(db), "report", uid, "-o", str(out), "--kind", "executive", "--sign",
                          "--draft-signature", *as_(installed_identities, "reviewer"), "--json")
    assert code == 0
    signature = json.loads(stdout)["signature"]
    assert (signature["signer"], signature["role"], signature["draft"]) == ("Rui Reviewer", "reviewer", True)
    assert signature["reason"].startswith("DRAFT — not an audit opinion; Reviewer sign-off")
    text = stamp_text(out)
    assert "DRAFT — not an audit opinion" in text and "Role: Reviewer" in text


def test_a_final_engagement_is_signed_as_the_opinion(capsys, tmp_path: Path, engagement_db, installed_identities,
                                                     preparer, reviewer) -> None:
    db, uid = engagement_db
    with Workspace(db) as ws:
        cover_everything(ws, uid, preparer)
        finalise.finalise(ws, uid, signer=reviewer)
    before = file_hash(db)
    for extra, message in ((("--draft-signature",), "is final: its report is signed as the audit opinion"),
                           (("--draft",), "this report is marked DRAFT, so its signature can only be a draft")):
        code, _out, err = run(capsys, "--db", str(db), "report", uid, "-o", str(tmp_path / "x.pdf"), "--sign",
                              *as_(installed_identities, "reviewer"), *extra)
        assert code == 2 and message in err and not (tmp_path / "x.pdf").exists()
    assert file_hash(db) == before
    out = tmp_path / "opinion.pdf"
    code, stdout, _ = run(capsys, "--db", str(db), "report", uid, "-o", str(out), "--kind", "executive", "--sign",
                          *as_(installed_identities, "preparer"))
    assert code == 0 and stdout.startswith(str(out)) and "signed by Ana Preparer as Preparer" in stdout
    text = stamp_text(out)
    assert "DRAFT" not in text and "Digitally signed by Ana Preparer" in text and "Role: Preparer" in text
