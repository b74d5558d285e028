"""Page flow: how tables split across pages and what stays together.

* `HouseTable` fills the page before splitting and never leaves a page with a sliver of a table: each part
  of a split table has MIN_ROWS rows or MIN_PART points of rows. A split that would leave a short head or
  tail moves its split point up, or moves the table to the next page. A row taller than the
  room left is split inside the row, and its continuation on the next page names the row it continues
  ("F-003 (continued)", or "(cont.)" in a narrow column) instead of starting under an empty first cell.
* `Bundle` keeps flowables that belong together on one page: a heading with the first rows of its table,
  or the sign-off heading with the signature box. It moves on whole unless all of it (the last flowable
  only as far as it splits) fits; its parts are then placed one by one, so headings still reach the
  contents, the outline and the named destinations.
* `keep_tail(paragraphs)` bundles the last lines of a list, so none is left alone at the top of a page.
* `bind(story)` bundles every heading that a table follows, so no heading is left alone at a page foot.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from workbench.reports import fonts
from workbench.reports.cell_fills import RowFills, paint, split_fills
from workbench.reports.document import KeepRoom, SignatureArea
from workbench.reports.speedups import FastParagraph
from workbench.reports.styles import body_height
from workbench.reports.text import label

IN_ROW_SPLIT_MIN = 60  # points left on a page below which a long row moves on whole instead of being split
MIN_ROWS = 3  # rows of a table a page shows at least, unless the table has fewer ...
MIN_PART = 96  # ... or they are this tall (points: about eight lines of cell text)
MIN_TAIL = 36  # points (about three lines) the continuation of a split row shows at least
CONTINUED = ("(continued)", "(cont.)")  # the short form where the first column is narrow
WINDOW = 120  # body rows of a long table's first window (more than any page holds); later ones ...
MIN_WINDOW = 12  # ... take twice the rows the page before needed, at least this many and at most WINDOW


def _at_top(avail_height: float) -> bool:
    return avail_height >= body_height() - 1


def _plain(value: Any) -> str:
    """The text of a cell's content (a Paragraph, a list of them, or a string)."""
    items = value if isinstance(value, (list, tuple)) else [value]
    return " ".join(item.getPlainText() if isinstance(item, Paragraph) else str(item or "") for item in items).strip()


def _to_end(command: tuple[Any, ...], last: int) -> tuple[Any, ...]:
    """A table-style command that ends at row `last` made to end at the table's last row, whatever it is."""
    return (command[0], command[1], (command[2][0], -1), *command[3:]) if command[2][1] == last else command


