"""Desktop app benchmark (offscreen Qt) on the big workspace; writes its table into docs/performance.md.

    .venv/bin/python bench/bench_gui.py [--no-write] [--no-wait] [--runs N]

Uses the workspace of bench/run_bench.py (50 engagements, one with 5,000 findings; built once and
cached under bench/out/). Measures what an auditor waits for: the process starting to its main window,
opening the big engagement, sorting and filtering its findings table, one edit saved through the
session (service call, audit event, refresh of the open pages), and how long the GUI thread ever
stalls while a package is imported or exported in a worker.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

START, END = "<!-- bench:gui:start -->", "<!-- bench:gui:end -->"
PROBE = "--probe"

# -- process start: a child process runs the real entry point and says when the window is shown ------


def probe_main(argv: list[str]) -> int:
    """Child side: `workbench --db DB` with an event filter that reports the main window's first show,
    then when the window is ready (workspace open, library filled, last engagement shown) and idle."""
    started = time.time()
    from PySide6.QtCore import QEvent, QObject, QSettings, QTimer

    from workbench.ui.app import make_application
    from workbench.ui.welcome import SHOWN_KEY

    db, last = argv[0], argv[1] if len(argv) > 1 else ""
    app = make_application()
    settings = QSettings()
    settings.setValue(SHOWN_KEY, True)  # a returning auditor: no welcome page
    settings.setValue("session/last_engagement", last)

    class Probe(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Show and watched.objectName() == "mainWindow":
                shown = time.time()

                def ready() -> None:
                    filled = time.time()

                    def idle() -> None:  # the next turn of the event loop: laid out, painted, answering input
                        print(json.dumps({"started": started, "shown": shown, "ready": filled, "idle": time.time()}),
                              flush=True)
                        app.quit()

                    QTimer.singleShot(0, idle)

                watched.ready.connect(ready)  # type: ignore[attr-defined]
            return False

    probe = Probe()
    app.installEventFilter(probe)
    from workbench.cli import main

    return main(["--db", db])


if __name__ == "__main__" and sys.argv[1:2] == [PROBE]:  # the child: nothing of the benchmark loaded
    raise SystemExit(probe_main(sys.argv[2:]))

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # run as a script: bench/ is sys.path[0]
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run_bench import (  # noqa: E402
    ROOT,
    OtherLoad,
    Row,
    cached_workspace,
    fresh_copy,
    measure,
    p95,
    publish,
    table,
    wait_for_quiet,
)


def start_process(db: Path, runs: int, last_engagement: str = "") -> dict[str, list[float]]:
    """Wall ms to the window's Show event, to the window being ready and then idle; the child's CPU ms."""
    times: dict[str, list[float]] = {"shown": [], "ready": [], "idle": [], "cpu": []}
    with tempfile.TemporaryDirectory(prefix="bench-gui-") as home:
        env = {**os.environ, "XDG_CONFIG_HOME": str(Path(home) / "config"), "PYTHONPATH": str(ROOT),
               "WORKBENCH_LOG_DIR": str(Path(home) / "log"), "QT_QPA_PLATFORM": "offscreen",
               "WORKBENCH_PLAIN_WORKSPACE": "1"}  # no offer to encrypt the generated workspace: nobody answers
        env.pop("WORKBENCH_SMOKE_EXIT", None)
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            launched = time.time()
            result = subprocess.run([sys.executable, __file__, PROBE, str(db), last_engagement], env=env,
                                    capture_output=True, text=True, timeout=120, cwd=ROOT)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
            if result.returncode != 0 or not lines:
                raise RuntimeError(f"the probe failed: {result.stderr[-2000:]}")
            stamps = json.loads(lines[-1])
            for key in ("shown", "ready", "idle"):
                times[key].append((stamps[key] - launched) * 1000)
            times["cpu"].append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
    return times


def start_rows(db: Path, big_uid: str, runs: int) -> list[Row]:
    """Window shown (the library saying the workspace is opening), then ready: library filled, or the
    last engagement reopened. CPU is the whole child process, up to the idle event loop after ready."""
    rows = []
    for name, last in (("library", ""), ("reopening the big engagement", big_uid)):
        times = start_process(db, runs, last)
        cpu = statistics.median(times["cpu"])
        shown = Row(f"Start ({name}): process to main window shown", runs, statistics.median(times["shown"]),
                    p95(times["shown"]), None, None, None, 1500.0, "the library lists the engagements")
        ready = Row(f"Start ({name}): process to {'library filled' if not last else 'engagement shown'}", runs,
                    statistics.median(times["ready"]), p95(times["ready"]), cpu, None, None, None,
                    f"event loop idle after {statistics.median(times['idle']):,.0f} ms")
        rows += [shown, ready]
        for row in (shown, ready):
            print(f"  {row.name}: median {row.median_ms:.0f} ms" + (f", CPU {cpu:.0f} ms" if row is ready else ""),
                  flush=True)
    return rows


# -- in the process: the window on the big engagement ------------------------------------------------


class GuiBench:
    def __init__(self, db: Path, big_uid: str) -> None:
        from PySide6.QtCore import QSettings

        from workbench.store.workspace import Workspace
        from workbench.ui.app import make_application
        from workbench.ui.main_window import MainWindow

        self.app = make_application()
        self.folder = tempfile.TemporaryDirectory(prefix="bench-gui-")
        settings = QSettings(str(Path(self.folder.name) / "settings.ini"), QSettings.Format.IniFormat)
        self.ws = Workspace(db, actor="bench").open()
        self.big_uid = big_uid
        self.window = MainWindow(self.ws, settings)
        self.window.resize(1366, 768)
        self.window.show()
        self.settle()

    def close(self) -> None:
        self.window.close()
        self.ws.close()
        self.folder.cleanup()

    def settle(self) -> None:
        """Let the GUI thread finish what an action queued (layout, repaint) before the clock stops."""
        for _ in range(2):
            self.app.processEvents()

    def then_settle(self, action: Callable[[], Any]) -> Callable[[], None]:
        return lambda: (action(), self.settle())  # type: ignore[func-returns-value]

    @property
    def findings(self) -> Any:
        assert self.window.view is not None
        return self.window.view.pages["findings"]

    def open_rows(self, runs: int) -> list[Row]:
        opened = measure("Open the big engagement (overview shown)",
                         self.then_settle(lambda: self.window.open_engagement(self.big_uid)), runs, memory=False,
                         target_ms=1000, note="first open (cold) imports the pages and matplotlib")

        def open_findings() -> None:
            self.window.open_engagement(self.big_uid)
            self.settle()

        samples: list[tuple[float, float]] = []
        for _ in range(runs):
            open_findings()
            started, cpu = time.perf_counter(), time.process_time()
            self.window.show_step("findings")
            self.settle()
            samples.append(((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000))
        walls = [wall for wall, _ in samples]
        page = Row("Show its findings page (5,000 rows)", runs, statistics.median(walls), p95(walls),
                   statistics.median([cpu for _, cpu in samples]), None, None, 1000.0,
                   "page built on first visit, after opening")
        print(f"  {page.name}: median {page.median_ms:.1f} ms", flush=True)
        return [opened, page]

    def table_rows(self, runs: int) -> list[Row]:
        from PySide6.QtCore import Qt

        page = self.findings
        orders = [(column, order) for column in range(page.model.columnCount())
                  for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder)]
        steps = iter(orders * runs)

        def sort_next() -> None:
            column, order = next(steps)
            page.table.sortByColumn(column, order)

        sorting = measure("Sort its findings table (each column, both ways)", self.then_settle(sort_next),
                          len(orders) * runs - 1, memory=False, target_ms=100)
        severity = page.filter_boxes["severity"]
        status = page.filter_boxes["status"]
        filters: list[Callable[[], None]] = [
            lambda: page.search.setText("drift"), lambda: page.search.setText("rollback runbook"),
            lambda: page.search.setText(""), lambda: severity.setCurrentIndex(1),
            lambda: status.setCurrentIndex(status.count() - 1), lambda: severity.setCurrentIndex(0),
            lambda: status.setCurrentIndex(0)]
        moves = iter(filters * (runs + 1))
        filtering = measure("Filter it (search text, severity, status)",
                            self.then_settle(lambda: next(moves)()), len(filters) * runs - 1, memory=False,
                            target_ms=100)
        return [sorting, filtering]

    def session_row(self, runs: int) -> Row:
        """The save itself: service call, audit event, the session's document, score and progress."""
        from workbench.services.records import update_record
        from workbench.ui.session import EngagementSession

        session = EngagementSession(self.ws, self.big_uid)
        uids = [finding["uid"] for finding in session.document["findings"][:50]]
        counter = iter(range(10**6))

        def save() -> None:
            number = next(counter)
            uid = uids[number % len(uids)]
            session.apply("Edit title", lambda: update_record(self.ws, self.big_uid, "finding", uid,
                                                              {"title": f"Session edit {number}"}),
                          lambda: None, {"finding"})

        row = measure("Save one edit through the session", save, runs, memory=False, target_ms=10,
                      note="no page open: what every edit costs before the pages refresh")
        session.deleteLater()
        return row

    def edit_rows(self, runs: int) -> list[Row]:
        page = self.findings
        page.table.sortByColumn(0, page.table.horizontalHeader().sortIndicatorOrder())
        title = [c.field.name for c in page.model.columns].index("title")
        counter = iter(range(10**6))

        def edit() -> None:
            number = next(counter)
            page.model.setData(page.model.index(number % 50, title), f"Benchmark edit {number}")

        saved = measure("Save one edit in the findings table, pages refreshed", self.then_settle(edit), runs,
                        memory=False, note="the session's save + findings table, step list and window repainted")
        undo = measure("Undo it (Ctrl+Z)", self.then_settle(self.window.session.undo_stack.undo),  # type: ignore[union-attr]
                       min(runs, 20), cold=False, memory=False)
        return [saved, undo]

    def stall_rows(self, package: Path) -> list[Row]:
        """The longest the GUI thread went without turning its event loop while a worker ran."""
        from PySide6.QtCore import QTimer

        from workbench.services.packages import export_package, import_package
        from workbench.ui.workers import run_task

        rows = []
        for name, work in (("Export the big engagement in a worker", lambda _t: export_package(
                               self.ws, self.big_uid, package, signer=None)),
                           ("Import it as a copy in a worker", lambda _t: import_package(
                               self.ws, package, as_copy=True, untrusted=True))):
            ticks: list[float] = []
            timer = QTimer()
            timer.setInterval(5)
            timer.timeout.connect(lambda ticks=ticks: ticks.append(time.perf_counter()))
            finished: list[object] = []
            started = time.perf_counter()
            timer.start()
            run_task(work, finished.append, finished.append, parent=self.window, label=name)
            while not finished:
                self.app.processEvents()
                time.sleep(0.001)
            timer.stop()
            if isinstance(finished[0], BaseException):
                raise finished[0]
            took = (time.perf_counter() - started) * 1000
            gaps = [(b - a) * 1000 for a, b in zip([started, *ticks], ticks, strict=False)]
            worst = max(gaps, default=0.0)
            rows.append(Row(f"{name}: longest GUI stall", 1, worst, worst, None, None, None, 100.0,
                            f"task took {took:,.0f} ms; {sum(g > 100 for g in gaps)} stalls over 100 ms"))
            print(f"  {rows[-1].name}: {worst:.0f} ms (task {took:.0f} ms)", flush=True)
        return rows


