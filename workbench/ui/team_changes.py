"""Other auditors' work on a team server, shown as it is committed (issue #18 item 3).

The window listens on the server's change feed (services.team_changes: PostgreSQL LISTEN/NOTIFY on a connection
of its own) through a QSocketNotifier on that connection's socket: nothing polls, nothing blocks the window.
When a notice names the engagement the window shows, and its change is not shown yet, the open pages refresh
as after a local edit (EngagementSession.take_remote), keeping what the auditor is typing, and the status bar
says discreetly who changed it and when. A workspace file has no feed: nothing changes there.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtWidgets import QLabel, QMainWindow

if TYPE_CHECKING:
    from workbench.services.team_changes import ChangeFeed
    from workbench.store.workspace import Workspace
    from workbench.ui.session import EngagementSession

log = logging.getLogger(__name__)


class TeamChanges(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._feed: ChangeFeed | None = None
        self._notifier: QSocketNotifier | None = None
        self._actor = ""
        self.note = QLabel()
        self.note.setObjectName("teamChangeNote")
        self.note.setEnabled(False)  # discreet: the palette's quieter text
        self.note.hide()
        window.statusBar().addPermanentWidget(self.note)

    @property
    def listening(self) -> bool:
        return self._feed is not None

    def watch(self, ws: Workspace) -> None:
        """Listen to this workspace's server (stop listening to the one before)."""
        self.stop()
        self._actor = ws.actor
        if not ws.is_server:
            return
        from workbench.services.team_changes import open_change_feed  # the database layer: not before the window

        self._feed = open_change_feed(ws)
        if self._feed is not None:
            self._notifier = QSocketNotifier(self._feed.fileno(), QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self._arrived)

    def stop(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._feed is not None:
            self._feed.close()
            self._feed = None
        self.note.hide()

    def _session(self) -> EngagementSession | None:
        return getattr(self._window, "session", None)

    def _arrived(self, *_args: object) -> None:
        assert self._feed is not None
        try:
            notices = self._feed.drain()
        except Exception:  # the server went away: the window goes on, refreshing on its own edits
            log.warning("the team server's change feed stopped", exc_info=True)
            self.stop()
            return
        session = self._session()
        if session is None:
            return
        news = [n for n in notices if n.engagement_uid == session.uid and n.seq > session.seq]
        if not news:
            return
        session.take_remote(set().union(*(n.kinds for n in news)))
        others = [n for n in news if n.actor != self._actor]
        if others:
            from workbench.services.team_changes import describe_notice

            self.note.setText(describe_notice(others[-1]))
            self.note.setToolTip("Another auditor's change to this engagement, shown as it was saved")
            self.note.show()
