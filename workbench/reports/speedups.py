"""Two ways reportlab spends time on a long report for nothing; the output stays byte for byte the same.

* `FastParagraph` parses its markup through a cache of *shapes*. reportlab parses each Paragraph with
  an HTMLParser (about a quarter of a 1,000-finding report's time), yet the report's markup comes in a
  few shapes: the same tags around different text. A shape is the markup with every run of text between
  tags and entities replaced by a numbered marker. The first paragraph of a shape (per font, size and
  colour) is parsed by reportlab itself; later ones copy its fragments and put their own text back in.
  Only plain shapes take this path (``<b> <i> <br/> <font>`` and entities); anything else, and anything
  that does not look like well-formed markup, is parsed by reportlab as before.
* `install()` swaps the line breaker's ``sameFrag`` for reportlab's own pure-Python version: the C one
  of the rl_accel package (installed for its much faster string widths) takes about 16 µs a call
  against 3 µs, and a 1,000-finding report makes some 76,000 calls.
* `install()` also gives the line breaker remembered string widths and font ascents: the 5,000-finding
  report asks for 1.3 million widths of words that mostly recur ("the", "model", a space) and 600,000
  ascents of three fonts, each through two Python calls (about 1 µs) where a dictionary answers in 0.15 µs.
  The values are reportlab's own, so the lines break where they did.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import paragraph as _paragraph_module
from reportlab.platypus.paragraph import Paragraph, cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag, ParaParser

from workbench.reports import breaker

# reportlab internals that types-reportlab leaves out, typed here once
rl_paragraph: Any = _paragraph_module
textTransformFrags: Callable[[list[ParaFrag], Any], None] = rl_paragraph.textTransformFrags
_paragraph_setup: Callable[..., None] = rl_paragraph.Paragraph._setup

_PIECES = re.compile(r"(<[^<>&]*>|&#?\w+;)")
_ALLOWED_TAG = re.compile(r"</?(?:b|i|font)(?:\s[^<>]*)?>|<br\s*/>$")
_MARKER = re.compile("\ue000(\\d+)\ue001")
_MAX_SHAPES = 4096
_ONE_RUN = "\ue0000\ue001"  # the shape of plain text
_shapes: dict[tuple[object, ...], list[tuple[ParaFrag, int | tuple[str | int, ...] | None]]] = {}
_lock = threading.Lock()  # the GUI renders in a worker thread


def _style_key(style: Any) -> tuple[object, ...]:
    """What reportlab's parser takes from a style for these tags (see ParaParser._initial_frag)."""
    colour = style.textColor
    return (style.fontName, style.fontSize, None if colour is None else colour.rgba(), style.textTransform)


def _shape(text: str) -> tuple[str, list[str]] | None:
    """(markup with numbered markers for the text runs, the runs), or None when not a plain shape."""
    if "<" not in text and "&" not in text:  # plain text (most cells): one run, or none
        return (_ONE_RUN, [text]) if text else ("", [])
    pieces = _PIECES.split(text)
    runs: list[str] = []
    for index in range(1, len(pieces), 2):
        piece = pieces[index]
        if piece[0] == "<" and not _ALLOWED_TAG.match(piece):
            return None
    for index in range(0, len(pieces), 2):
        run = pieces[index]
        if "<" in run or "&" in run:
            return None  # a stray markup character: leave the judgement to reportlab's parser
        if run:
            pieces[index] = f"\ue000{len(runs)}\ue001"
            runs.append(run)
    return "".join(pieces), runs


def parse_frags(text: str, style: Any) -> list[ParaFrag] | None:
    """The fragments reportlab's parser makes of `text` (already cleaned), or None to let it parse."""
    if "\ue000" in text or "\ue001" in text or text.startswith("<para"):
        return None
    shaped = _shape(text)
    if shaped is None:
        return None
    shape, runs = shaped
    key = (shape, *_style_key(style))
    with _lock:
        shaped_frags = _shapes.get(key)
    if shaped_frags is None:
        _style, template, bullets = ParaParser(caseSensitive=1).parse(shape, style)
        if template is None or bullets:
            return None  # a parse error: reportlab raises it with its own message on the normal path
        textTransformFrags(template, style)
        shaped_frags = [(frag, _plan(frag.__dict__.get("text"))) for frag in template]
        with _lock:
            if len(_shapes) >= _MAX_SHAPES:
                _shapes.clear()
            _shapes[key] = shaped_frags
    frags = []
    for frag, plan in shaped_frags:
        copy = ParaFrag.__new__(ParaFrag)
        copy.__dict__.update(frag.__dict__)
        if plan is not None:
            copy.text = runs[plan] if isinstance(plan, int) else "".join(
                [runs[piece] if isinstance(piece, int) else piece for piece in plan])
        frags.append(copy)
    return frags


