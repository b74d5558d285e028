"""Costs: the impact × effort matrix of cost items, the items with their estimates, budget totals, and the
remediation effort rolled up from the findings."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from workbench.charts.cost_matrix import CostMatrixData, build_cost_matrix
from workbench.reports import formatting as F
from workbench.reports.context import Context
from workbench.reports.sections import heading, intro
from workbench.reports.sections.common import budget_sentence, effort_table
from workbench.reports.text import label, markup

KIND_ORDER = ("optimisation", "remediation", "resource", "budget")
KIND_TITLES = {"optimisation": "Optimisation strategy", "remediation": "Remediation", "resource": "Resource",
               "budget": "Budget line"}


def build(ctx: Context, number: str) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    story: list[Flowable] = [heading(ctx, number, "Cost matrix and budget", "sec-costs")]
    if not data.costs:
        story.append(ctx.empty("No cost items were recorded for this engagement, so there is no cost matrix or "
                               "budget to show."))
    else:
        story.append(intro(ctx, "Cost items placed by expected impact against the effort they take; marker area "
                                "is proportional to the estimated cost. Amounts are estimates in the currency "
                                "recorded with each item and are never converted."))
        currency = data.costs[0].currency or "EUR"
        chart = CostMatrixData(items=tuple((c.name, c.impact, c.effort, c.estimated_cost) for c in data.costs),
                               currency=currency)
        story.append(ctx.charts.image("cost-matrix", build_cost_matrix, chart, ctx.width, ctx.width * 0.66))
        story.append(Paragraph(label("Figure: cost items by impact and effort. Numbers in crowded cells are the "
                                     "rows of the table below."), st.caption))
        story.append(heading(ctx, f"{number}.1", "Cost items", "sec-cost-items", level=1))
        story.append(_items_table(ctx))
        story.append(Paragraph(label(budget_sentence(ctx)), st.body))
    story.append(heading(ctx, f"{number}.2", "Remediation effort from the findings", "sec-effort", level=1))
    story += effort_table(ctx)
    return story


def _items_table(ctx: Context) -> Flowable:
    st = ctx.styles
    rows = []
    for index, item in enumerate(ctx.data.costs, start=1):
        text = f"<b>{markup(item.name, limit=300)}</b>"
        if item.current_state.strip():
            text += f"<br/><b>{label('Now:')}</b> {markup(item.current_state, limit=4000)}"
        if item.target.strip():
            text += f"<br/><b>{label('Target:')}</b> {markup(item.target, limit=4000)}"
        resources = " · ".join(part for part in (
            f"{F.number(item.fte, 2)} FTE" if item.fte is not None else "",
            f"{F.number(item.duration_weeks)} wk" if item.duration_weeks is not None else "") if part) or "—"
        rows.append([ctx.fixed(str(index), st.cell_muted), ctx.raw(text, st.cell),
                     ctx.fixed(KIND_TITLES.get(item.kind, F.code_label(item.kind))),
                     ctx.fixed(F.code_label(item.impact), st.cell_center),
                     ctx.fixed(F.code_label(item.effort), st.cell_center),
                     ctx.fixed(F.money(item.estimated_cost, item.currency), st.cell_right),
                     ctx.fixed(resources, st.cell_right)])
    return ctx.table(["#", "Item: current state and target", "Kind", "Impact", "Effort", "Estimate",
                      "FTE, duration"], rows, [0.04, 0.43, 0.12, 0.09, 0.09, 0.1, 0.13], right=(5, 6))
