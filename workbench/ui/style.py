"""The application's style: Fusion everywhere, plus what every widget must get as it is polished.

One QProxyStyle over Fusion is the single place that touches every widget the moment it is first shown,
whenever it was created: editors get the wheel guard (ui/wheel_guard.py).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyleFactory, QWidget

from workbench.ui.wheel_guard import guard_wheel

__all__ = ["WorkbenchStyle", "install_style"]


class WorkbenchStyle(QProxyStyle):
    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))
        self.setObjectName("workbenchStyle")

    def polish(self, target: object) -> None:  # type: ignore[override]  # QWidget, QApplication or QPalette
        super().polish(target)  # type: ignore[arg-type]
        if isinstance(target, QWidget):
            guard_wheel(target)


def install_style(app: QCoreApplication | None = None) -> None:
    """Give the application the workbench style (once; existing widgets are polished again)."""
    app = app or QApplication.instance()
    if isinstance(app, QApplication) and not isinstance(app.style(), WorkbenchStyle):
        app.setStyle(WorkbenchStyle())
