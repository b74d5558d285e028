"""Graded checklist items through the services: answers on their scale, target and priority, and the
framework version bump that leaves engagements on the snapshot they were started with."""

from __future__ import annotations

import pytest

from tests.helpers import PACKAGES_BEFORE_0005
from workbench.cli import main
from workbench.domain.errors import ValidationError
from workbench.services import assessment, records
from workbench.services.engagements import create_engagement
from workbench.services.packages import import_package
from workbench.services.trail import verify_engagement
from workbench.services.unit import reading, snapshot_of

OLD_PACKAGE = PACKAGES_BEFORE_0005 / "early-stage.mlaudit"


def _row(ws, engagement: str, item_id: str) -> dict:
    return next(r for r in records.list_records(ws, engagement, "checklist") if r["item_id"] == item_id)


def test_a_graded_item_takes_an_option_of_its_scale_a_target_and_a_priority(ws, engagement) -> None:
    assessment.plan_item(ws, engagement, "DP-14", target="Advanced", priority="High")  # planned before answered
    assert _row(ws, engagement, "DP-14") == {"item_id": "DP-14", "answer": "unanswered", "note": "",
                                             "target": "advanced", "priority": "high"}
    assessment.answer_item(ws, engagement, "DP-14", "basic", "Dated snapshots only")
    assert _row(ws, engagement, "DP-14")["answer"] == "basic"
    with pytest.raises(ValidationError, match="'yes' is not one of none, basic, advanced, na, unanswered"):
        assessment.answer_item(ws, engagement, "DP-14", "yes")
    with pytest.raises(ValidationError, match="only a graded item has a target state"):
        assessment.plan_item(ws, engagement, "DP-01", target="yes")
    with pytest.raises(ValidationError, match="priority: 'urgent' is not one of high, medium, low"):
        assessment.plan_item(ws, engagement, "DP-14", priority="urgent")
    assert _row(ws, engagement, "DP-14")["target"] == "advanced"
    assert verify_engagement(ws, engagement).ok


def test_the_cli_answers_a_graded_item_with_its_target_and_priority(ws_path, capsys) -> None:
    db = str(ws_path)
    assert main(["--db", db, "new", "--client", "Acme", "--title", "Graded", "--json"]) == 0
    import json

    uid = json.loads(capsys.readouterr().out)["uid"]
    assert main(["--db", db, "answer", uid, "CICD-15", "Scripted", "--target", "automated", "--priority",
                 "medium", "--note", "rollback script exists"]) == 0
    assert main(["--db", db, "answer", uid, "CICD-15", "maybe"]) == 2
    assert "'maybe' is not one of manual, scripted, automated, intelligent" in capsys.readouterr().err
    assert main(["--db", db, "show", uid, "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)["checklist"]
    assert row == {"item_id": "CICD-15", "answer": "scripted", "note": "rollback script exists",
                   "target": "automated", "priority": "medium"}


def test_new_engagements_get_the_new_version_and_older_ones_keep_their_snapshot(ws) -> None:
    old = import_package(ws, OLD_PACKAGE, untrusted=True)  # format 1: unsigned
    new = create_engagement(ws, client="Acme", title="After the bump")
    with reading(ws, old) as (session, engagement):
        old_framework = snapshot_of(session, engagement)
    with reading(ws, new) as (session, engagement):
        new_framework = snapshot_of(session, engagement)
    assert (old_framework.version, new_framework.version) == ("1.0.0", "1.1.0")
    assert old_framework.item_count == 71 and new_framework.item_count == 106
    for item_id in ("MON-10", "MR-10", "DEP-10"):  # user feedback, privacy (GDPR/CCPA), resource management
        new_framework.item(item_id)
        with pytest.raises(ValidationError, match=f"no checklist item '{item_id}'"):
            assessment.answer_item(ws, old, item_id, "yes")
    assert "GDPR" in new_framework.item("MR-10")[1].text and "CCPA" in new_framework.item("MR-10")[1].text
    assessment.answer_item(ws, new, "MON-10", "partial")
    assert verify_engagement(ws, old).ok and verify_engagement(ws, new).ok
