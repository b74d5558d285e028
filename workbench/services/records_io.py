"""Import findings, models and risks from spreadsheets and scanner output; export them for Excel.

Import runs in two steps so the desktop dialog can show a preview and let the user fix the column
mapping: read_table + suggest_mapping + validate_rows build an ImportPreview (no workspace needed),
then commit_import writes every row in one transaction, or none of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from workbench.domain.costs import CostBasis
from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.domain.fields import RECORD_FIELDS, Field, check_acceptance, clean_record, fields_of
from workbench.services.cost_rollup import priced_findings
from workbench.services.records import REF_FORMATS, add_many_in_unit, refs_in_use, rows_of
from workbench.services.table_readers import MAX_ROWS, RawRow, RawTable, decimal_point, normalise_name, read_table
from workbench.services.table_writers import check_export_path, write_table
from workbench.services.unit import change, reading, snapshot_of
from workbench.store.tables import Engagement, row_to_dict
from workbench.store.workspace import Workspace

__all__ = ["IMPORT_KINDS", "ImportContext", "ImportPreview", "RawTable", "RowError", "commit_import",
           "engagement_context", "export_records", "import_records", "read_table", "suggest_mapping",
           "validate_rows", "write_records"]

IMPORT_KINDS = ("finding", "model", "risk")
MAX_LISTED_ERRORS = 20

# Column names seen in audit spreadsheets and scanner reports, normalised by normalise_name().
_SYNONYMS: dict[str, dict[str, str]] = {
    "finding": {"finding": "title", "issue": "title", "name": "title", "summary": "title", "risk": "severity",
                "priority": "severity", "level": "severity", "fix": "recommendation", "remediation": "recommendation",
                "solution": "recommendation", "id": "ref", "findingid": "ref", "reference": "ref",
                "dimension": "dimension_id", "area": "dimension_id", "details": "description",
                "item": "item_id", "control": "item_id", "controlid": "item_id", "checklistitem": "item_id",
                "effort(h)": "effort_hours", "effort": "effort_hours", "hours": "effort_hours",
                "cost": "cost_estimate", "due": "due_date", "deadline": "due_date", "assignee": "owner",
                "responsible": "owner", "state": "status", "current": "current_level",
                "recommended": "recommended_level", "target": "recommended_level",
                "targetlevel": "recommended_level"},
    "model": {"model": "name", "modelname": "name", "registry": "model_registry", "latency": "latency_ms",
              "throughput": "throughput_rps", "tier": "risk_tier", "risk": "risk_tier", "serving": "deployment",
              "deploymenttype": "deployment", "updated": "last_updated", "lastupdate": "last_updated",
              "monitoring": "monitored", "comments": "notes", "comment": "notes", "description": "notes"},
    "risk": {"risk": "title", "name": "title", "description": "title", "id": "ref", "riskid": "ref",
             "probability": "likelihood", "type": "category", "fix": "mitigation", "remediation": "mitigation",
             "treatment": "mitigation", "mitigationplan": "mitigation", "state": "status"},
}


@dataclass(frozen=True)
class RowError:
    """One problem of one row: where it is, which field, and what is wrong."""

    line: int
    field: str
    message: str
    unit: str = "line"

    def __str__(self) -> str:
        where = f"{self.unit} {self.line}" if self.line else "the file"
        return f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class ImportPreview:
    """Cleaned records ready to commit (with their source lines) and every problem found."""

    kind: str
    records: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    mapping: dict[str, str | None] = field(default_factory=dict)
    unit: str = "line"

    @property
    def ok(self) -> bool:
        return not self.errors

    def report(self, limit: int = MAX_LISTED_ERRORS) -> str:
        return error_report(self.errors, limit)


@dataclass(frozen=True)
class ImportContext:
    """What validation needs from the engagement: its framework's dimensions and the refs in use."""

    dimensions: Mapping[str, str] = field(default_factory=dict)  # normalised id or name -> id
    existing_refs: frozenset[str] = frozenset()
    items: Mapping[str, str] = field(default_factory=dict)  # normalised checklist item id -> id
    item_dimensions: Mapping[str, str] = field(default_factory=dict)  # item id -> its dimension id


