"""THE one path by which user text reaches a Paragraph: `markup(value)`.

reportlab parses Paragraph text as XML-ish markup and has no glyph fallback, so every value an auditor or
a client typed goes through here, and nowhere else, to become safe markup:

* control characters, lone surrogates, bidi/format controls and variation selectors are dropped, and
  line/paragraph separators become newlines;
* characters are grouped into runs by the font that can draw them: DejaVu Sans (Latin, Greek, Cyrillic,
  Hebrew, Arabic, many symbols), the Droid Sans Fallback CJK font (switched to with ``<font name=...>``),
  a few common emoji mapped to a DejaVu symbol (✅ → ✔), and anything else shown as a placeholder "□";
* each run is XML-escaped (``& < >``; never escapeOnce), newlines become ``<br/>``.

Very long words need no marker: every paragraph style keeps reportlab's ``splitLongWords``, which breaks
a word wider than its line. Right-to-left text is drawn in logical order (reportlab does no bidi shaping).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from xml.sax.saxutils import escape

from workbench.reports import fonts

PLACEHOLDER = "□"
EMPTY = "—"
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")

#: Emoji that have a fitting DejaVu symbol; anything else DejaVu and the CJK font lack becomes PLACEHOLDER.
EMOJI_SYMBOLS = {
    "\u2705": "\u2714",      # ✅ → ✔
    "\u2714": "\u2714",
    "\u274c": "\u2718",      # ❌ → ✘
    "\u274e": "\u2718",
    "\u2757": "!",           # ❗
    "\u2753": "?",           # ❓
    "\U0001f534": "\u25cf",  # 🔴 → ●
    "\U0001f7e0": "\u25cf",
    "\U0001f7e1": "\u25cf",  # 🟡
    "\U0001f7e2": "\u25cf",  # 🟢
    "\U0001f535": "\u25cf",
    "\u2b50": "\u2605",      # ⭐ → ★
    "\U0001f3af": "\u25ce",  # 🎯 → ◎
    "\U0001f680": "\u2197",  # 🚀 → ↗
    "\U0001f4c8": "\u2197",  # 📈
    "\U0001f4c9": "\u2198",  # 📉
    "\U0001f449": "\u2192",  # 👉 → →
    "\u27a1": "\u2192",
    "\U0001f6a8": "\u26a0",  # 🚨 → ⚠
}


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


def _runs(text: str) -> Iterable[tuple[str, str]]:
    """(font kind, text) runs: kind "" for DejaVu, "cjk" for the fallback font."""
    sans = fonts.sans_coverage()
    cjk: frozenset[int] | None = None
    kind, run = "", []
    for char in text:
        code = ord(char)
        if char == "\n" or code in sans:
            want, shown = "", char
        else:
            if cjk is None:
                cjk = fonts.cjk_coverage()
            if code in cjk:
                want, shown = "cjk", char
            elif char in EMOJI_SYMBOLS:
                want, shown = "", EMOJI_SYMBOLS[char]
            elif unicodedata.category(char).startswith("M"):
                continue  # a combining mark no font here can place: leave the base character alone
            elif unicodedata.category(char) == "Zs":
                want, shown = "", " "
            else:
                want, shown = "", PLACEHOLDER
        if want != kind and run:
            yield kind, "".join(run)
            run = []
        kind = want
        run.append(shown)
    if run:
        yield kind, "".join(run)


def _escape_run(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


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
    for kind, run in _runs(text):
        if kind == "cjk":
            parts.append(f'<font name="{fonts.CJK}">{_escape_run(run)}</font>')
        else:
            parts.append(_escape_run(run))
    return "".join(parts)


def one_line(value: object, limit: int = 90) -> str:
    """Markup for a header, caption or table label: newlines folded into spaces, cut at `limit`."""
    return markup(" ".join(clean(value).split()), limit=limit)


def label(text: str) -> str:
    """Markup for the report's own wording, which may quote framework names and numbers: same path."""
    return markup(text)
