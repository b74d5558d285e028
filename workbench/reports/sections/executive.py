"""The executive summary deliverable (2-4 pages), in the shape of an audit firm's readiness summary:
score /100 with verdict, key issues by severity with risk, fix and effort, readiness per dimension, the
remediation plan from the roadmap, and the final recommendation."""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from workbench.domain.readiness import BLOCKED, NO_TARGET, NOT_ASSESSED, READY, Readiness, dimension_readiness
from workbench.reports import formatting as F
from workbench.reports import styles as S
from workbench.reports.context import Context, fill_cell, severity_cell
from workbench.reports.data import EngagementInfo, FindingRow
from workbench.reports.document import SignatureArea
from workbench.reports.flow import Bundle
from workbench.reports.sections import heading, progress, readiness, signoff
from workbench.reports.sections.common import open_findings, score_block, severity_rank, severity_strip
from workbench.reports.text import label, markup

DETAILED = {"Critical": 8, "High": 8}  # open findings shown with risk, fix and effort, per severity
LISTED = 30  # every other finding (lower severity, or closed) listed by title
RISK_ROWS = 12
MODEL_ROWS = 12
PLAN_ROWS = 8
CONDITIONS = 12  # Critical and High findings named as conditions of a Conditional Go
TEXT = 230  # characters of impact / recommendation shown per finding
GROUP_TITLES = {"Critical": "Critical — fix before production", "High": "High — fix in the first phase"}


def _subtitle(engagement: EngagementInfo) -> list[str]:
    """Client, system, period and lead auditor; the system and the period only when recorded."""
    parts = [markup(engagement.client, limit=100)]
    if engagement.system_name.strip():
        parts.append(markup(engagement.system_name, limit=120))
    if engagement.start_date or engagement.end_date:
        parts.append(label(F.period_text(engagement.start_date, engagement.end_date)))
    return [*parts, label("Lead auditor: ") + markup(engagement.lead_auditor, limit=80, empty="—")]


def build(ctx: Context) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    engagement = data.engagement
    story: list[Flowable] = [
        Paragraph(label("EXECUTIVE SUMMARY"), st.kicker),
        Paragraph(markup(engagement.title, limit=160), ctx.styles.h1),
        Paragraph(" · ".join(_subtitle(engagement)), st.body_muted),
        Spacer(1, 4),
        heading(ctx, "", "Overall status", "ex-status", toc=False),
        score_block(ctx, gauge_width=70 * mm),
    ]
    since = progress.summary_sentence(ctx)
    if since is not None:
        story.append(Paragraph(markup(since), st.body))
    states = _readiness_of(ctx)
    strong = [d for d in data.dimensions if states[d.id].ready]
    if strong:
        names = ", ".join(d.name for d in strong)
        story.append(Paragraph(f"<b>{label('Working well:')}</b> {markup(names, limit=400)} "
                               f"{label('meet their target level.')}", st.body))
    story += readiness.compact(ctx, ("strengths",))
    ctx.check()
    story += _issues(ctx)
    story += readiness.compact(ctx, ("tests", "matrix"))
    ctx.check()
    story += _readiness(ctx)
    story += _risks(ctx)
    story += _models(ctx)
    ctx.check()
    story += _plan(ctx)
    story += readiness.compact(ctx, ("checklist", "restrictions", "golive", "success"))
    ctx.check()
    story += _recommendation(ctx)
    story += readiness.compact(ctx, ("questions",))
    # the sign-off heading, the sign-offs and the signature box start on one page: never the box alone
    story.append(Bundle([heading(ctx, "", "Sign-off", "ex-signoff", toc=False),
                         *signoff.signoff_rows(ctx, overall_only=True),
                         SignatureArea(signoff.CAPTION, st)]))
    return story


