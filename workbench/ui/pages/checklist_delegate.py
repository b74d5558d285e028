"""How the checklist paints an item: a card with the answer badge, the id, the wrapped text (clipped to a few
lines), the note below and the evidence count; and the clipping itself, laid out once per text and width."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QTextLayout, QTextOption
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QStyleOptionViewItem

from workbench.charts.palette import ink_on
from workbench.ui.pages.checklist_model import (
    ANSWER_ROLE,
    ANSWER_STYLE,
    EVIDENCE_ROLE,
    ID_ROLE,
    NOTE_ROLE,
    STYLE_ROLE,
    Index,
)
from workbench.ui.style import draw_item_panel


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
        selected, ink = draw_item_panel(painter, option)
        palette = option.palette
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


def _italic(font: QFont) -> QFont:
    italic = QFont(font)
    italic.setItalic(True)
    return italic
