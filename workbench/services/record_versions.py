"""Optimistic concurrency: each record an auditor edits carries a version (tables.ROW_VERSION, migration 0014).

A page shows a record at some version; an edit carries that version (services.records.update_record's
`seen_version`). If the record has moved on since (another auditor on a team server, another window), the edit
is refused in words naming who changed it and when, read from the trail, and nothing is written: never a silent
overwrite. The version is bumped by the UPDATE that writes the edit, which matches only the version it read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain.errors import StaleEditError, ValidationError
from workbench.store.tables import RECORD_TABLES, ROW_VERSION, VERSIONED_KINDS, AuditEvent, Engagement

__all__ = ["record_versions", "refuse_stale", "stale_edit"]


def _versioned_table(kind: str) -> Any:
    if kind not in VERSIONED_KINDS:
        raise ValidationError(f"records of kind '{kind}' carry no version")
    return RECORD_TABLES[kind][0].__table__  # type: ignore[attr-defined]


def record_versions(session: Session, engagement: Engagement, kind: str,
                    uids: Iterable[str] | None = None) -> dict[str, int]:
    """uid → version of the records of one kind (of those uids only, when given)."""
    table = _versioned_table(kind)
    query = select(table.c.uid, table.c[ROW_VERSION]).where(table.c.engagement_id == engagement.id)
    if uids is not None:
        query = query.where(table.c.uid.in_(list(uids)))
    return {str(uid): int(version) for uid, version in session.execute(query)}


def stale_edit(session: Session, engagement_uid: str, kind: str, label: str, uid: str) -> StaleEditError:
    """The refusal of an edit based on an older version of a record: who changed it last, and when."""
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    last = session.execute(
        select(table.c.actor, table.c.at).where(table.c.engagement_uid == engagement_uid, table.c.entity_id == uid)
        .order_by(table.c.seq.desc()).limit(1)).first()
    who = f" by {last.actor} at {str(last.at)[:16].replace('T', ' ')}" if last is not None else ""
    return StaleEditError(f"{kind.replace('_', ' ')} {label} was changed meanwhile{who}; your change was not saved. "
                          "The record has been reloaded: make your change again if it still applies.")


def record_label(row: Any) -> str:
    return str(getattr(row, "ref", "") or getattr(row, "name", "") or getattr(row, "title", "")
               or getattr(row, "activity", "") or row.uid)


def refuse_stale(session: Session, engagement_uid: str, kind: str, row: Any, seen_version: int) -> None:
    """StaleEditError when the record (read in the writing transaction) is no longer at `seen_version`."""
    _versioned_table(kind)
    if getattr(row, ROW_VERSION) != seen_version:
        raise stale_edit(session, engagement_uid, kind, record_label(row), row.uid)
