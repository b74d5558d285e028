"""Chart images: found by a hash of their input in memory and in the workspace, drawn by a worker process
beside the layout, filled into the PDF when it is saved; the pages stay the same."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from reportlab import rl_config

from tests.helpers import table_counts
from tests.reports.conftest import SAMPLES_DIR
from workbench.charts import bitmap
from workbench.charts.gauge import GaugeData
from workbench.reports import build as report_build
from workbench.reports import chart_images
from workbench.services import records
from workbench.services.deliverables import gather_report_data, render_report
from workbench.services.packages import import_package
from workbench.store.workspace import Workspace


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The builders of the charts drawn in this process, in order; no chart kept in memory to start with."""
    names: list[str] = []
    draw = chart_images.encode_chart

    def counting(builder: Callable[..., None], *args: Any) -> Any:
        names.append(builder.__name__)
        return draw(builder, *args)

    monkeypatch.setattr(chart_images, "encode_chart", counting)
    chart_images.forget_charts()
    yield names
    chart_images.forget_charts()


@pytest.fixture
def sample(tmp_path: Path) -> Iterator[tuple[Workspace, str]]:
    with Workspace(tmp_path / "charts.db") as ws:
        yield ws, import_package(ws, SAMPLES_DIR / "early-stage.mlaudit", untrusted=True)


def test_a_report_rendered_again_takes_its_charts_from_the_workspace(sample: tuple[Workspace, str],
                                                                     drawn: list[str], tmp_path: Path) -> None:
    ws, uid = sample
    render_report(ws, uid, tmp_path / "first.pdf")
    render_report(ws, uid, tmp_path / "executive.pdf", kind="executive")
    charts = len(drawn)
    assert charts >= 7 and table_counts(ws.path, ["chart_image"]) == {"chart_image": charts}
    chart_images.forget_charts()  # as a new process: nothing in memory, the workspace still has them
    render_report(ws, uid, tmp_path / "second.pdf")
    render_report(ws, uid, tmp_path / "executive.pdf", kind="executive")
    assert len(drawn) == charts


def test_only_the_charts_whose_data_changed_are_drawn_again(sample: tuple[Workspace, str], drawn: list[str],
                                                            tmp_path: Path) -> None:
    ws, uid = sample
    render_report(ws, uid, tmp_path / "first.pdf")
    first = list(drawn)
    finding = records.list_records(ws, uid, "finding")[0]
    records.update_record(ws, uid, "finding", finding["uid"], {"description": "Reworded after the interview."})
    render_report(ws, uid, tmp_path / "reworded.pdf")
    assert drawn == first  # no chart shows a description
    severity = "Info" if finding["severity"] != "Info" else "Low"
    records.update_record(ws, uid, "finding", finding["uid"], {"severity": severity})
    render_report(ws, uid, tmp_path / "severity.pdf")
    again = drawn[len(first):]
    assert "build_findings_by_severity" in again and "build_radar" not in again
    assert 0 < len(again) < len(first)


@pytest.mark.parametrize("ahead", [False, True], ids=["on-the-first-chart", "started-ahead"])
def test_a_worker_process_draws_the_same_pages(sample: tuple[Workspace, str], drawn: list[str], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch, ahead: bool) -> None:
    ws, uid = sample
    data = gather_report_data(ws, uid)
    monkeypatch.setattr(rl_config, "invariant", 1)
    report_build.render(data, str(tmp_path / "here.pdf"))
    here = len(drawn)
    chart_images.forget_charts()
    worker = chart_images.ChartWorker().start() if ahead else chart_images.ChartWorker()
    assert worker.started == ahead
    try:
        result = report_build.render(data, str(tmp_path / "worker.pdf"), chart_worker=worker)
        assert worker.started
    finally:
        chart_images.stop_chart_worker(worker)
    assert len(drawn) == here  # nothing more was drawn in this process
    assert result.charts_drawn == result.charts == here
    assert (tmp_path / "worker.pdf").read_bytes() == (tmp_path / "here.pdf").read_bytes()


def test_no_worker_process_starts_when_every_chart_is_kept(sample: tuple[Workspace, str], drawn: list[str],
                                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws, uid = sample
    data = gather_report_data(ws, uid)
    monkeypatch.setattr(rl_config, "invariant", 1)
    report_build.render(data, str(tmp_path / "first.pdf"))
    worker = chart_images.ChartWorker()
    try:
        result = report_build.render(data, str(tmp_path / "again.pdf"), chart_worker=worker)
        assert not worker.started and result.charts_drawn == 0 < result.charts
    finally:
        chart_images.stop_chart_worker(worker)
    assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "first.pdf").read_bytes()
    with pytest.raises(RuntimeError):  # stopped: a chart asked for now is drawn in this process
        worker.submit(print)


