"""How complete each step of an engagement is, and what still blocks finalisation.

The step list and the overview show these texts; computing them here keeps them identical in
the GUI, the CLI and the reports, and testable without Qt.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from workbench.domain.enums import FindingStatus, Severity
from workbench.domain.framework import Framework
from workbench.domain.matrices import READINESS_KINDS, SUPPORTING_KINDS
from workbench.domain.wording import plural, verb
from workbench.services.review import signoff_needs, unresolved_notes


@dataclass(frozen=True)
class StepStatus:
    key: str
    title: str
    summary: str
    warnings: tuple[str, ...] = ()
    complete: bool = False


@dataclass(frozen=True)
class Progress:
    steps: tuple[StepStatus, ...]
    blockers: tuple[str, ...] = field(default_factory=tuple)

    def step(self, key: str) -> StepStatus:
        return next(step for step in self.steps if step.key == key)


MATRIX_KINDS = SUPPORTING_KINDS


def compute_progress(framework: Framework, document: dict[str, Any]) -> Progress:
    """Completeness of every step from an engagement document (services.document)."""
    answers = {r["item_id"]: r["answer"] for r in document["checklist"]}
    answered = sum(1 for a in answers.values() if a != "unanswered")
    levels = {a["dimension_id"]: a for a in document["assessments"]}
    assessed = sum(1 for d in framework.dimensions if (levels.get(d.id) or {}).get("current_level"))
    health = sum(1 for h in document["health_check"] if h["answer"] != "unanswered")
    findings = document["findings"]
    is_open = {status: FindingStatus.parse(status).is_open for status in {f["status"] for f in findings}}
    open_findings = [f for f in findings if is_open[f["status"]]]  # parsed once per status, not per finding
    severity = Counter(f["severity"] for f in open_findings)

    critical = Severity.CRITICAL.value  # read once: an enum attribute costs more than the comparison
    unplanned = [f for f in open_findings if f["severity"] == critical
                 and not (f["recommendation"].strip() and f["due_date"])]
    no_recommendation = [f for f in findings if f["severity"] in ("Critical", "High")
                         and not f["recommendation"].strip()]
    no_owner = [f for f in findings if f["severity"] in ("Critical", "High") and not f["owner"].strip()]
    finding_warnings = []
    for sev in ("Critical", "High"):
        lacking = [f for f in no_recommendation if f["severity"] == sev]
        if lacking:
            finding_warnings.append(f"{plural(len(lacking), sev + ' finding')} {verb(len(lacking), 'lacks', 'lack')} "
                                    "a recommendation")
    if no_owner:
        finding_warnings.append(f"{plural(len(no_owner), 'Critical or High finding')} without an owner")
    if unplanned:
        finding_warnings.append(f"{plural(len(unplanned), 'open Critical finding')} without a due date or fix")

    models = document["models"]
    unmonitored = [m for m in models if m["status"] == "production" and not m["monitored"]]
    risks = document["risks"]
    severe_risks = [r for r in risks if r["likelihood"] * r["impact"] >= 15 and r["status"] != "closed"]
    unmitigated = [r for r in risks if not r["mitigation"].strip() and r["status"] in ("open", "mitigating")]
    roadmap_refs = {ref for item in document["roadmap"] for ref in item["finding_refs"]}
    not_planned = [f for f in open_findings if f["severity"] in ("Critical", "High") and f["ref"] not in roadmap_refs]
    matrix_counts = Counter(m["kind"] for m in document["matrices"])
    item_total = framework.item_count

    steps = (
        StepStatus("overview", "Overview", document["engagement"]["status"].capitalize()),
        (StepStatus("health", "Health check", f"{health}/{len(framework.health_check)} answered",
                    complete=health == len(framework.health_check)) if framework.health_check
         else StepStatus("health", "Health check", "None in this framework")),
        StepStatus("assessment", "Assessment", f"Checklist {answered}/{item_total} · {assessed}/"
                   f"{len(framework.dimensions)} levels",
                   tuple(w for w in ((f"{plural(len(framework.dimensions) - assessed, 'dimension')} not assessed"
                                      if assessed < len(framework.dimensions) else ""),
                                     (f"{item_total - answered} of {item_total} checklist items unanswered"
                                      if answered < item_total else "")) if w),
                   complete=answered == item_total and assessed == len(framework.dimensions)),
        StepStatus("findings", "Findings", plural(len(findings), "finding") +
                   (f" · {severity.get('Critical', 0)} Critical open" if severity.get("Critical") else ""),
                   tuple(finding_warnings), complete=bool(findings) and not finding_warnings),
        StepStatus("models", "Model inventory", plural(len(models), "model"),
                   ((f"{plural(len(unmonitored), 'production model')} not monitored",) if unmonitored else ()),
                   complete=bool(models)),
        StepStatus("risks", "Risks", plural(len(risks), "risk") + (f" · {len(severe_risks)} high" if severe_risks
                                                                     else ""),
                   ((f"{plural(len(unmitigated), 'risk')} without mitigation",) if unmitigated else ()),
                   complete=bool(risks) and not unmitigated),
        StepStatus("costs", "Costs", plural(len(document["costs"]), "cost item"), complete=bool(document["costs"])),
        StepStatus("roadmap", "Roadmap", plural(len(document["roadmap"]), "activity").replace("activitys",
                                                                                               "activities"),
                   ((f"{plural(len(not_planned), 'open Critical/High finding')} not on the roadmap",)
                    if not_planned else ()), complete=bool(document["roadmap"]) and not not_planned),
        StepStatus("matrices", "Readiness and matrices",
                   f"readiness {sum(1 for k in READINESS_KINDS if matrix_counts.get(k))} of {len(READINESS_KINDS)}"
                   f" · matrices {sum(1 for k in MATRIX_KINDS if matrix_counts.get(k))} of {len(MATRIX_KINDS)}",
                   complete=all(matrix_counts.get(k) for k in MATRIX_KINDS)),
        StepStatus("evidence", "Evidence", plural(len(document["evidence"]), "file"),
                   complete=bool(document["evidence"])),
        _review_step(framework, document),
        StepStatus("deliverables", "Deliverables", "Final: ready to sign" if document["engagement"].get("locked_at")
                   else "Draft until the engagement is final"),
    )
    blockers = []
    if assessed < len(framework.dimensions):
        blockers.append(f"{plural(len(framework.dimensions) - assessed, 'dimension')} not assessed")
    if no_recommendation:
        blockers.append(f"{plural(len(no_recommendation), 'Critical or High finding')} without a recommendation")
    if no_owner:
        blockers.append(f"{plural(len(no_owner), 'Critical or High finding')} without an owner")
    blockers += _note_blockers(document)
    overall = {s["role"] for s in document.get("signoffs", []) if not s["scope"]}
    blockers += [f"no {role} sign-off yet" for role in ("preparer", "reviewer") if role not in overall]
    return Progress(steps, tuple(blockers))


def _note_blockers(document: dict[str, Any]) -> list[str]:
    """An answered note still waits for the reviewer to close it, so it blocks like an open one."""
    waiting = Counter(n["status"] for n in unresolved_notes(document))
    texts = []
    if waiting["open"]:
        texts.append(f"{plural(waiting['open'], 'review note')} open")
    if waiting["answered"]:
        texts.append(f"{plural(waiting['answered'], 'answered review note')} not closed by the reviewer")
    return texts


def _review_step(framework: Framework, document: dict[str, Any]) -> StepStatus:
    needs = signoff_needs(framework, document)
    signed = sum(1 for need in needs if need.given)
    waiting = len(unresolved_notes(document))
    overall_missing = [f"{need.text} missing" for need in needs if not need.scope and not need.given]
    parts_missing = sum(1 for need in needs if need.scope and not need.given)
    warnings = _note_blockers(document) + overall_missing
    if parts_missing:
        warnings.append(f"{plural(parts_missing, 'dimension or section sign-off')} missing")
    summary = f"{plural(waiting, 'note')} waiting · sign-offs {signed}/{len(needs)}"
    return StepStatus("review", "Review and sign-off", summary, tuple(warnings),
                      complete=not waiting and not overall_missing)
