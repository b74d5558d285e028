"""The bundled sample engagements import cleanly and score as documented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.services.frameworks import get_framework

SAMPLES = Path(__file__).resolve().parents[1] / "sample_audits"
EXPECTED = {"driftguard": (65.0, "Conditional Go"), "credit-scoring": (70.0, "Conditional Go"),
            "early-stage": (36.0, "No-Go")}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_imports_and_scores(tmp_path, capsys, name) -> None:
    db = str(tmp_path / "samples.db")
    assert main(["--db", db, "import", str(SAMPLES / f"{name}.mlaudit")]) == 0
    uid = capsys.readouterr().out.split("(")[1].rstrip(")\n")
    assert main(["--db", db, "score", uid, "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert (card["overall"], card["verdict"]) == EXPECTED[name]
    assert not card["provisional"]
    assert main(["--db", db, "show", uid, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    framework = get_framework(shown["engagement"]["framework_id"])
    answered = {r["item_id"] for r in shown["checklist"] if r["answer"] != "unanswered"}
    assert answered == {item.id for d in framework.dimensions for item in d.items}
    assert len(shown["findings"]) >= 12 and len(shown["models"]) >= 6 and len(shown["risks"]) >= 8
    assert shown["costs"] and shown["roadmap"] and shown["evidence"]
    assert {m["kind"] for m in shown["matrices"]} == {"compliance", "platform", "tool", "monitoring"}
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
    main(["--db", db, "import", str(SAMPLES / "driftguard.mlaudit")])
    capsys.readouterr()
    package = tmp_path / "out.mlaudit"
    assert main(["--db", db, "export", "DGA-2026-01", "-o", str(package)]) == 0
    assert main(["--db", db, "import", str(package)]) == 2  # same uid: refused
    assert "import it as a copy" in capsys.readouterr().err
    assert main(["--db", db, "import", str(package), "--as-copy"]) == 0
    copy_uid = capsys.readouterr().out.split("(")[1].rstrip(")\n")
    main(["--db", db, "show", "DGA-2026-01", "--json"])
    original = json.loads(capsys.readouterr().out)
    main(["--db", db, "show", copy_uid, "--json"])
    copied = json.loads(capsys.readouterr().out)
    for doc in (original, copied):
        doc["engagement"].pop("uid")
        doc["engagement"].pop("ref")
    assert original == copied
