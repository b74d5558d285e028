"""Deliverables: render an engagement's full report or executive summary to PDF.

    render_report(ws, "DGA-2026-01", Path("out.pdf"), kind="executive")

The GUI (in a worker, with `progress` and `cancelled`) and the CLI (`workbench report ENG -o FILE.pdf
[--kind full|executive] [--draft]`) share this use case. It reads the engagement once into a plain
`ReportData` (frozen dataclasses, no ORM objects), then lays the PDF out with workbench.reports, which
knows nothing of the workspace. The file is written to a temporary name next to the target and moved into
place in one step, so a failed or cancelled render never leaves a partial file.

`file_format="docx"` writes the same sections as an editable working copy (workbench.reports.word): marked
as unsigned on every page, never signed, no DRAFT watermark (the cover states the engagement's status).

The signing step finds the empty signature box with `signature_placement(pdf)`: it is on the last page
at `SIGNATURE_BOX_RECT` (PDF points), also published in the PDF as the named destination
`SIGNATURE_DESTINATION`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from workbench.catalogs.provenance import provenance_line
from workbench.domain.errors import ConflictError, ValidationError
from workbench.domain.framework import ChecklistItem, Framework
from workbench.domain.matrices import platform_totals
from workbench.domain.scales import UNANSWERED, attainment, steps_to_target
from workbench.domain.wording import hours_text
from workbench.fs.faults import StorageError
from workbench.fs.files import atomic_output
from workbench.reports import build as report_build
from workbench.reports import data as rd
from workbench.reports.data import Branding, ReportData
from workbench.reports.document import SIGNATURE_DESTINATION, ReportCancelled, signature_box_rect
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
from workbench.services.document import engagement_document, record_states, snapshot_row
from workbench.services.engagements import score_in_session, snapshot_state
from workbench.services.guidance import load_guidance
from workbench.services.progress import compute_progress, firm_gates
from workbench.services.review import same_person_review, scope_label
from workbench.services.unit import reading, snapshot_of, utc_now
from workbench.signing.attested_trail import check_attested_trail
from workbench.signing.trust import trust_roots
from workbench.store.audit import compare_records, verify_chain
from workbench.store.chart_cache import WorkspaceChartCache
from workbench.store.tables import Engagement
from workbench.store.workspace import Workspace

KINDS = report_build.KINDS
FORMATS = ("pdf", "docx")  # the deliverable, and its editable unsigned working copy
SIGNATURE_BOX_RECT = signature_box_rect()
ProgressCallback = Callable[[int, str], None]

__all__ = ["Branding", "FORMATS", "KINDS", "ReportCancelled", "ReportData", "SIGNATURE_BOX_RECT",
           "SIGNATURE_DESTINATION", "SignaturePlacement", "default_file_name", "gather_report_data", "render_report",
           "signature_placement"]


def default_file_name(ref: str, kind: str, file_format: str = "pdf") -> str:
    """"DGA-2026-01 audit report.pdf" / "DGA-2026-01 executive summary.pdf" (".docx": "… working copy.docx"),
    safe on every platform."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", ref).strip(" .-") or "engagement"
    what = "audit report" if kind == "full" else "executive summary"
    return f"{safe} {what}.pdf" if file_format == "pdf" else f"{safe} {what} working copy.{file_format}"


def render_report(ws: Workspace, engagement_key: str, target: Path, *, kind: str = "full",
                  draft: bool | None = None, branding: Branding | None = None,
                  cancelled: Callable[[], bool] | None = None, progress: ProgressCallback | None = None,
                  day_rate: float | None = None, currency: str | None = None,
                  expect_head: str | None = None, chart_worker: Executor | None = None,
                  file_format: str = "pdf") -> Path:
    """Write the deliverable to `target` (a folder gets the default file name); returns the file written.

    `draft` None: the DRAFT watermark unless the engagement is final. `day_rate` prices the remediation
    effort (hours ÷ 8 × rate, default 1,200 in the findings' currency). `expect_head`: the audit-trail chain
    head the caller will sign the report with (signatures.engagement_anchor); if the engagement changed since,
    nothing is written and ConflictError says so, so a signed report always shows the state it is tied to.
    Charts come from the workspace's chart cache when their data did not change, and the charts drawn are
    kept there; `chart_worker` (reports.chart_images.ChartWorker) draws the others while the pages
    are laid out.
    `file_format` "docx": the unsigned working copy (`draft` does not apply).
    """
    if kind not in KINDS:
        raise ValidationError(f"report kind: '{kind}' is not one of {', '.join(KINDS)}")
    if file_format not in FORMATS:
        raise ValidationError(f"report format: '{file_format}' is not one of {', '.join(FORMATS)}")
    branding = branding or Branding()
    _check_logo(branding)
    report = progress or (lambda _percent, _message: None)

    def check() -> None:
        if cancelled is not None and cancelled():
            raise ReportCancelled("report cancelled; no file was written")

    report(0, "reading the engagement")
    data = gather_report_data(ws, engagement_key, day_rate=day_rate, currency=currency)
    if expect_head is not None and data.trail.ok and data.trail.head_hash != expect_head:
        raise ConflictError(f"{data.engagement.ref} changed while the report was being prepared; make it again")
    check()
    path = _target_path(Path(target), data.engagement.ref, kind, file_format)
    is_draft = (not data.engagement.final) if draft is None else bool(draft)
    report(10, "drawing the charts")
    with WorkspaceChartCache(ws.path) as charts:
        if file_format == "docx":
            from workbench.reports.word import render_docx  # python-docx only for a working copy

            _write_atomically(path, lambda handle: render_docx(data, handle, kind=kind, branding=branding,
                                                               cancelled=cancelled, chart_store=charts))
        else:
            _write_atomically(path, lambda handle: report_build.render(
                data, handle, kind=kind, branding=branding, draft=is_draft, cancelled=cancelled,
                progress_cb=report, chart_store=charts, chart_worker=chart_worker))
    report(100, "done")
    return path


