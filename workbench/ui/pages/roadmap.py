"""Roadmap: the remediation plan as a table and a timeline, and a draft proposed from open findings."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.charts.timeline import TimelineData, build_timeline
from workbench.domain.enums import FindingStatus
from workbench.domain.wording import plural
from workbench.services.roadmap_draft import (
    DraftItem,
    apply_draft,
    candidates,
    draft_roadmap,
    next_monday,
    planned_refs,
    remove_items,
)
from workbench.ui.chart_widget import ChartCanvas
from workbench.ui.column_fit import KEY, MINOR, Fit
from workbench.ui.page_spec import PageSpec
from workbench.ui.pages.costs import fill_table, number, small_table
from workbench.ui.record_page import RecordPage
from workbench.ui.session import EngagementSession


def describe_item(row: dict[str, Any]) -> str:
    dates = " – ".join(d for d in (row.get("start_date"), row.get("end_date")) if d)
    return f"{row.get('phase', '')}" + (f" · {dates}" if dates else "")


ROADMAP_SPEC = PageSpec(
    kind="roadmap", document_key="roadmap", title="Roadmap",
    columns=("phase", "activity", "start_date", "end_date", "finding_refs", "success_metric"),
    form_fields=("phase", "activity", "start_date", "end_date", "finding_refs", "success_metric"),
    new_values=lambda _s: {"phase": "New phase", "activity": "Describe the activity"},
    describe=describe_item,
    search_fields=("phase", "activity", "success_metric", "finding_refs"),
    column_titles={"start_date": "Start", "end_date": "End", "finding_refs": "Findings"},
    fits={"phase": Fit(1, minimum_chars=14), "activity": Fit(1, minimum_chars=22, stretch=True), "start_date": KEY,
          "end_date": KEY, "finding_refs": Fit(2, minimum_chars=10), "success_metric": MINOR},
    sort_keys={"start_date": lambda v: v or "9999", "end_date": lambda v: v or "9999"},
    initial_sort=("start_date", Qt.SortOrder.AscendingOrder),
    empty_text="No roadmap yet. Use Draft roadmap… to propose one from the open findings, or Add activities.",
)


class DraftDialog(QDialog):
    """Preview of the proposed activities; nothing is written unless the auditor accepts."""

    def __init__(self, document: dict[str, Any], parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftRoadmapDialog")
        self.setWindowTitle("Draft roadmap from open findings")
        self.document = document
        self.items: list[DraftItem] = []
        self.start = QDateEdit()
        self.start.setObjectName("draftStart")
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        self.start.setMaximumWidth(160)
        monday = next_monday(today)
        self.start.setDate(QDate(monday.year, monday.month, monday.day))
        self.start.dateChanged.connect(lambda _d: self.refresh())
        self.summary = QLabel()
        self.summary.setObjectName("draftSummary")
        self.summary.setWordWrap(True)
        self.preview = small_table("draftPreview", ("Phase", "Activity", "Start", "End", "Findings", "Hours",
                                                    "Success metric"))
        self.preview.setWordWrap(True)
        header = self.preview.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in (1, 6):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 170), (2, 84), (3, 84), (4, 120), (5, 50)):
            header.resizeSection(column, width)
        header.sectionResized.connect(lambda *_a: self.preview.resizeRowsToContents())  # wrapped text fits
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("acceptDraft")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Start on", self.start)
        intro = QLabel("Open findings not yet on the roadmap, planned week by week: Critical quick wins first, "
                       "then Critical and High, then Medium, then Low as the backlog. Each activity is at most "
                       "one person-week (40 h). You can edit everything afterwards.")
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.buttons)
        self.resize(1240, 600)
        self.refresh()

    def start_date(self) -> date:
        qdate = self.start.date()
        return date(qdate.year(), qdate.month(), qdate.day())

    def refresh(self) -> None:
        self.items = draft_roadmap(self.document, self.start_date())
        fill_table(self.preview, [(i.phase, i.activity, i.start_date.isoformat(), i.end_date.isoformat(),
                                   ", ".join(i.finding_refs), number(i.hours), i.success_metric)
                                  for i in self.items], numeric=(5,))
        self.preview.resizeRowsToContents()
        open_findings = [f for f in self.document.get("findings", [])
                         if FindingStatus.parse(f.get("status") or "open").is_open]
        planned = len({f["ref"] for f in open_findings} & planned_refs(self.document))
        found = len(candidates(self.document))
        skipped = f" {planned} open finding{'s are' if planned != 1 else ' is'} already on the roadmap and skipped." \
            if planned else ""
        if self.items:
            hours = sum(i.hours for i in self.items)
            self.summary.setText(f"{plural(len(self.items), 'activity', 'activities')} for "
                                 f"{plural(found, 'open finding')}, {number(hours)} h in total.{skipped}")
        else:
            self.summary.setText("Nothing to draft: every open finding is already on the roadmap." if planned
                                 else "Nothing to draft: there are no open findings.")
        self.ok_button.setText(f"Add {plural(len(self.items), 'activity', 'activities')}" if self.items else "Add")
        self.ok_button.setEnabled(bool(self.items))


class RoadmapPage(RecordPage):
    def __init__(self, session: EngagementSession, parent: QWidget | None = None) -> None:
        super().__init__(session, ROADMAP_SPEC, parent)
        self.setObjectName("page_roadmap")
        self.draft_button = QPushButton("Draft roadmap…")
        self.draft_button.setObjectName("draftRoadmap")
        self.draft_button.setToolTip("Propose activities for the open findings that are not on the roadmap yet")
        self.draft_button.clicked.connect(self.open_draft_dialog)
        self.add_toolbar_button(self.draft_button)
        self.form.editors["finding_refs"].setToolTip("Finding refs separated by commas, e.g. F-001, F-004; "
                                                     "each must exist in this engagement")

        self.timeline = ChartCanvas(build_timeline, min_height=200)
        self.timeline.setObjectName("roadmapTimeline")
        self.unplanned = QLabel()
        self.unplanned.setObjectName("unplanned")
        self.unplanned.setWordWrap(True)
        box = QGroupBox("Timeline")
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.timeline, 1)
        box_layout.addWidget(self.unplanned)
        layout = self.layout()
        assert layout is not None  # the record page lays itself out before this is called
        layout.removeWidget(self.splitter)
        self.outer = QSplitter(Qt.Orientation.Vertical)
        self.outer.setObjectName("splitter_roadmap_timeline")
        self.outer.setChildrenCollapsible(False)
        self.outer.addWidget(self.splitter)
        self.outer.addWidget(box)
        self.outer.setSizes([380, 320])
        layout.addWidget(self.outer)
        self.splitter.setSizes([740, 340])
        session.changed.connect(self._on_any_change)
        self.refresh_timeline()

    def _on_any_change(self, kinds: set[str]) -> None:
        if kinds & {"roadmap", "finding", "engagement", "all"}:
            self.refresh_timeline()

    def timeline_data(self) -> TimelineData:
        rows = sorted(self.session.records("roadmap"), key=lambda r: (r.get("start_date") or "9999",
                                                                       r.get("end_date") or "9999"))
        return TimelineData(tuple((str(r.get("phase") or ""), str(r.get("activity") or ""), r.get("start_date"),
                                   r.get("end_date")) for r in rows))

    def refresh_timeline(self) -> None:
        self.timeline.show_data(self.timeline_data())
        waiting = candidates(self.session.document)
        urgent = [f["ref"] for f in waiting if f.get("severity") in ("Critical", "High")]
        if not waiting:
            self.unplanned.setText("Every open finding is on the roadmap.")
        else:
            text = f"{len(waiting)} open finding{'s are' if len(waiting) != 1 else ' is'} not on the roadmap"
            if urgent:
                text += f", {len(urgent)} of them Critical or High ({', '.join(urgent[:8])}" \
                        f"{'…' if len(urgent) > 8 else ''})"
            self.unplanned.setText(text + ". Draft roadmap… proposes activities for them.")
        self.draft_button.setEnabled(not self.session.read_only)

    # -- drafting
    def open_draft_dialog(self) -> None:
        dialog = DraftDialog(self.session.document, self)
        if dialog.exec() and dialog.items:
            self.accept_draft(dialog.items)

    def accept_draft(self, items: list[DraftItem]) -> list[str]:
        """Add the proposed activities as one undoable step; returns their uids ([] if refused)."""
        ws, key = self.session.ws, self.session.uid
        created: list[str] = []

        def redo() -> None:
            uids = apply_draft(ws, key, items, uids=created or None)
            created[:] = uids

        def undo() -> None:
            remove_items(ws, key, list(created))

        ok = self.session.apply(f"Draft roadmap ({plural(len(items), 'activity', 'activities')})", redo, undo,
                                {"roadmap"})
        if ok and created:
            self.search.clear()
            self.select(created[0])
        return list(created) if ok else []
