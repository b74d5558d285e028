"""The maturity level picker of the assessment step: one card per level, its descriptor under the name.

The picker is one stop for the keyboard (its radio buttons take no focus of their own): 1-5 pick a level,
0 or Delete "not assessed". Focused, it is framed in the highlight colour, and only the chosen level's card
is. After the last checklist item of a dimension the assessment page *prompts* here for the level: a digit
sets it and goes on, Enter or Down goes on keeping it, Esc or Up goes back to the checklist.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent, QPaintEvent, QPalette
from PySide6.QtWidgets import QButtonGroup, QFrame, QLabel, QRadioButton, QVBoxLayout, QWidget

from workbench.domain.framework import LevelDescriptor
from workbench.ui.style import draw_focus_frame


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
    proceed = Signal()  # prompted: the level is settled, go on to the next dimension
    back = Signal()  # prompted: back to the checklist without going on

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("levelPicker")
        self.setAccessibleName("Maturity level")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.group = QButtonGroup(self)
        self.group.idClicked.connect(self._clicked)
        self.cards: dict[int, LevelCard] = {}
        self._level: int | None = None
        self.prompting = False  # see `prompt`; ends when the focus leaves
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(3, 3, 3, 3)  # room for the focus frame
        self._layout.setSpacing(2)
        self.prompt_label = QLabel()
        self.prompt_label.setObjectName("levelPrompt")
        self.prompt_label.setWordWrap(True)
        self.prompt_label.setContentsMargins(4, 2, 4, 4)
        self.prompt_label.hide()
        self._layout.addWidget(self.prompt_label)
        self.setStyleSheet("QFrame#levelCard { border: 1px solid transparent; border-radius: 4px; }"
                           "QFrame#levelCard[chosen=\"true\"] { border: 2px solid palette(highlight); }"
                           "QLabel#levelPrompt { background: palette(highlight); color: palette(highlighted-text);"
                           " border-radius: 4px; }")

    def set_levels(self, levels: Sequence[LevelDescriptor]) -> None:
        """Show a dimension's levels; the cards are reused so keyboard focus stays where it was."""
        entries = [(lv.level, f"{lv.level} · {lv.name}", lv.descriptor) for lv in levels]
        for number, title, descriptor in [*entries, (0, "Not assessed", "")]:
            card = self.cards.get(number)
            if card is None:
                button = QRadioButton()
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the picker is the one keyboard stop
                button.setObjectName(f"level_{number}")
                button.setToolTip(f"Press {number}" if number else "Press 0 or Delete")
                self.group.addButton(button, number)
                card = self.cards[number] = LevelCard(button, self)
                self._layout.addWidget(card)
            card.button.setText(title)
            card.descriptor.setText(descriptor)
            card.descriptor.setVisible(bool(descriptor))
        self.set_level(self._level)

    def prompt(self, text: str) -> None:
        """Ask for the level: show `text` above the levels and take the keyboard until a key settles it."""
        self.prompt_label.setText(text)
        self.prompt_label.show()
        self.prompting = True
        self.setFocus(Qt.FocusReason.OtherFocusReason)

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
        elif key in (Qt.Key.Key_0, Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and 0 in self.cards:
            self.cards[0].button.click()
        elif self.prompting and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
            self._end_prompt(self.proceed)
            return
        elif self.prompting and key in (Qt.Key.Key_Escape, Qt.Key.Key_Up):
            self._end_prompt(self.back)
            return
        else:
            super().keyPressEvent(event)
            return
        if self.prompting:
            self._end_prompt(self.proceed)

    def _end_prompt(self, then: SignalInstance) -> None:
        self.prompting = False
        self.prompt_label.hide()
        then.emit()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.prompting = False
        self.prompt_label.hide()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.hasFocus():
            draw_focus_frame(self)


