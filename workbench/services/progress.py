"""How complete each step of an engagement is, and what still blocks finalisation.

The step list and the overview show these texts; computing them here keeps them identical in
the GUI, the CLI and the reports, and testable without Qt. This module is the one place the
finalisation gates are written: every blocker is a `Blocker` with a plain-words text and the place
that fixes it (a step key and, where there is one, a dimension, an item or a record uid), so the
GUI can take the auditor there and the CLI can list them.

Gates: checklist coverage below the framework's `coverage.finalise_at`, unanswered health-check
questions, dimensions without a level, Critical or High findings without a recommendation or an
owner, findings marked Risk accepted without who accepted the risk and why, review notes still
waiting, and missing sign-offs (the overall preparer and reviewer pair, each dimension and each
section). A firm may relax the per-section sign-offs (`Gates.section_signoffs`); never the pair nor
the coverage.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from workbench.domain.coverage import Coverage, Share, coverage_of_document, is_answered
from workbench.domain.enums import FindingStatus, Severity
from workbench.domain.framework import Framework
from workbench.domain.matrices import READINESS_KINDS, SUPPORTING_KINDS
from workbench.domain.risk_zones import TOP_ZONE, risk_zone
from workbench.domain.scoring import is_unplanned_critical
from workbench.domain.wording import plural, share_percent, verb
from workbench.services.review_reading import SignoffNeed, signoff_needs, unresolved_notes

LISTED = 12  # ids named in one blocker before "… and N more"
SEVERE = (Severity.CRITICAL.value, Severity.HIGH.value)
MATRIX_KINDS = SUPPORTING_KINDS


@dataclass(frozen=True)
class StepStatus:
    key: str
    title: str
    summary: str
    warnings: tuple[str, ...] = ()
    complete: bool = False


@dataclass(frozen=True)
class Blocker:
    """One thing that stands in the way of finalising, and where it is fixed."""

    text: str
    step: str  # the step (page) key that fixes it
    dimension: str = ""  # a dimension id on that step
    item: str = ""  # a checklist item or health-check question id
    record: str = ""  # a record uid (finding, review note)
    scope: str = ""  # a missing sign-off's scope: '' the engagement, 'dimension:DP', 'section:risks'

    def __str__(self) -> str:
        return self.text

    @property
    def target(self) -> tuple[str, str]:
        """(kind, key) of what to show, as review notes name their targets: ('checklist_item', 'DP-03')."""
        return _TARGETS.get(self.step, _review_target)(self)

    def as_dict(self) -> dict[str, str]:
        return {"text": self.text, "step": self.step, "dimension": self.dimension, "item": self.item,
                "record": self.record, "scope": self.scope}


def _assessment_target(blocker: Blocker) -> tuple[str, str]:
    return ("checklist_item", blocker.item) if blocker.item else ("dimension", blocker.dimension)


def _review_target(blocker: Blocker) -> tuple[str, str]:
    return ("review_note", blocker.record) if blocker.record else ("signoff", blocker.scope)


#: what a blocker leads to, by the step that fixes it (every other step: a review note or a sign-off)
_TARGETS: dict[str, Callable[[Blocker], tuple[str, str]]] = {
    "assessment": _assessment_target,
    "health": lambda blocker: ("health_check", blocker.item),
    "findings": lambda blocker: ("finding", blocker.record),
}


@dataclass(frozen=True)
class Gates:
    """What a firm may set about finalising (services.preferences): only per-section sign-offs."""

    section_signoffs: bool = True


@dataclass(frozen=True)
class Progress:
    steps: tuple[StepStatus, ...]
    blockers: tuple[Blocker, ...] = field(default_factory=tuple)
    coverage: Coverage | None = None

    def step(self, key: str) -> StepStatus:
        return {step.key: step for step in self.steps}[key]

    @property
    def blocker_texts(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blockers)


def firm_gates() -> Gates:
    """The firm's gate settings from the shared preferences (the defaults when none were saved)."""
    from workbench.services.preferences import load_preferences

    return Gates(section_signoffs=load_preferences().require_section_signoffs)


