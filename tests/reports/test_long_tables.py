"""A long house table is laid out a window of rows at a time (reports.flow.HouseTable._window): the pages are
byte for byte those of the whole table split page by page, and the rows beyond the window are neither
measured nor broken into lines until their page comes near."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from reportlab import rl_config
from reportlab.platypus import Spacer

from tests.helpers.report_tables import AMBER, RED, pdf_of, table_context
from workbench.reports.context import fill_cell
from workbench.reports.flow import WINDOW, HouseTable, _plain
from workbench.reports.styles import body_height, frame_width


def _varied(index: int) -> int:
    """Words in row `index`: varied, every seventh row tall enough to be split inside at a page foot."""
    return 150 if index % 7 == 0 else 4 + index % 13


def _register(index: int) -> int:
    """Words in row `index` of a register: runs of rows five to a page, then of rows forty to a page."""
    return 120 + index % 9 if (index // 60) % 2 == 0 else 3


def _table(rows: int, words: Callable[[int], int] = _varied) -> HouseTable:
    """Rows of `words(index)` words and a filled cell each."""
    ctx = table_context()
    body, extra = [], []
    for index in range(1, rows + 1):
        text = " ".join(["observation"] * words(index))
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
@pytest.mark.parametrize("words", [_varied, _register])
def test_a_long_table_laid_out_a_window_at_a_time_gives_the_same_pages(words: Callable[[int], int]) -> None:
    windowed = _table(3 * WINDOW + 50, words)
    whole = _table(3 * WINDOW + 50, words)
    whole.house_style = None  # laid out as one table, split page by page by reportlab
    ours = pdf_of([Spacer(1, 300), windowed])
    assert ours.count(b"/Type /Page\n") > 20
    assert ours == pdf_of([Spacer(1, 300), whole])


def test_a_register_of_tall_rows_measures_a_few_rows_per_page_not_a_whole_window(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """After its first page a window is twice what the page before needed: a register of rows five to a page
    lays out a dozen rows or so per page, not WINDOW rows at every page (reportlab's bookkeeping per cell is
    most of a long register's layout once the cells' lines are kept)."""
    laid_out: list[int] = []
    calc = HouseTable._calc

    def counted(self: HouseTable, width: float, height: float) -> None:
        laid_out.append(len(self._cellvalues))
        calc(self, width, height)

    table = _table(2 * WINDOW, lambda index: 120 + index % 9)
    monkeypatch.setattr(HouseTable, "_calc", counted)
    pages = pdf_of([table]).count(b"/Type /Page\n")
    assert pages > 2 * WINDOW // 6  # about four rows a page
    assert sum(laid_out) < 25 * 2 * WINDOW  # about 14 times the table's rows; 68 times with WINDOW rows a page


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