def _plan(marked: str | None) -> int | tuple[str | int, ...] | None:
    """How a fragment's text is put back together from a paragraph's runs: the run's number when the text is
    one marker (the usual case), else its literal pieces and run numbers in order; None: no markers to fill."""
    if not marked:
        return None
    pieces = _MARKER.split(marked)  # literal, number, literal, ..., literal
    if len(pieces) == 3 and not pieces[0] and not pieces[2]:
        return int(pieces[1])
    plan = tuple(int(piece) if index % 2 else piece for index, piece in enumerate(pieces) if index % 2 or piece)
    return plan if len(pieces) > 1 else None


class FastParagraph(Paragraph):
    """A Paragraph whose markup is parsed through the shape cache (see the module docstring)."""

    def _setup(self, text: str, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:  # noqa: N803
        if frags is None and not bulletText and cleaner is cleanBlockQuotedText and style is not None \
                and not getattr(style, "textTransform", None):
            cleaned = cleaner(text)
            frags = parse_frags(cleaned, style)
            if frags is not None:
                text, cleaner = cleaned, None
        _paragraph_setup(self, text, style, bulletText, frags, cleaner)

    def breakLines(self, width: Any) -> Any:  # noqa: N802
        """reportlab's lines, made by `breaker` when the paragraph is of the plain kind it handles."""
        lines = breaker.break_lines(self, width)
        return lines if lines is not None else super().breakLines(width)


def _same_frag(f: Any, g: Any, _cmp: tuple[str, ...] = ("fontName", "fontSize", "textColor", "rise", "us_lines",
                                                         "link", "backColor", "nobr")) -> bool:
    """reportlab's own pure-Python sameFrag (reportlab.lib.rl_accel): the same answer, compared attribute by
    attribute as list equality compares items (identical, or equal), stopping at the first that differs."""
    fdict, gdict = f.__dict__, g.__dict__
    if "cbDefn" in fdict or "lineBreak" in fdict or "cbDefn" in gdict or "lineBreak" in gdict:
        return False
    fg, gg = fdict.get, gdict.get
    for key in _cmp:
        a, b = fg(key), gg(key)
        if a is not b and a != b:
            return False
    return True


_MAX_WIDTHS = 200_000
_widths: dict[tuple[str, str, float], float] = {}
_ascents: dict[tuple[str, float | None], tuple[float, float]] = {}


def _string_width(text: str, fontName: str, fontSize: float, encoding: str = "utf8") -> float:  # noqa: N803
    """pdfmetrics.stringWidth, remembered (fonts are registered once under a name and never change)."""
    key = (text, fontName, fontSize)
    width = _widths.get(key)
    if width is None:
        if len(_widths) >= _MAX_WIDTHS:
            _widths.clear()
        width = _widths[key] = pdfmetrics.stringWidth(text, fontName, fontSize, encoding)
    return width


def _ascent_descent(fontName: str, fontSize: float | None = None) -> tuple[float, float]:  # noqa: N803
    """pdfmetrics.getAscentDescent, remembered."""
    key = (fontName, fontSize)
    found = _ascents.get(key)
    if found is None:
        ascent, descent = pdfmetrics.getAscentDescent(fontName, fontSize)
        found = _ascents[key] = (ascent, descent)
    return found


def install() -> None:
    """Use the faster sameFrag and remembered string widths and ascents in reportlab's line breaking
    (idempotent)."""
    rl_paragraph.sameFrag = _same_frag
    rl_paragraph.stringWidth = _string_width
    rl_paragraph.getAscentDescent = _ascent_descent
