"""Words too wide for their column break at a syllable, and pyphen's dictionary is read only for such a word."""

from __future__ import annotations

from reportlab.platypus import Paragraph

from workbench.reports import hyphenation
from workbench.reports.data import Branding
from workbench.reports.styles import make_styles


def _lines(text: str, hyphenator: object, width: float) -> list[str]:
    """The lines of `text` in a report table cell `width` points wide, hyphenated by `hyphenator`."""
    hyphenation.install()
    cell = make_styles(Branding()).cell
    para = Paragraph(text, cell.clone(f"cell-{id(hyphenator)}", hyphenationLang=hyphenator))
    para.wrap(width, 10_000)
    return [" ".join(line[1]) if isinstance(line, tuple) else " ".join(w.text for w in line.words)
            for line in para.blPara.lines]


def test_the_report_styles_hyphenate_in_english_through_a_hyphenator() -> None:
    assert make_styles(Branding()).body.hyphenationLang is hyphenation.ENGLISH


def test_a_word_too_wide_breaks_as_with_the_language_code() -> None:
    hyphenator = hyphenation.Hyphenator("en_GB")
    for text, width in (("Model Development status", 40), ("the drift-detector-psi-ks monitor", 45),
                        ("Responsibilities and accountability", 38)):
        lines = _lines(text, hyphenator, width)
        assert lines == _lines(text, "en_GB", width)
        assert len(lines) > len(text.split())  # a word was broken
    assert _lines("Model Development status", hyphenator, 40)[1].endswith("-")


def test_the_dictionary_is_read_only_for_a_word_too_wide_for_its_line() -> None:
    hyphenator = hyphenation.Hyphenator("en_GB")
    text = "Model Development status of the data pipeline, reviewed with the platform team"
    assert _lines(text, hyphenator, 120) == _lines(text, "en_GB", 120)
    assert hyphenator._iterate is None  # noqa: SLF001 - every word fitted a line: pyphen was not asked
    _lines("Development", hyphenator, 30)
    assert hyphenator._iterate is not None  # noqa: SLF001
