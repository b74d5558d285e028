"""Text drawn as glyph outlines (filled paths), for marks that must not become part of the document's text.

The DRAFT watermark is drawn this way: as real text, copying a page or running pdftotext would return
stray "DRAFT" fragments ("FT", "RA", "D") among the report's words. The outlines come straight from the
shipped TrueType font through fontTools, so the mark looks exactly like the font's glyphs.
"""

from __future__ import annotations

from functools import lru_cache

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont
from reportlab.pdfgen.canvas import Canvas

from workbench.reports.fonts import font_path

Point = tuple[float, float]
Operation = tuple[str, tuple[Point, ...]]


class _RecordingPen(BasePen):  # type: ignore[misc]  # fontTools has no type information
    """Records moveTo/lineTo/curveTo/close in font units, each offset by the pen's advance so far."""

    def __init__(self, glyph_set: object, offset: float) -> None:
        super().__init__(glyph_set)
        self.offset = offset
        self.operations: list[Operation] = []

    def _shift(self, *points: Point) -> tuple[Point, ...]:
        return tuple((x + self.offset, y) for x, y in points)

    def _moveTo(self, pt: Point) -> None:  # noqa: N802 - fontTools' pen protocol
        self.operations.append(("move", self._shift(pt)))

    def _lineTo(self, pt: Point) -> None:  # noqa: N802
        self.operations.append(("line", self._shift(pt)))

    def _curveToOne(self, pt1: Point, pt2: Point, pt3: Point) -> None:  # noqa: N802
        self.operations.append(("curve", self._shift(pt1, pt2, pt3)))

    def _closePath(self) -> None:  # noqa: N802
        self.operations.append(("close", ()))


@lru_cache(maxsize=8)
def text_outline(text: str, font_file: str) -> tuple[tuple[Operation, ...], float, float]:
    """(path operations, advance width, units per em) of `text` set in `font_file` (no kerning)."""
    font = TTFont(str(font_path(font_file)), lazy=True)
    glyph_set = font.getGlyphSet()
    cmap = font.getBestCmap()
    operations: list[Operation] = []
    advance = 0.0
    for char in text:
        name = cmap.get(ord(char), ".notdef")
        pen = _RecordingPen(glyph_set, advance)
        glyph_set[name].draw(pen)
        operations += pen.operations
        advance += glyph_set[name].width
    units = float(font["head"].unitsPerEm)
    font.close()
    return tuple(operations), advance, units


def draw_outlined_text(canvas: Canvas, text: str, font_file: str, size: float, x: float, y: float) -> None:
    """Fill `text` centred on x with its baseline at y, as paths in the canvas's current fill colour."""
    operations, advance, units = text_outline(text, font_file)
    scale = size / units
    path = canvas.beginPath()
    for kind, points in operations:
        coords = [(x + (px - advance / 2) * scale, y + py * scale) for px, py in points]
        if kind == "move":
            path.moveTo(*coords[0])
        elif kind == "line":
            path.lineTo(*coords[0])
        elif kind == "curve":
            path.curveTo(*coords[0], *coords[1], *coords[2])
        else:
            path.close()
    canvas.drawPath(path, stroke=0, fill=1, fillMode=0)  # non-zero winding, as TrueType glyphs are drawn
