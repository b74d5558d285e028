"""Widgets of the assessment step: the keyboard-driven checklist, the level picker, commit-on-leave text.

The checklist is built for an auditor in an interview: one key answers the current item and moves
on, so a dimension can be worked through without touching the mouse.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPalette,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from workbench.charts.palette import ANSWER_HEX, OKABE_ITO, answer_key, ink_on
from workbench.domain.framework import ChecklistItem
from workbench.domain.scales import AnswerScale
from workbench.ui.keys import CHECKLIST_ANSWERS, CHECKLIST_OPTIONS
from workbench.ui.unsaved_text import KeptText

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class AnswerStyle:
    value: str
    label: str
    badge: str
    fill: str  # "" = outlined badge in the text colour (unanswered)


ANSWERS: tuple[AnswerStyle, ...] = (
    AnswerStyle("yes", "Yes", "YES", OKABE_ITO["bluish_green"]),
    AnswerStyle("partial", "Partial", "PARTIAL", OKABE_ITO["orange"]),
    AnswerStyle("no", "No", "NO", OKABE_ITO["vermillion"]),
    AnswerStyle("na", "Not applicable", "N/A", "#B4B4B4"),
    AnswerStyle("unanswered", "Unanswered", "—", ""),
)
ANSWER_STYLE = {style.value: style for style in ANSWERS}
ANSWER_KEYS = CHECKLIST_ANSWERS  # single keys an auditor presses on the checklist (no modifier, or Shift)
OPTION_KEYS = CHECKLIST_OPTIONS  # digits: the n-th option of the item's scale (graded items)
ANSWER_ROLE = Qt.ItemDataRole.UserRole + 1
NOTE_ROLE = Qt.ItemDataRole.UserRole + 2
EVIDENCE_ROLE = Qt.ItemDataRole.UserRole + 3
STYLE_ROLE = Qt.ItemDataRole.UserRole + 4
ID_ROLE = Qt.ItemDataRole.UserRole
BADGE_CHARACTERS = 9


def answer_style(scale: AnswerScale, answer: str) -> AnswerStyle:
    """How an answer looks on its item's scale: yes / partial / no as always, a graded option by its label
    and coloured by its declared score (full marks green, part orange, none red; a recorded need blue)."""
    if not scale.graded or answer in ("na", "unanswered"):
        return ANSWER_STYLE.get(answer, ANSWER_STYLE["unanswered"])
    option = scale.option(answer)
    if option is None:
        return ANSWER_STYLE["unanswered"]
    badge = option.label.upper()
    if len(badge) > BADGE_CHARACTERS:
        badge = badge[:BADGE_CHARACTERS - 1].rstrip(" -") + "…"
    return AnswerStyle(answer, option.label, badge, ANSWER_HEX[answer_key(answer, option.score)])


@dataclass(frozen=True)
class ItemState:
    answer: str = "unanswered"
    note: str = ""
    evidence: int = 0
    target: str = ""  # graded items: target state and priority (the capability table)
    priority: str = ""


class ChecklistModel(QAbstractListModel):
    """The items of one dimension; their answers come from `state(item_id)` so a refresh keeps the cursor."""

    def __init__(self, state: Callable[[str], ItemState]) -> None:
        super().__init__()
        self.items: tuple[ChecklistItem, ...] = ()
        self._state = state

    def set_items(self, items: Sequence[ChecklistItem]) -> None:
        self.beginResetModel()
        self.items = tuple(items)
        self.endResetModel()

    def refresh(self) -> None:
        if self.items:
            self.dataChanged.emit(self.index(0), self.index(len(self.items) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        state = self._state(item.id)
        style = answer_style(item.scale, state.answer)
        values = {
            Qt.ItemDataRole.DisplayRole: item.text, ID_ROLE: item.id, ANSWER_ROLE: state.answer,
            NOTE_ROLE: _note_line(item, state), EVIDENCE_ROLE: state.evidence, STYLE_ROLE: style,
            Qt.ItemDataRole.ToolTipRole: f"<b>{item.id}</b> — {_html(item.text)}<br><i>{_html(item.guidance)}</i>"
                                         + (f"<br>Scale: {_html(item.scale.name)}" if item.scale.graded else ""),
            Qt.ItemDataRole.AccessibleTextRole: f"{item.id}: {item.text}. Answer: {style.label}",
        }
        return values.get(Qt.ItemDataRole(role))


def _note_line(item: ChecklistItem, state: ItemState) -> str:
    """The note under an item; a graded item's target and priority lead it ("Target Advanced · high priority")."""
    plan = []
    if state.target:
        plan.append(f"Target {item.scale.label(state.target)}")
    if state.priority:
        plan.append(f"{state.priority} priority")
    return " · ".join(plan) + (" — " if plan and state.note else "") + state.note


