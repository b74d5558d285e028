"""What every section gets: the data, the styles, chart images and the helpers that build cells and tables.

Cells are Paragraphs (so long text wraps and `splitInRow` can split a tall row across pages), and every
user value reaches them through `cell()` / `para()`, i.e. through text.markup.
"""

from __future__ import annotations

import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PIL import Image as PILImage
from reportlab.lib.colors import Color
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Paragraph, Table

from workbench.charts import render_figure
from workbench.reports import styles as S
from workbench.reports.data import Branding, ReportData
from workbench.reports.document import KeepRoom
from workbench.reports.flow import HouseTable
from workbench.reports.speedups import FastParagraph
from workbench.reports.styles import TableCommand
from workbench.reports.text import label, markup

CHART_DPI = 160
RECENT_CHARTS = 16  # chart bitmaps kept between renders: two reports' worth


class CellParagraph(FastParagraph):
    """A Paragraph that breaks its lines once per width (and parses through the shape cache).

    A table asks a cell for its size several times while it is laid out and split across pages (the table
    that does not fit, each part, the part tried inside a row): without this a 1,000-finding register
    breaks every cell's lines about nine times. The result of a wrap depends only on the width.
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        cached = self.__dict__.get("_wrapped")
        if cached is not None and cached[0] == availWidth:
            _, self.width, self._wrapWidths, self.blPara, self.height = cached
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, self.width, self._wrapWidths, self.blPara, self.height)
        return width, height


class ChartCache:
    """Chart bitmaps of one report, each rendered once, at its first draw.

    A chart is drawn once into its Agg canvas and the pixels go straight to reportlab (no PNG encoding
    and decoding in between: savefig would draw the figure a second time). Drawing the charts is most of
    a short report's time, so the last few bitmaps are also kept for the process (`_RECENT`), keyed by the
    builder, its data, the size and the resolution: rendering again after switching the DRAFT mark or the
    kind, or the executive summary after the full report, reuses what did not change.
    """

    def __init__(self, dpi: int = CHART_DPI) -> None:
        self.dpi = dpi
        self._images: dict[str, ImageReader] = {}

    def reader(self, key: str, builder: Callable[..., None], data: Any, width: float, height: float) -> ImageReader:
        if key not in self._images:
            identity = (builder.__module__, builder.__qualname__, repr(data), width, height, self.dpi)
            image = _RECENT.get(identity)
            if image is None:
                image = _draw_chart(builder, data, width, height, self.dpi)
                _RECENT.put(identity, image)
            self._images[key] = image
        return self._images[key]

    def image(self, key: str, builder: Callable[..., None], data: Any, width: float, height: float) -> Flowable:
        """A chart as a flowable of `width` × `height` points; rendered when first drawn."""
        return ChartImage(self, key, builder, data, width, height)

    def __len__(self) -> int:
        return len(self._images)


def _draw_chart(builder: Callable[..., None], data: Any, width: float, height: float, dpi: int) -> ImageReader:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Glyph ... missing from font": drawn as a box
        figure = render_figure(builder, data, width / 72, height / 72, dpi)
        figure.canvas.draw()
    rgba = figure.canvas.buffer_rgba()  # type: ignore[attr-defined]
    image = PILImage.frombuffer("RGBA", (rgba.shape[1], rgba.shape[0]), rgba, "raw", "RGBA", 0, 1)
    return ImageReader(image.convert("RGB"))


class _RecentCharts:
    """The last `size` chart bitmaps of this process (a few MB each); the GUI renders in a worker thread."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._images: OrderedDict[tuple[object, ...], ImageReader] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, identity: tuple[object, ...]) -> ImageReader | None:
        with self._lock:
            image = self._images.get(identity)
            if image is not None:
                self._images.move_to_end(identity)
            return image

    def put(self, identity: tuple[object, ...], image: ImageReader) -> None:
        with self._lock:
            self._images[identity] = image
            while len(self._images) > self.size:
                self._images.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._images.clear()


_RECENT = _RecentCharts(RECENT_CHARTS)


def forget_charts() -> None:
    """Drop the charts kept between renders (the benchmark times reports with every chart drawn)."""
    _RECENT.clear()


class ChartImage(Flowable):
    """Fixed size at layout time; the chart is only rendered when the page is really drawn."""

    def __init__(self, cache: ChartCache, key: str, builder: Callable[..., None], data: Any, width: float,
                 height: float) -> None:
        super().__init__()
        self.cache, self.key, self.builder, self.data = cache, key, builder, data
        self.width, self.height = width, height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        reader = self.cache.reader(self.key, self.builder, self.data, self.width, self.height)
        self.canv.drawImage(reader, 0, 0, self.width, self.height)


