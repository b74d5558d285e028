"""Findings: register with severity colours, filters, search, editor, and the finding library."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.charts.palette import SEVERITY_HEX, SEVERITY_TEXT_HEX
from workbench.domain.costs import money_text
from workbench.domain.enums import FindingStatus, Severity
from workbench.domain.wording import hours_text
from workbench.services.cost_rollup import rollup_of
from workbench.services.finding_library import FindingTemplate, load_templates, save_template
from workbench.ui.column_fit import KEY, MINOR, Fit
from workbench.ui.errors import show_error
from workbench.ui.pages.finding_status import ASKED, ask_status_details
from workbench.ui.record_page import FilterSpec, PageSpec, RecordPage, dimension_choices, item_choices
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
    empty_text="No findings yet. Add one, or pick a common one from the finding library.",
)


class LibraryDialog(QDialog):
    """Pick a finding template: search, preview, add."""

    def __init__(self, templates: list[FindingTemplate], parent: QWidget | None = None,
                 used: dict[str, str] | None = None) -> None:
        """`used`: template title (case-folded) → ref of the finding already made from it."""
        super().__init__(parent)
        self.setWindowTitle("Add finding from library")
        self.templates = templates
        self.used = used or {}
        self.search = QLineEdit(placeholderText="Search templates…", clearButtonEnabled=True)
        self.search.setObjectName("librarySearch")
        self.list = QListWidget()
        self.list.setObjectName("templateList")
        self.preview = QTextBrowser()
        self.search.textChanged.connect(self._fill)
        self.list.currentItemChanged.connect(self._preview)
        self.list.itemActivated.connect(lambda _item: self.accept())
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.preview)
        splitter.setSizes([360, 420])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add finding")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{len(templates)} templates. Choose one; you can edit everything afterwards."))
        layout.addWidget(self.search)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(860, 560)
        self._fill()

    def _fill(self) -> None:
        text = self.search.text().strip().casefold()
        self.list.clear()
        for index, template in enumerate(self.templates):
            haystack = " ".join((template.title, template.category, template.description, *template.tags)).casefold()
            if text and text not in haystack:
                continue
            ref = self.used.get(template.title.strip().casefold())
            item = QListWidgetItem(f"[{template.severity}] {template.title}" + (f"  (already {ref})" if ref else ""))
            item.setData(Qt.ItemDataRole.UserRole, index)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _preview(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            self.preview.clear()
            return
        t = self.templates[item.data(Qt.ItemDataRole.UserRole)]
        from html import escape

        self.preview.setHtml(
            f"<h3>{escape(t.title)}</h3><p><b>{t.severity}</b> · {escape(t.category)} · "
            f"{'' if t.effort_hours is None else f'{t.effort_hours:g} h'} · {t.origin}</p>"
            f"<p><b>Observed</b><br>{escape(t.description)}</p><p><b>Impact</b><br>{escape(t.impact)}</p>"
            f"<p><b>Recommendation</b><br>{escape(t.recommendation)}</p>")

    def chosen(self) -> FindingTemplate | None:
        item = self.list.currentItem()
        return self.templates[item.data(Qt.ItemDataRole.UserRole)] if item is not None else None


class FindingsPage(RecordPage):
    def __init__(self, session: EngagementSession, parent: QWidget | None = None) -> None:
        super().__init__(session, FINDINGS_SPEC, parent)
        self.library_button = QPushButton("From library…")
        self.library_button.setObjectName("fromLibrary")
        self.library_button.setToolTip("Add a finding from the library of common findings")
        self.library_button.clicked.connect(lambda: self.add_from_library())  # not clicked(bool) as the template
        self.save_template_button = QPushButton("Save to library")
        self.save_template_button.setObjectName("saveToLibrary")
        self.save_template_button.setToolTip("Keep the selected finding as a template for future engagements")
        self.save_template_button.clicked.connect(self.save_to_library)
        self.add_toolbar_button(self.library_button)
        self.add_toolbar_button(self.save_template_button)
        for box in self.filter_boxes.values():  # three filters beside the search must fit a 1366-px window
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(11)
        self.library_button.setEnabled(not session.locked)
        self.confirm: Callable[[str, str], bool] = self._confirm  # replaced in tests
        # replaced in tests; in the app it asks with a dialog (finding_status)
        self.ask_status_details: Callable[[dict[str, Any], str], dict[str, Any] | None] = (
            lambda finding, status: ask_status_details(self, finding, status, self.session.records("evidence")))

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

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

    def reload(self) -> None:
        super().reload()
        if hasattr(self, "library_button"):  # RecordPage.__init__ reloads before the button exists
            self.library_button.setEnabled(not self.session.locked)

    def used_templates(self) -> dict[str, str]:
        """Finding titles of this engagement (case-folded) → their refs: what a library template would repeat."""
        return {str(f.get("title", "")).strip().casefold(): str(f.get("ref", "")) for f in self.rows()}

    def add_from_library(self, template: FindingTemplate | None = None) -> str | None:
        if template is None:
            dialog = LibraryDialog(load_templates(), self, self.used_templates())
            if not dialog.exec():
                return None
            template = dialog.chosen()
            if template is None:
                return None
        ref = self.used_templates().get(template.title.strip().casefold())
        if ref and not self.confirm("Already in this engagement", f"{ref} is already “{template.title}”. Add the "
                                    "same finding a second time?"):
            return None
        dimension_ids = {d.id for d in self.session.framework.dimensions}
        return self.add_record(template.finding_values(self.session.framework.id, dimension_ids))

    def save_to_library(self) -> None:
        record = self.current_record()
        if record is None:
            return
        try:
            template = save_template(record, self.session.framework.id)
        except Exception as exc:
            show_error(self, exc, "Not saved to the library")
            return
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(f"Saved '{template.title}' to your finding library", 6000)
