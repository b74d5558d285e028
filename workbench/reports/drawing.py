"""Text drawing without reportlab's per-character subset walk; the output stays byte for byte the same.

Every string drawn in a TrueType font goes through `TTFont.splitString`, a Python loop over its
characters that maps each to (subset, code) and gives a character its code the first time a document
uses it. The 5,000-finding report draws some 220,000 strings that way (about 2 s). Once every character
of a string has its code, the mapping is a plain table lookup, which `str.translate` does in C; so
`install()` replaces the text object's `_formatText`, for TrueType fonts without shaping, by one that
translates such strings and leaves any string holding a character without a code (or a code in another
subset) to reportlab, which assigns codes in first-use order exactly as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import wraps
from itertools import islice
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.pdfgen.textobject import PDFTextObject

_NBSP, _SPACE = 0xA0, 0x20  # splitString draws a no-break space as the space
_PRINTABLE_ASCII = range(0x20, 0x7F)
_lock = threading.Lock()  # the GUI renders in a worker thread


class _Codes:
    """The characters of one font that already have a code in one document, per subset."""

    __slots__ = ("count", "known", "printable_ascii_as_is", "tables")

    def __init__(self) -> None:
        self.count = 0  # how many entries of the font state's assignments are in the tables
        self.known: list[frozenset[str]] = []
        self.tables: list[dict[int, str]] = []
        self.printable_ascii_as_is = False  # the usual case: a readable ASCII subset 0 (rl_config.ttfAsciiReadable)

    def catch_up(self, assignments: dict[int, int]) -> None:
        """Add the assignments made since the last call (codes never change once given)."""
        for code, number in islice(assignments.items(), self.count, None):
            subset = number >> 8
            while len(self.tables) <= subset:
                self.tables.append({})
            self.tables[subset][code] = chr(number & 0xFF)
        self.count = len(assignments)
        if _SPACE in assignments:
            space = assignments[_SPACE]
            self.tables[space >> 8][_NBSP] = chr(space & 0xFF)
        self.known = [frozenset(map(chr, table)) for table in self.tables]
        first = self.tables[0] if self.tables else {}
        self.printable_ascii_as_is = all(first.get(code) == chr(code) for code in _PRINTABLE_ASCII)


def split(font: Any, text: str, doc: Any) -> list[tuple[int, bytes]]:
    """What `font.splitString(text, doc)` returns, by table lookup when every character has a code."""
    state = font.state.get(doc)
    if state is None or not text or type(text) is not str:
        return font.splitString(text, doc)  # type: ignore[no-any-return]
    codes = getattr(state, "workbench_codes", None)
    if codes is None:
        codes = state.workbench_codes = _Codes()
    if codes.count != len(state.assignments):
        codes.catch_up(state.assignments)
    if codes.printable_ascii_as_is and text.isascii() and text.isprintable():
        return [(0, text.encode("ascii"))]
    characters = set(text)
    for subset, known in enumerate(codes.known):
        if characters <= known:
            return [(subset, text.translate(codes.tables[subset]).encode("latin-1"))]
    return font.splitString(text, doc)  # type: ignore[no-any-return]


def _format_text(original: Callable[[Any, Any], str]) -> Callable[[Any, Any], str]:
    @wraps(original)
    def format_text(self: Any, text: Any) -> str:
        """reportlab's `_formatText`, for unshaped TrueType text (where it changes only `_curSubset`)."""
        font: Any = getFont(self._fontname)
        if not font._dynamicFont or (font.shapable and isinstance(text, ShapedStr)):
            return original(self, text)
        canvas = self._canvas
        doc = canvas._doc
        escape = canvas._escape
        parts = []
        head = None
        for subset, encoded in split(font, text, doc):
            if subset != self._curSubset:
                if head is None:
                    head = f"{fp_str(self._fontsize)} Tf {fp_str(self._leading)} TL"
                parts.append(f"{font.getSubsetInternalName(subset, doc)} {head}")
                self._curSubset = subset
            parts.append(f"({escape(encoded)}) Tj")
        return " ".join(parts)

    return format_text


def install() -> None:
    """Replace the text object's `_formatText` once per process (the replacement keeps the original)."""
    with _lock:
        current = PDFTextObject._formatText  # type: ignore[attr-defined]
        if not hasattr(current, "__wrapped__"):
            PDFTextObject._formatText = _format_text(current)  # type: ignore[attr-defined]
