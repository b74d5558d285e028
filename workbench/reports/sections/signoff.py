"""Sign-off page: the recorded sign-offs, the statement, and the empty box the signing step fills later."""

from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak, Paragraph

from workbench.reports import formatting as F
from workbench.reports.context import Context
from workbench.reports.data import SignoffRow
from workbench.reports.document import SignatureArea
from workbench.reports.sections import heading, intro
from workbench.reports.text import label, markup

CAPTION = "Reserved for the digital signature of this report"
SAME_PERSON = ("Prepared and reviewed by the same person: this is a one-person practice, so no second person "
               "reviewed the work.")


def build(ctx: Context, number: str, *, new_page: bool = True) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    story: list[Flowable] = [PageBreak()] if new_page else []
    story.append(heading(ctx, number, "Sign-off", "sec-signoff"))
    engagement = data.engagement
    story.append(intro(ctx, "The people below reviewed and approved this report in the roles shown. The report is "
                            "issued when it carries a valid digital signature in the box at the foot of this page; "
                            "a signature also protects the file against later changes."))
    story += signoff_rows(ctx)
    if not engagement.final:
        text = (f"This engagement is not final (status: {F.code_label(engagement.status, F.STATUS_LABELS)}); the "
                "report is a draft and may change.")
        if data.blockers:
            text += " Still open before it can be finalised: " + "; ".join(data.blockers) + "."
        story.append(Paragraph(label(text), st.body_muted))
    story.append(SignatureArea(CAPTION, st))
    return story


def _parts_table(ctx: Context, parts: list[SignoffRow]) -> list[Flowable]:
    """The dimensions and sections signed off one by one: a compact table, one line each."""
    st = ctx.styles
    rows = [[ctx.cell(s.scope, limit=160), ctx.cell(s.name, limit=80), ctx.fixed(F.date_text(s.signed_at)),
             ctx.raw(markup(s.note, limit=300, empty="—"), st.cell_muted)] for s in parts]
    return [ctx.subhead(f"Parts signed off one by one ({len(parts)})", room=40),
            ctx.table(["Part", "Signed off by", "On", "Note"], rows, [0.4, 0.2, 0.14, 0.26])]


def signoff_rows(ctx: Context, *, overall_only: bool = False) -> list[Flowable]:
    """The sign-offs as a table; `overall_only` keeps those of the whole engagement and counts the rest."""
    st = ctx.styles
    if not ctx.data.signoffs:
        return [ctx.empty("No sign-off has been recorded for this engagement yet; preparer and reviewer sign-offs "
                          "are added in the review step.")]
    shown = [s for s in ctx.data.signoffs if s.overall]
    parts = [s for s in ctx.data.signoffs if not s.overall]
    note: list[Flowable]
    if overall_only:
        verb = "is" if len(parts) == 1 else "are"
        note = [Paragraph(label(f"{F.plural(len(parts), 'dimension or section sign-off')} by the preparer {verb} "
                                "listed in the full report."), st.caption)] if parts else []
    else:
        note = _parts_table(ctx, parts) if parts else []
    if ctx.data.same_person_review:
        note.insert(0, Paragraph(f"<b>{label(SAME_PERSON)}</b>", st.body))
    if not shown:
        return [ctx.empty("The engagement as a whole has not been signed off yet."), *note]
    rows = []
    for signoff in shown:
        rows.append([ctx.fixed(F.code_label(signoff.role, F.ROLE_LABELS), st.cell_bold),
                     ctx.cell(signoff.name, limit=200), ctx.cell(signoff.scope, limit=300),
                     ctx.fixed(F.datetime_text(signoff.signed_at)),
                     ctx.raw(markup(signoff.note, limit=2000, empty="—"), st.cell)])
    return [ctx.table(["Role", "Name", "Scope", "Signed", "Note"], rows, [0.15, 0.18, 0.2, 0.17, 0.3]), *note]
