"""Hostile .xlsx workbooks for the input-limit tests and benchmarks, built in well under a second without
ever holding what they expand to.

A workbook is a zip of XML parts. The bombs keep the small parts of a real (openpyxl-made) workbook and
replace the first sheet: one inline-string cell of `expanded` bytes, written as a raw deflate stream whose
middle is one compressed megabyte repeated (each piece ends at a full flush, so the pieces concatenate into
one valid stream). The zip is written by hand so a part can also declare a size it does not have.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"


def _raw_deflate(data: bytes, *, final: bool) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


class Part:
    """One zip member: its name, raw deflate data, CRC-32 and real size; `declared` may lie about the size."""

    def __init__(self, name: str, head: bytes, repeat: bytes = b"", times: int = 0, tail: bytes = b"") -> None:
        self.name = name
        self.data = (_raw_deflate(head, final=False) + _raw_deflate(repeat, final=False) * times
                     + _raw_deflate(tail, final=True))
        crc = zlib.crc32(head)
        for _ in range(times):
            crc = zlib.crc32(repeat, crc)
        self.crc = zlib.crc32(tail, crc)
        self.size = len(head) + len(repeat) * times + len(tail)
        self.declared = self.size


def write_zip(path: Path, parts: list[Part]) -> Path:
    """A plain (non-zip64) zip of already-deflated parts."""
    out = io.BytesIO()
    central = b""
    for part in parts:
        name = part.name.encode()
        offset = out.tell()
        sizes = (part.crc, len(part.data), part.declared)
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, *sizes, len(name), 0) + name)
        out.write(part.data)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, *sizes, len(name),
                               0, 0, 0, 0, 0, offset) + name
    start = out.tell()
    out.write(central)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central), start, 0))
    path.write_bytes(out.getvalue())
    return path


def _workbook_parts() -> dict[str, bytes]:
    """The parts of a real one-sheet workbook, made by openpyxl."""
    import zipfile

    from openpyxl import Workbook

    buffer = io.BytesIO()
    book = Workbook()
    book.active.append(["title", "severity"])
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def workbook(path: Path, sheet: Part) -> Path:
    parts = [Part(name, data) for name, data in _workbook_parts().items() if name != SHEET]
    return write_zip(path, [*parts, sheet])


def one_huge_cell(path: Path, expanded: int) -> Path:
    """A workbook whose one cell (below a header row) expands to about `expanded` bytes."""
    head = SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>title</t></is></c></row>' \
        + b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
    tail = b"</t></is></c></row>" + SHEET_TAIL
    return workbook(path, Part(SHEET, head, b"A" * MB, max(expanded // MB, 1), tail))


def understated(path: Path, expanded: int, declared: int) -> Path:
    """Like one_huge_cell, but the sheet part declares only `declared` bytes."""
    parts = [Part(name, data) for name, data in _workbook_parts().items() if name != SHEET]
    head = SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
    sheet = Part(SHEET, head, b"A" * MB, max(expanded // MB, 1), b"</t></is></c></row>" + SHEET_TAIL)
    sheet.declared = declared
    return write_zip(path, [*parts, sheet])


def tall_sheet(path: Path, rows: int, *, filled: bool = False) -> Path:
    """A header row and then either a cell at row `rows` only (a sheet of blank rows) or, `filled`, a value
    in every row up to `rows`."""
    header = b'<row r="1"><c r="A1" t="inlineStr"><is><t>title</t></is></c></row>'
    if not filled:
        last = f'<row r="{rows}"><c r="A{rows}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
        return workbook(path, Part(SHEET, SHEET_HEAD + header + last + SHEET_TAIL))
    body = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>F{n}</t></is></c></row>'
                   for n in range(2, rows + 1)).encode()
    return workbook(path, Part(SHEET, SHEET_HEAD + header + body + SHEET_TAIL))


def shared_text(path: Path, rows: int, text: bytes = b"Finding text of a typical length, repeated") -> Path:
    """A workbook as Excel writes it: `rows` cells referring to as many distinct shared strings."""
    parts = _workbook_parts()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                     b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.'
                             b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>')
    strings = b"".join(b"<si><t>%s %d</t></si>" % (text, n) for n in range(rows + 1))
    parts["xl/sharedStrings.xml"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http:'
                                     b'//schemas.openxmlformats.org/spreadsheetml/2006/main">' + strings + b"</sst>")
    cells = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>' % (n + 1, n + 1, n) for n in range(rows + 1))
    parts[SHEET] = SHEET_HEAD + cells + SHEET_TAIL
    return write_zip(path, [Part(name, data) for name, data in parts.items()])
