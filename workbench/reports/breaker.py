"""reportlab's line breaking for paragraphs of several plain runs, without the work it does for nothing.

The findings register's text cells mix a bold title, a grey line and plain text joined by ``<br/>``, so
reportlab breaks them on its path for several fragments, which for every word compares the word's style
with the one before (``sameFrag``), asks again for the font's ascent, and adds up the spaces of the line so
far (``spaceShrinkage``: a line may be that much wider). `break_lines` makes the same lines from the same
word list (reportlab's own ``_getFragWords``) with the same arithmetic in the same order, but:

* a word in the very fragment of the one before has the same style, with no comparison;
* the spaces of the line are added up only for a word that overflows the line without them (the allowance
  is never negative, so a word that fits without it fits with it);
* the ascent, descent and size of a fragment are looked up once.

It answers None (and changes nothing) whenever a paragraph is not of that plain kind: a word wider than the
line (hyphenation or splitLongWords would cut it), soft hyphens, images, links, rise, underline or strike,
background colours, bidi or CJK wrapping, shaping, auto leading, bullets, a first line of another width, an
already broken (split) paragraph, or the word hyphenators not limited by `hyphenation.install`. The caller
then asks reportlab.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import paragraph as _paragraph_module
from reportlab.platypus.paraparser import ParaFrag

from workbench.reports import hyphenation

rl: Any = _paragraph_module  # reportlab's (unannotated) internals
_FK_TEXT: int = rl._FK_TEXT
_FK_BREAK: int = rl._FK_BREAK
# what the parser leaves on a fragment of <b>, <i>, <font color> and <br/> markup (plus the kind the word
# splitter adds); anything else (a link, an image, a background, nobr, ...) goes to reportlab
_PLAIN_KEYS = frozenset(("rise", "greek", "link", "fontName", "bold", "italic", "fontSize", "textColor", "us_lines",
                         "__tag__", "text", "lineBreak", "_fkind"))


def _plain(paragraph: Any, width: Any) -> float | None:
    """The one line width when `paragraph` is of the plain kind this module breaks, else None."""
    frags = paragraph.frags
    if len(frags) < 2:  # one run (most cells): reportlab's own path for a single fragment is quick
        return None
    style = paragraph.style
    widths = width if isinstance(width, (tuple, list)) else [width]
    if not widths or any(w != widths[0] for w in widths):
        return None
    if paragraph.bulletText or style.wordWrap or style.shaping or style.endDots or style.embeddedHyphenation > 1 \
            or not hyphenation.installed():
        return None
    if getattr(paragraph, "autoLeading", getattr(style, "autoLeading", "")) not in ("", "off"):
        return None
    for frag in frags:
        if type(frag) is not ParaFrag:
            return None
        fdict = frag.__dict__
        if not _PLAIN_KEYS.issuperset(fdict) or fdict.get("rise") or fdict.get("link") or fdict.get("us_lines"):
            return None
        text = fdict.get("text")
        if type(text) is not str or "\xad" in text:
            return None
    return widths[0]  # type: ignore[no-any-return]  # the very value reportlab would use


def _allowance(words: list[Any], space_width: float, shrinkage: float) -> float:
    """How much wider than the line its words may run: reportlab's ``spaceShrinkage`` share of the spaces
    in it (and of the one before the next word), added up in reportlab's order."""
    shrink = space_width
    for wi in words:
        if wi._fkind == _FK_TEXT:
            ns = wi.text.count(" ")
            if ns:
                shrink += ns * rl.stringWidth(" ", wi.fontName, wi.fontSize)
    return shrink * shrinkage


def _end_with_space(words: list[Any]) -> None:
    """Give the last text fragment of a line its trailing space before a fragment of another style."""
    i = len(words) - 1
    while i >= 0:
        wi = words[i]
        i -= 1
        if wi._fkind == _FK_TEXT:
            if not wi.text.endswith(" "):
                wi.text += " "
            break


def _pieces(w: list[Any], words: list[Any], max_size: float, max_ascent: float,
            min_descent: float) -> tuple[Any, Any, int, float, float, float]:
    """Add the pieces of a word after its first (a word with a style change inside) to the line: (the
    last piece's fragment, the fragment it was cloned from, whether any had text, the line's size, ascent
    and descent so far)."""
    ni = 0
    g: Any = None
    for piece in w[2:]:
        g = piece[0].clone()
        g.text = piece[1]
        if g.text:
            ni = 1
        words.append(g)
        font_size = g.fontSize
        ascent, descent = rl.getAscentDescent(g.fontName, font_size)
        max_size = max(max_size, font_size)
        max_ascent = max(max_ascent, ascent)
        min_descent = min(min_descent, descent)
    return g, w[-1][0], ni, max_size, max_ascent, min_descent


def _plain_words(paragraph: Any, max_width: float) -> list[Any] | None:
    """reportlab's word list of the paragraph (``_getFragWords``), or None when a word is not plain: soft
    hyphens, or wider than the line (hyphenation or splitLongWords would cut it: reportlab's business)."""
    all_words: list[Any] = rl._getFragWords(paragraph.frags, max_width)
    for w in all_words:
        if type(w) is not list and type(w) is not rl._HSFrag or w[0] > max_width:
            return None
    return all_words


