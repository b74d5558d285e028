"""THE one path by which user text reaches a Paragraph: `markup(value)`.

reportlab parses Paragraph text as XML-ish markup and has no glyph fallback, so every value an auditor or
a client typed goes through here, and nowhere else, to become safe markup:

* control characters, lone surrogates, bidi/format controls and variation selectors are dropped, and
  line/paragraph separators become newlines;
* Arabic is shaped into its contextual letter forms (`shape_arabic`);
* characters are grouped into runs by the font that can draw them: DejaVu Sans (Latin, Greek, Cyrillic,
  Hebrew, many symbols), DejaVu upright (Arabic, also inside italics), Droid Sans Fallback (CJK) and the
  Symbola subset (mathematical alphanumerics, emoji, dingbats) and Nanum Square (Korean syllables), each
  switched to with ``<font name=...>``;
  the few emoji newer than every shipped font that have a plain shape (🟢 → ●, 🟥 → ■) are drawn as that
  shape, and any other character no shipped font has is shown as a placeholder "□";
* each run is XML-escaped (``& < >``; never escapeOnce), newlines become ``<br/>``.

Very long words need no marker: every paragraph style keeps reportlab's ``splitLongWords``, which breaks
a word wider than its line. Right-to-left text stays in logical order here, so lines break as they should;
reports/bidi.py puts each laid-out line in reading order when it is drawn.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from workbench.reports import fonts

PLACEHOLDER = "□"
EMPTY = "—"
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
#: Font runs other than DejaVu Sans: what registers the font a run switches to with <font> (see fonts.py).
_FALLBACK_FONTS = {"upright": fonts.register_upright, "cjk": fonts.register_cjk, "symbols": fonts.register_symbols,
                   "hangul": fonts.register_hangul}
#: Emoji newer than every shipped font (Unicode 12's coloured circles and squares): drawn as the plain shape.
STAND_INS = {**dict.fromkeys("\U0001f7e0\U0001f7e1\U0001f7e2\U0001f7e3\U0001f7e4", "\u25cf"),
             **dict.fromkeys("\U0001f7e5\U0001f7e6\U0001f7e7\U0001f7e8\U0001f7e9\U0001f7ea\U0001f7eb", "\u25a0")}
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff]")


def clean(value: object) -> str:
    """The value as text without characters no font should be asked to draw (newlines kept)."""
    if value is None:
        return ""
    text = _NEWLINES.sub("\n", value if isinstance(value, str) else str(value)).replace("\t", "    ")
    if text.isascii():
        return _ASCII_CONTROL.sub("", text)
    out = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Cs") and char != "\n":
            continue
        if category == "Cf" or 0xFE00 <= ord(char) <= 0xFE0F or 0xE0100 <= ord(char) <= 0xE01EF:
            continue  # zero-width joiners, bidi controls, soft hyphens, variation selectors, tags
        out.append(char)
    return "".join(out)


def shorten(text: str, limit: int | None) -> str:
    """Text cut to `limit` characters at a word boundary where one is near, ending in an ellipsis."""
    if limit is None or len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip() + "…"


def shape_arabic(text: str) -> str:
    """Arabic letters in the contextual forms they take in a word (still in logical order).

    reportlab does no OpenType shaping of its own for a font without its (uharfbuzz) shaper and cannot
    put right-to-left text in reading order without rlbidi, which is not published on the package index,
    so the report shapes with arabic-reshaper here and orders each laid-out line with python-bidi
    (reports/bidi.py). pdftotext gives the presentation forms back; NFKC maps them to the base letters.
    """
    return str(_reshaper().reshape(text)) if _ARABIC.search(text) else text


@lru_cache(maxsize=1)
def _reshaper() -> Any:
    """Arabic letters joined into their contextual forms (presentation forms) in logical order; harakat kept.
    Made on the first Arabic text: most reports have none."""
    from arabic_reshaper import ArabicReshaper

    return ArabicReshaper(configuration={"delete_harakat": False, "delete_tatweel": False,
                                         "support_ligatures": True})


def _kind(char: str) -> str | None:
    """The font run a character belongs in: "" DejaVu, a _FALLBACK_FONTS key, or None for no font."""
    code = ord(char)
    if char == "\n" or code in fonts.sans_coverage():
        return ""
    if code in fonts.upright_coverage():
        return "upright"
    if code in fonts.symbols_coverage():  # before CJK: emoji need not load the 4 MB CJK font
        return "symbols"
    if _HANGUL.match(char) and code in fonts.hangul_coverage():
        return "hangul"
    if code in fonts.cjk_coverage():
        return "cjk"
    return None


def _runs(text: str) -> Iterable[tuple[str, str]]:
    """(font kind, text) runs: kind "" for DejaVu, else a key of _FALLBACK_FONTS."""
    kind, run = "", list[str]()
    for char in text:
        char = STAND_INS.get(char, char)
        want = kind if char == " " else _kind(char)  # a space stays in the run it is in: one <font> per phrase
        shown = char
        if want is None:
            if unicodedata.category(char).startswith("M"):
                continue  # a combining mark no font here can place: leave the base character alone
            want, shown = "", (" " if unicodedata.category(char) == "Zs" else PLACEHOLDER)
        if want != kind and run:
            yield kind, "".join(run)
            run = []
        kind = want
        run.append(shown)
    if run:
        yield kind, "".join(run)


def _escape_run(text: str) -> str:
    """XML-escaped as xml.sax.saxutils.escape escapes (& first), newlines as <br/>."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def markup(value: object, *, limit: int | None = None, empty: str = "") -> str:
    """Paragraph markup that shows `value` exactly as typed (see the module docstring)."""
    text = clean(value)
    if limit is not None:
        text = shorten(text, limit)
    if not text.strip():
        return _escape_run(empty)
    if text.isascii():
        return _escape_run(text)
    parts = []
    for kind, run in _runs(shape_arabic(text)):
        if kind:
            parts.append(f'<font name="{_FALLBACK_FONTS[kind]()}">{_escape_run(run)}</font>')
        else:
            parts.append(_escape_run(run))
    return "".join(parts)


def one_line(value: object, limit: int = 90) -> str:
    """Markup for a header, caption or table label: newlines folded into spaces, cut at `limit`."""
    return markup(" ".join(clean(value).split()), limit=limit)


def label(text: str) -> str:
    """Markup for the report's own wording, which may quote framework names and numbers: same path."""
    return markup(text)
