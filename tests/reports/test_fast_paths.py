"""The speed-ups of the deliverables change nothing a reader sees: one layout pass with the contents' page
numbers drawn at save, markup parsed through the shape cache, the faster sameFrag, charts kept between
renders."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.rl_accel import sameFrag as reportlab_same_frag
from reportlab.platypus import KeepTogether, PageBreak, Paragraph
from reportlab.platypus.paraparser import ParaParser

from tests.reports.conftest import SAMPLES_DIR, requires_poppler, run
from workbench.reports import build as report_build
from workbench.reports import chart_images, fonts, speedups, wraps
from workbench.reports.data import Branding
from workbench.reports.document import Heading, ReportDocument, build_pdf, make_toc
from workbench.reports.furniture import PageFurniture
from workbench.reports.styles import make_styles
from workbench.reports.text import markup
from workbench.services.deliverables import gather_report_data
from workbench.services.packages import import_package
from workbench.store.workspace import Workspace

ENTRY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s+(.+?)[\s.]*?\s(?:\.\s*){3,}\s*(\d+)\s*$")


def reportlab_frags(text: str, style: Any) -> list[dict[str, Any]]:
    _style, frags, _bullets = ParaParser(caseSensitive=1).parse(text, style)
    return [frag.__dict__ for frag in frags]


def outline_pages(pdf: Path) -> dict[str, int]:
    outline = json.loads(run("qpdf", "--json", "--json-key=outlines", str(pdf)).stdout)["outlines"]
    pages: dict[str, int] = {}

    def walk(entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            pages[entry["title"]] = entry["destpageposfrom1"]
            walk(entry["kids"])

    walk(outline)
    return pages


def contents_entries(pdf: Path, page: int = 2) -> list[tuple[str, int]]:
    text = run("pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-").stdout
    return [(f"{m.group(1)} {' '.join(m.group(2).split())}", int(m.group(3)))
            for m in map(ENTRY.match, text.splitlines()) if m]


@requires_poppler
def test_contents_numbers_and_bookmarks_give_the_page_each_heading_is_on(
        sample_pdf: Callable[[str, str], Path]) -> None:
    pdf = sample_pdf("driftguard", "full")
    pages = outline_pages(pdf)
    entries = contents_entries(pdf)
    assert len(entries) >= 20, entries
    for title, number in entries:
        assert pages[title] == number, (title, number, pages[title])
        heading = title.split(" ", 1)[1]
        page_text = run("pdftotext", "-raw", "-f", str(number), "-l", str(number), str(pdf), "-").stdout
        assert heading in " ".join(page_text.split()), f"{title} is not on page {number}"
    assert pages["Contents"] == 2 and pages["1 About this report"] == 4 and pages["2 Executive summary"] == 5


def test_a_sample_report_is_laid_out_in_one_pass(tmp_path: Path) -> None:
    with Workspace(tmp_path / "one.db") as ws:
        data = gather_report_data(ws, import_package(ws, SAMPLES_DIR / "early-stage.mlaudit", untrusted=True))
    kept: list[int] = []
    keep = wraps.keep

    def counted_keep(paragraph: Any, width: float) -> None:
        keep(paragraph, width)
        kept.append(len(wraps._kept))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wraps, "keep", counted_keep)
        result = report_build.render(data, str(tmp_path / "one.pdf"))
    assert result.passes == 1 and result.pages > 20
    assert max(kept) > 10  # twins shared their line breaks during the render ...
    assert not wraps._kept and not wraps._seen  # ... and the app keeps none of the report's text after it


@requires_poppler
def test_a_heading_the_contents_were_not_seeded_with_takes_another_pass(tmp_path: Path) -> None:
    """A heading inside another flowable is not seen before the pass: the contents settle in a second one."""
    styles = make_styles(Branding())
    furniture = PageFurniture(styles=styles, firm="Firm", ref="REF-1", title="Title", classification="Internal",
                              draft=False)
    doc = ReportDocument(str(tmp_path / "nested.pdf"), furniture, title="t", author="a", subject="s", cover=False)
    toc = make_toc(styles)

    def story(contents: Any) -> list[Any]:
        return [contents, PageBreak(), Heading("First", styles.h1, key="first"), PageBreak(),
                KeepTogether([Heading("Nested", styles.h1, key="nested"), Paragraph("Body", styles.body)])]

    assert build_pdf(doc, story, toc) == 2
    pages = outline_pages(tmp_path / "nested.pdf")
    assert pages == {"First": 2, "Nested": 3}
    text = run("pdftotext", "-layout", "-f", "1", "-l", "1", str(tmp_path / "nested.pdf"), "-").stdout
    numbers = [line.split()[-1] for line in text.splitlines() if line.strip().startswith(("First", "Nested"))]
    assert numbers == ["2", "3"]


SHAPES = [
    "plain text",
    "<b>Title &amp; more</b><br/><font color='#5A5F66'>Data · carried forward</font><br/><b>Finding:</b> x",
    "Ünïcödé Ελληνικά кириллица<br/><i>No recommendation recorded yet.</i>",
    '1&nbsp;&nbsp;&nbsp;Executive <font name="DroidSansFallback">漢字</font> &lt;tag&gt;',
    "<font size=15><b>3</b></font><br/>Critical",
    "trailing <b></b>empty tags<br/><br/>",
]


@pytest.mark.parametrize("text", SHAPES)
def test_shape_cache_gives_reportlab_own_fragments(text: str) -> None:
    fonts.register_cjk()
    style = make_styles(Branding()).cell
    for _ in range(2):  # the first call parses the shape, the second reuses it
        frags = speedups.parse_frags(text, style)
        assert frags is not None
        assert [f.__dict__ for f in frags] == reportlab_frags(text, style)


@pytest.mark.parametrize("text", ['<a href="#x">link</a>', "a & b", "<para>x</para>", "x <onDraw name='n'/>",
                                  "\ue000 private marker"])
def test_other_markup_is_left_to_reportlab(text: str) -> None:
    assert speedups.parse_frags(text, make_styles(Branding()).cell) is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=4))
def test_shape_cache_matches_reportlab_for_any_user_text(values: list[str]) -> None:
    style = make_styles(Branding()).cell
    text = "<br/>".join(f"<b>{markup(v)}</b> {markup(v, empty='—')}" for v in values)
    paragraph = speedups.FastParagraph(text, style)
    assert [f.__dict__ for f in paragraph.frags] == [f.__dict__ for f in Paragraph(text, style).frags]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["cell", "cell_bold", "cell_right", "head"]))
def test_plain_text_cells_get_reportlab_own_fragments(value: str, name: str) -> None:
    """Plain text (no tag, no entity) skips the markup split: the fragments are still reportlab's."""
    style = getattr(make_styles(Branding()), name)
    text = markup(value).replace("<br/>", " ")
    paragraph = speedups.FastParagraph(text, style)
    assert [f.__dict__ for f in paragraph.frags] == [f.__dict__ for f in Paragraph(text, style).frags]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30), st.sampled_from([fonts.SANS, fonts.SANS_BOLD, fonts.SANS_ITALIC, fonts.MONO]),
       st.sampled_from([6.9, 7.4, 7.6, 9, 9.6, 12, 26]))
