"""Export… on each matrix tab writes that matrix; a bad target is said in a dialog and nothing is written."""

from __future__ import annotations

import csv


def test_each_matrix_tab_exports_its_matrix(qtbot, window, tmp_path, monkeypatch) -> None:
    page = window.view.page("matrices")
    for kind, tab in page.tab.items():
        assert tab.export_button.isEnabled()
        written = tab.export(tmp_path / f"{kind}.csv")
        assert written is not None
        with open(written, encoding="utf-8-sig") as stream:
            assert len(list(csv.reader(stream))) >= 1 + len(tab.rows())
    shown = []
    monkeypatch.setattr("workbench.ui.pages.matrix_export.show_error", lambda *a: shown.append(a))
    assert page.tab["tool"].export(tmp_path / "tool.txt") is None
    assert shown and not (tmp_path / "tool.txt").exists()