def _target_path(target: Path, ref: str, kind: str, file_format: str) -> Path:
    target = target.expanduser()
    if target.is_dir():
        return target / default_file_name(ref, kind, file_format)
    if target.suffix.lower() != f".{file_format}":
        raise ValidationError(f"report file: '{target.name}' should end in .{file_format}")
    return target


def _check_logo(branding: Branding) -> None:
    if branding.logo_path is None:
        return
    path = Path(branding.logo_path).expanduser()
    if not path.is_file():
        raise ValidationError(f"firm logo: {path} does not exist")
    from reportlab.lib.utils import ImageReader

    try:
        width, height = ImageReader(str(path)).getSize()
    except Exception:  # reportlab/PIL raise many kinds for an unreadable image
        raise ValidationError(f"firm logo: {path.name} is not a PNG or JPEG image that can be read") from None
    if width <= 0 or height <= 0:
        raise ValidationError(f"firm logo: {path.name} has no size")


def _write_atomically(path: Path, write: Callable[[Any], object]) -> None:
    """Write beside the target and rename (fs.files): a failure or a cancel leaves no file behind."""
    try:
        with atomic_output(path) as handle:
            write(handle)
    except StorageError as exc:
        raise ValidationError(f"report file: {exc}") from None


@dataclass(frozen=True)
class SignaturePlacement:
    page_index: int  # 0-based; the last page
    rect: tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points


def signature_placement(pdf: Path) -> SignaturePlacement:
    """Where the signing step draws the visible signature of a deliverable written by render_report."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    with open(pdf, "rb") as handle:
        pages = int(PdfFileReader(handle).root["/Pages"]["/Count"])
    return SignaturePlacement(pages - 1, SIGNATURE_BOX_RECT)


# -- gathering -----------------------------------------------------------------------------------


def gather_report_data(ws: Workspace, engagement_key: str, *, day_rate: float | None = None,
                       currency: str | None = None) -> ReportData:
    """Everything a deliverable shows, read in one session and handed over as plain data."""
    with reading(ws, engagement_key) as (session, engagement):
        document = engagement_document(session, engagement)
        framework = snapshot_of(session, engagement)
        card = score_in_session(session, engagement, framework)
        steps = compute_progress(framework, document, firm_gates())
        trail = _trail(session, engagement, document)
        previous = _previous(session, engagement, framework, document, card.overall)
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
                                 bool(m["monitored"]), m["notes"]) for m in document["models"]),
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
        tools=tuple(rd.ToolRow(d["tool"], d.get("category", ""), d["ring"], d.get("rationale", ""))
                    for d in rows.get("tool", [])),
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


def _trail(session: Session, engagement: Engagement, document: dict[str, Any]) -> rd.TrailInfo:
    events = document["audit_log"]
    chain = verify_chain(events)
    problem = chain.problem
    ok = chain.ok
    if ok:
        states = record_states(document)
        snapshot = snapshot_row(session, engagement)
        states[("framework_snapshot", snapshot.framework_id)] = snapshot_state(snapshot)
        mismatch = compare_records(events, states)
        if mismatch is not None:
            ok, problem = False, mismatch.problem
    attested = check_attested_trail(events, trust_roots(), final=bool(engagement.locked_at),
                                    engagement_uids={engagement.uid}) if ok else None
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


def _previous(session: Session, engagement: Engagement, framework: Framework, document: dict[str, Any],
              overall: float | None) -> rd.ProgressInfo | None:
    if not engagement.previous_uid:
        return None
    earlier = session.exec(select(Engagement).where(Engagement.uid == engagement.previous_uid)).first()
    carried = [f for f in document["findings"] if f["carried_forward"]]
    resolved = sum(1 for f in carried if f["status"] not in ("open", "in_remediation"))
    if earlier is None:
        return rd.ProgressInfo(previous_ref=engagement.previous_uid[:8], previous_title="", available=False,
                               carried_forward=len(carried), resolved_since=resolved)
    earlier_document = engagement_document(session, earlier, audit_log=False)
    earlier_levels = {a["dimension_id"]: a["current_level"] for a in earlier_document["assessments"]}
    current_levels = {a["dimension_id"]: a["current_level"] for a in document["assessments"]}
    return rd.ProgressInfo(
        previous_ref=earlier.ref, previous_title=earlier.title, available=True,
        dimensions=tuple(d.name for d in framework.dimensions),
        previous_levels=tuple(earlier_levels.get(d.id) for d in framework.dimensions),
        current_levels=tuple(current_levels.get(d.id) for d in framework.dimensions),
        previous_score=score_in_session(session, earlier).overall, current_score=overall,
        previous_findings=len(earlier_document["findings"]), resolved_since=resolved, carried_forward=len(carried))