def _wanted_signoffs(framework: Framework, document: dict[str, Any], gates: Gates) -> list[SignoffNeed]:
    needs = signoff_needs(framework, document)
    return [n for n in needs if gates.section_signoffs or not n.scope.startswith("section:")]


def engagement_coverage(framework: Framework, document: dict[str, Any], gates: Gates | None = None) -> Coverage:
    """Coverage of an engagement document, with the sign-offs given of those the gates ask for."""
    wanted = _wanted_signoffs(framework, document, gates or Gates())
    return coverage_of_document(framework, document, Share(sum(1 for n in wanted if n.given), len(wanted)))


def compute_progress(framework: Framework, document: dict[str, Any], gates: Gates | None = None) -> Progress:
    """Completeness of every step and the finalisation blockers, from an engagement document."""
    gates = gates or Gates()
    wanted = _wanted_signoffs(framework, document, gates)
    coverage = engagement_coverage(framework, document, gates)
    open_findings = [f for f in document["findings"] if _is_open(f)]
    steps = (
        StepStatus("overview", "Overview", _overview_summary(document, coverage)),
        _health_step(framework, coverage),
        _assessment_step(framework, coverage),
        _findings_step(document["findings"], open_findings),
        _models_step(document["models"]),
        _risks_step(document["risks"]),
        StepStatus("costs", "Costs", plural(len(document["costs"]), "cost item"), complete=bool(document["costs"])),
        _roadmap_step(document["roadmap"], open_findings),
        _matrices_step(document["matrices"]),
        StepStatus("evidence", "Evidence", plural(len(document["evidence"]), "file"),
                   complete=bool(document["evidence"])),
        _review_step(document, wanted),
        StepStatus("deliverables", "Deliverables", "Final: ready to sign" if document["engagement"].get("locked_at")
                   else "Draft until the engagement is final"),
    )
    blockers = (_coverage_blockers(framework, document, coverage) + _finding_blockers(document["findings"])
                + _note_blockers(document) + _signoff_blockers(wanted))
    return Progress(steps, tuple(blockers), coverage)


# -- steps ---------------------------------------------------------------------------------------


def _is_open(finding: dict[str, Any]) -> bool:
    return FindingStatus.parse(finding["status"]).is_open


def _overview_summary(document: dict[str, Any], coverage: Coverage) -> str:
    status = str(document["engagement"]["status"]).capitalize()
    return f"{status} · checklist {share_percent(coverage.checklist.ratio)} covered"


def _health_step(framework: Framework, coverage: Coverage) -> StepStatus:
    if not framework.health_check:
        return StepStatus("health", "Health check", "None in this framework")
    health = coverage.health
    return StepStatus("health", "Health check", f"{health.done} of {health.total} answered",
                      (f"{plural(health.missing, 'question')} unanswered",) if health.missing else (),
                      complete=health.complete)


def _assessment_step(framework: Framework, coverage: Coverage) -> StepStatus:
    checklist, assessed = coverage.checklist, coverage.assessed
    warnings = []
    if assessed.missing:
        warnings.append(f"{plural(assessed.missing, 'dimension')} not assessed")
    if checklist.missing:
        warnings.append(f"{checklist.missing:,} of {plural(checklist.total, 'checklist item')} unanswered")
    summary = (f"Checklist {checklist.done:,}/{checklist.total:,} ({share_percent(checklist.ratio)}) · "
               f"{assessed.done}/{assessed.total} levels")
    return StepStatus("assessment", "Assessment", summary, tuple(warnings),
                      complete=checklist.complete and assessed.complete)


def _findings_step(findings: list[dict[str, Any]], open_findings: list[dict[str, Any]]) -> StepStatus:
    severity = Counter(f["severity"] for f in open_findings)
    warnings = []
    for sev in SEVERE:
        lacking = [f for f in findings if f["severity"] == sev and not f["recommendation"].strip()]
        if lacking:
            warnings.append(f"{plural(len(lacking), sev + ' finding')} {verb(len(lacking), 'lacks', 'lack')} "
                            "a recommendation")
    no_owner = [f for f in findings if f["severity"] in SEVERE and not f["owner"].strip()]
    if no_owner:
        warnings.append(f"{plural(len(no_owner), 'Critical or High finding')} without an owner")
    unplanned = [f for f in open_findings if is_unplanned_critical(f)]
    if unplanned:
        warnings.append(f"{plural(len(unplanned), 'open Critical finding')} without a due date or fix")
    unexplained = _unexplained_acceptances(findings)
    if unexplained:
        warnings.append(f"{plural(len(unexplained), 'accepted risk')} without who accepted it and why")
    critical = severity.get(Severity.CRITICAL.value, 0)
    summary = plural(len(findings), "finding") + (f" · {critical} Critical open" if critical else "")
    return StepStatus("findings", "Findings", summary, tuple(warnings), complete=bool(findings) and not warnings)


