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
    story.append(intro(ctx, f"Compared with the earlier engagement “{info.previous_title}”.{_score_moved(ctx)} Of "
                            f"its {F.plural(info.previous_findings, 'finding')}, {info.carried_forward:,} open ones "
                            f"were carried forward into this audit; {info.resolved_since:,} of those are now resolved "
                            "or accepted."))
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


def _score_moved(ctx: Context) -> str:
    """' The overall score moved from 52.0 to 66.0 (+14.0).' or '' when either audit has no score."""
    info, out_of = ctx.data.progress, ctx.data.score.out_of
    if info is None or info.previous_score is None or info.current_score is None:
        return ""
    change = (info.current_score - info.previous_score) * out_of / 100
    return (f" The overall score moved from {F.score_on(info.previous_score, out_of)} to "
            f"{F.score_on(info.current_score, out_of)} ({change:+.{1 if out_of >= 10 else 2}f}).")


def summary_sentence(ctx: Context) -> str | None:
    """Progress since the earlier audit in one or two sentences for the executive summaries (None: no re-audit)."""
    info = ctx.data.progress
    if info is None:
        return None
    if not info.available:
        return (f"This is a re-audit of {info.previous_ref}, which is not in this workspace; "
                f"{info.resolved_since:,} of the {info.carried_forward:,} open findings carried forward from it are "
                "now resolved or accepted.")
    pairs = [(before, now) for before, now in zip(info.previous_levels, info.current_levels, strict=True)
             if before is not None and now is not None]
    better = sum(1 for before, now in pairs if now > before)
    worse = sum(1 for before, now in pairs if now < before)
    moved = f"{F.plural(better, 'dimension')} improved and {worse:,} fell back" if pairs else "no dimension compares"
    return (f"Since the previous audit {info.previous_ref}:{_score_moved(ctx)} {moved[:1].upper()}{moved[1:]}; "
            f"{info.resolved_since:,} of the {info.carried_forward:,} open findings carried forward are now resolved "
            "or accepted.")
