"""Long work off the GUI thread: a concurrent.futures pool bridged to Qt signals.

The rule: never touch widgets from a worker. A task runs in the pool; its result or error is
delivered on the GUI thread through a signal. A progress dialog offers Cancel, which the task
sees through its `cancelled()` callable.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="workbench-worker")
_RUNNING: dict[Future[Any], threading.Event] = {}  # each task queued or running, and its cancel flag
_RUNNING_LOCK = threading.Lock()


class CollectorPause:
    """No full garbage collection while tasks build thousands of objects, for at most `max_seconds` a task.

    A full collection holds the GIL for 100-200 ms on a big engagement, which stops the GUI thread
    too; reference counting still frees everything that is not in a cycle. Each task's share of the
    pause ends when the task ends, however it ends, or when a timer runs out for a task that hangs:
    a task never leaves the collector off. The collector is restored to the state it had before.
    """

    def __init__(self, max_seconds: float) -> None:
        self.max_seconds = max_seconds
        self._lock = threading.Lock()
        self._holders = 0
        self._enabled_before = True

    @contextmanager
    def during_task(self) -> Iterator[None]:
        released = threading.Event()

        def release() -> None:  # by the task's end or its timer, whichever comes first: only once
            with self._lock:
                if released.is_set():
                    return
                released.set()
                self._holders -= 1
                if self._holders == 0 and self._enabled_before:
                    gc.enable()

        with self._lock:
            if self._holders == 0:
                self._enabled_before = gc.isenabled()
                gc.disable()
            self._holders += 1
        timer = threading.Timer(self.max_seconds, release)
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()
            release()


PAUSE = CollectorPause(max_seconds=30.0)


class CentredProgress(QProgressDialog):
    """A progress dialog that shows over the middle of its window, not wherever the desktop puts a new one
    (the first report render's progress appeared at the screen's top-left corner)."""

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        owner = self.parentWidget()
        if owner is not None:
            frame = self.frameGeometry()
            frame.moveCenter(owner.window().frameGeometry().center())
            self.move(frame.topLeft())


class Task(QObject):
    finished = Signal(object)
    failed = Signal(object)
    progress = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self.future: Future[Any] | None = None

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()


def run_task(work: Callable[[Task], Any], on_done: Callable[[Any], None], on_error: Callable[[BaseException], None],
             *, parent: QWidget | None = None, label: str = "", show_progress: bool = True) -> Task:
    """Run `work(task)` in the pool; callbacks run on the GUI thread."""
    task = Task(parent)
    dialog: CentredProgress | None = None
    if show_progress and parent is not None:
        dialog = CentredProgress(label or "Working…", "Cancel", 0, 0, parent)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.canceled.connect(task.cancel)
        task.progress.connect(lambda value, text: (dialog.setMaximum(100), dialog.setValue(value),
                                                   dialog.setLabelText(text or label)))

    def close_dialog() -> None:
        if dialog is not None:
            dialog.reset()
            dialog.deleteLater()

    task.finished.connect(lambda result: (close_dialog(), on_done(result)))
    task.failed.connect(lambda exc: (close_dialog(), on_error(exc)))

    def body() -> None:
        try:
            with PAUSE.during_task():
                result = work(task)
        except BaseException as exc:  # delivered to the GUI thread, logged there if unexpected
            log.debug("task failed", exc_info=True)
            task.failed.emit(exc)
        else:
            task.finished.emit(result)

    future = task.future = _POOL.submit(body)
    with _RUNNING_LOCK:
        _RUNNING[future] = task._cancel  # noqa: SLF001 - the flag is plain Python: safe after the QObject is gone
    future.add_done_callback(_forget)
    return task


def _forget(future: Future[Any]) -> None:
    with _RUNNING_LOCK:
        _RUNNING.pop(future, None)


def settle(timeout: float) -> bool:
    """Ask every task still queued or running to stop, and wait up to `timeout` seconds for them to end; True
    when none is left.

    Called before the workspace is closed at quit: a render or an import still running would otherwise read
    a closed workspace, and its result signal reach widgets already deleted, while the interpreter shuts down.
    A task stops at its next check of `cancelled()`; one that never checks is waited for until the timeout."""
    with _RUNNING_LOCK:
        running = dict(_RUNNING)
    for future, cancel in running.items():
        cancel.set()
        future.cancel()  # one still queued never starts
    return not wait(running, timeout=timeout).not_done
