"""The report's fonts: DejaVu Sans (4 styles) and DejaVu Sans Mono (hashes), plus fallbacks, all embedded.

reportlab has no glyph fallback for TrueType fonts, so `text.py` switches runs of characters that DejaVu
lacks in any of its four styles to a font that has them:

* UPRIGHT: DejaVu Sans regular and bold under a family whose italic faces are upright too. DejaVu's
  oblique faces have no Arabic, so Arabic inside italic text is set upright instead of as boxes.
* CJK: Droid Sans Fallback (Chinese, Japanese; Korean jamo and symbols).
* HANGUL: Nanum Square, for the Korean syllables Droid Sans Fallback lacks.
* SYMBOLS: a subset of Symbola with what DejaVu lacks: mathematical alphanumerics (𝔘𝔫𝔦𝔠𝔬𝔡𝔢), emoji
  and pictographs, dingbats, technical symbols.

The fallbacks are registered only when a report holds such a character (Droid is 4 MB and takes ~0.2 s to
parse). The canvas's initial font is DejaVu, so no page refers to a non-embedded Helvetica. Licences:
resources/fonts/LICENSE-DejaVu.txt, LICENSE-DroidSansFallback.txt, LICENSE-Symbola.txt,
LICENSE-Nanum.txt.

`install_unicode_cmaps()` fixes reportlab's ToUnicode map for characters beyond the Basic Multilingual
Plane: reportlab writes such a code as five hex digits ("<1F600>"), which readers take for another
character, so 😀 copied out of the PDF came back as something else; the PDF wants UTF-16 ("<D83DDE00>").
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import cast

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from workbench.resources import resource

SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
SANS_ITALIC = "DejaVuSans-Oblique"
SANS_BOLD_ITALIC = "DejaVuSans-BoldOblique"
MONO = "DejaVuSansMono"
CJK = "DroidSansFallback"
UPRIGHT = "DejaVuSansUpright"
UPRIGHT_BOLD = "DejaVuSansUpright-Bold"
SYMBOLS = "Symbola"
HANGUL = "NanumSquare"

FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    SANS_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    MONO: "DejaVuSansMono.ttf",
}
CJK_FILE = "DroidSansFallbackFull.ttf"
SYMBOLS_FILE = "Symbola-Subset.ttf"
HANGUL_FILE = "NanumSquareR.ttf"

_lock = threading.Lock()
_registered = False
_cjk_registered = False
_fallbacks: set[str] = set()


def font_path(file_name: str) -> Path:
    return resource("fonts", file_name)


def register_fonts() -> None:
    """Register the DejaVu families once per process and make DejaVu the canvas's initial font."""
    global _registered
    with _lock:
        if _registered:
            return
        for name, file_name in FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(font_path(file_name))))
        pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC,
                                      boldItalic=SANS_BOLD_ITALIC)
        # hashes only: one mono face serves every style (no bold mono is shipped)
        pdfmetrics.registerFontFamily(MONO, normal=MONO, bold=MONO, italic=MONO, boldItalic=MONO)
        rl_config.canvas_basefontname = SANS
        install_unicode_cmaps()
        _registered = True


def register_cjk() -> str:
    """Register the CJK fallback (lazily: it is big); returns its font name."""
    global _cjk_registered
    register_fonts()
    with _lock:
        if not _cjk_registered:
            pdfmetrics.registerFont(TTFont(CJK, str(font_path(CJK_FILE))))
            # one face for every style, so <b> around a CJK run still finds a font
            pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)
            _cjk_registered = True
    return CJK


def register_upright() -> str:
    """Register DejaVu regular and bold as a family whose italics are upright; returns its name."""
    register_fonts()
    with _lock:
        if UPRIGHT not in _fallbacks:
            pdfmetrics.registerFont(TTFont(UPRIGHT, str(font_path(FILES[SANS]))))
            pdfmetrics.registerFont(TTFont(UPRIGHT_BOLD, str(font_path(FILES[SANS_BOLD]))))
            pdfmetrics.registerFontFamily(UPRIGHT, normal=UPRIGHT, bold=UPRIGHT_BOLD, italic=UPRIGHT,
                                          boldItalic=UPRIGHT_BOLD)
            _fallbacks.add(UPRIGHT)
    return UPRIGHT


def _register_single(name: str, file_name: str) -> str:
    """Register a fallback font with one face for every style (so <b> around its run still finds it)."""
    register_fonts()
    with _lock:
        if name not in _fallbacks:
            pdfmetrics.registerFont(TTFont(name, str(font_path(file_name))))
            pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
            _fallbacks.add(name)
    return name


def register_symbols() -> str:
    """Register the symbol fallback; returns its font name."""
    return _register_single(SYMBOLS, SYMBOLS_FILE)


def register_hangul() -> str:
    """Register the Korean fallback; returns its font name."""
    return _register_single(HANGUL, HANGUL_FILE)


def _true_type(name: str) -> TTFont:
    """A registered font of ours: every one is a TrueType font (the stubs type getFont as the base Font)."""
    return cast(TTFont, pdfmetrics.getFont(name))


@lru_cache(maxsize=1)
def upright_coverage() -> frozenset[int]:
    """Code points DejaVu Sans regular and bold have but an oblique face lacks (Arabic)."""
    register_fonts()
    maps = [set(_true_type(name).face.charToGlyph) for name in (SANS, SANS_BOLD)]
    return frozenset(set.intersection(*maps) - sans_coverage())


@lru_cache(maxsize=1)
def hangul_coverage() -> frozenset[int]:
    """Code points of the Korean fallback."""
    return frozenset(_true_type(register_hangul()).face.charToGlyph)


@lru_cache(maxsize=1)
def symbols_coverage() -> frozenset[int]:
    """Code points of the symbol fallback."""
    return frozenset(_true_type(register_symbols()).face.charToGlyph)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap for a font subset, with code points past U+FFFF written in UTF-16."""
    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()

    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
             f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
             f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
             f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(subset)} beginbfchar",
             *(f"<{index:02X}> <{utf16(code)}>" for index, code in enumerate(subset)),
             "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def install_unicode_cmaps() -> None:
    """Make reportlab write ToUnicode maps that copy every character out as typed (see the module doc)."""
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap


@lru_cache(maxsize=1)
def sans_coverage() -> frozenset[int]:
    """Code points every DejaVu Sans style has a glyph for (a run must look the same in bold)."""
    register_fonts()
    maps = [set(_true_type(name).face.charToGlyph) for name in (SANS, SANS_BOLD, SANS_ITALIC, SANS_BOLD_ITALIC)]
    return frozenset(set.intersection(*maps))


@lru_cache(maxsize=1)
def cjk_coverage() -> frozenset[int]:
    """Code points of the CJK fallback (registers it: its cmap comes with the parse)."""
    return frozenset(_true_type(register_cjk()).face.charToGlyph)
