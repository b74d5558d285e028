"""The document template: page templates, contents and bookmarks, the signature area.

* Every page carries the furniture of reports.furniture (header, footer, "Page n of N", the DRAFT mark).
* Headings (`Heading`) feed the contents (`Contents`), the PDF outline and named destinations in
  `ReportDocument.afterFlowable`. `build_pdf` seeds the contents with every heading, so the contents page
  has its final height from the start, and the contents' page numbers are drawn at save() like "Page n
  of N": one layout pass makes the report (reportlab's multiBuild would lay it all out twice).
* `SignatureArea` is the last flowable of a deliverable: it fills the rest of the last page and leaves an
  empty box of SIGNATURE_BOX_SIZE at the bottom of the frame, so its rectangle is the same in every report
  (`signature_box_rect`). It is also a named destination (SIGNATURE_DESTINATION, /FitR to the box).
* `Checkpoint` flowables between sections report progress and honour cancellation while the PDF is laid out.
"""

from __future__ import annotations

from ast import literal_eval
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO, Protocol, cast

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.styles import PropertySet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.tableofcontents import TableOfContents, drawPageNumbers

from workbench.domain.errors import WorkbenchError
from workbench.reports import fonts
from workbench.reports.furniture import FOOTER_FORM, HEADER_FORM, PageFurniture, make_canvas_class
from workbench.reports.speedups import FastParagraph
from workbench.reports.styles import (
    MUTED,
    PAGE_MARGIN_BOTTOM,
    PAGE_MARGIN_TOP,
    PAGE_MARGIN_X,
    PAGE_SIZE,
    Styles,
    body_height,
    frame_width,
    layout_style,
)
from workbench.reports.text import label

SIGNATURE_BOX_SIZE = (170 * mm, 60 * mm)
SIGNATURE_DESTINATION = "signature-box"
SIGNATURE_CAPTION_GAP = 14  # points between the box and the caption above it
DOCUMENT_LANGUAGE = "en-GB"  # the report's own wording; the catalog's /Lang (screen readers, hyphenation)


class ReportCancelled(WorkbenchError):
    """The user cancelled rendering; no file was written."""


