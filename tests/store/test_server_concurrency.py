"""Many auditors writing one engagement on a team server at once: nothing lost, one audit chain.

Eight writer PROCESSES (tests/helpers/server_writer.py) add and change findings of one engagement for 60 seconds
(WORKBENCH_CONCURRENCY_SECONDS), and all of them keep changing the owner of one SHARED finding, each change based
on the version of it that writer read (`seen_version`: optimistic concurrency). Each change locks the engagement's row
(services.unit.change), so the changes and their audit events are appended one transaction after the other.
The test counts every finding each writer saw committed, with the severity it last committed, and the audit
events: the server must hold exactly those, and the engagement's chain must verify. Of the shared finding, every
owner change that went through must have replaced exactly the owner its writer had read (the trail's history of
the owner is one line: no change was lost or silently overwritten); the others were refused as stale. Each record's
version counts the changes it took: 2 for each writer's own finding (added, then its severity changed once), one
more than the owner changes that went through for the shared one.

Marked `server`: not in the default run (a minute of eight processes); .ci/run runs it on its PostgreSQL pass.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.pg_cluster import Cluster, available
from workbench.services import records
from workbench.services.engagements import create_engagement
from workbench.services.record_versions import record_versions
from workbench.services.trail import verify_engagement
from workbench.services.unit import reading
from workbench.store.audit import events_of
from workbench.store.server_workspace import ServerWorkspace

pytestmark = [pytest.mark.server, pytest.mark.skipif(not available(), reason="PostgreSQL is not installed")]
WRITERS = 8
ROOT = Path(__file__).resolve().parents[2]


def test_eight_writers_on_one_engagement_lose_nothing_and_keep_one_chain(pg_cluster: Cluster,
                                                                          tmp_path: Path) -> None:
    name = pg_cluster.fresh_database()
    url = pg_cluster.url(name)
    try:
        with ServerWorkspace(url) as ws:
            engagement = create_engagement(ws, client="Acme Analytics", title="Shared audit")
            shared = records.add_record(ws, engagement, "finding", {"title": "Shared", "severity": "High",
                                                                    "owner": "nobody yet"})
            with reading(ws, engagement) as (session, row):
                events_before = len(events_of(session, row.uid))
        seconds = os.environ.get("WORKBENCH_CONCURRENCY_SECONDS", "60")
        env = {**os.environ, "WORKBENCH_PLAIN_WORKSPACE": "1", "PYTHONPATH": str(ROOT)}
        outputs = [tmp_path / f"writer-{n}.json" for n in range(WRITERS)]
        writers = [subprocess.Popen([sys.executable, "-m", "tests.helpers.server_writer", url, engagement, shared,
                                     str(n), seconds, str(out)], cwd=ROOT, env=env, stderr=subprocess.PIPE)
                   for n, out in enumerate(outputs)]
        for writer in writers:
            _, stderr = writer.communicate(timeout=float(seconds) + 120)
            assert writer.returncode == 0, stderr.decode(errors="replace")[-2000:]
        reports = [json.loads(out.read_text(encoding="utf-8")) for out in outputs]
        expected = {uid: severity for report in reports for uid, severity in report["findings"].items()}
        owners = [tuple(pair) for report in reports for pair in report["owners"]]
        changes = sum(report["changes"] for report in reports)
        assert all(report["changes"] > 0 for report in reports)  # every writer got its turns

        with ServerWorkspace(url) as ws:
            held = {f["uid"]: f["severity"] for f in records.list_records(ws, engagement, "finding")}
            shared_owner = next(f["owner"] for f in records.list_records(ws, engagement, "finding")
                                if f["uid"] == shared)
            assert held.pop(shared) == "High"
            assert held == expected  # no edit lost, none overwritten by another writer
            with reading(ws, engagement) as (session, row):
                events = events_of(session, row.uid)
                versions = record_versions(session, row, "finding")
            assert versions.pop(shared) == 1 + len(owners)
            assert set(versions.values()) == {2} and set(versions) == set(expected)
            assert len(events) == events_before + changes  # one event per committed change, no more
            assert [event["seq"] for event in events] == list(range(1, len(events) + 1))
            assert verify_engagement(ws, engagement).ok
        history = [(event["before"]["owner"], event["after"]["owner"]) for event in events
                   if event["entity_id"] == shared and event["action"] == "update"]
        assert sorted(history) == sorted(owners)  # every change that went through, as its writer based it
        assert all(earlier[1] == later[0] for earlier, later in zip(history, history[1:], strict=False))
        assert history[0][0] == "nobody yet" and history[-1][1] == shared_owner
        assert sum(report["stale"] for report in reports) > 0  # eight writers did collide, and were refused
    finally:
        pg_cluster.drop(name)
