"""ui.workers: results and errors reach the GUI thread; a task's garbage-collection pause always ends."""

from __future__ import annotations

import gc
import threading

import pytest

from workbench.ui import workers
from workbench.ui.workers import CollectorPause, run_task


@pytest.fixture(autouse=True)
def collector_on() -> None:
    assert gc.isenabled(), "a test before this one left the garbage collector off"


def test_the_collector_is_paused_while_a_task_runs_and_on_again_after(qtbot) -> None:
    started, release = threading.Event(), threading.Event()
    seen: list[bool] = []

    def work(_task: workers.Task) -> str:
        started.set()
        release.wait(timeout=60)
        seen.append(gc.isenabled())
        return "done"

    results: list[object] = []
    _task = run_task(work, results.append, results.append)  # held: its signals live as long as the task object
    assert started.wait(timeout=60)
    assert not gc.isenabled()  # paused for the task
    release.set()
    qtbot.waitUntil(lambda: results == ["done"], timeout=60_000)
    assert seen == [False] and gc.isenabled()


def test_a_failing_task_leaves_the_collector_on(qtbot) -> None:
    def work(_task: workers.Task) -> None:
        raise RuntimeError("the task broke")

    errors: list[BaseException] = []
    _task = run_task(work, lambda _result: None, errors.append)  # held: its signals live as long as the task object
    qtbot.waitUntil(lambda: bool(errors), timeout=60_000)
    assert isinstance(errors[0], RuntimeError) and gc.isenabled()


def test_a_hung_task_does_not_keep_the_collector_off(qtbot, monkeypatch) -> None:
    """The task never returns by itself; its pause runs out and full collections happen again."""
    monkeypatch.setattr(workers, "PAUSE", CollectorPause(max_seconds=0.05))
    started, release = threading.Event(), threading.Event()

    def work(_task: workers.Task) -> None:
        started.set()
        release.wait(timeout=60)  # hung until the test lets it go

    done: list[object] = []
    _task = run_task(work, done.append, done.append)  # held: its signals live as long as the task object
    assert started.wait(timeout=60)
    qtbot.waitUntil(gc.isenabled, timeout=60_000)
    assert not done  # still hung, and yet the collector is on
    release.set()
    qtbot.waitUntil(lambda: bool(done), timeout=60_000)
    assert gc.isenabled()


def test_overlapping_tasks_keep_the_pause_until_the_last_one_ends() -> None:
    pause = CollectorPause(max_seconds=60)
    with pause.during_task():
        with pause.during_task():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer task still runs
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    pause = CollectorPause(max_seconds=60)
    gc.disable()
    try:
        with pause.during_task():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_settle_stops_running_work_and_drops_queued_work_before_the_workspace_closes(qtbot) -> None:
    """At quit the app asks every task to stop and waits for it before closing the workspace (ui.app.run_app)."""
    started = threading.Event()
    stopped: list[bool] = []
    ran: list[str] = []

    def until_cancelled(task: workers.Task) -> None:
        started.set()
        while not task.cancelled():
            threading.Event().wait(0.01)
        stopped.append(True)

    def blocking(task: workers.Task) -> None:
        ran.append("blocking")
        while not task.cancelled():
            threading.Event().wait(0.01)

    tasks = [run_task(until_cancelled, print, print), run_task(blocking, print, print)]  # both workers busy
    queued = run_task(lambda _task: ran.append("queued"), print, print)  # waits for a free worker
    assert started.wait(timeout=60)
    assert workers.settle(timeout=60)
    assert stopped == [True] and "queued" not in ran
    assert all(task.future is not None and task.future.done() for task in [*tasks, queued])
    assert not workers._RUNNING  # noqa: SLF001


def test_settle_says_when_work_did_not_stop_in_time(qtbot) -> None:
    started, release = threading.Event(), threading.Event()

    def deaf(_task: workers.Task) -> None:  # never looks at cancelled()
        started.set()
        release.wait(timeout=60)

    task = run_task(deaf, print, print)
    assert started.wait(timeout=60)
    try:
        assert not workers.settle(timeout=0.2)
    finally:
        release.set()
    assert workers.settle(timeout=60) and task.future is not None and task.future.done()