def _issues(ctx: Context) -> list[Flowable]:
    st = ctx.styles
    findings = open_findings(ctx.data)
    story: list[Flowable] = [heading(ctx, "", "Key issues", "ex-issues", toc=False)]
    if not findings:
        return story + [ctx.empty("No finding is open: nothing stands in the way of production on the evidence "
                                  "reviewed." if ctx.data.findings else "No findings have been recorded for this "
                                  "engagement yet.")]
    story.append(severity_strip(ctx, findings))
    story.append(Spacer(1, 6))
    for severity, limit in DETAILED.items():
        group = [f for f in findings if f.severity == severity]
        if not group:
            continue
        rows, extra = [], []
        for index, finding in enumerate(group[:limit], start=1):
            sev, command = severity_cell(ctx, finding.ref, 0, index)
            extra.append(command)
            rows.append([sev, _issue(ctx, finding), ctx.raw(markup(finding.recommendation, limit=TEXT,
                                                              empty="No fix recorded yet."), st.cell),
                         ctx.raw(f"{label(F.hours(finding.effort_hours))}<br/><font color='#5A5F66'>"
                                 f"{label(F.date_text(finding.due_date))}</font>", st.cell_right)])
        block: list[Flowable] = [ctx.subhead(GROUP_TITLES[severity]),
                                 ctx.table(["Ref", "Issue and risk", "Fix", "Effort, due"], rows,
                                           [0.09, 0.46, 0.33, 0.12], extra=extra, right=(3,))]
        if len(group) > limit:
            block.append(Paragraph(label(f"… and {len(group) - limit} more {severity} findings in the full report."),
                                   st.caption))
        story += block
    shown = {f.ref for severity, limit in DETAILED.items() for f in findings if f.severity == severity}
    story += _other_findings(ctx, [f for f in ctx.data.findings if f.ref not in shown])
    return story


def _other_findings(ctx: Context, rest: list[FindingRow]) -> list[Flowable]:
    """Open findings below High and every closed finding, one line each."""
    if not rest:
        return []
    st = ctx.styles
    ordered = sorted(rest, key=lambda f: (not f.is_open, severity_rank(f.severity), f.ref))
    rows, extra = [], []
    for index, finding in enumerate(ordered[:LISTED], start=1):
        sev, command = severity_cell(ctx, finding.severity, 2, index)
        extra.append(command)
        rows.append([ctx.cell(finding.ref, st.cell_bold), ctx.cell(finding.title, limit=200), sev,
                     ctx.fixed(F.code_label(finding.status, F.STATUS_LABELS)), ctx.cell(finding.owner, limit=60)])
    story: list[Flowable] = [ctx.subhead("Other findings"),
                             ctx.table(["Ref", "Finding", "Severity", "Status", "Owner"], rows,
                                       [0.09, 0.5, 0.11, 0.14, 0.16], extra=extra)]
    if len(ordered) > LISTED:
        story.append(Paragraph(label(f"… and {len(ordered) - LISTED} more in the findings register of the full "
                                     "report."), st.caption))
    return story


def _issue(ctx: Context, finding: FindingRow) -> Flowable:
    text = f"<b>{markup(finding.title, limit=160)}</b>"
    if finding.impact.strip():
        text += f"<br/><font color='#5A5F66'>{label('Risk:')}</font> {markup(finding.impact, limit=TEXT)}"
    return ctx.raw(text, ctx.styles.cell)


def _readiness(ctx: Context) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    story: list[Flowable] = [heading(ctx, "", "Readiness by dimension", "ex-readiness", toc=False)]
    if not data.dimensions:
        return story + [ctx.empty("The framework defines no dimensions.")]
    open_by_dim = _open_by_dimension(ctx)
    states = _readiness_of(ctx)
    rows, extra = [], []
    for index, dim in enumerate(data.dimensions, start=1):
        state = states[dim.id]
        status, fill = _status_pill(state, dim.gap)
        extra.append(fill_cell(4, index, fill))
        items = open_by_dim.get(dim.id, [])
        worst = min(items, key=lambda f: severity_rank(f.severity)).severity if items else ""
        rows.append([ctx.cell(dim.name, st.cell_bold, limit=80),
                     ctx.fixed(F.score_on(dim.score, data.score.out_of), st.cell_right),
                     ctx.raw(label(F.level_text(dim.level, dim.level_name)), st.cell),
                     ctx.fixed(F.level_text(dim.target) if dim.target else "—", st.cell_center),
                     ctx.pill(status, fill),
                     ctx.fixed(f"{len(items)} (worst: {worst})" if items else "None", st.cell)])
    story.append(ctx.table(["Dimension", "Score", "Level", "Target", "Status", "Open findings"], rows,
                           [0.29, 0.08, 0.2, 0.09, 0.14, 0.2], extra=extra, right=(1,)))
    return story