class HouseTable(Table):
    """The house table: splits so that no page holds a sliver of it (see the module docstring)."""

    # reportlab's own (unannotated) internals this class works with
    _rowHeights: list[float]
    _colWidths: list[float]
    _cellvalues: list[list[Any]]
    _calc: Callable[[float, float], None]
    _getFirstPossibleSplitRowPosition: Callable[[float], int]
    _rowpositions: list[float]
    _colpositions: list[float]
    _argH: list[float | None]
    _cellStyles: list[list[Any]]
    _linecmds: list[tuple[Any, ...]]
    _bkgrndcmds: list[tuple[Any, ...]]
    cell_fills: list[RowFills] | None = None  # single-cell fills per row (see cell_fills)
    # a long table is laid out WINDOW body rows at a time (see _window); `house_style` is set on tables whose
    # style names no row of its own, which may be windowed; `_pending` are the rows after the window
    house_style: TableStyle | None = None
    _pending: Sequence[list[Any]] = ()
    _is_window = False  # the window itself splits as a table
    _pending_fills: Sequence[RowFills] = ()
    _pending_styles: Sequence[list[Any]] = ()  # the pending rows' cell styles, set once by the whole table
    _window_rows = WINDOW  # the body rows the next window starts with (see _window)

    def _splitRows(self, availHeight: float, doInRowSplit: int = 0) -> list[Flowable]:  # noqa: N803
        parts: list[Flowable] = super()._splitRows(availHeight, doInRowSplit=doInRowSplit)  # type: ignore[misc]
        if len(parts) == 2:
            first, rest = parts
            assert isinstance(first, HouseTable) and isinstance(rest, HouseTable)  # parts are of this class
            if self.cell_fills is not None:
                first.cell_fills, rest.cell_fills = split_fills(
                    self.cell_fills, len(first._cellvalues), len(rest._cellvalues), self._header_rows(),
                    len(self._cellvalues))
            rest.house_style, rest._pending, rest._pending_fills = self.house_style, self._pending, self._pending_fills
            rest._pending_styles, rest._window_rows = self._pending_styles, self._window_rows
        return parts

    def _windowed(self) -> bool:
        return not self._is_window and (bool(self._pending) or (
            self.house_style is not None and len(self._cellvalues) - self._header_rows() > WINDOW))

    def _window(self, avail_width: float, avail_height: float) -> HouseTable:
        """This table's rows and the pending ones as a table of the next `WINDOW` body rows (or more, so that the
        page's split point and MIN_ROWS after it lie inside), the rest pending.

        A split depends only on the rows up to the split point and a few after it, so the page breaks are
        those of the whole table; but reportlab then copies, measures and re-styles only the window's rows
        at each page, not every remaining row (5,000 findings: rows x pages), and the cells of a row are
        broken into lines only when its page comes near, not all at once (most of the report's memory).

        A window that turns out too short is doubled. Once a page has been split, the next window is twice what
        that page needed: a register of tall rows, five to a page, measures about a dozen rows per page instead
        of WINDOW (measuring a row is cheap, its lines are kept, but reportlab's bookkeeping per cell is not)."""
        size = self._window_rows
        while True:
            window = self._first_rows(self._header_rows() + size)
            if not window._pending:
                return window
            window._calc(avail_width, avail_height)
            needed = window._getFirstPossibleSplitRowPosition(avail_height) + MIN_ROWS + 2
            if needed < len(window._rowHeights):
                window._window_rows = max(MIN_WINDOW, min(WINDOW, 2 * (needed - self._header_rows())))
                return window
            size *= 2

    def _first_rows(self, cut: int) -> HouseTable:
        """A table of the first `cut` rows of this one and its pending rows; the others pending in it.

        The rows keep the cell styles the whole table's house style gave them once (and this part's as
        reportlab left them, a row split inside): styling each window anew set every command on every cell
        of 120 rows at each page. The house style's other commands are this part's own (below)."""
        own = len(self._cellvalues)
        taken = max(0, cut - own)
        rows = [list(row) for row in (*self._cellvalues[:cut], *self._pending[:taken])]
        window = HouseTable(rows, colWidths=self._colWidths, repeatRows=self.repeatRows, splitInRow=1,
                            rowHeights=[*self._argH[:cut], *[None] * (len(rows) - min(cut, own))],
                            normalizedData=1, cellStyles=[*self._cellStyles[:cut], *self._pending_styles[:taken]])
        # reportlab's commands for this part (a split adds a rule above the continued rows), those that run to
        # its last row running on to the window's
        window._linecmds = [_to_end(command, own - 1) for command in self._linecmds]
        window._bkgrndcmds = [_to_end(command, own - 1) for command in self._bkgrndcmds]
        window._continued = getattr(self, "_continued", False)  # type: ignore[attr-defined]
        window.house_style, window._is_window = self.house_style, True
        window._pending = [*self._cellvalues[cut:], *self._pending[taken:]]
        window._pending_styles = [*self._cellStyles[cut:], *self._pending_styles[taken:]]
        if self.cell_fills is not None:
            window.cell_fills = [*self.cell_fills[:cut], *self._pending_fills[:taken]]
            window._pending_fills = [*self.cell_fills[cut:], *self._pending_fills[taken:]]
        return window

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._windowed():  # longer than any page: the frame splits it (see _window)
            return sum(self._colWidths), availHeight + 1
        return super().wrap(availWidth, availHeight)

    def _drawBkgrnd(self) -> None:  # noqa: N802
        super()._drawBkgrnd()  # type: ignore[misc]
        if self.cell_fills:
            paint(self.canv, self.cell_fills, self._colpositions, self._rowpositions)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        if getattr(self, "_continued", False) and not _at_top(availHeight):
            return []  # the rest of a split table starts on a new page, never under its own first part
        if self._windowed():
            return self._window(availWidth, availHeight).split(availWidth, availHeight)
        self._calc(availWidth, availHeight)
        fits = self._getFirstPossibleSplitRowPosition(availHeight)
        parts = (self._split_in_row(availWidth, availHeight, fits)
                 or self._split_between_rows(availWidth, availHeight, fits))
        for part in parts[1:]:
            part._continued = True  # type: ignore[attr-defined]
        return parts

    def _header_rows(self) -> int:
        return self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)

    def _split_in_row(self, avail_width: float, avail_height: float, fits: int) -> list[Flowable]:
        """Split the row that does not fit inside it, when enough of it fits here and enough is left over."""
        left = avail_height - sum(self._rowHeights[:fits])
        if not self.splitInRow or fits >= len(self._rowHeights) or left <= IN_ROW_SPLIT_MIN:
            return []
        parts = self._splitRows(avail_height - 2, doInRowSplit=1)  # a little slack for rounding
        if len(parts) != 2 or parts[0].wrap(avail_width, avail_height)[1] > avail_height:
            return []
        tail = parts[1]
        assert isinstance(tail, HouseTable)  # _splitRows makes its parts of this class
        tail.wrap(avail_width, body_height())
        header = self._header_rows()
        if len(tail._rowHeights) == header + 1 and tail._rowHeights[header] < MIN_TAIL:
            return []  # a sliver of the last row alone on the next page: split between rows instead
        self._name_continuation(tail, fits, header)
        return parts

    def _name_continuation(self, tail: HouseTable, row: int, header: int) -> None:
        """Put "<first cell> (continued)" in the first cell of the continued row, when it is empty there."""
        if _plain(tail._cellvalues[header][0]):
            return
        name = _plain(self._cellvalues[row][0])
        first = self._cellvalues[row][0]
        first = first[0] if isinstance(first, (list, tuple)) and first else first
        style = first.style if isinstance(first, Paragraph) else None
        if style is None:
            return
        room = tail._colWidths[0] - 8  # the house style pads cells by 4 points a side
        word = next((w for w in CONTINUED if stringWidth(w, fonts.SANS_ITALIC, style.fontSize) <= room), CONTINUED[-1])
        text = f"{label(name)}<br/><i>{label(word)}</i>" if name else f"<i>{label(word)}</i>"
        tail._cellvalues[header][0] = FastParagraph(text, style)

    def _split_between_rows(self, avail_width: float, avail_height: float, fits: int) -> list[Flowable]:
        """Split between rows with at least MIN_ROWS rows on each side; else move on (or split as reportlab
        would, at the top of a page, where moving on cannot help)."""
        header, heights = self._header_rows(), self._rowHeights

        def enough(rows: list[float]) -> bool:
            return len(rows) >= MIN_ROWS or sum(rows) >= MIN_PART

        for split_at in range(min(fits, len(heights) - 1), header, -1):
            if enough(heights[header:split_at]) and enough(heights[split_at:]):
                return self._splitRows(sum(heights[:split_at]) + 0.5, doInRowSplit=0)
        return super().split(avail_width, avail_height) if _at_top(avail_height) else []


