"""Single-cell fills (a severity or status cell in its colour) kept per row instead of as table-style commands.

reportlab carries every style command into both parts each time a table splits across a page, so a register
with one BACKGROUND command per row costs time in proportion to rows x pages: 5,000 findings made some
2 million command copies. A `HouseTable` keeps such fills as a list aligned with its rows instead (sliced
when it splits, the row split inside shown in both parts, as reportlab stretches its command) and paints
them after the table-style backgrounds, in the order the commands would have: the same rectangles in the
same colours.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.colors import Color

from workbench.reports.styles import TableCommand

RowFills = tuple[tuple[int, Color], ...]  # (column, colour) of each filled cell of one row
_BACKGROUNDS = ("BACKGROUND", "ROWBACKGROUNDS", "COLBACKGROUNDS")


def _single_cell_fill(command: TableCommand) -> tuple[int, int, Color] | None:
    """(column, row, colour) when `command` fills one cell given by non-negative indices with a plain colour."""
    if command[0] != "BACKGROUND" or len(command) != 4 or not isinstance(command[3], Color):
        return None
    (start_col, start_row), (end_col, end_row) = command[1], command[2]
    if (start_col, start_row) != (end_col, end_row) or start_col < 0 or start_row < 0:
        return None
    return start_col, start_row, command[3]


def take_fills(extra: Sequence[TableCommand], rows: int) -> tuple[list[TableCommand], list[RowFills] | None]:
    """(the commands left, the fills per row), or (extra unchanged, None) when the fills cannot be taken out
    without changing the drawing: another background among them (drawn in between), or spanned cells."""
    fills: list[tuple[int, int, Color]] = []
    left: list[TableCommand] = []
    for command in extra:
        fill = _single_cell_fill(command)
        if fill is not None and fill[1] < rows:
            fills.append(fill)
        elif command[0] in _BACKGROUNDS or command[0] == "SPAN":
            return list(extra), None
        else:
            left.append(command)
    if not fills:
        return list(extra), None
    per_row: list[list[tuple[int, Color]]] = [[] for _ in range(rows)]
    for col, row, colour in fills:
        per_row[row].append((col, colour))
    return left, [tuple(row_fills) for row_fills in per_row]


def paint(canvas: Any, fills: Sequence[RowFills], col_positions: Sequence[float],
          row_positions: Sequence[float]) -> None:
    """Fill each cell's rectangle, computed as reportlab computes a BACKGROUND command's."""
    cols, rows = len(col_positions) - 1, len(row_positions) - 1
    for row, row_fills in enumerate(fills[:rows]):
        for col, colour in row_fills:
            x0, y0 = col_positions[col], row_positions[row]
            width = col_positions[min(col + 1, cols)] - x0
            height = row_positions[min(row + 1, rows)] - y0
            canvas.setFillColor(colour)
            canvas.rect(x0, y0, width, height, stroke=0, fill=1)


def split_fills(fills: Sequence[RowFills], first_rows: int, rest_rows: int, header: int,
                rows: int) -> tuple[list[RowFills], list[RowFills]]:
    """The fills of the two parts of a split table of `rows` rows: `first_rows` and `rest_rows` rows (the
    rest repeats `header` rows). A row split inside appears in both parts, and so does its fill."""
    inside = first_rows + rest_rows - header > rows
    resume = first_rows - 1 if inside else first_rows
    return list(fills[:first_rows]), [*fills[:header], *fills[resume:]]
