"""Guidance… on the assessment step shows the next step for the dimension's level with its weights printed exactly."""

from __future__ import annotations

from workbench.services.guidance import load_guidance
from workbench.ui.pages.guidance_panel import guidance_html


def test_guidance_for_the_dimension_shown(qtbot, window, tmp_path) -> None:
    page = window.view.page("assessment")
    window.view.show_step("assessment")
    page.reveal("dimension", "DEP")
    dialog = page.show_guidance(modal=False)
    qtbot.addWidget(dialog)
    dialog.show()
    text = dialog.text.toPlainText()
    level = page.assessment("DEP")["current_level"]
    assert f"DEP · Deployment: level {level}" in text and f"To reach level {level + 1}" in text
    assert "Technical fit (30 %)" in text and "Risk (10 %)" in text
    dialog.grab().save(str(tmp_path / "guidance.png"))


def test_the_top_level_and_an_unassessed_dimension() -> None:
    guidance = load_guidance()
    assert "Level 5 is the top of the scale" in guidance_html(guidance, "MON", 5)
    unassessed = guidance_html(guidance, "MON", None)
    assert "not assessed yet" in unassessed and "To reach level 2" in unassessed
    assert "&lt;script&gt;" in guidance_html(guidance, "<script>", 1)
