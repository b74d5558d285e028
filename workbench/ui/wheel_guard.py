"""No silent edits by the mouse wheel: an editor takes the wheel only after the auditor clicked into it.

Qt lets a combo box, spin box or slider change its value when the pointer merely passes over it while the
page scrolls, and gives it the focus on the way (Qt.WheelFocus): scrolling the findings editor once moved a
Critical finding through three statuses. `guard_wheel` is applied to every widget as the application's
style polishes it (ui/style.py), so it covers every editor of every page and dialog, including the ones a
table creates later for inline editing:

- an editor with a wheel-focus policy gets Qt.StrongFocus: a click or Tab focuses it, the wheel does not;
- a wheel event over an editor without focus is ignored by the editor and goes on to its parent, so the
  page or list under the pointer scrolls instead.

The filter sits on the editors only (installed at polish time), not on the application: an
application-wide Python filter would be called for every event of every widget.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSlider, QAbstractSpinBox, QApplication, QComboBox, QScrollBar, QWidget

__all__ = ["guard_wheel", "is_value_editor"]

_WHEEL_BIT = int(Qt.FocusPolicy.WheelFocus.value) & ~int(Qt.FocusPolicy.StrongFocus.value)
_EDITORS = (QComboBox, QAbstractSpinBox, QAbstractSlider)


def is_value_editor(widget: QObject) -> bool:
    """A widget whose value a wheel turn would change (scroll bars only scroll)."""
    return isinstance(widget, _EDITORS) and not isinstance(widget, QScrollBar)


def _has_focus(widget: QWidget) -> bool:
    focus = QApplication.focusWidget()
    return focus is not None and (focus is widget or widget.isAncestorOf(focus))


class _WheelFilter(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget) or _has_focus(watched):
            return False
        event.ignore()  # not taken here: Qt hands the wheel on to the parent (the scrolling page)
        return True


_FILTER: list[_WheelFilter] = []  # one filter object for the application, made on first use


def _filter() -> _WheelFilter:
    if not _FILTER:
        _FILTER.append(_WheelFilter(QApplication.instance()))
    return _FILTER[0]


def guard_wheel(widget: QWidget) -> None:
    """Make `widget` ignore a passing wheel if it is a value editor (no-op otherwise; safe to repeat)."""
    if not is_value_editor(widget):
        return
    if int(widget.focusPolicy().value) & _WHEEL_BIT:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.installEventFilter(_filter())
