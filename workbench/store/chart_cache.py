"""The workspace's cache of report chart bitmaps (table chart_image, migration 0006).

A chart's bitmap is keyed by a hash of the chart code and its input data (workbench/charts/bitmap.py),
so a key never names a stale picture and the cache needs no invalidation: rows not used lately are
dropped beyond MAX_CHARTS. It is derived data: no audit event, not exported in packages. It lives in
the workspace, not in loose files, because a chart shows the client's data.

The cache reads and writes through its own short-lived connection (`engine.open_raw`): a report
rendered from the command line beside a running app opens the workspace read-only, yet may keep the
charts it drew (SQLite serialises the writes). Any failure to read or write the cache is logged and
ignored: a cache never stops a report.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from workbench.fs.faults import database_errors
from workbench.store.connect import open_raw, writable

log = logging.getLogger(__name__)
MAX_CHARTS = 160  # about twenty reports' charts, 100 KB or so each


class WorkspaceChartCache:
    """`load(key)` / `save({key: (width, height, stream)})`: the reports.chart_images.ChartStore of a workspace."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._used: set[str] = set()

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            # a workspace that cannot be written here (read-only file, folder or disk) is only read: no -wal/-shm
            self._conn = open_raw(self.path, read_only=not writable(self.path))
        return self._conn

    def load(self, key: str) -> tuple[int, int, bytes] | None:
        try:
            row = self._connection().execute("SELECT width, height, data FROM chart_image WHERE key = ?",
                                              (key,)).fetchone()
        except database_errors():
            log.warning("the chart cache of %s cannot be read", self.path, exc_info=True)
            return None
        if row is None:
            return None
        self._used.add(key)
        return int(row[0]), int(row[1]), bytes(row[2])

    def save(self, charts: Mapping[str, tuple[int, int, bytes]]) -> None:
        """Store `charts`, mark the ones loaded as used now, and drop the least recently used beyond MAX_CHARTS."""
        if not charts and not self._used:
            return
        now = datetime.now(UTC).isoformat(timespec="microseconds")
        try:
            conn = self._connection()
            with conn:
                conn.executemany("INSERT OR REPLACE INTO chart_image (key, width, height, data, used_at) "
                                 "VALUES (?, ?, ?, ?, ?)",
                                 [(key, w, h, data, now) for key, (w, h, data) in charts.items()])
                conn.executemany("UPDATE chart_image SET used_at = ? WHERE key = ?",
                                 [(now, key) for key in self._used - set(charts)])
                conn.execute("DELETE FROM chart_image WHERE key NOT IN "
                             "(SELECT key FROM chart_image ORDER BY used_at DESC LIMIT ?)", (MAX_CHARTS,))
            self._used.clear()
        except database_errors():
            log.warning("charts could not be kept in %s", self.path, exc_info=True)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> WorkspaceChartCache:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
