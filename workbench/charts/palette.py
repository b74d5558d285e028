"""Colours, fonts and the shared look of every chart.

The palette is Okabe–Ito (safe for the common colour-vision deficiencies). The severity colours also get
lighter from Critical to Info, so they stay in order when a report is printed in black and white; the hex
strings are what the Qt tables use to colour severity cells.

Nothing here touches matplotlib's global rcParams: the GUI and the report renderer share one process, so
every builder styles the artists it creates (`apply_style`, `finish`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal

from workbench.domain.risk_zones import RISK_ZONES as DOMAIN_RISK_ZONES

if TYPE_CHECKING:  # matplotlib loads in ~0.5 s: the colours are needed at start-up, the charts later
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FONT = "DejaVu Sans"  # ships with matplotlib, so charts look the same on every machine
TITLE_SIZE = 11.0
LABEL_SIZE = 9.0
TICK_SIZE = 8.0
SMALL_SIZE = 7.0
MESSAGE_SIZE = 12.0

OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
#: Colours for categorical series (phases, data series), in the order they should be used.
CATEGORICAL: tuple[str, ...] = (
    OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["bluish_green"], OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"], OKABE_ITO["vermillion"], OKABE_ITO["yellow"], "#999999",
)

SEVERITY_ORDER: tuple[str, ...] = ("Critical", "High", "Medium", "Low", "Info")
#: Fill colour per severity. Luminance rises from Critical to Info (about 70, 119, 163, 187, 221 of 255).
SEVERITY_HEX: dict[str, str] = {
    "Critical": "#882255",  # wine
    "High": "#D55E00",      # vermillion
    "Medium": "#E69F00",    # orange
    "Low": "#88CCEE",       # light cyan
    "Info": "#DDDDDD",      # pale grey
}
#: Readable text colour on top of each severity fill (for table cells and bar labels).
SEVERITY_TEXT_HEX: dict[str, str] = {
    "Critical": "#FFFFFF", "High": "#000000", "Medium": "#000000", "Low": "#000000", "Info": "#000000",
}
#: Hatch per severity, so stacked bars can be told apart on a monochrome printout as well.
SEVERITY_HATCH: dict[str, str] = {"Critical": "xxx", "High": "///", "Medium": "", "Low": "...", "Info": ""}

#: Risk-matrix zones by score L×I: (name, lowest score, highest score, colour); names and ranges from domain.
RISK_ZONE_HEX: dict[str, str] = {"Low": SEVERITY_HEX["Low"], "Medium": SEVERITY_HEX["Medium"],
                                 "High": SEVERITY_HEX["High"], "Critical": SEVERITY_HEX["Critical"]}
RISK_ZONES: tuple[tuple[str, int, int, str], ...] = tuple(
    (name, low, high, RISK_ZONE_HEX[name]) for name, low, high in DOMAIN_RISK_ZONES)

#: Maturity bands, lowest first (the gauge cycles through these when a framework has other bands): a
#: yellow-green-blue ramp whose CIE lightness falls by 14-22 per band (90, 75, 61, 39, 20), so the bands stay
#: apart in greyscale and for every common colour-vision deficiency.
BAND_COLOURS: tuple[str, ...] = ("#D0EDB3", "#73C8BD", "#2A9EC1", "#225AA6", "#162874")
VERDICT_HEX: dict[str, str] = {"Go": OKABE_ITO["bluish_green"], "Conditional Go": OKABE_ITO["orange"],
                               "No-Go": OKABE_ITO["vermillion"]}

#: A checklist answer's fill by its declared score: met in full, part met, not met; n/a grey, a recorded need
#: (an unscored option such as Required) sky blue, unanswered pale grey.
ANSWER_HEX: dict[str, str] = {"met": OKABE_ITO["bluish_green"], "part": OKABE_ITO["orange"],
                              "not": OKABE_ITO["vermillion"], "na": "#BBBBBB", "need": OKABE_ITO["sky_blue"],
                              "unanswered": "#DDDDDD"}


def answer_key(answer: str, score: float | None) -> str:
    """Which of ANSWER_HEX an answer takes (yes → met, partial → part, Basic of three → part, Required → need)."""
    if answer in ("na", "unanswered"):
        return answer
    if score is None:
        return "need"
    return "met" if score >= 1 else ("not" if score <= 0 else "part")


CURRENT_COLOUR = OKABE_ITO["blue"]
TARGET_COLOUR = OKABE_ITO["orange"]
PREVIOUS_COLOUR = "#8C8C8C"
UP_COLOUR = OKABE_ITO["bluish_green"]
DOWN_COLOUR = OKABE_ITO["vermillion"]

LIGHT_TEXT = "#1A1A1A"
DARK_TEXT = "#E8E8E8"
LIGHT_MUTED = "#5A5A5A"
DARK_MUTED = "#B0B0B0"
LIGHT_GRID = "#D0D0D0"
DARK_BACKGROUND = "#2B2B2B"  # the window a transparent dark chart sits on (ui/appearance.py's dark Window)
DARK_GRID = "#5C5C5C"


def current_colour(dark: bool) -> str:
    """The "current" series: Okabe–Ito blue on white, the lighter sky blue on a dark background."""
    return OKABE_ITO["sky_blue"] if dark else CURRENT_COLOUR


def text_colour(dark: bool) -> str:
    return DARK_TEXT if dark else LIGHT_TEXT


def muted_colour(dark: bool) -> str:
    return DARK_MUTED if dark else LIGHT_MUTED


def grid_colour(dark: bool) -> str:
    return DARK_GRID if dark else LIGHT_GRID


def severity_key(name: object) -> str | None:
    """The canonical severity for a label in any case ("critical" → "Critical"), or None."""
    text = str(name).strip().lower()
    for severity in SEVERITY_ORDER:
        if severity.lower() == text:
            return severity
    return None


def severity_colour(name: object) -> str:
    """Fill colour for a severity label; unknown labels get a neutral grey."""
    key = severity_key(name)
    return SEVERITY_HEX[key] if key else "#999999"


def severity_text_colour(name: object) -> str:
    key = severity_key(name)
    return SEVERITY_TEXT_HEX[key] if key else "#000000"


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of '#RRGGBB' (0 black … 1 white)."""
    value = hex_colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #RRGGBB colour: {hex_colour}")
    channels = []
    for i in (0, 2, 4):
        c = int(value[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast_ratio(first_hex: str, second_hex: str) -> float:
    """WCAG 2 contrast ratio of two colours, 1 to 21 (text needs 4.5 at level AA, large text and UI parts 3)."""
    light, dark = sorted((relative_luminance(first_hex), relative_luminance(second_hex)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def blend(fill_hex: str, background_hex: str, alpha: float) -> str:
    """The colour `fill_hex` shows at `alpha` over `background_hex` ('#RRGGBB')."""
    fill, back = fill_hex.lstrip("#"), background_hex.lstrip("#")
    mixed = (round(alpha * int(fill[i:i + 2], 16) + (1 - alpha) * int(back[i:i + 2], 16)) for i in (0, 2, 4))
    return "#" + "".join(f"{value:02X}" for value in mixed)


def ink_on(fill_hex: str) -> str:
    """Black or white, whichever reads better on `fill_hex` (relative luminance, WCAG weights)."""
    try:
        luminance = relative_luminance(fill_hex)
    except ValueError:
        return "#000000"
    return "#000000" if luminance > 0.179 else "#FFFFFF"


def wrap_lines(text: str, width: int, *, break_words: bool = True) -> list[str]:
    """`text` wrapped at `width` characters, whole: charts never cut a label short."""
    return textwrap.wrap(" ".join(str(text).split()), width=max(4, width), break_long_words=break_words,
                         break_on_hyphens=False) or [""]


def wrap(text: str, width: int, max_lines: int = 3, *, break_words: bool = True) -> str:
    """Wrap `text` at `width` characters, widening the lines until it takes at most `max_lines` lines.

    A label is never cut off with an ellipsis: a name too long for the room gets longer lines (the layout
    makes room for them) rather than losing its end.
    """
    lines = wrap_lines(text, width, break_words=break_words)
    while len(lines) > max_lines:
        width = int(width * 1.25) + 1
        lines = wrap_lines(text, width, break_words=break_words)
    return "\n".join(lines)


def color_lightness(hex_colour: str) -> float:
    """CIE L* (0 black … 100 white) of a "#RRGGBB" colour: what is left of it on a greyscale printout."""
    value = hex_colour.lstrip("#")
    channels = []
    for i in (0, 2, 4):
        c = int(value[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    return 116 * luminance ** (1 / 3) - 16 if luminance > 0.008856 else 903.3 * luminance


def prepare(fig: Figure, dark: bool) -> None:
    """Start a chart: empty the figure and set its background (each builder places its axes: charts.layout)."""
    fig.clear()
    if dark:
        fig.patch.set_facecolor("none")
        fig.patch.set_alpha(0.0)
    else:
        fig.patch.set_facecolor("white")
        fig.patch.set_alpha(1.0)


def apply_style(fig: Figure, ax: Axes, dark: bool, *, grid: Literal["x", "y", "both"] | None = "x") -> None:
    """Consistent fonts, colours, spines and gridlines for one axes.

    `grid` is "x", "y", "both" or None.
    """
    ink, muted = text_colour(dark), muted_colour(dark)
    ax.set_facecolor("none" if dark else "white")
    ax.tick_params(axis="both", which="both", labelsize=TICK_SIZE, colors=muted, labelcolor=ink,
                   labelfontfamily=FONT)
    for side, spine in ax.spines.items():
        spine.set_color(grid_colour(dark))
        spine.set_visible(side in ("left", "bottom"))
    ax.xaxis.label.set(color=ink, fontsize=LABEL_SIZE, fontfamily=FONT)
    ax.yaxis.label.set(color=ink, fontsize=LABEL_SIZE, fontfamily=FONT)
    ax.title.set(color=ink, fontsize=TITLE_SIZE, fontfamily=FONT)
    if grid:
        ax.set_axisbelow(True)
        ax.grid(True, axis=grid, color=grid_colour(dark), linewidth=0.6, alpha=0.8)
    else:
        ax.grid(False)


def style_legend(legend: object, dark: bool) -> None:
    """Legend text and frame in the chart's colours (no-op for None)."""
    if legend is None:
        return
    frame = legend.get_frame()  # type: ignore[attr-defined]
    frame.set_facecolor("none" if dark else "white")
    frame.set_edgecolor(grid_colour(dark))
    frame.set_alpha(1.0 if not dark else 0.0)
    for text in legend.get_texts():  # type: ignore[attr-defined]
        text.set(color=text_colour(dark), fontsize=TICK_SIZE, fontfamily=FONT)
    title = legend.get_title()  # type: ignore[attr-defined]
    title.set(color=text_colour(dark), fontsize=TICK_SIZE, fontfamily=FONT)


def finish(fig: Figure) -> None:
    """Last step of every builder: one font family for every text the chart holds."""
    for artist in _texts(fig):
        artist.set_fontfamily(FONT)


def _texts(artist: Any) -> Iterator[Any]:
    """Every Text under `artist`. The axis of an axes drawn without axes (the gauge, a message) is skipped:
    asking it for its children would make ticks (about a millisecond each) that are never drawn."""
    from matplotlib.axis import Axis
    from matplotlib.text import Text

    if isinstance(artist, Text):
        yield artist
    if isinstance(artist, Axis) and artist.axes is not None and not artist.axes.axison:
        return
    for child in artist.get_children():
        yield from _texts(child)


def draw_message(fig: Figure, message: str, dark: bool, detail: str | None = None) -> Axes:
    """An empty-state chart: one axes without ticks and a centred message. Returns that axes."""
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_gid("message")
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.text(0.5, 0.55 if detail else 0.5, message, ha="center", va="center", fontsize=MESSAGE_SIZE,
            color=muted_colour(dark), fontfamily=FONT, transform=ax.transAxes)
    if detail:
        ax.text(0.5, 0.42, detail, ha="center", va="center", fontsize=LABEL_SIZE, color=muted_colour(dark),
                fontfamily=FONT, transform=ax.transAxes, wrap=True)
    finish(fig)
    return ax


def counts_in_order(counts: Mapping[str, int]) -> dict[str, int]:
    """Counts keyed by canonical severity in SEVERITY_ORDER, then any other labels as given."""
    ordered: dict[str, int] = dict.fromkeys(SEVERITY_ORDER, 0)
    extra: dict[str, int] = {}
    for name, value in counts.items():
        key = severity_key(name)
        amount = max(0, int(value or 0))
        if key:
            ordered[key] += amount
        else:
            extra[str(name)] = extra.get(str(name), 0) + amount
    ordered.update(extra)
    return ordered
