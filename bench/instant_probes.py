"""Child processes of bench/instant.py: each prints one JSON line of time stamps (time.time()) or timings.

    python bench/instant_probes.py bare                  a bare PySide6 window (QMainWindow + QLabel)
    python bench/instant_probes.py app DB [ENGAGEMENT]   the desktop app on DB, reopening ENGAGEMENT
    python bench/instant_probes.py pages DB ENGAGEMENT   every step of ENGAGEMENT, first and later visits
    python bench/instant_probes.py rerender DB ENGAGEMENT  a report rendered again after an edit

A window counts as painted on the next turn of the event loop after its first Paint event: the frame is
then drawn and the loop free for input. The bare window and the app are timed the same way.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class FirstPaint:
    """Reports (through `done`) the first Paint event of `window_name`'s widgets after it was shown."""

    def __init__(self, app: Any, window_name: str, done: Any) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        owner = self

        class Filter(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
                if event.type() == QEvent.Type.Show and watched.objectName() == window_name:
                    owner.shown = time.time()
                    owner.window = watched
                elif (event.type() == QEvent.Type.Paint and owner.window is not None and owner.painted is None
                      and hasattr(watched, "window") and watched.window() is owner.window):
                    owner.painted = time.time()
                    QTimer.singleShot(0, lambda: done(owner))
                return False

        self.shown: float | None = None
        self.painted: float | None = None
        self.window: Any = None
        self.filter = Filter()
        app.installEventFilter(self.filter)


def bare() -> int:
    started = time.time()
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])

    def done(probe: FirstPaint) -> None:
        print(json.dumps({"started": started, "shown": probe.shown, "painted": probe.painted,
                          "idle_painted": time.time()}))
        app.quit()

    probe = FirstPaint(app, "bare", done)  # noqa: F841  (kept alive while the loop runs)
    window = QMainWindow()
    window.setObjectName("bare")
    window.setCentralWidget(QLabel("Engagements"))
    window.resize(1366, 768)
    window.show()
    return app.exec()


def app_start(db: str, last: str) -> int:
    """`workbench --db DB` with the last engagement remembered: first painted frame, then ready and idle."""
    started = time.time()
    from PySide6.QtCore import QSettings, QTimer

    from workbench.ui.app import make_application
    from workbench.ui.welcome import SHOWN_KEY

    app = make_application()
    setup = time.time()
    settings = QSettings()
    settings.setValue(SHOWN_KEY, True)  # a returning auditor: no welcome page
    settings.setValue("session/last_engagement", last)
    settings.remove("window/geometry")
    settings.sync()
    # a returning auditor's settings are on disk before the app starts: writing them here is the probe's set-up,
    # and their sync to disk (two fdatasync calls, 10-40 ms on a busy disk) would otherwise fall inside the
    # app's start, which itself writes no setting before its first frame
    started += time.time() - setup
    stamps: dict[str, Any] = {"started": started}

    def painted(probe: FirstPaint) -> None:
        window = probe.window
        stamps.update(shown=probe.shown, painted=probe.painted, idle_painted=time.time(),
                      library_rows=len(window.library.summaries), menu_enabled=window.menuBar().isEnabled())

        def ready() -> None:
            stamps["ready"] = time.time()

            def idle() -> None:
                stamps["idle"] = time.time()
                view = window.view
                stamps["showing"] = "engagement" if view is not None and window.stack.currentWidget() is view \
                    else "library"
                print(json.dumps(stamps), flush=True)
                app.quit()

            QTimer.singleShot(0, idle)

        if getattr(window, "ws", None) is not None and "ready" not in stamps:
            ready()  # the workspace opened before the first frame
        else:
            window.ready.connect(ready)

    probe = FirstPaint(app, "mainWindow", painted)  # noqa: F841
    from workbench.cli import main

    return main(["--db", db])


def settle(app: Any) -> None:
    """Until the GUI thread is free: what the action queued (layout, paint) is done."""
    for _ in range(3):
        app.processEvents()


def pages(db: str, uid: str) -> int:
    """Open the engagement, then visit every step twice: ms per visit (first, later)."""
    import tempfile
    from pathlib import Path

    from PySide6.QtCore import QSettings

    from workbench.services.workspaces import open_workspace
    from workbench.ui.app import make_application
    from workbench.ui.main_window import MainWindow
    from workbench.ui.pages import PAGE_CLASSES

    app = make_application()
    with tempfile.TemporaryDirectory(prefix="instant-pages-") as folder:
        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        ws = open_workspace(Path(db))
        window = MainWindow(ws, settings)
        window.resize(1366, 768)
        window.show()
        settle(app)
        started = time.perf_counter()
        window.open_engagement(uid)
        settle(app)
        opened = (time.perf_counter() - started) * 1000
        visits: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        for round_ in range(3):
            for key in PAGE_CLASSES:
                if key == "overview" and round_ == 0:
                    continue  # shown by opening the engagement
                started, cpu_started = time.perf_counter(), time.process_time()
                window.view.show_step(key)
                settle(app)
                visits.setdefault(key, []).append((time.perf_counter() - started) * 1000)
                cpu.setdefault(key, []).append((time.process_time() - cpu_started) * 1000)
        print(json.dumps({"open_ms": opened, "visits": visits, "cpu": cpu}), flush=True)
        window.close()
        ws.close()
    return 0


def rerender(db: str, key: str) -> int:
    """What the deliverables page does: render the report, then, after an edit that changes no chart's
    data (a finding's description), render it again in the same process (ms of each)."""
    import tempfile
    from pathlib import Path

    from workbench.services import deliverables, records
    from workbench.services.workspaces import open_workspace

    ws = open_workspace(Path(db))
    timings = []
    with tempfile.TemporaryDirectory(prefix="instant-rerender-") as folder:
        for run in range(4):
            if run:
                finding = records.list_records(ws, key, "finding")[0]
                records.update_record(ws, key, "finding", finding["uid"],
                                      {"description": f"{finding['description']} (checked again, {run})"})
            started = time.perf_counter()
            deliverables.render_report(ws, key, Path(folder) / f"report-{run}.pdf", kind="full")
            timings.append((time.perf_counter() - started) * 1000)
    ws.close()
    print(json.dumps({"first_ms": timings[0], "again_ms": timings[1:]}), flush=True)
    return 0


if __name__ == "__main__":
    kind, *rest = sys.argv[1:]
    if kind == "bare":
        raise SystemExit(bare())
    if kind == "app":
        raise SystemExit(app_start(rest[0], rest[1] if len(rest) > 1 else ""))
    if kind == "pages":
        raise SystemExit(pages(rest[0], rest[1]))
    if kind == "rerender":
        raise SystemExit(rerender(rest[0], rest[1]))
    raise SystemExit(f"unknown probe {kind}")
