"""Executive summary section of the full report: score, verdict, key figures, top findings and risks, effort."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer

from workbench.reports import formatting as F
from workbench.reports.context import Context, fill_cell, severity_cell
from workbench.reports.sections import heading, intro, progress
from workbench.reports.sections.common import (
    budget_sentence,
    effort_table,
    open_findings,
    score_block,
    severity_strip,
    top_risks,
)
from workbench.reports.styles import risk_fill
from workbench.reports.text import label, markup

TOP_FINDINGS = 8
TOP_RISKS = 5


def build(ctx: Context, number: str) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    story: list[Flowable] = [heading(ctx, number, "Executive summary", "sec-summary")]
    story.append(intro(ctx, _opening(ctx)))
    story.append(score_block(ctx))
    since = progress.summary_sentence(ctx)
    if since is not None:
        story.append(Paragraph(markup(since), st.body))
    story.append(Spacer(1, 8))
    story += _scope(ctx)

    findings = open_findings(data)
    story.append(heading(ctx, f"{number}.1", "Open findings by severity", "sum-severity", level=1))
    if data.findings:
        story += [severity_strip(ctx, findings), Spacer(1, 6)]
        closed = len(data.findings) - len(findings)
        story.append(Paragraph(label(f"{F.plural(len(data.findings), 'finding')} recorded; {len(findings):,} open "
                                     f"and {closed:,} resolved or accepted."), st.caption))
    else:
        story.append(ctx.empty("No findings have been recorded for this engagement, so there are no issues to "
                               "summarise."))

    story.append(heading(ctx, f"{number}.2", "Top findings", "sum-findings", level=1))
    if findings:
        rows, extra = [], []
        for index, finding in enumerate(findings[:TOP_FINDINGS], start=1):
            sev, command = severity_cell(ctx, finding.severity, 2, index)
            extra.append(command)
            rows.append([ctx.cell(finding.ref, st.cell_bold), ctx.cell(finding.title, limit=300), sev,
                         ctx.cell(finding.owner, limit=80), ctx.fixed(F.date_text(finding.due_date))])
        story.append(ctx.table(["Ref", "Finding", "Severity", "Owner", "Due"], rows,
                               [0.1, 0.5, 0.12, 0.16, 0.12], extra=extra))
        if len(findings) > TOP_FINDINGS:
            story.append(Paragraph(label(f"The {TOP_FINDINGS} most severe of {len(findings):,} open findings; "
                                         "all are listed in the findings register."), st.caption))
    else:
        story.append(ctx.empty("No finding is open, so none needs attention before go-live."))

    story.append(heading(ctx, f"{number}.3", "Top risks", "sum-risks", level=1))
    risks = top_risks(data, TOP_RISKS)
    if risks:
        rows, extra = [], []
        for index, risk in enumerate(risks, start=1):
            fill, ink = risk_fill(risk.likelihood, risk.impact)
            extra.append(fill_cell(2, index, fill))
            rows.append([ctx.cell(risk.ref, st.cell_bold), ctx.cell(risk.title, limit=300),
                         ctx.pill(f"{risk.score}  (L{risk.likelihood}×I{risk.impact})", fill, ink),
                         ctx.cell(risk.owner, limit=80), ctx.fixed(F.code_label(risk.status, F.STATUS_LABELS))])
        story.append(ctx.table(["Ref", "Risk", "Score", "Owner", "Status"], rows, [0.1, 0.5, 0.14, 0.14, 0.12],
                               extra=extra))
    else:
        story.append(ctx.empty("No open risks have been recorded in the risk register."))

    story.append(heading(ctx, f"{number}.4", "Remediation effort and cost", "sum-effort", level=1))
    story += effort_table(ctx)
    story.append(Paragraph(label(budget_sentence(ctx)), st.body))
    if data.blockers and not data.engagement.final:
        story.append(heading(ctx, f"{number}.5", "Open before finalisation", "sum-blockers", level=1))
        for blocker in data.blockers:
            story.append(Paragraph(label(blocker[:1].upper() + blocker[1:] + "."), st.bullet, bulletText="•"))
    return story


def _scope(ctx: Context) -> list[Flowable]:
    """What was audited, in the client's and the auditor's own words (only the fields filled in)."""
    engagement = ctx.data.engagement
    pairs = [(name, ctx.cell(value, limit=3000)) for name, value in (
        ("Scope", engagement.scope), ("AI/ML use cases", engagement.use_cases),
        ("Primary ML framework", engagement.ml_framework), ("Client sector", engagement.client_sector),
        ("Client contact", engagement.client_contact)) if value.strip()]
    return [ctx.key_values(pairs, (0.22, 0.78)), Spacer(1, 4)] if pairs else []


def _opening(ctx: Context) -> str:
    engagement, score = ctx.data.engagement, ctx.data.score
    dated = engagement.start_date or engagement.end_date  # no dates yet: no "Audit period —."
    period = f"Audit period {F.period_text(engagement.start_date, engagement.end_date)}. " if dated else ""
    if score.overall is None:
        return f"{period}No dimension has been assessed yet, so the engagement has no score."
    return (f"{period}The organisation scores {F.score_on(score.overall, score.out_of)} out of "
            f"{score.out_of:g} against the "
            f"{len(ctx.data.dimensions)} weighted dimensions of the framework, in the {score.band} band; the "
            f"verdict is {score.verdict}.")
