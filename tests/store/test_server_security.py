"""Row-level security on a team server: a role sees only the engagements it is staffed on, through the app and
through plain SQL, and cannot staff itself.

The administrator (the cluster's superuser here, who ran `server init`) creates three engagements; `alice` is
granted the first as reviewer, `mallory` the third as preparer. Mallory, an auditor of the firm who is not
staffed on the first two, then looks at every table with plain SQL and through the workbench."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.helpers.pg_cluster import Cluster, available
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.services import evidence, records
from workbench.services.engagements import create_engagement, list_engagements
from workbench.services.team_server import grant_membership
from workbench.services.trail import verify_engagement
from workbench.store.server_security import MEMBER_TABLE
from workbench.store.server_workspace import ServerWorkspace

pytestmark = pytest.mark.skipif(not available(), reason="PostgreSQL's initdb/pg_ctl are not installed")
_numbers = itertools.count(1)


@dataclass
class Firm:
    cluster: Cluster
    database: str
    admin: str
    alice: str
    mallory: str
    engagements: list[str]  # uids: alice's, another, mallory's

    def url(self, role: str) -> str:
        return self.cluster.url(self.database, user=role)


@pytest.fixture
def firm(pg_cluster: Cluster, tmp_path: Path) -> Iterator[Firm]:
    number = next(_numbers)
    alice, mallory = f"alice_{number}", f"mallory_{number}"
    for role in (alice, mallory):
        pg_cluster.sql(f"CREATE ROLE {role} LOGIN")
    database = pg_cluster.fresh_database()
    admin = pg_cluster.url(database)
    proof = tmp_path / "runbook.txt"
    proof.write_text("rollback: none documented", encoding="utf-8")
    uids = []
    with ServerWorkspace(admin) as ws:
        for client, title in (("Acme Analytics", "Platform audit"), ("Borealis Bank", "Credit models"),
                              ("Cobalt Health", "Triage model")):
            uid = create_engagement(ws, client=client, title=title)
            records.add_record(ws, uid, "finding", {"title": f"{client}: no rollback", "severity": "High"})
            records.add_record(ws, uid, "risk", {"title": f"{client}: outage", "likelihood": 2, "impact": 4})
            evidence.attach_file(ws, uid, proof, description=f"{client} runbook")
            uids.append(uid)
    grant_membership(admin, uids[0], alice, "reviewer")
    grant_membership(admin, uids[2], mallory, "preparer")
    try:
        yield Firm(pg_cluster, database, admin, alice, mallory, uids)
    finally:
        pg_cluster.drop(database)
        for role in (alice, mallory):
            pg_cluster.sql(f"DROP ROLE IF EXISTS {role}")


def _engagement_ids(firm: Firm, uids: list[str]) -> list[int]:
    with psycopg.connect(firm.admin) as conn:
        return [conn.execute("SELECT id FROM engagement WHERE uid = %s", (uid,)).fetchone()[0]  # type: ignore[index]
                for uid in uids]


def test_a_non_member_reads_nothing_of_other_engagements_through_plain_sql(firm: Firm) -> None:
    hidden = firm.engagements[:2]
    ids = _engagement_ids(firm, hidden)
    with psycopg.connect(firm.admin) as conn:
        tables = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        client_ids = [row[0] for row in conn.execute("SELECT client_id FROM engagement WHERE id = ANY(%s)", (ids,))]
        digests = [row[0] for row in conn.execute("SELECT sha256 FROM evidence")]
        admin_counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # type: ignore[index]
    assert admin_counts["finding"] == 3 and admin_counts["audit_event"] > 9 and admin_counts["evidence_blob"] == 1

    with psycopg.connect(firm.url(firm.mallory)) as conn:
        def count(sql: str, *params: object) -> int:
            return int(conn.execute(sql, params).fetchone()[0])  # type: ignore[index]

        for table in tables:
            columns = {row[0] for row in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s", (table,))}
            if "engagement_id" in columns:
                assert count(f'SELECT count(*) FROM "{table}" WHERE engagement_id = ANY(%s)', ids) == 0, table
        assert count("SELECT count(*) FROM engagement WHERE id = ANY(%s)", ids) == 0
        assert count("SELECT count(*) FROM engagement") == 1
        assert count("SELECT count(*) FROM audit_event WHERE engagement_uid = ANY(%s)", hidden) == 0
        assert count("SELECT count(*) FROM client WHERE id = ANY(%s)", client_ids) == 0
        assert count("SELECT count(*) FROM finding") == 1 and count("SELECT count(*) FROM risk") == 1
        assert count("SELECT count(*) FROM chart_image") == 0
        assert count(f"SELECT count(*) FROM {MEMBER_TABLE} WHERE engagement_id = ANY(%s)", ids) == 0
        # the runbook is cited by her own engagement's evidence too: that copy she may read, and no other
        assert count("SELECT count(*) FROM evidence_blob WHERE sha256 = ANY(%s)", digests) == 1
        # an UPDATE or DELETE aimed at another engagement's rows touches nothing
        assert conn.execute("UPDATE finding SET title = 'x' WHERE engagement_id = ANY(%s)", (ids,)).rowcount == 0
        assert conn.execute("DELETE FROM risk WHERE engagement_id = ANY(%s)", (ids,)).rowcount == 0


def test_a_role_cannot_staff_itself(firm: Firm) -> None:
    target = _engagement_ids(firm, firm.engagements[:1])[0]
    with psycopg.connect(firm.url(firm.mallory), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"INSERT INTO {MEMBER_TABLE} VALUES (%s, current_user, 'partner')", (target,))
        with pytest.raises(psycopg.Error):  # not the id this session drew for a new engagement
            conn.execute("SELECT workbench_claim(%s, current_user)", (target,))
        assert conn.execute("SELECT count(*) FROM engagement WHERE id = %s", (target,)).fetchone() == (0,)
    with pytest.raises(ValidationError, match="administrator"):
        grant_membership(firm.url(firm.mallory), firm.engagements[0], firm.mallory, "partner")


def test_through_the_app_each_role_sees_and_changes_only_its_engagements(firm: Firm) -> None:
    with ServerWorkspace(firm.url(firm.mallory)) as ws:
        assert [e.uid for e in list_engagements(ws)] == [firm.engagements[2]]
        for hidden in firm.engagements[:2]:
            with pytest.raises(NotFoundError):
                records.list_records(ws, hidden, "finding")
            with pytest.raises(NotFoundError):
                records.add_record(ws, hidden, "finding", {"title": "Planted", "severity": "Low"})
        own = create_engagement(ws, client="Dune Logistics", title="Routing model")  # its creator is its preparer
        records.add_record(ws, own, "finding", {"title": "No drift alerts", "severity": "Medium"})
        assert verify_engagement(ws, own).ok
        assert {e.uid for e in list_engagements(ws)} == {firm.engagements[2], own}
    with ServerWorkspace(firm.url(firm.alice)) as ws:
        assert [e.uid for e in list_engagements(ws)] == [firm.engagements[0]]
        records.add_record(ws, firm.engagements[0], "finding", {"title": "Reviewer's point", "severity": "Low"})
        assert verify_engagement(ws, firm.engagements[0]).ok
    with ServerWorkspace(firm.admin) as ws:  # the administrator sees all, the members' changes among them
        assert len(list_engagements(ws)) == 4
        assert len(records.list_records(ws, firm.engagements[0], "finding")) == 2


def test_the_command_line_as_a_non_member_lists_nothing_of_others(firm: Firm,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    assert main(["--db", firm.url(firm.alice), "list", "--json"]) == 0
    assert firm.engagements[0] in capsys.readouterr().out
    assert main(["--db", firm.url(firm.mallory), "list", "--json"]) == 0
    out = capsys.readouterr().out
    assert firm.engagements[0] not in out and firm.engagements[1] not in out and firm.engagements[2] in out
    assert main(["--db", firm.url(firm.mallory), "show", firm.engagements[0]]) == 2
    assert "no engagement" in capsys.readouterr().err

    assert main(["--db", firm.admin, "server", "grant", firm.engagements[1], firm.mallory, "--as", "partner"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"{firm.mallory} is staffed on ") and line.endswith(" as partner")
    assert main(["--db", firm.url(firm.mallory), "list", "--json"]) == 0  # staffed now: she sees it
    assert firm.engagements[1] in capsys.readouterr().out
    assert main(["--db", firm.url(firm.mallory), "server", "grant", firm.engagements[0], firm.mallory,
                 "--as", "partner"]) == 2
    assert capsys.readouterr().err.strip() == ("workbench: only the team server's administrator (the owner of its "
                                               "tables) staffs auditors on engagements")
