"""Hostile workbooks are refused before openpyxl parses them, in bounded memory: zip bombs (by declared size,
by expansion ratio, and a part that understates its size), sheets of millions of rows, oversized text.
The bombs are built here (bench/zipbombs.py); refusal time and memory are measured in bench/bench_inputs.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import zipbombs
from tests.helpers import content_hash
from workbench.cli import main
from workbench.domain.errors import ValidationError
from workbench.services import table_readers
from workbench.services.table_readers import read_table

MB = zipbombs.MB


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: zipbombs.one_huge_cell(p, 300 * MB), r"unpacks to 300 MB; workbooks that unpack to at most 200 MB"),
    (lambda p: zipbombs.one_huge_cell(p, 2 * MB), r"expands [\d,]+ times its packed size"),
    (lambda p: zipbombs.understated(p, 100 * MB, 1000), r"is damaged: a part of it does not unpack"),
    (lambda p: zipbombs.tall_sheet(p, 2_000_000), r"the sheet runs past row 100,001"),
    (lambda p: zipbombs.tall_sheet(p, 100_002, filled=True), r"has a sheet of more than 100,001 rows"),
], ids=["declared-300MB", "ratio", "understated", "blank-rows", "too-many-rows"])
def test_a_hostile_workbook_is_refused_in_plain_words(tmp_path: Path, make, message: str) -> None:
    path = make(tmp_path / "scan.xlsx")
    assert path.stat().st_size < 2 * MB
    with pytest.raises(ValidationError, match=message):
        read_table(path)


def test_the_row_limit_is_exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table_readers, "MAX_ROWS", 50)
    assert len(read_table(zipbombs.tall_sheet(tmp_path / "fits.xlsx", 51, filled=True)).rows) == 50
    with pytest.raises(ValidationError, match="more than 51 rows; at most 50 rows can be imported"):
        read_table(zipbombs.tall_sheet(tmp_path / "over.xlsx", 52, filled=True))


def test_too_much_shared_text_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = zipbombs.shared_text(tmp_path / "text.xlsx", 2000)
    table = read_table(path)
    assert len(table.rows) == 2000 and table.rows[-1].values[0].endswith("repeated 2000")
    monkeypatch.setattr(table_readers, "XLSX_MAX_STRINGS", 10_000)
    with pytest.raises(ValidationError, match=r"text.xlsx holds 0 MB of text; workbooks of at most 0 MB of text"):
        read_table(path)


def test_the_command_line_refuses_a_bomb_with_one_line_and_changes_nothing(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "ws.db")
    assert main(["--db", db, "new", "--client", "Acme", "--title", "Bombs", "--json"]) == 0
    ref = json.loads(capsys.readouterr().out)["ref"]
    before = content_hash(Path(db))
    bomb = zipbombs.one_huge_cell(tmp_path / "scan.xlsx", 1024 * MB)
    assert main(["--db", db, "records", "import", ref, "findings", str(bomb)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("workbench: scan.xlsx unpacks to 1,024 MB") and err.count("\n") == 1
    assert content_hash(Path(db)) == before
