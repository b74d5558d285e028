"""A "$" in a name is a dollar sign in every chart: never mathtext, in a report's bitmap or on a GUI canvas.

matplotlib reads a text holding an even number of "$" as mathtext ("Budget $20k-$40k" loses its dollar signs
to italics) and raises on a malformed pair ("$ $"). A Text decides when it is drawn, from the flag it read when
it was made (`get_parse_math`); tick labels an axis makes while drawing read it then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from matplotlib.text import Text

from workbench.charts import render_figure
from workbench.charts.bitmap import encode_chart
from workbench.charts.cost_matrix import CostMatrixData, build_cost_matrix
from workbench.charts.findings import FindingsData, build_findings_by_dimension, build_findings_by_severity
from workbench.charts.gauge import GaugeData, build_gauge
from workbench.charts.progress import ProgressData, build_progress
from workbench.charts.radar import RadarData, build_radar
from workbench.charts.timeline import TimelineData, build_timeline
from workbench.charts.trend import TrendData, build_trend

BUDGET = "Budget $20k-$40k"  # two "$": mathtext to matplotlib
FORMULA = "$x^2$ and $5"  # three: plain text to matplotlib already, kept so
NAMES = (BUDGET, FORMULA)
Case = tuple[Callable[..., None], Any]


def cases(first: str, second: str) -> dict[str, Case]:
    """Every chart that shows text an auditor or a framework typed, with `first` and `second` in it."""
    return {
        "radar": (build_radar, RadarData((first, second, "Serving"), (2, 3, None), (4, 4, 3))),
        "radar-codes": (build_radar, RadarData(tuple(f"{first} {i}" for i in range(13)), (2,) * 13, (3,) * 13,
                                               codes=(first, second, *(f"C{i}" for i in range(11))))),
        "gauge": (build_gauge, GaugeData(60, second, first, ((first, 0, 50), (second, 50, 100)))),
        "findings-by-severity": (build_findings_by_severity, FindingsData({first: 2, second: 1, "High": 1})),
        "findings-by-dimension": (build_findings_by_dimension,
                                  FindingsData({}, {first: {"High": 2, second: 1}, second: {"Low": 1}})),
        "progress": (build_progress, ProgressData((first, second), (1, 2), (2, 2))),
        "timeline": (build_timeline, TimelineData(((first, second, "2026-01-05", "2026-02-01"),
                                                   (second, first, "2026-02-01", None)))),
        "cost-matrix": (build_cost_matrix, CostMatrixData(((first, "high", "low", 25_000.0),
                                                           (second, "medium", "high", 120_000.0)), "USD")),
        "trend": (build_trend, TrendData((first, second, "ENG-3"), (40.0, 55.0, 70.0))),
    }


def _shown(fig: Figure) -> Iterator[Text]:
    """Every visible, non-empty Text the figure drew."""
    for text in fig.findobj(Text):
        if text.get_visible() and text.get_text():
            yield text


def _as_drawn(text: Text) -> tuple[str, bool]:
    """The string matplotlib draws for `text`, and whether it draws it as mathtext."""
    string, math = text._preprocess_math(text.get_text())  # type: ignore[attr-defined]  # what draw() uses
    return string, bool(math)


@pytest.mark.parametrize("name", sorted(cases(*NAMES)))
def test_dollar_signs_are_drawn_as_written_in_a_report(name: str) -> None:
    builder, data = cases(*NAMES)[name]
    fig = render_figure(builder, data, 6.5, 4.5, dpi=72)
    fig.canvas.draw()
    with_dollars = [t for t in _shown(fig) if "$" in t.get_text()]
    assert with_dollars, [t.get_text() for t in _shown(fig)]
    assert any(BUDGET in " ".join(t.get_text().split()) or "$20k" in t.get_text() for t in with_dollars)
    for text in with_dollars:
        assert _as_drawn(text) == (text.get_text(), False), text.get_text()
        assert not text.get_parse_math(), text.get_text()


def test_a_dollar_sign_is_as_wide_as_in_plain_text() -> None:
    """The radar's name is drawn as wide as the same string made with mathtext off (mathtext drops the "$")."""
    fig = render_figure(build_radar, RadarData((BUDGET, "B", "C"), (1, 2, 3), (3, 3, 3)), 6, 4, dpi=100)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    (label,) = [t for t in _shown(fig) if t.get_text() == BUDGET]
    plain = Text(0, 0, BUDGET, fontproperties=label.get_fontproperties(), parse_math=False)
    plain.set_figure(fig)
    assert label.get_window_extent(renderer).width == pytest.approx(plain.get_window_extent(renderer).width)


