"""A re-audit's pages mark what came across from the earlier audit: first cell, tooltip, count line, editor."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from workbench.services import records
from workbench.services.reaudit import start_reaudit
from workbench.ui.record_model import CARRIED_MARK, CARRIED_TIP


@pytest.fixture
def reaudit_session(qtbot, sample_ws):
    from workbench.ui.session import EngagementSession

    later = start_reaudit(sample_ws, sample_ws.sample_uid)
    return EngagementSession(sample_ws, later)


def first_cells(model) -> list[tuple[str, Any]]:
    return [(model.index(row, 0).data(), model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole))
            for row in range(model.rowCount())]


def assert_all_marked(model) -> None:
    cells = first_cells(model)
    assert cells, "the re-audit carried rows across"
    for text, tip in cells:
        assert text.startswith(f"{CARRIED_MARK} ") and tip.startswith(CARRIED_TIP)


@pytest.mark.parametrize(("module", "name", "kind"), [
    ("risks", "RisksPage", "risk"), ("costs", "CostsPage", "cost"), ("roadmap", "RoadmapPage", "roadmap"),
    ("findings", "FindingsPage", "finding"),
])
def test_record_page_marks_carried_rows_and_not_new_ones(qtbot, reaudit_session, module, name, kind) -> None:
    import importlib

    page_class = getattr(importlib.import_module(f"workbench.ui.pages.{module}"), name)
    page = page_class(reaudit_session)
    qtbot.addWidget(page)
    carried = len(records.list_records(reaudit_session.ws, reaudit_session.uid, kind))
    assert carried == page.model.total
    assert_all_marked(page.model)
    assert f"{CARRIED_MARK} {carried} carried forward from the previous audit" in page.count_label.text()
    page.select(page.model.row_at(0)["uid"])
    assert page.form.heading.text().endswith("carried forward from the previous audit")

    uid = page.add_record()  # a record of this audit carries no mark
    assert uid is not None
    page.clear_filters()
    row = page.model.row_of(uid)
    assert not page.model.index(row, 0).data().startswith(CARRIED_MARK)
    assert page.model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole) != CARRIED_TIP
    assert "carried forward" not in page.form.heading.text()
    assert f"{carried} carried forward" in page.count_label.text()


def test_matrix_tabs_mark_carried_rows(qtbot, reaudit_session, sample_ws) -> None:
    from workbench.ui.pages.matrices import MatricesPage

    page = MatricesPage(reaudit_session)
    qtbot.addWidget(page)
    filled = [tab for tab in page.tab.values() if tab.rows()]
    assert filled
    for tab in filled:
        assert_all_marked(tab.model)
        assert f"{len(tab.rows())} carried forward" in tab.summary.text()
        tab.search.setText("true")  # the hidden mark is not searched as text
        holding = [r for r in tab.rows() if "true" in str(list((r["data"] or {}).values())).casefold()]
        assert tab.model.rowCount() == len(holding) < len(tab.rows())
        tab.search.clear()

    tab = page.tab["compliance"]
    uid = tab.add_row()
    assert uid is not None
    text = tab.model.index(tab.model.row_of(uid), 0).data()
    assert not text.startswith(CARRIED_MARK)


def test_the_earlier_audit_shows_no_marks(qtbot, session) -> None:
    from workbench.ui.pages.risks import RisksPage

    page = RisksPage(session)
    qtbot.addWidget(page)
    assert not any(text.startswith(CARRIED_MARK) for text, _tip in first_cells(page.model))
    assert "carried forward" not in page.count_label.text()
