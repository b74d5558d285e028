"""One module per report section; each exposes `build(ctx, number) -> list[Flowable]`.

`heading` makes the numbered section and sub-section headings that feed the contents and the outline.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from workbench.reports.context import Context
from workbench.reports.document import Heading
from workbench.reports.text import clean, label, markup


def heading(ctx: Context, number: str, title: str, key: str, *, level: int = 0, user_text: bool = False,
            toc: bool = True) -> Heading:
    """A numbered heading; `user_text` when the title holds user or framework text (it is escaped)."""
    shown = markup(title, limit=160) if user_text else label(title)
    prefix = f"{label(number)}&nbsp;&nbsp;&nbsp;" if number else ""
    style = ctx.styles.h1 if level == 0 else ctx.styles.h2
    plain = " ".join(clean(f"{number} {title}").split())[:120]
    return Heading(f"{prefix}{shown}", style, key=key, toc_level=level if toc else None, outline_level=level,
                   outline_title=plain)


def intro(ctx: Context, sentence: str) -> Flowable:
    """The report's own explanatory sentence under a heading."""
    from reportlab.platypus import Paragraph

    return Paragraph(markup(sentence), ctx.styles.body_muted)
