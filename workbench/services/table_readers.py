"""Read a spreadsheet, CSV or JSON file into plain headers and rows, remembering where each row came from.

Kept apart from mapping and validation so the desktop import dialog can show a file before the
user decides which column is which. Everything a reader refuses is a ValidationError naming the file.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.domain.errors import ValidationError
from workbench.fs.faults import ZIP_ERRORS

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
# A workbook is a zip: its parts may expand to at most this much in all, the shared-strings part (which the
# reader holds in memory whole) to at most XLSX_MAX_STRINGS, and no part larger than a megabyte more than
# XLSX_MAX_RATIO times its packed size (a zip bomb). Checked before the workbook is parsed.
XLSX_MAX_EXPANDED = 200 * 1024 * 1024
XLSX_MAX_STRINGS = 64 * 1024 * 1024
XLSX_MAX_RATIO = 200
XLSX_RATIO_FLOOR = 1024 * 1024
_ROW_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
MAX_COLUMNS = 1_000
DELIMITERS = (",", ";", "\t")
FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".json": "json"}
JSON_LIST_KEYS = ("records", "findings", "models", "risks")
# A spreadsheet treats a cell starting with one of these as a formula, also behind leading whitespace or
# control characters that it (or a cleaning step) drops; exports prefix such a cell with "'".
_HIDING = r"[\s\x00-\x1f\x7f-\x9f\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]*"
_FORMULA_START = re.compile(r"'*(?:[\t\r]|" + _HIDING + r"[=+\-@])")
_GUARDED = re.compile(r"'+(?:[\t\r]|" + _HIDING + r"[=+\-@])")
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
    """Prefix text a spreadsheet would run as a formula with an apostrophe (CSV/formula injection).

    Apply it to the final text of a cell, after every cleaning step: stripping a control character can
    expose a leading "=" ("\x0b=HYPERLINK(...)")."""
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


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB"


def _check_part(name: str, info: zipfile.ZipInfo) -> None:
    size = info.file_size
    if info.filename.lower().endswith("sharedstrings.xml") and size > XLSX_MAX_STRINGS:
        raise ValidationError(f"{name} holds {_mb(size)} of text; workbooks of at most {_mb(XLSX_MAX_STRINGS)} "
                              "of text can be imported (save it as .csv instead)")
    if size > XLSX_RATIO_FLOOR and size > XLSX_MAX_RATIO * max(info.compress_size, 1):
        raise ValidationError(f"{name} is refused: a part of it expands {size // max(info.compress_size, 1):,} "
                              "times its packed size, which no real workbook does (a zip bomb?)")


def check_workbook(path: Path) -> None:
    """Refuse a workbook that unpacks to more than XLSX_MAX_EXPANDED, by the sizes its zip declares and then by
    unpacking every part in bounded chunks (a part may understate its size), or that has a sheet of more than
    MAX_ROWS rows; nothing is kept in memory."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            declared = sum(info.file_size for info in infos)
            if declared > XLSX_MAX_EXPANDED:
                raise ValidationError(f"{path.name} unpacks to {_mb(declared)}; workbooks that unpack to at most "
                                      f"{_mb(XLSX_MAX_EXPANDED)} can be imported (save it as .csv instead)")
            for info in infos:
                _check_part(path.name, info)
            for info in infos:
                _unpack(path.name, archive, info)
    except ValidationError:
        raise
    except zipfile.BadZipFile as exc:
        damaged = "CRC" in str(exc) or "truncated" in str(exc).lower()
        raise ValidationError(f"{path.name} is damaged: a part of it does not unpack to what the file says"
                              if damaged else f"{path.name} is not an Excel workbook (.xlsx) that can be read"
                              ) from None
    except ZIP_ERRORS:
        raise ValidationError(f"{path.name} is damaged and cannot be read as a workbook") from None


class _RowCounter:
    """Counts a sheet's row elements in its raw XML as it streams by: openpyxl parses every sheet whole just to
    size it when the workbook is opened, so a sheet of two million rows is refused here in a second rather
    than after a minute and a half of parsing."""

    def __init__(self, name: str) -> None:
        self.name, self.rows, self.carry = name, 0, b""

    def feed(self, chunk: bytes) -> None:
        data = self.carry + chunk
        end = max(len(data) - 64, 0) if chunk else len(data)  # a tag may straddle two chunks
        self.rows += len(_ROW_ELEMENT.findall(data, 0, end))
        self.carry = data[end:]
        if self.rows > MAX_ROWS + 1:
            raise ValidationError(f"{self.name} has a sheet of more than {MAX_ROWS + 1:,} rows; at most "
                                  f"{MAX_ROWS:,} rows can be imported, so split it into smaller files")


def _unpack(name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Unpack one part a megabyte at a time, keeping nothing: zipfile stops at the declared size and checks the
    CRC there (a part that understates its size fails it); a sheet's rows are counted on the way."""
    size, rows = 0, _RowCounter(name) if _SHEET_PART.match(info.filename) else None
    with archive.open(info) as stream:
        while chunk := stream.read(1024 * 1024):
            size += len(chunk)
            if size > info.file_size:
                break
            if rows is not None:
                rows.feed(chunk)
    if size != info.file_size:
        raise ValidationError(f"{name} is damaged: a part of it is not the size the file says")
    if rows is not None:
        rows.feed(b"")


def read_xlsx(path: Path) -> RawTable:
    """The first sheet of a workbook, cached values rather than formulas; lines are sheet row numbers.
    The workbook's unpacked size is checked first, and reading stops at row MAX_ROWS + 1, blank rows
    included (a sheet can claim millions of empty rows)."""
    from openpyxl import load_workbook  # openpyxl is slow to import; only spreadsheet users pay for it

    check_workbook(path)
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
            if number > MAX_ROWS + 1:
                raise ValidationError(f"{path.name}: the sheet runs past row {MAX_ROWS + 1:,}; at most "
                                      f"{MAX_ROWS:,} rows can be imported, so split it into smaller files")
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
