"""Widgets of the assessment step: the keyboard-driven checklist, the level picker, commit-on-leave text.

The checklist is built for an auditor in an interview: one key answers the current item and moves
on, so a dimension can be worked through without touching the mouse.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QLabel,
    QListView,
    QPlainTextEdit,
    QRadioButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from workbench.charts.palette import OKABE_ITO, ink_on
from workbench.domain.framework import ChecklistItem, LevelDescriptor

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
# Single keys an auditor presses on the checklist (no modifier, or Shift).
ANSWER_KEYS: dict[int, str] = {
    Qt.Key.Key_Y: "yes", Qt.Key.Key_P: "partial", Qt.Key.Key_N: "no", Qt.Key.Key_A: "na",
    Qt.Key.Key_U: "unanswered", Qt.Key.Key_Backspace: "unanswered", Qt.Key.Key_Delete: "unanswered",
}
ANSWER_ROLE = Qt.ItemDataRole.UserRole + 1
NOTE_ROLE = Qt.ItemDataRole.UserRole + 2
EVIDENCE_ROLE = Qt.ItemDataRole.UserRole + 3
ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class ItemState:
    answer: str = "unanswered"
    note: str = ""
    evidence: int = 0


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
        values = {
            Qt.ItemDataRole.DisplayRole: item.text, ID_ROLE: item.id, ANSWER_ROLE: state.answer,
            NOTE_ROLE: state.note, EVIDENCE_ROLE: state.evidence,
            Qt.ItemDataRole.ToolTipRole: f"<b>{item.id}</b> — {_html(item.text)}<br><i>{_html(item.guidance)}</i>",
            Qt.ItemDataRole.AccessibleTextRole: f"{item.id}: {item.text}. Answer: {ANSWER_STYLE[state.answer].label}",
        }
        return values.get(Qt.ItemDataRole(role))


class ChecklistDelegate(QStyledItemDelegate):
    """One card per item: answer badge, id, wrapped text, the note below, evidence count on the right."""

    BADGE_W = 66
    ID_W = 58
    PAD = 6

    def _text_width(self, option: QStyleOptionViewItem) -> int:
        view = option.widget
        width = view.viewport().width() if isinstance(view, QAbstractItemView) else option.rect.width()
        return max(120, width - self.BADGE_W - self.ID_W - 3 * self.PAD)

    def _blocks(self, option: QStyleOptionViewItem, index: Index) -> tuple[int, int]:
        width = self._text_width(option)
        flags = Qt.TextFlag.TextWordWrap
        text_h = QFontMetrics(option.font).boundingRect(QRect(0, 0, width, 10000), flags,
                                                        str(index.data())).height()
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
        answer = ANSWER_STYLE.get(str(index.data(ANSWER_ROLE)), ANSWER_STYLE["unanswered"])
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
        painter.drawText(QRect(left, rect.top() + 2, width, text_h), Qt.TextFlag.TextWordWrap, str(index.data()))
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
                self.answer_pressed.emit(ANSWER_KEYS[Qt.Key(key)])
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
    """Multi-line text saved when the user leaves it (or presses Enter when `enter_commits`); Esc reverts."""

    committed = Signal(str)
    finished = Signal()  # Enter or Esc: hand the keyboard back

    def __init__(self, placeholder: str = "", *, enter_commits: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.enter_commits = enter_commits
        self._saved = ""

    def set_text(self, text: str | None, *, force: bool = False) -> None:
        """Show the stored text, without overwriting what the user is typing right now."""
        text = text or ""
        editing = self.hasFocus() and self.toPlainText() != self._saved
        self._saved = text
        if (force or not editing) and self.toPlainText() != text:
            self.setPlainText(text)

    def commit(self) -> None:
        text = self.toPlainText()
        if text != self._saved and not self.isReadOnly():
            self._saved = text
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
            self.setPlainText(self._saved)
            self.finished.emit()
        else:
            super().keyPressEvent(event)


class LevelCard(QFrame):
    """One level: a radio button with the level's name, its descriptor below; a click anywhere picks it."""

    def __init__(self, button: QRadioButton, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("levelCard")
        self.button = button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(0)
        layout.addWidget(button)
        self.descriptor = QLabel()
        self.descriptor.setWordWrap(True)
        self.descriptor.setContentsMargins(22, 0, 0, 0)
        self.descriptor.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self.descriptor)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.isEnabled() and self.rect().contains(event.position().toPoint()):
            self.button.click()


class LevelPicker(QWidget):
    """The five levels of a dimension plus "not assessed"; keys 1-5 (0 or Delete: not assessed) pick one."""

    chosen = Signal(object)  # int 1-5, or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("levelPicker")
        self.setAccessibleName("Maturity level")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.group = QButtonGroup(self)
        self.group.idClicked.connect(self._clicked)
        self.cards: dict[int, LevelCard] = {}
        self._level: int | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.setStyleSheet("QFrame#levelCard { border: 1px solid transparent; border-radius: 4px; }"
                           "QFrame#levelCard[chosen=\"true\"] { border: 2px solid palette(highlight); }")

    def set_levels(self, levels: Sequence[LevelDescriptor]) -> None:
        """Show a dimension's levels; the cards are reused so keyboard focus stays where it was."""
        entries = [(lv.level, f"{lv.level} · {lv.name}", lv.descriptor) for lv in levels]
        for number, title, descriptor in [*entries, (0, "Not assessed", "")]:
            card = self.cards.get(number)
            if card is None:
                button = QRadioButton()
                button.setObjectName(f"level_{number}")
                button.setToolTip(f"Press {number}" if number else "Press 0 or Delete")
                self.group.addButton(button, number)
                card = self.cards[number] = LevelCard(button, self)
                self._layout.addWidget(card)
            card.button.setText(title)
            card.descriptor.setText(descriptor)
            card.descriptor.setVisible(bool(descriptor))
        self.set_level(self._level)

    def level(self) -> int | None:
        return self._level

    def set_level(self, level: int | None) -> None:
        self._level = level
        for number, card in self.cards.items():
            chosen = number == (level or 0)
            card.button.setChecked(chosen)
            if card.property("chosen") != chosen:
                card.setProperty("chosen", chosen)
                card.style().unpolish(card)
                card.style().polish(card)

    def _clicked(self, number: int) -> None:
        level = number or None
        if level != self._level:
            self.chosen.emit(level)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_5 and (key - Qt.Key.Key_0) in self.cards:
            self.cards[key - Qt.Key.Key_0].button.click()
        elif key in (Qt.Key.Key_0, Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.cards[0].button.click()
        else:
            super().keyPressEvent(event)


def _italic(font: QFont) -> QFont:
    italic = QFont(font)
    italic.setItalic(True)
    return italic


def _html(text: str) -> str:
    from html import escape

    return escape(text)
