"""A team server announces each committed change of an engagement (NOTIFY in the writing transaction), never a
refused one; a workspace file has no feed."""

from __future__ import annotations

import select

import pytest

from tests.helpers.pg_cluster import available
from workbench.domain.errors import StaleEditError
from workbench.services import records
from workbench.services.engagements import create_engagement
from workbench.services.team_changes import ChangeFeed, ChangeNotice, describe_notice, open_change_feed
from workbench.services.unit import reading
from workbench.store.audit import chain_head
from workbench.store.server_workspace import ServerWorkspace


def _wait(feed: ChangeFeed, seconds: float) -> list[ChangeNotice]:
    select.select([feed.fileno()], [], [], seconds)
    return feed.drain()


@pytest.mark.skipif(not available(), reason="PostgreSQL's initdb/pg_ctl are not installed")
def test_a_committed_change_is_announced_and_a_refused_one_is_not(server_url: str) -> None:
    with ServerWorkspace(server_url, actor="Bea Keller") as ws:
        engagement = create_engagement(ws, client="Acme Analytics", title="Platform audit")
        feed = open_change_feed(ws)
        assert feed is not None
        try:
            uid = records.add_record(ws, engagement, "finding", {"title": "Manual rollback", "severity": "High"})
            notices = _wait(feed, 5)
            with reading(ws, engagement) as (session, row):
                engagement_uid, seq = row.uid, chain_head(session, row.uid)[0]
            assert notices == [ChangeNotice(engagement_uid, "Bea Keller", notices[0].at, frozenset({"finding"}), seq)]
            assert describe_notice(notices[0]).startswith("Updated by Bea Keller ")
            with pytest.raises(StaleEditError):
                records.update_record(ws, engagement, "finding", uid, {"owner": "Bea"}, seen_version=7)
            assert _wait(feed, 0.5) == []  # rolled back: nothing to announce
        finally:
            feed.close()


def test_a_workspace_file_has_no_feed(tmp_path) -> None:
    from workbench.store.workspace import Workspace

    with Workspace(tmp_path / "ws.db") as ws:
        assert open_change_feed(ws) is None
