"""The portfolio's score trend: one point per scored audit, labelled with its score on the framework's scale."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from workbench.charts.trend import TrendData, build_trend


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda artist: hasattr(artist, "get_text"))]


def test_each_scored_audit_is_a_point_labelled_with_its_score() -> None:
    fig = Figure(figsize=(5, 3))
    build_trend(fig, TrendData(("A-2025-01", "A-2026-01", "A-2027-01"), (52.5, None, 66.0)))
    ax = next(a for a in fig.axes if a.get_gid() == "trend")
    line = ax.get_lines()[0]
    assert list(line.get_xdata()) == [0, 2] and list(line.get_ydata()) == [52.5, 66.0]
    assert {"52", "66"} <= set(_texts(fig))  # whole numbers out of 100 (52.5 rounds to even)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["A-2025-01", "A-2026-01", "A-2027-01"]


def test_a_five_point_scale_shows_one_decimal_and_no_score_says_so() -> None:
    fig = Figure(figsize=(5, 3))
    build_trend(fig, TrendData(("B-1", "B-2"), (2.6, 3.4), out_of=5))
    assert {"2.6", "3.4"} <= set(_texts(fig))
    empty = Figure(figsize=(5, 3))
    build_trend(empty, TrendData(("B-1",), (None,)))
    assert "No scored audit yet" in _texts(empty)
    with pytest.raises(ValueError):
        TrendData(("B-1",), ())
