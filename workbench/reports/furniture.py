"""What every page shows besides the story, and the canvas that draws it once the page count is known.

* Every page carries a header (firm name, engagement ref, title), a footer with the classification line
  and "Page n of N". N is only known at the end, so `_PagedCanvas` keeps each page's state and draws the
  page numbers and the watermark in save() (the reportlab "deferred showPage" pattern).
* The header, the footer and the DRAFT mark are the same on every page: each is drawn once, as a form
  XObject the pages refer to, not written again on each of a long report's pages.
* At save() every bookmark also becomes a named destination, so other tools can open the file at one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFResourceDictionary
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from workbench.reports import fonts
from workbench.reports.styles import (
    MUTED,
    PAGE_MARGIN_BOTTOM,
    PAGE_MARGIN_TOP,
    PAGE_MARGIN_X,
    PAGE_SIZE,
    RULE,
    Styles,
    frame_width,
)
from workbench.reports.text import one_line

WATERMARK = "DRAFT"
HEADER_FORM, FOOTER_FORM, DRAFT_FORM = "WorkbenchHeader", "WorkbenchFooter", "WorkbenchDraft"


@dataclass
class PageFurniture:
    """What every page shows besides the story."""

    styles: Styles
    firm: str
    ref: str
    title: str
    classification: str
    draft: bool
    _cache: dict[str, Paragraph] = field(default_factory=dict)

    def paragraph(self, key: str, markup: str, style: Any) -> Paragraph:
        if key not in self._cache:
            self._cache[key] = Paragraph(markup, style)
        return self._cache[key]


def make_canvas_class(furniture: PageFurniture) -> type[Canvas]:
    class _PagedCanvas(Canvas):
        """Defers each page so the total page count and the watermark can be drawn at save()."""

        # reportlab's own (unannotated) internals this class works with
        _doc: Any
        _annotationCount: int
        _startPage: Callable[[], None]

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = fonts.SANS
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self._deferred: dict[int, list[Callable[[Canvas], None]]] = {}
            self._furnished: set[str] = set()

        def defer(self, draw: Callable[[Canvas], None]) -> None:
            """Call `draw` on the current page at save(), when every page number is known."""
            self._deferred.setdefault(len(self._pages), []).append(draw)

        def showPage(self) -> None:  # noqa: N802
            self._pages.append(dict(self.__dict__))
            self._startPage()
            # the PDF names a page "Page<n>" when it is written, and bookmarkPage links to the name of the
            # page being drawn: count the deferred pages too, or every bookmark would point at page 1
            self._doc.pageCounter += 1

        def furnish(self, name: str) -> None:
            """Show the furniture form `name` on this page (it is drawn once, at save())."""
            self.doForm(name)
            self._furnished.add(name)

        def save(self) -> None:
            total = len(self._pages)
            if furniture.draft:
                self._furnished.add(DRAFT_FORM)
            _define_forms(self, furniture, self._furnished)
            self._doc.pageCounter = 1  # the pages are written now, from the first
            for number, state in enumerate(self._pages, start=1):
                # links without a name are numbered across the whole file ("NUMBER<n>"): keep counting from
                # the highest number used, or a link drawn now reuses one a later page already took
                links_named = self._annotationCount
                self.__dict__.update(state)
                self._annotationCount = links_named
                for draw in self._deferred.get(number - 1, ()):
                    draw(self)
                _draw_page_number(self, number, total)
                if furniture.draft:
                    self.doForm(DRAFT_FORM)
                Canvas.showPage(self)
            _publish_destinations(self)
            if self._doc.outline.destinationnamestotitles:  # noqa: SLF001 - the outline opens beside page 1
                self.showOutline()
            Canvas.save(self)

    return _PagedCanvas


class _CanvasInternals(Protocol):
    """reportlab's (unannotated) canvas internals _publish_destinations works with."""

    _destinations: dict[str, Any]
    _doc: Any


