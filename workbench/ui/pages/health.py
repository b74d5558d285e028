"""Health check: the framework's quick yes/no questions, answered before the detailed assessment.

Each answer and note is saved at once through services and is one undo step. Each question is one keyboard
stop: Y or N answers it and moves on to the next, U clears it, Enter writes its note, Up and Down move.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.charts.palette import ink_on
from workbench.domain.framework import HealthQuestion
from workbench.services.assessment import answer_health_check
from workbench.ui.keys import ENTER_KEYS, HEALTH_ANSWERS
from workbench.ui.pages.checklist_model import ANSWER_STYLE
from workbench.ui.pages.raise_finding import raise_button, raise_for_question
from workbench.ui.session import EngagementSession
from workbench.ui.style import draw_focus_frame
from workbench.ui.text_commit_edit import TextCommitEdit

CHOICES: tuple[tuple[str, str], ...] = (("yes", "Yes"), ("no", "No"), ("unanswered", "Not answered"))


@dataclass
class QuestionRow:
    question: HealthQuestion
    group: QButtonGroup
    buttons: dict[str, QRadioButton]
    note: TextCommitEdit
    badge: QLabel
    box: QuestionBox
    raise_button: QPushButton


class QuestionBox(QGroupBox):
    """One question as one keyboard stop; `on_key(question id, key)` returns True when it used the key."""

    def __init__(self, question_id: str, on_key: Callable[[str, int], bool]) -> None:
        super().__init__()
        self.setObjectName(f"question_{question_id}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._id = question_id
        self._on_key = on_key

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        plain = not event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
        if not (plain and self._on_key(self._id, event.key())):
            super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.hasFocus():
            draw_focus_frame(self, 4)


class HealthCheckPage(QWidget):
    def __init__(self, session: EngagementSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_health")
        self.session = session
        self.verdict = QLabel()
        self.verdict.setObjectName("healthVerdict")
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        intro = QLabel("Quick questions that show where to look first. Answer yes only when the guidance "
                       "under the question is met; every answer is saved at once.")
        intro.setWordWrap(True)
        intro.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.rows: dict[str, QuestionRow] = {}
        self._revealed: QWidget | None = None
        body = QWidget()
        body_layout = QVBoxLayout(body)
        for question in session.framework.health_check:
            body_layout.addWidget(self._question_box(question))
        if not session.framework.health_check:
            body_layout.addWidget(QLabel(f"The framework {session.framework.name} has no health-check questions."))
        body_layout.addStretch(1)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        session.changed.connect(lambda _kinds: self.refresh())
        self.refresh()

    def _question_box(self, question: HealthQuestion) -> QGroupBox:
        box = QuestionBox(question.id, self._key)
        box.setAccessibleName(f"{question.id}: {question.question}")
        box.setToolTip("Y yes · N no · U clear · Enter note · Up/Down another question")
        text = QLabel(f"<b>{_esc(question.id)} · {_esc(question.question)}</b>")
        text.setWordWrap(True)
        badge = QLabel()
        badge.setObjectName(f"{question.id}_badge")
        badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        badge.setFixedWidth(44)
        title = QHBoxLayout()
        title.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        title.addWidget(text, 1)
        guidance = QLabel(question.guidance)
        guidance.setWordWrap(True)
        guidance.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        group = QButtonGroup(box)
        buttons: dict[str, QRadioButton] = {}
        choices = QHBoxLayout()
        for value, label in CHOICES:
            button = QRadioButton(label)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the question is the keyboard stop: Y / N / U
            button.setObjectName(f"{question.id}_{value}")
            button.setAccessibleName(f"{question.question} {label}")
            group.addButton(button)
            buttons[value] = button
            button.clicked.connect(lambda _c=False, q=question.id, v=value: self.answer(q, v))
            choices.addWidget(button)
        note = TextCommitEdit("Note: what you were told or shown (Enter saves)", enter_commits=True)
        note.setObjectName(f"{question.id}_note")
        note.setAccessibleName(f"Note on {question.id}")
        note.setMaximumHeight(48)
        note.committed.connect(lambda text, q=question.id: self.set_note(q, text))
        note.finished.connect(lambda b=box: b.setFocus(Qt.FocusReason.OtherFocusReason))
        choices.addWidget(note, 1)
        raise_it = raise_button(f"{question.id}_raise")
        raise_it.clicked.connect(lambda _c=False, q=question.id: self.raise_finding(q))
        choices.addWidget(raise_it)
        layout = QVBoxLayout(box)
        layout.addLayout(title)
        if question.guidance:
            layout.addWidget(guidance)
        layout.addLayout(choices)
        self.rows[question.id] = QuestionRow(question, group, buttons, note, badge, box, raise_it)
        return box

    # -- keyboard
    def focus_target(self) -> QWidget:
        """The question `reveal` brought into view, else the first question not answered yet (or the first)."""
        revealed, self._revealed = self._revealed, None
        if revealed is not None:
            return revealed
        rows = list(self.rows.values())
        waiting = [r for r in rows if (self.record(r.question.id).get("answer") or "unanswered") == "unanswered"]
        chosen = (waiting or rows)[:1]
        return chosen[0].box if chosen else self

    def _key(self, question_id: str, key: int) -> bool:
        ids = list(self.rows)
        position = ids.index(question_id)
        if key in HEALTH_ANSWERS:
            if not self.session.locked:
                self.answer(question_id, HEALTH_ANSWERS[key])
                if HEALTH_ANSWERS[key] != "unanswered":
                    self._focus_question(position + 1)
        elif key in ENTER_KEYS:
            note = self.rows[question_id].note
            note.setFocus(Qt.FocusReason.ShortcutFocusReason)
            note.selectAll()
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self._focus_question(position + (1 if key == Qt.Key.Key_Down else -1))
        else:
            return False
        return True

    def _focus_question(self, position: int) -> None:
        rows = list(self.rows.values())
        if 0 <= position < len(rows):
            rows[position].box.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll_area.ensureWidgetVisible(rows[position].box)

    def reveal(self, _kind: str, question_id: str) -> bool:
        """Bring a question into view with the keyboard on it (a finalisation blocker names it)."""
        row = self.rows.get(question_id)
        if row is None:
            return False
        self.scroll_area.ensureWidgetVisible(row.box)
        self._revealed = row.box  # the keyboard goes there when the view focuses the page
        return True

    def record(self, question_id: str) -> dict[str, Any]:
        return next((h for h in self.session.document["health_check"] if h["question_id"] == question_id), {})

    def refresh(self) -> None:
        total = len(self.rows)
        yes = answered = 0
        for question_id, row in self.rows.items():
            record = self.record(question_id)
            answer = record.get("answer") or "unanswered"
            yes += answer == "yes"
            answered += answer != "unanswered"
            row.buttons[answer].setChecked(True)
            style = ANSWER_STYLE[answer]
            row.badge.setText(style.badge)
            row.badge.setStyleSheet(_badge_css(style.fill))
            row.note.set_text(record.get("note"), question_id)  # typing over it stays
            for button in row.buttons.values():
                button.setEnabled(not self.session.locked)
            row.note.setReadOnly(self.session.locked)
            row.raise_button.setEnabled(answer == "no" and not self.session.locked)
        if not total:
            self.verdict.setText("<span style='font-size:13pt'><b>No quick health check</b></span> · this "
                                 "framework has none: go on to the assessment")
            return
        missing = total - answered
        rest = f"{missing} not answered yet" if missing else "all answered"
        self.verdict.setText(f"<span style='font-size:13pt'><b>{yes} of {total} answered yes</b></span> · {rest}")

    def _save(self, text: str, question_id: str, answer: str, note: str | None) -> None:
        old = self.record(question_id)
        old_answer, old_note = old.get("answer") or "unanswered", old.get("note") or ""
        ws, uid = self.session.ws, self.session.uid
        new_note = old_note if note is None else note
        if (answer, new_note) == (old_answer, old_note) or self.session.locked:
            return
        def put(answer: str, note: str) -> None:  # based on the answer shown (refused if changed meanwhile)
            answer_health_check(ws, uid, question_id, answer, note=note,
                                seen_version=self.session.version_of("health_check", question_id))

        if not self.session.apply(text, lambda: put(answer, new_note), lambda: put(old_answer, old_note),
                                  {"health_check"}):
            self.refresh()  # a refused answer: show what is stored again

    def answer(self, question_id: str, answer: str) -> None:
        label = dict(CHOICES)[answer].lower()
        self._save(f"Answer {question_id}: {label}", question_id, answer, None)

    def raise_finding(self, question_id: str) -> str | None:
        """A finding for a No, prefilled from the question, its note and the library's findings."""
        if (self.record(question_id).get("answer") or "") != "no" or self.session.locked:
            return None
        return raise_for_question(self.session, question_id, str(self.record(question_id).get("note") or ""))

    def set_note(self, question_id: str, text: str) -> None:
        self._save(f"Edit note of {question_id}", question_id, self.record(question_id).get("answer") or "unanswered",
                   text)


def _badge_css(fill: str) -> str:
    """A filled badge with black or white text, readable on light and dark palettes alike."""
    if not fill:
        return "border: 1px solid palette(text); border-radius: 4px; padding: 1px 4px;"
    return f"background: {fill}; color: {ink_on(fill)}; border-radius: 4px; padding: 1px 4px; font-weight: bold;"


def _esc(text: str) -> str:
    from html import escape

    return escape(text)
