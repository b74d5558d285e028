"""One sub-section per dimension: level and justification, checklist results with notes, its findings."""

from __future__ import annotations

from collections import Counter

from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Paragraph, Spacer

from workbench.domain.wording import percent
from workbench.reports import formatting as F
from workbench.reports import styles as S
from workbench.reports.context import Context, fill_cell, severity_cell
from workbench.reports.data import DimensionInfo, FindingRow
from workbench.reports.sections import heading, intro
from workbench.reports.sections.common import severity_rank
from workbench.reports.text import label, markup


def build(ctx: Context, number: str) -> list[Flowable]:
    data = ctx.data
    story: list[Flowable] = [heading(ctx, number, "Assessment by dimension", "sec-dimensions")]
    if not data.dimensions:
        return story + [ctx.empty("The framework of this engagement defines no dimensions.")]
    story.append(intro(ctx, "For every dimension of the framework: the maturity level the audit team assigned and "
                            "why, the answer to each checklist item with the auditor's note, and the findings "
                            "raised in that dimension. Findings not tied to a dimension appear in the findings "
                            "register only."))
    by_dimension: dict[str, list[FindingRow]] = {}
    for finding in data.findings:
        by_dimension.setdefault(finding.dimension_id, []).append(finding)
    for index, dimension in enumerate(data.dimensions, start=1):
        ctx.check()
        if index > 1:
            story.append(PageBreak())
        else:
            story.append(CondPageBreak(120))
        story += _dimension(ctx, f"{number}.{index}", dimension, by_dimension.get(dimension.id, []))
    return story


def _dimension(ctx: Context, number: str, dim: DimensionInfo, findings: list[FindingRow]) -> list[Flowable]:
    st = ctx.styles
    story: list[Flowable] = [heading(ctx, number, dim.name, f"dim-{number}", level=1, user_text=True)]
    if dim.description.strip():
        story.append(ctx.para(dim.description, st.body_muted, limit=2000))
    gap = "—" if dim.gap is None else ("on target" if dim.gap == 0 else f"{dim.gap} below target")
    facts = (f"<b>{label('Level')}</b> {label(F.level_text(dim.level, dim.level_name))}  ·  "
             f"<b>{label('Target')}</b> {label(F.level_text(dim.target, dim.target_name) if dim.target else '—')}  ·  "
             f"<b>{label('Score')}</b> {label(F.score_on(dim.score, ctx.data.score.out_of))}  ·  "
             f"<b>{label('Weight')}</b> {label(percent(dim.weight))}  ·  <b>{label('Gap')}</b> {label(gap)}")
    story.append(ctx.key_values([("Rating", ctx.raw(facts, st.cell)),
                                 ("Level descriptor", ctx.cell(dim.level_descriptor if dim.level else
                                                               "This dimension has not been assessed yet.",
                                                               limit=1500)),
                                 ("Justification", ctx.cell(dim.justification or
                                                            "No justification has been recorded.", limit=20_000))],
                                (0.2, 0.8)))
    story.append(Spacer(1, 6))
    story.append(ctx.subhead("Checklist"))
    if not dim.checklist:
        story.append(ctx.empty("The framework defines no checklist items for this dimension."))
    else:
        counts = Counter(item.label or F.code_label(item.answer, F.ANSWER_LABELS) for item in dim.checklist)
        summary = ", ".join(f"{count} {name.lower()}" for name, count in counts.items())
        attained = ("" if dim.attainment is None else
                    f" Checklist attainment {dim.attainment * 100:.0f} % (each answer counted as its scale declares).")
        story.append(Paragraph(label(f"{F.plural(len(dim.checklist), 'item')}: {summary}.{attained}"), st.caption))
        rows, extra = [], []
        for row, item in enumerate(dim.checklist, start=1):
            fill = S.answer_fill(item.answer, item.score)
            shown = item.label or F.code_label(item.answer, F.ANSWER_LABELS)
            rows.append([ctx.cell(item.item_id, st.cell_muted), ctx.cell(item.text, limit=1000),
                         ctx.pill(shown, fill), ctx.cell(item.note, st.cell_muted, limit=20_000)])
            extra.append(fill_cell(2, row, fill))
        story.append(ctx.table(["Item", "Checklist item", "Answer", "Auditor's note"], rows,
                               [0.09, 0.42, 0.12, 0.37], extra=extra))
    story.append(ctx.subhead("Findings"))
    if not findings:
        story.append(ctx.empty("No finding was raised in this dimension."))
        return story
    rows, extra = [], []
    ordered = sorted(findings, key=lambda f: (severity_rank(f.severity), f.ref))
    for row, finding in enumerate(ordered, start=1):
        sev, command = severity_cell(ctx, finding.severity, 2, row)
        extra.append(command)
        rows.append([ctx.cell(finding.ref, st.cell_bold),
                     ctx.raw(f"{markup(finding.title, limit=400)}", st.cell), sev,
                     ctx.fixed(F.code_label(finding.status, F.STATUS_LABELS)),
                     ctx.cell(finding.owner, limit=80)])
    story.append(ctx.table(["Ref", "Finding", "Severity", "Status", "Owner"], rows, [0.08, 0.48, 0.11, 0.15, 0.18],
                           extra=extra))
    story.append(Paragraph(label("Details of each finding are in the findings register."), st.caption))
    return story
