"""The DOCX working copy of a deliverable: the PDF's sections, tables and charts, editable in Word.

`render_docx(data, output, kind=..., branding=...)` builds the same story as the PDF (reports.build.story)
and writes it through reports.word_blocks. The page is A4 with the PDF's margins; headings, table headers
and the contents take the firm's accent colour. The copy is marked as what it is on its first line, in
every page header and footer and in its document properties: an UNSIGNED WORKING COPY. It is never signed;
the signed PDF stays the deliverable.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph as WordParagraph
from reportlab.lib.units import mm

from workbench.reports.build import KIND_TITLES, make_context, story
from workbench.reports.chart_images import ChartPainter, ChartStore
from workbench.reports.data import Branding, ReportData
from workbench.reports.document import make_toc
from workbench.reports.styles import PAGE_MARGIN_BOTTOM, PAGE_MARGIN_TOP, PAGE_MARGIN_X, PAGE_SIZE
from workbench.reports.word_blocks import BlockWriter, headings, word_text

WORKING_COPY = "UNSIGNED WORKING COPY"
WORKING_COPY_NOTE = ("Unsigned working copy for editing, exported from the engagement. It carries no signature "
                     "and is not the deliverable: the signed PDF is.")
BODY_FONT = "DejaVu Sans"  # the PDF's typeface; Word substitutes its own where it is not installed
WARNING_INK = "B42318"


@dataclass(frozen=True)
class WordResult:
    headings: int
    charts: int


def render_docx(data: ReportData, output: str | BinaryIO, *, kind: str = "full", branding: Branding | None = None,
                cancelled: Callable[[], bool] | None = None, chart_store: ChartStore | None = None) -> WordResult:
    """Write the working copy of the deliverable `kind`; raises ReportCancelled when `cancelled()` turns true.
    Charts come from `chart_store` (the workspace's chart cache) when the PDF drew them already."""
    branding = branding or Branding()
    ctx = make_context(data, kind, branding, cancelled, ChartPainter(store=chart_store))
    flowables = story(ctx, make_toc(ctx.styles))
    entries = headings(flowables)
    document = docx.Document()
    _page_setup(document, data, branding)
    _house_styles(document, branding.accent[1:])
    _properties(document, data, kind, branding)
    marker = document.add_paragraph()
    run = marker.add_run(f"{WORKING_COPY} — {WORKING_COPY_NOTE}")
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(WARNING_INK)
    writer = BlockWriter(document, ctx, entries)
    writer.write(flowables, document)
    ctx.check()
    document.save(output)
    return WordResult(headings=len(entries), charts=writer.charts)


def _page_setup(document: Document, data: ReportData, branding: Branding) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Pt(PAGE_SIZE[0]), Pt(PAGE_SIZE[1])
    section.left_margin = section.right_margin = Pt(PAGE_MARGIN_X)
    section.top_margin, section.bottom_margin = Pt(PAGE_MARGIN_TOP), Pt(PAGE_MARGIN_BOTTOM)
    section.header_distance = section.footer_distance = Pt(8 * mm)
    engagement = data.engagement
    parts = [branding.firm_name.strip(), engagement.ref, engagement.title, WORKING_COPY]
    _furniture_text(section.header.paragraphs[0], "  ·  ".join(word_text(p) for p in parts if p))
    footer = section.footer.paragraphs[0]
    classification = branding.classification_for(engagement.client).strip()
    _furniture_text(footer, f"{word_text(classification) + '  ·  ' if classification else ''}"
                            f"{WORKING_COPY.capitalize()}, not signed  ·  Page ")
    _page_field(footer)


def _furniture_text(paragraph: WordParagraph, text: str) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(7.5)
    run.font.color.rgb = RGBColor.from_string("5B6573")


def _page_field(paragraph: WordParagraph) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def _house_styles(document: Document, accent: str) -> None:
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(9)
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[name]
        style.font.name = BODY_FONT
        style.font.color.rgb = RGBColor.from_string(accent)


def _properties(document: Document, data: ReportData, kind: str, branding: Branding) -> None:
    engagement = data.engagement
    properties = document.core_properties
    properties.title = word_text(f"{KIND_TITLES[kind]} — {engagement.ref} ({WORKING_COPY.lower()})")
    properties.author = word_text(branding.author or branding.firm_name or engagement.lead_auditor)
    properties.subject = word_text(engagement.title)
    properties.keywords = WORKING_COPY.lower()
    properties.comments = WORKING_COPY_NOTE
    properties.language = "en-GB"
    with contextlib.suppress(ValueError):  # an unreadable rendering time leaves python-docx's own
        properties.created = datetime.fromisoformat(data.generated_at)
