"""The checklist as a spreadsheet: out to the client as a self-assessment, the answers back in.

Export lists every item of the engagement's framework with its dimension, text, current answer and note.
Import reads such a file back (CSV, TSV, XLSX or JSON; the columns are found by their names) and changes
the answers in one step: every row is checked first, and any problem refuses the whole file. A blank
answer or note cell changes nothing (items still open are exported blank, so a sheet read back never
clears an answer given since); only the word "unanswered" clears one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.domain.fields import NA_NEEDS_REASON, Field
from workbench.domain.framework import Framework
from workbench.domain.scales import NA, UNANSWERED, YES_PARTIAL_NO, AnswerScale
from workbench.services.assessment import answers_in_unit
from workbench.services.records_io import RowError, error_report
from workbench.services.table_readers import RawTable, normalise_name, read_table
from workbench.services.table_writers import check_export_path, write_table
from workbench.services.unit import change, reading, snapshot_of
from workbench.store.tables import ChecklistResponse, Engagement
from workbench.store.workspace import Workspace

SHEET_FIELDS = (
    Field("dimension_id"), Field("dimension"), Field("item_id", required=True), Field("item", "longtext"),
    Field("choices"), Field("answer"), Field("note", "longtext"),
)
# Header names that find a column, after lowercasing and dropping spaces, dashes, dots and underscores.
_COLUMNS = {
    "item_id": ("itemid", "id", "controlid", "control", "refid", "ref", "requirement"),
    "answer": ("answer", "response", "result", "status"),
    "note": ("note", "notes", "comment", "comments", "auditorsnote"),
}
_BLANK_WORDS = frozenset({"notanswered", "none"})  # what people write in an unanswered cell of a yes/no item


@dataclass(frozen=True)
class AnswerChange:
    item_id: str
    answer: str
    note: str
    old_answer: str
    old_note: str


@dataclass(frozen=True)
class ChecklistImport:
    """What a file would change, checked in full; nothing written yet."""

    file_name: str
    changes: tuple[AnswerChange, ...]
    unchanged: int  # rows that say what the engagement already holds
    blank: int  # rows with neither an answer nor a note


def export_checklist(ws: Workspace, engagement_key: str, path: str | Path) -> Path:
    """Every checklist item of the engagement, in framework order, with its answer and note."""
    check_export_path(path)
    with reading(ws, engagement_key) as (session, engagement):
        framework = snapshot_of(session, engagement)
        answers = _answers(session, engagement)
    rows = []
    for dimension in framework.dimensions:
        for item in dimension.items:
            answer, note = answers.get(item.id, ("unanswered", ""))
            # an open item is a blank cell to fill in: read back unchanged, it clears nothing answered since
            choices = " / ".join([*(option.value for option in item.scale.options), "na"])
            rows.append({"dimension_id": dimension.id, "dimension": dimension.name, "item_id": item.id,
                         "item": item.text, "choices": choices, "answer": "" if answer == "unanswered" else answer,
                         "note": note})
    return write_table(path, SHEET_FIELDS, rows, "checklist")


def read_checklist_answers(ws: Workspace, engagement_key: str, path: str | Path) -> ChecklistImport:
    """Read and check a file of answers against the engagement; refuses it whole on any problem."""
    table = read_table(path)
    columns = _find_columns(table)
    if not table.rows:
        raise ValidationError(f"{table.name}: the file has no rows of answers")
    with reading(ws, engagement_key) as (session, engagement):
        framework = snapshot_of(session, engagement)
        current = _answers(session, engagement)
    return _compare(table, columns, framework, current)


def apply_answers(ws: Workspace, engagement_key: str, answers: Iterable[tuple[str, str, str]]) -> None:
    """Set (item id, answer, note) for many items in one transaction, each with its audit event."""
    with change(ws, engagement_key) as unit:
        answers_in_unit(unit, answers)


def import_checklist_answers(ws: Workspace, engagement_key: str, path: str | Path) -> ChecklistImport:
    """Read, check and apply a file of answers; returns what changed."""
    found = read_checklist_answers(ws, engagement_key, path)
    apply_answers(ws, engagement_key, ((c.item_id, c.answer, c.note) for c in found.changes))
    return found


def _answers(session: Session, engagement: Engagement) -> dict[str, tuple[str, str]]:
    rows = session.exec(select(ChecklistResponse).where(ChecklistResponse.engagement_id == engagement.id))
    return {row.item_id: (row.answer, row.note or "") for row in rows}


def _find_columns(table: RawTable) -> dict[str, int]:
    headers = [normalise_name(h) for h in table.headers]
    columns: dict[str, int] = {}
    for name, words in _COLUMNS.items():
        index = next((headers.index(w) for w in words if w in headers), None)
        if index is not None:
            columns[name] = index
    missing = [name for name in ("item_id", "answer") if name not in columns]
    if missing:
        raise ValidationError(f"{table.name}: no {' or '.join(repr(m) for m in missing)} column; the checklist "
                              "export of the workbench has the columns item_id, answer and note")
    return columns


def parse_answer(raw: str, scale: AnswerScale = YES_PARTIAL_NO) -> str | None:
    """The answer a cell means on the item's scale ('Yes', 'n/a', 'P', 'Basic', 'Not answered' …), None if blank."""
    text = raw.strip()
    if not text:
        return None
    try:
        return scale.parse(text)
    except ValidationError:
        if normalise_name(text) in _BLANK_WORDS:  # "None" is an option of some graded scales: those come first
            return UNANSWERED
        raise


