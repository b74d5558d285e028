"""Other auditors' changes on a team server as they are committed: PostgreSQL's LISTEN/NOTIFY.

services.unit.change announces each change of an engagement with `pg_notify` in the transaction that writes it,
so the notice is delivered when (and only if) the change commits. A window listens on a connection of its own
(ChangeFeed) and refreshes the engagement it shows. A workspace file has no such feed: one process writes it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
__all__ = ["CHANNEL", "ChangeFeed", "ChangeNotice", "announce_change"]

CHANNEL = "workbench_change"


@dataclass(frozen=True)
class ChangeNotice:
    """One committed change of an engagement: who, when (UTC, ISO), what kinds of records, its last trail seq."""

    engagement_uid: str
    actor: str
    at: str
    kinds: frozenset[str]
    seq: int


def announce_change(session: Session, engagement_uid: str, actor: str, at: str, kinds: Iterable[str],
                    seq: int) -> None:
    """Queue the notice of this transaction's change (PostgreSQL delivers it on commit, never on a rollback)."""
    payload = json.dumps({"engagement": engagement_uid, "actor": actor, "at": at, "kinds": sorted(set(kinds)),
                          "seq": seq}, ensure_ascii=False)
    session.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload})


def _notice(payload: str) -> ChangeNotice | None:
    try:
        data: Any = json.loads(payload)
        return ChangeNotice(str(data["engagement"]), str(data["actor"]), str(data["at"]),
                            frozenset(str(kind) for kind in data["kinds"]), int(data["seq"]))
    except (ValueError, KeyError, TypeError):
        log.warning("a change notice of an unknown shape was ignored")
        return None


class ChangeFeed:
    """A connection of its own that LISTENs on the team server's change channel."""

    def __init__(self, url: str) -> None:
        import psycopg

        # keepalives: a network gone quiet (no reset reaches the laptop) is noticed within about half a minute, as a
        # server that closes the connection is at once; the window then reconnects (ui.team_changes)
        self._connection: Any = psycopg.connect(url, autocommit=True, keepalives=1, keepalives_idle=15,
                                                keepalives_interval=5, keepalives_count=3)
        self._connection.execute(f"LISTEN {CHANNEL}")

    def fileno(self) -> int:
        """The connection's socket: readable when a notice (or anything else) has arrived."""
        return int(self._connection.fileno())

    def drain(self) -> list[ChangeNotice]:
        """The notices that have arrived, without waiting."""
        notices = (_notice(n.payload) for n in self._connection.notifies(timeout=0))
        return [notice for notice in notices if notice is not None]

    def close(self) -> None:
        self._connection.close()
