"""About this report: document control (version history, distribution list), the important notice, scope
and methodology, and the limitations of the work — the furniture a partner expects before the findings.

The notice and the methodology are the firm's own wording (preferences, `{client}` filled in); the version
history and distribution list are recorded per engagement; the limitations are read from the engagement:
what was not assessed, answered or tested.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from workbench.reports import formatting as F
from workbench.reports.context import Context
from workbench.reports.sections import heading
from workbench.reports.text import label, markup


def build(ctx: Context, number: str) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    client = data.engagement.client
    story: list[Flowable] = [heading(ctx, number, "About this report", "sec-about"),
                             heading(ctx, f"{number}.1", "Document control", "about-control", level=1)]
    story += _document_control(ctx)
    story.append(heading(ctx, f"{number}.2", "Important notice", "about-notice", level=1))
    notice = ctx.branding.notice_for(client)
    story.append(ctx.para(notice, st.body) if notice.strip() else ctx.empty("The firm has set no important notice."))
    story.append(heading(ctx, f"{number}.3", "Scope and methodology", "about-method", level=1))
    if data.engagement.scope.strip():
        story.append(Paragraph(f"<b>{label('Scope.')}</b> {markup(data.engagement.scope)}", st.body))
    story.append(Paragraph(f"<b>{label('Framework.')}</b> {markup(data.engagement.framework_name, limit=200)} "
                           f"{label('v' + data.engagement.framework_version)}; "
                           f"{label(F.plural(len(data.dimensions), 'dimension'))}, "
                           f"{label(F.plural(sum(len(d.checklist) for d in data.dimensions), 'checklist item'))}.",
                           st.body))
    methodology = ctx.branding.methodology_for(client)
    if methodology.strip():
        story.append(Paragraph(f"<b>{label('Method.')}</b> {markup(methodology)}", st.body))
    story.append(heading(ctx, f"{number}.4", "Limitations", "about-limits", level=1))
    story += [Paragraph(label(line), st.bullet, bulletText="•") for line in limitations(ctx)]
    return story


def _document_control(ctx: Context) -> list[Flowable]:
    st, control = ctx.styles, ctx.data.document
    story: list[Flowable] = []
    if control.versions:
        rows = [[ctx.cell(v.version, st.cell_bold, limit=40), ctx.fixed(F.date_text(v.date, "—")),
                 ctx.cell(v.author, limit=200), ctx.raw(markup(v.change, limit=2000, empty="—"), st.cell)]
                for v in control.versions]
        story.append(ctx.table(["Version", "Date", "Author", "Change"], rows, [0.1, 0.15, 0.2, 0.55]))
    else:
        story.append(ctx.empty("No version history has been recorded for this report."))
    if control.distribution:
        rows = [[ctx.cell(r.name, st.cell_bold, limit=200), ctx.cell(r.organisation, limit=200),
                 ctx.cell(r.purpose, limit=1000)] for r in control.distribution]
        story += [ctx.subhead("Distribution list", room=50),
                  ctx.table(["Recipient", "Organisation", "Purpose"], rows, [0.25, 0.3, 0.45])]
    else:
        story.append(ctx.empty("No distribution list has been recorded for this report."))
    return story


def limitations(ctx: Context) -> list[str]:
    """What the conclusions do not rest on, read from the engagement itself."""
    data = ctx.data
    lines = []
    unassessed = [d.name for d in data.dimensions if d.level is None]
    if unassessed:
        lines.append(f"Not assessed, so left out of the score: {', '.join(unassessed)}.")
    unanswered = sum(1 for d in data.dimensions for c in d.checklist if c.answer == "unanswered")
    if unanswered:
        lines.append(f"{F.plural(unanswered, 'checklist item')} could not be answered from the evidence available.")
    untested = [t.test for t in data.readiness.tests if t.outcome == "not_tested"]
    if untested:
        lines.append(f"Not tested during the audit: {', '.join(untested)}.")
    if not data.evidence:
        lines.append("No evidence files are attached: the conclusions rest on interviews and observation.")
    lines.append("The audit examined the state of the systems during the audit period; it is not a continuous "
                 "assurance, and changes made since are not covered.")
    return lines