def test_a_worker_started_ahead_ends_when_every_chart_is_kept(sample: tuple[Workspace, str], drawn: list[str],
                                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws, uid = sample
    data = gather_report_data(ws, uid)
    monkeypatch.setattr(rl_config, "invariant", 1)
    report_build.render(data, str(tmp_path / "first.pdf"))
    worker = chart_images.ChartWorker().start()  # as the command line starts it, before it knows
    processes = list(worker._pool._processes.values())  # type: ignore[union-attr]  # noqa: SLF001
    try:
        result = report_build.render(data, str(tmp_path / "again.pdf"), chart_worker=worker)
        assert not worker.started and result.charts_drawn == 0 < result.charts
    finally:
        chart_images.stop_chart_worker(worker)
    for process in processes:  # ended once the story showed every chart kept, not at the command's end
        process.join(30)
        assert not process.is_alive()
    assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "first.pdf").read_bytes()


def test_a_worker_that_was_sent_a_chart_is_not_released() -> None:
    worker = chart_images.ChartWorker().start()
    try:
        assert worker.submit(bitmap.warm_up).result(timeout=120) is True
        worker.release()
        assert worker.started
    finally:
        chart_images.stop_chart_worker(worker)
    assert not worker.started


def test_the_worker_loads_no_3d_toolkit_and_still_draws() -> None:
    """matplotlib imports the 3-D toolkit to register it (about 50 ms of the worker's start): no chart needs it."""
    worker = chart_images.ChartWorker().start()
    try:
        assert worker.submit(bitmap.warm_up).result(timeout=120) is True
        loaded = "'mpl_toolkits.mplot3d.axes3d' in __import__('sys').modules"
        assert worker.submit(eval, loaded).result(timeout=60) is False
        chart = worker.submit(bitmap.encode_chart_named, "workbench.charts.gauge", "build_gauge",
                              GaugeData(55.0, "Standardized", "Conditional Go"), 200, 140, 72).result(timeout=60)
        assert chart.width == 200 and chart.height == 140 and len(chart.stream) > 1000
    finally:
        chart_images.stop_chart_worker(worker)


def test_stopping_the_worker_ends_its_process_even_while_it_loads() -> None:
    worker = chart_images.start_chart_worker()
    assert worker is not None
    processes = list(worker._processes.values())  # type: ignore[attr-defined]
    chart_images.stop_chart_worker(worker)
    for process in processes:
        process.join(30)
        assert _ended(process.pid)


def _ended(pid: int, patience: float = 30.0) -> bool:
    """The process is gone or a zombie. The pool's own thread may reap it before `join` does, and `join` then
    returns at once with the process still looking alive, so its pid is asked instead."""
    import os
    import time

    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:
            if "\nState:\tZ" in Path(f"/proc/{pid}/status").read_text():
                return True
        except OSError:
            return True
        time.sleep(0.05)
    return False


def test_the_chart_key_follows_code_and_data_not_line_numbers() -> None:
    def compiled(source: str) -> Any:
        return compile(textwrap.dedent(source), "<chart>", "exec")

    def digest(code: Any) -> str:
        import hashlib

        into = hashlib.sha256()
        bitmap._digest_code(code, into)
        return into.hexdigest()

    base = digest(compiled("def chart(fig, data):\n    return data.count * 2\n"))
    assert digest(compiled("\n\n\ndef chart(fig, data):\n    return data.count * 2\n")) == base  # moved
    assert digest(compiled("def chart(fig, data):\n    return data.count * 3\n")) != base  # changed
    assert len(bitmap.chart_code_fingerprint()) == 64
    key = bitmap.chart_key(bitmap.encode_chart, {"a": 1}, 100, 50, 160)
    assert key != bitmap.chart_key(bitmap.encode_chart, {"a": 2}, 100, 50, 160)
    assert key != bitmap.chart_key(bitmap.encode_chart, {"a": 1}, 100, 60, 160)


def test_an_unsigned_report_from_the_command_line_loads_neither_pyhanko_nor_qt(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    with Workspace(db) as ws:
        import_package(ws, SAMPLES_DIR / "early-stage.mlaudit", untrusted=True)
    code = textwrap.dedent(f"""
        import sys
        from workbench.cli import main
        code = main(["--db", {str(db)!r}, "report", "BPM-2026-01", "-o", {str(tmp_path)!r}])
        loaded = sorted({{name.split(".")[0] for name in sys.modules}} & {{"pyhanko", "PySide6"}})
        print(code, loaded)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "0 []"
    assert (tmp_path / "BPM-2026-01 audit report.pdf").stat().st_size > 50_000
    assert table_counts(db, ["chart_image"])["chart_image"] >= 6  # drawn by the worker, kept in the workspace
