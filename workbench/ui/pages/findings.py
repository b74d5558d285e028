"""Findings: register with severity colours, filters, search and editor (the library buttons are the record page's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QWidget,
)

from workbench.charts.palette import SEVERITY_HEX, SEVERITY_TEXT_HEX
from workbench.domain.costs import money_text
from workbench.domain.enums import FindingStatus, Severity
from workbench.domain.wording import hours_text
from workbench.services.cost_rollup import rollup_of
from workbench.ui.column_fit import KEY, MINOR, Fit
from workbench.ui.page_spec import FilterSpec, PageSpec, dimension_choices, item_choices
from workbench.ui.pages.finding_status import ASKED, ask_status_details
from workbench.ui.record_page import RecordPage
from workbench.ui.saved_settings import saved_cost_basis
from workbench.ui.session import EngagementSession


def severity_colours(row: dict[str, Any], name: str) -> tuple[QColor, QColor] | None:
    if name != "severity" or row.get("severity") not in SEVERITY_HEX:
        return None
    return QColor(SEVERITY_HEX[row["severity"]]), QColor(SEVERITY_TEXT_HEX[row["severity"]])


def severity_sort(value: Any) -> int:
    try:
        return Severity.parse(value).rank
    except Exception:
        return 99


FINDINGS_SPEC = PageSpec(
    kind="finding", document_key="findings", title="Findings",
    columns=("ref", "severity", "title", "dimension_id", "status", "owner", "due_date", "effort_hours"),
    form_fields=("ref", "title", "severity", "status", "dimension_id", "item_id", "impact", "description",
                 "recommendation",
                 "current_level", "recommended_level", "effort_hours", "owner",
                 "due_date", "accepted_by", "accepted_reason", "accepted_at", "resolution_evidence"),
    new_values=lambda _s: {"title": "New finding", "severity": "Medium"},
    describe=lambda r: f"{r.get('ref', '')} · {r.get('title', '')}",
    filters=(
        FilterSpec("severity", "Severities", lambda _s: [(s.value, s.value) for s in Severity]),
        FilterSpec("status", "Statuses", lambda _s: [(s.label, s.value) for s in FindingStatus]
                   + [("Open or in remediation", "__open__")],
                   matches=lambda row, value: FindingStatus.parse(row["status"]).is_open if value == "__open__"
                   else row["status"] == value),
        FilterSpec("dimension_id", "Dimensions", lambda s: [(f"{d.id} · {d.name}", d.id)
                                                           for d in s.framework.dimensions]),
    ),
    search_fields=("ref", "title", "description", "impact", "recommendation", "owner"),
    colour=severity_colours,
    column_titles={"dimension_id": "Dimension", "effort_hours": "Effort (h)", "due_date": "Due"},
    choices=lambda s: {"dimension_id": dimension_choices(s), "item_id": item_choices(s)},
    sort_keys={"severity": severity_sort},
    initial_sort=("severity", Qt.SortOrder.AscendingOrder),
    fits={"ref": KEY, "severity": KEY, "title": Fit(1, minimum_chars=24, stretch=True), "status": KEY,
          "owner": Fit(2, minimum_chars=8), "due_date": Fit(2, minimum_chars=10), "dimension_id": MINOR,
          "effort_hours": MINOR},
    empty_text="No findings yet. Add one, or pick a common one with From library….",
)


class FindingsPage(RecordPage):
    def __init__(self, session: EngagementSession, parent: QWidget | None = None) -> None:
        super().__init__(session, FINDINGS_SPEC, parent)
        for box in self.filter_boxes.values():  # three filters beside the search must fit a 1366-px window
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(11)
        # replaced in tests; in the app it asks with a dialog (finding_status)
        self.ask_status_details: Callable[[dict[str, Any], str], dict[str, Any] | None] = (
            lambda finding, status: ask_status_details(self, finding, status, self.session.records("evidence")))

    def _update(self, record: dict[str, Any], name: str, value: Any) -> None:
        """A move to Risk accepted or Resolved asks who and why, or what shows it, first (one undo step)."""
        if name != "status" or value not in ASKED or value == record.get("status"):
            super()._update(record, name, value)
            return
        details = self.ask_status_details(record, value)
        if details is None:
            self._show_current()  # cancelled: the editor shows the stored status again
            return
        self.update_fields(record, {"status": value, **details}, f"Mark {FindingStatus(value).label.lower()}")

    def _update_counts(self) -> None:
        """The count, with the shown findings' effort and cost as the register and costs page price them."""
        super()._update_counts()
        rows = self.model.visible_rows()
        if not rows:
            return
        basis = saved_cost_basis()
        total = rollup_of(rows, "shown", basis).total
        self.count_label.setText(f"{self.count_label.text()} · {hours_text(total.hours)} · "
                                 f"{money_text(total.cost, basis.currency)} at "
                                 f"{money_text(basis.day_rate, basis.currency)} a day")