def _publish_destinations(canvas: Canvas) -> None:
    """Every bookmark (headings, SIGNATURE_DESTINATION) as a named destination in the catalog's /Dests.

    reportlab writes its bookmarks only as explicit destinations inside the links and outline entries that
    use them; a name another tool can open the file at ("#signature-box") must be in the catalog.
    """
    internals = cast(_CanvasInternals, canvas)
    named = {name: dest for name, dest in internals._destinations.items()  # noqa: SLF001
             if dest.fmt is not None and dest.page is not None}
    if named:
        internals._doc.Catalog.Dests = PDFDictionary(dict(sorted(named.items())))  # noqa: SLF001


def _define_forms(canvas: Canvas, furniture: PageFurniture, names: set[str]) -> None:
    """The furniture every page shows the same, each drawn once as a form XObject the pages refer to. Drawn
    on each page, the DRAFT mark's outlines and the header's and footer's text were about half a second of
    the 5,000-finding report's 1,104 pages, and a quarter of its file."""
    drawings: dict[str, Callable[[], None]] = {HEADER_FORM: lambda: _draw_header(canvas, furniture),
                                               FOOTER_FORM: lambda: _draw_footer(canvas, furniture),
                                               DRAFT_FORM: lambda: _draw_watermark(canvas)}
    for name, draw in drawings.items():
        if name in names:
            canvas.beginForm(name)
            draw()
            # reportlab gives a form the document's fonts but not the graphics states it set (the mark's
            # transparency): name them in the form's resources
            resources = PDFResourceDictionary(ExtGState=cast(Any, canvas)._extgstate.getState() or {})  # noqa: SLF001
            resources.basicFonts()
            canvas.endForm(Resources=resources)


def _draw_page_number(canvas: Canvas, number: int, total: int) -> None:
    canvas.saveState()
    canvas.setFont(fonts.SANS, 7.4)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(PAGE_SIZE[0] - PAGE_MARGIN_X, PAGE_MARGIN_BOTTOM - 12 * mm, f"Page {number} of {total}")
    canvas.restoreState()


def _draw_watermark(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setFillColor(Color(0.75, 0.12, 0.12, alpha=0.10))
    canvas.translate(PAGE_SIZE[0] / 2, PAGE_SIZE[1] / 2)
    canvas.rotate(52)
    # outlines, not text: the mark must not turn up in copied or extracted text (fontTools: drafts only)
    from workbench.reports.outlines import draw_outlined_text

    draw_outlined_text(canvas, WATERMARK, fonts.FILES[fonts.SANS_BOLD], 120, 0, -40)
    canvas.restoreState()


def _draw_footer(canvas: Canvas, furniture: PageFurniture) -> None:
    width = frame_width()
    y = PAGE_MARGIN_BOTTOM - 8 * mm
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(PAGE_MARGIN_X, y + 3 * mm, PAGE_MARGIN_X + width, y + 3 * mm)
    classification = furniture.paragraph("classification", one_line(furniture.classification, 120),
                                         furniture.styles.footer_text)
    _, height = classification.wrapOn(canvas, width - 30 * mm, 20)
    classification.drawOn(canvas, PAGE_MARGIN_X, y - height + 4 * mm - 4)
    canvas.restoreState()


def _draw_header(canvas: Canvas, furniture: PageFurniture) -> None:
    width = frame_width()
    top = PAGE_SIZE[1] - PAGE_MARGIN_TOP + 9 * mm
    styles = furniture.styles
    canvas.saveState()
    canvas.setFillColor(styles.accent)
    canvas.rect(PAGE_MARGIN_X, top + 1, 14, 3.2, stroke=0, fill=1)
    firm = f"<b>{one_line(furniture.firm, 40)}</b>  ·  " if furniture.firm.strip() else ""
    left = furniture.paragraph("header-left", f"{firm}{one_line(furniture.ref, 30)}", styles.header_text)
    right = furniture.paragraph("header-right", one_line(furniture.title, 70), styles.header_right)
    _, lh = left.wrapOn(canvas, width * 0.45, 20)
    left.drawOn(canvas, PAGE_MARGIN_X + 18, top - lh + 9)
    _, rh = right.wrapOn(canvas, width * 0.52, 20)
    right.drawOn(canvas, PAGE_MARGIN_X + width * 0.48, top - rh + 9)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(PAGE_MARGIN_X, top - 4, PAGE_MARGIN_X + width, top - 4)
    canvas.restoreState()
