"""An open engagement: the step list on the left, the current step's page on the right.

The view is where pages meet: a page asks for another step's record through `session.navigate` (a review
note's target, say), and `go_to` shows that step, has the page reveal the record and hands it the keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QStatusBar, QVBoxLayout, QWidget

from workbench.ui import heap
from workbench.ui.column_fit import ColumnFitter
from workbench.ui.errors import user_message
from workbench.ui.pages import PAGE_CLASSES, TARGET_STEPS, page_factory, step_key
from workbench.ui.session import EngagementSession
from workbench.ui.step_list import StepList


class EngagementView(QWidget):
    message = Signal(str)

    def __init__(self, session: EngagementSession, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("engagementView")
        self.session = session
        self.settings = settings
        self.steps = StepList()
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        self.banner = QLabel()
        self.banner.setObjectName("lockedBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("#lockedBanner { background: #0072B2; color: white; padding: 6px 10px; }")
        self.splitter = QSplitter()
        self.splitter.setObjectName("engagementSplitter")
        self.splitter.addWidget(self.steps)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        state = settings.value("engagement/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([260, 1000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.steps.step_selected.connect(self.show_step)
        self.steps.step_activated.connect(lambda key: self.show_step(key, focus=True))
        session.navigate.connect(self.go_to)
        session.changed.connect(lambda _kinds: self._refresh_steps())
        session.failed.connect(lambda exc: self.message.emit(user_message(exc)))
        self._refresh_steps()
        self.show_step("overview")

    def _refresh_steps(self) -> None:
        progress = self.session.progress
        visible = type(progress)(tuple(s for s in progress.steps if s.key in PAGE_CLASSES), progress.blockers)
        self.steps.set_progress(visible, {key: step_key(key) for key in PAGE_CLASSES})
        self.banner.setVisible(self.session.locked)
        self.banner.setText("This engagement is final and locked: it can be read, exported and reported on, but "
                            "not changed. To change it, use Reopen on the Review and sign-off step (the reason is "
                            "recorded in the audit trail).")

    def page(self, key: str) -> QWidget:
        if key not in self.pages:
            with heap.building():  # the page's models live as long as the engagement
                page = page_factory(key)(self.session)
            self.pages[key] = page
            self.stack.addWidget(page)
            splitter = page.findChild(QSplitter)
            if splitter is not None:
                saved = self.settings.value(f"splitters/{splitter.objectName()}")
                if saved is not None:
                    splitter.restoreState(saved)
            for fitter in page.findChildren(ColumnFitter):  # the column widths the auditor dragged
                fitter.restore(self.settings)
        return self.pages[key]

    def show_step(self, key: str, *, focus: bool = False) -> None:
        """Show a step's page; with `focus` the page takes the keyboard where its next key goes."""
        if key not in PAGE_CLASSES:
            return
        self.stack.setCurrentWidget(self.page(key))
        self.steps.select_step(key)
        if focus:
            self.focus_page()

    def focus_page(self) -> None:
        page = self.stack.currentWidget()
        target = (page.focus_target() if page is not None and hasattr(page, "focus_target") else None) or page
        if target is not None:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def current_step(self) -> str:
        current = self.stack.currentWidget()
        return next((k for k, page in self.pages.items() if page is current), "overview")

    def move_step(self, offset: int) -> None:
        """The next (+1) or previous (-1) step, with the keyboard on its page."""
        steps = list(PAGE_CLASSES)
        position = steps.index(self.current_step()) + offset
        if 0 <= position < len(steps):
            self.show_step(steps[position], focus=True)

    def go_to(self, kind: str, key: str) -> bool:
        """Show what a note or blocker is about (a finding's uid, a checklist item's id, a dimension id...)."""
        step = TARGET_STEPS.get(kind)
        if step not in PAGE_CLASSES:
            return False
        self.show_step(step)
        page = self.pages[step]
        found = bool(page.reveal(kind, key)) if hasattr(page, "reveal") else True
        self.focus_page()
        return found

    def save_state(self) -> None:
        self.settings.setValue("engagement/splitter", self.splitter.saveState())
        for page in self.pages.values():
            for splitter in page.findChildren(QSplitter):
                if splitter.objectName():
                    self.settings.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
            for fitter in page.findChildren(ColumnFitter):
                fitter.save(self.settings)


__all__ = ["EngagementView", "QStatusBar"]
