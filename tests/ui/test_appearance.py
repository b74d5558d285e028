"""View > Appearance: System, Light or Dark, applied live, with text that meets WCAG AA in both palettes."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from workbench.charts.palette import contrast_ratio
from workbench.ui import appearance
from workbench.ui.appearance import PALETTES, TEXT_PAIRS, build_palette, colour_of, contrast_table


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_colour_meets_wcag_aa_on_its_background(scheme: str) -> None:
    table = contrast_table(scheme)
    failing = {pair: round(ratio, 2) for (pair, ratio), (_t, _b, least) in zip(table.items(), TEXT_PAIRS, strict=True)
               if ratio < least}
    assert not failing, f"{scheme}: {failing}"
    assert table[("WindowText", "Window")] >= 7 and table[("Text", "Base")] >= 7  # body text: AAA
    assert table[("HighlightedText", "Highlight")] >= 4.5  # Fusion's own selection blue is 3.7:1


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_palette_holds_the_checked_colours(scheme: str) -> None:
    palette = build_palette(scheme)
    for name, value in PALETTES[scheme].items():
        assert palette.color(getattr(QPalette.ColorRole, name)).name().upper() == value.upper(), name
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text).name()
    assert contrast_ratio(disabled, colour_of(scheme, "Base")) >= 3


def window_colour() -> str:
    return QApplication.palette().color(QPalette.ColorRole.Window).name()


def test_switching_appearance_is_live_and_remembered(qtbot, window, settings) -> None:
    window.show_step("overview")
    radar = window.current_page().radar
    qtbot.waitUntil(lambda: radar.data is not None)
    actions = {a.objectName(): a for a in window.findChildren(type(window.actions()[0]))}
    assert actions["appearance_system"].isChecked()  # the first start follows the desktop
    actions["appearance_dark"].trigger()
    assert window_colour().upper() == PALETTES["dark"]["Window"] and actions["appearance_dark"].isChecked()
    qtbot.waitUntil(lambda: radar._dark)  # the chart redraws in dark colours
    # a step's warning ("⚠ 2 review notes open") is painted in the dark attention colour
    assert appearance.attention_colour(window.view.steps).name().upper() == appearance.ATTENTION["dark"]
    assert settings.value("appearance/mode") == "dark"
    window.show_step("assessment")  # a page first built in dark mode uses it as well
    picker = window.current_page().level_picker
    assert picker.palette().color(QPalette.ColorRole.Highlight).name().upper() == PALETTES["dark"]["Highlight"]
    actions["appearance_light"].trigger()
    assert window_colour().upper() == PALETTES["light"]["Window"]
    qtbot.waitUntil(lambda: not radar._dark)

    from workbench.ui.main_window import MainWindow

    settings.setValue("appearance/mode", "dark")
    again = MainWindow(window.ws, settings)
    qtbot.addWidget(again)
    assert window_colour().upper() == PALETTES["dark"]["Window"]
    assert {a.objectName(): a for a in again.findChildren(type(again.actions()[0]))}["appearance_dark"].isChecked()
    again.appearance.apply("light")


def test_system_follows_the_desktop_when_it_changes(qtbot, window, monkeypatch) -> None:
    window.appearance.apply("system")
    monkeypatch.setattr(appearance, "system_scheme", lambda: "dark")
    window.appearance._system_changed(None)
    assert window_colour().upper() == PALETTES["dark"]["Window"]
    monkeypatch.setattr(appearance, "system_scheme", lambda: "light")
    window.appearance._system_changed(None)
    assert window_colour().upper() == PALETTES["light"]["Window"]
    window.appearance.apply("light")  # a chosen scheme stays, whatever the desktop does
    monkeypatch.setattr(appearance, "system_scheme", lambda: "dark")
    window.appearance._system_changed(None)
    assert window_colour().upper() == PALETTES["light"]["Window"]


def test_warnings_keep_the_attention_colour_across_a_switch(qtbot, window) -> None:
    from PySide6.QtWidgets import QLabel

    from workbench.ui.appearance import ATTENTION, mark_attention

    label = QLabel("⚠ weights add up to 0.9", window)
    mark_attention(label)
    window.appearance.apply("dark")
    assert label.palette().color(QPalette.ColorRole.WindowText).name().upper() == ATTENTION["dark"]
    window.appearance.apply("light")
    assert label.palette().color(QPalette.ColorRole.WindowText).name().upper() == ATTENTION["light"]
