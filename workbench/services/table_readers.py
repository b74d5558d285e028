"""Read a spreadsheet, CSV or JSON file into plain headers and rows, remembering where each row came from.

Kept apart from mapping and validation so the desktop import dialog can show a file before the
user decides which column is which. Everything a reader refuses is a ValidationError naming the file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.domain.errors import ValidationError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
DELIMITERS = (",", ";", "\t")
FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".json": "json"}
JSON_LIST_KEYS = ("records", "findings", "models", "risks")
# A spreadsheet treats a cell starting with one of these as a formula; exports prefix it with "'".
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_GUARDED = re.compile(r"'+[=+\-@\t\r]")
_DECIMAL_COMMA = re.compile(r"\s*-?(\d+|\d{1,3}(\.\d{3})+),\d+\s*")


@dataclass(frozen=True)
class RawRow:
    """One data row: its place in the file and one value per header (None for a missing cell)."""

    line: int
    values: tuple[Any, ...]
    overflow: bool = False  # non-empty cells beyond the last header: usually a wrong delimiter or quote


@dataclass
class RawTable:
    """What a file holds, before any column is given a meaning."""

    headers: list[str]
    rows: list[RawRow] = field(default_factory=list)
    source: str = "csv"  # csv | xlsx | json
    name: str = ""
    header_line: int = 1
    decimal_comma: bool = False  # semicolon CSVs come from locales that write 8,5 for 8.5

    @property
    def line_word(self) -> str:
        """How a user finds a row again: 'line 7' in a text editor, 'row 7' in Excel, 'record 7' in JSON."""
        return {"csv": "line", "xlsx": "row", "json": "record"}[self.source]


def normalise_name(text: object) -> str:
    """A column or choice name as people vary it: case, spaces, dashes, dots, underscores and apostrophes
    ignored ("Item ID", "item_id" and "item-id" are one name)."""
    return re.sub(r"[\s_\-.'’]+", "", str(text).lower())


def guard_formula(text: str) -> str:
    """Prefix text a spreadsheet would run as a formula with an apostrophe (CSV/formula injection)."""
    return "'" + text if _FORMULA_START.match(text) else text


def unguard_formula(text: str) -> str:
    """Undo guard_formula, so an exported file imports back unchanged."""
    return text[1:] if _GUARDED.match(text) else text


def decimal_point(text: str) -> str:
    """'1.234,5' -> '1234.5' for a number cell of a decimal-comma file; anything else unchanged."""
    return text.replace(".", "").replace(",", ".") if _DECIMAL_COMMA.fullmatch(text) else text


def read_table(path: str | Path) -> RawTable:
    """Read a .csv/.tsv/.txt, .xlsx or .json file chosen by its extension."""
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        hint = " (save it as .xlsx or .csv)" if path.suffix.lower() in (".xls", ".ods", ".numbers") else ""
        raise ValidationError(f"{path.name}: cannot import '{path.suffix or 'no extension'}' files; "
                              f"use .csv, .xlsx or .json{hint}")
    if not path.is_file():
        raise ValidationError(f"there is no file at {path}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValidationError(f"{path.name} is {size / 1024 / 1024:.0f} MB; files of at most "
                              f"{MAX_FILE_BYTES // 1024 // 1024} MB can be imported")
    if kind == "xlsx":
        table = read_xlsx(path)
    else:
        data = path.read_bytes()
        table = parse_csv(decode_text(data, path.name), path.name, tab=path.suffix.lower() == ".tsv") \
            if kind == "csv" else parse_json(decode_text(data, path.name), path.name)
    table.name = path.name
    return table


def decode_text(data: bytes, name: str = "the file") -> str:
    """UTF-8 with or without BOM, UTF-16 with BOM (Excel 'Unicode text'), else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ValidationError(f"{name} is not valid UTF-16 text") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ValidationError(f"{name} is not text in UTF-8 or Windows-1252; is it really a CSV file?") from None


