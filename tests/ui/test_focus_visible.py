"""Visible focus: every control the Tab key reaches looks different while it has the keyboard, in both palettes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QWidget

from tests.ui.walk import every_view, settle


def tab_stops(page: QWidget) -> list[QWidget]:
    """What Tab reaches on the page: enabled, shown, taking the keyboard by Tab (an editor's own line edit is
    its editor's part)."""
    stops = []
    for widget in page.findChildren(QWidget):
        if not (widget.isVisibleTo(page) and widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            continue
        if isinstance(widget.parentWidget(), QComboBox | QAbstractSpinBox) or widget.focusProxy() is not None:
            continue
        if widget.width() < 4 or widget.height() < 4:
            continue
        stops.append(widget)
    return stops


def looks(widget: QWidget) -> bytes:
    settle()
    image = widget.grab().toImage()
    return bytes(image.constBits())


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_tab_stop_shows_that_it_has_the_keyboard(qtbot, window, mode: str) -> None:
    window.appearance.apply(mode)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    unseen: list[str] = []
    checked = 0
    for step, tab, page in every_view(window):
        for widget in tab_stops(page):
            window.view.steps.setFocus()
            before = looks(widget)
            widget.setFocus(Qt.FocusReason.TabFocusReason)
            # as a real Tab key does (setFocus alone clears it): styles draw focus only after a keyboard move
            window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
            if not widget.hasFocus():
                continue
            checked += 1
            if looks(widget) == before:
                unseen.append(f"{step}{'/' + tab if tab else ''}: {type(widget).__name__} "
                              f"{widget.objectName() or widget.accessibleName() or '?'}")
    assert checked > 60
    assert not unseen, "focus not visible on:\n" + "\n".join(unseen)
