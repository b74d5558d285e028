"""The chart worker process: matplotlib is imported and the report's charts are drawn there, on a second core.

This module imports neither reportlab nor matplotlib, so a command can start the worker as its very first
step (`ChartWorker().start()`): matplotlib's import then overlaps this process's own imports, its reading of
the engagement and its layout of the pages. A render that cannot know yet whether any chart is missing
hands a `ChartWorker` that starts on the first chart not kept anywhere, and a render whose charts turn out
to be all kept releases a started worker at once (`ChartWorker.release`). End it with `stop_chart_worker`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

log = logging.getLogger(__name__)


def start_chart_worker() -> Executor | None:
    """A process that imports matplotlib now and draws charts when asked; None where none can start.

    Shut it down with `stop_chart_worker`.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from workbench.charts.bitmap import warm_up

    try:
        worker = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        worker.submit(warm_up)
    except (OSError, RuntimeError, ValueError):  # no processes here (sandbox, frozen without support)
        log.info("charts are drawn in this process: no worker process could start", exc_info=True)
        return None
    return worker


def stop_chart_worker(worker: Executor | None) -> None:
    """End the worker now: every chart a report needed was collected when its file was written, and a
    worker still importing matplotlib must not keep the command waiting."""
    if isinstance(worker, ChartWorker):
        worker = worker.stop()
    if worker is None:
        return
    processes = list((getattr(worker, "_processes", None) or {}).values())
    worker.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()


class ChartWorker(Executor):
    """The chart worker process, started by `start()` or when the first chart not kept anywhere is asked for.

    A report whose charts are all in memory or in the workspace (say, after an edit that touches no chart)
    then never needs the process: a lazy worker never starts, and a started one is ended by `release()`
    once the report knows no chart is missing. One that needs a chart drawn has it drawn there while this
    process lays the pages out. Where no process can start, `submit` raises RuntimeError and the chart is
    drawn in this process. End it with `stop_chart_worker`.
    """

    def __init__(self) -> None:
        self._pool: Executor | None = None
        self._tried = False
        self._used = False
        self._lock = threading.Lock()

    @property
    def started(self) -> bool:
        return self._pool is not None

    def start(self) -> ChartWorker:
        """Start the process now, before anything asks for a chart (a command that will likely draw some)."""
        with self._lock:
            self._start()
        return self

    def _start(self) -> None:
        if not self._tried:
            self._tried = True
            self._pool = start_chart_worker()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._lock:
            self._start()
            pool = self._pool
            self._used = pool is not None
        if pool is None:
            raise RuntimeError("no chart worker process")
        return pool.submit(fn, *args, **kwargs)

    def release(self) -> None:
        """End a process started ahead that no chart was sent to (every chart was kept); later charts are drawn
        in this process."""
        with self._lock:
            if self._used:
                return
            self._tried = True
            pool, self._pool = self._pool, None
        stop_chart_worker(pool)

    def stop(self) -> Executor | None:
        """The process pool started (to shut down), if any; no later submit starts one."""
        with self._lock:
            self._tried = True
            pool, self._pool = self._pool, None
        return pool
