"""Issue #14 acceptance on the command line: an engagement with every level set and a quarter of its
checklist answered is scored as provisional with its coverage, cannot be finalised (the unanswered items
are listed) and its report cannot be signed; a not-applicable answer without a reason is refused.

Every refusal exits 2 with plain words and leaves the workspace byte-identical.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import file_hash
from tests.helpers.cli import run
from workbench.services.assessment import answer_item
from workbench.services.frameworks import get_framework
from workbench.store.workspace import Workspace


@pytest.fixture
def quarter(capsys: pytest.CaptureFixture[str], eng: tuple[str, str]) -> tuple[str, str, list[str]]:
    """Every dimension at level 3, the first quarter of each dimension's checklist answered; returns the
    unanswered item ids too."""
    db, ref = eng
    framework = get_framework("mlops-architecture")
    for dimension in framework.dimensions:
        assert run(capsys, "--db", db, "assess", ref, dimension.id, "--level", "3",
                   "--justification", "Seen in the walkthrough")[0] == 0
    open_items = []
    with Workspace(Path(db)) as ws:
        for dimension in framework.dimensions:
            share = (len(dimension.items) + 3) // 4
            for item in dimension.items[:share]:
                answer_item(ws, ref, item.id, "yes")
            open_items += [item.id for item in dimension.items[share:]]
    return db, ref, open_items


def test_score_says_provisional_with_the_coverage(capsys, quarter) -> None:
    db, ref, open_items = quarter
    code, out, _ = run(capsys, "--db", db, "score", ref, "--json")
    card = json.loads(out)
    answered, total = 106 - len(open_items), 106
    assert code == 0 and card["provisional"] is True and card["overall"] == 60
    assert card["provisional_reasons"] == [
        f"{answered} of {total} checklist items answered ({answered * 100 // total} %), below the 80 % the "
        "framework asks for"]
    coverage = card["coverage"]
    assert coverage["checklist"] == {"done": answered, "total": total, "ratio": round(answered / total, 4)}
    assert coverage["health_check"]["done"] == 0 and coverage["health_check"]["total"] == 5
    assert coverage["dimensions_assessed"] == {"done": 8, "total": 8, "ratio": 1.0}
    assert coverage["signoffs"]["done"] == 0 and coverage["signoffs"]["total"] == 2 + 8 + 8
    assert [(d["id"], d["done"]) for d in coverage["dimensions"]][:2] == [("DP", 4), ("MD", 3)]
    code, out, _ = run(capsys, "--db", db, "score", ref)
    assert "verdict: Conditional Go  (PROVISIONAL)" in out
    assert f"coverage: {answered} of {total} checklist items, 0 of 5 health-check questions;" in out


def test_finalise_exits_2_listing_the_unanswered_items_and_changes_nothing(capsys, quarter) -> None:
    db, ref, open_items = quarter
    before = file_hash(Path(db))
    code, out, err = run(capsys, "--db", db, "finalise", ref)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0] == f"workbench: engagement {ref} cannot be finalised yet:"
    assert lines[1] == ("  - DP Data Pipeline: 12 checklist items unanswered (DP-05, DP-06, DP-07, DP-08, DP-09, "
                        "DP-10, DP-11, DP-12, DP-13, DP-14, DP-15 and DP-16)")
    assert "  - EXP Experiment Tracking: 6 checklist items unanswered (EXP-04, EXP-05, EXP-06, EXP-07, EXP-08 "\
           "and EXP-09)" in lines
    for dimension in get_framework("mlops-architecture").dimensions:  # every dimension has items left open
        assert any(line.startswith(f"  - {dimension.id} {dimension.name}: ") for line in lines), dimension.id
    assert open_items[0] == "DP-05" and f"({open_items[0]}," in lines[1]
    assert "  - health check: 5 questions unanswered (HC-1, HC-2, HC-3, HC-4 and HC-5)" in lines
    assert file_hash(Path(db)) == before


def test_report_sign_exits_2_and_writes_nothing(capsys, quarter, tmp_path: Path, installed_identities) -> None:
    db, ref, _open = quarter
    identity, secret = installed_identities["reviewer"]
    before = file_hash(Path(db))
    out = tmp_path / "report.pdf"
    code, stdout, err = run(capsys, "--db", db, "report", ref, "-o", str(out), "--sign", "--identity", identity,
                            "--passphrase-file", secret)
    assert code == 2 and stdout == "" and "is not final" in err and err.count("\n") == 1
    assert not out.exists() and file_hash(Path(db)) == before


def test_not_applicable_without_a_reason_exits_2_and_changes_nothing(capsys, eng) -> None:
    db, ref = eng
    before = file_hash(Path(db))
    code, out, err = run(capsys, "--db", db, "answer", ref, "DP-01", "na")
    assert code == 2 and out == ""
    assert err == "workbench: note: a not-applicable answer needs a reason; say in the note why the item does not " \
                  "apply\n"
    assert file_hash(Path(db)) == before
    assert run(capsys, "--db", db, "answer", ref, "DP-01", "na", "--note", "No streaming data in scope")[0] == 0
