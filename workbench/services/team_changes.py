"""Seeing other auditors' work on a team server: the feed of committed changes a window listens to.

Each change of an engagement is announced when it commits (store.server_changes, sent by services.unit.change);
a window opens a feed on its workspace and refreshes the engagement it shows when a notice names it. A workspace
file has no feed (None): nobody else writes it while it is open.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select

from workbench.domain.errors import WorkbenchError
from workbench.services.unit import reading
from workbench.store.server_changes import ChangeFeed, ChangeNotice
from workbench.store.tables import AuditEvent
from workbench.store.workspace import Workspace

log = logging.getLogger(__name__)
__all__ = ["ChangeFeed", "ChangeNotice", "describe_notice", "kinds_since", "open_change_feed"]


def open_change_feed(ws: Workspace) -> ChangeFeed | None:
    """A feed of the team server's changes; None for a workspace file, or when the server refuses (logged: the
    window then works as before, refreshing on its own edits only)."""
    if not ws.is_server:
        return None
    import psycopg

    try:
        return ChangeFeed(ws.url)  # type: ignore[attr-defined]
    except psycopg.Error as exc:
        log.warning("no change feed from the team server %s: %s", ws.location, exc)
        return None


def kinds_since(ws: Workspace, engagement_uid: str, seq: int) -> set[str]:
    """The kinds of records changed after trail event `seq`: what a window missed while its feed was down."""
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    try:
        with reading(ws, engagement_uid) as (session, _engagement):
            return {str(kind) for kind in session.execute(
                select(table.c.entity).where(table.c.engagement_uid == engagement_uid, table.c.seq > seq)
                .distinct()).scalars()}
    except WorkbenchError:  # the engagement is gone, or no longer visible to this auditor: nothing to catch up
        return set()


def describe_notice(notice: ChangeNotice) -> str:
    """"Updated by Bea Keller 10:14": who, and when in this computer's time."""
    try:
        when = datetime.fromisoformat(notice.at.replace("Z", "+00:00")).astimezone().strftime("%H:%M")
    except ValueError:
        when = notice.at[11:16]
    return f"Updated by {notice.actor} {when}"
