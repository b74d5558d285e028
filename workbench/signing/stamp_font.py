"""The signature stamp's font: a Latin subset of Noto Sans Mono, with the full font as the fallback.

pyHanko's GlyphAccumulator parses the stamp font and subsets it with fontTools on every signature. For
the full Noto Sans Mono (3,787 glyphs and large GSUB/GPOS tables, which the subsetter decompiles only
to drop them) that was about 60% of a signature's CPU time. The stamp shows names, a role, a date, an
engagement uid and a hexadecimal fingerprint, so a subset covering ASCII, Latin-1, Latin Extended-A and
common punctuation ships next to the full font (resources/fonts/NotoSansMono-Stamp.ttf, same OFL licence,
no reserved font name). It keeps the glyph outlines, metrics, hinting and the layout tables restricted to
those glyphs, so text it covers is shaped exactly as with the full font; text it does not cover (a
Greek or Cyrillic name) is stamped with the full font.

Regenerate the subset after changing the font or the character set:

    .venv/bin/python -m workbench.signing.stamp_font
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from workbench.resources import resource

FULL_FONT = ("fonts", "NotoSansMono-Regular.ttf")
SUBSET_FONT = ("fonts", "NotoSansMono-Stamp.ttf")
# ASCII, Latin-1 Supplement, Latin Extended-A, general punctuation (dashes, quotes, bullet, ellipsis,
# per mille, angle quotes), euro, trade mark, minus.
SUBSET_CODEPOINTS: tuple[int, ...] = (
    *range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2010, 0x2028), 0x2030, 0x2039, 0x203A, 0x20AC, 0x2122, 0x2212)
_LINE_BREAKS = frozenset(map(ord, "\r\n"))


def full_font_path() -> Path:
    return resource(*FULL_FONT)


def subset_font_path() -> Path:
    return resource(*SUBSET_FONT)


@lru_cache(maxsize=4)
def _coverage(path: str, modified: float) -> frozenset[int]:
    """The code points a font maps to glyphs (cached per file version)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def font_for(text: str) -> Path:
    """The subset when it covers every character of `text`, else the full font."""
    subset = subset_font_path()
    if subset.is_file():
        covered = _coverage(str(subset), subset.stat().st_mtime)
        if all(ord(char) in covered or ord(char) in _LINE_BREAKS for char in text):
            return subset
    return full_font_path()


def build_subset(source: Path, target: Path) -> None:
    """Write the stamp subset of `source` to `target` (names, hinting and layout tables kept for its glyphs)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.name_IDs = ["*"]  # copyright, licence and version stay in the file
    options.name_languages = ["*"]
    options.layout_features = ["*"]  # shaping of covered text stays what the full font gives
    options.notdef_outline = True
    options.glyph_names = True
    options.drop_tables += ["DSIG"]  # a signature over the original file no longer applies
    font = TTFont(str(source), recalcTimestamp=False)  # the same input gives the same bytes
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=SUBSET_CODEPOINTS)
    subsetter.subset(font)
    font.save(str(target))


def main() -> int:
    source, target = full_font_path(), subset_font_path()
    build_subset(source, target)
    print(f"wrote {target} ({target.stat().st_size:,} bytes) from {source.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