def error_report(errors: list[RowError], limit: int = MAX_LISTED_ERRORS) -> str:
    """A summary sentence, then one line per problem ('line 7, severity: ...'), at most `limit` of them."""
    rows = len({error.line for error in errors})
    head = f"{rows} row{' has' if rows == 1 else 's have'} problems; nothing was imported"
    lines = [head, *(str(error) for error in errors[:limit])]
    if len(errors) > limit:
        lines.append(f"... and {len(errors) - limit} more")
    return "\n".join(lines)


def check_kind(kind: str) -> str:
    if kind not in IMPORT_KINDS:
        raise ValidationError(f"records of kind '{kind}' cannot be imported or exported; use finding, model or risk")
    return kind


def suggest_mapping(kind: str, headers: Iterable[str]) -> dict[str, str | None]:
    """Guess which field each column holds: field name or title first, then common synonyms; else None."""
    fields = RECORD_FIELDS[check_kind(kind)]
    exact = {normalise_name(f.name): f.name for f in fields} | {normalise_name(f.title): f.name for f in fields}
    headers = list(headers)
    mapping: dict[str, str | None] = dict.fromkeys(headers)
    for table in (exact, _SYNONYMS[kind]):
        for header in headers:
            target = table.get(normalise_name(header))
            if mapping[header] is None and target and target not in mapping.values():
                mapping[header] = target
    return mapping


def _split_error(exc: WorkbenchError, names: Iterable[str]) -> tuple[str, str]:
    """('severity', "'Severe' is not one of ...") from the field-prefixed message of a domain error."""
    head, sep, rest = str(exc).partition(": ")
    return (head, rest) if sep and head in set(names) else ("", str(exc))


def _check_mapping(kind: str, table: RawTable, mapping: Mapping[str, str | None]) -> dict[int, Field]:
    """Column index -> field; refuses a mapping naming unknown fields or one field twice."""
    spec = {f.name: f for f in RECORD_FIELDS[kind]}
    columns: dict[int, Field] = {}
    seen: dict[str, str] = {}
    for index, header in enumerate(table.headers):
        target = mapping.get(header)
        if not target:
            continue
        if target not in spec:
            raise ValidationError(f"column '{header}' is mapped to '{target}', which is not a {kind} field")
        if target in seen:
            raise ValidationError(f"columns '{seen[target]}' and '{header}' are both mapped to {target}")
        seen[target] = header
        columns[index] = spec[target]
    return columns


def _check_in_context(kind: str, record: dict[str, Any], context: ImportContext) -> list[tuple[str, str]]:
    """Problems only the engagement can reveal; resolves a dimension given by name to its id."""
    problems: list[tuple[str, str]] = []
    dimension = record.get("dimension_id")
    if kind == "finding" and dimension and context.dimensions:
        resolved = context.dimensions.get(normalise_name(dimension))
        if resolved is None:
            known = ", ".join(sorted(set(context.dimensions.values())))
            problems.append(("dimension_id", f"the framework has no dimension '{dimension}' (use one of {known})"))
        else:
            record["dimension_id"] = resolved
    if kind == "finding" and record.get("item_id") and context.item_dimensions:
        problems += _check_item(record, context)
    if record.get("ref") and record["ref"] in context.existing_refs:
        problems.append(("ref", f"{record['ref']} is already used by another {kind} in this engagement"))
    return problems


def _check_item(record: dict[str, Any], context: ImportContext) -> list[tuple[str, str]]:
    """The item must be one of the framework's and sit in the finding's dimension (which it gives if blank)."""
    given = record["item_id"]
    item = given if given in context.item_dimensions else context.items.get(normalise_name(given))
    if item is None:
        return [("item_id", f"the framework has no checklist item '{record['item_id']}'")]
    record["item_id"] = item
    dimension = context.item_dimensions[item]
    if record.get("dimension_id") and record["dimension_id"] != dimension:
        return [("item_id", f"{item} belongs to dimension {dimension}, not {record['dimension_id']}")]
    record["dimension_id"] = dimension
    return []