def clipped_text(text: str, font: QFont, width: int, max_lines: int) -> str:
    """The text as it fits in `max_lines` wrapped lines of `width` pixels, the last one ending in "…"."""
    layout = QTextLayout(text.replace("\n", "\u2028"), font)  # U+2028: a line break inside one paragraph
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    starts: list[int] = []
    while len(starts) <= max_lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        starts.append(line.textStart())
    layout.endLayout()
    if len(starts) <= max_lines:
        return text
    last = starts[max_lines - 1]
    rest = text[last:].replace("\n", " ")  # runs on past the line, so eliding always ends it with "…"
    return text[:last] + QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width)


class ChecklistDelegate(QStyledItemDelegate):
    """One card per item: answer badge, id, wrapped text, the note below, evidence count on the right.

    A long item (an SP 800-53 control runs to thirty lines) shows its first lines only, so the list stays
    scannable; the selected-item pane and the tooltip give it in full."""

    BADGE_W = 66
    ID_W = 58
    PAD = 6
    MAX_TEXT_LINES = 6

    def _text_width(self, option: QStyleOptionViewItem) -> int:
        view = option.widget
        width = view.viewport().width() if isinstance(view, QAbstractItemView) else option.rect.width()
        return max(120, width - self.BADGE_W - self.ID_W - 3 * self.PAD)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # sizeHint and paint each need the clipped text, for every card and every scroll or resize: laid out
        # once per text, font and width
        self._clipped: dict[tuple[str, str, int], str] = {}

    def _shown_text(self, option: QStyleOptionViewItem, index: Index) -> str:
        text, width = str(index.data()), self._text_width(option)
        key = (text, option.font.key(), width)
        shown = self._clipped.get(key)
        if shown is None:
            if len(self._clipped) > 20_000:  # widths change as the window is resized: keep it bounded
                self._clipped.clear()
            shown = self._clipped[key] = clipped_text(text, option.font, width, self.MAX_TEXT_LINES)
        return shown

    def _blocks(self, option: QStyleOptionViewItem, index: Index) -> tuple[int, int]:
        width = self._text_width(option)
        flags = Qt.TextFlag.TextWordWrap
        text_h = QFontMetrics(option.font).boundingRect(QRect(0, 0, width, 10000), flags,
                                                        self._shown_text(option, index)).height()
        note = str(index.data(NOTE_ROLE) or "")
        note_h = QFontMetrics(_italic(option.font)).boundingRect(QRect(0, 0, width, 10000), flags,
                                                                 note).height() if note else 0
        return text_h, note_h

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        text_h, note_h = self._blocks(option, index)
        badge_h = 2 * QFontMetrics(option.font).height() + 8  # badge and the evidence count under it
        return QSize(self._text_width(option), max(badge_h, text_h + note_h + (4 if note_h else 0)) + 2 * self.PAD + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        ink = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        rect = option.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        line = QFontMetrics(option.font).height()
        answer = index.data(STYLE_ROLE) or ANSWER_STYLE.get(str(index.data(ANSWER_ROLE)), ANSWER_STYLE["unanswered"])
        badge = QRect(rect.left(), rect.top(), self.BADGE_W - self.PAD, line + 4)
        small = QFont(option.font)
        small.setBold(True)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.85))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if answer.fill:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(answer.fill))
            painter.drawRoundedRect(badge, 4, 4)
            painter.setPen(QColor(ink_on(answer.fill)))
        else:
            painter.setPen(ink)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(badge.adjusted(0, 0, -1, -1), 4, 4)
        painter.setFont(small)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, answer.badge)
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(ink)
        left = rect.left() + self.BADGE_W
        painter.drawText(QRect(left, rect.top() + 2, self.ID_W, line), Qt.AlignmentFlag.AlignLeft,
                         str(index.data(ID_ROLE)))
        text_h, note_h = self._blocks(option, index)
        width = self._text_width(option)
        left += self.ID_W + self.PAD
        painter.setFont(option.font)
        painter.drawText(QRect(left, rect.top() + 2, width, text_h), Qt.TextFlag.TextWordWrap,
                         self._shown_text(option, index))
        if note_h:
            painter.setFont(_italic(option.font))
            painter.setPen(ink if selected else palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(QRect(left, rect.top() + 6 + text_h, width, note_h), Qt.TextFlag.TextWordWrap,
                             str(index.data(NOTE_ROLE)))
        count = int(index.data(EVIDENCE_ROLE) or 0)
        if count:
            painter.setFont(small)
            painter.setPen(ink)
            painter.drawText(QRect(badge.left(), badge.bottom() + 4, self.BADGE_W + self.ID_W, line),
                             Qt.AlignmentFlag.AlignLeft, f"Evidence: {count}")
        painter.restore()


class ChecklistView(QListView):
    """Y/P/N/A answer and move on, U/Backspace clears, Enter/F2 edits the note; accepts dropped files."""

    answer_pressed = Signal(str)
    option_pressed = Signal(int)  # a digit: the n-th option of the current item's scale
    note_requested = Signal()
    past_end = Signal()  # Down on the last item: go to the next dimension
    before_start = Signal()  # Up on the first item: go to the previous dimension
    files_dropped = Signal(str, list)  # item id, paths

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.read_only = False
        self.setObjectName("checklist")
        self.setAccessibleName("Checklist")
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(False)
        self.setItemDelegate(ChecklistDelegate(self))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, mods = event.key(), event.modifiers()
        plain = mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier,
                         Qt.KeyboardModifier.KeypadModifier)
        row, rows = self.currentIndex().row(), self.model().rowCount() if self.model() else 0
        if plain and key in ANSWER_KEYS and rows:
            if not self.read_only:
                self.answer_pressed.emit(ANSWER_KEYS[key])
            event.accept()
        elif plain and key in OPTION_KEYS and rows:
            if not self.read_only:
                self.option_pressed.emit(OPTION_KEYS[key])
            event.accept()
        elif plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2) and rows:
            self.note_requested.emit()
            event.accept()
        elif key == Qt.Key.Key_Down and plain and row == rows - 1:
            self.past_end.emit()
            event.accept()
        elif key == Qt.Key.Key_Up and plain and row == 0:
            self.before_start.emit()
            event.accept()
        elif plain and Qt.Key.Key_A <= key <= Qt.Key.Key_Z:
            event.accept()  # no jump-to-item keyboard search: a mistyped answer key must not move the cursor
        else:
            super().keyPressEvent(event)

    # -- evidence by drag and drop
    @staticmethod
    def local_paths(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
        data = event.mimeData()
        if not data.hasUrls():
            return []
        paths = [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]
        return [path for path in paths if path.is_file()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if not self.read_only and self.local_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        index = self.indexAt(event.position().toPoint())
        if index.isValid():
            self.setCurrentIndex(index)  # shows which item the files will support
        event.acceptProposedAction() if not self.read_only else event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = self.local_paths(event)
        index = self.indexAt(event.position().toPoint())
        index = index if index.isValid() else self.currentIndex()
        if self.read_only or not paths or not index.isValid():
            event.ignore()
            return
        event.acceptProposedAction()
        self.setCurrentIndex(index)
        self.files_dropped.emit(str(index.data(ID_ROLE)), paths)


class TextCommitEdit(QPlainTextEdit):
    """Multi-line text saved when the user leaves it (or presses Enter when `enter_commits`); Esc reverts.
    A refresh never overwrites what is being typed in it (ui/unsaved_text.py)."""

    committed = Signal(str)
    finished = Signal()  # Enter or Esc: hand the keyboard back

    def __init__(self, placeholder: str = "", *, enter_commits: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.enter_commits = enter_commits
        self.kept = KeptText(self)

    def set_text(self, text: str | None, key: Hashable = None) -> None:
        """Show the stored text of `key` (which item or dimension, say), without overwriting what the user is
        typing over that same key."""
        self.kept.show(key, text)

    def commit(self) -> None:
        if self.kept.unsaved() and not self.isReadOnly():
            self.kept.stored = text = self.toPlainText()
            self.committed.emit(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self.commit()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and self.enter_commits and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.commit()
            self.finished.emit()
        elif event.key() == Qt.Key.Key_Escape:
            self.kept.revert()
            self.finished.emit()
        else:
            super().keyPressEvent(event)


def _italic(font: QFont) -> QFont:
    italic = QFont(font)
    italic.setItalic(True)
    return italic


def _html(text: str) -> str:
    from html import escape

    return escape(text)
