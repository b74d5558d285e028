"""The portfolio dialog: clients with their audits, the trend, and two engagements compared."""

from __future__ import annotations

from workbench.services import assessment, records
from workbench.services.reaudit import start_reaudit


def test_portfolio_lists_clients_and_compares_a_reaudit(qtbot, sample_ws, tmp_path) -> None:
    from workbench.ui.portfolio_dialog import PortfolioDialog

    earlier = sample_ws.sample_uid
    later = start_reaudit(sample_ws, earlier)
    assessment.set_assessment(sample_ws, later, "DEP", level=4)
    first_open = next(f for f in records.list_records(sample_ws, later, "finding"))
    records.update_record(sample_ws, later, "finding", first_open["uid"], {"status": "resolved"})

    dialog = PortfolioDialog(sample_ws)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    assert dialog.client_table.rowCount() == 1
    assert dialog.client_table.item(0, 0).text() == "DriftGuardAI Ltd"
    assert dialog.audit_table.rowCount() == 2
    assert "(followed by a re-audit)" in dialog.audit_table.item(0, 2).text()
    assert len(dialog.trend.data.scores) == 2 and None not in dialog.trend.data.scores
    dialog.grab().save(str(tmp_path / "portfolio.png"))

    dialog.tabs.setCurrentIndex(1)
    assert (dialog.earlier.currentData(), dialog.later.currentData()) == (earlier, later)  # the last two
    comparison = dialog.compare()
    assert comparison is not None and comparison.count("resolved") == 1
    rows = {dialog.dimension_table.item(r, 0).text(): dialog.dimension_table.item(r, 3).text()
            for r in range(dialog.dimension_table.rowCount())}
    assert rows["Deployment"] == "+2"
    states = [dialog.finding_table.item(r, 0).text() for r in range(dialog.finding_table.rowCount())]
    assert states.count("resolved") == 1 and "still open" in states
    assert "1 resolved" in dialog.compare_summary.text()
    dialog.grab().save(str(tmp_path / "compare.png"))


def test_library_opens_the_portfolio(qtbot, window, monkeypatch) -> None:
    from workbench.ui import portfolio_dialog

    shown = []
    monkeypatch.setattr(portfolio_dialog.PortfolioDialog, "exec", lambda self: shown.append(self) or 0)
    window.library.buttons["portfolio"].click()
    assert len(shown) == 1 and shown[0].client_table.rowCount() == 1
