"""Portfolio: every client with its audits over time, a score trend, what is open across its current audits,
and two engagements compared (each dimension, each finding new, resolved or still open)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.charts.trend import TrendData, build_trend
from workbench.services.comparison import Comparison, compare_engagements
from workbench.services.portfolio import AuditPoint, ClientPortfolio, portfolio
from workbench.ui.chart_widget import ChartCanvas

if TYPE_CHECKING:
    from workbench.store.workspace import Workspace

CLIENT_COLUMNS = ("Client", "Audits", "Latest score", "Open Critical", "Open High", "Overdue")
AUDIT_COLUMNS = ("Started", "Engagement", "Title", "Score", "Verdict", "Critical", "High", "Overdue")
DIMENSION_COLUMNS = ("Dimension", "Earlier", "Later", "Change")
FINDING_COLUMNS = ("State", "Finding", "Severity", "Earlier ref", "Later ref")


def _score(score: float | None, out_of: float) -> str:
    return "—" if score is None else f"{score:g} / {out_of:g}"


def _table(columns: tuple[str, ...], name: str, stretch: int) -> QTableWidget:
    """A read-only table whose `stretch` column takes the width the others leave."""
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], numeric: tuple[int, ...] = ()) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if c in numeric:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


class PortfolioDialog(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("portfolio")
        self.setWindowTitle("Portfolio")
        self.ws = ws
        self.clients: list[ClientPortfolio] = portfolio(ws)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_clients(), "Clients")
        self.tabs.addTab(self._build_compare(), "Compare two engagements")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        _fill(self.client_table, [[c.name, str(len(c.audits)), _score(c.audits[-1].score, c.audits[-1].out_of),
                                   str(c.open_critical), str(c.open_high), str(c.overdue)] for c in self.clients],
              numeric=(1, 2, 3, 4, 5))
        if self.clients:
            self.client_table.selectRow(0)

    # -- clients, their audits and the trend
    def _build_clients(self) -> QWidget:
        self.client_table = _table(CLIENT_COLUMNS, "portfolioClients", 0)
        self.client_table.itemSelectionChanged.connect(self._show_client)
        self.audit_table = _table(AUDIT_COLUMNS, "portfolioAudits", 2)
        self.trend = ChartCanvas(build_trend, min_height=200)
        self.trend.setObjectName("portfolioTrend")
        note = QLabel("Open findings and overdue remediation are counted on each client's current audits only "
                      "(those no re-audit has followed), so a finding carried forward is counted once.")
        note.setWordWrap(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.trend, 1)
        right_layout.addWidget(self.audit_table, 1)
        splitter = QSplitter()
        splitter.addWidget(self.client_table)
        splitter.addWidget(right)
        splitter.setSizes([420, 700])
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(splitter, 1)
        layout.addWidget(note)
        return page

    def selected_client(self) -> ClientPortfolio | None:
        rows = self.client_table.selectionModel().selectedRows()
        return self.clients[rows[0].row()] if rows else None

    def _show_client(self) -> None:
        client = self.selected_client()
        audits: tuple[AuditPoint, ...] = client.audits if client is not None else ()
        _fill(self.audit_table, [[a.started, a.ref, a.title if a.current else f"{a.title} (followed by a re-audit)",
                                  _score(a.score, a.out_of), a.verdict or "—", str(a.open_critical),
                                  str(a.open_high), str(a.overdue)] for a in audits], numeric=(3, 5, 6, 7))
        out_of = audits[-1].out_of if audits else 100.0
        self.trend.show_data(TrendData(tuple(f"{a.ref}\n{a.started}" for a in audits),
                                       tuple(a.score if a.out_of == out_of else None for a in audits), out_of))
        self._offer(audits)

    # -- comparing two engagements
    def _build_compare(self) -> QWidget:
        self.earlier = QComboBox()
        self.earlier.setObjectName("compareEarlier")
        self.later = QComboBox()
        self.later.setObjectName("compareLater")
        for combo in (self.earlier, self.later):
            for client in self.clients:
                for audit in client.audits:
                    combo.addItem(f"{audit.ref} · {client.name} · {audit.title}", audit.uid)
        self.compare_button = QPushButton("Compare")
        self.compare_button.setObjectName("compareButton")
        self.compare_button.clicked.connect(self.compare)
        self.compare_summary = QLabel()
        self.compare_summary.setWordWrap(True)
        self.dimension_table = _table(DIMENSION_COLUMNS, "compareDimensions", 0)
        self.finding_table = _table(FINDING_COLUMNS, "compareFindings", 1)
        pick = QGridLayout()
        pick.addWidget(QLabel("Earlier:"), 0, 0)
        pick.addWidget(self.earlier, 0, 1)
        pick.addWidget(QLabel("Later:"), 1, 0)
        pick.addWidget(self.later, 1, 1)
        pick.addWidget(self.compare_button, 1, 2)
        pick.setColumnStretch(1, 1)
        tables = QSplitter()
        tables.addWidget(self.dimension_table)
        tables.addWidget(self.finding_table)
        tables.setSizes([420, 700])
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(pick)
        layout.addWidget(self.compare_summary)
        layout.addWidget(tables, 1)
        return page

    def _offer(self, audits: tuple[AuditPoint, ...]) -> None:
        """Preselect the selected client's last two audits for comparison."""
        if len(audits) >= 2:
            self.earlier.setCurrentIndex(self.earlier.findData(audits[-2].uid))
            self.later.setCurrentIndex(self.later.findData(audits[-1].uid))

    def compare(self) -> Comparison | None:
        earlier, later = self.earlier.currentData(), self.later.currentData()
        if not earlier or not later:
            return None
        comparison = compare_engagements(self.ws, earlier, later)
        e, la = comparison.earlier, comparison.later
        self.compare_summary.setText(
            f"{e.ref} ({_score(e.score, e.out_of)}) → {la.ref} ({_score(la.score, la.out_of)}): "
            f"{comparison.count('new')} new, {comparison.count('resolved')} resolved, "
            f"{comparison.count('still open')} still open.")
        _fill(self.dimension_table, [[d.name, "—" if d.earlier_level is None else str(d.earlier_level),
                                      "—" if d.later_level is None else str(d.later_level),
                                      "" if d.change is None else f"{d.change:+d}"] for d in comparison.dimensions],
              numeric=(1, 2, 3))
        _fill(self.finding_table, [[f.state, f.title, f.severity, f.earlier_ref, f.later_ref]
                                   for f in comparison.findings])
        return comparison
