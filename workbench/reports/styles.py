"""Paragraph and table styles of the deliverables; the accent colour comes from the firm's branding.

One type scale (body 9 pt on 13 pt leading, tables 7.6 pt), one grey ramp, and the severity colours of
workbench.charts.palette, so a severity looks the same in the tables, the charts and the GUI. Every style
names a DejaVu font (fonts.py), so no page falls back to a non-embedded Helvetica.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import TableStyle

from workbench.charts import palette
from workbench.charts.heatmap import zone_for
from workbench.reports import fonts, hyphenation
from workbench.reports.data import Branding

INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#5A5F66")
FAINT = colors.HexColor("#8A9099")
RULE = colors.HexColor("#D5D9E0")
ZEBRA = colors.HexColor("#F4F6F9")
PANEL = colors.HexColor("#EEF1F5")
WHITE = colors.white

HYPHENATION = hyphenation.ENGLISH  # pyphen's dictionary for breaking the report's words across lines
PAGE_MARGIN_X = 20 * mm
PAGE_MARGIN_TOP = 24 * mm
PAGE_MARGIN_BOTTOM = 22 * mm
PAGE_SIZE = A4


def frame_width() -> float:
    """The width of the story's frame: the page between its side margins."""
    return PAGE_SIZE[0] - 2 * PAGE_MARGIN_X


def body_height() -> float:
    """The height of the story's frame: the page between its top and bottom margins."""
    return PAGE_SIZE[1] - PAGE_MARGIN_TOP - PAGE_MARGIN_BOTTOM


@lru_cache(maxsize=512)
def hex_colour(value: str) -> colors.Color:
    """The colour of "#RRGGBB" (or "RRGGBB"); one object per value, shared (nothing changes a colour in place), so
    the thousands of severity cells of a long register do not parse their fill twice each."""
    return colors.HexColor(value if value.startswith("#") else f"#{value}")


def tint(colour: colors.Color, amount: float) -> colors.Color:
    """`colour` mixed with white: amount 0 = colour, 1 = white."""
    return colors.Color(colour.red + (1 - colour.red) * amount, colour.green + (1 - colour.green) * amount,
                        colour.blue + (1 - colour.blue) * amount)


def ink_for(fill: colors.Color) -> colors.Color:
    """Black or white text, whichever reads better on `fill`."""
    return hex_colour(palette.ink_on("#" + fill.hexval()[2:].rjust(6, "0")))


def severity_fill(severity: str) -> colors.Color:
    return hex_colour(palette.severity_colour(severity))


def severity_ink(severity: str) -> colors.Color:
    return hex_colour(palette.severity_text_colour(severity))


def risk_fill(likelihood: int, impact: int) -> tuple[colors.Color, colors.Color]:
    """Fill and text colour of a risk's zone (by L × I), as in the heat map."""
    _name, fill = zone_for(likelihood, impact)
    return hex_colour(fill), hex_colour(palette.ink_on(fill))


VERDICT_FILL = {name: hex_colour(value) for name, value in palette.VERDICT_HEX.items()}
ANSWER_FILL = {"yes": hex_colour(palette.OKABE_ITO["bluish_green"]), "partial": hex_colour(palette.OKABE_ITO["orange"]),
               "no": hex_colour(palette.OKABE_ITO["vermillion"]), "na": colors.HexColor("#BBBBBB"),
               "unanswered": colors.HexColor("#DDDDDD")}


def answer_fill(answer: str, score: float | None) -> colors.Color:
    """A checklist answer's fill by its declared score (palette.answer_key), on any scale."""
    return hex_colour(palette.ANSWER_HEX[palette.answer_key(answer, score)])


STATUS_FILL = {"met": ANSWER_FILL["yes"], "ok": ANSWER_FILL["yes"], "partial": ANSWER_FILL["partial"],
               "warning": ANSWER_FILL["partial"], "gap": ANSWER_FILL["no"], "missing": ANSWER_FILL["no"]}


@dataclass(frozen=True)
class Styles:
    """The styles of one report (one branding)."""

    accent: colors.Color
    accent_light: colors.Color
    body: ParagraphStyle
    body_muted: ParagraphStyle
    small: ParagraphStyle
    lead: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    kicker: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    cell_center: ParagraphStyle
    cell_mono: ParagraphStyle
    cell_muted: ParagraphStyle
    head: ParagraphStyle
    head_right: ParagraphStyle
    caption: ParagraphStyle
    empty: ParagraphStyle
    bullet: ParagraphStyle
    toc: tuple[ParagraphStyle, ...]
    cover_title: ParagraphStyle
    cover_subtitle: ParagraphStyle
    cover_label: ParagraphStyle
    cover_value: ParagraphStyle
    big_number: ParagraphStyle
    header_text: ParagraphStyle
    header_right: ParagraphStyle
    footer_text: ParagraphStyle

    pills: dict[tuple[str, str], ParagraphStyle] = field(default_factory=dict, compare=False, repr=False)

    def pill(self, fill: colors.Color, ink: colors.Color = WHITE) -> ParagraphStyle:
        """A centred bold cell style for a coloured status cell; one per colour pair, so that the thousands of
        severity cells of a long register share it (and their line breaks: reports/wraps.py)."""
        key = (fill.hexvala(), ink.hexvala())
        style = self.pills.get(key)
        if style is None:
            style = self.pills[key] = ParagraphStyle(f"pill-{fill.hexval()}", parent=self.cell_center,
                                                     fontName=fonts.SANS_BOLD, textColor=ink)
        return style


