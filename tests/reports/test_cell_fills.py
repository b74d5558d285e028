"""Single-cell fills kept per row (reports.cell_fills) draw exactly what reportlab's BACKGROUND commands drew,
on every page of a long table, a row split inside across two pages included; what cannot be taken out of
the commands without changing the drawing stays a command."""

from __future__ import annotations

from reportlab import rl_config
from reportlab.platypus import Spacer

from tests.helpers.report_tables import AMBER, RED, pdf_of, table_context
from workbench.reports import styles as S
from workbench.reports.cell_fills import split_fills, take_fills
from workbench.reports.context import fill_cell
from workbench.reports.flow import HouseTable


def _pdf(as_commands: bool) -> bytes:
    """A 300-row table, every third row tall enough to be split inside at a page foot, two cells filled per
    row; built once with the fills as BACKGROUND commands (as before) and once kept per row."""
    ctx = table_context()
    rows, extra = [], []
    for index in range(1, 301):
        text = " ".join(["observation"] * (150 if index % 3 == 0 else 4))
        rows.append([ctx.fixed(f"ROW-{index}"), ctx.fixed(text), ctx.pill("High", RED)])
        extra += [fill_cell(2, index, RED if index % 2 else AMBER), fill_cell(0, index, AMBER)]
    table = ctx.table(["Ref", "Text", "Severity"], rows, [0.15, 0.7, 0.15], extra=extra)
    assert isinstance(table, HouseTable) and table.cell_fills is not None
    if as_commands:  # the same table the way it was built before: every fill a style command
        table = HouseTable(table._cellvalues, colWidths=table._colWidths, repeatRows=1, splitInRow=1,
                           style=S.table_style(ctx.styles.accent, extra=extra))
        assert table.cell_fills is None
    return pdf_of([Spacer(1, 200), table])


def test_per_row_fills_draw_what_the_commands_drew_on_every_page() -> None:
    before = rl_config.invariant
    rl_config.invariant = 1
    try:
        ours, commands = _pdf(False), _pdf(True)
    finally:
        rl_config.invariant = before
    assert ours.count(b"/Type /Page\n") > 10  # many pages, so many splits
    assert ours == commands


def test_a_row_split_inside_keeps_its_fill_in_both_parts() -> None:
    fills = [(), ((2, RED),), ((2, AMBER),), ((0, RED),)]
    # between rows: rows 0-1 on the first page, header + rows 2-3 on the next
    assert split_fills(fills, 2, 3, 1, 4) == ([(), ((2, RED),)], [(), ((2, AMBER),), ((0, RED),)])
    # inside row 2: its first part ends the first page, its second part starts the next
    assert split_fills(fills, 3, 3, 1, 4) == ([(), ((2, RED),), ((2, AMBER),)], [(), ((2, AMBER),), ((0, RED),)])


def test_fills_that_cannot_be_taken_out_stay_commands() -> None:
    span = [fill_cell(1, 1, RED), ("SPAN", (0, 1), (1, 1))]
    assert take_fills(span, 3) == (span, None)  # a spanned cell is filled over its whole span
    other = [fill_cell(1, 1, RED), ("BACKGROUND", (0, 2), (-1, 2), AMBER)]
    assert take_fills(other, 3) == (other, None)  # drawn in between: the order would change
    negative = [("BACKGROUND", (1, -1), (1, -1), RED)]
    assert take_fills(negative, 3) == (negative, None)
    lines = [fill_cell(1, 2, RED), ("LINEABOVE", (0, 2), (-1, 2), 0.8, S.INK)]
    assert take_fills(lines, 3) == ([lines[1]], [(), (), ((1, RED),)])
