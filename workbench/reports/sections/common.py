"""Pieces both deliverables use: the score block, severity counts, top findings and risks, effort table."""

from __future__ import annotations

from collections import Counter

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from workbench.charts.gauge import GaugeData, build_gauge
from workbench.charts.palette import SEVERITY_ORDER
from workbench.reports import formatting as F
from workbench.reports import styles as S
from workbench.reports.context import Context, fill_cell, severity_cell
from workbench.reports.data import FindingRow, ReportData, RiskRow
from workbench.reports.text import label


def severity_rank(severity: str) -> int:
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)


def open_findings(data: ReportData) -> list[FindingRow]:
    """Open findings, most severe first, then by due date and ref."""
    return sorted((f for f in data.findings if f.is_open),
                  key=lambda f: (severity_rank(f.severity), f.due_date or "9999", f.ref))


def severity_counts(findings: list[FindingRow]) -> Counter[str]:
    return Counter(f.severity for f in findings)


def top_risks(data: ReportData, limit: int) -> list[RiskRow]:
    live = [r for r in data.risks if r.status != "closed"]
    return sorted(live, key=lambda r: (-r.score, -r.impact, r.ref))[:limit]


def verdict_fill(verdict: str | None) -> Color:
    return S.VERDICT_FILL.get(verdict or "", S.FAINT)


def score_block(ctx: Context, *, gauge_width: float = 78 * mm) -> Flowable:
    """Gauge on the left (the dial only); score /100, band, verdict and its reasons on the right, once."""
    data, st = ctx.data, ctx.styles
    score = data.score
    gauge = ctx.charts.image("gauge", build_gauge, GaugeData(
        score=score.overall, band=score.band, verdict=score.verdict, bands=score.bands,
        no_go_below=score.no_go_below, go_at_or_above=score.go_at_or_above, readout=False), gauge_width,
        gauge_width * 0.68)
    right: list[Flowable] = []
    if score.overall is None:
        right.append(Paragraph(label("Not scored"), st.big_number))
        right.append(Paragraph(label("No dimension has been assessed yet, so there is no overall score or "
                                     "verdict."), st.body_muted))
    else:
        right.append(Paragraph(f"{label(F.score_on(score.overall, score.out_of))}"
                               f"<font size=12 color='#5A5F66'>&nbsp;/ {score.out_of:g}</font>",
                               st.big_number))
        right.append(Paragraph(label(f"Maturity band: {score.band or '—'}")
                               + (f"  ·  <b>{label('PROVISIONAL')}</b>" if score.provisional else ""), st.body))
        verdict = ctx.badge(score.verdict or "No verdict", verdict_fill(score.verdict), 42 * mm)
        right += [verdict, Spacer(1, 4)]
        for reason in score.reasons:
            right.append(Paragraph(label(_sentence(reason)), st.bullet, bulletText="•"))
    right += provisional_lines(ctx)
    block = ctx.side_by_side([gauge, right], [gauge_width + 4 * mm, ctx.width - gauge_width - 4 * mm],
                             valign="MIDDLE")
    return block


def provisional_lines(ctx: Context) -> list[Flowable]:
    """Why the score is provisional (when it is) and how much of the framework the opinion covers."""
    data, st = ctx.data, ctx.styles
    lines: list[Flowable] = []
    if data.score.provisional and data.score.provisional_reasons:
        lines.append(Paragraph(f"<b>{label('Provisional:')}</b> "
                               + label(_sentence("; ".join(data.score.provisional_reasons))), st.body_muted))
    if data.coverage:
        lines.append(Paragraph(f"<b>{label('Coverage:')}</b> {label(data.coverage)}.", st.body_muted))
    return lines


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")) if text else text


def severity_strip(ctx: Context, findings: list[FindingRow]) -> Flowable:
    """One row of coloured boxes: the count of open findings per severity."""
    counts = severity_counts(findings)
    cells, commands = [], []
    for col, severity in enumerate(SEVERITY_ORDER):
        style = ParagraphStyle(f"strip-{severity}", parent=ctx.styles.pill(S.severity_fill(severity),
                                                                           S.severity_ink(severity)),
                               autoLeading="max")
        cells.append(Paragraph(f"<font size=15><b>{counts.get(severity, 0)}</b></font><br/>{label(severity)}",
                               style))
        commands.append(fill_cell(col, 0, S.severity_fill(severity)))
    table = Table([cells], colWidths=[ctx.width / 5] * 5, style=S.layout_style(
        *commands, ("LINEAFTER", (0, 0), (-2, 0), 2, S.WHITE), ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")))
    return table


def effort_table(ctx: Context) -> list[Flowable]:
    """Remediation effort and cost of the open findings per severity (services/cost_rollup.py)."""
    data = ctx.data
    lines = [line for line in data.effort_open if line.findings or line.label == "Total"]
    if not lines or lines[-1].findings == 0:
        return [ctx.empty("No open findings, so no remediation effort is outstanding.")]
    rows, extra = [], []
    for index, line in enumerate(lines, start=1):
        if line.label == "Total":
            first = ctx.fixed("Total", ctx.styles.cell_bold)
            extra += [("LINEABOVE", (0, index), (-1, index), 0.8, S.INK), ("BACKGROUND", (0, index), (-1, index),
                                                                           S.PANEL)]
        else:
            first, command = severity_cell(ctx, line.label, 0, index)
            extra.append(command)
        rows.append([first, ctx.fixed(f"{line.findings:,}", ctx.styles.cell_right),
                     ctx.fixed(F.hours(line.hours), ctx.styles.cell_right),
                     ctx.fixed(F.number(line.days, 2), ctx.styles.cell_right),
                     ctx.fixed(F.money(line.cost, data.effort_currency), ctx.styles.cell_right),
                     ctx.fixed(f"{line.unestimated:,}" if line.unestimated else "—", ctx.styles.cell_right)])
    table = ctx.table(["Severity", "Open findings", "Effort", "Days", "Cost", "Not estimated"], rows,
                      [0.2, 0.16, 0.16, 0.12, 0.2, 0.16], extra=extra, zebra=False, right=(1, 2, 3, 4, 5))
    note = Paragraph(label(f"Effort is the sum of the findings' estimates. Each finding costs its hours ÷ 8 × a "
                           f"day rate of {F.money(data.day_rate, data.effort_currency)}, rounded to a whole "
                           f"{data.effort_currency}, as the findings register lists it; each cost here adds those "
                           "figures. Findings without an estimate add no hours and are counted in the last "
                           "column."), ctx.styles.caption)
    return [table, note]


def budget_sentence(ctx: Context) -> str:
    totals = ctx.data.budget_totals
    if not totals:
        return "No budget lines have been recorded."
    parts = [f"{F.money(t.total, t.currency)} over {F.plural(t.items, 'budget line')}"
             + (f" ({t.unpriced} without an amount)" if t.unpriced else "") for t in totals]
    return "Budget recorded: " + "; ".join(parts) + "."
