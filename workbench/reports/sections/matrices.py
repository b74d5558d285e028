"""Supporting matrices: compliance by regime, platform selection with weighted totals, tool evaluation and
monitoring metrics."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from workbench.domain.matrices import platform_leaders, regime_order, weights_off
from workbench.domain.wording import bulleted_lines, percent
from workbench.reports import formatting as F
from workbench.reports import styles as S
from workbench.reports.context import Context, fill_cell
from workbench.reports.data import ToolRow
from workbench.reports.sections import heading, intro
from workbench.reports.text import label, markup

MAX_COLUMNS = 6  # regimes or platforms shown as columns; more are listed in one cell
RING_ORDER = ("adopt", "trial", "assess", "hold")
RING_FILL = {"adopt": S.ANSWER_FILL["yes"], "trial": S.hex_colour("#56B4E9"), "assess": S.ANSWER_FILL["partial"],
             "hold": S.hex_colour("#BBBBBB")}
REGIME_FILL = {"required": S.tint(S.hex_colour("#0072B2"), 0.78), "partial": S.tint(S.hex_colour("#E69F00"), 0.7)}


def build(ctx: Context, number: str) -> list[Flowable]:
    story: list[Flowable] = [heading(ctx, number, "Supporting matrices", "sec-matrices")]
    m = ctx.data.matrices
    if not (m.compliance or m.platform or m.tools or m.monitoring):
        return story + [ctx.empty("No compliance, platform, tool or monitoring matrix was filled in for this "
                                  "engagement.")]
    story.append(intro(ctx, "The working tables behind the assessment: regulatory requirements, the platform "
                            "comparison, the tool recommendations and the monitoring coverage."))
    story += _compliance(ctx, f"{number}.1")
    story += _platform(ctx, f"{number}.2")
    story += _tools(ctx, f"{number}.3")
    story += _monitoring(ctx, f"{number}.4")
    return story


def _status_pill(ctx: Context, status: str, col: int, row: int, extra: list[S.TableCommand]) -> Flowable:
    fill = S.STATUS_FILL.get(status, S.FAINT)
    extra.append(fill_cell(col, row, fill))
    return ctx.pill(F.code_label(status), fill)


def _compliance(ctx: Context, number: str) -> list[Flowable]:
    rows_in = ctx.data.matrices.compliance
    story: list[Flowable] = [heading(ctx, number, "Compliance requirements", "mx-compliance", level=1)]
    if not rows_in:
        return story + [ctx.empty("No compliance requirements were recorded.")]
    regimes = regime_order(name for row in rows_in for name, _ in row.regimes)
    as_columns = 0 < len(regimes) <= MAX_COLUMNS
    rows, extra = [], []
    for index, row in enumerate(rows_in, start=1):
        values = dict(row.regimes)
        text = f"<b>{markup(row.requirement, limit=600)}</b>"
        if row.note.strip():
            text += f"<br/><font color='#5A5F66'>{markup(row.note, limit=3000)}</font>"
        cells: list[Flowable] = [ctx.raw(text, ctx.styles.cell)]
        if as_columns:
            for col, regime in enumerate(regimes, start=1):
                value = values.get(regime, "")
                if value in REGIME_FILL:
                    extra.append(fill_cell(col, index, REGIME_FILL[value]))
                cells.append(ctx.fixed(F.code_label(value) if value else "—", ctx.styles.cell_center))
        else:
            cells.append(ctx.cell("; ".join(f"{k}: {v}" for k, v in row.regimes)))
        cells.append(_status_pill(ctx, row.status, len(cells), index, extra))
        rows.append(cells)
    if as_columns:
        header = ["Requirement", *[F.code_label(r) if r.islower() else r for r in regimes], "Status"]
        share = 0.5 / len(regimes)
        widths = [0.38, *[share] * len(regimes), 0.12]
        head = [ctx.raw(markup(h, limit=40), ctx.styles.head) for h in header]
        story.append(ctx.table(head, rows, widths, extra=extra))
    else:
        story.append(ctx.table(["Requirement", "Regimes", "Status"], rows, [0.45, 0.43, 0.12], extra=extra))
    return story


def _platform(ctx: Context, number: str) -> list[Flowable]:
    m = ctx.data.matrices
    story: list[Flowable] = [heading(ctx, number, "Platform selection", "mx-platform", level=1)]
    if not m.platform:
        return story + [ctx.empty("No platform comparison was recorded.")]
    platforms = ([name for name, _ in m.platform_totals]
                 or list(dict.fromkeys(n for r in m.platform for n, _ in r.scores)))
    shown = platforms[:MAX_COLUMNS]
    story.append(intro(ctx, "Each platform is scored 0–5 per criterion; the total is the weighted sum (Σ weight × "
                            "score), so the highest total is the best fit on these criteria."))
    rows, extra = [], []
    for row in m.platform:
        scores = dict(row.scores)
        rows.append([ctx.cell(row.criterion, ctx.styles.cell_bold, limit=200),
                     ctx.fixed(percent(row.weight), ctx.styles.cell_right),
                     *[ctx.fixed(F.number(scores.get(p)), ctx.styles.cell_center) for p in shown]])
    totals = dict(m.platform_totals)
    leaders = platform_leaders(totals)
    total_weight = sum(r.weight for r in m.platform)
    total_row = len(rows) + 1
    cells = [ctx.fixed("Weighted total", ctx.styles.cell_bold),
             ctx.fixed(percent(total_weight), ctx.styles.cell_right)]
    for col, platform in enumerate(shown, start=2):
        style = ctx.styles.cell_bold if platform in leaders else ctx.styles.cell_center
        cells.append(ctx.fixed(F.number(totals.get(platform), 2), style))
        if platform in leaders:
            extra.append(fill_cell(col, total_row, S.tint(S.hex_colour("#009E73"), 0.6)))
    rows.append(cells)
    extra += [("LINEABOVE", (0, total_row), (-1, total_row), 0.8, S.INK)]
    head = [ctx.fixed("Criterion", ctx.styles.head), ctx.fixed("Weight", ctx.styles.head_right),
            *[ctx.raw(markup(p, limit=40), ctx.styles.head) for p in shown]]
    story.append(ctx.table(head, rows, [0.3, 0.1, *[0.6 / len(shown)] * len(shown)], extra=extra))
    if weights_off(total_weight):
        story.append(Paragraph(label(f"The weights add up to {total_weight:.2f}, not 1: the totals are not on the "
                                     "0–5 scale until the weights are adjusted."), ctx.styles.caption))
    if len(platforms) > len(shown):
        story.append(Paragraph(label(f"The {len(shown)} highest-scoring of {len(platforms)} platforms are shown."),
                               ctx.styles.caption))
    return story


def _tools(ctx: Context, number: str) -> list[Flowable]:
    tools = ctx.data.matrices.tools
    story: list[Flowable] = [heading(ctx, number, "Tool evaluation", "mx-tools", level=1)]
    if not tools:
        return story + [ctx.empty("No tools were evaluated.")]
    ordered = sorted(tools, key=lambda t: RING_ORDER.index(t.ring) if t.ring in RING_ORDER else len(RING_ORDER))
    rows, extra = [], []
    for index, tool in enumerate(ordered, start=1):
        fill = RING_FILL.get(tool.ring, S.FAINT)
        extra.append(fill_cell(1, index, fill))
        name = f"<b>{markup(tool.tool, limit=200)}</b>"
        if tool.category.strip():
            name += f"<br/><font color='#5A5F66'>{markup(tool.category, limit=200)}</font>"
        rows.append([ctx.raw(name), ctx.pill(F.code_label(tool.ring), fill),
                     ctx.cell(bulleted_lines(tool.pros), limit=2000), ctx.cell(bulleted_lines(tool.cons), limit=2000),
                     ctx.raw(_costs(tool)), ctx.cell(tool.rationale, limit=4000)])
    story.append(ctx.table(["Tool", "Ring", "Pros", "Cons", "Costs", "Rationale"], rows,
                           [0.16, 0.09, 0.18, 0.17, 0.24, 0.16], extra=extra))
    return story


def _costs(tool: ToolRow) -> str:
    """Licence, infrastructure and operations cost, each on its own line under its name (a dash when none is)."""
    lines = [f"<b>{label(name)}:</b> {markup(value, limit=300)}" for name, value in (
        ("Licence", tool.licence_cost), ("Infrastructure", tool.infrastructure_cost),
        ("Operations", tool.operations_cost)) if value.strip()]
    return "<br/>".join(lines) or label("—")


def _monitoring(ctx: Context, number: str) -> list[Flowable]:
    metrics = ctx.data.matrices.monitoring
    story: list[Flowable] = [heading(ctx, number, "Monitoring coverage", "mx-monitoring", level=1)]
    if not metrics:
        return story + [ctx.empty("No monitoring metrics were recorded.")]
    rows, extra = [], list[S.TableCommand]()
    for index, metric in enumerate(metrics, start=1):
        rows.append([ctx.cell(metric.metric, ctx.styles.cell_bold, limit=300), ctx.fixed(F.code_label(metric.category)),
                     ctx.cell(metric.threshold, limit=300), ctx.cell(metric.current, limit=300),
                     ctx.cell(metric.alerting, limit=300), _status_pill(ctx, metric.status, 5, index, extra)])
    story.append(ctx.table(["Metric", "Category", "Threshold", "Current", "Alerting", "Status"], rows,
                           [0.26, 0.1, 0.17, 0.19, 0.16, 0.12], extra=extra))
    return story
