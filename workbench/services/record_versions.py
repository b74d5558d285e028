"""Optimistic concurrency: each record an auditor edits carries a version (tables.ROW_VERSION, migrations 0014 and
0015): findings and the other records, assessment, checklist and health-check answers, evidence, review notes,
sign-offs, and the engagement's header.

A page shows a record at some version; an edit or a delete carries that version (the services' `seen_version`;
0 for an answer the page showed as not given yet). If the record has moved on since (another auditor on a team
server, another window), the change is refused in words naming who changed it and when, read from the trail, and
nothing is written: never a silent overwrite. The version is bumped by the UPDATE that writes the edit, which
matches only the version it read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from workbench.domain.errors import StaleEditError, ValidationError
from workbench.services.unit import Unit, change, reading
from workbench.store.tables import RECORD_TABLES, ROW_VERSION, VERSIONED_KINDS, AuditEvent, Engagement
from workbench.store.workspace import Workspace

__all__ = ["ABSENT", "ANSWER_KINDS", "checked_change", "record_label", "record_versions", "refuse_stale", "stale_edit"]

ABSENT = 0  # the version of a record (an answer) that does not exist: seen_version=ABSENT expects it absent
ANSWER_KINDS = frozenset({"assessment", "checklist", "health_check"})  # written on first answer, keyed by framework ids


def _versioned_table(kind: str) -> tuple[Any, str]:
    """The table of a versioned kind and the column naming a record within its engagement."""
    if kind not in VERSIONED_KINDS:
        raise ValidationError(f"records of kind '{kind}' carry no version")
    if kind == "engagement":
        return Engagement.__table__, "uid"  # type: ignore[attr-defined]
    model, key = RECORD_TABLES[kind]
    return model.__table__, key  # type: ignore[attr-defined]


def _owner(table: Any, kind: str) -> Any:
    """The column holding the engagement's id."""
    return table.c.id if kind == "engagement" else table.c.engagement_id


def record_versions(session: Session, engagement: Engagement, kind: str,
                    keys: Iterable[str] | None = None) -> dict[str, int]:
    """key → version of the records of one kind (of those keys only, when given). The key is a record's uid, an
    answer's dimension, item or question id, the engagement's uid for its header."""
    table, key = _versioned_table(kind)
    query = select(table.c[key], table.c[ROW_VERSION]).where(_owner(table, kind) == engagement.id)
    if keys is not None:
        query = query.where(table.c[key].in_(list(keys)))
    return {str(name): int(version) for name, version in session.execute(query)}


def stale_edit(session: Session, engagement_uid: str, kind: str, label: str, key: str) -> StaleEditError:
    """The refusal of an edit based on an older version of a record: who changed it last, and when."""
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    last = session.execute(
        select(table.c.actor, table.c.at).where(table.c.engagement_uid == engagement_uid, table.c.entity_id == key)
        .order_by(table.c.seq.desc()).limit(1)).first()
    who = f" by {last.actor} at {str(last.at)[:16].replace('T', ' ')}" if last is not None else ""
    return StaleEditError(f"{kind.replace('_', ' ')} {label} was changed meanwhile{who}; your change was not saved. "
                          "The record has been reloaded: make your change again if it still applies.")


def record_label(row: Any) -> str:
    """How the refusal names a record: its ref, name or title, an answer's framework id, a file's name."""
    for name in ("ref", "name", "title", "activity", "file_name", "dimension_id", "item_id", "question_id"):
        if getattr(row, name, ""):
            return str(getattr(row, name))
    text = str(getattr(row, "text", "") or "")  # a review note: its first words
    return f"“{text[:40]}{'…' if len(text) > 40 else ''}”" if text.strip() else str(row.uid)


def refuse_stale(session: Session, engagement_uid: str, kind: str, row: Any, seen_version: int,
                 key: str = "") -> None:
    """StaleEditError when the record (read in the writing transaction; None: there is none, under `key`) is no
    longer at `seen_version`."""
    _table, key_field = _versioned_table(kind)
    if (getattr(row, ROW_VERSION) if row is not None else ABSENT) == seen_version:
        return
    if row is None:
        raise stale_edit(session, engagement_uid, kind, key, key)
    raise stale_edit(session, engagement_uid, kind, record_label(row), str(getattr(row, key_field)))


@contextmanager
def checked_change(ws: Workspace, engagement_key: str, kind: str, key: str) -> Iterator[Unit]:
    """services.unit.change for a change of one record checked by its version: when the UPDATE or DELETE matched no
    row (its version moved under a writer that took no engagement lock) it is refused as stale all the same."""
    try:
        with change(ws, engagement_key) as unit:
            yield unit
    except StaleDataError as exc:
        with reading(ws, engagement_key) as (session, engagement):
            table, key_field = _versioned_table(kind)
            row = session.execute(select(table).where(_owner(table, kind) == engagement.id,
                                                      table.c[key_field] == key)).first()
            label = record_label(row) if row is not None else key
            raise stale_edit(session, engagement.uid, kind, label, key) from exc
