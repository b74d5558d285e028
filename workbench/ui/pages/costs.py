"""Costs: the cost items beside their impact × effort matrix, totals by currency, remediation effort.

The remediation effort is rolled up from the findings at the auditor's day rate; the rate and
currency are the auditor's preferences (services/preferences.py, shared with the welcome page and
`workbench report`), not engagement data, so they are not audited.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.charts.cost_matrix import CostMatrixData, build_cost_matrix
from workbench.domain.costs import money_text
from workbench.domain.enums import CostKind
from workbench.domain.errors import WorkbenchError
from workbench.domain.wording import hours_text
from workbench.services.cost_rollup import (
    DEFAULT_CURRENCY,
    EffortRollup,
    cost_totals,
    remediation_rollup,
)
from workbench.services.preferences import Preferences, update_preferences
from workbench.ui.chart_widget import ChartCanvas
from workbench.ui.column_fit import KEY, MINOR, Fit
from workbench.ui.errors import show_error
from workbench.ui.page_spec import FilterSpec, PageSpec
from workbench.ui.record_page import RecordPage
from workbench.ui.saved_settings import saved_preferences
from workbench.ui.session import EngagementSession

log = logging.getLogger(__name__)

CURRENCIES = ("EUR", "USD", "GBP", "CHF", "JPY", "SEK", "NOK", "DKK", "CAD", "AUD", "INR")
KIND_TITLES = {"budget": "Budget lines", "resource": "Resources", "optimisation": "Optimisations",
               "remediation": "Remediation"}

COSTS_SPEC = PageSpec(
    kind="cost", document_key="costs", title="Cost items",
    columns=("kind", "name", "impact", "effort", "estimated_cost", "currency", "fte", "duration_weeks"),
    form_fields=("kind", "name", "impact", "effort", "estimated_cost", "currency", "fte", "duration_weeks",
                 "current_state", "target"),
    new_values=lambda _s: {"kind": "optimisation", "name": "New cost item"},
    describe=lambda r: f"{KIND_TITLES.get(str(r.get('kind')), '')} · {r.get('name', '')}",
    filters=(FilterSpec("kind", "Kinds", lambda _s: [(k.label, k.value) for k in CostKind]),),
    search_fields=("name", "current_state", "target"),
    column_titles={"estimated_cost": "Cost", "duration_weeks": "Weeks", "fte": "FTE"},
    fits={"kind": KEY, "name": Fit(1, minimum_chars=20, stretch=True), "estimated_cost": KEY, "currency": KEY,
          "impact": Fit(2), "effort": Fit(2), "fte": MINOR, "duration_weeks": MINOR},
    empty_text="No cost items yet. Add optimisation strategies, budget lines, resources and remediation costs.",
    initial_sort=("kind", Qt.SortOrder.AscendingOrder),
)


def money(value: float, currency: str) -> str:
    return money_text(value, currency)


def number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]], bold_last: bool = False,
               numeric: Sequence[int] | None = None) -> None:
    """Read-only cells; `numeric` columns (default: all but the first) right-aligned; a bold total row."""
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setToolTip(text if len(text) > 40 else "")
            if (c > 0 if numeric is None else c in numeric):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if bold_last and r == len(rows) - 1:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            table.setItem(r, c, item)


def small_table(name: str, headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


class CostsPage(RecordPage):
    def __init__(self, session: EngagementSession, parent: QWidget | None = None) -> None:
        super().__init__(session, COSTS_SPEC, parent)
        self.setObjectName("page_costs")

        self.matrix = ChartCanvas(build_cost_matrix, min_height=240)
        self.matrix.setObjectName("costMatrix")
        self.matrix_caption = QLabel()
        self.matrix_caption.setWordWrap(True)
        matrix_tab = QWidget()
        matrix_layout = QVBoxLayout(matrix_tab)
        matrix_layout.addWidget(self.matrix, 1)
        matrix_layout.addWidget(self.matrix_caption)

        self.totals = small_table("totalsTable", ("Kind", "Currency", "Items", "Total"))
        self.totals_note = QLabel("Totals are per currency and never converted.")
        self.totals_note.setWordWrap(True)
        totals_tab = QWidget()
        totals_layout = QVBoxLayout(totals_tab)
        totals_layout.addWidget(self.totals, 1)
        totals_layout.addWidget(self.totals_note)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("costTabs")
        self.tabs.addTab(matrix_tab, "Impact × effort")
        self.tabs.addTab(totals_tab, "Budget totals")
        self.tabs.addTab(self._build_remediation_tab(), "Remediation effort")
        side = self.add_side_panel(self.tabs, (3, 2))
        side.setSizes([400, 300])
        self.splitter.setSizes([620, 460])
        header = self.table.horizontalHeader()
        for column, width in ((1, 230), (2, 64), (3, 64), (4, 80)):
            header.resizeSection(column, width)
        session.changed.connect(self._on_any_change)
        self.refresh_panels()

    def _build_remediation_tab(self) -> QWidget:
        self.day_rate = QDoubleSpinBox()
        self.day_rate.setObjectName("dayRate")
        self.day_rate.setRange(0, 1_000_000)
        self.day_rate.setDecimals(0)
        self.day_rate.setSingleStep(50)
        self.day_rate.setKeyboardTracking(False)  # recompute when the auditor has finished typing
        self.day_rate.setValue(self._stored_rate())
        self.day_rate.valueChanged.connect(self._rate_changed)
        self.currency = QComboBox()
        self.currency.setObjectName("rateCurrency")
        self.currency.setEditable(True)
        self.currency.addItems(CURRENCIES)
        self.currency.setValidator(QRegularExpressionValidator(QRegularExpression("[A-Za-z]{3}"), self))
        self.currency.setCurrentText(self._stored_currency())
        self.currency.currentTextChanged.connect(self._currency_changed)
        self.scope = QComboBox()
        self.scope.setObjectName("rollupScope")
        self.scope.addItem("Open findings (still to fix)", "open")
        self.scope.addItem("All findings", "all")
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh_rollup())
        self.rollup_table = small_table("rollupTable", ("Severity", "Findings", "Hours", "Days", "Cost"))
        self.rollup_note = QLabel()
        self.rollup_note.setObjectName("rollupNote")
        self.rollup_note.setWordWrap(True)
        self.record_button = QPushButton("Record as cost item")
        self.record_button.setObjectName("recordRemediation")
        self.record_button.setToolTip("Add the open-findings total as a remediation cost item (undoable)")
        self.record_button.clicked.connect(self.record_rollup)

        tab = QWidget()
        form = QFormLayout()
        rate_row = QHBoxLayout()
        rate_row.addWidget(self.day_rate, 2)
        rate_row.addWidget(self.currency, 1)
        form.addRow("Day rate (8 h)", rate_row)
        form.addRow("Findings", self.scope)
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addWidget(self.rollup_table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.rollup_note, 1)
        bottom.addWidget(self.record_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(bottom)
        return tab

    # -- settings
    def _stored_rate(self) -> float:
        return self._preferences().day_rate

    def _stored_currency(self) -> str:
        return self._preferences().currency

    @staticmethod
    def _preferences() -> Preferences:
        return saved_preferences()

    def _save_preference(self, **change: Any) -> None:
        try:
            update_preferences(**change)
        except WorkbenchError as exc:
            show_error(self, exc, "The preference was not saved")

    def _rate_changed(self, value: float) -> None:
        self._save_preference(day_rate=float(value))
        self.refresh_rollup()

    def _currency_changed(self, text: str) -> None:
        text = text.strip().upper()
        if len(text) == 3 and text.isalpha():
            self._save_preference(currency=text)
            self.refresh_rollup()

    # -- panels
    def _on_any_change(self, kinds: set[str]) -> None:
        if kinds & {"cost", "finding", "engagement", "all"}:
            self.refresh_panels()

    def refresh_panels(self) -> None:
        self.refresh_matrix()
        self.refresh_totals()
        self.refresh_rollup()
        self.record_button.setEnabled(not self.session.read_only)

    def matrix_data(self) -> CostMatrixData:
        items = [c for c in self.session.records("costs") if c.get("kind") == "optimisation"]
        currencies = Counter(str(c.get("currency") or DEFAULT_CURRENCY) for c in items)
        currency = currencies.most_common(1)[0][0] if currencies else DEFAULT_CURRENCY
        return CostMatrixData(tuple((str(c.get("name") or ""), str(c.get("impact") or ""), str(c.get("effort") or ""),
                                     c.get("estimated_cost")) for c in items), currency)

    def refresh_matrix(self) -> None:
        data = self.matrix_data()
        self.matrix.show_data(data)
        count = len(data.items)
        self.matrix_caption.setText(f"{count} optimisation strateg{'y' if count == 1 else 'ies'} by impact and "
                                    "effort; marker area shows the estimated cost.")

    def refresh_totals(self) -> None:
        rows = []
        for kind in ("budget", "resource", "optimisation", "remediation"):
            for total in cost_totals(self.session.document, kind):
                unpriced = f" ({total.unpriced} unpriced)" if total.unpriced else ""
                rows.append((KIND_TITLES[kind], total.currency, f"{total.items}{unpriced}",
                             money(total.total, total.currency)))
        fill_table(self.totals, rows, numeric=(2, 3))

    def rollup(self) -> EffortRollup:
        result = remediation_rollup(self.session.document, self.day_rate.value(), self._stored_currency())
        return result.open if self.scope.currentData() == "open" else result.all

    def refresh_rollup(self) -> None:
        rollup = self.rollup()
        rows = [(r.label, str(r.findings), hours_text(r.hours), number(r.days), money(r.cost, rollup.currency))
                for r in (*rollup.rows, rollup.total)]
        fill_table(self.rollup_table, rows, bold_last=True)
        total = rollup.total
        which = "open findings" if rollup.scope == "open" else "findings"
        note = (f"{total.findings} {which}: {hours_text(total.hours)} ≈ {number(total.days)} person-days ≈ "
                f"{money(total.cost, rollup.currency)} at {money(rollup.total.day_rate, rollup.currency)} per day.")
        if total.unestimated:
            note += f" {total.unestimated} without an effort estimate count as 0 h."
        self.rollup_note.setText(note)

    def record_rollup(self) -> str | None:
        """Keep the open-findings total as a remediation cost item (an undoable add)."""
        result = remediation_rollup(self.session.document, self.day_rate.value(), self._stored_currency())
        total = result.open.total
        return self.add_record({
            "kind": "remediation", "name": "Remediation of open findings (rolled up)", "impact": "high",
            "estimated_cost": round(total.cost, 2), "currency": result.currency,
            "duration_weeks": round(total.days / 5, 2),
            "current_state": f"{total.findings} open findings, {hours_text(total.hours)} of effort "
                             f"at {money(result.day_rate, result.currency)} per day."})
