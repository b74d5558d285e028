"""Line breaks shared by paragraphs with the same markup, style and width (context.CellParagraph).

A long report repeats many cells word for word: the severity pills, the statuses, the effort and cost
figures, the owners, the header row of a table on every page. reportlab breaks each one's lines anew (a
pill too wide for its column goes through the hyphenation dictionary each time), although the result
depends only on the markup, the style and the width. `keep` stores what a wrap left on the paragraph
once the same markup, style and width come a second time (most cells are unique: a finding's text is
neither copied nor stored); `take` gives the later twins the same result.

Splitting a paragraph across pages changes one thing in place: the class of the hyphenated word a part
ends on (then drawn with its hyphen, and not joined to its tail again). So a result of several lines is
stored and handed out with its own copy of such words; a single line is never split (the styles allow no
orphans) and is shared as it is. A result holding soft-hyphen words or
bidi-sorted lines is not stored: those carry state a copy would have to know about.
"""

from __future__ import annotations

import threading
from typing import Any

from reportlab.platypus import paragraph as _paragraph_module

rl_paragraph: Any = _paragraph_module  # reportlab's (unannotated) internals
_MAX = 20_000
_lock = threading.Lock()  # the GUI renders in a worker thread
# (markup, id(style), width) -> (style, width, wrap widths, blPara, height, frags after the wrap, extras)
_kept: dict[tuple[str, int, float], tuple[Any, ...]] = {}
_seen: set[int] = set()  # hashes of the keys wrapped once (not the markup: a finding's text is long)
_EXTRAS = ("_width_max", "_splitLongWordCount", "_hyphenations")


def _copy(bl_para: Any, frags: Any) -> tuple[Any, Any] | None:
    """A copy of a wrap's lines (and, for several fonts, its word list) that a split may change freely;
    None when the result cannot be copied safely."""
    lines = bl_para.lines
    if len(lines) <= 1:
        return bl_para, frags
    if isinstance(lines, rl_paragraph.BidiList):
        return None
    if bl_para.kind == 0:
        copied = []
        for space, words in lines:
            if any(isinstance(word, rl_paragraph._SHYStr) for word in words):
                return None
            copied.append((space, [word if type(word) is str else type(word)(word) for word in words]))
        return bl_para.clone(lines=copied), frags
    if not isinstance(frags, list) or any(isinstance(word, rl_paragraph._SHYWord) for word in frags):
        return None
    # a split of several fonts reads the word list, not the lines, and marks only a hyphenated head in place
    head = rl_paragraph._SplitFragHY
    return bl_para, [type(word)(word) if isinstance(word, head) else word for word in frags]


def keep(paragraph: Any, width: float) -> None:
    """Store the wrap `paragraph` has just made at `width` (made from markup in `paragraph._source`) when it
    is the second of its kind."""
    key = (paragraph._source, id(paragraph.style), width)
    with _lock:
        if hash(key) not in _seen:  # a rare collision only stores a wrap no twin asks for
            if len(_seen) >= _MAX:
                _seen.clear()
            _seen.add(hash(key))
            return
    copied = _copy(paragraph.blPara, paragraph.frags)
    if copied is None:
        return
    entry = (paragraph.style, paragraph.width, list(paragraph._wrapWidths), *copied, paragraph.height,
             tuple(paragraph.__dict__.get(name) for name in _EXTRAS))
    with _lock:
        if len(_kept) >= _MAX:
            _kept.clear()
        _kept[key] = entry


def take(paragraph: Any, width: float) -> bool:
    """Give `paragraph` the wrap a twin made at `width`; False when there is none."""
    with _lock:
        entry = _kept.get((paragraph._source, id(paragraph.style), width))
    if entry is None or entry[0] is not paragraph.style:  # a style since collected, its id reused
        return False
    _style, paragraph.width, wrap_widths, bl_para, frags, paragraph.height, extras = entry
    copied = _copy(bl_para, frags)
    assert copied is not None  # stored only when it can be copied
    paragraph.blPara, paragraph.frags = copied
    paragraph._wrapWidths = list(wrap_widths)
    for name, value in zip(_EXTRAS, extras, strict=True):
        if value is not None:
            setattr(paragraph, name, value)
    return True


def forget() -> None:
    """Drop every stored wrap: at the end of each render (reports/build.py), so the app keeps none of an
    earlier report's text in memory."""
    with _lock:
        _kept.clear()
        _seen.clear()