def sniff_delimiter(first_line: str) -> str:
    """The most frequent of , ; tab outside quotes in the header line (comma if none)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _unique_headers(cells: list[Any]) -> list[str]:
    """Blank headers become 'column N' and repeated ones get ' (2)', so every column can be named."""
    headers: list[str] = []
    for index, cell in enumerate(cells, start=1):
        base = str(cell).strip().lstrip("\ufeff").strip() if cell is not None else ""
        name = base or f"column {index}"
        number = 2
        while name in headers:
            name = f"{base or 'column'} ({number})"
            number += 1
        headers.append(name)
    if len(headers) > MAX_COLUMNS:
        raise ValidationError(f"the file has {len(headers):,} columns; at most {MAX_COLUMNS:,} are supported")
    return headers


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _make_row(line: int, cells: list[Any], width: int) -> RawRow:
    values = [unguard_formula(c) if isinstance(c, str) else c for c in cells[:width]]
    values += [None] * (width - len(values))
    return RawRow(line, tuple(values), overflow=any(not _blank(c) for c in cells[width:]))


def _check_row_count(count: int) -> None:
    if count > MAX_ROWS:
        raise ValidationError(f"the file has more than {MAX_ROWS:,} rows; split it into smaller files")


def parse_csv(text: str, name: str = "the file", *, tab: bool = False) -> RawTable:
    """Rows of delimited text; each row's line is the physical line it starts on (header: line 1)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if tab else sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    table = RawTable(headers=[], source="csv", name=name, decimal_comma=delimiter == ";")
    previous_end = 0
    try:
        for cells in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if all(_blank(cell) for cell in cells):
                continue
            if headers is None:
                headers = _unique_headers(cells)
                table.headers, table.header_line = headers, start
                continue
            _check_row_count(len(table.rows) + 1)
            table.rows.append(_make_row(start, cells, len(headers)))
    except csv.Error as exc:
        raise ValidationError(f"{name}, line {reader.line_num}: cannot be read as CSV ({exc})") from None
    if headers is None:
        raise ValidationError(f"{name} is empty; the first line must name the columns")
    return table


def read_xlsx(path: Path) -> RawTable:
    """The first sheet of a workbook, cached values rather than formulas; lines are sheet row numbers."""
    from openpyxl import load_workbook  # openpyxl is slow to import; only spreadsheet users pay for it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises zip, XML and key errors alike for a foreign file
        raise ValidationError(f"{path.name} is not an Excel workbook (.xlsx) that can be read") from None
    try:
        if not book.worksheets:
            raise ValidationError(f"{path.name} has no worksheet")
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers record wrong dimensions; read what is really there
        table = RawTable(headers=[], source="xlsx", name=path.name)
        headers: list[str] | None = None
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = list(cells)
            if all(_blank(cell) for cell in values):
                continue
            if headers is None:
                while values and _blank(values[-1]):
                    values.pop()
                headers = _unique_headers(values)
                table.headers, table.header_line = headers, number
                continue
            _check_row_count(len(table.rows) + 1)
            table.rows.append(_make_row(number, values, len(headers)))
    except ValidationError:
        raise
    except Exception:
        raise ValidationError(f"{path.name} is damaged and cannot be read as a workbook") from None
    finally:
        book.close()
    if headers is None:
        raise ValidationError(f"{path.name} is empty; its first row must name the columns")
    return table


def parse_json(text: str, name: str = "the file") -> RawTable:
    """A list of objects, or an object holding one under "records", "findings", "models" or "risks"."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ValidationError(f"{name} is not valid JSON ({str(exc)[:120]})") from None
    if isinstance(data, dict):
        data = next((data[key] for key in JSON_LIST_KEYS if isinstance(data.get(key), list)), None)
    if not isinstance(data, list):
        raise ValidationError(f"{name} must hold a list of records (or an object with a \"records\" list)")
    _check_row_count(len(data))
    headers: dict[str, None] = {}
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ValidationError(f"{name}, record {index}: expected an object with field names")
        headers.update(dict.fromkeys(str(key) for key in item))
    if len(headers) > MAX_COLUMNS:
        raise ValidationError(f"{name} uses {len(headers):,} different keys; at most {MAX_COLUMNS:,} are supported")
    names = list(headers)
    rows = [RawRow(index, tuple({str(k): v for k, v in item.items()}.get(h) for h in names))
            for index, item in enumerate(data, start=1)]
    return RawTable(headers=names, rows=rows, source="json", name=name, header_line=0)
