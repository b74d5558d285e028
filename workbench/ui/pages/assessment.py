"""Assessment: per dimension, the checklist answered by keyboard, the maturity level, and evidence.

The page lays out the dimensions, the checklist with the selected item below it and the level panel, shows what
is stored and walks the auditor through it from the keyboard. Every answer, level, note and attached file is
saved at once as one undo step (pages/assessment_edits.py); the Overview's score follows through `session.changed`.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.coverage import is_answered
from workbench.domain.framework import ChecklistItem, Dimension
from workbench.ui.pages.assessment_edits import AssessmentEdits, assessment_record
from workbench.ui.pages.checklist_filter import ChecklistFilter
from workbench.ui.pages.checklist_model import ChecklistModel, ItemState, item_states
from workbench.ui.pages.checklist_transfer import ChecklistTransfer
from workbench.ui.pages.checklist_view import ChecklistView
from workbench.ui.pages.dimension_list import DimensionList
from workbench.ui.pages.guidance_panel import GuidanceDialog
from workbench.ui.pages.item_detail import ItemDetail
from workbench.ui.pages.level_panel import LevelPanel
from workbench.ui.session import EngagementSession
from workbench.ui.status import show_status

HINT = ("Keys: <b>Y</b> yes · <b>P</b> partial · <b>N</b> no (<b>1</b>–<b>4</b>: the options of a graded item) · "
        "<b>A</b> not applicable · <b>U</b> clear · <b>Enter</b> note · drop files on an item to attach evidence")


class AssessmentPage(QWidget):
    def __init__(self, session: EngagementSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_assessment")
        self.session = session
        self._states: dict[str, ItemState] = {}
        self._note_item = ""  # the item the note editor belongs to, so a late commit never hits another one
        self._justified_dimension = ""
        self._next_focus: QWidget | None = None  # where the keyboard goes when the page next takes it
        self.edits = AssessmentEdits(session, self._state, self)

        self.dimension_list = DimensionList(session.framework.dimensions)
        self.dimension_list.currentRowChanged.connect(lambda row: self.show_dimension(row))
        centre = self._build_centre()
        right = self._build_level_panel()

        self.splitter = QSplitter()
        self.splitter.setObjectName("splitter_assessment")
        self.transfer = ChecklistTransfer(session)
        self.transfer.message.connect(lambda text: show_status(self, text, 10_000))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.dimension_list, 1)
        left_layout.addWidget(self.transfer)
        self.splitter.addWidget(left)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([self.dimension_list.minimumWidth(), 560, 330])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        session.changed.connect(lambda _kinds: self.refresh())
        self.refresh()
        self.dimension_list.setCurrentRow(0)

    # -- building the page
    def _build_centre(self) -> QWidget:
        """Title, hint, filter and checklist, with the selected item's detail below."""
        session = self.session
        self.title = QLabel()
        self.title.setObjectName("dimensionTitle")
        self.title.setWordWrap(True)
        self.hint = QLabel(HINT)
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.filter_bar = ChecklistFilter(session.framework)
        self.filter_bar.changed.connect(self._filter_changed)
        self.model = ChecklistModel(lambda item_id: self._states.get(item_id, ItemState()))
        self.checklist = ChecklistView()
        self.checklist.setModel(self.model)
        self.checklist.answer_pressed.connect(self.answer_current)
        self.checklist.option_pressed.connect(self.answer_option)
        self.checklist.note_requested.connect(self.edit_note)
        self.checklist.past_end.connect(self.move_next)
        self.checklist.before_start.connect(self.move_previous)
        self.checklist.files_dropped.connect(self.edits.attach_evidence)
        self.checklist.selectionModel().currentRowChanged.connect(lambda *_: self._show_item())
        detail = self._build_item_detail()
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.title)
        centre_layout.addWidget(self.hint)
        centre_layout.addWidget(self.filter_bar)
        centre_layout.addWidget(self.checklist, 1)
        centre_layout.addWidget(detail)
        return centre

    def _build_item_detail(self) -> ItemDetail:
        """The selected item's text, its graded target and priority, its note and its evidence."""
        self.detail = ItemDetail(self.session, self._state)
        self.item_label, self.note = self.detail.label, self.detail.note
        self.evidence_label, self.attach_button = self.detail.evidence_label, self.detail.attach_button
        self.note.committed.connect(self._commit_note)
        self.note.finished.connect(lambda: self.checklist.setFocus(Qt.FocusReason.OtherFocusReason))
        self.detail.attach_requested.connect(self.choose_evidence)
        return self.detail

    def _build_level_panel(self) -> LevelPanel:
        """Score, level picker, target, justification and level warning of the dimension shown."""
        right = self.level_panel = LevelPanel()
        self.score_label, self.level_picker = right.score_label, right.level_picker
        self.target, self.justification = right.target, right.justification
        self.level_picker.chosen.connect(self.set_level)
        self.level_picker.proceed.connect(self._level_settled)
        self.level_picker.back.connect(lambda: self.checklist.setFocus(Qt.FocusReason.OtherFocusReason))
        self.target.activated.connect(lambda _i: self.set_target(self.target.currentData()))
        self.justification.committed.connect(self._commit_justification)
        self.guidance_button = right.guidance_button
        self.guidance_button.clicked.connect(lambda: self.show_guidance())
        return right

    # -- what is shown
    def dimension(self) -> Dimension:
        return self.session.framework.dimensions[max(self.dimension_list.currentRow(), 0)]

    def current_item(self) -> ChecklistItem | None:
        row = self.checklist.currentIndex().row()
        return self.model.items[row] if 0 <= row < len(self.model.items) else None

    def assessment(self, dimension_id: str) -> dict[str, Any]:
        return assessment_record(self.session, dimension_id)

    def show_dimension(self, row: int, item_row: int = 0) -> None:
        """Show one dimension's checklist with the cursor on `item_row` (-1: the last item)."""
        if not 0 <= row < len(self.session.framework.dimensions):
            return
        if self.dimension_list.currentRow() != row:
            self.dimension_list.blockSignals(True)
            self.dimension_list.setCurrentRow(row)
            self.dimension_list.blockSignals(False)
        self.justification.commit()
        dimension = self.session.framework.dimensions[row]
        items = self.filter_bar.apply(dimension.items)
        self.model.set_items(items)
        self.level_panel.show_levels(dimension)
        self._justified_dimension = ""
        if items:
            target_row = len(items) - 1 if item_row < 0 else min(item_row, len(items) - 1)
            self.checklist.selectionModel().setCurrentIndex(
                self.model.index(target_row), QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.checklist.scrollTo(self.model.index(target_row))
        self._show_dimension_details()
        self._show_item()

    def refresh(self) -> None:
        s = self.session
        self.transfer.refresh()
        self._states = item_states(s.document)
        levels = {d.dimension_id: d.level for d in s.score.dimensions}
        self.dimension_list.show_progress(
            s.framework.dimensions, lambda d: sum(1 for i in d.items if self._state(i.id).answer != "unanswered"),
            lambda d: levels[d.id],
            (lambda d: len(self.filter_bar.apply(d.items))) if self.filter_bar.active() else None)
        self.model.refresh()
        read_only = s.read_only
        self.checklist.read_only = read_only
        self.level_panel.set_read_only(read_only)
        self.attach_button.setEnabled(not read_only)
        self.note.setReadOnly(read_only)
        self.hint.setVisible(not read_only)
        if self.dimension_list.currentRow() >= 0:
            self._show_dimension_details()
            self._show_item()

    def _state(self, item_id: str) -> ItemState:
        return self._states.get(item_id, ItemState())

    def _show_dimension_details(self) -> None:
        dimension = self.dimension()
        self.title.setText(f"<b style='font-size:13pt'>{escape(dimension.id)} · {escape(dimension.name)}</b>"
                           f"<br>{escape(dimension.description)}")
        self._justified_dimension = dimension.id
        answered = sum(1 for item in dimension.items if is_answered(self._state(item.id).answer))
        self.level_panel.show_assessment(dimension, self.assessment(dimension.id), self.session.score,
                                         self.session.framework.points_per_level, answered)

    def _show_item(self) -> None:
        item = self.current_item()
        self.detail.show_item(item, "No item of this dimension matches the search or tag filter."
                              if self.filter_bar.active() else "This dimension has no checklist items.")
        if item is None:
            return
        state = self._state(item.id)
        if self._note_item != item.id:
            self.note.commit()  # what was typed for the item before
            self._note_item = item.id
        self.note.set_text(state.note, item.id)  # typing over this item's note stays

    def show_guidance(self, *, modal: bool = True) -> GuidanceDialog:
        dimension = self.dimension()
        dialog = GuidanceDialog(f"{dimension.id} · {dimension.name}", self.assessment(dimension.id).get(
            "current_level"), self)
        if modal:
            dialog.exec()
        return dialog

    def _filter_changed(self) -> None:
        """Show the current dimension's matches, or the first dimension that has any."""
        self.refresh()
        row = max(self.dimension_list.currentRow(), 0)
        dimensions = self.session.framework.dimensions
        if self.filter_bar.active() and not self.filter_bar.apply(dimensions[row].items):
            row = next((n for n, d in enumerate(dimensions) if self.filter_bar.apply(d.items)), row)
        self.show_dimension(row)

    # -- keyboard
    def focus_target(self) -> QWidget:
        """Chosen from the keyboard: the checklist, so Y/P/N/A answer at once (or the level, after `reveal`)."""
        target, self._next_focus = self._next_focus or self.checklist, None
        return target

    def reveal(self, kind: str, key: str) -> bool:
        """Show a dimension (the keyboard then goes to its level) or a checklist item."""
        dimensions = self.session.framework.dimensions
        if kind == "dimension":
            row = next((n for n, d in enumerate(dimensions) if d.id == key), -1)
            if row >= 0:
                self.show_dimension(row)
                self._next_focus = self.level_picker
            return row >= 0
        row = next((n for n, d in enumerate(dimensions) if any(i.id == key for i in d.items)), -1)
        if row < 0:
            return False
        if not any(i.id == key for i in self.filter_bar.apply(dimensions[row].items)):
            self.filter_bar.clear()
        items = self.filter_bar.apply(dimensions[row].items)
        self.show_dimension(row, next(n for n, i in enumerate(items) if i.id == key))
        return True

    def prompt_level(self) -> None:
        """After a dimension's last item: ask for its level before going on."""
        dimension = self.dimension()
        if self.session.read_only:
            return
        rows = self.dimension_list.count()
        then = (f"Enter goes on to {self.session.framework.dimensions[self.dimension_list.currentRow() + 1].id}"
                if self.dimension_list.currentRow() + 1 < rows else "Enter keeps it")
        self.level_picker.prompt(f"<b>{escape(dimension.id)} checked.</b> Its level? Press 1–5 (0: not assessed); "
                                 f"{then}, Esc goes back to the checklist.")

    def _level_settled(self) -> None:
        dim_row = self.dimension_list.currentRow()
        if dim_row + 1 < self.dimension_list.count():
            self.show_dimension(dim_row + 1, 0)
        self.checklist.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- moving
    def move_next(self, *, prompt: bool = False) -> None:
        """The next item; past a dimension's last one, the next dimension (`prompt`: ask for the level first)."""
        row = self.checklist.currentIndex().row()
        if row + 1 < self.model.rowCount():
            self.checklist.setCurrentIndex(self.model.index(row + 1))
            return
        if prompt and not self.filter_bar.active():
            self.prompt_level()
            return
        dim_row = self.dimension_list.currentRow()
        if dim_row + 1 < self.dimension_list.count():
            self.show_dimension(dim_row + 1, 0)

    def move_previous(self) -> None:
        dim_row = self.dimension_list.currentRow()
        if dim_row > 0:
            self.show_dimension(dim_row - 1, -1)

    def edit_note(self) -> None:
        if self.current_item() is not None and not self.session.read_only:
            self.note.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.note.selectAll()

    # -- edits (each one an undoable service call)
    def answer_current(self, answer: str) -> None:
        item = self.current_item()
        if item is None or self.session.read_only:
            return
        if item.scale.graded and answer not in ("na", "unanswered"):
            choices = ", ".join(f"{n} {o.label}" for n, o in enumerate(item.scale.options, start=1))
            show_status(self, f"{item.id} is graded: press {choices}, A not applicable or U to clear")
            return
        if self.edits.answer_item(item.id, answer):
            self.move_next(prompt=True)

    def answer_option(self, number: int) -> None:
        """A digit: the n-th option of the current item's scale."""
        item = self.current_item()
        if item is None or self.session.read_only or not 1 <= number <= len(item.scale.options):
            return
        if self.edits.answer_item(item.id, item.scale.options[number - 1].value):
            self.move_next(prompt=True)

    def _commit_note(self, text: str) -> None:
        if self._note_item and not self.session.read_only:
            self.edits.answer_item(self._note_item, self._state(self._note_item).answer, text)

    def set_level(self, level: int | None) -> None:
        if not self.edits.set_assessment(self.dimension().id, "Set level", "level", level):
            self.level_picker.set_level(self.assessment(self.dimension().id).get("current_level"))

    def set_target(self, level: int | None) -> None:
        self.edits.set_assessment(self.dimension().id, "Set target level", "target", level)

    def _commit_justification(self, text: str) -> None:
        if self._justified_dimension:
            self.edits.set_assessment(self._justified_dimension, "Edit justification", "justification", text)

    # -- evidence
    def choose_evidence(self) -> None:
        item = self.current_item()
        if item is None or self.session.read_only:
            return
        paths, _ = QFileDialog.getOpenFileNames(self, f"Attach evidence to {item.id}")
        if paths:
            self.edits.attach_evidence(item.id, [Path(p) for p in paths])
