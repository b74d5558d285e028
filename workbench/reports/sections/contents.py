"""Contents page: the TableOfContents flowable under its heading (links to every section)."""

from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak
from reportlab.platypus.tableofcontents import TableOfContents

from workbench.reports.context import Context
from workbench.reports.sections import heading


def build(ctx: Context, toc: TableOfContents) -> list[Flowable]:
    return [heading(ctx, "", "Contents", "sec-contents", toc=False), toc, PageBreak()]
