"""A long house table is laid out a window of rows at a time (reports.flow.HouseTable._window): the pages are
byte for byte those of the whole table split page by page, and the rows beyond the window are neither
measured nor broken into lines until their page comes near."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from reportlab import rl_config
from reportlab.platypus import Spacer

from tests.helpers.report_tables import AMBER, RED, pdf_of, table_context
from workbench.reports.context import fill_cell
from workbench.reports.document import body_height, frame_width
from workbench.reports.flow import WINDOW, HouseTable, _plain


def _table(rows: int) -> HouseTable:
    """Rows of varied height, every seventh tall enough to be split inside at a page foot, a filled cell each."""
    ctx = table_context()
    body, extra = [], []
    for index in range(1, rows + 1):
        text = " ".join(["observation"] * (150 if index % 7 == 0 else 4 + index % 13))
        body.append([ctx.fixed(f"ROW-{index}"), ctx.fixed(text), ctx.pill("High", RED)])
        extra.append(fill_cell(2, index, RED if index % 2 else AMBER))
    table = ctx.table(["Ref", "Text", "Severity"], body, [0.15, 0.7, 0.15], extra=extra)
    assert isinstance(table, HouseTable)
    return table


@pytest.fixture
def invariant() -> Iterator[None]:
    before = rl_config.invariant
    rl_config.invariant = 1
    yield
    rl_config.invariant = before


@pytest.mark.usefixtures("invariant")
def test_a_long_table_laid_out_a_window_at_a_time_gives_the_same_pages() -> None:
    windowed = _table(3 * WINDOW + 50)
    whole = _table(3 * WINDOW + 50)
    whole.house_style = None  # laid out as one table, split page by page by reportlab
    ours = pdf_of([Spacer(1, 300), windowed])
    assert ours.count(b"/Type /Page\n") > 20
    assert ours == pdf_of([Spacer(1, 300), whole])


def test_rows_beyond_the_window_are_not_broken_into_lines_yet() -> None:
    table = _table(2000)
    width = frame_width()
    assert table.wrap(width, body_height())[1] > body_height()  # never "fits": the frame asks for a split
    first, rest = table.split(width, body_height())
    assert isinstance(first, HouseTable) and isinstance(rest, HouseTable)
    wrapped = sum(1 for row in table._cellvalues[1:] if "_wrapped" in row[1].__dict__)
    assert len(first._cellvalues) - 1 <= wrapped <= WINDOW
    # every row is in the parts, in order (the rest holds a window and the rows pending after it); a row split
    # inside shows in both, named "(continued)" in the second
    rows = [*first._cellvalues[1:], *rest._cellvalues[1:], *rest._pending]
    refs = [_plain(row[0]).split("(")[0].strip() for row in rows]
    assert [ref for n, ref in enumerate(refs) if not n or ref != refs[n - 1]] == [
        f"ROW-{index}" for index in range(1, 2001)]
