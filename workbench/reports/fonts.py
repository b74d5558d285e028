"""The report's fonts: DejaVu Sans (4 styles) and DejaVu Sans Mono (hashes), plus a CJK fallback, all embedded.

reportlab has no glyph fallback for TrueType fonts, so `text.py` switches runs of characters that DejaVu
lacks to Droid Sans Fallback (CJK). That font is 4 MB and takes ~0.2 s to parse, so it is registered only
when a report actually holds such a character. The canvas's initial font is set to DejaVu so no page refers
to a non-embedded Helvetica. Licences: resources/fonts/LICENSE-DejaVu.txt, LICENSE-DroidSansFallback.txt.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from workbench.resources import resource

SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
SANS_ITALIC = "DejaVuSans-Oblique"
SANS_BOLD_ITALIC = "DejaVuSans-BoldOblique"
MONO = "DejaVuSansMono"
CJK = "DroidSansFallback"

FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    SANS_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    MONO: "DejaVuSansMono.ttf",
}
CJK_FILE = "DroidSansFallbackFull.ttf"

_lock = threading.Lock()
_registered = False
_cjk_registered = False


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


@lru_cache(maxsize=1)
def sans_coverage() -> frozenset[int]:
    """Code points every DejaVu Sans style has a glyph for (a run must look the same in bold)."""
    register_fonts()
    maps = [set(pdfmetrics.getFont(name).face.charToGlyph) for name in (SANS, SANS_BOLD, SANS_ITALIC,
                                                                           SANS_BOLD_ITALIC)]
    return frozenset(set.intersection(*maps))


@lru_cache(maxsize=1)
def cjk_coverage() -> frozenset[int]:
    """Code points of the CJK fallback (registers it: its cmap comes with the parse)."""
    return frozenset(pdfmetrics.getFont(register_cjk()).face.charToGlyph)
