"""Go-live readiness, in the shape of seed 003: what works well, test results, the production-readiness
matrix, the Must / Should / Nice pre-production checklist, deployment restrictions, what to prepare before
going live, success criteria by horizon and the questions for the client's architecture review.

`blocks(ctx, compact=...)` builds each part once for both deliverables: the full report's section numbers
its sub-headings, the executive summary (compact) shows the same parts under small headings. Lists that
fall into groups (outcomes, priorities, areas, horizons) stand side by side, one column per group.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.platypus import Flowable, Paragraph

from workbench.reports import formatting as F
from workbench.reports import styles as S
from workbench.reports.context import Context, fill_cell
from workbench.reports.flow import keep_tail
from workbench.reports.sections import heading
from workbench.reports.text import label, markup

OUTCOMES = (("passed", "Tested and working"), ("caution", "Tested with cautions"), ("not_tested", "Not tested"))
PRIORITIES = (("must", "Must complete"), ("should", "Should complete before full rollout"),
              ("nice", "Nice to have (after go-live)"))
AREAS = (("documentation", "Documentation"), ("training", "Training"), ("communication", "Communication"))
HORIZONS = (("day1", "Day 1"), ("week1", "Week 1"), ("month1", "Month 1"))
STATUS_FILL = {"good": S.STATUS_FILL["met"], "fair": S.STATUS_FILL["partial"], "partial": S.STATUS_FILL["partial"],
               "limited": S.STATUS_FILL["partial"], "poor": S.STATUS_FILL["gap"]}
RISK_FILL = {"low": S.STATUS_FILL["met"], "medium": S.STATUS_FILL["partial"], "high": S.STATUS_FILL["gap"]}
OPEN_BOX, DONE_BOX = "☐", "☑"

Block = tuple[str, str, Callable[[Context], list[Flowable]]]  # (key, title, builder)


def build(ctx: Context, number: str) -> list[Flowable]:
    """The full report's section."""
    story: list[Flowable] = [heading(ctx, number, "Go-live readiness", "sec-readiness")]
    if ctx.data.readiness.empty:
        return story + [ctx.empty("No go-live readiness has been recorded for this engagement: no strengths, test "
                                  "results, readiness matrix, checklist, restrictions, success criteria or open "
                                  "questions.")]
    story.append(Paragraph(label("What the audit found ready, what was tested, and what must happen before and after "
                                 "go-live."), ctx.styles.body_muted))
    for index, (key, title, builder) in enumerate(_present(ctx), start=1):
        story.append(heading(ctx, f"{number}.{index}", title, f"rd-{key}", level=1))
        story += builder(ctx)
    return story


def compact(ctx: Context, keys: Sequence[str]) -> list[Flowable]:
    """The executive summary's version of the parts named, each under a small heading, when recorded."""
    story: list[Flowable] = []
    for key, title, builder in _present(ctx):
        if key in keys:
            story += [ctx.subhead(title, room=50), *builder(ctx)]
    return story


def _present(ctx: Context) -> list[Block]:
    r = ctx.data.readiness
    blocks: list[tuple[object, Block]] = [
        (r.strengths, ("strengths", "What is working well", _strengths)),
        (r.tests, ("tests", "Test results", _tests)),
        (r.areas, ("matrix", "Production-readiness matrix", _matrix)),
        (r.checklist, ("checklist", "Pre-production checklist", _checklist)),
        (r.restrictions, ("restrictions", "Deployment restrictions", _restrictions)),
        (r.golive, ("golive", "Before going live", _golive)),
        (r.success, ("success", "Success criteria", _success)),
        (r.questions, ("questions", "Questions for the architecture review", _questions)),
    ]
    return [block for rows, block in blocks if rows]


def _columns(ctx: Context, groups: Sequence[tuple[str, list[str]]]) -> Flowable:
    """Side-by-side lists: a bold title over each column, one line per entry (markup already made)."""
    shown = [(title, lines) for title, lines in groups if lines]
    header = [f"{title} ({len(lines)})" for title, lines in shown]
    body = [[ctx.raw("<br/>".join(lines), ctx.styles.cell) for _title, lines in shown]]
    return ctx.table(header, body, [1.0] * len(shown), zebra=False)  # the titles repeat on a split


