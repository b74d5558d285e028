"""Cells with the same markup, style and width share their line breaks (reports/wraps.py) and are drawn
exactly as a paragraph that broke its own lines, also after a twin was split across pages."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from workbench.reports import bidi, hyphenation, speedups, wraps
from workbench.reports.context import CellParagraph
from workbench.reports.data import Branding
from workbench.reports.styles import Styles, make_styles
from workbench.reports.text import label, markup

STYLES = make_styles(Branding())
WIDTHS = (35.0, 48.5, 61.0, 120.0, 270.0)  # narrow status columns up to the finding text's


@pytest.fixture(autouse=True)
def _installed() -> Iterator[None]:
    speedups.install()
    hyphenation.install()
    bidi.install()
    wraps.forget()
    yield
    wraps.forget()


def _style(styles: Styles, name: str) -> Any:
    return styles.pill(STYLES.accent) if name == "pill" else getattr(styles, name)


def lines(paragraph: Paragraph) -> list[Any]:
    """What the drawing and the splitting of a paragraph read from its wrap."""
    bl_para = paragraph.blPara
    if bl_para.kind == 0:
        return [(0, space, [(type(word).__name__, str(word)) for word in words]) for space, words in bl_para.lines]
    return [(1, line.extraSpace, line.wordCount, line.lineBreak, line.fontSize, line.ascent, line.descent,
             [(frag.fontName, frag.fontSize, frag.textColor, frag.text) for frag in line.words])
            for line in bl_para.lines]


def drawn(paragraph: Paragraph, width: float) -> bytes:
    """The paragraph's page, written with reportlab's invariant mode (no dates, no random ids)."""
    out = BytesIO()
    canvas = Canvas(out, invariant=1)
    paragraph.wrap(width, 10_000)
    paragraph.drawOn(canvas, 20, 20)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def register_cell(value: str, second: str) -> str:
    """Markup shaped like the register's cells: a status over an owner and a date, an effort figure."""
    return (f"{label('Open')}<br/><font color='#5A5F66'>{markup(value, limit=80, empty='No owner')}</font><br/>"
            f"{markup(second)}")


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
MARKUPS = st.one_of(TEXT.map(markup), st.tuples(TEXT, TEXT).map(lambda pair: register_cell(*pair)),
                    st.sampled_from(["Informational", "In remediation", "Development", "Critical",
                                     "40 h<br/>€6,000<br/>Level 2 → 3", "שלום עולם abc", "مرحبا بالعالم"]))


@settings(max_examples=80, deadline=None)
@given(MARKUPS, st.sampled_from(WIDTHS), st.sampled_from(["cell", "cell_right", "cell_bold", "head", "pill"]))
def test_a_twin_gets_the_lines_and_the_page_of_a_paragraph_that_broke_its_own(text: str, width: float,
                                                                              name: str) -> None:
    wraps.forget()
    style = _style(STYLES, name)
    own = Paragraph(text, style)
    twins = [CellParagraph(text, style) for _ in range(3)]  # the third takes what the second stored
    for twin in twins:
        twin.wrap(width, 10_000)
    own.wrap(width, 10_000)
    for twin in twins:
        assert lines(twin) == lines(own)
        assert (twin.width, twin.height) == (own.width, own.height)
    rl_config.invariant = 1
    assert drawn(twins[2], width) == drawn(Paragraph(text, style), width)


@pytest.mark.parametrize("text", ["Informational Informational Informational Informational",
                                  "<b>Informational</b> Informational Informational Informational"])
def test_splitting_a_twin_leaves_the_others_as_they_were(text: str) -> None:
    """A split marks the hyphenated word it ends on (reportlab changes the word's class in place): a twin
    split elsewhere later must still join that word's halves again."""
    style, width = STYLES.cell, 40.0

    def parts_of(paragraph: Paragraph, lines_kept: int) -> list[Any]:
        paragraph.wrap(width, 10_000)
        parts = paragraph.split(width, lines_kept * style.leading + 1)
        assert len(parts) == 2
        for part in parts:
            part.wrap(width, 10_000)
        return [lines(part) for part in parts]

    twins = [CellParagraph(text, style) for _ in range(4)]
    for twin in twins:
        twin.wrap(width, 10_000)
    assert len(twins[2].blPara.lines) >= 6
    parts_of(twins[2], 3)  # ends on "Informa-"
    assert parts_of(twins[3], 2) == parts_of(Paragraph(text, style), 2)
    assert parts_of(twins[1], 2) == parts_of(Paragraph(text, style), 2)


def test_twins_share_a_wrap_only_within_their_style_and_width() -> None:
    first, second = CellParagraph("Critical", STYLES.cell), CellParagraph("Critical", STYLES.cell)
    first.wrap(100, 100)
    second.wrap(100, 100)  # the second of its kind: stored now
    other_style, other_width = CellParagraph("Critical", STYLES.cell_bold), CellParagraph("Critical", STYLES.cell)
    other_style.wrap(100, 100)
    other_width.wrap(20, 100)
    assert other_style.blPara.fontName != second.blPara.fontName
    assert len(other_width.blPara.lines) > 1
    third = CellParagraph("Critical", STYLES.cell)
    third.wrap(100, 100)
    assert third.blPara is second.blPara  # one line: shared as it is


@pytest.mark.parametrize("escaped", ["&#1488;&#1489;&#1490; (abc)", "&#x5D0;&#x5D1;&#x5D2; (abc)"])
def test_right_to_left_letters_written_as_entities_are_still_put_in_reading_order(
        escaped: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """ASCII markup is drawn without the bidi pass, unless an entity may stand for a right-to-left letter."""
    reordered: list[list[str]] = []
    reorder = bidi._visual_lines

    def visual_lines(bl_para: Any, texts: list[str]) -> Any:
        reordered.append(texts)
        return reorder(bl_para, texts)

    monkeypatch.setattr(bidi, "_visual_lines", visual_lines)
    drawn(Paragraph("abc (abc) <b>plain</b>", STYLES.cell), 200)
    assert not reordered
    drawn(Paragraph(escaped, STYLES.cell), 200)
    assert reordered == [["\u05d0\u05d1\u05d2 (abc)"]]


def test_severity_cells_share_one_style_and_one_fill_per_colour() -> None:
    """So that their line breaks are shared (the key holds the style) and no fill is parsed twice."""
    from reportlab.lib import colors

    from workbench.reports.styles import WHITE, hex_colour, severity_fill, severity_ink

    styles = make_styles(Branding())
    fill = severity_fill("High")
    assert fill is severity_fill("High") is hex_colour("#D55E00")
    assert fill.rgba() == colors.HexColor("#D55E00").rgba()
    assert styles.pill(fill, severity_ink("High")) is styles.pill(severity_fill("High"), severity_ink("High"))
    white = styles.pill(fill, WHITE)
    assert white is not styles.pill(fill, colors.black) and white.textColor == WHITE
    assert styles.pill(fill, colors.black).textColor == colors.black
