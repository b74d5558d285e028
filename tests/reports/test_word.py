"""The DOCX working copy: the PDF's sections, tables and charts in an editable Word file, marked unsigned.

python-docx reads each file back; LibreOffice (headless) converts it as a client's word processor would
(the `libreoffice` marker: CI installs it, elsewhere the test is skipped when soffice is missing).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.reports.conftest import SAMPLES, SAMPLES_DIR, rendered_once
from workbench.cli import main
from workbench.reports.word import WORKING_COPY
from workbench.services import records
from workbench.services.deliverables import render_report
from workbench.services.engagements import create_engagement
from workbench.store.workspace import Workspace

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def sample_docx(sample_workspace: tuple[Workspace, dict[str, str]],
                tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Path]:
    """sample_docx("driftguard", "full") → the working copy (made on first use)."""
    return rendered_once(sample_workspace, tmp_path_factory.mktemp("docx"), "docx")


def all_text(document: docx.document.Document) -> str:
    """Every paragraph of the body and of every table cell (nested tables too), one per line."""
    lines = [p.text for p in document.paragraphs]

    def cells(tables: list[docx.table.Table]) -> Iterator[str]:
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    yield from (p.text for p in cell.paragraphs)
                    yield from cells(cell.tables)

    return "\n".join(lines + list(cells(document.tables)))


def readable(text: str) -> str:
    """What a reader compares: NFKC (Word shapes Arabic from the base letters), no whitespace or invisibles."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isprintable() and not c.isspace())


def squashed(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", SAMPLES)
def test_every_finding_title_heading_and_chart_of_the_full_report_is_in_the_working_copy(
        sample_workspace: tuple[Workspace, dict[str, str]], sample_docx: Callable[[str, str], Path], name: str) -> None:
    ws, uids = sample_workspace
    path = sample_docx(name, "full")
    assert path.name.endswith("audit report working copy.docx")
    document = docx.Document(str(path))
    text = squashed(all_text(document))
    titles = [f["title"] for f in records.list_records(ws, uids[name], "finding")]
    assert titles and [t for t in titles if squashed(t) not in text] == []
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for heading in ("About this report", "Executive summary", "Findings register", "Go-live readiness",
                    "Evidence index", "Audit trail", "Definitions and glossary",
                    "Appendix: guidance for the next levels", "Sign-off"):
        assert any(heading in h for h in headings), heading
    assert len(document.inline_shapes) >= 7  # the gauge, radar, heat map, cost and timeline charts …
    assert sum(len(t.rows) for t in document.tables) > 50


def test_the_executive_summary_names_every_finding_and_keeps_coloured_cells(
        sample_workspace: tuple[Workspace, dict[str, str]], sample_docx: Callable[[str, str], Path]) -> None:
    ws, uids = sample_workspace
    path = sample_docx("driftguard", "executive")
    document = docx.Document(str(path))
    text = squashed(all_text(document))
    titles = [f["title"] for f in records.list_records(ws, uids["driftguard"], "finding")]
    assert [t for t in titles if squashed(t) not in text] == []
    body = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert 'w:fill="' in body and "<w:tblHeader/>" in body  # severity fills, repeated header rows


@pytest.mark.parametrize("kind", ["full", "executive"])
def test_the_working_copy_says_it_is_unsigned_everywhere(sample_docx: Callable[[str, str], Path], kind: str) -> None:
    path = sample_docx("driftguard", kind)
    document = docx.Document(str(path))
    assert document.paragraphs[0].text.startswith(WORKING_COPY)
    section = document.sections[0]
    assert WORKING_COPY in section.header.paragraphs[0].text
    assert "not signed" in section.footer.paragraphs[0].text
    properties = document.core_properties
    assert WORKING_COPY.lower() in properties.title and properties.keywords == WORKING_COPY.lower()
    with zipfile.ZipFile(path) as package:
        assert not any("signature" in name.lower() for name in package.namelist())  # no digital signature part


def test_cli_writes_the_working_copy_and_refuses_to_sign_it(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.db"
    assert main(["--db", str(db), "import", str(SAMPLES_DIR / "driftguard.mlaudit"), "--untrusted"]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "report", "DGA-2026-01", "-o", str(tmp_path), "--format", "docx", "--kind",
                 "executive"]) == 0
    written = Path(capsys.readouterr().out.strip())
    assert written == tmp_path / "DGA-2026-01 executive summary working copy.docx"
    assert docx.Document(str(written)).paragraphs[0].text.startswith(WORKING_COPY)

    refused = tmp_path / "signed.docx"
    assert main(["--db", str(db), "report", "DGA-2026-01", "-o", str(refused), "--format", "docx", "--sign"]) == 2
    assert "never signed" in capsys.readouterr().err and not refused.exists()
    assert main(["--db", str(db), "report", "DGA-2026-01", "-o", str(tmp_path / "x.pdf"), "--format", "docx"]) == 2
    assert "should end in .docx" in capsys.readouterr().err and not (tmp_path / "x.pdf").exists()


# letters of every script the reports print, markup characters, and control characters XML cannot hold
PIECES = ("Draft", "αβγδ", "жизнь", "שלום", "مرحبا", "数据漂移", "데이터", "𝔘𝔫𝔦", "😀✅", "<b>", "&amp;", "</i>", '"',
          "'", "\x00", "\x0b", "\x1f", "\u200f", " ", "\n")
text_in_any_script = st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join)


# each example renders a report: no shrinking (minutes); a failure prints its example whole
@settings(max_examples=10, deadline=None, phases=(Phase.explicit, Phase.reuse, Phase.generate),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=text_in_any_script)
def test_any_text_makes_a_word_file_that_opens(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    title = f"Finding {text}"
    folder = tmp_path_factory.mktemp("any")
    with Workspace(folder / "any.db") as ws:
        uid = create_engagement(ws, client="Any Client", title="Any text")
        records.add_record(ws, uid, "finding", {"title": title, "severity": "High", "dimension_id": "DP",
                                                "description": f"<b>{title}</b> & {title}"})
        path = render_report(ws, uid, folder / "any.docx", kind="executive", file_format="docx")
    written = all_text(docx.Document(str(path)))
    assert readable(title)[:20] in readable(written)


@pytest.mark.libreoffice
def test_libreoffice_converts_both_working_copies_without_error(sample_docx: Callable[[str, str], Path],
                                                                 tmp_path: Path) -> None:
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs LibreOffice (.ci/run): soffice is missing")
        pytest.skip("LibreOffice (soffice) is not installed")
    files = [sample_docx("driftguard", kind) for kind in ("full", "executive")]
    profile = tmp_path / "profile"  # a private profile: no clash with a LibreOffice the user has open
    result = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                             "--outdir", str(tmp_path), *map(str, files)],
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    for source in files:
        pdf = tmp_path / f"{source.stem}.pdf"
        assert pdf.is_file() and pdf.stat().st_size > 10_000, result.stdout + result.stderr
