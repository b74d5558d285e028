"""Readers see one snapshot: exports and `log --verify` running while another thread or process imports,
edits and deletes findings never give a false tamper alarm nor a package that cannot be imported.

Each reading round exports the engagement, runs every import check on the package (without writing it) and
verifies the audit trail against the records. Before reads ran in one transaction, about 5 % of such rounds
failed ("finding … written by event #618 is missing", "audit trail broken")."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.churn import churn, read_rounds
from workbench.services.engagements import create_engagement
from workbench.services.records import add_record
from workbench.store.workspace import Workspace

ROUNDS = 100  # per test: 200 rounds in all, each a trail verification, an export and its import checks
ROOT = Path(__file__).resolve().parents[2]


def wait_for(ready: Path, writer: subprocess.Popen[str]) -> None:
    while not ready.exists():
        assert writer.poll() is None, writer.communicate()[1]
        time.sleep(0.05)


@pytest.fixture
def busy(tmp_path: Path) -> tuple[Path, str, str]:
    path = tmp_path / "busy.db"
    with Workspace(path) as ws:
        engagement = create_engagement(ws, client="Acme", title="Concurrent")
        anchor = add_record(ws, engagement, "finding", {"title": "Anchor", "severity": "High"})
    return path, engagement, anchor


def test_readers_in_threads_see_one_snapshot(busy: tuple[Path, str, str], tmp_path: Path) -> None:
    path, engagement, anchor = busy
    stop, ready = threading.Event(), threading.Event()
    with Workspace(path) as ws:
        commits: list[int] = []
        writer = threading.Thread(target=lambda: commits.append(churn(ws, engagement, tmp_path, stop, anchor, ready)))
        writer.start()
        try:
            assert ready.wait(300)
            failures = read_rounds(ws, engagement, tmp_path, ROUNDS)
        finally:
            stop.set()
            writer.join()
    assert commits and commits[0] > 0
    assert failures == {"verify": [], "export": []}


def test_readers_in_another_process_see_one_snapshot(busy: tuple[Path, str, str], tmp_path: Path) -> None:
    path, engagement, anchor = busy
    stop, ready = tmp_path / "stop", tmp_path / "ready"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "bench.churn", str(path), engagement, anchor, str(stop), str(ready)]
    writer = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(ready, writer)
        reader = Workspace(path, read_only=True).open()
        try:
            failures = read_rounds(reader, engagement, tmp_path, ROUNDS)
        finally:
            reader.close()
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=600)
    assert writer.returncode == 0, err
    assert int(out.strip()) > 0
    assert failures == {"verify": [], "export": []}


def test_a_session_reads_one_snapshot_while_another_writer_commits(busy: tuple[Path, str, str]) -> None:
    from sqlmodel import func, select

    from workbench.store.tables import AuditEvent, Finding

    path, engagement, _anchor = busy
    with Workspace(path) as ws, Workspace(path, read_only=True) as reader, reader.session() as session:
        events = session.exec(select(func.count()).select_from(AuditEvent)).one()
        add_record(ws, engagement, "finding", {"title": "Written meanwhile", "severity": "Low"})
        assert session.exec(select(func.count()).select_from(Finding)).one() == 1  # not 2: the snapshot holds
        assert session.exec(select(func.count()).select_from(AuditEvent)).one() == events
    with Workspace(path, read_only=True) as reader, reader.session() as session:
        assert session.exec(select(func.count()).select_from(Finding)).one() == 2


def test_a_report_for_signing_is_not_made_from_a_later_state(busy: tuple[Path, str, str], tmp_path: Path) -> None:
    from workbench.domain.errors import ConflictError
    from workbench.services.deliverables import render_report
    from workbench.services.signatures import engagement_anchor

    path, engagement, _anchor = busy
    with Workspace(path) as ws:
        _uid, head = engagement_anchor(ws, engagement)
        add_record(ws, engagement, "finding", {"title": "Written meanwhile", "severity": "Low"})
        with pytest.raises(ConflictError, match="changed while the report was being prepared"):
            render_report(ws, engagement, tmp_path / "report.pdf", kind="executive", expect_head=head)
        assert not (tmp_path / "report.pdf").exists()
        _uid, head = engagement_anchor(ws, engagement)
        assert render_report(ws, engagement, tmp_path / "report.pdf", kind="executive", expect_head=head).is_file()