def _open_by_dimension(ctx: Context) -> dict[str, list[FindingRow]]:
    open_by_dim: dict[str, list[FindingRow]] = {}
    for finding in open_findings(ctx.data):
        open_by_dim.setdefault(finding.dimension_id, []).append(finding)
    return open_by_dim


def _readiness_of(ctx: Context) -> dict[str, Readiness]:
    """Each dimension's readiness by the one rule (domain.readiness): level at target, no open Critical/High."""
    open_by_dim = _open_by_dimension(ctx)
    return {d.id: dimension_readiness(d.level, d.target, [f.severity for f in open_by_dim.get(d.id, [])])
            for d in ctx.data.dimensions}


def _status_pill(state: Readiness, gap: int | None) -> tuple[str, Color]:
    if state.state == NOT_ASSESSED:
        return "Not assessed", S.hex_colour("#DDDDDD")
    if state.state in (READY, NO_TARGET):
        return ("Ready" if state.ready else "Assessed"), S.tint(S.ANSWER_FILL["yes"], 0.55)
    if state.state == BLOCKED:
        return "Not ready", S.tint(S.ANSWER_FILL["no"], 0.55)  # the next column names the worst open finding
    return f"Gap of {gap}", S.tint(S.ANSWER_FILL["no"], 0.55 if gap == 1 else 0.2)


def _risks(ctx: Context) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    story: list[Flowable] = [heading(ctx, "", "Risks", "ex-risks", toc=False)]
    if not data.risks:
        return story + [ctx.empty("No risks have been recorded in the risk register yet.")]
    ordered = sorted(data.risks, key=lambda r: (r.status == "closed", -r.score, -r.impact, r.ref))
    rows, extra = [], []
    for index, risk in enumerate(ordered[:RISK_ROWS], start=1):
        fill, ink = S.risk_fill(risk.likelihood, risk.impact)
        extra.append(fill_cell(2, index, fill))
        rows.append([ctx.cell(risk.ref, st.cell_bold), ctx.cell(risk.title, limit=200),
                     ctx.pill(f"{risk.score}  (L{risk.likelihood}×I{risk.impact})", fill, ink),
                     ctx.cell(risk.owner, limit=60), ctx.fixed(F.code_label(risk.status, F.STATUS_LABELS))])
    story.append(ctx.table(["Ref", "Risk", "Score", "Owner", "Status"], rows, [0.08, 0.5, 0.14, 0.16, 0.12],
                           extra=extra))
    if len(ordered) > RISK_ROWS:
        story.append(Paragraph(label(f"The {RISK_ROWS} highest of {len(ordered):,} risks; all are in the risk "
                                     "register of the full report."), st.caption))
    return story


