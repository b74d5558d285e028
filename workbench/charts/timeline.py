"""Roadmap timeline: activities grouped by phase, dated ones as bars (or diamonds for a single date).

Each phase starts with a header row whose thin bar spans the phase's dated activities. Activities without
dates keep their place in their phase and say "not scheduled"; a caption counts them. Labels are wrapped
whole, each row as tall as its label; a name too long for MAX_LABEL_LINES lines is labelled by its position
in the roadmap ("Activity 3", the report table's "#" column), so no label is ever cut short.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not to describe one
    from matplotlib.figure import Figure

from workbench.charts import layout as L
from workbench.charts import palette as P


@dataclass(frozen=True)
class TimelineData:
    """`items`: (phase, activity, start ISO date or None, end ISO date or None), in roadmap order."""

    items: tuple[tuple[str, str, str | None, str | None], ...] = ()


def parse_date(raw: object) -> dt.date | None:
    """An ISO date ("2026-03-01", or the date part of a timestamp); anything else is None."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw or "").strip()[:10]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _date_formatter() -> Any:
    """The formatter class (made on first use: it subclasses one of matplotlib's)."""
    from matplotlib import dates as mdates

    class DateFormatter(mdates.ConciseDateFormatter):
        """Concise dates, but the first tick always says which year it is (Concise only marks Januaries).

        matplotlib.dates is not annotated: the inherited methods are untyped calls.
        """

        def format_ticks(self, values: list[float]) -> list[str]:
            labels = list(super().format_ticks(values))  # type: ignore[no-untyped-call]
            if labels and not self.get_offset() and not labels[0].strip().isdigit():  # type: ignore[no-untyped-call]
                labels[0] = f"{labels[0]}\n{mdates.num2date(values[0]).year}"
            return labels

    return DateFormatter


Activity = tuple[int, str, dt.date | None, dt.date | None]  # (1-based position in the data, name, start, end)
MAX_LABEL_LINES = 6  # an activity whose name needs more lines is labelled by its position instead
LINE_PT = 12.5  # points per row unit a report gives the chart (timeline_height)
UNITS_PER_LINE = 0.8  # a row is max(1, lines × this) units tall: wrapped lines sit closer than rows


def _rows(data: TimelineData) -> list[tuple[str, list[Activity]]]:
    phases: dict[str, list[Activity]] = {}
    for number, (phase, activity, start_raw, end_raw) in enumerate(data.items, start=1):
        start, end = parse_date(start_raw), parse_date(end_raw)
        if start and end and end < start:
            start, end = end, start
        phases.setdefault(str(phase or "").strip() or "(no phase)", []).append((number, str(activity), start, end))
    ordered = []
    for phase, activities in phases.items():
        # dated activities by start, then undated ones, each keeping the given order among equals
        activities.sort(key=lambda a: (a[2] or a[3] or dt.date.max))
        ordered.append((phase, activities))
    return ordered


def _label_chars(width_in: float, size: float) -> int:
    return int(max(12, min(60, width_in * 72 * 0.38 / (0.6 * size))))


def _label(text: str, chars: int, fallback: str) -> list[str]:
    """A row's label wrapped whole; one that would need more than MAX_LABEL_LINES lines gives `fallback`."""
    lines = P.wrap_lines(text, chars)
    return lines if len(lines) <= MAX_LABEL_LINES else [fallback]


def _labels(phases: list[tuple[str, list[Activity]]], chars: int, name_activities: bool) -> list[list[str]]:
    """The lines of every row's label: a phase row, then its activities."""
    rows: list[list[str]] = []
    for index, (phase, activities) in enumerate(phases, start=1):
        rows.append(_label(phase, chars, f"Phase {index}"))
        for number, activity, _start, _end in activities:
            rows.append(_label(activity, chars, f"Activity {number} (see the table)") if name_activities else [""])
    return rows


def timeline_height(data: TimelineData, width_pt: float, *, smallest: float, largest: float) -> float:
    """The height in points a report gives the chart so that every label line gets LINE_PT points."""
    phases = _rows(data)
    units = sum(_units(row) for row in _labels(phases, _label_chars(width_pt / 72, P.TICK_SIZE), True))
    return min(largest, max(smallest, units * LINE_PT + 50))


def _units(lines: list[str]) -> float:
    return max(1.0, len(lines) * UNITS_PER_LINE)


