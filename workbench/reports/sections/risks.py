"""Risk matrix (heat map of likelihood × impact) and the risk register, highest score first."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from workbench.charts.heatmap import HeatmapData, build_heatmap
from workbench.reports import formatting as F
from workbench.reports.context import Context, fill_cell
from workbench.reports.sections import heading, intro
from workbench.reports.styles import risk_fill
from workbench.reports.text import label, markup


def build(ctx: Context, number: str) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    story: list[Flowable] = [heading(ctx, number, "Risk assessment", "sec-risks")]
    if not data.risks:
        return story + [ctx.empty("No risks were recorded in the risk register of this engagement, so there is no "
                                  "matrix or register to show.")]
    high = sum(1 for r in data.risks if r.score >= 15 and r.status != "closed")
    story.append(intro(ctx, f"{F.plural(len(data.risks), 'risk')} assessed by likelihood and impact (1–5 each); "
                            f"the score is their product. {F.plural(high, 'risk')} not closed "
                            f"{'is' if high == 1 else 'are'} in the critical zone (score 15 or more)."))
    heat = HeatmapData.from_risks([(r.likelihood, r.impact) for r in data.risks])
    story.append(ctx.charts.image("heatmap", build_heatmap, heat, ctx.width * 0.68, ctx.width * 0.52))
    story.append(Paragraph(label("Figure: number of risks in each cell of the likelihood × impact matrix."),
                           st.caption))
    story.append(heading(ctx, f"{number}.1", "Risk register", "sec-risk-register", level=1))
    rows, extra = [], []
    ordered = sorted(data.risks, key=lambda r: (-r.score, -r.impact, r.ref))
    for row, risk in enumerate(ordered, start=1):
        fill, ink = risk_fill(risk.likelihood, risk.impact)
        extra.append(fill_cell(4, row, fill))
        text = f"<b>{markup(risk.title, limit=600)}</b>"
        if risk.mitigation.strip():
            text += f"<br/><b>{label('Mitigation:')}</b> {markup(risk.mitigation)}"
        else:
            text += f"<br/><i>{label('No mitigation recorded.')}</i>"
        rows.append([ctx.cell(risk.ref, st.cell_bold), ctx.raw(text, st.cell),
                     ctx.fixed(F.code_label(risk.category)),
                     ctx.fixed(f"{risk.likelihood} × {risk.impact}", st.cell_center),
                     ctx.pill(str(risk.score), fill, ink),
                     ctx.raw(f"{markup(risk.owner, limit=80, empty='—')}<br/><font color='#5A5F66'>"
                             f"{label(F.code_label(risk.status, F.STATUS_LABELS))}</font>", st.cell)])
    story.append(ctx.table(["Ref", "Risk and mitigation", "Category", "L × I", "Score", "Owner, status"], rows,
                           [0.07, 0.49, 0.14, 0.08, 0.07, 0.15], extra=extra))
    return story
