"""What still blocks finalisation, each line a link to the place that fixes it (overview and review pages).

A click asks the session to navigate to what the blocker names (Blocker.target: a checklist item, a
dimension, a health-check question, a finding, a review note or a sign-off); the engagement view shows its
step and the page reveals it, as for a review note's target.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QLabel, QWidget

from workbench.services.progress import Blocker
from workbench.ui.session import EngagementSession
from workbench.ui.style import draw_focus_frame


class BlockerList(QLabel):
    def __init__(self, session: EngagementSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("blockers")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                     | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.session = session
        self.blockers: tuple[Blocker, ...] = ()
        self.linkActivated.connect(self.follow)

    def show_blockers(self, blockers: Sequence[Blocker], empty: str) -> None:
        self.blockers = tuple(blockers)
        if not self.blockers:
            self.setText(escape(empty))
            self.setToolTip("")
            return
        lines = "".join(f"<li><a href='#{index}'>{escape(b.text)}</a></li>" for index, b in enumerate(self.blockers))
        self.setText(f"<ul style='margin-left:-20px'>{lines}</ul>")
        self.setToolTip("Click a line to go where it is settled")

    def follow(self, link: str) -> None:
        """Go to where blocker number `link` ('#3') is settled."""
        index = int(link.lstrip("#")) if link.lstrip("#").isdigit() else -1
        if 0 <= index < len(self.blockers):
            self.session.navigate.emit(*self.blockers[index].target)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """A label draws no focus of its own, yet Tab stops here to reach the links: frame it then."""
        super().paintEvent(event)
        if self.hasFocus() and self.window().testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange):
            draw_focus_frame(self, 3)
