"""Migration 0012 (indexes of what the library list reads) on a workspace holding real rows."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import (
    assert_nothing_rebuilt,
    downgrade_workspace,
    old_counts,
    samples_fitting,
    schema_of,
    table_counts,
)
from workbench.services import records
from workbench.services.library import summaries_at
from workbench.services.packages import import_package
from workbench.services.trail import verify_engagement
from workbench.store import light, migrate
from workbench.store.columns import FINDING_FACTS
from workbench.store.workspace import Workspace

INDEX, DIGESTS = "ix_finding_facts", "ix_framework_snapshot_digest"


def facts_and_plan(path: Path) -> tuple[list[tuple[object, ...]], str]:
    """The score's facts of every finding and the list's frameworks, and how SQLite reads them."""
    with light.reader(path) as conn:
        facts = ", ".join(FINDING_FACTS)
        plan = conn.execute(f"EXPLAIN QUERY PLAN SELECT {facts}, count(*) FROM finding GROUP BY {facts}").fetchall()
        plan += conn.execute("EXPLAIN QUERY PLAN SELECT engagement_id, sha256 FROM framework_snapshot").fetchall()
        read = sorted(light.finding_fact_rows(conn)) + sorted(light.shared_snapshot_texts(conn).items())
        assert light.shared_snapshot_texts(conn) == light.snapshot_texts(conn)
        return read, " ".join(str(step[-1]) for step in plan)


def test_upgrade_keeps_every_row_and_the_score_counts_from_the_index(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Workspace(path) as ws:
        uids = [import_package(ws, package, untrusted=True) for package in samples_fitting("0011")]
        records.add_record(ws, uids[0], "finding", {"title": "Recommendation of spaces only", "severity": "High",
                                                    "recommendation": " \u3000\u00a0\n", "due_date": ""})
    downgrade_workspace(path, "0011")
    schema_before, before = schema_of(path), table_counts(path)
    facts_before, plan_before = facts_and_plan(path)
    assert not {INDEX, DIGESTS} & set(schema_before) and INDEX not in plan_before and DIGESTS not in plan_before
    assert before["finding"] > 20 and any(not fact[3] for fact in facts_before if len(fact) == 6)

    with Workspace(path) as ws:  # opening upgrades, after a backup
        assert ws.last_backup is not None and table_counts(ws.last_backup) == before
        assert migrate.current_revision(path) == migrate.head_revision()
        assert all(verify_engagement(ws, uid).ok for uid in uids)

    assert_nothing_rebuilt(schema_before, schema_of(path))
    assert old_counts(path) == before
    facts_after, plan_after = facts_and_plan(path)
    assert facts_after == facts_before  # the same counts and frameworks, now read from the indexes
    assert f"USING INDEX {INDEX}" in plan_after and f"USING COVERING INDEX {DIGESTS}" in plan_after
    listed = summaries_at(path)
    assert listed is not None and sorted(s.uid for s in listed) == sorted(uids)


def test_a_new_workspace_has_the_index_and_the_downgrade_drops_only_it(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    with Workspace(path) as ws:
        import_package(ws, samples_fitting("0011")[0], untrusted=True)
    downgrade_workspace(path, "0012")  # the schema as 0012 left it (later migrations undone)
    schema, before = schema_of(path), old_counts(path)
    assert {INDEX, DIGESTS} <= set(schema) and f"USING INDEX {INDEX}" in facts_and_plan(path)[1]
    downgrade_workspace(path, "0011")
    assert schema_of(path) == {name: sql for name, sql in schema.items()
                               if name not in {INDEX, DIGESTS, "engagement_checkout"}}
    assert table_counts(path) == before
