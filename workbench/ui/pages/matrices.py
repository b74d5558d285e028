"""Readiness and matrices: three groups of tables, one tab each.

* Go-live readiness (seed 003): what works well, test results, the readiness matrix, the pre-production
  checklist, deployment restrictions, what to prepare before going live, success criteria, open questions;
* Supporting matrices: compliance, platform selection, tool evaluation and monitoring metrics;
* Document control: the report's version history and distribution list.

Every tab is the same MatrixTab (matrix_tab.py) over the shared MatrixTableModel; the platform tab adds the live
weighted totals.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from workbench.ui.pages.matrix_tab import MatrixTab, PlatformTab
from workbench.ui.pages.matrix_tables import SPECS, MatrixSpec
from workbench.ui.pages.readiness_specs import DOCUMENT_SPECS, READINESS_SPECS
from workbench.ui.session import EngagementSession

KINDS = ("matrix", "all", "engagement")
GROUPS: tuple[tuple[str, str, dict[str, MatrixSpec]], ...] = (
    ("readiness", "Go-live readiness", READINESS_SPECS),
    ("matrices", "Supporting matrices", SPECS),
    ("document", "Document control", DOCUMENT_SPECS),
)
ALL_SPECS: dict[str, MatrixSpec] = {kind: spec for _key, _title, specs in GROUPS for kind, spec in specs.items()}


class MatricesPage(QWidget):
    """The three groups of tables, each a tab of tabs; each tab title carries its row count."""

    def __init__(self, session: EngagementSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_matrices")
        self.session = session
        self.groups = QTabWidget()
        self.groups.setObjectName("matrixGroups")
        self.group_tabs: dict[str, QTabWidget] = {}
        self.tab: dict[str, MatrixTab] = {}
        for key, title, specs in GROUPS:
            tabs = QTabWidget()
            tabs.setObjectName("matrixTabs" if key == "matrices" else f"{key}Tabs")
            for kind, spec in specs.items():
                tab = PlatformTab(session) if kind == "platform" else MatrixTab(session, spec)
                self.tab[kind] = tab
                tabs.addTab(tab, spec.title)
            self.group_tabs[key] = tabs
            self.groups.addTab(tabs, title)
        self.tabs = self.group_tabs["matrices"]  # the supporting matrices, as before
        self.groups.setCurrentWidget(self.tabs)
        layout = QVBoxLayout(self)
        layout.addWidget(self.groups)
        session.changed.connect(self._on_changed)
        self.reload()
        self.tool_ring_sort()

    def tool_ring_sort(self) -> None:
        """Tools start grouped by ring (adopt → hold); any column header sorts them otherwise."""
        tab = self.tab["tool"]
        tab.table.sortByColumn([c.name for c in tab.spec.leading].index("ring"), Qt.SortOrder.AscendingOrder)

    def current_tab(self) -> MatrixTab:
        shown = self.groups.currentWidget()
        assert isinstance(shown, QTabWidget)
        return self.tab[next(kind for kind, tab in self.tab.items() if tab is shown.currentWidget())]

    def focus_target(self) -> QWidget:
        tab = self.current_tab()
        return tab.table if tab.table.isVisible() else tab.add_button

    def reveal(self, _kind: str, uid: str) -> bool:
        """Show the tab holding the row and select it (the search and filter are cleared if they hide it)."""
        tab = next((t for t in self.tab.values() if any(r["uid"] == uid for r in t.rows())), None)
        if tab is None:
            return False
        group = next(tabs for tabs in self.group_tabs.values() if tabs.indexOf(tab) >= 0)
        self.groups.setCurrentWidget(group)
        group.setCurrentWidget(tab)
        if tab.model.row_of(uid) < 0:
            tab.search.clear()
            if tab.filter_box is not None:
                tab.filter_box.setCurrentIndex(0)
        tab.select(uid)
        return True

    def add_record(self) -> str | None:
        """Edit > Add row (Ctrl+N): a row in the matrix shown."""
        return None if self.session.locked else self.current_tab().add_row()

    def reload(self) -> None:
        for kind, tab in self.tab.items():
            tab.reload()
            group = next(tabs for tabs in self.group_tabs.values() if tabs.indexOf(tab) >= 0)
            group.setTabText(group.indexOf(tab), f"{ALL_SPECS[kind].title} ({len(tab.rows())})")

    def _on_changed(self, kinds: set[str]) -> None:
        if kinds & set(KINDS):
            self.reload()
