"""Cover page: firm, logo, report kind, engagement, client, system, period, auditors, status."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, Paragraph, Spacer, Table

from workbench.reports import formatting as F
from workbench.reports import styles as S
from workbench.reports.context import Context
from workbench.reports.text import label, markup

LOGO_MAX = (60 * mm, 18 * mm)


def logo(path: object) -> Image:
    reader = ImageReader(str(path))
    width, height = reader.getSize()
    scale = min(LOGO_MAX[0] / width, LOGO_MAX[1] / height)
    return Image(str(path), width=width * scale, height=height * scale)


def status_text(ctx: Context) -> str:
    engagement = ctx.data.engagement
    if engagement.final:
        by = f" by {engagement.finalised_by}" if engagement.finalised_by else ""
        return f"Final — finalised {F.date_text(engagement.locked_at)}{by}" if engagement.locked_at else "Final"
    return f"Draft — engagement status: {F.code_label(engagement.status, F.STATUS_LABELS)}"


def coverage_text(ctx: Context) -> str:
    """'71 of 71 checklist items, 5 of 5 health-check questions', and whether the score is provisional."""
    coverage = ctx.data.coverage or "—"
    return f"{coverage}; score provisional" if ctx.data.score.provisional else coverage


def build(ctx: Context, kind_title: str) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    engagement = data.engagement
    firm = Paragraph(f"<b>{markup(ctx.branding.firm_name, limit=80)}</b>", st.cover_subtitle)
    top: list[list[Flowable]] = [[firm]]
    if ctx.branding.logo_path is not None:
        top = [[logo(ctx.branding.logo_path), firm]]
    header: Flowable = Table(top, colWidths=None, hAlign="LEFT", style=S.layout_style(
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("RIGHTPADDING", (0, 0), (-1, -1), 10)))
    if ctx.branding.logo_path is None and not ctx.branding.firm_name.strip():
        header = Spacer(1, st.cover_subtitle.leading)  # no firm recorded: nothing stands in for it
    facts = [
        ("Client", ctx.cell(engagement.client, st.cover_value, limit=200)),
        ("System under audit", ctx.cell(engagement.system_name, st.cover_value, limit=300)),
        ("Engagement", ctx.cell(engagement.ref, st.cover_value)),
        ("Audit period", ctx.fixed(F.period_text(engagement.start_date, engagement.end_date), st.cover_value)),
        ("Lead auditor", ctx.cell(engagement.lead_auditor, st.cover_value, limit=200)),
        ("Audit team", ctx.cell(engagement.team, st.cover_value, limit=300)),
        ("Framework", ctx.raw(f"{markup(engagement.framework_name, limit=120)} "
                              f"{label('v' + engagement.framework_version)}", st.cover_value)),
        ("Status", ctx.fixed(status_text(ctx), st.cover_value)),
        ("Coverage", ctx.fixed(coverage_text(ctx), st.cover_value)),
        ("Report date", ctx.fixed(F.date_text(data.generated_at), st.cover_value)),
    ]
    if engagement.framework_source:
        facts.insert(7, ("Framework source", ctx.cell(engagement.framework_source, st.cover_value, limit=400)))
    if engagement.previous_ref:
        facts.insert(3, ("Re-audit of", ctx.cell(engagement.previous_ref, st.cover_value)))
    classification = ctx.branding.classification_for(engagement.client)
    story: list[Flowable] = [
        header,
        Spacer(1, 38 * mm),
        Paragraph(label(kind_title.upper()), st.kicker),
        Paragraph(markup(engagement.title, limit=220), st.cover_title),
        Paragraph(markup(engagement.client, limit=200), st.cover_subtitle),
        Spacer(1, 14 * mm),
        ctx.key_values(facts, (0.26, 0.74)),
        Spacer(1, 12 * mm),
    ]
    if classification.strip():
        story.append(Paragraph(f"<b>{markup(classification, limit=300)}</b>", st.body))
    story.append(Paragraph(label(
        f"Prepared with the MLOps Audit Workbench from engagement {engagement.uid}. The audit trail of this "
        "engagement is hash-chained; its head hash is printed in the audit-trail section."), st.small))
    return story