def signature_box_rect() -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) in PDF points of the empty signature box on the LAST page of a deliverable."""
    width, height = SIGNATURE_BOX_SIZE
    x0 = PAGE_MARGIN_X + (frame_width() - width) / 2
    return (x0, PAGE_MARGIN_BOTTOM, x0 + width, PAGE_MARGIN_BOTTOM + height)


class KeepRoom(FastParagraph):
    """A heading paragraph that moves to the next page unless `room` points are left below it.

    reportlab's keepWithNext wraps a heading and the next flowable in a KeepTogether, which pushes a long
    (splittable) table whole onto the next page and leaves most of a page blank. Asking only for some room
    below the heading keeps it off the foot of a page and lets the table start right under it.
    """

    def __init__(self, markup: str, style: Any, *, room: float = 72) -> None:
        super().__init__(markup, style)
        self.room = room

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        width, height = super().wrap(availWidth, availHeight)
        if height + self.room > availHeight and availHeight < body_height() - 1:
            return width, availHeight + 1  # "does not fit here": the frame moves it to the next page
        return width, height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []  # a heading never breaks across pages


class Heading(KeepRoom):
    """A heading that becomes a contents entry (toc_level 0/1, or None), an outline entry and a link target."""

    def __init__(self, markup: str, style: Any, *, key: str, toc_level: int | None = 0,
                 outline_level: int | None = None, outline_title: str | None = None, room: float = 90) -> None:
        super().__init__(markup, style, room=room)
        self.key = key
        self.toc_level = toc_level
        self.outline_level = toc_level if outline_level is None else outline_level
        self.outline_title = outline_title
        self.toc_markup = markup


class Checkpoint(Flowable):
    """Zero-size marker between sections: progress and cancellation while laying out."""

    _ZEROSIZE = True  # placed even on a full frame (else a full last page would start an empty one)

    def __init__(self, name: str, fraction: float) -> None:
        super().__init__()
        self.name = name
        self.fraction = fraction

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        pass


class SignatureArea(Flowable):
    """Fills the rest of the frame; the box sits at the frame's bottom edge, i.e. always at one position."""

    def __init__(self, caption: str, styles: Styles) -> None:
        super().__init__()
        self.caption = caption
        self.styles = styles
        self.needed = SIGNATURE_BOX_SIZE[1] + SIGNATURE_CAPTION_GAP + 6

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = max(self.needed, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []  # too little room left: move to the next page whole

    def draw(self) -> None:
        canvas = self.canv
        x0, y0, x1, y1 = signature_box_rect()
        ax, ay = canvas.absolutePosition(0, 0)  # this flowable's origin on the page
        canvas.saveState()
        canvas.translate(-ax, -ay)  # draw in page coordinates: the box is at a fixed place
        canvas.setStrokeColor(HexColor("#9AA3AE"))
        canvas.setLineWidth(0.6)
        canvas.setDash(3, 2)
        canvas.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
        canvas.setDash()
        canvas.setFont(fonts.SANS, 7.4)
        canvas.setFillColor(MUTED)
        canvas.drawString(x0, y1 + 5, self.caption)
        canvas.bookmarkPage(SIGNATURE_DESTINATION, fit="FitR", left=x0, bottom=y0, right=x1, top=y1)
        canvas.restoreState()


class ReportDocument(BaseDocTemplate):
    """A4 portrait; "cover" and "body" page templates; headings to contents, outline and destinations."""

    # reportlab's own (unannotated) internals build_pdf works with
    _indexingFlowables: list[Flowable]
    _doSave: int

    def __init__(self, target: str | BinaryIO, furniture: PageFurniture, *, title: str, author: str,
                 subject: str, on_checkpoint: Callable[[Checkpoint], None] | None = None,
                 cover: bool = True, lang: str = DOCUMENT_LANGUAGE) -> None:
        rl_config.useA85 = 0  # binary streams: reportlab's pure-Python ASCII85 costs ~0.2 s per chart image
        super().__init__(target, pagesize=PAGE_SIZE, leftMargin=PAGE_MARGIN_X, rightMargin=PAGE_MARGIN_X,
                         topMargin=PAGE_MARGIN_TOP, bottomMargin=PAGE_MARGIN_BOTTOM, title=title, author=author,
                         subject=subject, creator="MLOps Audit Workbench", initialFontName=fonts.SANS,
                         lang=lang)
        self.furniture = furniture
        self.on_checkpoint = on_checkpoint
        frame = Frame(PAGE_MARGIN_X, PAGE_MARGIN_BOTTOM, frame_width(), body_height(), id="body",
                             leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        templates = [PageTemplate("cover", frames=[frame], onPage=self._cover_page),
                     PageTemplate("body", frames=[frame], onPage=self._body_page)]
        self.addPageTemplates(templates if cover else templates[::-1])  # the first one starts the document
        self._outline_levels: list[int] = []

    def _cover_page(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFillColor(self.furniture.styles.accent)
        canvas.rect(0, PAGE_SIZE[1] - 9 * mm, PAGE_SIZE[0], 9 * mm, stroke=0, fill=1)
        canvas.restoreState()
        canvas.furnish(FOOTER_FORM)  # type: ignore[attr-defined]  # make_canvas_class's canvas

    def _body_page(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.furnish(HEADER_FORM)  # type: ignore[attr-defined]
        canvas.furnish(FOOTER_FORM)  # type: ignore[attr-defined]

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802
        if isinstance(flowable, Checkpoint):
            if self.on_checkpoint is not None:
                self.on_checkpoint(flowable)
            return
        if not isinstance(flowable, Heading):
            return
        canvas = self.canv
        canvas.bookmarkPage(flowable.key)
        if flowable.outline_level is not None:
            level = min(flowable.outline_level, (self._outline_levels[-1] + 1) if self._outline_levels else 0)
            title = flowable.outline_title or flowable.getPlainText()
            canvas.addOutlineEntry(" ".join(title.split())[:120], flowable.key, level=level, closed=level > 0)
            self._outline_levels.append(level)
        if flowable.toc_level is not None:
            self.notify("TOCEntry", (flowable.toc_level, flowable.toc_markup, self.page, flowable.key))

    def handle_documentBegin(self) -> None:  # noqa: N802
        self._outline_levels = []
        super().handle_documentBegin()


class _DeferringCanvas(Protocol):
    """The canvas of make_canvas_class as Contents uses it, with reportlab's text cursor internals."""

    _curr_tx_info: dict[str, float]
    _currentMatrix: tuple[float, float, float, float, float, float]

    def defer(self, draw: Callable[[Canvas], None]) -> None: ...


class Contents(TableOfContents):
    """Contents whose page numbers are drawn at save(), so that one layout pass makes the whole report.

    `build_pdf` seeds the entries with every heading of the story before the pass, page numbers unknown:
    that gives the contents their final height (a page number only takes the fixed right column). Each
    entry's dotted leader and page number, which reportlab draws at once from the previous pass's pages,
    is instead recorded with the text position and drawn by the deferring canvas when the file is saved,
    by then from the pages the headings really landed on.
    """

    # reportlab's own (unannotated) internals this class works with
    _entries: list[tuple[int, str, int, str | None]]
    _lastEntries: list[tuple[int, str, int, str | None]]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        size = super().wrap(availWidth, availHeight)
        self.canv.setNamedCB("drawTOCEntryEnd", self._entry_end(availWidth, availHeight))
        return size

    def _entry_end(self, avail_width: float, avail_height: float) -> Callable[[Canvas, str | None, str], None]:
        def entry_end(canvas: Canvas, _kind: str | None, label_text: str) -> None:
            parts = label_text.split(",")
            level, key = int(parts[1]), literal_eval(parts[2])
            style = self.getLevelStyle(level)
            dot = " . " if 0 <= self.dotsMinLevel <= level else ""
            deferring = cast(_DeferringCanvas, canvas)
            info = deferring._curr_tx_info  # noqa: SLF001 - where the entry's text ended (reportlab sets it)
            x, y, matrix = info["cur_x"], info["cur_y"], deferring._currentMatrix  # noqa: SLF001

            def draw(final: Canvas) -> None:
                final.saveState()
                final.transform(*matrix)
                cursor = cast(_DeferringCanvas, final)
                cursor._curr_tx_info = {"cur_x": x, "cur_y": y}  # noqa: SLF001 - as drawPageNumbers reads it
                drawPageNumbers(final, style, [(self.page_of(key), key)], avail_width, avail_height, dot)
                del cursor._curr_tx_info  # noqa: SLF001
                final.restoreState()

            deferring.defer(draw)

        return entry_end

    def page_of(self, key: str | None) -> int:
        """The page a heading landed on in the pass just made."""
        return next((page for _, _, page, entry_key in self._entries if entry_key == key), 0)

    def isSatisfied(self) -> bool:  # noqa: N802
        """The pass met the headings the contents were laid out with; their pages may differ."""
        return _without_pages(self._entries) == _without_pages(self._lastEntries)

    def seed(self, story: Sequence[Flowable]) -> None:
        """Enter every heading of the story, before the pass, without its page."""
        self.clearEntries()
        flat = [part for f in story for part in getattr(f, "flowables", [f])]  # through flow.Bundle
        self.addEntries([(f.toc_level, f.toc_markup, 0, f.key) for f in flat
                         if isinstance(f, Heading) and f.toc_level is not None])


def _without_pages(entries: Sequence[tuple[int, str, int, str | None]]) -> list[tuple[int, str, str | None]]:
    return [(level, text, key) for level, text, _page, key in entries]


def make_toc(styles: Styles) -> Contents:
    levels: list[PropertySet] = [style.clone(style.name, rightIndent=28) for style in styles.toc]
    return Contents(levelStyles=levels, dotsMinLevel=0, rightColumnWidth=28,
                    tableStyle=layout_style(("VALIGN", (0, 0), (-1, -1), "TOP")))


def build_pdf(doc: ReportDocument, story_factory: Callable[[Contents], Sequence[Flowable]], toc: Contents, *,
              max_passes: int = 3, between_passes: Callable[[int], None] | None = None) -> int:
    """Lay the story out and write it; returns the pass count (1 unless a heading was not seeded).

    A pass consumes and mutates its flowables, so a further pass gets a fresh story from `story_factory`.
    """
    story = list(story_factory(toc))
    toc.seed(story)
    doc._indexingFlowables = [toc]  # noqa: SLF001 - as BaseDocTemplate.multiBuild does: notify() reaches the toc
    doc._doSave = 0  # noqa: SLF001 - and save only the final pass
    passes = 0
    while True:
        passes += 1
        if between_passes is not None:
            between_passes(passes)
        toc.beforeBuild()
        if passes > 1:
            story = list(story_factory(toc))
        doc.build(story, canvasmaker=make_canvas_class(doc.furniture))
        toc.afterBuild()
        if toc.isSatisfied():
            doc.canv.save()
            return passes
        if passes >= max_passes:
            raise RuntimeError(f"the contents did not settle after {max_passes} passes")


__all__ = ["Checkpoint", "Contents", "Heading", "KeepRoom", "ReportCancelled", "ReportDocument",
           "SignatureArea", "SIGNATURE_BOX_SIZE", "SIGNATURE_DESTINATION", "build_pdf", "label", "make_toc",
           "signature_box_rect"]
