"""Appearance: System, Light or Dark, applied live, with palettes whose text meets WCAG AA in both.

Fusion's own palettes fail where an auditor reads most: white on its selection blue is 3.7:1, and on a
dark desktop its radio buttons all but vanish. The workbench brings its own light and dark palettes, and
`TEXT_PAIRS` lists every text colour on every background it is drawn on, so a test can hold each pair to
4.5:1 (3:1 for disabled text and for the outlines of controls). "System" picks the light or dark palette
by the desktop's colour scheme and follows it when that changes. Charts redraw in the new colours on the
palette change (ui/chart_widget.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from workbench.charts.palette import contrast_ratio

__all__ = ["MODES", "PALETTES", "TEXT_PAIRS", "Appearance", "attention_colour", "build_palette", "is_dark",
           "mark_attention"]

Role = QPalette.ColorRole
MODES: dict[str, str] = {"system": "System", "light": "Light", "dark": "Dark"}
SETTING = "appearance/mode"

PALETTES: dict[str, dict[str, str]] = {
    "light": {
        "Window": "#EFEFEF", "WindowText": "#1A1A1A", "Base": "#FFFFFF", "AlternateBase": "#F4F4F4",
        "Text": "#1A1A1A", "Button": "#E6E6E6", "ButtonText": "#1A1A1A", "BrightText": "#FFFFFF",
        "Highlight": "#1F63B5", "HighlightedText": "#FFFFFF", "ToolTipBase": "#FFFFE1", "ToolTipText": "#1A1A1A",
        "PlaceholderText": "#5E5E5E", "Link": "#0B57B0", "LinkVisited": "#6A3AA8",
        "Light": "#FFFFFF", "Midlight": "#F2F2F2", "Mid": "#B4B4B4", "Dark": "#8F8F8F", "Shadow": "#5E5E5E",
    },
    "dark": {
        "Window": "#2B2B2B", "WindowText": "#E6E6E6", "Base": "#1F1F1F", "AlternateBase": "#272727",
        "Text": "#E6E6E6", "Button": "#3A3A3A", "ButtonText": "#E6E6E6", "BrightText": "#FFFFFF",
        "Highlight": "#3871D8", "HighlightedText": "#FFFFFF", "ToolTipBase": "#3A3A3A", "ToolTipText": "#E6E6E6",
        "PlaceholderText": "#A8A8A8", "Link": "#8AB4F8", "LinkVisited": "#C4A2F5",
        "Light": "#5A5A5A", "Midlight": "#484848", "Mid": "#8C8C8C", "Dark": "#1A1A1A", "Shadow": "#000000",
    },
}
# Disabled controls: dimmer, still legible (WCAG exempts them; 3:1 keeps them readable).
DISABLED: dict[str, dict[str, str]] = {
    "light": {"WindowText": "#767676", "Text": "#767676", "ButtonText": "#767676", "PlaceholderText": "#8A8A8A"},
    "dark": {"WindowText": "#8C8C8C", "Text": "#8C8C8C", "ButtonText": "#8C8C8C", "PlaceholderText": "#7D7D7D"},
}
# The edge of a control (radio button, check box, text field): 3:1 against the window, as WCAG asks of
# the parts that identify a control (Fusion draws them at 1.3:1 on a dark window).
OUTLINE: dict[str, str] = {"light": "#767676", "dark": "#7A7A7A"}
# Warnings and problems in words ("⚠ 2 review notes open", "That id is taken"): orange-red that reads.
ATTENTION: dict[str, str] = {"light": "#A63D00", "dark": "#FF9E5E"}
# (text, background, least contrast): every pair the workbench draws text or a control outline with.
TEXT_PAIRS: tuple[tuple[str, str, float], ...] = (
    ("WindowText", "Window", 4.5), ("Text", "Base", 4.5), ("Text", "AlternateBase", 4.5),
    ("ButtonText", "Button", 4.5), ("HighlightedText", "Highlight", 4.5), ("ToolTipText", "ToolTipBase", 4.5),
    ("PlaceholderText", "Window", 4.5), ("PlaceholderText", "Base", 4.5), ("Link", "Base", 4.5),
    ("Link", "Window", 4.5), ("Attention", "Window", 4.5), ("Attention", "Base", 4.5),
    ("Highlight", "Window", 3.0), ("Highlight", "Base", 3.0), ("Outline", "Window", 3.0), ("Outline", "Base", 3.0),
    ("Disabled:WindowText", "Window", 3.0), ("Disabled:Text", "Base", 3.0), ("Disabled:ButtonText", "Button", 3.0),
)


def colour_of(scheme: str, name: str) -> str:
    """A palette colour by role name; "Disabled:Role" for disabled text, "Attention" for warnings."""
    if name == "Attention":
        return ATTENTION[scheme]
    if name == "Outline":
        return OUTLINE[scheme]
    if name.startswith("Disabled:"):
        return DISABLED[scheme][name.removeprefix("Disabled:")]
    return PALETTES[scheme][name]


def build_palette(scheme: str) -> QPalette:
    palette = QPalette()
    for name, value in PALETTES[scheme].items():
        palette.setColor(getattr(Role, name), QColor(value))
    for name, value in DISABLED[scheme].items():
        palette.setColor(QPalette.ColorGroup.Disabled, getattr(Role, name), QColor(value))
    # a window in the background keeps its selection readable, not washed out
    for role in (Role.Highlight, Role.HighlightedText):
        palette.setColor(QPalette.ColorGroup.Inactive, role, palette.color(QPalette.ColorGroup.Active, role))
    return palette


def is_dark(palette: QPalette | QWidget) -> bool:
    palette = palette.palette() if isinstance(palette, QWidget) else palette
    return palette.color(Role.Window).lightness() < 128


def attention_colour(palette: QPalette | QWidget) -> QColor:
    return QColor(ATTENTION["dark" if is_dark(palette) else "light"])


def outline_colour(palette: QPalette) -> QColor:
    return QColor(OUTLINE["dark" if is_dark(palette) else "light"])


def mark_attention(widget: QWidget, on: bool = True) -> None:
    """Show a widget's text (a warning, a problem) in the attention colour, now and after every switch;
    `on` False gives it the palette's own text colour again."""
    widget.setProperty("attentionText", on)
    palette = widget.palette()
    for role in (Role.WindowText, Role.Text):
        palette.setColor(role, attention_colour(QApplication.palette()) if on else QApplication.palette().color(role))
    widget.setPalette(palette)