def _models_step(models: list[dict[str, Any]]) -> StepStatus:
    unmonitored = [m for m in models if m["status"] == "production" and not m["monitored"]]
    return StepStatus("models", "Model inventory", plural(len(models), "model"),
                      ((f"{plural(len(unmonitored), 'production model')} not monitored",) if unmonitored else ()),
                      complete=bool(models))


def _risks_step(risks: list[dict[str, Any]]) -> StepStatus:
    """Risks in the top zone of the matrix are named as the risks page and the heat map name them."""
    top = Counter(risk_zone(r["likelihood"], r["impact"]) for r in risks if r["status"] != "closed")[TOP_ZONE]
    unmitigated = [r for r in risks if not r["mitigation"].strip() and r["status"] in ("open", "mitigating")]
    summary = plural(len(risks), "risk") + (f" · {top} in the {TOP_ZONE} zone" if top else "")
    return StepStatus("risks", "Risks", summary,
                      ((f"{plural(len(unmitigated), 'risk')} without mitigation",) if unmitigated else ()),
                      complete=bool(risks) and not unmitigated)


def _roadmap_step(roadmap: list[dict[str, Any]], open_findings: list[dict[str, Any]]) -> StepStatus:
    planned = {ref for item in roadmap for ref in item["finding_refs"]}
    not_planned = [f for f in open_findings if f["severity"] in SEVERE and f["ref"] not in planned]
    return StepStatus("roadmap", "Roadmap", plural(len(roadmap), "activity", "activities"),
                      ((f"{plural(len(not_planned), 'open Critical/High finding')} not on the roadmap",)
                       if not_planned else ()), complete=bool(roadmap) and not not_planned)


def _matrices_step(matrices: list[dict[str, Any]]) -> StepStatus:
    counts = Counter(m["kind"] for m in matrices)
    return StepStatus("matrices", "Readiness and matrices",
                      f"readiness {sum(1 for k in READINESS_KINDS if counts.get(k))} of {len(READINESS_KINDS)}"
                      f" · matrices {sum(1 for k in MATRIX_KINDS if counts.get(k))} of {len(MATRIX_KINDS)}",
                      complete=all(counts.get(k) for k in MATRIX_KINDS))


def _review_step(document: dict[str, Any], needs: list[SignoffNeed]) -> StepStatus:
    signed = sum(1 for need in needs if need.given)
    waiting = len(unresolved_notes(document))
    overall_missing = [f"{need.text} missing" for need in needs if not need.scope and not need.given]
    parts_missing = sum(1 for need in needs if need.scope and not need.given)
    warnings = [b.text for b in _note_blockers(document)] + overall_missing
    if parts_missing:
        warnings.append(f"{plural(parts_missing, 'dimension or section sign-off')} missing")
    summary = f"{plural(waiting, 'note')} waiting · sign-offs {signed} of {len(needs)}"
    return StepStatus("review", "Review and sign-off", summary, tuple(warnings),
                      complete=not waiting and all(need.given for need in needs))


# -- blockers ------------------------------------------------------------------------------------


def listed(ids: Iterable[str]) -> str:
    """'DP-02, DP-04 and DP-07' / 'A, B, … and 30 more': ids named in a blocker."""
    ids = list(ids)
    if len(ids) > LISTED:
        return ", ".join(ids[:LISTED]) + f" and {len(ids) - LISTED:,} more"
    return ", ".join(ids[:-1]) + f" and {ids[-1]}" if len(ids) > 1 else "".join(ids)


