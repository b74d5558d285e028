"""Assessment answers: dimension levels, checklist responses and the quick health check.

These records are keyed by the framework's ids (dimension, item, question), so setting one is
an upsert checked against the engagement's frozen framework.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import select

from workbench.domain.coverage import is_answered, level_warning
from workbench.domain.errors import ValidationError
from workbench.domain.fields import check_na_reason, clean_record
from workbench.services.record_versions import refuse_stale
from workbench.services.unit import Unit, change
from workbench.store.tables import Assessment, ChecklistResponse, HealthCheckAnswer, row_to_dict
from workbench.store.workspace import Workspace

_UNSET: Any = object()


def _upsert(unit: Unit, kind: str, table: Any, key_field: str, key: str, values: dict[str, Any],
            row: Any = _UNSET, seen_version: int | None = None) -> None:
    """Create or change the engagement's row for `key`; `row` when the caller already read it (or None).

    `seen_version`: the version of the answer the auditor's page showed (record_versions.ABSENT: not given yet);
    an answer changed (or given) by someone else since is refused with StaleEditError. None: not checked."""
    if row is _UNSET:
        row = unit.session.exec(select(table).where(table.engagement_id == unit.engagement.id,
                                                    getattr(table, key_field) == key)).first()
    if seen_version is not None:
        refuse_stale(unit.session, unit.engagement.uid, kind, row, seen_version, key)
    before = row_to_dict(row) if row is not None else None
    if row is None:
        cleaned = clean_record(kind, {key_field: key, **values})
        row = table(engagement_id=unit.engagement.id, **cleaned)
    else:
        for name, value in clean_record(kind, values, partial=True).items():
            setattr(row, name, value)
    if kind == "checklist":  # the transaction rolls back on a refusal: the row is not kept
        check_na_reason(row.answer, row.note)
    unit.session.add(row)
    unit.session.flush()
    after = row_to_dict(row)
    if after != before:
        unit.record("update" if before else "create", kind, key, before, after)


def set_assessment_in_unit(unit: Unit, dimension_id: str, *, level: Any = _UNSET, target: Any = _UNSET,
                           justification: Any = _UNSET, seen_version: int | None = None) -> tuple[str, ...]:
    """Write the dimension's assessment; returns warnings (a level resting on too little of the checklist)."""
    dimension = unit.framework.dimension(dimension_id)
    values: dict[str, Any] = {}
    if level is not _UNSET:
        values["current_level"] = level
    if target is not _UNSET:
        values["target_level"] = target
    if justification is not _UNSET:
        values["justification"] = justification
    _upsert(unit, "assessment", Assessment, "dimension_id", dimension_id, values, seen_version=seen_version)
    if level is _UNSET and justification is _UNSET:
        return ()
    row = unit.session.exec(select(Assessment).where(Assessment.engagement_id == unit.engagement.id,
                                                     Assessment.dimension_id == dimension_id)).one()
    items = {item.id for item in dimension.items}
    answered = sum(1 for item_id, answer in unit.session.exec(
        select(ChecklistResponse.item_id, ChecklistResponse.answer).where(
            ChecklistResponse.engagement_id == unit.engagement.id)) if item_id in items and is_answered(answer))
    warning = level_warning(dimension, answered, row.current_level, row.justification)
    return (warning,) if warning else ()


def set_assessment(ws: Workspace, engagement_key: str, dimension_id: str, *, level: Any = _UNSET,
                   target: Any = _UNSET, justification: Any = _UNSET, seen_version: int | None = None
                   ) -> tuple[str, ...]:
    """Set a dimension's current level (None clears it), target level and justification.

    Returns warnings the auditor should see: a level set with fewer than half of the dimension's checklist
    items answered and no justification (domain.coverage.level_warning). The change is made all the same.
    `seen_version`, here and below: the version of the answer the page showed (_upsert).
    """
    with change(ws, engagement_key) as unit:
        return set_assessment_in_unit(unit, dimension_id, level=level, target=target, justification=justification,
                                      seen_version=seen_version)


