"""The line breaker of reports/breaker.py makes reportlab's very lines for the findings register's cells (a
bold title, a grey line, bold labels before plain text, ``<br/>``), and the very same PDF; for anything else
it leaves the work to reportlab."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from workbench.reports import breaker, drawing, fonts, hyphenation, speedups
from workbench.reports.context import CellParagraph
from workbench.reports.data import Branding
from workbench.reports.styles import make_styles
from workbench.reports.text import markup

STYLES = make_styles(Branding())
WIDTHS = (286.0, 301.7, 57.2, 40.0, 12.0)  # the register's text column, the status column, narrow ones
WORDS = st.one_of(
    st.sampled_from(("the", "model", "drift", "a", "of", "PSI", "—", "naïve", "Überprüfung", "data-pipeline",
                     "recall,", "(tabular)", "42", "supercalifragilisticexpialidocious", "x" * 40)),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x17F, exclude_characters="\xad"), min_size=1,
            max_size=14))
SPACES = st.sampled_from((" ", " ", " ", "  ", "\n"))


@st.composite
def plain_text(draw: Any, most: int) -> str:
    words = draw(st.lists(WORDS, max_size=most))
    text = "".join(word + draw(SPACES) for word in words)
    return markup(draw(SPACES) + text if draw(st.booleans()) else text.strip() + draw(st.sampled_from(("", " "))))


@st.composite
def cells(draw: Any) -> str:
    """Markup of the register's shapes: runs in bold, grey, italic, a bigger size, joined by <br/>."""
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(("bold", "grey", "labelled", "italic", "plain", "sized", "mixed", "twice")))
        text = draw(plain_text(12 if kind != "labelled" else 50))
        if kind == "bold":
            parts.append(f"<b>{text}</b>")
        elif kind == "grey":
            parts.append(f"<font color='#5A5F66'>{text}</font>")
        elif kind == "labelled":
            parts.append(f"<b>{draw(st.sampled_from(('Finding:', 'Impact:', 'Affected:')))}</b> {text}")
        elif kind == "italic":
            parts.append(f"<i>{text}</i>")
        elif kind == "sized":
            parts.append(f"<font size='9.5'>{text}</font>")
        elif kind == "mixed":
            tag, end = draw(st.sampled_from((("<b>", "</b>"), ("<font size='9.5'>", "</font>"), ("<i>", "</i>"))))
            parts.append(f"{text}{tag}{draw(plain_text(3))}{end}{draw(plain_text(3))}")
        elif kind == "twice":  # two runs of one style side by side, the second maybe after a space
            parts.append(f"<b>{text}</b><b>{draw(plain_text(3))}</b>")
        else:
            parts.append(text)
    return draw(st.sampled_from(("<br/>", "<br/> ", "<br/><br/>"))).join(parts)


class ReportlabParagraph(CellParagraph):
    """The same cell broken by reportlab's own breakLines."""

    def breakLines(self, width: Any) -> Any:  # noqa: N802
        return Paragraph.breakLines(self, width)


@pytest.fixture(autouse=True, scope="module")
def _installed() -> None:
    fonts.register_fonts()
    speedups.install()
    hyphenation.install()
    drawing.install()


def snapshot(paragraph: Any, lines: Any) -> tuple[object, ...]:
    """Everything a wrap leaves that drawing and splitting read: the lines with their words' fragments, the
    word list that replaces the fragments, the widest line."""
    drawn = [(type(line).__name__, {key: [(type(word).__name__, word.__dict__) for word in value]
                                    if key == "words" else value for key, value in line.__dict__.items()})
             for line in lines.lines]
    words = [(type(word).__name__, word[0], [(frag.__dict__, text) for frag, text in word[1:]])
             for word in paragraph.frags]
    return (lines.kind, drawn, words, paragraph._width_max, paragraph.height, paragraph._splitLongWordCount,
            paragraph._hyphenations)


def page(paragraph_class: type[CellParagraph], text: str, width: float) -> bytes:
    """The cell drawn on a page, in reportlab's invariant mode."""
    out = BytesIO()
    canvas = Canvas(out, invariant=1)
    paragraph = paragraph_class(text, STYLES.cell)
    _width, height = paragraph.wrap(width, 10_000)
    paragraph.drawOn(canvas, 20, 820 - min(height, 800))
    canvas.showPage()
    canvas.save()
    return out.getvalue()


FINDING = ("<b>Drift monitor missing</b><br/><font color='#5A5F66'>Monitoring · control MON-2</font><br/>"
           "<b>Finding:</b> The credit model has no drift monitor on its tabular inputs, so a shift in the "
           "applicant population would go unnoticed until the quarterly review.<br/><b>Impact:</b> Decisions "
           "made on stale features.<br/><i>No recommendation recorded yet.</i>")


@settings(max_examples=300, deadline=None)
@given(cells(), st.sampled_from(WIDTHS))
@example(FINDING, 286.0)
def test_lines_are_reportlabs(text: str, width: float) -> None:
    ours, theirs = CellParagraph(text, STYLES.cell), CellParagraph(text, STYLES.cell)
    lines = breaker.break_lines(ours, [width, width])
    if lines is not None:  # else not the plain kind (a word too wide, one fragment): reportlab breaks it
        assert snapshot(ours, lines) == snapshot(theirs, Paragraph.breakLines(theirs, [width, width]))


@settings(max_examples=60, deadline=None)
@given(cells(), st.sampled_from(WIDTHS[:3]))
@example(FINDING, 286.0)
def test_pages_are_byte_identical(text: str, width: float) -> None:
    assert page(CellParagraph, text, width) == page(ReportlabParagraph, text, width)


def test_the_register_cell_takes_the_fast_path() -> None:
    paragraph = CellParagraph(FINDING, STYLES.cell)
    assert breaker.break_lines(paragraph, [286.0, 286.0]) is not None
    assert breaker.break_lines(CellParagraph(FINDING, STYLES.cell), 286.0) is not None


@pytest.mark.parametrize("text", [
    "<b>Label:</b> a " + "x" * 200,  # a word wider than the line: hyphenation and splitLongWords cut it
    "<b>Label:</b> soft\xadhyphen",
    "<b>Label:</b> <a href='https://example.com'>link</a>",
    "<b>Label:</b> <u>underlined</u>",
    "<b>Label:</b> x<super>2</super>",
    "<b>Label:</b> <font backColor='#ffff00'>marked</font>",
    "plain text in one fragment",
])
def test_anything_unusual_is_left_to_reportlab(text: str) -> None:
    paragraph = CellParagraph(text, STYLES.cell)
    frags = paragraph.frags
    assert breaker.break_lines(paragraph, [286.0, 286.0]) is None
    assert paragraph.frags is frags and "_width_max" not in paragraph.__dict__


def test_a_first_line_of_another_width_or_bidi_is_left_to_reportlab() -> None:
    assert breaker.break_lines(CellParagraph(FINDING, STYLES.cell), [280.0, 286.0]) is None
    rtl = CellParagraph(FINDING, STYLES.cell.clone("rtl", wordWrap="RTL"))
    assert breaker.break_lines(rtl, [286.0, 286.0]) is None