def _coverage_blockers(framework: Framework, document: dict[str, Any], coverage: Coverage) -> list[Blocker]:
    blockers = []
    if coverage.checklist.ratio < framework.coverage.finalise_at:
        answers = {r["item_id"]: r["answer"] for r in document["checklist"]}
        for dimension in framework.dimensions:
            open_items = [item.id for item in dimension.items if not is_answered(answers.get(item.id))]
            if open_items:
                blockers.append(Blocker(
                    f"{dimension.id} {dimension.name}: {plural(len(open_items), 'checklist item')} unanswered "
                    f"({listed(open_items)})", "assessment", dimension.id, open_items[0]))
    health = {h["question_id"]: h["answer"] for h in document["health_check"]}
    open_questions = [q.id for q in framework.health_check if not is_answered(health.get(q.id))]
    if open_questions:
        blockers.append(Blocker(f"health check: {plural(len(open_questions), 'question')} unanswered "
                                f"({listed(open_questions)})", "health", item=open_questions[0]))
    for row in coverage.dimensions:
        if not row.assessed:
            blockers.append(Blocker(f"{row.dimension_id} {row.name}: no maturity level set", "assessment",
                                    row.dimension_id))
    return blockers


def _unexplained_acceptances(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings marked Risk accepted without who accepted the risk and why (e.g. from an older package)."""
    return [f for f in findings if FindingStatus.parse(f["status"]) is FindingStatus.RISK_ACCEPTED
            and not (str(f.get("accepted_by") or "").strip() and str(f.get("accepted_reason") or "").strip())]


def _finding_blocker(findings: list[dict[str, Any]], one: str, many: str) -> list[Blocker]:
    """One blocker naming every finding of a kind; it leads to the first of them."""
    if not findings:
        return []
    refs = listed(str(f["ref"] or f["title"]) for f in findings)
    return [Blocker(f"{plural(len(findings), one, many)}: {refs}", "findings", record=findings[0]["uid"])]


def _finding_blockers(findings: list[dict[str, Any]]) -> list[Blocker]:
    severe = [f for f in findings if f["severity"] in SEVERE]
    return (_finding_blocker([f for f in severe if not f["recommendation"].strip()],
                             "Critical or High finding without a recommendation",
                             "Critical or High findings without a recommendation")
            + _finding_blocker([f for f in severe if not f["owner"].strip()],
                               "Critical or High finding without an owner",
                               "Critical or High findings without an owner")
            + _finding_blocker(_unexplained_acceptances(findings),
                               "finding marked Risk accepted without who accepted it and why",
                               "findings marked Risk accepted without who accepted them and why"))


def _note_blockers(document: dict[str, Any]) -> list[Blocker]:
    """An answered note still waits for the reviewer to close it, so it blocks like an open one."""
    waiting = unresolved_notes(document)
    blockers = []
    for status, one, many in (("open", "review note open", "review notes open"),
                              ("answered", "answered review note not closed by the reviewer",
                               "answered review notes not closed by the reviewer")):
        notes = [n for n in waiting if n["status"] == status]
        if notes:
            blockers.append(Blocker(plural(len(notes), one, many), "review", record=notes[0]["uid"]))
    return blockers


def _dimension_id(need: SignoffNeed) -> str:
    return need.scope.partition(":")[2]


def _section_name(need: SignoffNeed) -> str:
    return need.label.removeprefix("Section ")


def _signoff_blockers(needs: list[SignoffNeed]) -> list[Blocker]:
    """The overall pair first, then one blocker per kind of part: dimensions (leading to the first
    dimension) and sections, each naming the parts whose preparer sign-off is missing."""
    blockers = [Blocker(f"no {need.role} sign-off yet", "review") for need in needs
                if not need.scope and not need.given]
    for kind, name_of, dimension_of in (("dimension", _dimension_id, _dimension_id),
                                        ("section", _section_name, lambda need: "")):
        missing = [need for need in needs if need.scope.startswith(kind + ":") and not need.given]
        if missing:
            blockers.append(Blocker(f"preparer sign-off missing for {plural(len(missing), kind)}: "
                                    f"{listed(name_of(need) for need in missing)}", "review",
                                    dimension_of(missing[0]), scope=missing[0].scope))
    return blockers
