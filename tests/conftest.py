"""Shared fixtures: offscreen Qt, an isolated data/log folder, no network, a fresh workspace."""

from __future__ import annotations

import hashlib
import os
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tests out of the real user folders, and forbid network connections."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WORKBENCH_LOG_DIR", str(home / "logs"))
    monkeypatch.setenv("WORKBENCH_DB", str(home / "data" / "workspace.db"))
    monkeypatch.setenv("WORKBENCH_ACTOR", "tester")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "share"))

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the workbench must never open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    return tmp_path / "workspace.db"


@pytest.fixture
def ws(ws_path: Path) -> Iterator[object]:
    from workbench.store.workspace import Workspace

    workspace = Workspace(ws_path).open()
    yield workspace
    workspace.close()


@pytest.fixture
def engagement(ws: object) -> str:
    from workbench.services.engagements import create_engagement

    return create_engagement(ws, client="Acme Analytics", title="Platform audit")  # type: ignore[arg-type]


def content_hash(path: Path) -> str:
    """A digest of everything a workspace holds, read through SQLite so WAL content counts."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for line in conn.iterdump():
            digest.update(line.encode("utf-8"))
        return digest.hexdigest()
    finally:
        conn.close()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
