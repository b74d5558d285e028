"""An engagement on a framework of twenty dimensions (SP 800-53's families) in the desktop app."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.catalogs import FAMILY_IDS, family_catalog
from tests.helpers.qt import current_id
from workbench.services.assessment import set_assessment
from workbench.services.engagements import create_engagement
from workbench.services.frameworks import import_framework_file


def test_overview_radar_shows_codes_and_names_them_in_its_tooltip(qtbot, window, sample_ws, tmp_path: Path) -> None:
    catalog = tmp_path / "twenty-families.json"
    catalog.write_text(json.dumps(family_catalog()), encoding="utf-8")
    framework = import_framework_file(sample_ws, catalog)
    uid = create_engagement(sample_ws, client="Contoso Federal", title="Families audit", framework_id=framework.id)
    set_assessment(sample_ws, uid, "ac", level=3)
    window.open_engagement(uid)
    window.show_step("overview")
    radar = window.view.pages["overview"].radar
    qtbot.waitUntil(lambda: bool(radar.figure.axes) and bool(radar.figure.axes[0].texts))
    assert [t.get_text() for t in radar.figure.axes[0].texts] == [i.upper() for i in FAMILY_IDS]
    tip = radar.toolTip().splitlines()
    assert len(tip) == 20 and tip[0] == "AC  Access Control" and tip[-1] == "SR  Supply Chain Risk Management"
    line = window.view.pages["overview"].framework_label.text()
    assert "<b>Twenty-family control catalog</b> 5.2.0 · imported from twenty-families.json" in line

    window.open_engagement(sample_ws.sample_uid)  # eight dimensions: names on the spokes, no tooltip
    window.show_step("overview")
    radar = window.view.pages["overview"].radar  # each engagement gets its own pages
    qtbot.waitUntil(lambda: bool(radar.figure.axes) and radar.figure.axes[0].texts[0].get_text() == "Data Pipeline")
    assert not radar.toolTip()
    line = window.view.pages["overview"].framework_label.text()
    assert "<b>MLOps Architecture Audit Framework</b> 1.1.0" in line and "imported" not in line


LONG_STATEMENT = "\n".join(f"{letter}. Review the {letter}-records of every production model and keep the review "
                           "evidence with the model's registry entry;" for letter in "abcdefghijklmnopqrstuvwxyz")


def test_clipped_text_keeps_the_first_lines_and_ends_with_an_ellipsis(qapp) -> None:
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QFont, QFontMetrics

    from workbench.ui.pages.checklist_delegate import clipped_text

    font = QFont()
    assert clipped_text("Model owners are named.", font, 300, 6) == "Model owners are named."
    shown = clipped_text(LONG_STATEMENT, font, 300, 6)
    assert LONG_STATEMENT.startswith(shown[:-1].rstrip(". ")[:40]) and shown.endswith("…")
    line = QFontMetrics(font).lineSpacing()
    height = QFontMetrics(font).boundingRect(QRect(0, 0, 300, 10_000), Qt.TextFlag.TextWordWrap, shown).height()
    assert height <= 6 * line + 2


def test_a_long_control_shows_its_first_lines_in_the_list_and_all_of_it_when_selected(
        qtbot, window, sample_ws, tmp_path: Path) -> None:
    catalog = family_catalog()
    first = catalog["catalog"]["groups"][0]["controls"][0]
    first["parts"][0]["prose"] = LONG_STATEMENT
    path = tmp_path / "long-statement.json"
    path.write_text(json.dumps(catalog), encoding="utf-8")
    framework = import_framework_file(sample_ws, path)
    uid = create_engagement(sample_ws, client="Contoso Federal", title="Long controls", framework_id=framework.id)
    window.open_engagement(uid)
    window.show_step("assessment")
    page = window.view.pages["assessment"]
    view = page.checklist
    long_card, short_card = (view.visualRect(view.model().index(row, 0)).height() for row in (0, 1))
    line = view.fontMetrics().lineSpacing()
    assert long_card <= short_card + 6 * line  # a few lines, not twenty-six
    assert current_id(page) == "ac-1"
    assert "z. Review the z-records" in page.item_label.text()  # the selected-item pane has it all


def test_new_engagement_dialog_stays_narrow_with_a_catalog_of_long_title(qtbot, sample_ws, tmp_path: Path) -> None:
    from workbench.ui.dialogs import NewEngagementDialog

    title = ("Electronic (OSCAL) Version of NIST SP 800-53 Rev 5.2.0 Controls and SP 800-53A Rev 5.2.0 "
             "Assessment Procedures")
    catalog = family_catalog()
    catalog["catalog"]["metadata"]["title"] = title
    path = tmp_path / "long-title.json"
    path.write_text(json.dumps(catalog), encoding="utf-8")
    framework = import_framework_file(sample_ws, path, framework_id="nist-800-53")
    dialog = NewEngagementDialog(sample_ws, ["Contoso Federal"])
    qtbot.addWidget(dialog)
    dialog.show()
    index = dialog.framework.findData(framework.id)
    dialog.framework.setCurrentIndex(index)
    assert dialog.framework.currentText() == ("Electronic (OSCAL) Version of NIST SP 800-53 Rev 5.2.0… "
                                              "(20 dimensions, 40 items)")
    assert dialog.framework.toolTip() == f"{title}\nid nist-800-53, version 5.2.0"
    assert dialog.width() < 800


def test_a_framework_without_health_check_says_so_instead_of_0_of_0(qtbot, window, sample_ws, tmp_path: Path) -> None:
    catalog = tmp_path / "twenty-families.json"
    catalog.write_text(json.dumps(family_catalog()), encoding="utf-8")
    framework = import_framework_file(sample_ws, catalog)
    uid = create_engagement(sample_ws, client="Contoso Federal", title="No health check", framework_id=framework.id)
    window.open_engagement(uid)
    step = window.session.progress.step("health")
    assert step.summary == "None in this framework" and not step.complete
    window.show_step("health")
    verdict = window.view.pages["health"].verdict.text()
    assert "No quick health check" in verdict and "0 of 0" not in verdict


def test_a_long_dimension_name_keeps_the_finding_form_on_one_line_rows(qtbot, window, sample_ws,
                                                                        tmp_path: Path) -> None:
    from PySide6.QtCore import Qt

    catalog = tmp_path / "twenty-families.json"
    catalog.write_text(json.dumps(family_catalog()), encoding="utf-8")
    framework = import_framework_file(sample_ws, catalog)
    uid = create_engagement(sample_ws, client="Contoso Federal", title="Findings", framework_id=framework.id)
    window.open_engagement(uid)
    window.show_step("findings")
    combo = window.view.pages["findings"].form.editors["dimension_id"]
    longest = max(range(combo.count()), key=lambda i: len(combo.itemText(i)))
    assert "Personally Identifiable Information Processing and Transparency" in combo.itemText(longest)
    assert combo.sizeHint().width() < combo.fontMetrics().horizontalAdvance(combo.itemText(longest))
    assert combo.itemData(longest, Qt.ItemDataRole.ToolTipRole) == combo.itemText(longest)
