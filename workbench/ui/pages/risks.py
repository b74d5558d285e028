"""Risk register beside a live likelihood × impact heat map; a click on a cell filters the register."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.charts.heatmap import (
    HeatmapData,
    build_heatmap,
    heatmap_cell_from_mouse_event,
    zone_for,
)
from workbench.charts.palette import ink_on
from workbench.domain.enums import RiskCategory, RiskStatus
from workbench.domain.fields import Field
from workbench.domain.wording import plural
from workbench.ui.chart_widget import ChartCanvas
from workbench.ui.column_fit import KEY, MINOR, Fit
from workbench.ui.page_spec import FilterSpec, PageSpec
from workbench.ui.record_model import Column
from workbench.ui.record_page import RecordPage
from workbench.ui.session import EngagementSession

Cell = tuple[int, int]  # (likelihood, impact)


def risk_score(row: dict[str, Any]) -> int | None:
    try:
        return int(row["likelihood"]) * int(row["impact"])
    except (KeyError, TypeError, ValueError):
        return None


def risk_cell(row: dict[str, Any]) -> Cell | None:
    try:
        return int(row["likelihood"]), int(row["impact"])
    except (KeyError, TypeError, ValueError):
        return None


def score_colours(row: dict[str, Any], name: str) -> tuple[QColor, QColor] | None:
    """The computed score is coloured by its zone of the matrix (Low … Critical)."""
    cell = risk_cell(row)
    if name != "score" or cell is None:
        return None
    _zone, colour = zone_for(*cell)
    return QColor(colour), QColor(ink_on(colour))


def describe_risk(row: dict[str, Any]) -> str:
    cell = risk_cell(row)
    heading = f"{row.get('ref', '')} · {row.get('title', '')}"
    if cell is None:
        return heading
    zone, _colour = zone_for(*cell)
    return f"{heading}\nScore {cell[0] * cell[1]} (likelihood {cell[0]} × impact {cell[1]}) · {zone} zone"


RISKS_SPEC = PageSpec(
    kind="risk", document_key="risks", title="Risks",
    columns=("ref", "title", "category", "likelihood", "impact", "status", "owner"),
    form_fields=("ref", "title", "category", "likelihood", "impact", "status", "owner", "mitigation"),
    new_values=lambda _s: {"title": "New risk", "likelihood": 3, "impact": 3},
    describe=describe_risk,
    filters=(
        FilterSpec("category", "Categories", lambda _s: [(c.label, c.value) for c in RiskCategory]),
        FilterSpec("status", "Statuses", lambda _s: [(s.label, s.value) for s in RiskStatus]),
    ),
    search_fields=("ref", "title", "mitigation", "owner"),
    colour=score_colours,
    column_titles={"likelihood": "L", "impact": "I"},
    fits={"ref": KEY, "title": Fit(1, minimum_chars=24, stretch=True), "likelihood": KEY, "impact": KEY,
          "score": KEY, "status": KEY, "category": Fit(2, minimum_chars=8), "owner": MINOR},
    empty_text="No risks recorded yet. Use Add to record the first one; the matrix fills as you go.",
)
@dataclass(frozen=True)
class HeatmapView:
    """What the canvas draws: the counts and the cell filtering the register (redrawn when either changes)."""

    data: HeatmapData
    selected: Cell | None = None


def draw_heatmap(fig: Figure, view: HeatmapView, *, dark: bool = False) -> None:
    build_heatmap(fig, view.data, dark=dark, selected=view.selected)


SCORE_COLUMN = Column(Field("score", "int", label="Score"), "Score", editable=False)


class RisksPage(RecordPage):
    def __init__(self, session: EngagementSession, parent: QWidget | None = None) -> None:
        super().__init__(session, RISKS_SPEC, parent)
        self.cell: Cell | None = None
        self.setObjectName("page_risks")
        self._add_score_column()

        self.heatmap = ChartCanvas(draw_heatmap, min_height=260)
        self.heatmap.setObjectName("riskHeatmap")
        self.heatmap.setToolTip("Click a cell to show only its risks; click it again to show all")
        self.heatmap.setCursor(Qt.CursorShape.PointingHandCursor)
        self.heatmap.mpl_connect("button_press_event", self._on_heatmap_click)
        self.cell_label = QLabel()
        self.cell_label.setObjectName("cellFilter")
        self.cell_label.setWordWrap(True)
        self.show_all_button = QPushButton("Show all risks")
        self.show_all_button.setObjectName("showAllRisks")
        self.show_all_button.clicked.connect(lambda: self.filter_cell(None))
        box = QGroupBox("Risk matrix (likelihood × impact)")
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.heatmap, 1)
        row = QHBoxLayout()
        row.addWidget(self.cell_label, 1)
        row.addWidget(self.show_all_button)
        box_layout.addLayout(row)
        side = self.add_side_panel(box, (3, 2))
        side.setSizes([400, 300])
        self.splitter.setSizes([680, 400])
        session.changed.connect(self._on_risks_changed)
        self.refresh_heatmap()
        self._update_cell_label()

    # -- the computed score
    def rows(self) -> list[dict[str, Any]]:
        return [{**row, "score": risk_score(row)} for row in super().rows()]

    def _add_score_column(self) -> None:
        at = RISKS_SPEC.columns.index("impact") + 1
        self.model.beginInsertColumns(QModelIndex(), at, at)
        self.model.columns.insert(at, SCORE_COLUMN)
        self.model.endInsertColumns()
        header = self.table.horizontalHeader()
        for name, width in (("ref", 52), ("title", 210), ("category", 100), ("likelihood", 34), ("impact", 34),
                            ("score", 64), ("status", 84)):
            header.resizeSection(self.column_of(name), width)
        self.table.sortByColumn(at, Qt.SortOrder.DescendingOrder)  # the worst risks first
        if self.model.rowCount():
            self.select(self.model.row_at(0)["uid"])  # type: ignore[index]

    def column_of(self, name: str) -> int:
        return next(i for i, column in enumerate(self.model.columns) if column.field.name == name)

    # -- heat map
    def heatmap_data(self) -> HeatmapData:
        return HeatmapData.from_risks([c for r in self.session.records("risks") if (c := risk_cell(r))])

    def refresh_heatmap(self) -> None:
        self.heatmap.show_data(HeatmapView(self.heatmap_data(), self.cell))

    def _on_risks_changed(self, kinds: set[str]) -> None:
        if "risk" in kinds or "engagement" in kinds or "all" in kinds:
            self.refresh_heatmap()
            self._update_cell_label()

    def _on_heatmap_click(self, event: Any) -> None:
        cell = heatmap_cell_from_mouse_event(self.heatmap.figure, event)
        if cell is not None:
            self.filter_cell(None if cell == self.cell else cell)

    def clear_filters(self) -> None:
        super().clear_filters()
        if self.cell is not None:
            self.filter_cell(None)

    def filter_cell(self, cell: Cell | None) -> None:
        """Show only the risks of one matrix cell (None: all risks)."""
        self.cell = cell
        self.set_extra_filter((lambda row: risk_cell(row) == cell) if cell is not None else (lambda _row: True))
        self.refresh_heatmap()
        self._update_cell_label()
        if self.model.rowCount() and self.current_record() is None:
            self.select(self.model.row_at(0)["uid"])  # type: ignore[index]

    def _update_cell_label(self) -> None:
        self.show_all_button.setEnabled(self.cell is not None)
        total = len(self.session.records("risks"))
        if self.cell is None:
            shown = "the one risk" if total == 1 else f"all {total} risks"
            self.cell_label.setText(f"Showing {shown}. Click a cell to show only its risks." if total
                                    else "The matrix fills as risks get a likelihood and an impact.")
            return
        likelihood, impact = self.cell
        zone, _colour = zone_for(likelihood, impact)
        count = sum(1 for r in self.session.records("risks") if risk_cell(r) == self.cell)
        self.cell_label.setText(f"<b>Filtered</b> to likelihood {likelihood} × impact {impact} "
                                f"(score {likelihood * impact}, {zone}): {count} of {plural(total, 'risk')}.")
