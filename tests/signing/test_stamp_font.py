"""The shipped stamp subset: up to date, shaped exactly as the full font, and left aside for text it lacks."""

from __future__ import annotations

from pathlib import Path

import uharfbuzz as hb
from fontTools.ttLib import TTFont

from tests.helpers.signing import PASSPHRASE, given, make_pdf, refuse
from workbench.services import signatures
from workbench.signing import sign, stamp_font

COVERED = "".join(map(chr, stamp_font.SUBSET_CODEPOINTS))


def _shaped(font_path: Path, text: str) -> list[tuple[str, int, int, int]]:
    """(glyph name, cluster, advance, offset) per glyph as HarfBuzz shapes `text`; names, since the ids differ."""
    names = TTFont(str(font_path), lazy=True).getGlyphOrder()
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(hb.Font(hb.Face(font_path.read_bytes())), buffer)
    return [(names[info.codepoint], info.cluster, pos.x_advance, pos.x_offset)
            for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)]


def test_the_shipped_subset_is_what_the_generator_makes(tmp_path: Path) -> None:
    rebuilt = tmp_path / "stamp.ttf"
    stamp_font.build_subset(stamp_font.full_font_path(), rebuilt)
    assert rebuilt.read_bytes() == stamp_font.subset_font_path().read_bytes(), \
        "regenerate it: .venv/bin/python -m workbench.signing.stamp_font"


def test_the_subset_covers_its_characters_with_the_full_fonts_metrics() -> None:
    subset, full = TTFont(str(stamp_font.subset_font_path())), TTFont(str(stamp_font.full_font_path()))
    assert set(stamp_font.SUBSET_CODEPOINTS) <= set(subset.getBestCmap())
    assert subset["head"].unitsPerEm == full["head"].unitsPerEm == 1000
    assert subset["name"].getDebugName(6) == full["name"].getDebugName(6)  # the PDF still names Noto Sans Mono
    assert "Open Font License" in (subset["name"].getDebugName(13) or "")
    for code in (ord("A"), ord("é"), ord("Ł"), 0x2014):
        name = subset.getBestCmap()[code]
        assert subset["hmtx"][name] == full["hmtx"][full.getBestCmap()[code]]
    assert len(subset.getGlyphOrder()) < len(full.getGlyphOrder()) // 4


def test_covered_text_is_shaped_exactly_as_with_the_full_font() -> None:
    samples = [COVERED, "Digitally signed by Łukasz Dvořák-Ødegård\nRole: “Lead” – ffi fl 1/2 € ™",
               "Certificate SHA-256: 3F:A0:9B:C4 … Zoë Ångström, François Œuvre"]
    for text in samples:
        for line in text.splitlines():
            assert _shaped(stamp_font.subset_font_path(), line) == _shaped(stamp_font.full_font_path(), line)


def test_text_the_subset_lacks_uses_the_full_font() -> None:
    assert stamp_font.font_for("Jane Doe\nRole: Łead\n2026-01-01") == stamp_font.subset_font_path()
    assert stamp_font.font_for("Σοφία Παπαδοπούλου") == stamp_font.full_font_path()
    assert stamp_font.font_for("Ivan Петров") == stamp_font.full_font_path()
    style = sign._stamp_style(sign.STAMP_TEXT % {"signer": "Αλέξης", "role": "Lead", "time": "now",
                                                "engagement": "-", "fp1": "AB", "fp2": "CD"})
    assert Path(style.text_box_style.font.font_file) == stamp_font.full_font_path()


def test_a_greek_signer_is_stamped_and_verifies(tmp_path: Path) -> None:
    identity = signatures.create_identity("Σοφία Παπαδοπούλου", "sofia@example.com", "Audit AE", given(PASSPHRASE))
    out = tmp_path / "signed.pdf"
    signatures.sign_report(make_pdf(tmp_path / "report.pdf", pages=1), out, identity.id, refuse, role="Lead")
    result = signatures.verify_report(out)
    assert result.ok and result.signer_name == "Σοφία Παπαδοπούλου", result.problems
