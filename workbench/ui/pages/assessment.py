"""Assessment: per dimension, the checklist answered by keyboard, the maturity level, and evidence.

Every answer, level, note and attached file is saved at once through services and is one undo step;
the Overview's score follows through `session.changed`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.coverage import is_answered, level_warning
from workbench.domain.framework import ChecklistItem, Dimension
from workbench.domain.wording import percent, plural
from workbench.services import assessment as assessment_service
from workbench.ui.pages.checklist_filter import ChecklistFilter
from workbench.ui.pages.checklist_model import ChecklistModel, ItemState, answer_style
from workbench.ui.pages.checklist_transfer import ChecklistTransfer
from workbench.ui.pages.checklist_view import ChecklistView
from workbench.ui.pages.evidence_widgets import attach_to_item
from workbench.ui.pages.guidance_panel import GuidanceDialog
from workbench.ui.pages.item_detail import ItemDetail
from workbench.ui.pages.level_panel import LevelPanel
from workbench.ui.session import EngagementSession

_KEEP: Any = object()  # "leave the note as it is"
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
        # replaced in tests; in the app it asks with a dialog
        self.ask_na_reason: Callable[[str], str | None] = self._ask_na_reason

        self._build_dimension_list()
        centre = self._build_centre()
        right = self._build_level_panel()

        self.splitter = QSplitter()
        self.splitter.setObjectName("splitter_assessment")
        self.transfer = ChecklistTransfer(session)
        self.transfer.message.connect(self._status)
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
    def _build_dimension_list(self) -> None:
        session = self.session
        self.dimension_list = QListWidget()
        self.dimension_list.setObjectName("dimensions")
        self.dimension_list.setAccessibleName("Dimensions")
        self.dimension_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.dimension_list.setStyleSheet("QListWidget#dimensions::item { padding: 5px 2px; }")
        for dimension in session.framework.dimensions:
            entry = QListWidgetItem()
            entry.setData(Qt.ItemDataRole.UserRole, dimension.id)
            self.dimension_list.addItem(entry)
        longest = max((f"{d.id} · {d.name}  {len(d.items)}/{len(d.items)} · L5" for d in session.framework.dimensions),
                      key=len, default="")
        self.dimension_list.setMinimumWidth(min(self.dimension_list.fontMetrics().horizontalAdvance(longest) + 28, 320))
        self.dimension_list.currentRowChanged.connect(lambda row: self.show_dimension(row))

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
        self.checklist.files_dropped.connect(self.attach_evidence)
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

    def _status(self, text: str) -> None:
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 10_000)

    # -- what is shown
    def dimension(self) -> Dimension:
        return self.session.framework.dimensions[max(self.dimension_list.currentRow(), 0)]

    def current_item(self) -> ChecklistItem | None:
        row = self.checklist.currentIndex().row()
        return self.model.items[row] if 0 <= row < len(self.model.items) else None

    def assessment(self, dimension_id: str) -> dict[str, Any]:
        return next((a for a in self.session.document["assessments"] if a["dimension_id"] == dimension_id), {})

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
        responses = {r["item_id"]: r for r in s.document["checklist"]}
        evidence: dict[str, int] = {}
        for record in s.document["evidence"]:
            for key in {link["target_key"] for link in record.get("links", [])
                        if link["target_kind"] == "checklist_item"}:
                evidence[key] = evidence.get(key, 0) + 1
        self._states = {item_id: ItemState(str(r.get("answer") or "unanswered"), str(r.get("note") or ""),
                                           evidence.get(item_id, 0), str(r.get("target") or ""),
                                           str(r.get("priority") or "")) for item_id, r in responses.items()}
        for item_id, count in evidence.items():
            if item_id not in self._states:
                self._states[item_id] = ItemState(evidence=count)
        levels = {d.dimension_id: d for d in s.score.dimensions}
        for row, dimension in enumerate(s.framework.dimensions):
            answered = sum(1 for i in dimension.items if self._state(i.id).answer != "unanswered")
            level = levels[dimension.id].level
            entry = self.dimension_list.item(row)
            shown = len(self.filter_bar.apply(dimension.items)) if self.filter_bar.active() else None
            entry.setText(f"{dimension.id} · {dimension.name}  {answered}/{len(dimension.items)} · "
                          f"{f'L{level}' if level else 'L–'}" + ("" if shown is None else f" · {shown} found"))
            entry.setToolTip(f"{dimension.name}: weight {percent(dimension.weight)}, {answered} of "
                             f"{plural(len(dimension.items), 'item')} answered, level {level or 'not assessed'}")
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
        record = self.assessment(dimension.id)
        level, target = record.get("current_level"), record.get("target_level")
        self.title.setText(f"<b style='font-size:13pt'>{_esc(dimension.id)} · {_esc(dimension.name)}</b>"
                           f"<br>{_esc(dimension.description)}")
        self.level_picker.set_level(level)
        self.target.setCurrentIndex(max(self.target.findData(target), 0))
        self._justified_dimension = dimension.id
        self.justification.set_text(record.get("justification"), dimension.id)  # typing over it stays
        self.level_panel.show_score(dimension, self.session.score, self.session.framework.points_per_level)
        answered = sum(1 for item in dimension.items if is_answered(self._state(item.id).answer))
        self.level_panel.show_warning(level_warning(dimension, answered, level, record.get("justification", "")))

    def _show_item(self) -> None:
        item = self.current_item()
        if item is None:
            self.item_label.setText("No item of this dimension matches the search or tag filter."
                                    if self.filter_bar.active() else "This dimension has no checklist items.")
            self.note.setEnabled(False)
            self.evidence_label.clear()
            self.detail.plan.show_item(None)
            self.detail.offer_finding(None)
            return
        state = self._state(item.id)
        self.note.setEnabled(True)
        self.detail.plan.show_item(item)
        self.detail.offer_finding(item)
        guidance = f"<br><i>{_esc(item.guidance)}</i>" if item.guidance else ""
        self.item_label.setText(f"<b>{_esc(item.id)}</b> — {_esc(answer_style(item.scale, state.answer).label)}<br>"
                                f"{_esc(item.text)}{guidance}".replace("\n", "<br>"))
        if self._note_item != item.id:
            self.note.commit()  # what was typed for the item before
            self._note_item = item.id
        self.note.set_text(state.note, item.id)  # typing over this item's note stays
        names = [r["file_name"] for r in self.session.document["evidence"]
                 if any(link["target_kind"] == "checklist_item" and link["target_key"] == item.id
                        for link in r.get("links", []))]
        self.evidence_label.setText(f"Evidence ({len(names)}): {', '.join(names)}" if names
                                    else "No evidence attached to this item yet.")

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
        self.level_picker.prompt(f"<b>{_esc(dimension.id)} checked.</b> Its level? Press 1–5 (0: not assessed); "
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
            self._status(f"{item.id} is graded: press {choices}, A not applicable or U to clear")
            return
        if self.answer_item(item.id, answer):
            self.move_next(prompt=True)

    def answer_option(self, number: int) -> None:
        """A digit: the n-th option of the current item's scale."""
        item = self.current_item()
        if item is None or self.session.read_only or not 1 <= number <= len(item.scale.options):
            return
        if self.answer_item(item.id, item.scale.options[number - 1].value):
            self.move_next(prompt=True)

    def answer_item(self, item_id: str, answer: str, note: Any = _KEEP) -> bool:
        old = self._state(item_id)
        ws, uid = self.session.ws, self.session.uid
        if answer == old.answer and (note is _KEEP or note == old.note):
            return True
        if answer == "na" and not str(old.note if note is _KEEP else note).strip():
            reason = (self.ask_na_reason(item_id) or "").strip()  # not applicable counts as covered: say why
            if not reason:
                return False
            note = reason
        scale = self.session.framework.item(item_id)[1].scale
        what = "note of" if note is not _KEEP else f"{answer_style(scale, answer).label.lower()} to"
        keep_note: dict[str, Any] = {} if note is _KEEP else {"note": note}
        seen = self.session.version_of  # based on the answer shown: one changed meanwhile is refused and reloaded
        return self.session.apply(
            f"Set {what} {item_id}",
            lambda: assessment_service.answer_item(ws, uid, item_id, answer, **keep_note,
                                                   seen_version=seen("checklist", item_id)),
            lambda: assessment_service.answer_item(ws, uid, item_id, old.answer, old.note,
                                                   seen_version=seen("checklist", item_id)),
            {"checklist"})

    def _ask_na_reason(self, item_id: str) -> str | None:
        text, ok = QInputDialog.getMultiLineText(
            self, "Not applicable", f"Why does {item_id} not apply to this engagement? The reason is kept as the "
                                    "item's note and shown in the report.")
        return text if ok else None

    def _commit_note(self, text: str) -> None:
        if self._note_item and not self.session.read_only:
            self.answer_item(self._note_item, self._state(self._note_item).answer, text)

    def _set(self, text: str, name: str, value: Any, dimension_id: str | None = None) -> bool:
        dimension_id = dimension_id or self.dimension().id
        record = self.assessment(dimension_id)
        old = record.get({"level": "current_level", "target": "target_level"}.get(name, name))
        if old == value or self.session.read_only:
            return True
        ws, uid, seen = self.session.ws, self.session.uid, self.session.version_of
        return self.session.apply(
            f"{text} of {dimension_id}",
            lambda: assessment_service.set_assessment(ws, uid, dimension_id, **{name: value},
                                                      seen_version=seen("assessment", dimension_id)),
            lambda: assessment_service.set_assessment(ws, uid, dimension_id, **{name: old},
                                                      seen_version=seen("assessment", dimension_id)),
            {"assessment"})

    def set_level(self, level: int | None) -> None:
        if not self._set("Set level", "level", level):
            self.level_picker.set_level(self.assessment(self.dimension().id).get("current_level"))

    def set_target(self, level: int | None) -> None:
        self._set("Set target level", "target", level)

    def _commit_justification(self, text: str) -> None:
        if self._justified_dimension:
            self._set("Edit justification", "justification", text, self._justified_dimension)

    # -- evidence
    def choose_evidence(self) -> None:
        item = self.current_item()
        if item is None or self.session.read_only:
            return
        paths, _ = QFileDialog.getOpenFileNames(self, f"Attach evidence to {item.id}")
        if paths:
            self.attach_evidence(item.id, [Path(p) for p in paths])

    def attach_evidence(self, item_id: str, paths: Sequence[Path | str]) -> bool:
        """Attach files linked to a checklist item as one undo step (all of them or none)."""
        if self.session.read_only or not paths:
            return False
        return attach_to_item(self.session, item_id, paths)


def _esc(text: str) -> str:
    from html import escape

    return escape(text)
