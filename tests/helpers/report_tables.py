"""Report tables built outside a report: a section context without data, and a page laid out as the report's."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from workbench.reports import styles as S
from workbench.reports.context import Context
from workbench.reports.data import Branding
from workbench.reports.styles import body_height, frame_width

RED, AMBER = HexColor("#C0392B"), HexColor("#E6A23C")


def table_context() -> Context:
    """A section context for building cells and tables (no engagement data)."""
    return Context(data=None, styles=S.make_styles(Branding()), branding=Branding(), kind="full",  # type: ignore[arg-type]
                   width=frame_width())


def pdf_of(story: list[Flowable]) -> bytes:
    """The story laid out on pages with the report's frame (no padding), in reportlab's invariant mode if set."""
    frame = Frame(S.PAGE_MARGIN_X, S.PAGE_MARGIN_BOTTOM, frame_width(), body_height(), leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    out = BytesIO()
    BaseDocTemplate(out, pagesize=A4, invariant=1, pageTemplates=[PageTemplate("page", [frame])]).build(story)
    return out.getvalue()
