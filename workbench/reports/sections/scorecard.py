"""Maturity scorecard: radar of current against target level, the scoring table, the quick health check."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from workbench.charts.radar import RadarData, build_radar, spoke_codes
from workbench.domain.wording import percent
from workbench.reports import formatting as F
from workbench.reports import styles as S
from workbench.reports.context import Context, fill_cell
from workbench.reports.sections import heading, intro
from workbench.reports.text import label


def build(ctx: Context, number: str) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    story: list[Flowable] = [heading(ctx, number, "Maturity scorecard", "sec-scorecard")]
    score = data.score
    per_level = score.points_per_level * score.out_of / 100
    story.append(intro(ctx, f"Each dimension is rated on five levels; its score is {F.number(per_level, 2)} "
                            f"{'points' if per_level != 1 else 'point'} per level, out of {score.out_of:g}, and the "
                            "overall score is the weighted mean of the assessed dimensions. The gap is the number of "
                            "levels still to climb to the target."))
    if not data.dimensions:
        story.append(ctx.empty("The framework of this engagement defines no dimensions, so there is nothing to "
                               "score."))
        return story
    radar = RadarData(labels=tuple(d.name for d in data.dimensions),
                      current=tuple(d.level for d in data.dimensions),
                      target=tuple(d.target for d in data.dimensions), max_level=data.max_level,
                      codes=spoke_codes([d.id for d in data.dimensions]))
    story.append(ctx.charts.image("radar", build_radar, radar, ctx.width * 0.76, ctx.width * 0.52))
    coded = (" Each spoke carries the code of its dimension in the table below; a greyed code is not assessed "
             "yet.") if radar.uses_codes else ""
    story.append(Paragraph(label("Figure: current maturity level per dimension (blue) against the target level "
                                 f"(orange, dashed).{coded}"), st.caption))

    rows, extra = [], []
    for index, dim in enumerate(data.dimensions, start=1):
        gap = "—" if dim.gap is None else ("On target" if dim.gap == 0 else F.plural(dim.gap, "level"))
        name = f"{radar.codes[index - 1]} · {dim.name}" if radar.uses_codes else dim.name
        rows.append([ctx.cell(name, st.cell_bold, limit=120),
                     ctx.fixed(percent(dim.weight), st.cell_right),
                     ctx.raw(label(F.level_text(dim.level, dim.level_name)), st.cell),
                     ctx.fixed(F.score_on(dim.score, score.out_of), st.cell_right),
                     ctx.raw(label(F.level_text(dim.target, dim.target_name) if dim.target else "—"), st.cell),
                     ctx.fixed(gap, st.cell_center)])
        if dim.gap:
            extra.append(fill_cell(5, index, S.tint(S.hex_colour("#D55E00"), 0.75 if dim.gap == 1 else 0.45)))
        elif dim.gap == 0:
            extra.append(fill_cell(5, index, S.tint(S.hex_colour("#009E73"), 0.75)))
    total = len(rows) + 1
    overall = "Not scored" if score.overall is None else F.score_on(score.overall, score.out_of)
    rows.append([ctx.fixed("Overall", st.cell_bold), ctx.fixed("100 %", st.cell_right),
                 ctx.fixed(score.band or "—", st.cell_bold), ctx.fixed(overall, st.cell_right),
                 ctx.fixed("", st.cell), ctx.fixed(score.verdict or "—", st.cell_center)])
    extra += [("LINEABOVE", (0, total), (-1, total), 0.8, S.INK), ("BACKGROUND", (0, total), (-1, total), S.PANEL)]
    story.append(ctx.table(["Dimension", "Weight", "Current level", "Score", "Target", "Gap"], rows,
                           [0.27, 0.08, 0.19, 0.07, 0.19, 0.15], extra=extra, right=(1, 3)))
    if score.provisional and score.overall is not None:
        story.append(Paragraph(label("The score is provisional: dimensions not yet assessed are left out and the "
                                     "remaining weights renormalised."), st.caption))
    story += health_check(ctx, number)
    return story


def health_check(ctx: Context, number: str) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    story: list[Flowable] = [heading(ctx, f"{number}.1", "Quick health check", "sec-health", level=1)]
    if not data.health:
        return story + [ctx.empty("The framework of this engagement has no health-check questions.")]
    answered = [h for h in data.health if h.answer != "unanswered"]
    if not answered:
        story.append(ctx.empty("None of the health-check questions has been answered yet."))
    rows, extra = [], []
    for index, row in enumerate(data.health, start=1):
        fill = S.ANSWER_FILL.get(row.answer, S.FAINT)
        rows.append([ctx.cell(row.question, limit=600), ctx.pill(F.code_label(row.answer, F.ANSWER_LABELS), fill),
                     ctx.cell(row.note, st.cell_muted, limit=1200)])
        extra.append(fill_cell(1, index, fill))
    story.append(ctx.table(["Question", "Answer", "Note"], rows, [0.42, 0.12, 0.46], extra=extra))
    return story
