"""What every section gets: the data, the styles, chart images and the helpers that build cells and tables.

Cells are Paragraphs (so long text wraps and `splitInRow` can split a tall row across pages), and every
user value reaches them through `cell()` / `para()`, i.e. through text.markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, Paragraph, Table

from workbench.reports import styles as S
from workbench.reports import wraps
from workbench.reports.cell_fills import take_fills
from workbench.reports.chart_images import ChartPainter
from workbench.reports.data import Branding, ReportData
from workbench.reports.document import KeepRoom
from workbench.reports.flow import HouseTable
from workbench.reports.speedups import FastParagraph
from workbench.reports.styles import TableCommand
from workbench.reports.text import label, markup


class CellParagraph(FastParagraph):
    """A Paragraph that breaks its lines once per width (and parses through the shape cache).

    A table asks a cell for its size several times while it is laid out and split across pages (the table
    that does not fit, each part, the part tried inside a row): without this a 1,000-finding register
    breaks every cell's lines about nine times. The result of a wrap depends only on the markup, the style
    and the width, so cells with the same text (severity pills, statuses, effort figures, header cells
    repeated on every page) share it too, through `wraps` (see there).
    """

    def _setup(self, text: str, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:  # noqa: N803
        # made from markup (not from a split's fragments): its lines may be shared with its twins
        self._source = text if frags is None and not bulletText and isinstance(text, str) else None
        super()._setup(text, style, bulletText, frags, cleaner)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        cached = self.__dict__.get("_wrapped")
        if cached is not None and cached[0] == availWidth:
            _, self.width, self._wrapWidths, self.blPara, self.height = cached
            return self.width, self.height
        if self._source is None or not wraps.take(self, availWidth):
            super().wrap(availWidth, availHeight)
            if self._source is not None:
                wraps.keep(self, availWidth)
        self._wrapped = (availWidth, self.width, self._wrapWidths, self.blPara, self.height)
        return self.width, self.height


@dataclass
class Context:
    data: ReportData
    styles: S.Styles
    branding: Branding
    kind: str
    width: float
    charts: ChartPainter = field(default_factory=ChartPainter)
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
        head = [CellParagraph(label(h), self.styles.head_right if i in right else self.styles.head)
                if isinstance(h, str) else h for i, h in enumerate(header)]
        body = [[self.fixed(c) if isinstance(c, str) else c for c in row] for row in rows]
        data = ([head] if header_rows else []) + body
        commands, fills = take_fills(extra or [], len(data))
        style = S.table_style(self.styles.accent, header_rows=header_rows, zebra=zebra, extra=commands)
        table = HouseTable(data, colWidths=col_widths, repeatRows=header_rows, splitInRow=1, style=style)
        table.cell_fills = fills
        if not commands:  # no command names a row of its own: a long table may be laid out a window at a time
            table.house_style = style
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
