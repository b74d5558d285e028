"""Roadmap: the timeline chart and the activities by phase with dates, success metrics and linked findings."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from workbench.charts.timeline import TimelineData, build_timeline, timeline_height
from workbench.reports import formatting as F
from workbench.reports.context import Context
from workbench.reports.sections import heading, intro
from workbench.reports.text import label, markup


def build(ctx: Context, number: str) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    story: list[Flowable] = [heading(ctx, number, "Remediation roadmap", "sec-roadmap")]
    if not data.roadmap:
        return story + [ctx.empty("No roadmap activities have been planned for this engagement yet, so there is no "
                                  "timeline to show.")]
    phases = list(dict.fromkeys(r.phase for r in data.roadmap))
    story.append(intro(ctx, f"{F.plural(len(data.roadmap), 'activity', 'activities')} in "
                            f"{F.plural(len(phases), 'phase')}. Effort is the estimate of the findings each "
                            "activity addresses."))
    timeline = TimelineData(items=tuple((r.phase, r.activity, r.start_date, r.end_date) for r in data.roadmap))
    height = timeline_height(timeline, ctx.width, smallest=ctx.width * 0.3, largest=ctx.width * 1.1)
    story.append(ctx.charts.image("timeline", build_timeline, timeline, ctx.width, height))
    story.append(Paragraph(label("Figure: roadmap activities by phase over time."), st.caption))
    rows = []
    for row_number, item in enumerate(data.roadmap, start=1):
        activity = markup(item.activity, limit=6000)
        if item.success_metric.strip():
            activity += f"<br/><b>{label('Success:')}</b> {markup(item.success_metric, limit=4000)}"
        refs = ", ".join(item.finding_refs)
        rows.append([ctx.fixed(str(row_number), st.cell_muted), ctx.cell(item.phase, st.cell_bold, limit=200),
                     ctx.raw(activity, st.cell),
                     ctx.fixed(F.period_text(item.start_date, item.end_date) if (item.start_date or item.end_date)
                               else "Not scheduled"),
                     ctx.cell(refs), ctx.fixed(F.hours(item.effort_hours) if item.effort_hours else "—",
                                               st.cell_right)])
    story.append(ctx.table(["#", "Phase", "Activities and success metric", "Dates", "Findings", "Effort"], rows,
                           [0.04, 0.16, 0.44, 0.13, 0.13, 0.1], right=(5,)))
    if data.roadmap_note:
        story.append(Paragraph(label(data.roadmap_note), st.caption))
    return story
