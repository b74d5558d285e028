"""Supporting matrices as tables for the client: CSV, XLSX or JSON through services.table_writers (whose
formula guard sees every cell).

Each matrix kind is one table with one column per field; a field holding a mapping becomes one column per key
(a compliance row's regimes: GDPR, HIPAA …; a platform criterion's scores: one column per platform). The
platform matrix ends with its weighted totals, as the page and the report show them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.domain.errors import ValidationError
from workbench.domain.fields import Field
from workbench.domain.matrices import COLUMNS, platform_totals, regime_order, weight_sum
from workbench.services.document import engagement_document
from workbench.services.table_writers import write_table
from workbench.services.unit import reading
from workbench.store.workspace import Workspace

SPREAD = {"compliance": "regimes", "platform": "scores"}  # the field whose keys become columns
TOTAL = "Weighted total"


def _keys(kind: str, rows: list[dict[str, Any]]) -> list[str]:
    names = [name for row in rows for name in row.get(SPREAD[kind], {})]
    return regime_order(names) if kind == "compliance" else list(dict.fromkeys(names))


def matrix_table(kind: str, rows: list[dict[str, Any]]) -> tuple[list[Field], list[dict[str, Any]]]:
    """The columns and rows of one matrix kind (`rows` are the rows' data), ready for write_table."""
    if kind not in COLUMNS:
        raise ValidationError(f"unknown matrix '{kind}': use {', '.join(COLUMNS)}")
    spread = SPREAD.get(kind)
    keys = _keys(kind, rows) if spread else []
    fields: list[Field] = []
    for name in COLUMNS[kind]:
        if name == spread:
            fields += [Field(key, "float" if kind == "platform" else "text") for key in keys]
        else:
            fields.append(Field(name, "float" if name == "weight" else "text"))
    records = []
    for row in rows:
        record = {name: value for name, value in row.items() if name != spread}
        record.update({key: row.get(spread, {}).get(key) for key in keys} if spread else {})
        records.append(record)
    if kind == "platform" and rows:
        records.append({"criterion": TOTAL, "weight": round(weight_sum(rows), 6), **platform_totals(rows)})
    return fields, records


def export_matrix(ws: Workspace, engagement_key: str, kind: str, path: str | Path) -> Path:
    """Write one supporting matrix of the engagement; returns the file written."""
    with reading(ws, engagement_key) as (session, engagement):
        document = engagement_document(session, engagement, audit_log=False)
    rows = [m["data"] for m in document["matrices"] if m["kind"] == kind]
    fields, records = matrix_table(kind, rows)
    return write_table(path, fields, records, sheet=kind)
