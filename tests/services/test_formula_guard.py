"""The formula guard sees the final cell text: no exported CSV or XLSX cell can start a formula, whatever
whitespace or control characters come first ("\\x0b=HYPERLINK(...)" once became a live formula in XLSX,
because the control character was stripped after the guard had looked)."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from workbench.domain.fields import RECORD_FIELDS
from workbench.services.assessment import answer_item
from workbench.services.checklist_io import export_checklist
from workbench.services.engagements import create_engagement
from workbench.services.records import add_record
from workbench.services.records_io import export_records, read_table, write_records
from workbench.store.workspace import Workspace

HYPERLINK = '=HYPERLINK("http://evil.example","x")'
# Characters a spreadsheet or a cleaning step may drop or skip before it sees a formula.
HIDING = "\x00\x01\x08\x09\x0a\x0b\x0c\x0d\x1b\x1f\x7f\x85\xa0 \u2000\u200b\u2028\u3000\ufeff"
SKIPPED = "".join(chr(c) for c in range(0x20)) + " \x7f\x85\xa0\u1680\u180e" + "".join(
    chr(c) for c in range(0x2000, 0x2010)) + "\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"


def starts_a_formula(cell: str) -> bool:
    """Whether a spreadsheet could run the cell: a formula sign after anything skippable, or a tab/CR first."""
    return cell[:1] in ("\t", "\r") or cell.lstrip(SKIPPED)[:1] in ("=", "+", "-", "@")


def cells_of(path: Path) -> list[tuple[str, str]]:
    """(value, openpyxl data type) of every body cell, or (value, 's') for CSV."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as stream:
            rows = list(csv.reader(stream))
        return [(cell, "s") for row in rows[1:] for cell in row]
    sheet = load_workbook(path).active
    return [(str(c.value), c.data_type) for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None]


def assert_no_formula(path: Path) -> None:
    for value, data_type in cells_of(path):
        assert data_type != "f", f"{path.suffix}: {value!r} was written as a formula"
        assert not starts_a_formula(value), f"{path.suffix}: {value!r} starts a formula"


FORMULA_TEXT = st.builds(lambda hiding, sign, rest: hiding + sign + rest,
                         st.text(alphabet=HIDING, max_size=4), st.sampled_from(["=", "+", "-", "@"]),
                         st.text(max_size=30))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(FORMULA_TEXT, min_size=1, max_size=4), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_no_cell_of_any_export_starts_a_formula(texts: list[str], suffix: str) -> None:
    # every text field but the currency, which an export writes from the cost basis (services/cost_rollup.py)
    names = [f.name for f in RECORD_FIELDS["finding"] if f.type in ("text", "longtext") and f.name != "currency"]
    records = [{name: texts[(i + n) % len(texts)] for n, name in enumerate(names)} | {"severity": "High"}
               for i in range(len(texts))]
    with tempfile.TemporaryDirectory() as folder:
        path = write_records(Path(folder) / f"findings{suffix}", "finding", records)
        assert_no_formula(path)
        if suffix == ".csv":  # what was exported imports back as it was
            table = read_table(path)
            for record, row in zip(records, table.rows, strict=True):
                for name in names:
                    assert row.values[table.headers.index(name)] == record[name]


def test_a_control_character_before_a_hyperlink_formula(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.db") as ws:
        eng = create_engagement(ws, client="Acme", title="Injection")
        add_record(ws, eng, "finding", {"title": "Bucket", "severity": "High", "description": "\x0b" + HYPERLINK,
                                        "recommendation": " \t" + HYPERLINK})
        answer_item(ws, eng, "DP-01", "partial", "\x0b" + HYPERLINK)
        for suffix in (".csv", ".xlsx"):
            assert_no_formula(export_records(ws, eng, "finding", tmp_path / f"findings{suffix}"))
            assert_no_formula(export_checklist(ws, eng, tmp_path / f"checklist{suffix}"))
    sheet = load_workbook(tmp_path / "findings.xlsx").active
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("description") + 1).value == "'" + HYPERLINK