def answer_in_unit(unit: Unit, item_id: str, answer: str, note: Any = _UNSET, seen_version: int | None = None) -> None:
    """Answer an item on its scale (yes / partial / no, or the graded scale the framework declares)."""
    _dimension, item = unit.framework.item(item_id)
    values: dict[str, Any] = {"answer": item.scale.parse(answer)}
    if note is not _UNSET:
        values["note"] = note
    _upsert(unit, "checklist", ChecklistResponse, "item_id", item_id, values, seen_version=seen_version)


def answers_in_unit(unit: Unit, answers: Iterable[tuple[str, str, str]]) -> None:
    """Many (item id, answer, note) at once, e.g. a filled-in checklist: the rows are read in one query."""
    existing = {row.item_id: row for row in unit.session.exec(
        select(ChecklistResponse).where(ChecklistResponse.engagement_id == unit.engagement.id))}
    for item_id, answer, note in answers:
        _dimension, item = unit.framework.item(item_id)
        _upsert(unit, "checklist", ChecklistResponse, "item_id", item_id,
                {"answer": item.scale.parse(answer), "note": note}, existing.get(item_id))


def plan_in_unit(unit: Unit, item_id: str, *, target: Any = _UNSET, priority: Any = _UNSET,
                 seen_version: int | None = None) -> None:
    """The target state and priority of a graded item (its row in the capability table)."""
    if target is _UNSET and priority is _UNSET:
        return
    _dimension, item = unit.framework.item(item_id)
    if not item.scale.graded:
        raise ValidationError(f"{item_id} is answered yes, partial or no; only a graded item has a target state "
                              "and a priority")
    values: dict[str, Any] = {}
    if target is not _UNSET:
        values["target"] = item.scale.parse_target(target)
    if priority is not _UNSET:
        values["priority"] = priority
    row = unit.session.exec(select(ChecklistResponse).where(ChecklistResponse.engagement_id == unit.engagement.id,
                                                            ChecklistResponse.item_id == item_id)).first()
    if row is None:  # planned before it was answered
        values["answer"] = "unanswered"
    _upsert(unit, "checklist", ChecklistResponse, "item_id", item_id, values, row, seen_version)


def plan_item(ws: Workspace, engagement_key: str, item_id: str, *, target: Any = _UNSET,
              priority: Any = _UNSET, seen_version: int | None = None) -> None:
    with change(ws, engagement_key) as unit:
        plan_in_unit(unit, item_id, target=target, priority=priority, seen_version=seen_version)


def answer_and_plan(ws: Workspace, engagement_key: str, item_id: str, answer: str, *, note: Any = _UNSET,
                    target: Any = _UNSET, priority: Any = _UNSET, seen_version: int | None = None) -> None:
    """An answer with, for a graded item, its target state and priority: one transaction."""
    with change(ws, engagement_key) as unit:
        answer_in_unit(unit, item_id, answer, note, seen_version)  # the version checked once, before either step
        plan_in_unit(unit, item_id, target=target, priority=priority)


def answer_item(ws: Workspace, engagement_key: str, item_id: str, answer: str, note: Any = _UNSET, *,
                seen_version: int | None = None) -> None:
    with change(ws, engagement_key) as unit:
        answer_in_unit(unit, item_id, answer, note, seen_version)


def health_in_unit(unit: Unit, question_id: str, answer: str, note: Any = _UNSET,
                   seen_version: int | None = None) -> None:
    unit.framework.question(question_id)
    values: dict[str, Any] = {"answer": answer}
    if note is not _UNSET:
        values["note"] = note
    _upsert(unit, "health_check", HealthCheckAnswer, "question_id", question_id, values, seen_version=seen_version)


def answer_health_check(ws: Workspace, engagement_key: str, question_id: str, answer: str,
                        note: Any = _UNSET, *, seen_version: int | None = None) -> None:
    with change(ws, engagement_key) as unit:
        health_in_unit(unit, question_id, answer, note, seen_version)
