"""The chart canvas lays its chart out again when its size changes (the margins are in points), and only then."""

from __future__ import annotations

from typing import Any

from workbench.charts.radar import RadarData, build_radar
from workbench.ui.chart_widget import ChartCanvas

DATA = RadarData(("Data pipeline & feature engineering", "Model serving", "Monitoring"), (2, 3, 1), (4, 4, 3))


def _left_margin_pt(canvas: ChartCanvas) -> float:
    width_pt = canvas.figure.get_size_inches()[0] * 72
    return float(canvas.figure.axes[0].get_position().x0 * width_pt)


def test_a_resized_canvas_lays_its_chart_out_again(qtbot: Any) -> None:
    builds: list[tuple[float, float]] = []

    def builder(fig: Any, data: RadarData, *, dark: bool = False) -> None:
        builds.append(tuple(fig.get_size_inches()))
        build_radar(fig, data, dark=dark)

    canvas = ChartCanvas(builder)
    qtbot.addWidget(canvas)
    canvas.resize(500, 320)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.show_data(DATA)
    canvas.draw()
    narrow = _left_margin_pt(canvas)
    canvas.draw()  # same size: nothing to lay out
    assert len(builds) == 1

    canvas.resize(900, 320)
    qtbot.waitUntil(lambda: canvas.figure.get_size_inches()[0] * canvas.figure.dpi > 800)
    canvas.draw()
    assert len(builds) == 2 and builds[-1][0] > builds[0][0]
    # the ring is centred in the wider figure: its left margin grew in points, not merely kept its fraction
    assert _left_margin_pt(canvas) > narrow + 100