def system_scheme() -> str:
    hints = QGuiApplication.styleHints()
    return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"


class Appearance(QObject):
    """The chosen mode (kept in the settings) and the palette it puts on the application."""

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.mode = str(settings.value(SETTING, "system"))
        if self.mode not in MODES:
            self.mode = "system"
        self.scheme = ""
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)

    def apply(self, mode: str | None = None) -> str:
        """Switch to `mode` (or re-apply the current one); returns the scheme now shown, "light" or "dark"."""
        if mode is not None:
            if mode not in MODES:
                raise ValueError(f"unknown appearance {mode!r}")
            self.mode = mode
            self.settings.setValue(SETTING, mode)
        scheme = system_scheme() if self.mode == "system" else self.mode
        self.scheme = scheme
        apply_scheme(scheme)
        return scheme

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.mode == "system" and system_scheme() != self.scheme:
            self.apply()


def apply_scheme(scheme: str) -> None:
    """Put the scheme's palette on the application; widgets, style sheets and charts follow."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    palette = build_palette(scheme)
    app.setPalette(palette)
    QToolTip.setPalette(palette)
    for widget in app.allWidgets():
        if widget.property("attentionText"):
            mark_attention(widget)
        elif widget.styleSheet() and "palette(" in widget.styleSheet():
            widget.setStyleSheet(widget.styleSheet())  # palette(...) in a style sheet is read when it is set


def contrast_table(scheme: str) -> Mapping[tuple[str, str], float]:
    """Every TEXT_PAIRS pair with its contrast ratio (for tests and docs)."""
    return {(text, back): contrast_ratio(colour_of(scheme, text), colour_of(scheme, back))
            for text, back, _least in TEXT_PAIRS}