def _categorical(fig: Figure, data: tuple[str, ...], *, dark: bool = False) -> None:
    """A bar chart on a categorical axis: its tick labels are made while the figure draws, not when built."""
    ax = fig.add_subplot(1, 1, 1)
    ax.bar(list(data), range(1, len(data) + 1))


def test_tick_labels_made_while_drawing_are_plain_text() -> None:
    fig = render_figure(_categorical, ("first", BUDGET, "$ $"), 5, 3, dpi=72)
    assert len(fig.axes[0].xaxis.majorTicks) < 3  # the axis makes the others as it draws
    fig.canvas.draw()
    labels = {t.get_text(): t for t in fig.axes[0].get_xticklabels()}
    assert set(labels) == {"first", BUDGET, "$ $"}
    assert not any(t.get_parse_math() for t in labels.values())


def test_a_gui_canvas_draws_dollar_signs_as_written(qtbot: Any) -> None:
    """The canvas draws later (draw_idle) than it builds: both are plain text."""
    from workbench.ui.chart_widget import ChartCanvas

    canvas = ChartCanvas(_categorical)
    qtbot.addWidget(canvas)
    canvas.resize(400, 260)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.show_data(("first", BUDGET, "$ $"))
    canvas.draw()  # raised on "$ $" when the labels were mathtext
    labels = canvas.figure.axes[0].get_xticklabels()
    assert [t.get_text() for t in labels] == ["first", BUDGET, "$ $"]
    assert not any(t.get_parse_math() for t in labels)
    for builder, data in cases(*NAMES).values():
        canvas.builder = builder
        canvas.show_data(data)
        canvas.draw()
        assert all(_as_drawn(t)[0] == t.get_text() for t in _shown(canvas.figure) if "$" in t.get_text())


MARKS = st.sampled_from(["$", "$", "\\", "_", "^", "{", "}", " ", "$ $", "\\frac", "a", "Z", "1"])
names = st.lists(MARKS, min_size=1, max_size=12).map("".join).filter(lambda s: bool(s.strip()))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=names, second=names, chart=st.sampled_from(sorted(cases("a", "b"))))
def test_any_name_with_markup_characters_renders_as_written(first: str, second: str, chart: str) -> None:
    """What the chart worker runs for a report: drawing never fails, and every text is drawn as its string."""
    builder, data = cases(first, second)[chart]
    encoded = encode_chart(builder, data, 300, 200, 72)
    assert encoded.width > 0 and encoded.stream
    fig = render_figure(builder, data, 300 / 72, 200 / 72, 72)
    fig.canvas.draw()
    for text in _shown(fig):
        assert _as_drawn(text) == (text.get_text(), False), text.get_text()



def test_a_report_with_dollar_signs_in_its_names_renders(tmp_path: Path) -> None:
    """Roadmap activities, phases and cost items with "$" pairs, malformed ones too, reach the report's charts."""
    from workbench.services.deliverables import render_report
    from workbench.services.engagements import create_engagement
    from workbench.services.records import add_record
    from workbench.store.workspace import Workspace

    ws = Workspace(tmp_path / "dollars.db").open()
    try:
        uid = create_engagement(ws, client={"name": "Dollar $ Client $"}, title="Budget $20k-$40k audit",
                                details={"ref": "USD-$1$"})
        for name in (BUDGET, "$ $", "a $\\x$ b", "{$_$}"):
            add_record(ws, uid, "cost", {"kind": "remediation", "name": name, "impact": "high", "effort": "low",
                                         "estimated_cost": 20_000})
            add_record(ws, uid, "roadmap", {"phase": f"Phase {name}", "activity": name,
                                            "start_date": "2026-03-02", "end_date": "2026-03-09"})
        pdf = render_report(ws, uid, tmp_path / "dollars.pdf", currency="USD")
        assert pdf.read_bytes().startswith(b"%PDF")
    finally:
        ws.close()
