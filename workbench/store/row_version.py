"""The version each edited row carries (migrations 0014 and 0015): optimistic concurrency's counter.

A record table's row is 1 when written, and every update through the ORM sets it one higher in the same UPDATE,
which only matches while the row still holds the version it was read with (SQLAlchemy's version_id_col).
services.record_versions refuses an edit based on an older one. Local bookkeeping: not a record field
(tables.INTERNAL_COLUMNS), so packages, the trail and JSON leave it.

The engagement's own row is rewritten by every change of the engagement (services.unit.change stamps updated_at),
so its version counts changes of its header only (count_header_changes): a title edit is not refused because
somebody answered a checklist item meanwhile.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Integer, event, inspect, text
from sqlmodel import Field

__all__ = ["ROW_VERSION", "count_header_changes", "version_column", "versioned"]

ROW_VERSION = "row_version"
UNCOUNTED = frozenset({"updated_at", ROW_VERSION})  # what moves without the header changing


def version_column() -> Column[int]:
    return Column(ROW_VERSION, Integer, nullable=False, server_default=text("1"))


def versioned(*, counted_by_app: bool = False) -> tuple[Any, dict[str, Any]]:
    """A table's row_version field and the mapper arguments that make it the version counter.

    `counted_by_app`: the UPDATE still matches only the version read, but sets a new one only when the code does
    (the engagement's header: count_header_changes). The column must not be bound to a name in the class body:
    pydantic takes an underscored class attribute for a private attribute and deep-copies its default (the Column,
    with its table and the whole metadata) into every record made, about 0.1 s each.
    """
    column = version_column()
    arguments: dict[str, Any] = {"version_id_col": column}
    if counted_by_app:
        arguments["version_id_generator"] = False
    return Field(default=1, sa_column=column), arguments


def count_header_changes(table: type[Any]) -> None:
    """Make `table`'s version one higher in each UPDATE that changes more than its UNCOUNTED columns."""

    @event.listens_for(table, "before_update")
    def _count(_mapper: Any, _connection: Any, target: Any) -> None:
        attributes = inspect(target).attrs
        if any(attributes[name].history.has_changes() for name in table.model_fields if name not in UNCOUNTED):
            setattr(target, ROW_VERSION, getattr(target, ROW_VERSION) + 1)