def build_timeline(fig: Figure, data: TimelineData, *, dark: bool = False) -> None:
    from matplotlib import dates as mdates

    P.prepare(fig, dark)
    if not data.items:
        P.draw_message(fig, "No roadmap items yet", dark)
        return
    phases = _rows(data)
    all_dates = [d for _, acts in phases for _, _, s, e in acts for d in (s, e) if d]
    undated = sum(1 for _, acts in phases for _, _, s, e in acts if not s and not e)
    if not all_dates:
        P.draw_message(fig, "No roadmap dates yet", dark,
                       f"{undated} activit{'y is' if undated == 1 else 'ies are'} not scheduled yet.")
        return

    muted = P.muted_colour(dark)
    colours = (P.current_colour(dark), *P.CATEGORICAL[1:])
    first, last = min(all_dates), max(all_dates)
    pad = max(dt.timedelta(days=7), (last - first) * 0.03)
    x_min, x_max = mdates.date2num(first - pad), mdates.date2num(last + pad)

    width_in, height_in = fig.get_size_inches()
    rows = _labels(phases, _label_chars(width_in, P.TICK_SIZE), True)
    pitch = height_in * 72 * 0.78 / sum(_units(r) for r in rows)  # points per row unit
    size = max(4.5, min(P.TICK_SIZE, pitch * 0.62))
    name_activities = pitch >= 5.0  # too many rows to read: name the phases only
    rows = _labels(phases, _label_chars(width_in, size), name_activities)
    label_size = size if name_activities else max(size, P.SMALL_SIZE)
    heights = [_units(r) for r in rows]
    centres = [sum(heights[:i]) + h / 2 for i, h in enumerate(heights)]

    ax = fig.add_subplot(1, 1, 1)
    ax.set_gid("timeline")
    bold_rows: list[int] = []
    row = 0
    for number, (_phase, activities) in enumerate(phases):
        colour = colours[number % len(colours)]
        dated = [d for _, _, s, e in activities for d in (s, e) if d]
        bold_rows.append(row)
        if dated:
            start, end = mdates.date2num(min(dated)), mdates.date2num(max(dated) + dt.timedelta(days=1))
            ax.barh(centres[row], end - start, left=start, height=0.22, color=colour, alpha=0.55)
        row += 1
        for _number, _activity, start_date, end_date in activities:
            y = centres[row]
            if start_date and end_date:
                start = mdates.date2num(start_date)
                end = mdates.date2num(end_date + dt.timedelta(days=1))  # the end day is included
                ax.barh(y, end - start, left=start, height=0.62, color=colour,
                        edgecolor="none" if dark else "white", linewidth=0.5)
            elif start_date or end_date:
                ax.plot([mdates.date2num(start_date or end_date)], [y], marker="D", color=colour,
                        markersize=max(4.0, size * 0.9), markeredgecolor="white" if not dark else colour)
            elif name_activities:  # when rows are too dense, the caption alone counts them
                ax.text(x_min + (x_max - x_min) * 0.005, y, "not scheduled", ha="left", va="center",
                        fontsize=size * 0.95, color=muted, style="italic")
            row += 1

    labels = ["\n".join(r) for r in rows]
    ax.set_yticks(centres, labels)
    ax.set_ylim(sum(heights) + 0.1, -0.1)
    ax.set_xlim(x_min, x_max)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=max(4, min(10, int(width_in * 1.1))))
    formatter = _date_formatter()(locator)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(formatter)
    P.apply_style(fig, ax, dark, grid="x")
    ax.tick_params(axis="y", labelsize=size, length=0)
    for index, tick in enumerate(ax.get_yticklabels()):
        tick.set_linespacing(1.0)
        if index in bold_rows:
            tick.set_fontweight("bold")
            if not name_activities:
                tick.set_fontsize(label_size)
    on_top = len(rows) > 25
    ax.tick_params(axis="x", labeltop=on_top)
    caption = ""
    if undated:
        caption = (f"{undated} activit{'y' if undated == 1 else 'ies'} not scheduled" +
                   (" yet" if width_in >= 5 else ""))
        ax.set_xlabel(caption, color=muted, fontsize=P.SMALL_SIZE, style="italic")
    _place_rows(fig, ax, labels, bold_rows, (size, label_size), formatter, (x_min, x_max), caption, on_top)
    P.finish(fig)


def _place_rows(fig: Figure, ax: Any, labels: list[str], bold_rows: list[int], sizes: tuple[float, float],
                formatter: Any, limits: tuple[float, float], caption: str, on_top: bool) -> None:
    """Room for the row labels on the left and the dates (and the caption) below, and above when asked."""
    measure = L.Measure(fig)
    size, bold_size = sizes
    plain = [label for index, label in enumerate(labels) if index not in bold_rows]
    bold = [labels[index] for index in bold_rows]
    left = max(measure.width(plain, size, linespacing=1.0),
               measure.width(bold, bold_size, weight="bold", linespacing=1.0)) + L.TICK_PAD
    ticks = [t for t in ax.xaxis.get_major_locator()() if limits[0] <= t <= limits[1]]
    dates = [str(t) for t in formatter.format_ticks(ticks)] or ["0"]
    dates_h = L.x_ticks_room(measure, dates, P.TICK_SIZE)
    offset = formatter.get_offset()
    below = dates_h
    if offset:  # the year under the last date
        below += L.TICK_PAD + measure.text(offset, P.TICK_SIZE)[1]
    if caption:
        below = max(below, dates_h + L.LABEL_PAD + measure.text(caption, P.SMALL_SIZE, style="italic")[1])
    last_date = measure.width(dates[-1:], P.TICK_SIZE) / 2
    L.place(fig, ax, L.Margins(left=L.EDGE + left, right=L.EDGE + last_date, bottom=L.EDGE + below,
                               top=L.EDGE + (dates_h if on_top else 0.0)))