def _models(ctx: Context) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    story: list[Flowable] = [heading(ctx, "", "Models in scope", "ex-models", toc=False)]
    if not data.models:
        return story + [ctx.empty("No models have been recorded in the model inventory yet.")]
    rows = []
    for model in data.models[:MODEL_ROWS]:
        name = f"<b>{markup(model.name, limit=120)}</b>"
        if model.version.strip():
            name += f" <font color='#5A5F66'>{markup(model.version, limit=40)}</font>"
        monitored = "Monitored" if model.monitored else ("NOT monitored" if model.status == "production" else "—")
        rows.append([ctx.raw(name, st.cell), ctx.fixed(F.code_label(model.status, F.STATUS_LABELS)),
                     ctx.fixed(F.code_label(model.deployment, F.DEPLOYMENT_LABELS)),
                     ctx.fixed(f"{F.code_label(model.risk_tier)} risk"), ctx.fixed(monitored)])
    story.append(ctx.table(["Model", "Status", "Deployment", "Risk tier", "Monitoring"], rows,
                           [0.44, 0.14, 0.14, 0.12, 0.16]))
    if len(data.models) > MODEL_ROWS:
        story.append(Paragraph(label(f"… and {len(data.models) - MODEL_ROWS} more in the model inventory of the "
                                     "full report."), st.caption))
    return story


def _plan(ctx: Context) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    story: list[Flowable] = [heading(ctx, "", "Remediation plan", "ex-plan", toc=False)]
    if not data.roadmap:
        return story + [ctx.empty("No roadmap has been planned yet, so there is no remediation plan to summarise.")]
    rows = []
    for item in data.roadmap[:PLAN_ROWS]:
        rows.append([ctx.cell(item.phase, st.cell_bold, limit=80),
                     ctx.fixed(F.period_text(item.start_date, item.end_date) if (item.start_date or item.end_date)
                               else "Not scheduled"),
                     ctx.cell(item.activity, limit=200),
                     ctx.fixed(F.hours(item.effort_hours) if item.effort_hours else "—", st.cell_right)])
    story.append(ctx.table(["Phase", "When", "Activities", "Effort"], rows, [0.22, 0.17, 0.51, 0.1], right=(3,)))
    if data.roadmap_note:
        story.append(Paragraph(label(data.roadmap_note), st.caption))
    if len(data.roadmap) > PLAN_ROWS:
        story.append(Paragraph(label(f"… and {len(data.roadmap) - PLAN_ROWS} more activities in the full report."),
                               st.caption))
    return story


def _recommendation(ctx: Context) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    score = data.score
    story: list[Flowable] = [heading(ctx, "", "Final recommendation", "ex-recommendation", toc=False)]
    verdict = score.verdict
    headline = {"Go": "Proceed to production.", "Conditional Go": "Proceed, with conditions.",
                "No-Go": "Do not proceed to production yet."}.get(verdict or "", "No recommendation yet: the "
                                                                      "engagement has not been assessed.")
    story.append(Paragraph(f"<b>{label(headline)}</b> {label(f'({verdict})' if verdict else '')}", st.lead))
    blocking = [f for f in open_findings(data) if f.severity in ("Critical", "High")]
    if verdict and verdict != "Go" and blocking:
        story.append(Paragraph(label("Conditions — resolve before go-live:"), st.body))
        items: list[Flowable] = [
            Paragraph(f"<b>{markup(finding.ref)}</b> {markup(finding.title, limit=140)}", st.bullet, bulletText="•")
            for finding in blocking[:CONDITIONS]]
        half = (len(items) + 1) // 2  # two columns: the list takes half the height
        story.append(ctx.side_by_side([items[:half], items[half:]], [0.5, 0.5]))
        story = [Bundle(story)]  # the heading, the verdict and the conditions start on one page
        if len(blocking) > CONDITIONS:
            story.append(Paragraph(label(f"… and {len(blocking) - CONDITIONS} more Critical or High findings."),
                                   st.caption))
    total = next((line for line in data.effort_open if line.label == "Total"), None)
    if total and total.findings:
        span = [d for r in data.roadmap for d in (r.start_date, r.end_date) if d]
        timing = f" The roadmap runs {F.period_text(min(span), max(span))}." if span else ""
        story.append(Paragraph(label(
            f"Estimated remediation effort for the {total.findings:,} open findings: {F.hours(total.hours)} "
            f"(about {F.days_text(total.hours)}, {F.money(total.cost, data.effort_currency)} at "
            f"{F.money(data.day_rate, data.effort_currency)} a day).{timing}"), st.body))
    return story

