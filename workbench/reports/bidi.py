"""Right-to-left text in reading order: each laid-out line is reordered when it is drawn.

The Unicode bidirectional algorithm orders text per *line*, after the lines are broken in logical order.
reportlab breaks lines itself but only reorders them through rlbidi, which is not published on the package
index, so `install()` wraps `Paragraph.drawPara`: a paragraph holding Hebrew, Arabic or another
right-to-left script is drawn from a copy of its lines in which every line's pieces (runs of one font and
style) are put in visual order by python-bidi's implementation of the algorithm, right-to-left runs
reversed and mirrored characters ("(" in Hebrew) swapped. Layout, page splitting and the paragraph itself
are untouched; paragraphs without such characters are drawn as before. Each hard line's base direction
is decided by `base_level_of`; Arabic letters arrive already shaped (text.shape_arabic).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from itertools import groupby
from typing import Any

from bidi import algorithm
from reportlab.platypus.paragraph import Paragraph

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]")
_lock = threading.Lock()
_installed = False


def visual_pieces(pieces: list[str], base_level: int) -> list[tuple[int, str]]:
    """`pieces` of one line in logical order → (index of the piece, text) in visual order."""
    owners = [index for index, piece in enumerate(pieces) for _ in piece]
    storage = algorithm.get_empty_storage()
    storage["base_level"] = base_level
    storage["base_dir"] = ("L", "R")[base_level]
    algorithm.get_embedding_levels("".join(pieces), storage, False, False)
    for char, owner in zip(storage["chars"], owners, strict=True):
        char["owner"] = owner
    algorithm.explicit_embed_and_overrides(storage, False)
    algorithm.resolve_weak_types(storage, False)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    algorithm.reorder_resolved_levels(storage, False)
    algorithm.apply_mirroring(storage, False)
    return [(owner, "".join(c["ch"] for c in chars))
            for owner, chars in groupby(storage["chars"], key=lambda c: c["owner"])]


def visual_text(text: str, base_level: int | None = None) -> str:
    """One line of text in visual order (its own base direction unless `base_level` is given)."""
    level = base_level_of(text) if base_level is None else base_level
    return "".join(piece for _, piece in visual_pieces([text], level))


def base_level_of(text: str) -> int:
    """1 (right-to-left) when the text starts right-to-left and is mostly so, else 0.

    Rule P2 (the first strong character) alone would make a report line that merely starts with a Hebrew
    client name, or "Finding:" followed by Arabic, run right-to-left as a whole; the report's own words are
    English, so a paragraph is set right-to-left only when it also is mostly right-to-left text (a note
    typed in Hebrew or Arabic).
    """
    rtl = ltr = 0
    first = ""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            rtl += 1
            first = first or "R"
        elif kind == "L":
            ltr += 1
            first = first or "L"
    return 1 if first == "R" and rtl > ltr else 0


def _texts(lines: Any, kind: int) -> list[str]:
    if kind == 0:
        return [" ".join(words) for _space, words in lines]
    return ["".join(getattr(frag, "text", "") for frag in line.words) for line in lines]


def _segments(lines: list[Any], kind: int) -> list[list[int]]:
    """Indexes of the lines of each hard line (a kind-1 line ending in <br/> closes one)."""
    if kind == 0:
        return [list(range(len(lines)))]
    segments: list[list[int]] = [[]]
    for index, line in enumerate(lines):
        segments[-1].append(index)
        if getattr(line, "lineBreak", False):
            segments.append([])
    return [segment for segment in segments if segment]


def _visual_line(line: Any, kind: int, base_level: int) -> Any:
    if kind == 0:
        space, words = line
        return space, [visual_text(" ".join(words), base_level)]
    frags = list(line.words)
    if any(not hasattr(frag, "text") or getattr(frag, "cbDefn", None) is not None for frag in frags):
        return line  # images, anchors and other callbacks keep their place: left as laid out
    pieces = visual_pieces([frag.text for frag in frags], base_level)
    return line.clone(words=[frags[owner].clone(text=text) for owner, text in pieces])


def _visual_lines(bl_para: Any, texts: list[str]) -> Any:
    """A copy of the paragraph's lines, each in visual order; the direction is decided per hard line."""
    lines = list(bl_para.lines)
    for segment in _segments(lines, bl_para.kind):
        base_level = base_level_of("".join(texts[i] for i in segment))
        for index in segment:
            if _RTL.search(texts[index]) or base_level:
                lines[index] = _visual_line(lines[index], bl_para.kind, base_level)
    return bl_para.clone(lines=lines)


def _draw_para(original: Any) -> Any:
    def draw_para(self: Paragraph, debug: int = 0) -> Any:
        source = self.__dict__.get("text")
        if isinstance(source, str) and source.isascii() and "&" not in source:
            return original(self, debug)  # markup of ASCII letters only, no entity: nothing right-to-left
        bl_para = getattr(self, "blPara", None)
        texts = _texts(bl_para.lines, bl_para.kind) if bl_para is not None else []
        if not any(_RTL.search(text) for text in texts if not text.isascii()):
            return original(self, debug)
        laid_out: Any = self  # reportlab's (unannotated) laid-out lines live in blPara
        laid_out.blPara = _visual_lines(bl_para, texts)
        try:
            return original(self, debug)
        finally:
            laid_out.blPara = bl_para

    return draw_para


def install() -> None:
    """Wrap Paragraph.drawPara once per process (the GUI renders in a worker thread)."""
    global _installed
    with _lock:
        if not _installed:
            Paragraph.drawPara = _draw_para(Paragraph.drawPara)  # type: ignore[method-assign]
            _installed = True
