"""The framework page (list, import with preview, weights, delete), OSCAL export from the menu, and the
assessment page's search and tag filter on an imported 1,000-item catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from bench.bench_catalogs import make_oscal_catalog
from tests.helpers.catalogs import CISO_YAML, OSCAL_JSON
from workbench.services.engagements import create_engagement
from workbench.services.frameworks import available_frameworks, get_framework, import_framework_file


def _row(page, framework_id: str) -> int:
    return next(n for n, e in enumerate(page.entries) if e.framework.id == framework_id)


def _cells(page, row: int) -> list[str]:
    return [page.table.item(row, c).text() for c in range(page.table.columnCount())]


@pytest.fixture
def page(qtbot, sample_ws):
    from workbench.ui.frameworks_page import FrameworksPage

    widget = FrameworksPage(sample_ws)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    return widget


def test_lists_built_in_and_imported_with_source_and_counts(page, sample_ws) -> None:
    import_framework_file(sample_ws, CISO_YAML)
    page.refresh()
    assert _cells(page, _row(page, "mlops-architecture"))[3:] == ["Built-in", "8", "106", "1"]
    assert _cells(page, _row(page, "ml-ops-checklist")) == ["Example ML Ops Checklist", "ml-ops-checklist", "3",
                                                            "CISO Assistant library", "3", "4", "0"]
    page.table.selectRow(_row(page, "ml-ops-checklist"))
    assert "ciso_ml_library.yaml" in page.detail.text() and "SHA-256" in page.detail.text()
    assert page.buttons["delete"].isEnabled() and page.buttons["weights"].isEnabled()
    page.table.selectRow(_row(page, "mlops-architecture"))
    assert not page.buttons["delete"].isEnabled() and not page.buttons["weights"].isEnabled()


def test_import_shows_a_preview_and_writes_only_on_import(qtbot, page, sample_ws) -> None:
    dialog = page.import_file(OSCAL_JSON)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10000)
    assert "Example ML Operations Control Catalog" in dialog.summary.text()
    assert "3 dimensions, 5 checklist items" in dialog.summary.text()
    assert dialog.weights.rowCount() == 3 and dialog.weights.item(0, 3).text() == "33.3%"
    assert dialog.warnings.item(0).text() == "1 withdrawn control was left out"
    assert "example-ml-operations-control-catalog" not in {e.framework.id for e in available_frameworks(sample_ws)}
    dialog.weights.spins[0][1].setValue(2.0)  # Model Governance counts double
    assert dialog.weights.item(0, 3).text() == "50.0%"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.imported is not None, timeout=10000)
    stored = get_framework("example-ml-operations-control-catalog", sample_ws)
    assert [d.weight for d in stored.dimensions] == [0.5, 0.25, 0.25]
    assert _cells(page, _row(page, stored.id))[3] == "OSCAL catalog"
    assert page.selected().framework.id == stored.id


def test_refused_file_is_explained_and_nothing_is_written(qtbot, page, sample_ws, tmp_path: Path) -> None:
    bad = tmp_path / "bomb.yaml"
    bad.write_text("urn: x\nobjects:\n  framework:\n    a: &a [1, 2]\n    b: [*a, *a]\n", encoding="utf-8")
    before = len(available_frameworks(sample_ws))
    dialog = page.import_file(bad)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "cannot be imported" in dialog.summary.text(), timeout=10000)
    assert "YAML aliases" in dialog.summary.text() and not dialog.import_button.isEnabled()
    assert dialog.body.isHidden() and dialog.equal_button.isHidden()  # no empty table beside the reason
    assert len(available_frameworks(sample_ws)) == before


def test_the_id_can_be_chosen_and_one_already_held_is_caught_before_import(qtbot, page, sample_ws) -> None:
    import_framework_file(sample_ws, OSCAL_JSON)
    dialog = page.import_file(OSCAL_JSON)  # the same catalog again
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10000)
    assert dialog.id_edit.text() == "example-ml-operations-control-catalog"
    assert "already has 'example-ml-operations-control-catalog' version 1.2" in dialog.id_problem.text()
    assert not dialog.import_button.isEnabled()
    dialog.id_edit.setText("Weighted Copy")
    assert "lowercase letters" in dialog.id_problem.text() and not dialog.import_button.isEnabled()
    dialog.id_edit.setText("mlops-architecture")  # a built-in id is taken too
    assert "id of a built-in framework" in dialog.id_problem.text() and not dialog.import_button.isEnabled()
    dialog.id_edit.setText("ml-ops-weighted")
    assert dialog.id_problem.isHidden() and dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.imported is not None, timeout=10000)
    assert dialog.imported.id == "ml-ops-weighted"
    assert {"example-ml-operations-control-catalog", "ml-ops-weighted"} <= {
        e.framework.id for e in available_frameworks(sample_ws)}


def test_weights_and_delete_only_before_first_use(qtbot, page, sample_ws) -> None:
    import_framework_file(sample_ws, CISO_YAML)
    page.refresh("ml-ops-checklist")
    dialog = page.edit_weights()
    qtbot.addWidget(dialog)
    dialog.table.spins[1][1].setValue(3.0)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert [d.weight for d in get_framework("ml-ops-checklist", sample_ws).dimensions] == [0.2, 0.6, 0.2]

    page.confirm = lambda _parent, _text: False
    qtbot.mouseClick(page.buttons["delete"], Qt.MouseButton.LeftButton)
    assert "ml-ops-checklist" in {e.framework.id for e in page.entries}  # the auditor said no
    create_engagement(sample_ws, client="Acme", title="Uses it", framework_id="ml-ops-checklist")
    page.refresh("ml-ops-checklist")
    assert not page.buttons["delete"].isEnabled() and "Used by 1 engagement" in page.detail.text()


def test_delete_an_unused_import(qtbot, page, sample_ws) -> None:
    import_framework_file(sample_ws, CISO_YAML)
    page.refresh("ml-ops-checklist")
    page.confirm = lambda _parent, _text: True
    qtbot.mouseClick(page.buttons["delete"], Qt.MouseButton.LeftButton)
    assert "ml-ops-checklist" not in {e.framework.id for e in available_frameworks(sample_ws)}
    assert "ml-ops-checklist" not in {e.framework.id for e in page.entries}


def test_main_window_offers_frameworks_and_oscal_export(qtbot, window, sample_ws, tmp_path: Path) -> None:
    from trestle.oscal.assessment_results import AssessmentResults

    from workbench.ui.frameworks_page import FrameworksDialog

    window.findChild(type(window.export_action), "frameworks").trigger()
    dialog = window.findChild(FrameworksDialog)
    assert dialog is not None and dialog.isVisible() and dialog.page.table.rowCount() == 2
    dialog.reject()
    action = window.findChild(type(window.export_action), "export_oscal")
    assert action.isEnabled() and action in window.menuBar().actions()[0].menu().actions()
    target = tmp_path / "results.json"
    window.export_oscal_file(sample_ws.sample_uid, target)
    qtbot.waitUntil(target.exists, timeout=20000)
    model = AssessmentResults.oscal_read(target)
    assert model.results[0].reviewed_controls is not None
    assert json.loads(target.read_text())["assessment-results"]["metadata"]["props"][0]["value"] == "DGA-2026-01"


@pytest.fixture
def big_session(qtbot, sample_ws, tmp_path: Path):
    from workbench.ui.session import EngagementSession

    path = tmp_path / "big.json"
    path.write_text(json.dumps(make_oscal_catalog(1200)), encoding="utf-8")
    framework = import_framework_file(sample_ws, path)
    assert framework.item_count > 1000
    uid = create_engagement(sample_ws, client="Acme", title="Big catalog", framework_id=framework.id)
    return EngagementSession(sample_ws, uid)


def test_assessment_page_search_and_tag_filter_on_a_1000_item_catalog(qtbot, big_session) -> None:
    from workbench.ui.pages.assessment import AssessmentPage

    page = AssessmentPage(big_session)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    qtbot.waitExposed(page)
    assert page.dimension_list.count() == 20
    assert page.model.rowCount() == len(big_session.framework.dimensions[0].items)

    qtbot.keyClicks(page.filter_bar.search, "au-3")
    assert page.dimension().id == "au"  # jumped to the first dimension with a match
    assert [i.id for i in page.model.items][:1] == ["au-3"] and all("au-3" in i.id for i in page.model.items)
    assert page.dimension_list.item(0).text().endswith("· 0 found")

    page.filter_bar.search.clear()
    tag = page.filter_bar.tag
    tag.setCurrentIndex(tag.findData("control"))
    assert page.model.items and all(i.tags == ("control",) for i in page.model.items)

    page.checklist.setFocus()
    qtbot.keyClick(page.checklist, Qt.Key.Key_Y)  # answer the first base control and move on
    first = page.model.items[0].id
    assert next(r for r in big_session.document["checklist"] if r["item_id"] == first)["answer"] == "yes"
    assert page.current_item().id == page.model.items[1].id
