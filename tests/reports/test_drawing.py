"""Text drawn through reports/drawing.py is encoded exactly as reportlab's own subset walk encodes it,
whatever characters come in whatever order (codes are given in first-use order, per document)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from workbench.reports import drawing, fonts

# ASCII, Latin-1 (with the no-break space), Greek and Cyrillic, a run wide enough to fill several
# 256-code subsets, and CJK characters that DejaVu lacks (drawn as code 0, never given a code)
ALPHABET = st.one_of(st.characters(min_codepoint=0x20, max_codepoint=0x7E), st.sampled_from("\xa0é€ßΩЖ中文"),
                     st.characters(min_codepoint=0x100, max_codepoint=0x600, categories=["L"]))
RUNS = st.lists(st.tuples(st.sampled_from((fonts.SANS, fonts.SANS_BOLD)), st.text(ALPHABET, max_size=40)),
                max_size=60)


class Document:
    """A font keeps its codes per document, in a weak-key dictionary: any object that takes weak references."""


# more characters than one subset holds, then strings that lie in the second subset, or across two
MANY = "".join(chr(code) for code in range(0x100, 0x400) if chr(code).isalpha())
SUBSETS = [(fonts.SANS, MANY), (fonts.SANS, MANY[300:340]), (fonts.SANS, "ab\xa0" + MANY[300:310]),
           (fonts.SANS, MANY[300:310] + "\xa0"), (fonts.SANS_BOLD, MANY[:80])]


@pytest.fixture(autouse=True, scope="module")
def _installed() -> None:
    fonts.register_fonts()
    drawing.install()


def page(runs: list[tuple[str, str]]) -> bytes:
    """The runs drawn one per line on one page, in reportlab's invariant mode."""
    out = BytesIO()
    canvas = Canvas(out, invariant=1)
    text = canvas.beginText(20, 800)
    for font_name, run in runs:
        text.setFont(font_name, 9)
        text.textLine(run)
    canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


@settings(max_examples=60, deadline=None)
@given(RUNS)
@example(SUBSETS)
def test_pages_are_byte_identical_to_reportlabs(runs: list[tuple[str, str]]) -> None:
    ours = page(runs)
    original: Any = PDFTextObject._formatText.__wrapped__  # type: ignore[attr-defined]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PDFTextObject, "_formatText", original)
        theirs = page(runs)
    assert ours == theirs


@settings(max_examples=60, deadline=None)
@given(RUNS, st.booleans())
@example(SUBSETS, True)
@example([(fonts.SANS, "plain ASCII, drawn ~ as is?")] * 2, False)
def test_split_agrees_with_split_string_in_first_use_order(runs: list[tuple[str, str]], readable: bool) -> None:
    """Also for a font whose first subset is not readable ASCII (codes given from 0 in first-use order)."""
    ours_doc, their_doc = Document(), Document()
    for doc in (ours_doc, their_doc):
        for name in (fonts.SANS, fonts.SANS_BOLD):
            font: Any = getFont(name)
            font._assignState(doc, asciiReadable=readable)
    for font_name, run in runs + runs:  # again: by now every drawable character has its code
        font = getFont(font_name)
        assert drawing.split(font, run, ours_doc) == font.splitString(run, their_doc)
