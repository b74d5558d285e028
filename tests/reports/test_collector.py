"""A report is laid out with the cyclic garbage collector paused, and the collector is left as it was found,
also when the render is cancelled."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from tests.reports.conftest import SAMPLES_DIR
from workbench.reports import build as report_build
from workbench.reports.data import ReportData
from workbench.reports.document import ReportCancelled
from workbench.services.deliverables import gather_report_data
from workbench.services.packages import import_package
from workbench.store.workspace import Workspace


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> ReportData:
    with Workspace(tmp_path_factory.mktemp("collector") / "ws.db") as ws:
        return gather_report_data(ws, import_package(ws, SAMPLES_DIR / "early-stage.mlaudit", untrusted=True))


def test_the_collector_is_paused_during_the_layout_and_on_again_after(data: ReportData, tmp_path: Path) -> None:
    seen: list[bool] = []
    assert gc.isenabled()
    report_build.render(data, str(tmp_path / "r.pdf"), progress_cb=lambda percent, text: seen.append(gc.isenabled()))
    assert seen and not any(seen)
    assert gc.isenabled()


def test_a_cancelled_render_leaves_the_collector_on(data: ReportData, tmp_path: Path) -> None:
    with pytest.raises(ReportCancelled):
        report_build.render(data, str(tmp_path / "r.pdf"), cancelled=lambda: True)
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused(data: ReportData, tmp_path: Path) -> None:
    gc.disable()
    try:
        report_build.render(data, str(tmp_path / "r.pdf"), kind="executive")
        assert not gc.isenabled()
    finally:
        gc.enable()