def report(rows: list[Row], meta: dict[str, Any], load: float | None) -> str:
    from PySide6 import __version__ as pyside

    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} CPU cores; Python {platform.python_version()}, PySide6 {pyside}, "
        f"Qt platform offscreen, window 1366 × 768.",
        "",
        f"Workspace: the benchmark workspace of bench/run_bench.py ({meta['engagements']} engagements; the big "
        f"one has {meta['big_records']['finding']:,} findings, {meta['big_records']['model']:,} models, "
        f"{meta['big_records']['risk']:,} risks).",
        "",
        table(rows),
        "",
        "Wall-clock ms includes the event processing an action queued (layout and repaint) until the GUI "
        "thread is free again; CPU ms is this process's CPU time (the child's, for start-up). A stall row's "
        "median is the longest gap between ticks of a 5 ms timer on the GUI thread while the worker ran.",
    ]
    if load is not None:
        lines += ["", f"Other processes used {load:.2f} of the {os.cpu_count()} cores on average during the run."]
    return "\n".join([*lines, "", NOTES])


NOTES = """What keeps the app responsive on a 5,000-finding engagement:

- An edit updates the session's document from the audit events it wrote (each holds the record's new
  state), instead of re-reading the findings; the score is recomputed only when an assessment or what
  the verdict reads of a finding changed, and step progress only when a page asks for it.
- The findings table swaps an edited row in place when it stays in order; sort keys are computed
  once per distinct value (5 severities, not 5,000 parses); sorting and filtering never use a proxy.
- Charts draw only when visible, so a page being built or closed does not redraw on every resize.
- Matplotlib, jsonschema and alembic are not imported at start-up (charts, package import/export and
  migrations load them when first used).
- Import and export run in a worker with the cyclic garbage collector paused: a full collection
  holds the GIL for 100-200 ms and was the GUI thread's longest stall.

Start-up shows the library in its first frame: `workbench` imports only Qt and the window's own modules,
reads the engagements in plain SQL (store/light.py, without SQLAlchemy) and shows them, searchable and
selectable; a worker thread meanwhile imports the database layer (SQLAlchemy, SQLModel and the table
definitions, about two thirds of start-up) and opens the workspace. An engagement opened before that is
opened as soon as the workspace is ready. The welcome page, dialogs, sessions, pages and the command
line's store imports load when first used."""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-write", action="store_true", help="print the table only, leave docs/ alone")
    parser.add_argument("--no-wait", action="store_true", help="do not wait for an idle CPU before measuring")
    parser.add_argument("--runs", type=int, default=5, help="runs of the slower measurements")
    parser.add_argument("--rebuild", action="store_true", help="generate the workspace again")
    args = parser.parse_args(argv)

    cache, meta = cached_workspace(args.rebuild)
    path = fresh_copy(cache)
    if not args.no_wait:
        wait_for_quiet(min_idle=0.85, timeout_s=900)
    load = OtherLoad()
    rows = start_rows(path, meta["big_uid"], args.runs)
    bench = GuiBench(path, meta["big_uid"])
    try:
        rows += bench.open_rows(args.runs)
        rows += bench.table_rows(args.runs)
        rows.append(bench.session_row(max(100, args.runs * 20)))
        rows += bench.edit_rows(max(40, args.runs * 8))
        rows += bench.stall_rows(path.parent / "export" / "gui-big.mlaudit")
    finally:
        bench.close()
    body = report(rows, meta, load.cores())
    publish(body, START, END, write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