def _fold(frag: Any, max_size: float, max_ascent: float, min_descent: float) -> tuple[float, float, float]:
    """The line's size, ascent and descent with a fragment's (max() and min() keep the first of equals)."""
    ascent, descent = rl.getAscentDescent(frag.fontName, frag.fontSize)
    return max(max_size, frag.fontSize), max(max_ascent, ascent), min(min_descent, descent)


def _join(g: Any, text: str, space_width: float) -> None:
    """Add a word of the same style to the line's last fragment, after a space when one follows the word
    before."""
    if space_width and not g.text.endswith(" "):
        g.text += " " + text
    else:
        g.text += text


def break_lines(paragraph: Any, width: Any) -> Any | None:
    """What reportlab's Paragraph.breakLines(width) returns (and leaves on `paragraph`), or None (nothing
    changed) when the paragraph is not of the plain kind. The steps and names follow reportlab's loop."""
    max_width = _plain(paragraph, width)
    all_words = None if max_width is None else _plain_words(paragraph, max_width)
    if max_width is None or all_words is None:
        return None
    style = paragraph.style
    string_width, ascent_descent, same_frag = rl.stringWidth, rl.getAscentDescent, rl.sameFrag
    frag_line, hs_frag = rl.FragLine, rl._HSFrag
    shrinkage = style.spaceShrinkage
    njlbv = not style.justifyBreaks
    lines: list[Any] = []
    width_max: float = 0
    words: list[Any] = []
    g: Any = None  # the line's last fragment
    source: Any = None  # the fragment `g` was cloned from
    n = s_fw = 0
    space_width = current_width = max_size = max_ascent = min_descent = 0.0
    spaces: dict[tuple[str, float], float] = {}  # the width of a space in a font and size
    for count, w in enumerate(all_words, 1):  # count: len(FW) in reportlab's loop
        last = w[-1][0]
        font_name, font_size = last.fontName, last.fontSize
        if not words:
            n = 0
            space_width = current_width = 0
            max_size = font_size
            max_ascent, min_descent = ascent_descent(font_name, font_size)
        word_width = w[0]
        f = w[1][0]
        new_width = current_width + space_width + word_width if word_width > 0 else current_width
        line_break = f._fkind == _FK_BREAK
        # the allowance for the line's spaces is never negative: a word that fits without it fits with it
        if not line_break and (new_width <= max_width or n <= 0
                               or new_width <= max_width + _allowance(words, space_width, shrinkage)):
            n_text = w[1][1]
            n += 1 if n_text else 0
            font_size = f.fontSize
            if f is not (source if words else last):  # else its size and ascent are counted already
                max_size, max_ascent, min_descent = _fold(f, max_size, max_ascent, min_descent)
            if not words:
                g = f.clone()
                words = [g]
                g.text = n_text
                source = f
            elif f is not source and not same_frag(g, f):
                if space_width:
                    _end_with_space(words)
                g = f.clone()
                words.append(g)
                g.text = n_text
                source = f
            else:
                _join(g, n_text, space_width)
            if type(w) is hs_frag:
                key = (font_name, font_size)
                space_width = spaces.get(key) or spaces.setdefault(key, string_width(" ", font_name, font_size))
            else:
                space_width = 0
            if len(w) > 2:
                g, source, ni, max_size, max_ascent, min_descent = _pieces(w, words, max_size, max_ascent,
                                                                            min_descent)
                n += 1 if not n_text and ni else 0
            current_width = new_width
            continue
        width_max = max(width_max, current_width)  # max() keeps the first of equals, as reportlab's `>`
        lines.append(frag_line(extraSpace=max_width - current_width, wordCount=n, lineBreak=line_break and njlbv,
                               words=words, fontSize=max_size, ascent=max_ascent, descent=min_descent,
                               maxWidth=max_width, sFW=s_fw))
        s_fw = count - 1
        if line_break:
            words.append(f.clone())  # the line's own list: the <br/> ends it
            words = []
            continue
        space_width = string_width(" ", font_name, font_size) if type(w) is hs_frag else 0
        current_width = word_width
        n = 1
        g = f.clone()
        source = f
        max_size = g.fontSize
        max_ascent, min_descent = ascent_descent(g.fontName, max_size)
        words = [g]
        g.text = w[1][1]
        if len(w) > 2:
            g, source, _ni, max_size, max_ascent, min_descent = _pieces(w, words, max_size, max_ascent,
                                                                         min_descent)
    if words:
        width_max = max(width_max, current_width)
        lines.append(frag_line(extraSpace=max_width - current_width, wordCount=n, lineBreak=False, words=words,
                               fontSize=max_size, ascent=max_ascent, descent=min_descent, maxWidth=max_width,
                               sFW=s_fw))
    paragraph._width_max = width_max
    paragraph.height = 0
    paragraph._splitLongWordCount = paragraph._hyphenations = 0
    paragraph.frags = all_words
    return rl.ParaLines(kind=1, lines=lines)
