"""An open engagement: the step list on the left, the current step's page on the right."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QStatusBar, QVBoxLayout, QWidget

from workbench.ui.errors import user_message
from workbench.ui.pages import PAGE_CLASSES, page_factory
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
        session.changed.connect(lambda _kinds: self._refresh_steps())
        session.failed.connect(lambda exc: self.message.emit(user_message(exc)))
        self._refresh_steps()
        self.show_step("overview")

    def _refresh_steps(self) -> None:
        progress = self.session.progress
        visible = type(progress)(tuple(s for s in progress.steps if s.key in PAGE_CLASSES), progress.blockers)
        self.steps.set_progress(visible)
        self.banner.setVisible(self.session.locked)
        self.banner.setText("This engagement is final and locked: it can be read, exported and reported on, but "
                            "not changed. To change it, use Reopen on the Review and sign-off step (the reason is "
                            "recorded in the audit trail).")

    def page(self, key: str) -> QWidget:
        if key not in self.pages:
            page = page_factory(key)(self.session)
            self.pages[key] = page
            self.stack.addWidget(page)
            splitter = page.findChild(QSplitter)
            if splitter is not None:
                saved = self.settings.value(f"splitters/{splitter.objectName()}")
                if saved is not None:
                    splitter.restoreState(saved)
        return self.pages[key]

    def show_step(self, key: str) -> None:
        if key not in PAGE_CLASSES:
            return
        self.stack.setCurrentWidget(self.page(key))
        self.steps.select_step(key)

    def current_step(self) -> str:
        current = self.stack.currentWidget()
        return next((k for k, page in self.pages.items() if page is current), "overview")

    def save_state(self) -> None:
        self.settings.setValue("engagement/splitter", self.splitter.saveState())
        for page in self.pages.values():
            for splitter in page.findChildren(QSplitter):
                if splitter.objectName():
                    self.settings.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())


__all__ = ["EngagementView", "QStatusBar"]
