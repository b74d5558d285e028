"""Chart images of a deliverable: looked up by a hash of their input, drawn beside the layout, filled in at save.

Where a chart's bitmap comes from, the first that has it:
1. the charts this process drew or read lately (`_RECENT`, in memory);
2. the workspace's chart cache (a `ChartStore` handed in by services: a table of the workspace, so no
   confidential picture is left in a loose file);
3. drawn: by a worker process when the caller hands one (`chart_worker.ChartWorker`, started ahead by the
   command line or on the first chart to draw: on a second core the charts are drawn while this process
   lays the pages out), else in this process.

The key is `charts.bitmap.chart_key` (the chart code's fingerprint, the builder, its data, size and
resolution): a chart whose data did not change is never drawn twice, and a chart whose code changed is
never served from a cache. A page refers to its chart by that name while it is laid out; the image object
is filled in when the PDF is written (`_LazyImage`), so the layout never waits for a chart.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, Future
from typing import Any, Protocol, cast

from reportlab.pdfbase.pdfdoc import PDFImageXObject
from reportlab.platypus import Flowable

from workbench.charts.bitmap import EncodedChart, builder_name, chart_key, encode_chart, encode_chart_named
from workbench.reports.chart_worker import ChartWorker, start_chart_worker, stop_chart_worker

__all__ = ["ChartPainter", "ChartStore", "ChartWorker", "LazyChart", "forget_charts", "start_chart_worker",
           "stop_chart_worker"]

log = logging.getLogger(__name__)
CHART_DPI = 160
RECENT_CHARTS = 48  # compressed bitmaps (~50-200 KB each) kept by the process: several reports' worth


class ChartStore(Protocol):
    """Charts kept between processes (services give the workspace's chart cache)."""

    def load(self, key: str) -> tuple[int, int, bytes] | None: ...

    def save(self, charts: Mapping[str, tuple[int, int, bytes]]) -> None: ...


class _RecentCharts:
    """The last `size` charts of this process; the GUI renders in a worker thread."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._charts: OrderedDict[str, EncodedChart] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> EncodedChart | None:
        with self._lock:
            chart = self._charts.get(key)
            if chart is not None:
                self._charts.move_to_end(key)
            return chart

    def put(self, key: str, chart: EncodedChart) -> None:
        with self._lock:
            self._charts[key] = chart
            self._charts.move_to_end(key)
            while len(self._charts) > self.size:
                self._charts.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._charts.clear()


_RECENT = _RecentCharts(RECENT_CHARTS)


def forget_charts() -> None:
    """Drop the charts this process keeps (the benchmark times reports with every chart drawn)."""
    _RECENT.clear()


class ChartHandle:
    """One chart of a report: its bitmap, found, being drawn by the worker, or drawn on first demand."""

    def __init__(self, key: str | None, draw: Callable[[], EncodedChart], found: EncodedChart | None = None,
                 future: Future[EncodedChart] | None = None) -> None:
        self.key = key
        self._draw = draw
        self._chart = found
        self._future = future
        self.drawn = False  # drawn for this report (so worth keeping), not found in a cache
        self._lock = threading.Lock()

    def result(self) -> EncodedChart:
        with self._lock:
            if self._chart is None:
                self._chart = self._from_worker() or self._draw()
                self.drawn = True
                if self.key is not None:
                    _RECENT.put(self.key, self._chart)
            return self._chart

    def _from_worker(self) -> EncodedChart | None:
        if self._future is None:
            return None
        try:
            return self._future.result()
        except Exception:  # the worker died or failed: draw here instead
            log.warning("the chart worker failed; drawing the chart in this process", exc_info=True)
            return None


class ChartPainter:
    """The charts of one render: `image(...)` gives the flowable, `keep_new()` stores what was drawn."""

    def __init__(self, *, store: ChartStore | None = None, worker: Executor | None = None,
                 dpi: int = CHART_DPI) -> None:
        self.store = store
        self.worker = worker
        self.dpi = dpi
        self._handles: dict[str, ChartHandle] = {}

    def image(self, key: str, builder: Callable[..., None], data: Any, width: float, height: float) -> Flowable:
        """A chart as a flowable of `width` × `height` points; its bitmap is found or drawn meanwhile."""
        if key not in self._handles:
            self._handles[key] = self._handle(builder, data, width, height)
        return LazyChart(self._handles[key], width, height)

    def _handle(self, builder: Callable[..., None], data: Any, width: float, height: float) -> ChartHandle:
        key = chart_key(builder, data, width, height, self.dpi)

        def draw() -> EncodedChart:
            return encode_chart(builder, data, width, height, self.dpi)

        found = self._lookup(key)
        if found is not None:
            return ChartHandle(key, draw, found=found)
        future = None
        if self.worker is not None:
            try:
                future = self.worker.submit(encode_chart_named, *builder_name(builder), data, width, height, self.dpi)
            except RuntimeError:  # shut down or broken: draw here
                future = None
        return ChartHandle(key, draw, future=future)

    def _lookup(self, key: str | None) -> EncodedChart | None:
        if key is None:
            return None
        chart = _RECENT.get(key)
        if chart is None and self.store is not None:
            stored = self.store.load(key)
            if stored is not None:
                chart = EncodedChart(*stored)
                _RECENT.put(key, chart)
        return chart

    def release_idle_worker(self) -> None:
        """Every chart of the report is known: end a worker started ahead if none of them needed it."""
        release = getattr(self.worker, "release", None)
        if callable(release):
            release()

    def keep_new(self) -> int:
        """Save the charts drawn for this render in the store; returns how many."""
        new = {h.key: h.result() for h in self._handles.values() if h.drawn and h.key is not None}
        if self.store is not None:  # also marks the charts found there as used
            self.store.save({key: (c.width, c.height, c.stream) for key, c in new.items()})
        return len(new)

    def __len__(self) -> int:
        return len(self._handles)


class _LazyImage(PDFImageXObject):
    """An RGB image XObject whose stream is taken from the chart when the PDF is written."""

    def __init__(self, name: str, handle: ChartHandle) -> None:
        super().__init__(name)
        self.handle = handle
        self.bitsPerComponent = 8
        self.colorSpace = "DeviceRGB"
        self._filters = ("FlateDecode",)
        self.mask = None

    def format(self, document: Any) -> bytes:
        chart = self.handle.result()
        self.width, self.height = chart.width, chart.height
        self.streamContent = chart.stream  # type: ignore[assignment]  # bytes: the stubs say str
        return super().format(document)


class _CanvasInternals(Protocol):
    """What Canvas.drawImage uses of reportlab's (unannotated) canvas internals, and the drawing calls."""

    _doc: Any
    _code: list[str]
    _formsinuse: list[str]
    _currentPageHasImages: int

    def _setXObjects(self, thing: Any) -> None: ...

    def saveState(self) -> None: ...  # noqa: N802

    def restoreState(self) -> None: ...  # noqa: N802

    def translate(self, dx: float, dy: float) -> None: ...

    def scale(self, x: float, y: float) -> None: ...


class LazyChart(Flowable):
    """Fixed size at layout time; draws a reference to the chart's image, filled in when the PDF is saved."""

    def __init__(self, handle: ChartHandle, width: float, height: float) -> None:
        super().__init__()
        self.handle = handle
        self.width, self.height = width, height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        canvas = cast(_CanvasInternals, self.canv)
        name = f"chart{(self.handle.key or str(id(self.handle)))[:32]}"
        registered = canvas._doc.getXObjectName(name)  # noqa: SLF001 - as Canvas.drawImage registers images
        if canvas._doc.idToObject.get(registered) is None:  # noqa: SLF001
            image = _LazyImage(name, self.handle)
            canvas._setXObjects(image)  # noqa: SLF001
            canvas._doc.Reference(image, registered)  # noqa: SLF001
            canvas._doc.addForm(name, image)  # noqa: SLF001
        canvas._currentPageHasImages = 1  # noqa: SLF001
        canvas.saveState()  # what Canvas.drawImage(image, 0, 0, width, height) writes
        canvas.translate(0, 0)
        canvas.scale(self.width, self.height)
        canvas._code.append(f"/{registered} Do")  # noqa: SLF001
        canvas.restoreState()
        canvas._formsinuse.append(name)  # noqa: SLF001 - the page's resources name the image
