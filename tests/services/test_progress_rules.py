"""Each rule of services/progress.py on an engagement document built in memory: every step's completeness,
every warning and every blocker at its edges (a fast suite, written so that changing a comparison, a boolean
or an operator of the module fails it: see .ci/mutation/progress.toml)."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from workbench.domain.coverage import Share
from workbench.domain.framework import Framework
from workbench.domain.matrices import READINESS_KINDS, SUPPORTING_KINDS
from workbench.services.document import engagement_document
from workbench.services.engagements import create_engagement
from workbench.services.progress import (
    Blocker,
    Gates,
    Progress,
    StepStatus,
    compute_progress,
    engagement_coverage,
    listed,
)
from workbench.services.review import signoff_needs
from workbench.services.unit import reading, snapshot_of
from workbench.store.workspace import Workspace


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Framework, dict[str, Any]]]:
    """The framework and document of a new engagement (read once; each test edits its own copy)."""
    path: Path = tmp_path_factory.mktemp("progress") / "workspace.db"
    with Workspace(path) as ws:
        uid = create_engagement(ws, client="Acme Analytics", title="Platform audit")
        with reading(ws, uid) as (session, engagement):
            yield snapshot_of(session, engagement), engagement_document(session, engagement)


@pytest.fixture
def framework(blank: tuple[Framework, dict[str, Any]]) -> Framework:
    return blank[0]


@pytest.fixture
def document(blank: tuple[Framework, dict[str, Any]]) -> dict[str, Any]:
    return copy.deepcopy(blank[1])


def finding(ref: str, severity: str = "Medium", *, status: str = "open", recommendation: str = "Fix it",
            owner: str = "CTO", due_date: str | None = "2027-01-31", **more: Any) -> dict[str, Any]:
    return {"uid": f"uid-{ref}", "ref": ref, "title": f"Finding {ref}", "severity": severity, "status": status,
            "recommendation": recommendation, "owner": owner, "due_date": due_date, "accepted_by": "",
            "accepted_reason": "", **more}


def risk(likelihood: int = 2, impact: int = 2, *, mitigation: str = "", status: str = "open") -> dict[str, Any]:
    return {"likelihood": likelihood, "impact": impact, "mitigation": mitigation, "status": status}


def answer_everything(framework: Framework, document: dict[str, Any], answer: str = "yes") -> None:
    document["checklist"] = [{"item_id": item.id, "answer": answer, "note": "n/a here" if answer == "na" else ""}
                             for dimension in framework.dimensions for item in dimension.items]
    document["health_check"] = [{"question_id": q.id, "answer": "yes"} for q in framework.health_check]
    document["assessments"] = [{"dimension_id": d.id, "current_level": 3, "target_level": 4, "justification": "seen"}
                               for d in framework.dimensions]


def sign_everything(framework: Framework, document: dict[str, Any], *, leave_out: tuple[str, ...] = ()) -> None:
    document["signoffs"] = [{"role": need.role, "scope": need.scope, "name": "A. Auditor"}
                            for need in signoff_needs(framework, document)
                            if f"{need.role}:{need.scope}" not in leave_out]


def as_read(document: dict[str, Any]) -> dict[str, Any]:
    """The document as the workspace or a package hands it over: every text its own object, never the
    literal the test wrote (so a rule comparing texts by identity instead of value fails here too)."""
    read: dict[str, Any] = json.loads(json.dumps(document))
    return read


def progress(framework: Framework, document: dict[str, Any], gates: Gates | None = None) -> Progress:
    return compute_progress(framework, as_read(document), gates)


def finalising_at(framework: Framework, share: float) -> Framework:
    """The framework with its `coverage.finalise_at` set to `share` of the checklist."""
    return dataclasses.replace(framework, coverage=dataclasses.replace(framework.coverage, finalise_at=share))


# -- steps ---------------------------------------------------------------------------------------------------


def test_a_new_engagement_completes_no_step(framework: Framework, document: dict[str, Any]) -> None:
    steps = progress(framework, document).steps
    assert [s.key for s in steps] == ["overview", "health", "assessment", "findings", "models", "risks", "costs",
                                      "roadmap", "matrices", "evidence", "review", "deliverables"]
    assert [s.key for s in steps if s.complete] == []


def test_risks_are_complete_only_when_some_exist_and_each_open_one_has_a_mitigation(
        framework: Framework, document: dict[str, Any]) -> None:
    assert not progress(framework, document).step("risks").complete  # none recorded yet
    document["risks"] = [risk(mitigation="Failover drill"), risk(status="accepted"), risk(status="closed")]
    step = progress(framework, document).step("risks")
    assert step.complete and step.warnings == ()
    document["risks"] += [risk(status="mitigating"), risk(mitigation="   ")]
    step = progress(framework, document).step("risks")
    assert not step.complete and step.warnings == ("2 risks without mitigation",)


def test_risks_in_the_top_zone_are_counted_unless_closed(framework: Framework, document: dict[str, Any]) -> None:
    document["risks"] = [risk(5, 5, mitigation="m"), risk(5, 5, mitigation="m", status="closed"),
                         risk(1, 1, mitigation="m")]
    summary = progress(framework, document).step("risks").summary
    assert summary.startswith("3 risks · 1 in the ") and summary.endswith(" zone")
    document["risks"] = [risk(1, 1, mitigation="m")]
    assert progress(framework, document).step("risks").summary == "1 risk"


def test_every_top_zone_risk_but_a_closed_one_is_counted(framework: Framework, document: dict[str, Any]) -> None:
    document["risks"] = [risk(5, 5, mitigation="m", status=status)
                         for status in ("open", "mitigating", "accepted", "closed")] + [risk(3, 4, mitigation="m")]
    assert progress(framework, document).step("risks").summary == "5 risks · 3 in the Critical zone"
    document["risks"] = [risk(5, 5, mitigation="m", status="closed"), risk(3, 5, mitigation="m", status="closed")]
    assert progress(framework, document).step("risks").summary == "2 risks"


def test_the_matrices_step_counts_the_readiness_sections_and_matrices_recorded(
        framework: Framework, document: dict[str, Any]) -> None:
    readiness, matrices = len(READINESS_KINDS), len(SUPPORTING_KINDS)
    document["matrices"] = [{"kind": READINESS_KINDS[0]}, {"kind": READINESS_KINDS[0]},
                            {"kind": SUPPORTING_KINDS[0]}, {"kind": SUPPORTING_KINDS[1]}]
    step = progress(framework, document).step("matrices")
    assert step.summary == f"readiness 1 of {readiness} · matrices 2 of {matrices}" and not step.complete
    document["matrices"] = [{"kind": kind} for kind in SUPPORTING_KINDS]
    step = progress(framework, document).step("matrices")
    assert step.summary == f"readiness 0 of {readiness} · matrices {matrices} of {matrices}" and step.complete


def test_models_are_complete_once_one_is_listed_and_unmonitored_production_models_warn(
        framework: Framework, document: dict[str, Any]) -> None:
    document["models"] = [{"status": "production", "monitored": True}, {"status": "staging", "monitored": False}]
    step = progress(framework, document).step("models")
    assert step.complete and step.warnings == () and step.summary == "2 models"
    document["models"].append({"status": "production", "monitored": False})
    assert progress(framework, document).step("models").warnings == ("1 production model not monitored",)


def test_only_production_models_need_monitoring(framework: Framework, document: dict[str, Any]) -> None:
    document["models"] = [{"status": status, "monitored": False} for status in ("development", "staging", "retired")]
    step = progress(framework, document).step("models")
    assert step.complete and step.warnings == () and step.summary == "3 models"


def test_findings_are_complete_when_every_severe_one_has_a_recommendation_owner_and_plan(
        framework: Framework, document: dict[str, Any]) -> None:
    assert not progress(framework, document).step("findings").complete
    document["findings"] = [finding("F-001", "Critical"), finding("F-002", "High"), finding("F-003", "Low",
                                                                                           recommendation="")]
    step = progress(framework, document).step("findings")
    assert step.complete and step.warnings == () and step.summary == "3 findings · 1 Critical open"
    document["findings"] = [finding("F-001", "Critical", recommendation=" ", owner="", due_date=None),
                            finding("F-002", "High", recommendation="")]
    step = progress(framework, document).step("findings")
    assert not step.complete
    assert step.warnings == ("1 Critical finding lacks a recommendation", "1 High finding lacks a recommendation",
                             "1 Critical or High finding without an owner",
                             "1 open Critical finding without a due date or fix")


def test_a_closed_critical_finding_is_not_counted_open(framework: Framework, document: dict[str, Any]) -> None:
    document["findings"] = [finding("F-001", "Critical", status="resolved", due_date=None)]
    step = progress(framework, document).step("findings")
    assert step.summary == "1 finding" and step.complete


def test_a_risk_acceptance_needs_who_and_why(framework: Framework, document: dict[str, Any]) -> None:
    document["findings"] = [finding("F-001", "Low", status="risk_accepted", accepted_by="CTO", accepted_reason="")]
    step = progress(framework, document).step("findings")
    assert step.warnings == ("1 accepted risk without who accepted it and why",) and not step.complete
    document["findings"][0]["accepted_reason"] = "Budget next year"
    assert progress(framework, document).step("findings").complete


def test_the_roadmap_is_complete_when_every_open_severe_finding_is_on_it(
        framework: Framework, document: dict[str, Any]) -> None:
    document["findings"] = [finding("F-001", "Critical"), finding("F-002", "High"), finding("F-003", "Medium"),
                            finding("F-004", "High", status="resolved")]
    document["roadmap"] = [{"finding_refs": ["F-001"]}]
    step = progress(framework, document).step("roadmap")
    assert not step.complete and step.warnings == ("1 open Critical/High finding not on the roadmap",)
    document["roadmap"].append({"finding_refs": ["F-002"]})
    step = progress(framework, document).step("roadmap")
    assert step.complete and step.summary == "2 activities"
    document["findings"], document["roadmap"] = [], []
    assert not progress(framework, document).step("roadmap").complete


def test_costs_and_evidence_are_complete_once_they_hold_a_row(framework: Framework, document: dict[str, Any]) -> None:
    document["costs"], document["evidence"] = [{}], [{}, {}]
    current = progress(framework, document)
    assert current.step("costs").complete and current.step("costs").summary == "1 cost item"
    assert current.step("evidence").complete and current.step("evidence").summary == "2 files"


def test_the_assessment_is_complete_with_every_item_answered_and_every_level_set(
        framework: Framework, document: dict[str, Any]) -> None:
    answer_everything(framework, document)
    assert progress(framework, document).step("assessment").complete
    document["assessments"] = document["assessments"][1:]
    step = progress(framework, document).step("assessment")
    assert not step.complete and step.warnings == ("1 dimension not assessed",)
    answer_everything(framework, document)
    document["checklist"] = document["checklist"][1:]
    step = progress(framework, document).step("assessment")
    total = sum(len(d.items) for d in framework.dimensions)
    assert not step.complete and step.warnings == (f"1 of {total} checklist items unanswered",)


def test_the_health_check_is_complete_when_every_question_is_answered(
        framework: Framework, document: dict[str, Any]) -> None:
    answer_everything(framework, document)
    assert progress(framework, document).step("health").complete
    document["health_check"] = document["health_check"][1:]
    step = progress(framework, document).step("health")
    assert not step.complete and step.warnings == ("1 question unanswered",)


def test_review_is_complete_only_with_every_sign_off_and_no_note_waiting(
        framework: Framework, document: dict[str, Any]) -> None:
    sign_everything(framework, document)
    step = progress(framework, document).step("review")
    needed = len(signoff_needs(framework, document))
    assert step.complete and step.warnings == () and step.summary == f"0 notes waiting · sign-offs {needed} of {needed}"
    document["review_notes"] = [{"uid": "n1", "status": "answered"}]
    assert not progress(framework, document).step("review").complete
    document["review_notes"] = [{"uid": "n1", "status": "closed"}]
    assert progress(framework, document).step("review").complete
    sign_everything(framework, document, leave_out=("reviewer:",))
    step = progress(framework, document).step("review")
    assert not step.complete and step.warnings == ("overall reviewer sign-off missing",)
    assert step.summary == f"0 notes waiting · sign-offs {needed - 1} of {needed}"
    sign_everything(framework, document, leave_out=tuple(f"preparer:{n.scope}" for n in signoff_needs(
        framework, document) if n.scope)[:2])
    step = progress(framework, document).step("review")
    assert not step.complete and step.warnings == ("2 dimension or section sign-offs missing",)


def test_without_section_sign_offs_the_firm_setting_leaves_them_out(
        framework: Framework, document: dict[str, Any]) -> None:
    sign_everything(framework, document, leave_out=tuple(f"preparer:{n.scope}" for n in signoff_needs(
        framework, document) if n.scope.startswith("section:")))
    assert not progress(framework, document).step("review").complete
    assert progress(framework, document, Gates(section_signoffs=False)).step("review").complete


def test_the_sign_off_coverage_counts_the_sign_offs_the_gates_ask_for(
        framework: Framework, document: dict[str, Any]) -> None:
    needs = signoff_needs(framework, document)
    sections = sum(1 for n in needs if n.scope.startswith("section:"))
    assert sections and len(needs) > sections + 2
    sign_everything(framework, document, leave_out=("reviewer:",))
    assert engagement_coverage(framework, as_read(document)).signoffs == Share(len(needs) - 1, len(needs))
    assert progress(framework, document).coverage == engagement_coverage(framework, as_read(document))
    relaxed = Gates(section_signoffs=False)
    expected = Share(len(needs) - sections - 1, len(needs) - sections)
    assert engagement_coverage(framework, as_read(document), relaxed).signoffs == expected
    coverage = progress(framework, document, relaxed).coverage
    assert coverage is not None and coverage.signoffs == expected


def test_the_overview_names_the_status_and_the_checklist_coverage(
        framework: Framework, document: dict[str, Any]) -> None:
    answer_everything(framework, document)
    assert progress(framework, document).step("overview").summary.endswith("· checklist 100 % covered")
    assert progress(framework, document).step("deliverables").summary == "Draft until the engagement is final"
    document["engagement"]["locked_at"] = "2026-12-03T10:00:00Z"
    assert progress(framework, document).step("deliverables").summary == "Final: ready to sign"


# -- blockers ------------------------------------------------------------------------------------------------


def test_a_complete_engagement_has_no_blocker(framework: Framework, document: dict[str, Any]) -> None:
    answer_everything(framework, document)
    sign_everything(framework, document)
    document["findings"] = [finding("F-001", "Critical")]
    assert progress(framework, document).blockers == ()


def test_unanswered_items_block_per_dimension_and_lead_to_the_first(
        framework: Framework, document: dict[str, Any]) -> None:
    answer_everything(framework, document)
    sign_everything(framework, document)
    first = framework.dimensions[0]
    open_ids = [item.id for item in first.items[:2]]
    document["checklist"] = [row for row in document["checklist"] if row["item_id"] not in open_ids]
    (blocker,) = progress(framework, document).blockers
    assert blocker == Blocker(f"{first.id} {first.name}: 2 checklist items unanswered ({listed(open_ids)})",
                              "assessment", first.id, open_ids[0])
    assert blocker.target == ("checklist_item", open_ids[0])


def test_unanswered_health_questions_and_unset_levels_block(framework: Framework, document: dict[str, Any]) -> None:
    answer_everything(framework, document)
    sign_everything(framework, document)
    question = framework.health_check[0].id
    document["health_check"] = document["health_check"][1:]
    dimension = framework.dimensions[-1]
    document["assessments"] = [a for a in document["assessments"] if a["dimension_id"] != dimension.id]
    blockers = progress(framework, document).blockers
    assert blockers == (Blocker(f"health check: 1 question unanswered ({question})", "health", item=question),
                        Blocker(f"{dimension.id} {dimension.name}: no maturity level set", "assessment",
                                dimension.id))
    assert blockers[0].target == ("health_check", question) and blockers[1].target == ("dimension", dimension.id)


def test_unanswered_health_questions_lead_to_the_first(framework: Framework, document: dict[str, Any]) -> None:
    answer_everything(framework, document)
    sign_everything(framework, document)
    questions = [q.id for q in framework.health_check]
    assert len(questions) > 2
    document["health_check"] = document["health_check"][:-2]
    (blocker,) = progress(framework, document).blockers
    assert blocker.item == questions[-2] and blocker.target == ("health_check", questions[-2])
    assert blocker.text == f"health check: 2 questions unanswered ({questions[-2]} and {questions[-1]})"


def test_a_framework_may_finalise_with_part_of_the_checklist_unanswered(
        framework: Framework, document: dict[str, Any]) -> None:
    answer_everything(framework, document)
    sign_everything(framework, document)
    total = sum(len(d.items) for d in framework.dimensions)
    relaxed = finalising_at(framework, (total - 2) / total)
    last = framework.dimensions[-1]
    for unanswered in (1, 2):  # above the rule, then exactly at it: nothing blocks
        document["checklist"] = [row for row in document["checklist"] if row["item_id"] not in
                                 {item.id for item in last.items[-unanswered:]}]
        assert progress(relaxed, document).blockers == ()
    document["checklist"] = [row for row in document["checklist"] if row["item_id"] != last.items[-3].id]
    (blocker,) = progress(relaxed, document).blockers  # below it: the open items block
    assert blocker.text.startswith(f"{last.id} {last.name}: 3 checklist items unanswered")
    assert blocker.target == ("checklist_item", last.items[-3].id)


def test_severe_findings_without_recommendation_or_owner_and_unexplained_acceptances_block(
        framework: Framework, document: dict[str, Any]) -> None:
    answer_everything(framework, document)
    sign_everything(framework, document)
    document["findings"] = [finding("F-001", "High", recommendation=""), finding("F-002", "Critical", owner=" "),
                            finding("F-003", "Low", recommendation="", owner=""),
                            finding("F-004", "Low", status="risk_accepted", accepted_by="", accepted_reason="why")]
    assert progress(framework, document).blockers == (
        Blocker("1 Critical or High finding without a recommendation: F-001", "findings", record="uid-F-001"),
        Blocker("1 Critical or High finding without an owner: F-002", "findings", record="uid-F-002"),
        Blocker("1 finding marked Risk accepted without who accepted it and why: F-004", "findings",
                record="uid-F-004"))


def test_a_findings_blocker_names_each_finding_and_leads_to_the_first(
        framework: Framework, document: dict[str, Any]) -> None:
    answer_everything(framework, document)
    sign_everything(framework, document)
    document["findings"] = [finding("F-001", "Low"), finding("F-002", "High", owner=""),
                            finding("", "Critical", owner="", title="Untracked model")]
    (blocker,) = progress(framework, document).blockers
    assert blocker == Blocker("2 Critical or High findings without an owner: F-002 and Untracked model",
                              "findings", record="uid-F-002")
    assert blocker.target == ("finding", "uid-F-002")


def test_waiting_notes_block_and_lead_to_the_first(framework: Framework, document: dict[str, Any]) -> None:
    answer_everything(framework, document)
    sign_everything(framework, document)
    document["review_notes"] = [{"uid": "a", "status": "open"}, {"uid": "b", "status": "answered"},
                                {"uid": "c", "status": "open"}, {"uid": "d", "status": "closed"}]
    assert progress(framework, document).blockers == (
        Blocker("2 review notes open", "review", record="a"),
        Blocker("1 answered review note not closed by the reviewer", "review", record="b"))
    assert [b.target for b in progress(framework, document).blockers] == [("review_note", "a"), ("review_note", "b")]


def test_missing_sign_offs_block_overall_then_per_dimension_then_per_section(
        framework: Framework, document: dict[str, Any]) -> None:
    answer_everything(framework, document)
    dimensions = [d.id for d in framework.dimensions[:2]]
    needs = signoff_needs(framework, document)
    sections = [n for n in needs if n.scope.startswith("section:")][:1]
    sign_everything(framework, document, leave_out=("reviewer:", *(f"preparer:dimension:{d}" for d in dimensions),
                                                    *(f"preparer:{n.scope}" for n in sections)))
    blockers = progress(framework, document).blockers
    assert blockers == (
        Blocker("no reviewer sign-off yet", "review"),
        Blocker(f"preparer sign-off missing for 2 dimensions: {listed(dimensions)}", "review", dimensions[0],
                scope=f"dimension:{dimensions[0]}"),
        Blocker(f"preparer sign-off missing for 1 section: {sections[0].label.removeprefix('Section ')}", "review",
                scope=sections[0].scope))
    assert [b.target for b in blockers] == [("signoff", ""), ("signoff", f"dimension:{dimensions[0]}"),
                                            ("signoff", sections[0].scope)]


def test_listed_names_up_to_its_limit_then_counts() -> None:
    assert listed([]) == "" and listed(["A"]) == "A" and listed(["A", "B"]) == "A and B"
    assert listed(["A", "B", "C"]) == "A, B and C"
    many = [f"X-{n}" for n in range(40)]
    assert listed(many[:12]) == ", ".join(many[:11]) + " and X-11"  # up to twelve, all named
    assert listed(many[:13]) == ", ".join(many[:12]) + " and 1 more"
    assert listed(many) == ", ".join(many[:12]) + " and 28 more"


def test_what_progress_reports_cannot_be_altered_afterwards(framework: Framework, document: dict[str, Any]) -> None:
    current = progress(framework, document)
    blocker, step = current.blockers[0], current.step("review")
    changes: list[tuple[object, str, object]] = [(current, "blockers", ()), (blocker, "text", ""),
                                                  (step, "complete", True), (Gates(), "section_signoffs", False)]
    for record, name, value in changes:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, name, value)
    assert isinstance(step, StepStatus) and not step.complete and current.blockers[0] == blocker
