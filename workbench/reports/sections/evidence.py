"""Evidence index: every file with what it supports and its SHA-256, so a reader can check a copy."""

from __future__ import annotations

from reportlab.platypus import Flowable

from workbench.reports import formatting as F
from workbench.reports.context import Context
from workbench.reports.sections import heading, intro
from workbench.reports.text import label, markup


def build(ctx: Context, number: str) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    story: list[Flowable] = [heading(ctx, number, "Evidence index", "sec-evidence")]
    if not data.evidence:
        return story + [ctx.empty("No evidence files were attached to this engagement, so the index is empty.")]
    story.append(intro(ctx, f"{F.plural(len(data.evidence), 'file')} kept in the workspace, content-addressed. "
                            "The SHA-256 digest identifies each file exactly: any copy with the same digest is the "
                            "same evidence. Findings cite the files by their number (E1, E2…)."))
    rows = []
    for index, item in enumerate(data.evidence, start=1):
        text = f"<b>{markup(item.file_name, limit=300)}</b>"
        if item.description.strip():
            text += f"<br/>{markup(item.description, limit=4000)}"
        meta = (f"{markup(item.media_type, limit=80)}<br/>{label(F.file_size(item.size))}<br/>"
                f"<font color='#5A5F66'>{label(F.datetime_text(item.captured_at))}</font>")
        digest = item.sha256
        shown_digest = f"{label(digest[:32])}<br/>{label(digest[32:])}" if len(digest) == 64 else label(digest)
        rows.append([ctx.fixed(f"E{index}", st.cell_muted), ctx.raw(text, st.cell), ctx.raw(meta, st.cell),
                     ctx.cell(", ".join(item.links) or "—", limit=1500), ctx.raw(shown_digest, st.cell_mono)])
    story.append(ctx.table(["#", "File and description", "Type, size, captured", "Supports", "SHA-256"], rows,
                           [0.05, 0.31, 0.15, 0.16, 0.33]))
    return story