def test_remembered_widths_and_ascents_are_reportlab_own(text: str, font: str, size: float) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.platypus import paragraph as rl_paragraph

    make_styles(Branding())  # registers the fonts
    speedups.install()
    assert rl_paragraph.stringWidth is speedups._string_width  # type: ignore[attr-defined]
    for _ in range(2):  # worked out, then remembered
        assert speedups._string_width(text, font, size) == pdfmetrics.stringWidth(text, font, size)
        assert speedups._ascent_descent(font, size) == tuple(pdfmetrics.getAscentDescent(font, size))


def test_faster_same_frag_agrees_with_reportlab() -> None:
    fonts.register_cjk()  # SHAPES[4] draws in the CJK font, which make_styles does not register
    style = make_styles(Branding()).cell
    frags = Paragraph(SHAPES[1] + " " + SHAPES[3], style).frags + Paragraph(SHAPES[4], style).frags
    for first in frags:
        for second in frags:
            assert bool(speedups._same_frag(first, second)) == bool(reportlab_same_frag(first, second))


def test_charts_are_kept_between_renders_until_forgotten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Workspace(tmp_path / "charts.db") as ws:
        data = gather_report_data(ws, import_package(ws, SAMPLES_DIR / "early-stage.mlaudit", untrusted=True))
    drawn: list[str] = []
    draw = chart_images.encode_chart

    def counting(builder: Callable[..., None], *args: Any) -> Any:
        drawn.append(builder.__name__)
        return draw(builder, *args)

    monkeypatch.setattr(chart_images, "encode_chart", counting)
    chart_images.forget_charts()
    first = report_build.render(data, str(tmp_path / "a.pdf"), kind="executive")
    assert first.charts > 0 and len(drawn) == first.charts == first.charts_drawn
    again = report_build.render(data, str(tmp_path / "b.pdf"), kind="executive", draft=False)
    assert len(drawn) == first.charts and again.charts_drawn == 0  # the DRAFT mark changed, the charts did not
    chart_images.forget_charts()
    report_build.render(data, str(tmp_path / "c.pdf"), kind="executive")
    assert len(drawn) == 2 * first.charts