def make_styles(branding: Branding) -> Styles:
    fonts.register_fonts()
    accent = hex_colour(branding.accent)

    def style(name: str, **kwargs: object) -> ParagraphStyle:
        base: dict[str, object] = {"fontName": fonts.SANS, "bulletFontName": fonts.SANS, "fontSize": 9, "leading": 13,
                                   "textColor": INK,
                                   "splitLongWords": 1, "allowWidows": 0, "allowOrphans": 0,
                                   # a word too wide for its column breaks at a syllable with a hyphen, or at a
                                   # hyphen it has ("drift-|detector"), before splitLongWords cuts it anywhere
                                   "hyphenationLang": HYPHENATION, "embeddedHyphenation": 1,
                                   "uriWasteReduce": 0.3}
        base.update(kwargs)
        return ParagraphStyle(name, **base)  # type: ignore[arg-type]

    cell = style("cell", fontSize=7.6, leading=10)
    return Styles(
        accent=accent,
        accent_light=tint(accent, 0.9),
        body=style("body", spaceAfter=5),
        body_muted=style("body-muted", textColor=MUTED, spaceAfter=5),
        small=style("small", fontSize=7.6, leading=10, textColor=MUTED),
        lead=style("lead", fontSize=10.5, leading=15, spaceAfter=8),
        # headings keep room below them with document.KeepRoom, not keepWithNext (see there)
        h1=style("h1", fontName=fonts.SANS_BOLD, fontSize=17, leading=21, textColor=accent, spaceBefore=10,
                 spaceAfter=10),
        h2=style("h2", fontName=fonts.SANS_BOLD, fontSize=12, leading=16, textColor=accent, spaceBefore=12,
                 spaceAfter=6),
        h3=style("h3", fontName=fonts.SANS_BOLD, fontSize=9.6, leading=13, spaceBefore=8, spaceAfter=4),
        kicker=style("kicker", fontName=fonts.SANS_BOLD, fontSize=7.6, leading=10, textColor=MUTED,
                     spaceAfter=2, keepWithNext=1),
        cell=cell,
        cell_bold=ParagraphStyle("cell-bold", parent=cell, fontName=fonts.SANS_BOLD),
        cell_right=ParagraphStyle("cell-right", parent=cell, alignment=TA_RIGHT),
        cell_center=ParagraphStyle("cell-center", parent=cell, alignment=TA_CENTER),
        cell_mono=ParagraphStyle("cell-mono", parent=cell, fontName=fonts.MONO, fontSize=6.9, leading=9.5),
        cell_muted=ParagraphStyle("cell-muted", parent=cell, textColor=MUTED),
        head=ParagraphStyle("head", parent=cell, fontName=fonts.SANS_BOLD, textColor=WHITE),
        head_right=ParagraphStyle("head-right", parent=cell, fontName=fonts.SANS_BOLD, textColor=WHITE,
                                  alignment=TA_RIGHT),
        caption=style("caption", fontSize=7.6, leading=10, textColor=MUTED, spaceBefore=2, spaceAfter=8),
        empty=style("empty", textColor=MUTED, fontName=fonts.SANS_ITALIC, spaceAfter=6),
        bullet=style("bullet", leftIndent=11, bulletIndent=1, spaceAfter=3),
        toc=(
            style("toc1", fontName=fonts.SANS_BOLD, fontSize=9.4, leading=12.5, spaceBefore=3, leftIndent=0,
                  firstLineIndent=0),
            style("toc2", fontSize=8.2, leading=10.5, leftIndent=14, firstLineIndent=0, textColor=MUTED),
        ),
        cover_title=style("cover-title", fontName=fonts.SANS_BOLD, fontSize=26, leading=31, textColor=accent,
                          spaceAfter=8),
        cover_subtitle=style("cover-subtitle", fontSize=13, leading=18, textColor=INK, spaceAfter=4),
        cover_label=style("cover-label", fontName=fonts.SANS_BOLD, fontSize=7.6, leading=10, textColor=MUTED),
        cover_value=style("cover-value", fontSize=9.6, leading=13),
        big_number=style("big-number", fontName=fonts.SANS_BOLD, fontSize=26, leading=30, textColor=accent,
                         alignment=TA_LEFT),
        header_text=style("header", fontSize=7.4, leading=9, textColor=MUTED),
        header_right=style("header-right", fontSize=7.4, leading=9, textColor=MUTED, alignment=TA_RIGHT),
        footer_text=style("footer", fontSize=7.4, leading=9, textColor=MUTED),
    )


# one TableStyle command: ("NAME", (col, row), (col, row), *arguments); reportlab's stubs spell out every shape
TableCommand = tuple[Any, ...]


def layout_style(*commands: TableCommand) -> TableStyle:
    """A table used only to place things side by side (no rules, no padding unless asked).

    It names the embedded font too: a table cell without a FONT command falls back to Helvetica, which
    would then be referenced (and not embedded) by the PDF even though no text is set in it.
    """
    return TableStyle([("FONT", (0, 0), (-1, -1), fonts.SANS, 7.6), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                       ("RIGHTPADDING", (0, 0), (-1, -1), 0), *commands])


def table_style(accent: colors.Color, *, header_rows: int = 1, zebra: bool = True,
                extra: list[TableCommand] | None = None) -> TableStyle:
    """The house table: accent header row, hairline rules, light zebra stripes, top-aligned cells."""
    commands: list[TableCommand] = [
        ("FONT", (0, 0), (-1, -1), fonts.SANS, 7.6),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), accent),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "BOTTOM"),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, accent),
        ]
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [WHITE, ZEBRA]))
    if extra:
        commands += extra
    return TableStyle(commands)
