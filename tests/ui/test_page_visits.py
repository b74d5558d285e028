"""Moving between steps: a page built once is shown again as it was. No page is wider than the step area at
1366 × 768 (one that was widened every page, so each was laid out and its charts drawn again on the next visit),
and a second walk through the steps draws no chart and fits no table's columns again."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ui.walk import settle
from workbench.ui.chart_widget import ChartCanvas
from workbench.ui.column_fit import ColumnFitter
from workbench.ui.pages import PAGE_CLASSES


def test_a_second_visit_redraws_no_chart_and_refits_no_table(window, monkeypatch: pytest.MonkeyPatch) -> None:
    view = window.view
    for step in PAGE_CLASSES:  # the first visit builds each page
        window.show_step(step)
        settle()
    width = view.stack.width()
    wider = {step: page.minimumSizeHint().width() for step, page in view.pages.items()
             if page.minimumSizeHint().width() > width}
    assert wider == {}, f"wider than the {width} px step area at 1366 px: {wider}"

    work: list[str] = []
    draw, refit = ChartCanvas.draw, ColumnFitter.refit

    def counted_draw(self: ChartCanvas) -> Any:
        work.append(f"chart draw on {window.view.current_step()}")
        return draw(self)

    def counted_refit(self: ColumnFitter) -> Any:
        work.append(f"column fit on {window.view.current_step()}")
        return refit(self)

    monkeypatch.setattr(ChartCanvas, "draw", counted_draw)
    monkeypatch.setattr(ColumnFitter, "refit", counted_refit)
    for step in PAGE_CLASSES:
        window.show_step(step)
        settle()
    assert view.stack.width() == width
    assert work == []
