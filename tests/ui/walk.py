"""Walking the GUI as the contract tests do: every sample, every step, every tab inside a step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from tests.ui.conftest import SAMPLES

SAMPLE_NAMES = tuple(sorted(path.stem for path in SAMPLES.glob("*.mlaudit")))


def settle() -> None:
    for _ in range(3):  # deferred layouts, row heights and chart draws
        QApplication.processEvents()


def views_of(page: QWidget) -> Iterator[str]:
    """Show each tab of each tab widget on the page in turn (a page without tabs is one view)."""
    tabs = [t for t in page.findChildren(QTabWidget) if t.isVisibleTo(page)]
    if not tabs:
        yield ""
        return
    for tab_widget in tabs:
        for index in range(tab_widget.count()):
            tab_widget.setCurrentIndex(index)
            settle()
            yield tab_widget.tabText(index)


def every_view(window, steps: Iterator[str] | None = None) -> Iterator[tuple[str, str, QWidget]]:
    """(step, tab, page) for every step of the open engagement and every tab in it."""
    from workbench.ui.pages import PAGE_CLASSES

    for step in steps or PAGE_CLASSES:
        window.show_step(step)
        settle()
        page = window.current_page()
        for tab in views_of(page):
            yield step, tab, page


def import_samples(path: Path) -> dict[str, str]:
    """A workspace at `path` holding every sample: name → engagement uid."""
    from workbench.services.packages import import_package
    from workbench.store.workspace import Workspace

    ws = Workspace(path).open()
    try:
        return {name: import_package(ws, SAMPLES / f"{name}.mlaudit", untrusted=True) for name in SAMPLE_NAMES}
    finally:
        ws.close()