def _bullet(text: str, note: str = "", *, box: str = "•") -> str:
    line = f"{label(box)}&nbsp;{text}"
    return line + (f" <font color='#5A5F66'>— {markup(note, limit=400)}</font>" if note.strip() else "")


def _strengths(ctx: Context) -> list[Flowable]:
    items = [_bullet(f"<b>{markup(s.area, limit=200)}</b>", s.note) for s in ctx.data.readiness.strengths]
    half = (len(items) + 1) // 2
    return [ctx.side_by_side([ctx.raw("<br/>".join(items[:half]), ctx.styles.body),
                              ctx.raw("<br/>".join(items[half:]), ctx.styles.body)], [0.5, 0.5])]


def _tests(ctx: Context) -> list[Flowable]:
    tests = ctx.data.readiness.tests
    groups = [(title, [_bullet(markup(t.test, limit=300), t.note) for t in tests if t.outcome == key])
              for key, title in OUTCOMES]
    return [_columns(ctx, groups)]


def _matrix(ctx: Context) -> list[Flowable]:
    st = ctx.styles
    rows, extra = [], []
    for index, area in enumerate(ctx.data.readiness.areas, start=1):
        status_fill, risk_fill = STATUS_FILL.get(area.status, S.FAINT), RISK_FILL.get(area.risk, S.FAINT)
        extra += [fill_cell(2, index, status_fill), fill_cell(3, index, risk_fill)]
        rows.append([ctx.cell(area.area, st.cell_bold, limit=200),
                     ctx.fixed("—" if area.score is None else f"{F.number(area.score, 0)} %", st.cell_right),
                     ctx.pill(F.code_label(area.status), status_fill), ctx.pill(F.code_label(area.risk), risk_fill),
                     ctx.raw(markup(area.note, limit=1000, empty="—"), st.cell_muted)])
    return [ctx.table(["Area", "Score", "Status", "Risk", "Note"], rows, [0.24, 0.09, 0.12, 0.11, 0.44], extra=extra,
                      right=(1,), zebra=False)]


def _checklist(ctx: Context) -> list[Flowable]:
    entries = ctx.data.readiness.checklist
    groups = []
    for key, title in PRIORITIES:
        lines = [_bullet(markup(e.item, limit=300), f"owner {e.owner}" if e.owner.strip() else "",
                         box=DONE_BOX if e.status == "done" else OPEN_BOX) for e in entries if e.priority == key]
        groups.append((title, lines))
    done = sum(1 for e in entries if e.status == "done")
    return [_columns(ctx, groups), Paragraph(label(f"{done} of {F.plural(len(entries), 'item')} done."),
                                             ctx.styles.caption)]


def _restrictions(ctx: Context) -> list[Flowable]:
    return keep_tail([Paragraph(_bullet(markup(r.restriction, limit=400), r.note), ctx.styles.body)
                      for r in ctx.data.readiness.restrictions])


def _golive(ctx: Context) -> list[Flowable]:
    items = ctx.data.readiness.golive
    groups = [(title, [_bullet(markup(i.item, limit=300), box=DONE_BOX if i.status == "done" else OPEN_BOX)
                       for i in items if i.area == key]) for key, title in AREAS]
    return [_columns(ctx, groups)]


def _success(ctx: Context) -> list[Flowable]:
    criteria = ctx.data.readiness.success
    groups = [(title, [_bullet(markup(c.criterion, limit=300)) for c in criteria if c.horizon == key])
              for key, title in HORIZONS]
    return [_columns(ctx, groups)]


def _questions(ctx: Context) -> list[Flowable]:
    story: list[Flowable] = []
    for number, q in enumerate(ctx.data.readiness.questions, start=1):
        topic = f"<b>{markup(q.topic, limit=120)}:</b> " if q.topic.strip() else ""
        text = f"{label(f'{number}.')}&nbsp;{topic}{markup(q.question, limit=2000)}"
        if q.answer.strip():
            text += f" <font color='#5A5F66'>{label('Answer:')} {markup(q.answer, limit=2000)}</font>"
        story.append(Paragraph(text, ctx.styles.body))
    return keep_tail(story)