class Bundle(Flowable):
    """Flowables that start on one page together (see the module docstring)."""

    def __init__(self, flowables: Sequence[Flowable]) -> None:
        super().__init__()
        self.flowables = list(flowables)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return availWidth, availHeight + 1  # never "fits": the frame asks split(), which places the parts

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        *head, last = self.flowables
        used = 0.0 if _at_top(availHeight) else head[0].getSpaceBefore() if head else 0.0
        for index, flowable in enumerate(head):
            used += flowable.wrap(availWidth, availHeight - used)[1] + flowable.getSpaceAfter()
            if index:
                used += flowable.getSpaceBefore()
        rest = availHeight - used - last.getSpaceBefore() - 4  # a little slack: the frame rounds too
        if rest <= 0:
            return list(self.flowables) if _at_top(availHeight) else []
        fits = last.needed <= rest if isinstance(last, SignatureArea) else last.wrap(availWidth, rest)[1] <= rest
        if fits:
            return list(self.flowables)
        parts = last.split(availWidth, rest)
        if parts:
            return [*head, *parts]
        return list(self.flowables) if _at_top(availHeight) else []

    def draw(self) -> None:  # never drawn itself: split() hands its parts to the frame
        pass


def keep_tail(flowables: Sequence[Flowable], count: int = MIN_ROWS) -> list[Flowable]:
    """A list of short paragraphs (numbered questions, bullets) whose last `count` start on one page together,
    so a page never holds only the last line or two of a list."""
    if len(flowables) < 2:
        return list(flowables)
    return [*flowables[:-count], Bundle(flowables[-count:])]


def bind(story: list[Flowable]) -> list[Flowable]:
    """The story with each heading that a table follows (directly, or after one paragraph) bundled with it."""
    bound: list[Flowable] = []
    index = 0
    while index < len(story):
        flowable = story[index]
        if isinstance(flowable, KeepRoom):
            for span in (2, 3):
                group = story[index:index + span]
                if len(group) == span and isinstance(group[-1], HouseTable) and all(
                        isinstance(f, Paragraph) for f in group[1:-1]):
                    bound.append(Bundle(group))
                    index += span
                    break
            else:
                bound.append(flowable)
                index += 1
            continue
        bound.append(flowable)
        index += 1
    return bound
