"""Review and sign-off: review notes, sign-offs, what blocks finalisation, Finalise and Reopen.

Raising, answering, closing and reopening a note are edits like any other (session.apply, undoable); the
preparer's answer being typed stays across refreshes until it is saved (ui/unsaved_text.py). Sign-offs, Finalise
and Reopen: review_signing.py.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.fields import fields_of
from workbench.services import records as record_service
from workbench.services import review as review_service
from workbench.ui.blocker_list import BlockerList
from workbench.ui.column_fit import KEY, ColumnFitter, Fit
from workbench.ui.pages.review_signing import SignOffActions
from workbench.ui.pages.review_widgets import NoteDialog, SignoffTable, status_colours
from workbench.ui.record_model import Column, RecordTableModel
from workbench.ui.session import EngagementSession
from workbench.ui.signer_picker import SignerPicker
from workbench.ui.unsaved_text import KeptText

SHOW = (("Waiting (open or answered)", review_service.UNRESOLVED), ("Open", ("open",)),
        ("Answered", ("answered",)), ("Closed", ("closed",)), ("All notes", ("open", "answered", "closed")))
NOTE = {f.name: f for f in fields_of("review_note")}


class ReviewPage(SignOffActions):
    """Review notes on the left (raise, answer, close, reopen), what blocks finalisation and the sign-offs on the
    right; the sign-off, Finalise and Reopen actions are SignOffActions'."""

    def __init__(self, session: EngagementSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_review")
        self.session = session
        # replaced in tests; in the app they ask with a dialog
        self.confirm: Callable[[str, str], bool] = self._confirm
        self.ask_reason: Callable[[], str | None] = self._ask_reason

        self.state = QLabel()
        self.state.setObjectName("reviewState")
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.RichText)
        self.finalise_button = QPushButton("Finalise…")
        self.finalise_button.setObjectName("finalise")
        self.finalise_button.clicked.connect(self.finalise)
        self.reopen_button = QPushButton("Reopen…")
        self.reopen_button.setObjectName("reopen")
        self.reopen_button.clicked.connect(self.reopen)
        header = QHBoxLayout()
        header.addWidget(self.state, 1)
        header.addWidget(self.finalise_button)
        header.addWidget(self.reopen_button)

        splitter = QSplitter()
        splitter.setObjectName("splitter_review")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_notes())
        splitter.addWidget(self._build_side())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([620, 470])
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)
        session.changed.connect(lambda _kinds: self.refresh())
        self.refresh()
        if self.model.rowCount():
            self.notes.selectRow(0)

    # -- layout
    def _build_notes(self) -> QWidget:
        self.raise_button = QPushButton("Raise note…")
        self.raise_button.setObjectName("raiseNote")
        self.raise_button.setToolTip("Raise a review note on the engagement, a dimension, a checklist item or a record")
        self.raise_button.clicked.connect(lambda: self.raise_note_dialog())
        self.show_box = QComboBox()
        self.show_box.setObjectName("filter_status")
        self.show_box.setAccessibleName("Show notes")
        for label, statuses in SHOW:
            self.show_box.addItem(label, statuses)
        self.show_box.currentIndexChanged.connect(lambda _i: self._refilter())
        toolbar = QHBoxLayout()
        toolbar.addWidget(self.raise_button)
        toolbar.addStretch(1)
        toolbar.addWidget(QLabel("Show"))
        toolbar.addWidget(self.show_box)

        def target(_value: Any, row: dict[str, Any]) -> str:
            return review_service.target_label(self.session.framework, self.session.document, row["target_kind"],
                                               row["target_key"])

        columns = [Column(NOTE["status"], editable=False), Column(NOTE["target_kind"], editable=False, display=target),
                   Column(NOTE["text"], editable=False, display=lambda v, _r: " ".join(str(v).split())),
                   Column(NOTE["answer"], editable=False, display=lambda v, _r: " ".join(str(v).split()))]
        self.model = RecordTableModel(columns, colour=status_colours)
        self.notes = QTableView()
        self.notes.setObjectName("notesTable")
        self.notes.setModel(self.model)
        self.notes.setSortingEnabled(True)
        self.notes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.notes.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.notes.verticalHeader().setVisible(False)
        self.notes.setWordWrap(False)
        fits = (KEY, Fit(1, minimum_chars=16), Fit(1, minimum_chars=20, stretch=True), Fit(2, minimum_chars=10))
        self.notes_fitter = ColumnFitter(self.notes, lambda c: fits[c], "review_notes")
        self.notes.selectionModel().currentRowChanged.connect(lambda *_: self._show_note())
        self.notes.doubleClicked.connect(lambda _index: self.go_to_note_target())
        self.notes.activated.connect(lambda _index: self.go_to_note_target())  # Enter
        self.notes.setToolTip("Double-click or Enter: go to what the note is about")
        self.empty = QLabel()
        self.empty.setObjectName("notesEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.note_view = QTextBrowser()
        self.note_view.setObjectName("noteView")
        self.note_view.setMinimumHeight(70)
        self.answer = QPlainTextEdit()
        self.answer.setObjectName("answerEdit")
        self.answer.setPlaceholderText("The preparer's answer")
        self.answer.setTabChangesFocus(True)
        self.answer.setMaximumHeight(80)
        self.kept_answer = KeptText(self.answer)  # what the preparer types stays across refreshes until saved
        self.answer_button = QPushButton("Save answer")
        self.answer_button.setObjectName("answerNote")
        self.answer_button.clicked.connect(self.answer_note)
        self.close_button = QPushButton("Close note")
        self.close_button.setObjectName("closeNote")
        self.close_button.setToolTip("The reviewer is satisfied (or withdraws the note)")
        self.close_button.clicked.connect(lambda: self._note_action("close"))
        self.reopen_note_button = QPushButton("Reopen note")
        self.reopen_note_button.setObjectName("reopenNote")
        self.reopen_note_button.setToolTip("The answer does not settle it: back to the preparer")
        self.reopen_note_button.clicked.connect(lambda: self._note_action("reopen"))
        actions = QHBoxLayout()
        for button in (self.answer_button, self.close_button, self.reopen_note_button):
            actions.addWidget(button)
        actions.addStretch(1)
        detail = QGroupBox("Selected note")
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.note_view, 1)
        detail_layout.addWidget(self.answer)
        detail_layout.addLayout(actions)

        panel = QWidget()
        column_layout = QVBoxLayout(panel)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.addLayout(toolbar)
        column_layout.addWidget(self.notes, 3)
        column_layout.addWidget(self.empty, 3)
        column_layout.addWidget(detail, 2)
        return panel

    def _build_side(self) -> QWidget:
        self.blockers = BlockerList(self.session)
        blockers_box = QGroupBox("Before the engagement can be finalised")
        QVBoxLayout(blockers_box).addWidget(self.blockers)
        self.sign_as = SignerPicker()
        self.signoffs = SignoffTable()
        self.signoffs.sign_requested.connect(self.sign_off)
        self.signoffs.withdraw_requested.connect(self.withdraw_signoff)
        signoff_box = QGroupBox("Sign-offs")
        signoff_layout = QVBoxLayout(signoff_box)
        signoff_layout.addWidget(self.sign_as)
        signoff_layout.addWidget(self.signoffs, 1)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(blockers_box)
        side_layout.addWidget(signoff_box, 1)
        return side

    # -- showing
    def refresh(self) -> None:
        s = self.session
        locked = s.locked
        engagement = s.document["engagement"]
        blockers = s.progress.blockers
        current = self.current_note()
        self.model.set_rows(s.records("review_notes"))
        self._refilter()
        if current is not None:
            self.select_note(current["uid"])
        if locked:
            state = (f"<b>Final</b> since {escape(str(engagement['locked_at'])[:16].replace('T', ' '))} UTC, "
                     f"finalised by {escape(str(engagement['finalised_by']))}. The engagement is locked; "
                     "<b>Reopen</b> it (with a reason) to change anything.")
        elif blockers:
            state = f"<b>Not final.</b> {len(blockers)} thing{'s' if len(blockers) > 1 else ''} to settle " \
                    "before finalising (listed on the right)."
        else:
            state = "<b>Ready to finalise.</b> Finalising locks the engagement and removes the DRAFT mark."
        self.state.setText(state)
        self.blockers.show_blockers(() if locked else blockers,
                                    "Finalised." if locked else "Nothing blocks finalisation.")
        self.finalise_button.setEnabled(not locked and not blockers)
        self.finalise_button.setToolTip("Lock the engagement as final" if not blockers
                                        else "First settle: " + "; ".join(b.text for b in blockers))
        self.reopen_button.setEnabled(locked)
        self.raise_button.setEnabled(not locked)
        self.signoffs.show_needs(review_service.signoff_needs(s.framework, s.document), locked)
        self._show_note()

    def _listed(self, row: dict[str, Any]) -> bool:
        """A note the Show filter names, or the one whose answer is being typed: another auditor closing it does
        not take it (and the text) away."""
        return row["status"] in self.show_box.currentData() or (
            row["uid"] == self.kept_answer.key and self.kept_answer.unsaved())

    def _refilter(self) -> None:
        self.model.set_filter(self._listed)
        shown, total = self.model.rowCount(), self.model.total
        self.notes.setVisible(shown > 0)
        self.empty.setVisible(shown == 0)
        self.empty.setText("No review notes yet. Raise one on anything that needs a second look." if not total
                           else f"No notes to show here ({total} in all: choose another Show filter).")

    def focus_target(self) -> QWidget:
        return self.notes if self.notes.isVisible() else self.raise_button

    def go_to_note_target(self) -> None:
        """Show what the selected note is about on its own step (a finding, a checklist item, a dimension...)."""
        note = self.current_note()
        if note is not None:
            self.session.navigate.emit(note["target_kind"], note["target_key"])

    def current_note(self) -> dict[str, Any] | None:
        return self.model.row_at(self.notes.currentIndex().row())

    def reveal(self, kind: str, key: str) -> bool:
        """Select a review note (by uid) or the row of a sign-off (by scope: '', 'dimension:DP', 'section:risks')."""
        if kind == "review_note":
            self.show_box.setCurrentIndex(0)  # waiting notes
            self.select_note(key)
            return self.model.row_of(key) >= 0
        needs = review_service.signoff_needs(self.session.framework, self.session.document)
        row = next((n for n, need in enumerate(needs) if need.scope == key and not need.given),
                   next((n for n, need in enumerate(needs) if need.scope == key), -1))
        if row < 0:
            return False
        self.signoffs.selectRow(row)
        self.signoffs.scrollTo(self.signoffs.model().index(row, 0))
        return True

    def select_note(self, uid: str) -> None:
        row = self.model.row_of(uid)
        if row >= 0:
            self.notes.selectRow(row)
        self._show_note()

    def _show_note(self) -> None:
        note = self.current_note()
        locked = self.session.locked
        left = self.kept_answer.key
        if note is None:
            self.note_view.setHtml("<p>Select a note to read, answer or close it.</p>")
            self.kept_answer.show(None, "")
        else:
            self.kept_answer.show(note["uid"], note["answer"])  # typing over this note's answer stays
            about = review_service.target_label(self.session.framework, self.session.document, note["target_kind"],
                                                note["target_key"])
            saved = f": <i>{_paragraphs(note['answer'])}</i>" if self.kept_answer.unsaved() and note["answer"] else ""
            answered = (f"<p><b>Answer</b> by {escape(note['answered_by'])}, {escape(_when(note['answered_at']))}"
                        f"{saved}</p>") if note["answered_at"] else ""  # the editor holds other text: the saved one
            closed = f"<p><i>Closed {escape(_when(note['closed_at']))}</i></p>" if note["closed_at"] else ""
            self.note_view.setHtml(f"<p><b>{escape(about)}</b> · {escape(note['status'])} · raised by "
                                   f"{escape(note['raised_by'])}, {escape(_when(note['raised_at']))}</p>"
                                   f"<p>{_paragraphs(note['text'])}</p>{answered}{closed}")
        if left not in (None, self.kept_answer.key):
            self._refilter()  # a note listed only while its answer was typed goes once left
        status = note["status"] if note else ""
        self.answer.setReadOnly(locked or status in ("", "closed"))
        self.answer_button.setEnabled(not locked and status in ("open", "answered"))
        self.close_button.setEnabled(not locked and status in ("open", "answered"))
        self.reopen_note_button.setEnabled(not locked and status in ("answered", "closed"))

    # -- notes
    def raise_note_dialog(self, kind: str = "engagement", key: str = "") -> str | None:
        dialog = NoteDialog(self.session, self, kind=kind, key=key)
        if not dialog.exec():
            return None
        return self.raise_note(*dialog.values())

    def raise_note(self, kind: str, key: str, text: str) -> str | None:
        ws, uid = self.session.ws, self.session.uid
        created: dict[str, Any] = {}

        def redo() -> None:
            if "state" in created:
                record_service.restore_record(ws, uid, "review_note", created["state"])
            else:
                created["uid"] = review_service.raise_note(ws, uid, kind, key, text)

        def undo() -> None:
            created["state"] = record_service.delete_record(ws, uid, "review_note", created["uid"],
                                                            seen_version=self._seen("review_note", created["uid"]))

        if not self.session.apply("Raise review note", redo, undo, {"review_note"}):
            return None
        self.show_box.setCurrentIndex(0)
        self.select_note(created["uid"])
        return str(created["uid"])

    def answer_note(self) -> None:
        note = self.current_note()
        if note is not None:
            text = self.answer.toPlainText()
            self._apply_note(note, "Answer review note", lambda: review_service.answer_note(
                self.session.ws, self.session.uid, note["uid"], text,
                seen_version=self._seen("review_note", note["uid"])))

    def _note_action(self, action: str) -> None:
        note = self.current_note()
        if note is None:
            return
        call = review_service.close_note if action == "close" else review_service.reopen_note
        self._apply_note(note, f"{action.capitalize()} review note", lambda: call(
            self.session.ws, self.session.uid, note["uid"], seen_version=self._seen("review_note", note["uid"])))

    def _seen(self, kind: str, key: str) -> int | None:
        """The version of a note as this page shows it: a change of one that another auditor changed meanwhile
        is refused in words, and the page reloads it (services.record_versions)."""
        return self.session.version_of(kind, key)

    def _apply_note(self, note: dict[str, Any], text: str, redo: Callable[[], None]) -> None:
        before = dict(note)
        ws, uid = self.session.ws, self.session.uid
        if self.session.apply(text, redo, lambda: review_service.restore_note_state(
                ws, uid, before["uid"], before, seen_version=self._seen("review_note", before["uid"])),
                              {"review_note"}):
            self.select_note(before["uid"])


def _when(value: str | None) -> str:
    return (value or "")[:16].replace("T", " ")


def _paragraphs(text: str) -> str:
    return escape(text).replace("\n", "<br>")
