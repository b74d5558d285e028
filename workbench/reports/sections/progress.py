"""Re-audit: how each dimension moved since the earlier engagement, with the progress chart."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from workbench.charts.progress import ProgressData, build_progress, delta_text
from workbench.reports import formatting as F
from workbench.reports.context import Context
from workbench.reports.sections import heading, intro
from workbench.reports.text import label


def build(ctx: Context, number: str) -> list[Flowable]:
    info = ctx.data.progress
    assert info is not None
    st = ctx.styles
    story: list[Flowable] = [heading(ctx, number, f"Progress since {info.previous_ref}", "sec-progress",
                                     user_text=True)]
    if not info.available:
        return story + [ctx.empty(f"This engagement is a re-audit of {info.previous_ref}, but that engagement is "
                                  "not in this workspace, so its levels cannot be compared. Import its package to "
                                  "show the progress.")]
    scores = ""
    if info.previous_score is not None and info.current_score is not None:
        out_of = ctx.data.score.out_of
        change = (info.current_score - info.previous_score) * out_of / 100
        scores = (f" The overall score moved from {F.score_on(info.previous_score, out_of)} to "
                  f"{F.score_on(info.current_score, out_of)} ({change:+.{1 if out_of >= 10 else 2}f}).")
    story.append(intro(ctx, f"Compared with the earlier engagement “{info.previous_title}”.{scores} Of its "
                            f"{F.plural(info.previous_findings, 'finding')}, {info.carried_forward:,} open ones were "
                            f"carried forward into this audit; {info.resolved_since:,} of those are now resolved or "
                            "accepted."))
    chart = ProgressData(dimensions=info.dimensions, previous=info.previous_levels, current=info.current_levels)
    height = min(ctx.width * 0.7, 60 + 22.0 * len(info.dimensions))
    story.append(ctx.charts.image("progress", build_progress, chart, ctx.width * 0.9, height))
    story.append(Paragraph(label("Figure: maturity level per dimension in the earlier engagement (ring) and now "
                                 "(dot)."), st.caption))
    rows = []
    for name, before, now in zip(info.dimensions, info.previous_levels, info.current_levels, strict=True):
        rows.append([ctx.cell(name, limit=120), ctx.fixed(F.level_text(before), st.cell_center),
                     ctx.fixed(F.level_text(now), st.cell_center), ctx.fixed(delta_text(before, now), st.cell_center)])
    story.append(ctx.table(["Dimension", "Earlier", "Now", "Change"], rows, [0.46, 0.18, 0.18, 0.18]))
    return story
