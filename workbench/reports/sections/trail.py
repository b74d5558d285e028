"""Audit-trail summary: how many events, when, by whom, the chain head hash and whether the chain verifies."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from workbench.reports import formatting as F
from workbench.reports import styles as S
from workbench.reports.context import Context
from workbench.reports.sections import heading, intro
from workbench.reports.text import label, markup


def build(ctx: Context, number: str) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    trail = data.trail
    story: list[Flowable] = [heading(ctx, number, "Audit trail", "sec-trail")]
    story.append(intro(ctx, "Every change to this engagement was recorded as an event in an append-only log. Each "
                            "event's hash covers the previous hash and the event itself, so altering, inserting or "
                            "removing any event breaks the chain. The head hash below fixes the state this report "
                            "was produced from."))
    if trail.events == 0:
        return story + [ctx.empty("The audit trail of this engagement holds no events.")]
    fill = S.ANSWER_FILL["yes"] if trail.ok else S.ANSWER_FILL["no"]
    verdict = ctx.badge("Chain verified — intact" if trail.ok else "Chain BROKEN", fill, 60 * mm)
    pairs: list[tuple[str, Flowable]] = [
        ("Verification", verdict),
        ("Events", ctx.fixed(f"{trail.events:,}")),
        ("First event", ctx.fixed(F.datetime_text(trail.first_at))),
        ("Last event", ctx.fixed(F.datetime_text(trail.last_at))),
        ("Recorded by", ctx.cell(", ".join(trail.actors), limit=600)),
        ("Chain head hash", ctx.raw(label(trail.head_hash), st.cell_mono)),
    ]
    if not trail.ok:
        pairs.insert(1, ("Problem", ctx.cell(trail.problem)))
    story.append(ctx.key_values(pairs, (0.22, 0.78)))
    if trail.actions:
        story.append(ctx.subhead("Events by action"))
        rows = [[ctx.raw(markup(action, limit=60), st.cell), ctx.fixed(f"{count:,}", st.cell_right)]
                for action, count in trail.actions]
        story.append(ctx.table(["Action", "Events"], rows, [0.8, 0.2], right=(1,)))
    return story
