"""Other auditors' work on a team server, shown as it is committed (issue #18 item 3).

The window listens on the server's change feed (services.team_changes: PostgreSQL LISTEN/NOTIFY on a connection
of its own) through a QSocketNotifier on that connection's socket: nothing polls, nothing blocks the window.
When a notice names the engagement the window shows, and its change is not shown yet, the open pages refresh
as after a local edit (EngagementSession.take_remote), keeping what the auditor is typing, and the status bar
says discreetly who changed it and when; with no engagement open, the library follows. A checkout to a laptop,
a check-in or a release elsewhere turns the open engagement read-only or editable again at once, its banner
saying why.

When the feed's connection drops (the server restarted, the network went away) the status bar says so and the
window reconnects on its own, waiting longer after each failed try (RETRY_DELAYS_MS); once back, it catches up
with whatever was committed meanwhile. A workspace file has no feed: nothing changes there.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow

from workbench.domain.trail import NOTICE

if TYPE_CHECKING:
    from workbench.services.team_changes import ChangeFeed
    from workbench.store.workspace import Workspace
    from workbench.ui.session import EngagementSession

log = logging.getLogger(__name__)
LIBRARY_DELAY_MS = 400
LOST_TEXT = "Team server connection lost: others' changes are not shown until it is back; reconnecting…"


class TeamChanges(QObject):
    RETRY_DELAYS_MS = (1000, 2000, 5000, 10000, 30000)  # then every 30 s: a server back after a restart is seen soon

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._ws: Workspace | None = None
        self._feed: ChangeFeed | None = None
        self._notifier: QSocketNotifier | None = None
        self._actor = ""
        self._failures = 0
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._reconnect)
        self._library_due = QTimer(self)  # the library shown: one refresh for a burst of notices
        self._library_due.setSingleShot(True)
        self._library_due.setInterval(LIBRARY_DELAY_MS)
        self._library_due.timeout.connect(self._refresh_library)
        self.note = QLabel()
        self.note.setObjectName("teamChangeNote")
        self.note.setEnabled(False)  # discreet: the palette's quieter text
        self.note.hide()
        window.statusBar().addPermanentWidget(self.note)

    @property
    def listening(self) -> bool:
        return self._feed is not None

    @property
    def reconnecting(self) -> bool:
        return self._retry.isActive()

    def watch(self, ws: Workspace) -> None:
        """Listen to this workspace's server (stop listening to the one before)."""
        self.stop()
        self._actor = ws.actor
        if not ws.is_server:
            return
        self._ws = ws
        self._listen()

    def stop(self) -> None:
        self._retry.stop()
        self._library_due.stop()
        self._ws = None
        self._failures = 0
        self._close_feed()
        self.note.hide()

    def _listen(self) -> bool:
        from workbench.services.team_changes import open_change_feed  # the database layer: not before the window

        assert self._ws is not None
        self._feed = open_change_feed(self._ws)
        if self._feed is None:
            return False
        self._notifier = QSocketNotifier(self._feed.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._arrived)
        return True

    def _close_feed(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._feed is not None:
            try:
                self._feed.close()
            except Exception:  # a connection already gone may fail to close: it is dropped all the same
                log.debug("closing a lost change feed failed", exc_info=True)
            self._feed = None

    def _lost(self) -> None:
        """The feed's connection is gone: say so, and try again after a while."""
        self._close_feed()
        self._show(LOST_TEXT, "Changes other auditors save are shown again once the connection is back")
        delays = self.RETRY_DELAYS_MS
        self._retry.start(delays[min(self._failures, len(delays) - 1)])
        self._failures += 1

    def _reconnect(self) -> None:
        if self._ws is None:
            return
        if not self._listen():
            log.info("the team server's change feed is still unreachable (try %d)", self._failures)
            self._lost()
            return
        log.info("the team server's change feed is back after %d tries", self._failures)
        self._failures = 0
        self.note.hide()
        session = self._session()
        if session is None:
            self._library_due.start()
            return
        from workbench.services.team_changes import kinds_since

        try:
            missed = kinds_since(self._ws, session.uid, session.seq)
        except Exception:  # the server went away again: the next drop of the feed starts over
            log.warning("catching up after a reconnection failed", exc_info=True)
            return
        if missed:
            self._take(session, missed)

    def _session(self) -> EngagementSession | None:
        return getattr(self._window, "session", None)

    def _arrived(self, *_args: object) -> None:
        assert self._feed is not None
        try:
            notices = self._feed.drain()
        except Exception:  # the server went away: the window goes on, refreshing on its own edits, and reconnects
            log.warning("the team server's change feed stopped", exc_info=True)
            self._lost()
            return
        session = self._session()
        if session is None:
            if notices:  # the library is shown: its titles, scores, statuses and checkout marks follow
                self._library_due.start()
            return
        news = [n for n in notices if n.engagement_uid == session.uid and n.seq > session.seq]
        if not news:
            return
        self._take(session, set().union(*(n.kinds for n in news)))
        others = [n for n in news if n.actor != self._actor]
        if others:
            from workbench.services.team_changes import describe_notice

            self._show(describe_notice(others[-1]),
                       "Another auditor's change to this engagement, shown as it was saved")

    def _refresh_library(self) -> None:
        library = getattr(self._window, "library", None)
        if self._session() is None and library is not None and self._ws is not None:
            try:
                library.refresh()
            except Exception:  # the server went away meanwhile: the feed's drop says so
                log.warning("refreshing the library after a change notice failed", exc_info=True)

    def _take(self, session: EngagementSession, kinds: set[str]) -> None:
        session.take_remote(kinds)
        if NOTICE in kinds:  # perhaps checked out, in or released elsewhere: the banner says what holds now
            show_banner = getattr(self._window, "show_checkout_banner", None)
            if show_banner is not None:
                show_banner()

    def _show(self, text: str, tip: str) -> None:
        self.note.setText(text)
        self.note.setToolTip(tip)
        self.note.show()
