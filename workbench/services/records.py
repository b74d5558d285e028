"""Create, update, delete and list the records of an engagement, one code path for every kind.

Each change is validated by domain rules, checked against the engagement's framework and
written with its audit event in the same transaction.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import insert as sa_insert
from sqlalchemy import literal_column
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from workbench.domain.errors import NotFoundError, ValidationError, WorkbenchError
from workbench.domain.fields import check_acceptance, clean_record, fields_of
from workbench.domain.framework import Framework
from workbench.domain.matrices import clean_matrix_data
from workbench.services.record_versions import checked_change, refuse_stale
from workbench.services.unit import Unit, change, reading
from workbench.store.tables import (
    INTERNAL_COLUMNS,
    RECORD_TABLES,
    Engagement,
    EvidenceLink,
    Finding,
    Risk,
    column_defaults,
    ref_number,
    row_to_dict,
    stored_id,
)
from workbench.store.workspace import Workspace

EDITABLE_KINDS = ("finding", "model", "risk", "cost", "roadmap", "matrix")  # sign-offs: services.review
REF_FORMATS = {"finding": ("F-", 3), "risk": ("R-", 2)}  # two-character prefixes: see tables.REF_NUMBER
REF_CANDIDATES = 16
SQL_INTEGER_MAX = 2**63 - 1  # CAST(... AS INTEGER) saturates here


def table_of(kind: str) -> type[Any]:
    """The table of a record kind (findings, models, ...): their columns differ, so typed loosely."""
    if kind not in RECORD_TABLES:
        raise ValidationError(f"unknown record kind '{kind}'")
    return RECORD_TABLES[kind][0]


def rows_of(session: Session, engagement: Engagement, kind: str) -> list[Any]:
    table = table_of(kind)
    return list(session.exec(select(table).where(table.engagement_id == engagement.id)
                             .order_by(table.id)))


def record_columns(kind: str) -> tuple[str, ...]:
    """The fields of a record of this kind, in column order (row_to_dict's keys)."""
    table = table_of(kind).__table__
    return tuple(column.name for column in table.columns if column.name not in INTERNAL_COLUMNS)


def record_dicts(session: Session, engagement: Engagement, kind: str) -> list[dict[str, Any]]:
    """The records of one kind as `row_to_dict` gives them, read with SQL Core.

    Building thousands of ORM objects only to turn them into dicts costs ten times the query;
    column types (JSON, booleans) are converted by the same column definitions.
    """
    table = table_of(kind).__table__
    columns = [table.c[name] for name in record_columns(kind)]
    query = sa_select(*columns).where(table.c.engagement_id == engagement.id).order_by(table.c.id)
    result = session.execute(query)
    names = list(result.keys())
    return [dict(zip(names, row, strict=True)) for row in result.all()]


def next_record_ref(session: Session, engagement: Engagement, kind: str, taken: Iterable[str] = ()) -> str:
    """One more than the highest "F-<digits>" ref in use (or in `taken`).

    Refs are read highest number first through the index on their number (tables.REF_NUMBER), so a
    big engagement is not read ref by ref. Among those first candidates the highest well-formed one
    is the highest of all; only when none is well-formed (or SQL's integer overflows) are all read.
    """
    prefix, width = REF_FORMATS[kind]
    table = Finding if kind == "finding" else Risk
    form = re.compile(re.escape(prefix) + r"([0-9]+)")

    def numbers(refs: Iterable[str]) -> list[int]:
        return [int(match.group(1)) for ref in refs if (match := form.fullmatch(ref))]

    query = select(table.ref).where(table.engagement_id == engagement.id)
    found = numbers(session.exec(query.order_by(_highest_number_first(session)).limit(REF_CANDIDATES)))
    if not found or max(found) >= SQL_INTEGER_MAX:
        found = numbers(session.exec(query))
    return f"{prefix}{max([0, *found, *numbers(taken)]) + 1:0{width}d}"


def _highest_number_first(session: Session) -> Any:
    """ORDER BY the indexed ref number, highest first (a team server's NULL numbers, malformed refs, last)."""
    dialect = session.get_bind().dialect.name
    number: Any = literal_column(ref_number(dialect)).desc()
    return number.nulls_last() if dialect == "postgresql" else number


def settle_finding(unit: Unit, values: dict[str, Any], before: dict[str, Any] | None = None) -> None:
    """A finding moving to Risk accepted needs who and why, and is dated today unless a date is given."""
    state = {**(before or {}), **values}
    moving = before is None or before.get("status") != state.get("status") or bool(
        {"accepted_by", "accepted_reason"} & set(values))
    if not moving or state.get("status") != "risk_accepted":
        return
    check_acceptance(state)
    if not state.get("accepted_at"):
        values["accepted_at"] = unit.at[:10]


def check_finding_item(framework: Framework, values: dict[str, Any], current_dimension: str = "") -> None:
    """A finding raised against a checklist item sits in that item's dimension.

    Naming the item alone files the finding under the item's dimension; naming another dimension
    than the item's is refused. `current_dimension` is the finding's dimension before an update.
    """
    if values.get("dimension_id"):
        framework.dimension(values["dimension_id"])
    if not values.get("item_id"):
        return
    dimension, _item = framework.item(values["item_id"])
    if "dimension_id" not in values or not values["dimension_id"] or values["dimension_id"] == current_dimension:
        values["dimension_id"] = dimension.id
    elif values["dimension_id"] != dimension.id:
        raise ValidationError(f"item_id: {values['item_id']} belongs to dimension {dimension.id}, "
                              f"not {values['dimension_id']}")


def check_against_framework(unit: Unit, kind: str, values: dict[str, Any], current: Any = None) -> None:
    """Rules that need the engagement: a finding's dimension and item, roadmap links, matrix shapes."""
    if kind == "finding":
        check_finding_item(unit.framework, values, current.dimension_id if current is not None else "")
    if kind == "roadmap" and values.get("finding_refs"):
        known = set(unit.session.exec(select(Finding.ref).where(Finding.engagement_id == unit.engagement.id)).all())
        missing = [ref for ref in values["finding_refs"] if ref not in known]
        if missing:
            raise ValidationError(f"finding_refs: no finding {missing[0]} in this engagement")
    if kind == "matrix" and "data" in values:
        values["data"] = clean_matrix_data(values.get("kind") or "", values["data"])


def _check_unique_ref(unit: Unit, kind: str, ref: str, uid: str | None = None) -> None:
    table = table_of(kind)
    clash = unit.session.exec(select(table).where(table.engagement_id == unit.engagement.id,
                                                  table.ref == ref)).first()
    if clash is not None and clash.uid != uid:
        raise ValidationError(f"ref: {ref} is already used by another {kind} in this engagement")


def add_in_unit(unit: Unit, kind: str, values: dict[str, Any], *, uid: str | None = None,
                action: str = "create") -> Any:
    cleaned = clean_record(kind, values)
    if kind in REF_FORMATS:
        if not cleaned.get("ref"):  # above every numbered ref in use, so free: no need to look it up
            cleaned["ref"] = next_record_ref(unit.session, unit.engagement, kind)
        else:
            _check_unique_ref(unit, kind, cleaned["ref"])
    check_against_framework(unit, kind, cleaned)
    if kind == "finding" and action != "restore":  # undo brings back exactly what was deleted
        settle_finding(unit, cleaned)
    row = table_of(kind)(engagement_id=unit.engagement.id, uid=uid or str(uuid.uuid4()), **cleaned)
    unit.session.add(row)
    unit.session.flush()
    unit.record(action, kind, row.uid, None, row_to_dict(row))
    return row


def refs_in_use(session: Session, engagement: Engagement, kind: str) -> set[str]:
    """Every ref of the engagement's records of `kind` (findings, risks): one column, no ORM object each."""
    table = table_of(kind).__table__
    query = sa_select(table.c.ref).where(table.c.engagement_id == stored_id(engagement))
    return {str(ref) for ref in session.execute(query).scalars()}


def add_many_in_unit(unit: Unit, kind: str, records: Sequence[Mapping[str, Any]], *,
                     action: str = "create") -> tuple[list[str], list[tuple[int, WorkbenchError]]]:
    """Add records as add_in_unit adds each, in one go: (their uids, the problems by record index).

    Every record is cleaned and checked exactly as add_in_unit checks it (a ref already in use, or used
    by an earlier record of the batch, is refused; a blank ref gets the next number), then all are written
    with one executemany and each with its audit event. With any problem nothing is written.
    """
    cleaned_records: list[dict[str, Any]] = []
    problems: list[tuple[int, WorkbenchError]] = []
    refs = _RefBook(unit, kind) if kind in REF_FORMATS else None
    for index, values in enumerate(records):
        try:
            cleaned = clean_record(kind, values)
            if refs is not None:
                refs.claim(cleaned)
            check_against_framework(unit, kind, cleaned)
        except WorkbenchError as exc:
            problems.append((index, exc))
            continue
        if refs is not None:
            refs.keep(cleaned["ref"])
        cleaned_records.append(cleaned)
    if problems:
        return [], problems
    defaults, columns = column_defaults(kind), record_columns(kind)
    states = []
    for cleaned in cleaned_records:  # what row_to_dict gives of the row add_in_unit would have flushed
        values = {**defaults, **cleaned, "uid": str(uuid.uuid4())}
        states.append({name: values[name] for name in columns})
    table = table_of(kind).__table__
    owner = stored_id(unit.engagement)
    unit.session.execute(sa_insert(table), [{"engagement_id": owner, **state} for state in states])
    unit.record_many((action, kind, state["uid"], None, state) for state in states)
    return [state["uid"] for state in states], []


class _RefBook:
    """The refs of a batch being added: in use, numbered as add_in_unit numbers them one record at a time."""

    def __init__(self, unit: Unit, kind: str) -> None:
        self.kind = kind
        self.prefix, self.width = REF_FORMATS[kind]
        self.form = re.compile(re.escape(self.prefix) + r"([0-9]+)")
        self.taken = refs_in_use(unit.session, unit.engagement, kind)
        self.next = int(next_record_ref(unit.session, unit.engagement, kind)[len(self.prefix):])

    def claim(self, cleaned: dict[str, Any]) -> None:
        if not cleaned.get("ref"):
            cleaned["ref"] = f"{self.prefix}{self.next:0{self.width}d}"
        elif cleaned["ref"] in self.taken:
            raise ValidationError(f"ref: {cleaned['ref']} is already used by another {self.kind} in this engagement")

    def keep(self, ref: str) -> None:
        self.taken.add(ref)
        match = self.form.fullmatch(ref)
        if match and int(match.group(1)) < SQL_INTEGER_MAX:
            self.next = max(self.next, int(match.group(1)) + 1)


def find_row(unit_or_session: Unit | Session, engagement: Engagement, kind: str, key: str) -> Any:
    """A record by uid, uid prefix or (findings, risks) ref."""
    session = unit_or_session.session if isinstance(unit_or_session, Unit) else unit_or_session
    table = table_of(kind)
    base = select(table).where(table.engagement_id == engagement.id)
    row = session.exec(base.where(table.uid == key)).first()
    if row is None and kind in REF_FORMATS:
        row = session.exec(base.where(table.ref == key)).first()
    if row is None and len(key) >= 4:
        matches = session.exec(base.where(table.uid.startswith(key))).all()
        row = matches[0] if len(matches) == 1 else None
    if row is None:
        raise NotFoundError(f"no {kind.replace('_', ' ')} '{key}' in engagement {engagement.ref}")  # no table names
    return row


def add_record(ws: Workspace, engagement_key: str, kind: str, values: dict[str, Any]) -> str:
    if kind not in EDITABLE_KINDS:
        raise ValidationError(f"records of kind '{kind}' are not added this way")
    with change(ws, engagement_key) as unit:
        uid: str = add_in_unit(unit, kind, values).uid
        return uid


def _refuse_signoff(kind: str) -> None:
    if kind == "signoff":  # who signed what is the review service's rule, not a free edit
        raise ValidationError("sign-offs are given and withdrawn on the review step (workbench signoff)")


def update_record(ws: Workspace, engagement_key: str, kind: str, key: str, values: dict[str, Any], *,
                  seen_version: int | None = None) -> dict[str, Any]:
    """Change some fields of a record; returns the earlier values of every field that changed, those the rules
    changed along with the given ones too (an item names its dimension): what undoing the change sets back.

    `seen_version`: the version of the record the edit is based on (what the auditor's page showed:
    record_versions.record_versions, EngagementSession.version_of). If the record has changed since (another
    auditor, another window), the edit is refused with StaleEditError naming who changed it and when, and nothing
    is written: optimistic concurrency, never a silent overwrite. The engagement's row is locked for the
    transaction (services.unit.change) and the UPDATE matches only the version it read, so nobody can change the
    record between this check and the write."""
    _refuse_signoff(kind)
    with checked_change(ws, engagement_key, kind, key) as unit:
        return _update_in_unit(unit, kind, key, values, seen_version)


def _update_in_unit(unit: Unit, kind: str, key: str, values: dict[str, Any],
                    seen_version: int | None) -> dict[str, Any]:
    row = find_row(unit, unit.engagement, kind, key)
    if seen_version is not None:
        refuse_stale(unit.session, unit.engagement.uid, kind, row, seen_version)
    before = row_to_dict(row)
    cleaned = clean_record(kind, values, partial=True)
    if kind == "matrix":
        cleaned.setdefault("kind", row.kind)
        cleaned.setdefault("data", row.data)
    if kind in REF_FORMATS and cleaned.get("ref"):
        _check_unique_ref(unit, kind, cleaned["ref"], row.uid)
    elif kind in REF_FORMATS and "ref" in cleaned:
        raise ValidationError("ref: a value is required")
    if kind == "finding" and "dimension_id" in cleaned and "item_id" not in cleaned and row.item_id \
            and unit.framework.item(row.item_id)[0].id != cleaned["dimension_id"]:
        cleaned["item_id"] = ""  # moved to another dimension: it is no longer about that item
    check_against_framework(unit, kind, cleaned, row)
    if kind == "finding":
        settle_finding(unit, cleaned, before)
    for name, value in cleaned.items():
        setattr(row, name, value)
    after = row_to_dict(row)
    if after != before:
        unit.session.add(row)
        unit.session.flush()  # the UPDATE, bumping the version it matched (tables.version_column)
        unit.record("update", kind, row.uid, before, after)
    names = {f.name for f in fields_of(kind)}
    return {name: before.get(name) for name, value in after.items() if name in names and value != before.get(name)}


# records evidence can be linked to: deleting one takes its links along (and undo brings them back)
LINKED_KINDS = frozenset({"finding", "model", "risk"})
LINKS_KEY = "evidence_links"  # where a deleted record's state keeps its links for restore_record


def delete_in_unit(unit: Unit, kind: str, key: str, seen_version: int | None = None) -> dict[str, Any]:
    """Delete one record and its links; `seen_version`: refused (StaleEditError) if the record moved on since."""
    _refuse_signoff(kind)
    row = find_row(unit, unit.engagement, kind, key)
    if seen_version is not None:
        refuse_stale(unit.session, unit.engagement.uid, kind, row, seen_version)
    before = row_to_dict(row)
    links = []
    if kind in LINKED_KINDS:
        for link in unit.session.exec(select(EvidenceLink).where(
                EvidenceLink.engagement_id == unit.engagement.id, EvidenceLink.target_kind == kind,
                EvidenceLink.target_key == row.uid)).all():
            links.append(row_to_dict(link))
            unit.session.delete(link)
            unit.record("unlink", "evidence_link", link.uid, links[-1], None)
    unit.session.delete(row)
    unit.record("delete", kind, row.uid, before, None)
    return {**before, LINKS_KEY: links} if links else before


def delete_record(ws: Workspace, engagement_key: str, kind: str, key: str, *,
                  seen_version: int | None = None) -> dict[str, Any]:
    """Delete a record and its evidence links; returns what they held (the GUI's undo re-creates them).

    `seen_version`: the version the auditor's page showed (None: not checked). A record another auditor changed
    since is not deleted: StaleEditError, nothing written (services.record_versions)."""
    with checked_change(ws, engagement_key, kind, key) as unit:
        return delete_in_unit(unit, kind, key, seen_version)


def delete_records(ws: Workspace, engagement_key: str, kind: str, keys: list[str], *,
                   seen_versions: Mapping[str, int | None] | None = None) -> list[dict[str, Any]]:
    """Delete several records in one transaction (undo of an import); returns what they held. `seen_versions`
    (key → version shown): one of them changed since and none is deleted."""
    seen = seen_versions or {}
    with checked_change(ws, engagement_key, kind, keys[0] if keys else "") as unit:
        return [delete_in_unit(unit, kind, key, seen.get(key)) for key in keys]


def restore_record(ws: Workspace, engagement_key: str, kind: str, state: dict[str, Any]) -> str:
    """Bring back a deleted record with its uid and its evidence links (undo of a delete)."""
    values = {k: v for k, v in state.items() if k not in ("uid", LINKS_KEY)}
    with change(ws, engagement_key) as unit:
        uid: str = add_in_unit(unit, kind, values, uid=state.get("uid"), action="restore").uid
        for link in state.get(LINKS_KEY, ()):
            restored = EvidenceLink(engagement_id=stored_id(unit.engagement), uid=link["uid"],
                                    evidence_uid=link["evidence_uid"], target_kind=link["target_kind"],
                                    target_key=uid)
            unit.session.add(restored)
            unit.session.flush()
            unit.record("link", "evidence_link", restored.uid, None, row_to_dict(restored))
        return uid


def list_records(ws: Workspace, engagement_key: str, kind: str) -> list[dict[str, Any]]:
    with reading(ws, engagement_key) as (session, engagement):
        return record_dicts(session, engagement, kind)
