"""The bundled sample engagements import cleanly and score as documented (DriftGuardAI: 66, seed 003)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.domain.matrices import DOCUMENT_KINDS, READINESS_KINDS
from workbench.services.frameworks import get_framework

SAMPLES = Path(__file__).resolve().parents[1] / "sample_audits"
EXPECTED = {"driftguard": (66.0, "Conditional Go"), "credit-scoring": (70.0, "Conditional Go"),
            "early-stage": (36.0, "No-Go")}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_imports_and_scores(tmp_path, capsys, name) -> None:
    db = str(tmp_path / "samples.db")
    assert main(["--db", db, "import", str(SAMPLES / f"{name}.mlaudit"), "--untrusted"]) == 0
    uid = capsys.readouterr().out.split("(")[1].rstrip(")\n")
    assert main(["--db", db, "score", uid, "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert (card["overall"], card["verdict"]) == EXPECTED[name]
    assert not card["provisional"] and card["provisional_reasons"] == []
    assert main(["--db", db, "show", uid, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    framework = get_framework(shown["engagement"]["framework_id"])
    answered = {r["item_id"] for r in shown["checklist"] if r["answer"] != "unanswered"}
    assert answered == {item.id for d in framework.dimensions for item in d.items}
    assert len(shown["findings"]) >= 12 and len(shown["models"]) >= 6 and len(shown["risks"]) >= 8
    assert shown["costs"] and shown["roadmap"] and shown["evidence"]
    kinds = {m["kind"] for m in shown["matrices"]}
    assert kinds >= {"compliance", "platform", "tool", "monitoring"}
    if name == "driftguard":  # filled from seed 003: every go-live readiness part and the document control
        assert kinds >= set(READINESS_KINDS) | set(DOCUMENT_KINDS)
        assert all(f["affected_assets"] for f in shown["findings"])
    assert main(["--db", db, "log", uid, "--verify"]) == 0


def test_demo_imports_samples_once(tmp_path, capsys) -> None:
    db = str(tmp_path / "demo.db")
    assert main(["--db", db, "demo", "--no-gui"]) == 0
    assert "DriftGuardAI" in capsys.readouterr().out
    assert main(["--db", db, "demo", "--no-gui"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_export_import_copy_show_identical_apart_from_uid_and_ref(tmp_path, capsys) -> None:
    db = str(tmp_path / "copy.db")
    main(["--db", db, "import", str(SAMPLES / "driftguard.mlaudit"), "--untrusted"])
    capsys.readouterr()
    package = tmp_path / "out.mlaudit"
    assert main(["--db", db, "export", "DGA-2026-01", "-o", str(package), "--unsigned"]) == 0
    assert main(["--db", db, "import", str(package), "--untrusted"]) == 2  # same uid: refused
    assert "import it as a copy" in capsys.readouterr().err
    assert main(["--db", db, "import", str(package), "--as-copy", "--untrusted"]) == 0
    copy_uid = capsys.readouterr().out.split("(")[1].rstrip(")\n")
    main(["--db", db, "show", "DGA-2026-01", "--json"])
    original = json.loads(capsys.readouterr().out)
    main(["--db", db, "show", copy_uid, "--json"])
    copied = json.loads(capsys.readouterr().out)
    for doc in (original, copied):
        doc["engagement"].pop("uid")
        doc["engagement"].pop("ref")
    assert original == copied


def _driftguard() -> dict:
    return json.loads((SAMPLES / "content" / "driftguard.json").read_text(encoding="utf-8"))


def test_driftguard_monitors_the_metrics_its_summary_names() -> None:
    """Seed 003's key metrics (performance, reliability, security) are all rows of the monitoring matrix."""
    metrics = {m["data"]["metric"] for m in _driftguard()["matrices"] if m["kind"] == "monitoring"}
    for named in ("Dashboard latency (p95)", "Model list latency (p95)", "Deployment call latency (p99)",
                  "Simulation call latency (p99)", "API uptime", "API error rate", "Database connection errors",
                  "Governance evaluation failures", "Unauthorised requests blocked", "Rate-limit violations",
                  "SQL injection attempts", "Invalid JWT tokens"):
        assert named in metrics


def test_driftguard_training_data_versioning_tells_one_story() -> None:
    """DP-05 (training data versioned) is not a Yes while health-check questions 1 and 5 are No and MR-03 says
    the data behind a model version cannot be traced."""
    sample = _driftguard()
    answers = {c["item_id"]: c["answer"] for c in sample["checklist"]}
    health = {h["question_id"]: h["answer"] for h in sample["health_check"]}
    assert (health["HC-1"], health["HC-5"]) == ("no", "no")
    assert answers["MR-03"] in ("no", "partial") and answers["DP-05"] in ("no", "partial")


def test_samples_are_signed_by_sample_identities_and_come_in_as_untrusted(tmp_path, capsys) -> None:
    """The samples' signatures and attestations hold; nobody trusts their throw-away identities, so importing
    one needs --untrusted, and its trail says it came in that way."""
    db = str(tmp_path / "samples.db")
    package = SAMPLES / "driftguard.mlaudit"
    assert main(["--db", db, "import", str(package)]) == 2
    err = capsys.readouterr().err
    assert "is signed by Amara Osei" in err and "Workbench sample (demonstration)" in err and "--untrusted" in err
    assert main(["--db", db, "import", str(package), "--untrusted"]) == 0
    assert "imported as untrusted" in capsys.readouterr().err
    assert main(["--db", db, "log", "DGA-2026-01", "--verify", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["attestations"] and report["notices"]
    assert all(not a["problem"] and not a["trusted"] for a in report["attestations"])
    assert {a["purpose"] for a in report["attestations"]} == {"sign_off", "export"}
    assert "is signed by Amara Osei" in report["notices"][0]["reason"]
