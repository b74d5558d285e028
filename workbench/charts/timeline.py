"""Roadmap timeline: activities grouped by phase, dated ones as bars (or diamonds for a single date).

Each phase starts with a header row whose thin bar spans the phase's dated activities. Activities without
dates keep their place in their phase and say "not scheduled"; a caption counts them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from matplotlib import dates as mdates
from matplotlib.figure import Figure

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


class _DateFormatter(mdates.ConciseDateFormatter):
    """Concise dates, but the first tick always says which year it is (Concise only marks Januaries)."""

    def format_ticks(self, values: list[float]) -> list[str]:
        labels = list(super().format_ticks(values))
        if labels and not self.get_offset() and not labels[0].strip().isdigit():
            labels[0] = f"{labels[0]}\n{mdates.num2date(values[0]).year}"
        return labels


def _rows(data: TimelineData) -> list[tuple[str, list[tuple[str, dt.date | None, dt.date | None]]]]:
    phases: dict[str, list[tuple[str, dt.date | None, dt.date | None]]] = {}
    for phase, activity, start_raw, end_raw in data.items:
        start, end = parse_date(start_raw), parse_date(end_raw)
        if start and end and end < start:
            start, end = end, start
        phases.setdefault(str(phase or "").strip() or "(no phase)", []).append((str(activity), start, end))
    ordered = []
    for phase, activities in phases.items():
        # dated activities by start, then undated ones, each keeping the given order among equals
        activities.sort(key=lambda a: (a[1] or a[2] or dt.date.max))
        ordered.append((phase, activities))
    return ordered


def build_timeline(fig: Figure, data: TimelineData, *, dark: bool = False) -> None:
    P.prepare(fig, dark)
    if not data.items:
        P.draw_message(fig, "No roadmap items yet", dark)
        return
    phases = _rows(data)
    all_dates = [d for _, acts in phases for _, s, e in acts for d in (s, e) if d]
    undated = sum(1 for _, acts in phases for _, s, e in acts if not s and not e)
    if not all_dates:
        P.draw_message(fig, "No roadmap dates yet", dark,
                       f"{undated} activit{'y is' if undated == 1 else 'ies are'} not scheduled yet.")
        return

    muted = P.muted_colour(dark)
    colours = (P.current_colour(dark), *P.CATEGORICAL[1:])
    first, last = min(all_dates), max(all_dates)
    pad = max(dt.timedelta(days=7), (last - first) * 0.03)
    x_min, x_max = mdates.date2num(first - pad), mdates.date2num(last + pad)

    row_count = len(phases) + sum(len(acts) for _, acts in phases)
    width_in, height_in = fig.get_size_inches()
    pitch = height_in * 72 * 0.78 / row_count  # points per row
    size = max(4.5, min(P.TICK_SIZE, pitch * 0.62))
    name_activities = pitch >= 5.0  # too many rows to read: name the phases only
    label_size = size if name_activities else max(size, P.SMALL_SIZE)
    label_chars = int(max(12, min(44, width_in * 72 * 0.34 / (0.6 * label_size))))

    ax = fig.add_subplot(1, 1, 1)
    ax.set_gid("timeline")
    labels: list[str] = []
    bold_rows: list[int] = []
    y = 0
    for number, (phase, activities) in enumerate(phases):
        colour = colours[number % len(colours)]
        dated = [d for _, s, e in activities for d in (s, e) if d]
        labels.append(P.shorten(phase, label_chars))
        bold_rows.append(y)
        if dated:
            start, end = mdates.date2num(min(dated)), mdates.date2num(max(dated) + dt.timedelta(days=1))
            ax.barh(y, end - start, left=start, height=0.22, color=colour, alpha=0.55)
        y += 1
        for activity, start_date, end_date in activities:
            labels.append(P.shorten(activity, label_chars) if name_activities else "")
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
            y += 1

    ax.set_yticks(range(row_count), labels)
    ax.set_ylim(row_count - 0.5, -0.6)
    ax.set_xlim(x_min, x_max)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=max(4, min(10, int(width_in * 1.1))))
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(_DateFormatter(locator))
    P.apply_style(fig, ax, dark, grid="x")
    ax.tick_params(axis="y", labelsize=size, length=0)
    for row, tick in enumerate(ax.get_yticklabels()):
        if row in bold_rows:
            tick.set_fontweight("bold")
            if not name_activities:
                tick.set_fontsize(label_size)
    ax.tick_params(axis="x", labeltop=row_count > 25)
    if undated:
        ax.set_xlabel(f"{undated} activit{'y' if undated == 1 else 'ies'} not scheduled" +
                      (" yet" if width_in >= 5 else ""),
                      color=muted, fontsize=P.SMALL_SIZE, style="italic")
    P.finish(fig)