@dataclass
class Context:
    data: ReportData
    styles: S.Styles
    branding: Branding
    kind: str
    width: float
    charts: ChartCache = field(default_factory=ChartCache)
    check: Callable[[], None] = lambda: None  # raises when the user cancelled

    # -- cells ----------------------------------------------------------------------------------

    def para(self, value: object, style: Any = None, *, limit: int | None = None, empty: str = "") -> Paragraph:
        """User text as a Paragraph."""
        return CellParagraph(markup(value, limit=limit, empty=empty), style or self.styles.body)

    def cell(self, value: object, style: Any = None, *, limit: int | None = None) -> Paragraph:
        """User text in a table cell; an empty value shows a dash."""
        return CellParagraph(markup(value, limit=limit, empty="—"), style or self.styles.cell)

    def fixed(self, text: str, style: Any = None) -> Paragraph:
        """The report's own wording (numbers, labels): no user text inside."""
        return CellParagraph(label(text), style or self.styles.cell)

    def raw(self, markup_text: str, style: Any = None) -> Paragraph:
        """Markup assembled by a section from label()/markup() pieces."""
        return CellParagraph(markup_text, style or self.styles.cell)

    def empty(self, sentence: str) -> Paragraph:
        """Why a section or table has nothing to show."""
        return Paragraph(label(sentence), self.styles.empty)

    # -- tables ---------------------------------------------------------------------------------

    def subhead(self, text: str, *, room: float = 60) -> Paragraph:
        """A small unnumbered heading (the report's own wording) that keeps `room` points below it."""
        return KeepRoom(label(text), self.styles.h3, room=room)

    def table(self, header: Sequence[str | Flowable], rows: Sequence[Sequence[Flowable | str]],
              widths: Sequence[float], *, extra: list[TableCommand] | None = None, zebra: bool = True,
              right: Sequence[int] = (), header_rows: int = 1, width: float | None = None) -> Table:
        """A house-style table: `widths` are fractions of `width` (default: the frame's); `right` = right-aligned
        columns."""
        total = sum(widths)
        col_widths = [(width or self.width) * w / total for w in widths]
        head = [Paragraph(label(h), self.styles.head_right if i in right else self.styles.head)
                if isinstance(h, str) else h for i, h in enumerate(header)]
        body = [[self.fixed(c) if isinstance(c, str) else c for c in row] for row in rows]
        data = ([head] if header_rows else []) + body
        table = HouseTable(data, colWidths=col_widths, repeatRows=header_rows, splitInRow=1,
                      style=S.table_style(self.styles.accent, header_rows=header_rows, zebra=zebra, extra=extra))
        return table

    def key_values(self, pairs: Sequence[tuple[str, Flowable]], widths: tuple[float, float] = (0.28, 0.72)) -> Table:
        """A two-column fact table: label on a light panel, value beside it."""
        label_style = self.styles.cover_label
        rows = [[Paragraph(label(name), label_style), value] for name, value in pairs]
        # a label is smaller than its value: pad it down so both stand on the same baseline
        baseline = [("TOPPADDING", (0, row), (0, row), 4 + max(0.0, _font_size(value) - label_style.fontSize))
                    for row, (_name, value) in enumerate(pairs)]
        table = HouseTable(rows, colWidths=[self.width * widths[0], self.width * widths[1]], splitInRow=1,
                           style=S.table_style(self.styles.accent, header_rows=0, zebra=False, extra=[
                               ("BACKGROUND", (0, 0), (0, -1), S.PANEL),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.6, S.WHITE),
                               ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                               *baseline]))
        return table

    def pill(self, text: str, fill: Color, ink: Color | None = None) -> Paragraph:
        """Centred bold text for a cell filled with `fill` (the caller fills the cell)."""
        return CellParagraph(label(text), self.styles.pill(fill, ink or S.ink_for(fill)))

    def badge(self, text: str, fill: Color, width: float) -> Table:
        """A free-standing coloured label (a verdict, a chain check), left-aligned, `width` points wide."""
        return Table([[self.pill(text, fill)]], colWidths=[width], hAlign="LEFT", style=S.layout_style(
            ("BACKGROUND", (0, 0), (-1, -1), fill), ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4)))

    def side_by_side(self, cells: Sequence[Flowable | list[Flowable]], widths: Sequence[float], *,
                     valign: str = "TOP") -> Table:
        """Flowables next to each other; `widths` are fractions of the frame width."""
        total = sum(widths)
        return Table([list(cells)], colWidths=[self.width * w / total for w in widths],
                     style=S.layout_style(("VALIGN", (0, 0), (-1, -1), valign)))


def _font_size(value: Flowable) -> float:
    """The font size a cell's first line is set in (0 when it is not a paragraph)."""
    return float(value.style.fontSize) if isinstance(value, Paragraph) else 0.0


def fill_cell(col: int, row: int, fill: Color) -> TableCommand:
    return ("BACKGROUND", (col, row), (col, row), fill)


def severity_cell(ctx: Context, severity: str, col: int, row: int) -> tuple[Paragraph, TableCommand]:
    """A severity cell in the palette's colours, and the style command that fills it."""
    return (ctx.pill(severity, S.severity_fill(severity), S.severity_ink(severity)),
            fill_cell(col, row, S.severity_fill(severity)))