def _cell(row: Sequence[Any], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    value = row[index]
    return "" if value is None else str(value)


def _compare(table: RawTable, columns: dict[str, int], framework: Framework,
             current: dict[str, tuple[str, str]]) -> ChecklistImport:
    known = {item.id: item for dimension in framework.dimensions for item in dimension.items}
    errors: list[RowError] = []
    unit = table.line_word
    seen: dict[str, int] = {}
    changes: list[AnswerChange] = []
    unchanged = blank = 0
    for row in table.rows:
        item_id = _cell(row.values, columns["item_id"]).strip()
        raw_answer, note = _cell(row.values, columns["answer"]), _cell(row.values, columns.get("note")).strip()
        scale = known[item_id].scale if item_id in known else YES_PARTIAL_NO
        try:
            answer = parse_answer(raw_answer, scale)
        except WorkbenchError:
            choices = ", ".join([*(o.label.lower() for o in scale.options), "na", "unanswered"])
            errors.append(RowError(row.line, "answer", f"'{raw_answer.strip()[:40]}' is not an answer (use "
                                                       f"{choices})", unit))
            continue
        if not item_id:
            if answer is not None or note:
                errors.append(RowError(row.line, "item_id", "an answer without an item id", unit))
            else:
                blank += 1
            continue
        if item_id not in known:
            errors.append(RowError(row.line, "item_id", f"no checklist item '{item_id[:40]}' in this framework", unit))
            continue
        if item_id in seen:
            errors.append(RowError(row.line, "item_id", f"'{item_id}' is already on {unit} {seen[item_id]}", unit))
            continue
        seen[item_id] = row.line
        old_answer, old_note = current.get(item_id, ("unanswered", ""))
        new_answer, new_note = answer or old_answer, note or old_note
        if new_answer == NA and not new_note.strip():
            errors.append(RowError(row.line, "note", NA_NEEDS_REASON.removeprefix("note: "), unit))
        elif answer is None and not note:
            blank += 1
        elif (new_answer, new_note) == (old_answer, old_note):
            unchanged += 1
        else:
            changes.append(AnswerChange(item_id, new_answer, new_note, old_answer, old_note))
    if errors:
        raise ValidationError(f"{table.name}: {error_report(errors)}")
    return ChecklistImport(table.name, tuple(changes), unchanged, blank)
