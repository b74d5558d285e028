"""Appendix of the full report: the framework source's guidance (seed 000) for this engagement's way up.

Only what applies to this engagement: where each dimension stands and the next phase it faces, the level-to-level
steps some dimension still has to take (with their actions and success criteria, and which dimensions take them),
the stacks recommended between the levels assessed and the levels aimed at, and the tool-selection criteria.
A partner hands the client advice for its own position; the steps already behind it would only bury that.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from workbench.domain.guidance import Guidance, Position
from workbench.domain.wording import percent
from workbench.reports.context import Context
from workbench.reports.flow import Bundle
from workbench.reports.sections import heading, intro
from workbench.reports.text import label, markup

TITLE = "Appendix: guidance for the next levels"


def positions(ctx: Context) -> list[Position]:
    return [Position(f"{d.id} · {d.name}", d.level, d.target) for d in ctx.data.dimensions]


def build(ctx: Context, number: str) -> list[Flowable]:
    guidance = ctx.data.guidance
    story: list[Flowable] = [heading(ctx, number, TITLE, "sec-guidance")]
    if guidance is None:
        return story
    where = positions(ctx)
    story.append(intro(ctx, "What the framework's source recommends for moving this organisation up from the levels "
                            "assessed to the levels aimed at (a dimension without a target aims one level up). This "
                            "is general advice to weigh, not part of the audit's findings: the findings and the "
                            "roadmap are what this audit asks for."))
    story.append(heading(ctx, f"{number}.1", "Where each dimension stands", "gd-positions", level=1))
    story.append(_positions_table(ctx, guidance, where))
    part = 2
    ahead = guidance.steps_ahead(where)
    if ahead:
        story.append(heading(ctx, f"{number}.{part}", "The steps ahead", "gd-steps", level=1))
        for step, names in ahead:
            story += _step(ctx, step.start, step.end, step.phase, step.goal, step.actions, step.success, names)
        part += 1
    story.append(heading(ctx, f"{number}.{part}", "Recommended stack", "gd-stacks", level=1))
    rows = [[ctx.fixed(f"{s.start}–{s.end}", ctx.styles.cell_bold), ctx.cell(s.stack, limit=400),
             ctx.raw(markup(s.why, limit=600), ctx.styles.cell_muted)] for s in guidance.stacks_ahead(where)]
    story.append(ctx.table(["Levels", "Stack", "Why"], rows, [0.1, 0.42, 0.48]))
    story.append(heading(ctx, f"{number}.{part + 1}", "Choosing tools", "gd-criteria", level=1))
    story.append(intro(ctx, "Weigh each candidate tool or platform on these criteria; the weights add up to 100 %."))
    rows = [[ctx.cell(c.name, ctx.styles.cell_bold, limit=120), ctx.fixed(percent(c.weight), ctx.styles.cell_right),
             ctx.cell(", ".join(c.considerations), limit=600)] for c in guidance.criteria]
    story.append(ctx.table(["Criterion", "Weight", "What to consider"], rows, [0.25, 0.12, 0.63], right=(1,)))
    return story


def _positions_table(ctx: Context, guidance: Guidance, where: list[Position]) -> Flowable:
    rows = []
    for position in where:
        step = guidance.step_from(position.level)
        if position.level is not None and position.level >= position.aim:
            next_phase = "At its target: keep the practices measured and reviewed"
        elif step is None:
            next_phase = "At the top of the scale"
        else:
            next_phase = f"{step.phase}, towards level {step.end}"
        rows.append([ctx.cell(position.name, limit=160),
                     ctx.fixed("not assessed" if position.level is None else str(position.level)),
                     ctx.fixed("—" if position.target is None else str(position.target)),
                     ctx.cell(next_phase, limit=200)])
    return ctx.table(["Dimension", "Level", "Target", "Next phase"], rows, [0.4, 0.12, 0.1, 0.38])


def _step(ctx: Context, start: int, end: int, phase: str, goal: str, actions: tuple[str, ...],
          success: tuple[str, ...], names: tuple[str, ...]) -> list[Flowable]:
    st = ctx.styles
    bullets = [ctx.raw("<br/>".join(f"•&nbsp;{markup(line, limit=300)}" for line in lines), st.cell)
               for lines in (actions, success)]
    return [Bundle([ctx.subhead(f"Level {start} → {end}: {phase}", room=90),  # a step starts on one page whole
                    Paragraph(markup(goal, limit=400), st.body),
                    Paragraph(label("Dimensions taking this step: ") + markup("; ".join(names), limit=2000),
                              st.body_muted),
                    ctx.table(["Actions", "Success criteria"], [bullets], [0.5, 0.5], zebra=False)])]
