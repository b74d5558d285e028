"""Definitions and glossary: what each severity and maturity level means, and the terms the report uses.

Severities and levels come from the engagement's framework file (its snapshot), the score bands from its
scoring rules, the glossary from resources/glossary.json.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from workbench.reports import formatting as F
from workbench.reports.context import Context, severity_cell
from workbench.reports.sections import heading, intro


def build(ctx: Context, number: str) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    story: list[Flowable] = [heading(ctx, number, "Definitions and glossary", "sec-definitions"),
                             heading(ctx, f"{number}.1", "Severity", "def-severity", level=1),
                             intro(ctx, "Each finding carries one severity; it sets how soon the finding must be "
                                        "fixed and whether it can block go-live.")]
    rows, extra = [], []
    for index, (name, meaning) in enumerate(data.definitions.severities, start=1):
        cell, command = severity_cell(ctx, name, 0, index)
        rows.append([cell, ctx.cell(meaning, limit=2000)])
        extra.append(command)
    story.append(ctx.table(["Severity", "Meaning"], rows, [0.15, 0.85], extra=extra, zebra=False))
    story.append(heading(ctx, f"{number}.2", "Maturity levels and score bands", "def-levels", level=1))
    story.append(intro(ctx, f"A dimension's score is {F.number(data.score.points_per_level)} points per level; the "
                            "overall score falls in one of the bands below, and the verdict follows the thresholds "
                            f"No-Go below {F.number(data.score.no_go_below)} and Go at "
                            f"{F.number(data.score.go_at_or_above)} or above."))
    rows = [[ctx.fixed(str(level), st.cell_bold), ctx.cell(name, st.cell_bold, limit=120),
             ctx.cell(description, limit=2000)] for level, name, description in data.definitions.levels]
    story.append(ctx.table(["Level", "Name", "What it looks like"], rows, [0.08, 0.17, 0.75]))
    bands = [[ctx.cell(name, st.cell_bold, limit=120), ctx.fixed(f"{F.number(low)} – {F.number(high)}")]
             for name, low, high in data.score.bands]
    story += [ctx.subhead("Score bands", room=50), ctx.table(["Band", "Score"], bands, [0.7, 0.3],
                                                             width=ctx.width * 0.5)]
    if data.definitions.glossary:
        story.append(heading(ctx, f"{number}.3", "Glossary", "def-glossary", level=1))
        rows = [[ctx.cell(term, st.cell_bold, limit=120), ctx.cell(meaning, limit=2000)]
                for term, meaning in data.definitions.glossary]
        story.append(ctx.table(["Term", "Meaning"], rows, [0.22, 0.78]))
    return story
