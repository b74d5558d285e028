"""Findings register: counts by severity and dimension, then every finding in full (a long, splitting table)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from reportlab.platypus import Flowable, Paragraph

from workbench.charts.findings import FindingsData, build_findings_by_dimension, build_findings_by_severity
from workbench.reports import formatting as F
from workbench.reports import styles as S
from workbench.reports.context import Context, severity_cell
from workbench.reports.data import FindingRow
from workbench.reports.sections import heading, intro
from workbench.reports.sections.common import severity_rank
from workbench.reports.text import label, markup


def build(ctx: Context, number: str) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    story: list[Flowable] = [heading(ctx, number, "Findings register", "sec-findings")]
    if not data.findings:
        return story + [ctx.empty("No findings have been recorded for this engagement, so the register is empty.")]
    open_count = sum(1 for f in data.findings if f.is_open)
    story.append(intro(ctx, f"{F.plural(len(data.findings), 'finding')}, {open_count:,} of them open, ordered by "
                            "severity. Each entry gives what was found, its impact, the recommendation, the owner, "
                            "the due date and the estimated effort."))
    names = {d.id: d.name for d in data.dimensions}
    by_dimension: dict[str, dict[str, int]] = {}
    for dim in data.dimensions:
        counts = Counter(f.severity for f in data.findings if f.dimension_id == dim.id)
        if counts:
            by_dimension[dim.name] = dict(counts)
    general = Counter(f.severity for f in data.findings if f.dimension_id not in names)
    if general:
        by_dimension["Not tied to a dimension"] = dict(general)
    chart_data = FindingsData(by_severity=dict(Counter(f.severity for f in data.findings)), by_dimension=by_dimension)
    # the dimension chart takes the full width (long axis labels, a five-entry legend above it); the
    # severity chart shares a row with the count of findings per status
    left = ctx.width * 0.46
    severity_chart = ctx.charts.image("findings-severity", build_findings_by_severity, chart_data, left, 118)
    story.append(ctx.side_by_side([severity_chart, _status_table(ctx)], [0.5, 0.5], valign="MIDDLE"))
    story.append(Paragraph(label("Figure: all findings by severity."), st.caption))
    height = min(ctx.width * 0.6, max(120.0, 58 + 17.0 * len(by_dimension)))
    story.append(ctx.charts.image("findings-dimension", build_findings_by_dimension, chart_data, ctx.width, height))
    story.append(Paragraph(label("Figure: all findings by dimension, stacked by severity."), st.caption))
    story += _by_control(ctx)
    story.append(register_table(ctx, sorted(data.findings, key=lambda f: (severity_rank(f.severity), f.ref))))
    return story


def _by_control(ctx: Context) -> list[Flowable]:
    """The findings raised against a checklist item, grouped by that control (nothing when none names one)."""
    groups: dict[str, list[FindingRow]] = {}
    for finding in ctx.data.findings:
        if finding.item_id:
            groups.setdefault(finding.item_id, []).append(finding)
    if not groups:
        return []
    st = ctx.styles
    rows = []
    for item_id in sorted(groups, key=_control_order(ctx)):
        findings = sorted(groups[item_id], key=lambda f: (severity_rank(f.severity), f.ref))
        refs = ", ".join(f"{f.ref} ({f.severity})" for f in findings)
        rows.append([ctx.cell(item_id, st.cell_bold), ctx.cell(findings[0].item_text, limit=400), ctx.cell(refs)])
    without = sum(1 for f in ctx.data.findings if not f.item_id)
    rest = f" {F.plural(without, 'finding')} name no control." if without else ""
    return [Paragraph(label(f"Findings by control: {F.plural(len(groups), 'checklist item')} with findings "
                            f"raised against them.{rest}"), st.body),
            ctx.table(["Control", "Checklist item", "Findings"], rows, [0.12, 0.58, 0.3])]


def _control_order(ctx: Context) -> Callable[[str], tuple[int, str]]:
    """Controls in the framework's order (dimension by dimension), any unknown id last."""
    ids = [item.item_id for dimension in ctx.data.dimensions for item in dimension.checklist]
    order = {item_id: n for n, item_id in enumerate(ids)}
    return lambda item_id: (order.get(item_id, len(order)), item_id)


