"""A report is laid out with the cyclic garbage collector paused, and the collector is left as it was found,
also when the render is cancelled."""

from __future__ import annotations

import gc
import json
import weakref
from pathlib import Path

import pytest

from tests.reports.conftest import SAMPLES_DIR
from workbench.cli import main
from workbench.collector import left_to_exit
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


def test_what_a_command_leaves_for_its_exit_is_frozen_out_of_the_collector() -> None:
    """The report command ends its process right after the layout: what the layout still holds (reportlab's
    pages are full of reference cycles) is not walked and freed by a last collection, the exit drops it."""

    class Page:
        me: object

    before = gc.get_freeze_count()
    with left_to_exit():
        assert not gc.isenabled()
        page = Page()
        page.me = page  # a cycle: only the collector could free it
        left = weakref.ref(page)
        del page
    assert gc.isenabled() and gc.get_freeze_count() > before
    gc.collect()
    assert left() is not None


def test_the_report_command_leaves_its_layout_to_the_exit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "ws.db"
    assert main(["--db", str(db), "import", str(SAMPLES_DIR / "early-stage.mlaudit"), "--untrusted"]) == 0
    capsys.readouterr()
    ref = json.loads(_out(capsys, main(["--db", str(db), "list", "--json"])))[0]["ref"]
    frozen = gc.get_freeze_count()
    assert main(["--db", str(db), "report", ref, "--kind", "executive", "-o", str(tmp_path / "r.pdf")]) == 0
    assert gc.isenabled() and gc.get_freeze_count() > frozen


def _out(capsys: pytest.CaptureFixture[str], code: int) -> str:
    assert code == 0
    return capsys.readouterr().out
