"""Assertions and workspace tricks several test packages share."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def assert_same(a: Any, b: Any, where: str = "document") -> None:
    """Deep equality that names the first differing path (and tells 1 from 1.0 and True)."""
    assert type(a) is type(b), (where, a, b)
    if isinstance(a, dict):
        assert sorted(a) == sorted(b), where
        for key in a:
            assert_same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{where}[{index}]")
    else:
        assert a == b, where


def table_counts(path: Path, tables: Iterable[str] | None = None) -> dict[str, int]:
    """Rows per table (every table when none are named)."""
    conn = sqlite3.connect(path)
    try:
        names = list(tables) if tables is not None else [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}
    finally:
        conn.close()


def downgrade_workspace(path: Path, target: str) -> None:
    """What an older app left behind: the same data at schema `target` (foreign keys off, as migrate does)."""
    from alembic import command

    from workbench.store import migrate
    from workbench.store.engine import create_workspace_engine

    engine = create_workspace_engine(path, foreign_keys=False)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, target)
        connection.commit()
    engine.dispose()
