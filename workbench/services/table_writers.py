"""Write tables for Excel and other tools: CSV (UTF-8 with BOM), XLSX or JSON, chosen by the extension.

Text that a spreadsheet would run as a formula is guarded; the file is written beside its target and
renamed into place (fs.files), so a crash, a full disk or a read-only folder never leaves half a file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from workbench.domain.errors import ValidationError
from workbench.domain.fields import Field
from workbench.fs.files import atomic_path
from workbench.services.table_readers import guard_formula

EXPORT_FORMATS = (".csv", ".xlsx", ".json")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _spreadsheet_value(spec: Field, value: Any, *, xml: bool = False) -> Any:
    """A cell as Excel should see it: real numbers and dates, lists joined with '; ', and text guarded
    against formula injection as its final form (for XLSX, `xml`, after the control characters XML cannot
    hold are dropped)."""
    if value is None:
        return None
    if spec.type == "bool":
        return "yes" if value else "no"
    if spec.type == "list":
        value = "; ".join(str(item) for item in value)
    if spec.type == "json":
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if not isinstance(value, str):
        return value
    if xml:
        value = _XML_ILLEGAL.sub("", value)  # Excel cannot store control characters at all
    return guard_formula(value)


def _csv_cell(spec: Field, value: Any) -> str:
    cell = _spreadsheet_value(spec, value)
    if cell is None:
        return ""
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else repr(cell)
    return str(cell)


def _write_csv(target: Any, fields: tuple[Field, ...], records: list[dict[str, Any]]) -> None:
    with open(target, "w", encoding="utf-8-sig", newline="") as stream:  # BOM: Excel then reads UTF-8
        writer = csv.writer(stream)
        writer.writerow([f.name for f in fields])
        writer.writerows([_csv_cell(f, record.get(f.name)) for f in fields] for record in records)


def _write_xlsx(target: Any, fields: tuple[Field, ...], records: list[dict[str, Any]], sheet_name: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook holds one worksheet
    sheet.title = sheet_name
    sheet.append([f.name for f in fields])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(f.name) for f in fields]
    for record in records:
        row: list[Any] = []
        for index, spec in enumerate(fields):
            value = _spreadsheet_value(spec, record.get(spec.name), xml=True)
            if spec.type == "date" and isinstance(value, str):
                value = date.fromisoformat(value)
            widths[index] = max(widths[index], min(len(str(value or "")), 60))
            row.append(value)
        sheet.append(row)
    for index, spec in enumerate(fields, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(widths[index - 1] + 2, 62)
        if spec.type == "date":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
        if spec.type == "longtext":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()  # openpyxl's own zip, left open by a failed write, would retry when collected
    book.save(buffer)
    Path(target).write_bytes(buffer.getvalue())


def _write_json(target: Any, records: list[dict[str, Any]], names: list[str]) -> None:
    rows = [({"uid": record["uid"]} if "uid" in record else {}) | {name: record.get(name) for name in names}
            for record in records]
    with open(target, "w", encoding="utf-8") as stream:
        json.dump(rows, stream, ensure_ascii=False, indent=2)
        stream.write("\n")


def check_export_path(path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() not in EXPORT_FORMATS:
        raise ValidationError(f"{path.name}: export to .csv, .xlsx or .json (the extension chooses the format)")
    return path


def write_table(path: str | Path, fields: Sequence[Field], records: list[dict[str, Any]], sheet: str) -> Path:
    """Write `records` (dicts keyed by field name) with one column per field; `sheet` names the XLSX sheet."""
    path = check_export_path(path)
    suffix = path.suffix.lower()
    columns = tuple(fields)
    with atomic_path(path) as temp:
        if suffix == ".csv":
            _write_csv(temp, columns, records)
        elif suffix == ".xlsx":
            _write_xlsx(temp, columns, records, sheet)
        else:
            _write_json(temp, records, [f.name for f in columns])
    return path
