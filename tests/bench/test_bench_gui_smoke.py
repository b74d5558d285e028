"""A small run of the desktop benchmark, so it keeps working as the app changes."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def bench_gui():
    from bench import bench_gui

    return bench_gui


@pytest.fixture(scope="module")
def small_workspace(tmp_path_factory: pytest.TempPathFactory):
    from bench.generate import generate_workspace

    path = tmp_path_factory.mktemp("gui-bench") / "bench.db"
    result = generate_workspace(path, engagements=2, big_findings=60, big_models=6, big_risks=6, seed=5)
    return path, result.big_uid


def test_the_process_start_probe_sees_the_main_window(bench_gui, small_workspace) -> None:
    path, big_uid = small_workspace
    times = bench_gui.start_process(path, 1, big_uid)
    assert 0 < times["shown"][0] <= times["ready"][0] <= times["idle"][0] < 60_000 and times["cpu"][0] > 0


def test_every_in_process_measurement_runs(qtbot, bench_gui, small_workspace) -> None:
    path, big_uid = small_workspace
    bench = bench_gui.GuiBench(path, big_uid)
    try:
        rows = bench.open_rows(1) + bench.table_rows(1)
        rows.append(bench.session_row(3))
        rows += bench.edit_rows(3)
        rows += bench.stall_rows(path.parent / "small.mlaudit")
        titles = [finding["title"] for finding in bench.window.session.document["findings"]]  # type: ignore[union-attr]
    finally:
        bench.close()
    assert [row.name.split(" (")[0] for row in rows][:2] == ["Open the big engagement", "Show its findings page"]
    assert all(row.median_ms > 0 for row in rows)
    assert any(title.startswith("Benchmark edit") for title in titles)  # the edits did go through the table
    body = bench_gui.report(rows, {"engagements": 2, "big_records": {"finding": 60, "model": 6, "risk": 6}}, None)
    assert "| Save one edit through the session |" in body
