"""Write a report's flowables as Word blocks: the walk behind reports.word.

Each flowable of the PDF's story has a Word counterpart:

* a `Heading` (and a sub-heading) becomes a Word heading of its level; the cover title and subtitle Word's
  Title and Subtitle; any other paragraph keeps its bold, italic and coloured runs, its size and its line
  breaks (Arabic presentation forms go back to the base letters: Word shapes them itself; a paragraph
  whose text reads right to left is marked so);
* a `HouseTable` becomes a Word table with the same column widths, merged cells, cell fills (the header
  in the firm's accent, severity and status cells in their colours) and repeated header rows;
* a layout table (charts side by side, badges, the cover's logo line) becomes its contents in turn;
* a chart becomes a picture of the same size, drawn by the same chart cache;
* the contents become a Word contents field, showing the headings until Word updates it with page numbers.

Spacers, page templates and checkpoints only place things on PDF pages and have no counterpart.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any, Protocol

from docx.document import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph
from PIL import Image as PILImage
from reportlab.lib.colors import Color, toColor
from reportlab.platypus import Flowable, Image, PageBreak, Paragraph, Table
from reportlab.platypus.tableofcontents import TableOfContents

from workbench.reports.bidi import base_level_of
from workbench.reports.chart_images import LazyChart
from workbench.reports.context import Context
from workbench.reports.document import Checkpoint, Heading, SignatureArea
from workbench.reports.flow import Bundle, HouseTable

UNSIGNED_BOX = ("This working copy carries no signature. The signature belongs in the signed PDF deliverable, "
                "made from the engagement itself.")
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]+")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
BLACK = "000000"


class Block(Protocol):
    """Where blocks go: the document body or a table cell."""

    def add_paragraph(self, text: str = "", style: Any = None) -> WordParagraph: ...

    def add_table(self, rows: int, cols: int) -> WordTable: ...


def word_text(text: str) -> str:
    """Text as Word should store it: base Arabic letters, nothing XML cannot hold."""
    text = _PRESENTATION_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return _NOT_XML.sub("", text)


def _hex(colour: Any) -> str:
    value = toColor(colour) if not isinstance(colour, Color) else colour
    return value.hexval()[2:].upper()


def headings(story: Iterable[Flowable]) -> list[Heading]:
    """The headings the contents list, in order."""
    found: list[Heading] = []
    for item in story:
        if isinstance(item, Bundle):
            found += headings(item.flowables)
        elif isinstance(item, Heading) and item.toc_level is not None:
            found.append(item)
    return found


class BlockWriter:
    """Writes the flowables of one deliverable into a python-docx document."""

    def __init__(self, document: Document, ctx: Context, contents: Sequence[Heading]) -> None:
        self.document = document
        self.ctx = ctx
        self.contents_entries = contents
        st = ctx.styles
        self.word_styles = {id(st.h1): "Heading 1", id(st.h2): "Heading 2", id(st.h3): "Heading 3",
                            id(st.cover_title): "Title", id(st.cover_subtitle): "Subtitle"}
        self.charts = 0

    def write(self, items: Iterable[object], into: Block) -> None:
        for item in items:
            self.write_one(item, into)

    def write_one(self, item: object, into: Block) -> None:
        """A flowable, a string or a list of them (what a table cell holds)."""
        if isinstance(item, str):
            if item.strip():
                into.add_paragraph(word_text(item))
        elif isinstance(item, (list, tuple)):
            self.write(item, into)
        elif isinstance(item, Bundle):
            self.write(item.flowables, into)
        elif isinstance(item, Checkpoint):
            self.ctx.check()
        elif isinstance(item, TableOfContents):
            self.contents(into)
        elif isinstance(item, HouseTable):
            self.table(item, into)
        elif isinstance(item, Table):
            layout: list[list[object]] = getattr(item, "_cellvalues", [])  # flowables laid out side by side
            self.write([value for row in layout for value in row], into)
        elif isinstance(item, Paragraph):
            self.paragraph(item, into)
        elif isinstance(item, (LazyChart, Image)):
            self.picture(item, into)
        elif isinstance(item, SignatureArea):
            self.paragraph(item.caption, into)
            into.add_paragraph(UNSIGNED_BOX).runs[0].italic = True
        elif isinstance(item, PageBreak) and into is self.document:
            self.document.add_page_break()  # type: ignore[no-untyped-call]

    # -- paragraphs -------------------------------------------------------------------------------

    def paragraph(self, item: Paragraph | str, into: Block) -> None:
        if isinstance(item, str):
            item = self.ctx.fixed(item, self.ctx.styles.body)
        style = self.word_styles.get(id(item.style))
        out = into.add_paragraph(style=style)
        bullet = getattr(item, "bulletText", None)
        if bullet:
            out.add_run(f"{word_text(str(bullet))}\t" if bullet != "•" else "•\t")
        for frag in item.frags:
            self._run(out, frag, sized=style is None)
        if base_level_of(item.getPlainText()) == 1:
            out.paragraph_format.element.get_or_add_pPr().append(OxmlElement("w:bidi"))

    def _run(self, out: WordParagraph, frag: Any, *, sized: bool) -> None:
        if getattr(frag, "lineBreak", False):
            out.add_run().add_break(WD_BREAK.LINE)
            return
        text = word_text(getattr(frag, "text", "") or "")
        if not text:
            return
        run = out.add_run(text)
        font_name = str(getattr(frag, "fontName", ""))
        run.bold = "Bold" in font_name or None
        run.italic = ("Oblique" in font_name or "Italic" in font_name) or None
        if sized:
            run.font.size = Pt(float(frag.fontSize))
        colour = _hex(frag.textColor) if getattr(frag, "textColor", None) is not None else BLACK
        if colour != BLACK:
            run.font.color.rgb = RGBColor.from_string(colour)
        if _RIGHT_TO_LEFT.search(text):
            run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))

    def contents(self, into: Block) -> None:
        """A Word contents field over headings 1-2, showing the entries until Word fills in page numbers."""
        out = into.add_paragraph()
        _field(out, "begin")
        instruction = out.add_run()._r
        code = OxmlElement("w:instrText")
        code.set(qn("xml:space"), "preserve")
        code.text = ' TOC \\o "1-2" \\h \\z \\u '
        instruction.append(code)
        _field(out, "separate")
        for number, entry in enumerate(self.contents_entries):
            run = out.add_run(("    " if entry.toc_level else "") + word_text(entry.outline_title or ""))
            if number < len(self.contents_entries) - 1:
                run.add_break(WD_BREAK.LINE)
        _field(out, "end")

    # -- tables and pictures ----------------------------------------------------------------------

    def table(self, item: HouseTable, into: Block) -> None:
        values: list[list[Any]] = item._cellvalues
        widths: list[float] = item._colWidths
        out = into.add_table(rows=len(values), cols=len(widths))
        out.style = "Table Grid"
        out.autofit = False
        for column, width in zip(out.columns, widths, strict=True):
            column.width = Pt(width)
        fills = _cell_fills(item, len(widths), len(values))
        header = item.repeatRows if isinstance(item.repeatRows, int) else len(item.repeatRows)
        for row_index, row in enumerate(values):
            if row_index < header:
                out.rows[row_index]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
            for column_index, value in enumerate(row):
                cell = out.cell(row_index, column_index)
                cell.width = Pt(widths[column_index])
                if (column_index, row_index) in fills:
                    _shade(cell, fills[column_index, row_index])
                self._cell(value, cell)
        for (start_column, start_row), (end_column, end_row) in _spans(item, len(widths), len(values)):
            out.cell(start_row, start_column).merge(out.cell(end_row, end_column))

    def _cell(self, value: Any, cell: _Cell) -> None:
        self.write([value], cell)
        blocks = [child for child in cell._tc if child.tag in (qn("w:p"), qn("w:tbl"))]
        first = cell.paragraphs[0]
        if len(blocks) > 1 and first._p is blocks[0] and not first.text:
            first._p.getparent().remove(first._p)  # the empty paragraph every new cell starts with
        if blocks and blocks[-1].tag == qn("w:tbl"):
            cell.add_paragraph()  # a cell ends with a paragraph

    def picture(self, item: LazyChart | Image, into: Block) -> None:
        if isinstance(item, LazyChart):
            chart = item.handle.result()  # the PDF's own bitmap: found in the caches or drawn now
            image = PILImage.frombytes("RGB", (chart.width, chart.height), zlib.decompress(chart.stream))
            png = BytesIO()
            image.save(png, "PNG")
            png.seek(0)
            self.charts += 1
            into.add_paragraph().add_run().add_picture(png, width=Pt(item.width))
        else:
            into.add_paragraph().add_run().add_picture(str(item.filename), width=Pt(float(item.drawWidth)))


def _field(paragraph: WordParagraph, kind: str) -> None:
    mark = OxmlElement("w:fldChar")
    mark.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(mark)


def _shade(cell: _Cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _cells(start: tuple[int, int], end: tuple[int, int], columns: int, rows: int) -> Iterable[tuple[int, int]]:
    """(column, row) of every cell in a reportlab cell range (negative indices count from the end)."""
    first_column, first_row = (start[0] % columns, start[1] % rows)
    last_column, last_row = (end[0] % columns, end[1] % rows)
    for row in range(first_row, last_row + 1):
        for column in range(first_column, last_column + 1):
            yield column, row


def _cell_fills(table: HouseTable, columns: int, rows: int) -> dict[tuple[int, int], str]:
    """The fill of every filled cell, later table-style commands over earlier ones (as reportlab draws them)."""
    fills: dict[tuple[int, int], str] = {}
    if not rows:
        return fills
    for command in getattr(table, "_bkgrndcmds", []):
        name, start, end, *colours = command
        cells = list(_cells(start, end, columns, rows))
        if name == "BACKGROUND" and colours[0] is not None:
            fills.update(dict.fromkeys(cells, _hex(colours[0])))
        elif name == "ROWBACKGROUNDS" and colours[0]:
            cycle = [c for c in colours[0]]
            top = start[1] % rows
            fills.update({(c, r): _hex(cycle[(r - top) % len(cycle)]) for c, r in cells
                          if cycle[(r - top) % len(cycle)] is not None})
    for row, row_fills in enumerate(table.cell_fills or ()):  # painted after the commands (reports.cell_fills)
        fills.update({(column, row): _hex(colour) for column, colour in row_fills})
    return fills


def _spans(table: HouseTable, columns: int, rows: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    spans = []
    for _name, start, end in getattr(table, "_spanCmds", []):
        cells = list(_cells(start, end, columns, rows))
        if len(cells) > 1:
            spans.append((cells[0], cells[-1]))
    return spans