def _status_table(ctx: Context) -> Flowable:
    """How many findings are in each status, open ones first."""
    counts = Counter(f.status for f in ctx.data.findings)
    order = [s for s in F.FINDING_STATUS_ORDER if counts.get(s)] + sorted(
        s for s in counts if s not in F.FINDING_STATUS_ORDER)
    rows = [[ctx.fixed(F.code_label(status, F.STATUS_LABELS)), ctx.fixed(f"{counts[status]:,}",
                                                                          ctx.styles.cell_right)]
            for status in order]
    rows.append([ctx.fixed("Total", ctx.styles.cell_bold), ctx.fixed(f"{len(ctx.data.findings):,}",
                                                                     ctx.styles.cell_right)])
    last = len(rows)
    return ctx.table(["Status", "Findings"], rows, [0.7, 0.3], right=(1,), zebra=False, width=ctx.width * 0.42,
                     extra=[
        ("LINEABOVE", (0, last), (-1, last), 0.8, S.INK), ("BACKGROUND", (0, last), (-1, last), S.PANEL)])


def _finding_text(finding: FindingRow, dimension: str) -> str:
    parts = [f"<b>{markup(finding.title, limit=600)}</b>"]
    if dimension:
        control = f" · control {finding.item_id}" if finding.item_id else ""
        parts.append(f"<font color='#5A5F66'>{markup(dimension + control, limit=160)}"
                     f"{label(' · carried forward') if finding.carried_forward else ''}</font>")
    for name, value in (("Finding", finding.description), ("Impact", finding.impact),
                        ("Recommendation", finding.recommendation)):
        if value.strip():
            parts.append(f"<b>{label(name)}:</b> {markup(value)}")
    if not finding.recommendation.strip():
        parts.append(f"<i>{label('No recommendation recorded yet.')}</i>")
    if finding.affected_assets:
        parts.append(f"<b>{label('Affected:')}</b> {markup('; '.join(finding.affected_assets), limit=600)}")
    if finding.evidence:
        parts.append(f"<b>{label('Evidence:')}</b> {markup('; '.join(finding.evidence), limit=600)}")
    return "<br/>".join(parts)


def register_table(ctx: Context, findings: list[FindingRow]) -> Flowable:
    st = ctx.styles
    names = {d.id: d.name for d in ctx.data.dimensions}
    rows, extra = [], []
    for row, finding in enumerate(findings, start=1):
        if row % 200 == 0:
            ctx.check()
        sev, command = severity_cell(ctx, finding.severity, 2, row)
        extra.append(command)
        levels = ""
        if finding.current_level or finding.recommended_level:
            levels = f"<br/>{label('Level')} {finding.current_level or '—'} → {finding.recommended_level or '—'}"
        status = (f"{label(F.code_label(finding.status, F.STATUS_LABELS))}<br/>"
                  f"<font color='#5A5F66'>{markup(finding.owner, limit=80, empty='No owner')}</font><br/>"
                  f"{label('Due ' + F.date_text(finding.due_date))}")
        effort = (f"{label(F.hours(finding.effort_hours))}<br/>"
                  f"{label(F.money(finding.cost, finding.currency))}{levels}")
        rows.append([ctx.cell(finding.ref, st.cell_bold),
                     ctx.raw(_finding_text(finding, names.get(finding.dimension_id, "")), st.cell), sev,
                     ctx.raw(status, st.cell), ctx.raw(effort, st.cell_right)])
    return ctx.table(["Ref", "Finding, impact and recommendation", "Severity", "Status, owner, due",
                      "Effort, cost"], rows, [0.08, 0.56, 0.11, 0.14, 0.11], extra=extra, right=(4,))