def _clean_cells(row: RawRow, columns: Mapping[int, Field], decimal_comma: bool
                 ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """A row's mapped cells cleaned one by one: the values that passed, and (field, problem) for the others."""
    problems: list[tuple[str, str]] = []
    values: dict[str, Any] = {}
    if row.overflow:
        problems.append(("", "has more cells than the header has columns (check the delimiter and quotes)"))
    for index, spec in columns.items():
        raw = row.values[index]
        if raw is None or (isinstance(raw, str) and not raw.strip()):  # blank: not given, so defaults apply
            if spec.required:
                problems.append((spec.name, "a value is required"))
            continue
        if decimal_comma and spec.type in ("int", "float") and isinstance(raw, str):
            raw = decimal_point(raw)
        try:
            values[spec.name] = spec.clean(raw)
        except WorkbenchError as exc:
            message = str(exc)
            problems.append((spec.name, message.removeprefix(f"{spec.name}: ")))
        except (ValueError, TypeError, OverflowError, RecursionError):
            problems.append((spec.name, f"'{str(raw)[:40]}' is not a valid value"))
    return values, problems


def _clean_row(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """A whole row by the record's rules, with the rules between its fields (a finding's risk acceptance)."""
    cleaned = clean_record(kind, values)
    if kind == "finding":
        check_acceptance(cleaned)
    return cleaned


def validate_rows(kind: str, table: RawTable, mapping: Mapping[str, str | None], *,
                  context: ImportContext | None = None) -> ImportPreview:
    """Clean every row field by field, so the preview names every bad cell, not only the first."""
    check_kind(kind)
    if len(table.rows) > MAX_ROWS:
        raise ValidationError(f"the file has {len(table.rows):,} rows; at most {MAX_ROWS:,} can be imported at once")
    columns = _check_mapping(kind, table, mapping)
    preview = ImportPreview(kind, mapping={h: mapping.get(h) for h in table.headers}, unit=table.line_word)
    names = [f.name for f in RECORD_FIELDS[kind]]
    mapped = {f.name for f in columns.values()}
    missing = [f.name for f in RECORD_FIELDS[kind] if f.required and f.name not in mapped]
    for name in missing:
        preview.errors.append(RowError(table.header_line, name, "no column of the file holds this required field",
                                       table.line_word))
    first_line_of_ref: dict[str, int] = {}
    for row in table.rows:
        values, problems = _clean_cells(row, columns, table.decimal_comma)
        if not problems and not missing:
            try:
                values = _clean_row(kind, values)
            except WorkbenchError as exc:
                problems.append(_split_error(exc, names))
        if not problems and context is not None:
            problems += _check_in_context(kind, values, context)
        ref = values.get("ref")
        if ref and kind in REF_FORMATS:
            if ref in first_line_of_ref:
                problems.append(("ref", f"{ref} is also used on {table.line_word} {first_line_of_ref[ref]}"))
            first_line_of_ref.setdefault(ref, row.line)
        if problems:
            preview.errors += [RowError(row.line, name, message, table.line_word) for name, message in problems]
        elif not missing:
            preview.records.append(values)
            preview.lines.append(row.line)
    return preview


def _context_of(session: Session, engagement: Engagement, kind: str) -> ImportContext:
    framework = snapshot_of(session, engagement)
    dimensions = {normalise_name(name): d.id for d in framework.dimensions for name in (d.name, d.id)}
    refs = frozenset(refs_in_use(session, engagement, kind)) if kind in REF_FORMATS else frozenset()
    item_dimensions = {item.id: d.id for d in framework.dimensions for item in d.items}
    spellings: dict[str, list[str]] = {}
    for item in item_dimensions:  # "mon 01" finds MON-01, unless two ids read alike once normalised
        spellings.setdefault(normalise_name(item), []).append(item)
    return ImportContext(dimensions=dimensions, existing_refs=refs, item_dimensions=item_dimensions,
                         items={name: ids[0] for name, ids in spellings.items() if len(ids) == 1})


def engagement_context(ws: Workspace, engagement_key: str, kind: str) -> ImportContext:
    """The engagement's dimensions and refs, for a preview that also catches clashes before commit."""
    check_kind(kind)
    with reading(ws, engagement_key) as (session, engagement):
        return _context_of(session, engagement, kind)


def _number_blank_refs(kind: str, records: list[dict[str, Any]], existing: Iterable[str]) -> None:
    """Give rows without a ref the next free ones (F-004, F-005 ...) after those in use and in the file."""
    prefix, width = REF_FORMATS[kind]
    pattern = re.compile(re.escape(prefix) + r"(\d+)")
    used = [*existing, *(record["ref"] for record in records if record.get("ref"))]
    number = max((int(m.group(1)) for ref in used if (m := pattern.fullmatch(ref))), default=0)
    for record in records:
        if not record.get("ref"):
            number += 1
            record["ref"] = f"{prefix}{number:0{width}d}"


def commit_import(ws: Workspace, engagement_key: str, kind: str, preview: ImportPreview) -> list[str]:
    """Add every previewed record with its audit event in one transaction; any problem adds none."""
    check_kind(kind)
    if preview.kind != kind:
        raise ValidationError(f"this preview holds {preview.kind} records, not {kind} records")
    if preview.errors:
        raise ValidationError(preview.report())
    if not preview.records:
        raise ValidationError(f"there are no {kind} rows to import")
    with change(ws, engagement_key) as unit:
        context = _context_of(unit.session, unit.engagement, kind)
        records = [dict(record) for record in preview.records]
        errors = [RowError(line, name, message, preview.unit)
                  for record, line in zip(records, preview.lines, strict=True)
                  for name, message in _check_in_context(kind, record, context)]
        if errors:
            raise ValidationError(error_report(errors))
        if kind in REF_FORMATS:
            _number_blank_refs(kind, records, context.existing_refs)
        names = [f.name for f in RECORD_FIELDS[kind]]
        uids, problems = add_many_in_unit(unit, kind, records, action="import")
        errors += [RowError(preview.lines[index], *_split_error(exc, names), preview.unit) for index, exc in problems]
        if errors:
            raise ValidationError(error_report(errors))  # leaving change() by an error rolls everything back
        return uids


def import_records(ws: Workspace, engagement_key: str, kind: str, path: str | Path) -> list[str]:
    """Read, map by column names, validate against the engagement and commit: all rows or none."""
    check_kind(kind)
    table = read_table(path)
    preview = validate_rows(kind, table, suggest_mapping(kind, table.headers),
                            context=engagement_context(ws, engagement_key, kind))
    if preview.errors:
        raise ValidationError(preview.report())
    if not preview.records:
        raise ValidationError(f"{table.name} has no rows to import")
    return commit_import(ws, engagement_key, kind, preview)


def write_records(path: str | Path, kind: str, records: list[dict[str, Any]], basis: CostBasis | None = None) -> Path:
    """Write records (dicts of field values, optionally with uid) as CSV, XLSX or JSON, by extension.

    Any record kind can be exported (every table of the app offers it); import takes three. Findings carry
    the cost service's figures (services/cost_rollup.py) at `basis`, the auditor's day rate and currency
    (the defaults when None), so their cost and currency columns equal the report's register.
    """
    fields_of(kind)
    if kind == "finding":
        records = priced_findings(records, basis or CostBasis())
    return write_table(path, RECORD_FIELDS[kind], records, f"{kind}s")


def export_records(ws: Workspace, engagement_key: str, kind: str, path: str | Path,
                   basis: CostBasis | None = None) -> Path:
    """All `kind` records of an engagement, in the order they were added (findings priced at `basis`)."""
    check_kind(kind)
    check_export_path(path)
    with reading(ws, engagement_key) as (session, engagement):
        records = [row_to_dict(row) for row in rows_of(session, engagement, kind)]
    return write_records(path, kind, records, basis)
