"""Page flow as a reader meets it: no sliver of a table alone on a page, no heading left at a page foot, a
split finding names itself where it continues, words broken only at a syllable with a hyphen, the
contents as complete as the bookmarks, cover labels on their values' baseline."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Spacer

from tests.reports.conftest import KINDS, SAMPLES, page_count, pdf_text, requires_poppler, run
from workbench.reports.context import Context
from workbench.reports.data import Branding
from workbench.reports.document import KeepRoom
from workbench.reports.flow import MIN_ROWS, bind
from workbench.reports.styles import (
    PAGE_MARGIN_BOTTOM,
    PAGE_MARGIN_TOP,
    PAGE_MARGIN_X,
    body_height,
    frame_width,
    make_styles,
)
from workbench.services.deliverables import gather_report_data
from workbench.store.workspace import Workspace

pytestmark = requires_poppler


def _context(data: object = None) -> Context:
    return Context(data=data, styles=make_styles(Branding()), branding=Branding(), kind="full",  # type: ignore[arg-type]
                   width=frame_width())


def _build(story: list[object], path: Path) -> Path:
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=PAGE_MARGIN_X, rightMargin=PAGE_MARGIN_X,
                            topMargin=PAGE_MARGIN_TOP, bottomMargin=PAGE_MARGIN_BOTTOM)
    doc.build(bind(story))
    return path


def _rows_per_page(pdf: Path) -> list[int]:
    return [len(re.findall(r"\bROW-\d+\b", pdf_text(pdf, page))) for page in range(1, page_count(pdf) + 1)]


@pytest.mark.parametrize("filler", [body_height() - 60, body_height() - 95, body_height() - 130])
def test_a_split_table_leaves_no_sliver_on_either_page(tmp_path: Path, filler: float) -> None:
    ctx = _context()
    for rows in (4, 5, 9, 30):
        table = ctx.table(["Ref", "Text"], [[ctx.fixed(f"ROW-{i}"), ctx.fixed("one line")] for i in range(rows)],
                          [0.2, 0.8])
        pdf = _build([Spacer(1, filler), table], tmp_path / f"t{rows}-{int(filler)}.pdf")
        counts = [n for n in _rows_per_page(pdf) if n]
        assert sum(counts) == rows
        assert all(n >= min(MIN_ROWS, rows) for n in counts), (rows, filler, counts)


def test_a_heading_moves_on_with_its_table(tmp_path: Path) -> None:
    ctx = _context()
    table = ctx.table(["Ref", "Text"], [[ctx.fixed(f"ROW-{i}"), ctx.fixed("one line")] for i in range(12)],
                      [0.2, 0.8])
    heading = KeepRoom("HEADING-X", ctx.styles.h2, room=30)
    pdf = _build([Spacer(1, body_height() - 75), heading, table], tmp_path / "heading.pdf")
    page = next(n for n in range(1, page_count(pdf) + 1) if "HEADING-X" in pdf_text(pdf, n))
    assert "ROW-0" in pdf_text(pdf, page)


@pytest.mark.parametrize("name", SAMPLES)
def test_a_finding_split_across_pages_names_itself_where_it_continues(sample_pdf: Callable[[str, str], Path],
                                                                      name: str) -> None:
    pdf = sample_pdf(name, "full")
    header = "Ref Finding, impact and recommendation"
    checked = 0
    for number in range(1, page_count(pdf) + 1):
        lines = pdf_text(pdf, number).splitlines()
        for index, line in enumerate(lines[:-1]):
            if line.startswith(header):
                following = next(text for text in lines[index + 1:]
                                 if text.strip() not in ("", "Status,", "owner, due", "Effort,", "cost"))
                assert re.match(r"^F-\d{3}\b", following), (number, following)
                checked += 1
    assert checked >= 2


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", SAMPLES)
def test_the_signature_box_never_stands_alone(sample_pdf: Callable[[str, str], Path], name: str, kind: str) -> None:
    pdf = sample_pdf(name, kind)
    last = pdf_text(pdf, page_count(pdf))
    assert "Reserved for the digital signature" in last and "Sign-off" in last


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", SAMPLES)
def test_no_page_holds_fewer_than_three_lines(sample_pdf: Callable[[str, str], Path], name: str, kind: str) -> None:
    """The last question of a list alone on a page (DriftGuardAI p35) and the like: a list keeps its tail."""
    pdf = sample_pdf(name, kind)
    for page in range(1, page_count(pdf) + 1):
        result = run("pdftotext", "-layout", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-")
        lines = [line for line in result.stdout.splitlines() if line.strip()]
        body = lines[1:-2]  # with -layout the header is one line (ref, title), the footer two (classification, page)
        assert len(body) >= MIN_ROWS, (page, body)


def test_contents_list_what_the_bookmarks_list(sample_pdf: Callable[[str, str], Path]) -> None:
    contents = pdf_text(sample_pdf("driftguard", "full"), 2)
    for entry in ("2.1 Open findings by severity", "2.2 Top findings", "2.3 Top risks",
                  "2.4 Remediation effort and cost", "2.5 Open before finalisation"):
        assert entry in contents, entry


def _vocabulary(ws: Workspace, uid: str) -> set[str]:
    data = gather_report_data(ws, uid)
    texts = [f.title + " " + f.description + " " + f.dimension for f in data.findings]
    texts += [m.name + " " + m.status + " " + m.notes for m in data.models]
    texts += [d.name + " " + d.justification for d in data.dimensions] + [e.file_name for e in data.evidence]
    return {word for text in texts for word in re.findall(r"[A-Za-z][A-Za-z-]{4,}", text)}


@pytest.mark.parametrize("name", SAMPLES)
def test_words_break_only_at_a_hyphen(sample_pdf: Callable[[str, str], Path],
                                      sample_workspace: tuple[Workspace, dict[str, str]], name: str) -> None:
    ws, uids = sample_workspace
    words = _vocabulary(ws, uids[name])
    lines = pdf_text(sample_pdf(name, "full")).splitlines()
    cut = []
    for first, second in zip(lines, lines[1:], strict=False):
        head, tail = (first.split() or [""])[-1], (second.split() or [""])[0]
        if head and tail and not head.endswith("-") and head + tail in words and head not in words:
            cut.append(head + "|" + tail)
    assert not cut, cut


def test_cover_labels_stand_on_their_values_baseline(sample_pdf: Callable[[str, str], Path]) -> None:
    pdf = sample_pdf("driftguard", "full")
    html = run("pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-").stdout
    pattern = r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>'
    words = [(float(x0), float(y1), text) for x0, y1, text in re.findall(pattern, html)]
    for label, value in (("Client", "DriftGuardAI"), ("Engagement", "DGA-2026-01"), ("Status", "Draft")):
        label_y = next(y for x, y, text in words if text == label and x < 150)
        value_y = next(y for x, y, text in words if text.startswith(value) and x > 150 and abs(y - label_y) < 8)
        assert abs(label_y - value_y) < 1.0, (label, label_y, value_y)


def test_parts_signed_off_one_by_one_are_a_table(sample_pdf: Callable[[str, str], Path]) -> None:
    pdf = sample_pdf("driftguard", "full")
    page = pdf_text(pdf, page_count(pdf))
    assert "Parts signed off one by one" in page and "; Dimension" not in page
    assert len(re.findall(r"^Dimension \w+ · ", page, re.MULTILINE)) >= 8  # one line per dimension
