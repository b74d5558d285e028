"""What a deliverable shows, read from the workspace in plain SQL into a frozen `ReportData`.

The score, the steps' progress, the audit trail's verification (the hash chain, every record against the
event that last wrote it, the attestations) and the previous audit's figures: the same services the app
shows them with, read on one connection in one transaction. The command line reads this way without
importing SQLAlchemy (about a third of a small report's time); the app reads on its session's connection.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.catalogs.provenance import provenance_line
from workbench.domain.clock import utc_now
from workbench.domain.framework import ChecklistItem, Framework
from workbench.domain.matrices import platform_totals
from workbench.domain.scales import UNANSWERED, attainment, steps_to_target
from workbench.domain.wording import hours_text
from workbench.reports import data as rd
from workbench.reports.data import ReportData
from workbench.services import report_extras as extras
from workbench.services.cost_rollup import (
    DEFAULT_CURRENCY,
    DEFAULT_DAY_RATE,
    CostBasis,
    cost_totals,
    finding_figure,
    remediation_rollup,
    roadmap_check,
)
from workbench.services.guidance import load_guidance
from workbench.services.library import framework_of_text, score_card
from workbench.services.plain_document import document_of, part_of, record_states
from workbench.services.progress import compute_progress, firm_gates
from workbench.services.review_reading import same_person_review, scope_label
from workbench.signing.attested_trail import check_attested_trail
from workbench.store import light
from workbench.store.chain import compare_records, verify_chain
from workbench.store.light import Rows

if TYPE_CHECKING:
    from cryptography import x509

    from workbench.store.workspace import Workspace

__all__ = ["gather_report_data", "report_data_of"]


def gather_report_data(ws: Workspace | Path | str, engagement_key: str, *, day_rate: float | None = None,
                       currency: str | None = None) -> ReportData:
    """Everything a deliverable shows, read in one transaction and handed over as plain data.

    `ws` is an open Workspace (the app: read on its connection) or the path of a workspace file (or a team
    server's URL, store.location), which is then read on a plain read-only connection without importing the
    database layer (the command line).
    """
    with _connection(ws, engagement_key) as conn:
        return report_data_of(conn, engagement_key, day_rate=day_rate, currency=currency)


@contextmanager
def _connection(ws: Workspace | Path | str, engagement_key: str) -> Iterator[Rows]:
    if isinstance(ws, Path | str):  # a workspace file, or a team server's URL (store.location)
        with light.reader(ws) as conn:
            yield conn
        return
    from workbench.services.unit import dbapi, reading

    with reading(ws, engagement_key) as (session, _engagement):
        yield dbapi(session)


def report_data_of(conn: Rows, engagement_key: str, *, day_rate: float | None = None,
                   currency: str | None = None) -> ReportData:
    """ReportData of ENG (uid, uid prefix or ref) read on `conn`, all in plain SQL."""
    engagement_id = light.resolve_engagement_id(conn, engagement_key)
    snapshot = light.snapshot_row(conn, engagement_id)
    framework = framework_of_text(snapshot["content"])
    document = document_of(conn, engagement_id)
    document["audit_log"] = light.event_rows(conn, document["engagement"]["uid"])
    card = score_card(conn, engagement_id, framework)
    steps = compute_progress(framework, document, firm_gates())
    trail = _trail(document, snapshot)
    previous = _previous(conn, framework, document, card.overall)
    basis = CostBasis(DEFAULT_DAY_RATE if day_rate is None else day_rate, currency or DEFAULT_CURRENCY)
    rollup = remediation_rollup(document, basis.day_rate, basis.currency)
    effort = tuple(rd.EffortLine(r.label, r.findings, r.hours, r.days, r.cost, r.unestimated)
                   for r in (*rollup.open.rows, rollup.open.total))
    info = _engagement_info(document, framework, previous.previous_ref if previous else None)
    return ReportData(
        engagement=info,
        score=rd.ScoreInfo(card.overall, card.band, card.verdict, card.provisional, card.verdict_reasons,
                           tuple((b.name, b.minimum, b.maximum) for b in framework.bands), framework.no_go_below,
                           framework.go_at_or_above, framework.points_per_level, card.out_of,
                           provisional_reasons=card.provisional_reasons if card.provisional else ()),
        dimensions=_dimensions(framework, document, info.target_level),
        findings=_findings(framework, document, basis),
        models=tuple(rd.ModelRow(m["name"], m["version"], m["deployment"], m["latency_ms"], m["throughput_rps"],
                                 m["status"], m["last_updated"], m["owner"], m["risk_tier"], m["model_registry"],
                                 bool(m["monitored"]), m["notes"], lineage(m)) for m in document["models"]),
        risks=tuple(rd.RiskRow(r["ref"], r["title"], r["category"], int(r["likelihood"]), int(r["impact"]),
                               r["mitigation"], r["owner"], r["status"]) for r in document["risks"]),
        costs=tuple(rd.CostRow(c["kind"], c["name"], c["impact"], c["effort"], c["current_state"], c["target"],
                               c["estimated_cost"], c["currency"], c["fte"], c["duration_weeks"])
                    for c in document["costs"]),
        effort_open=effort, effort_currency=rollup.currency, day_rate=rollup.day_rate,
        budget_totals=tuple(rd.MoneyTotal(t.currency, t.items, t.total, t.unpriced)
                            for t in cost_totals(document, "budget")),
        roadmap=_roadmap(document),
        matrices=_matrices(document),
        evidence=_evidence(document),
        trail=trail,
        signoffs=tuple(rd.SignoffRow(s["role"], s["name"], scope_label(framework, s["scope"]), s["signed_at"],
                                     s["note"], overall=not s["scope"]) for s in document["signoffs"]),
        health=_health(framework, document),
        blockers=steps.blocker_texts,
        generated_at=utc_now(),
        progress=previous,
        same_person_review=same_person_review(document),
        readiness=extras.readiness(document),
        document=extras.document_control(document),
        definitions=extras.definitions(framework),
        coverage=steps.coverage.sentence() if steps.coverage else "",
        guidance=load_guidance(),
        roadmap_note=roadmap_check(document).sentence(hours_text) if document["roadmap"] else "",
    )


def _engagement_info(document: dict[str, Any], framework: Framework, previous_ref: str | None) -> rd.EngagementInfo:
    e, client = document["engagement"], document["client"]
    contact = " · ".join(part for part in (client.get("contact_name", ""), client.get("contact_email", "")) if part)
    return rd.EngagementInfo(
        uid=e["uid"], ref=e["ref"], title=e["title"], client=client["name"], client_sector=client.get("sector", ""),
        client_contact=contact, system_name=e["system_name"], use_cases=e["use_cases"], ml_framework=e["ml_framework"],
        lead_auditor=e["lead_auditor"], team=e["team"], start_date=e["start_date"], end_date=e["end_date"],
        scope=e["scope"], status=e["status"], final=e["status"] == "final" or bool(e["locked_at"]),
        locked_at=e["locked_at"], finalised_by=e["finalised_by"], framework_name=framework.name,
        framework_version=framework.version, target_level=e["target_level"], previous_ref=previous_ref,
        framework_source=provenance_line(framework.raw))


def _dimensions(framework: Framework, document: dict[str, Any],
                default_target: int | None) -> tuple[rd.DimensionInfo, ...]:
    assessments = {a["dimension_id"]: a for a in document["assessments"]}
    answers = {c["item_id"]: c for c in document["checklist"]}
    result = []
    for dim in framework.dimensions:
        row = assessments.get(dim.id, {})
        level, target = row.get("current_level"), row.get("target_level") or default_target
        checklist = tuple(_checklist_row(item, answers.get(item.id, {})) for item in dim.items)
        result.append(rd.DimensionInfo(
            id=dim.id, name=dim.name, weight=dim.weight, description=dim.description, level=level,
            level_name=dim.level(level).name if level else "", level_descriptor=dim.level(level).descriptor if level
            else "", target=target, target_name=dim.level(target).name if target else "",
            score=None if level is None else framework.points_per_level * level,
            gap=None if level is None or target is None else max(target - level, 0),
            justification=row.get("justification", ""), checklist=checklist,
            attainment=attainment((item.scale, answers.get(item.id, {}).get("answer", UNANSWERED))
                                  for item in dim.items)))
    return tuple(result)


def _checklist_row(item: ChecklistItem, response: dict[str, Any]) -> rd.ChecklistRow:
    answer, target = response.get("answer", UNANSWERED), response.get("target") or ""
    scale = item.scale
    return rd.ChecklistRow(item.id, item.text, answer, response.get("note", ""), label=scale.label(answer),
                           score=scale.score(answer), graded=scale.graded,
                           target=scale.label(target) if target else "", priority=response.get("priority") or "",
                           gap=steps_to_target(scale, answer, target) if target else None)


def _findings(framework: Framework, document: dict[str, Any], basis: CostBasis) -> tuple[rd.FindingRow, ...]:
    """The register's rows: hours and cost from the one cost service, in the engagement's currency."""
    names = {d.id: d.name for d in framework.dimensions}
    texts = {item.id: item.text for d in framework.dimensions for item in d.items}
    evidence = extras.evidence_by_finding(document)
    return tuple(rd.FindingRow(
        f["ref"], f["title"], f["dimension_id"], names.get(f["dimension_id"], ""), f["severity"], f["impact"],
        f["description"], f["recommendation"], f["current_level"], f["recommended_level"], figure.hours,
        figure.cost, figure.currency, f["owner"], f["due_date"], f["status"], bool(f["carried_forward"]),
        item_id=f.get("item_id") or "", item_text=texts.get(f.get("item_id") or "", ""),
        affected_assets=extras.asset_list(f.get("affected_assets") or ""), evidence=evidence.get(f["uid"], ()))
        for f, figure in ((f, finding_figure(f, basis)) for f in document["findings"]))


def _roadmap(document: dict[str, Any]) -> tuple[rd.RoadmapRow, ...]:
    hours = {f["ref"]: f["effort_hours"] or 0.0 for f in document["findings"]}
    return tuple(rd.RoadmapRow(r["phase"], r["activity"], r["success_metric"], r["start_date"], r["end_date"],
                               tuple(r["finding_refs"]), float(sum(hours.get(ref, 0.0) for ref in r["finding_refs"])))
                 for r in document["roadmap"])


def lineage(model: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """What a model's lineage record holds (seed 004): card, training-data version, code commit, approval."""
    approval = model.get("approval") or "not_recorded"
    approved = "" if approval == "not_recorded" else approval.capitalize() + (
        f" by {model['approved_by']}" if model.get("approved_by") else "")
    found = (("Model card", model.get("model_card") or ""), ("Training data", model.get("training_data") or ""),
             ("Code commit", model.get("code_commit") or ""), ("Approval", approved))
    return tuple((what, str(value)) for what, value in found if str(value).strip())


def _tool(data: dict[str, Any]) -> rd.ToolRow:
    return rd.ToolRow(tool=data["tool"], category=data.get("category", ""), ring=data["ring"],
                      rationale=data.get("rationale", ""), pros=data.get("pros", ""), cons=data.get("cons", ""),
                      licence_cost=data.get("licence_cost", ""),
                      infrastructure_cost=data.get("infrastructure_cost", ""),
                      operations_cost=data.get("operations_cost", ""))


def _matrices(document: dict[str, Any]) -> rd.Matrices:
    rows: dict[str, list[dict[str, Any]]] = {}
    for row in document["matrices"]:
        rows.setdefault(row["kind"], []).append(row["data"])
    platform = rows.get("platform", [])
    return rd.Matrices(
        compliance=tuple(rd.ComplianceRow(d["requirement"], tuple(d.get("regimes", {}).items()), d["status"],
                                          d.get("note", "")) for d in rows.get("compliance", [])),
        platform=tuple(rd.PlatformRow(d["criterion"], float(d["weight"]),
                                      tuple((k, float(v)) for k, v in d.get("scores", {}).items())) for d in platform),
        platform_totals=tuple(platform_totals(platform).items()),
        tools=tuple(_tool(d) for d in rows.get("tool", [])),
        monitoring=tuple(rd.MonitoringRow(d["metric"], d["category"], d.get("threshold", ""), d.get("current", ""),
                                          d.get("alerting", ""), d["status"]) for d in rows.get("monitoring", [])))


def _evidence(document: dict[str, Any]) -> tuple[rd.EvidenceRow, ...]:
    names = {("finding", f["uid"]): f["ref"] for f in document["findings"]}
    names.update({("risk", r["uid"]): r["ref"] for r in document["risks"]})
    names.update({("model", m["uid"]): m["name"] for m in document["models"]})
    result = []
    for item in document["evidence"]:
        links = tuple(names.get((link["target_kind"], link["target_key"]), link["target_key"])
                      for link in item.get("links", []))
        result.append(rd.EvidenceRow(item["file_name"], item["media_type"], int(item["size"]), item["captured_at"],
                                     item["description"], item["sha256"], links))
    return tuple(result)


def _health(framework: Framework, document: dict[str, Any]) -> tuple[rd.HealthRow, ...]:
    answers = {h["question_id"]: h for h in document["health_check"]}
    return tuple(rd.HealthRow(q.question, answers.get(q.id, {}).get("answer", "unanswered"),
                              answers.get(q.id, {}).get("note", "")) for q in framework.health_check)


def _trust_roots() -> Iterator[x509.Certificate]:
    """This computer's trust anchors, read (and cryptography loaded) only when a trail holds an attestation."""
    from workbench.signing.trust import trust_roots

    yield from trust_roots()


def _trail(document: dict[str, Any], snapshot: dict[str, Any]) -> rd.TrailInfo:
    events, engagement = document["audit_log"], document["engagement"]
    chain = verify_chain(events)
    problem = chain.problem
    ok = chain.ok
    if ok:
        states = record_states(document)
        states[("framework_snapshot", snapshot["framework_id"])] = {
            name: snapshot[name] for name in ("framework_id", "version", "sha256")}
        mismatch = compare_records(events, states)
        if mismatch is not None:
            ok, problem = False, mismatch.problem
    attested = check_attested_trail(events, _trust_roots(), final=bool(engagement["locked_at"]),
                                    engagement_uids={engagement["uid"]}) if ok else None
    if attested is not None and not attested.ok:
        ok, problem = False, "; ".join(attested.problems)
    actors = Counter(str(e["actor"]) for e in events)
    actions = Counter(str(e["action"]) for e in events)
    lines = attested.attestations if attested is not None else ()
    return rd.TrailInfo(events=len(events), first_at=events[0]["at"] if events else None,
                        last_at=events[-1]["at"] if events else None, head_hash=chain.head_hash, ok=ok,
                        problem=problem, actors=tuple(name for name, _ in actors.most_common()),
                        actions=tuple(actions.most_common()), attestations=len(lines),
                        attested_through=attested.attested_through if attested is not None else 0,
                        attested_by=tuple(dict.fromkeys(line.signer for line in lines if line.counts)),
                        imported_after=attested is not None and attested.imported_after,
                        untrusted_imports=tuple(reason for _seq, reason in attested.notices) if attested else ())




def _previous(conn: Rows, framework: Framework, document: dict[str, Any],
              overall: float | None) -> rd.ProgressInfo | None:
    previous_uid = document["engagement"]["previous_uid"]
    if not previous_uid:
        return None
    earlier = conn.execute("SELECT id, ref, title FROM engagement WHERE uid = ?", (previous_uid,)).fetchone()
    carried = [f for f in document["findings"] if f["carried_forward"]]
    resolved = sum(1 for f in carried if f["status"] not in ("open", "in_remediation"))
    if earlier is None:
        return rd.ProgressInfo(previous_ref=previous_uid[:8], previous_title="", available=False,
                               carried_forward=len(carried), resolved_since=resolved)
    earlier_id, earlier_ref, earlier_title = earlier
    earlier_levels = {a["dimension_id"]: a["current_level"] for a in part_of(conn, earlier_id, "assessments")}
    current_levels = {a["dimension_id"]: a["current_level"] for a in document["assessments"]}
    return rd.ProgressInfo(
        previous_ref=earlier_ref, previous_title=earlier_title, available=True,
        dimensions=tuple(d.name for d in framework.dimensions),
        previous_levels=tuple(earlier_levels.get(d.id) for d in framework.dimensions),
        current_levels=tuple(current_levels.get(d.id) for d in framework.dimensions),
        previous_score=score_card(conn, earlier_id).overall, current_score=overall,
        previous_findings=len(part_of(conn, earlier_id, "findings")), resolved_since=resolved,
        carried_forward=len(carried))
