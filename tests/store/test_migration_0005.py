"""Migration 0005 (a finding's checklist item, graded targets, model lineage) on a workspace holding rows.

Every row is kept and takes the new columns' defaults; the audit trails written before the columns
existed (events without those keys) still verify, and so does a package written before them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.helpers import (
    PACKAGES_BEFORE_0005,
    assert_nothing_rebuilt,
    column_names,
    content_hash,
    downgrade_workspace,
    schema_of,
    table_counts,
    table_rows,
)
from workbench.domain.errors import PackageError
from workbench.services import records
from workbench.services.packages import export_package, import_package
from workbench.services.trail import verify_engagement
from workbench.store import migrate
from workbench.store.workspace import Workspace

SAMPLES = PACKAGES_BEFORE_0005  # downgraded below 0005: packages written then (tests/helpers.py)
OLD_PACKAGE = PACKAGES_BEFORE_0005 / "early-stage.mlaudit"
NEW_COLUMNS = {"finding": {"item_id": ""}, "checklist_response": {"target": "", "priority": None},
               "model_asset": {"model_card": "", "training_data": "", "code_commit": "", "approval": "not_recorded",
                               "approved_by": ""}}


@pytest.fixture
def old_workspace(tmp_path: Path) -> tuple[Path, list[str]]:
    """The samples without sign-offs in a workspace at schema 0004, as the previous version left it (a 0004
    workspace holds no sign-off under an identity: 0006 added them, and its downgrade drops driftguard's)."""
    path = tmp_path / "old.db"
    with Workspace(path) as ws:
        uids = [import_package(ws, package, untrusted=True) for package in sorted(SAMPLES.glob("*.mlaudit"))
                if package.stem != "driftguard"]
    downgrade_workspace(path, "0004")
    return path, uids


def test_upgrade_keeps_every_row_and_gives_the_new_columns_their_defaults(old_workspace) -> None:
    path, uids = old_workspace
    assert migrate.current_revision(path) == "0004"
    assert "item_id" not in column_names(path, "finding")
    schema_before, counts_before = schema_of(path), table_counts(path)
    assert counts_before["finding"] and counts_before["checklist_response"] and counts_before["model_asset"]
    before = {table: column_names(path, table) for table in NEW_COLUMNS}  # later migrations add columns too
    kept = {table: table_rows(path, table, before[table]) for table in NEW_COLUMNS}

    with Workspace(path) as ws:  # opening upgrades, after a backup
        assert ws.last_backup is not None and table_counts(ws.last_backup) == counts_before
        assert migrate.current_revision(path) == migrate.head_revision()
        for uid in uids:  # events written before the columns existed lack their keys
            report = verify_engagement(ws, uid)
            assert report.ok, report.problem

    assert table_counts(path, counts_before) == counts_before  # later migrations add tables
    assert_nothing_rebuilt(schema_before, schema_of(path))
    for table, added in NEW_COLUMNS.items():
        assert table_rows(path, table, before[table]) == kept[table]  # every row, every old value
        assert set(table_rows(path, table, list(added))) == {tuple(added.values())}
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_after_the_upgrade_a_finding_takes_an_item_and_the_trail_still_holds(old_workspace) -> None:
    path, uids = old_workspace
    with Workspace(path) as ws:
        finding = records.list_records(ws, uids[0], "finding")[0]
        records.update_record(ws, uids[0], "finding", finding["uid"], {"item_id": "MON-03"})
        updated = next(f for f in records.list_records(ws, uids[0], "finding") if f["uid"] == finding["uid"])
        assert (updated["item_id"], updated["dimension_id"]) == ("MON-03", "MON")
        assert verify_engagement(ws, uids[0]).ok
    conn = sqlite3.connect(path)  # an edit behind the app's back to a column older events never named
    conn.execute("UPDATE model_asset SET code_commit = 'forged' WHERE id = (SELECT min(id) FROM model_asset)")
    conn.commit()
    conn.close()
    with Workspace(path) as ws:
        reports = [verify_engagement(ws, uid) for uid in uids]
        broken = [r for r in reports if not r.ok]
        assert len(broken) == 1 and "code_commit" in broken[0].problem


def test_downgrade_drops_only_the_new_columns(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    with Workspace(path) as ws:
        import_package(ws, SAMPLES / "driftguard.mlaudit", untrusted=True)
    downgrade_workspace(path, "0005")  # the schema this migration left, before later ones
    counts = table_counts(path)
    downgrade_workspace(path, "0004")
    for table, added in NEW_COLUMNS.items():
        assert not set(added) & set(column_names(path, table))
    assert table_counts(path) == counts


def test_a_package_written_before_the_columns_imports_verifies_and_exports_again(ws, tmp_path: Path) -> None:
    import json
    import zipfile

    with zipfile.ZipFile(OLD_PACKAGE) as archive:
        old = json.loads(archive.read("engagement.json"))
    assert old["findings"] and all("item_id" not in f for f in old["findings"])
    assert all("item_id" not in (e["after"] or {}) for e in old["audit_log"] if e["entity"] == "finding")
    uid = import_package(ws, OLD_PACKAGE, untrusted=True)  # format 1: unsigned
    assert verify_engagement(ws, uid).ok
    assert {f["item_id"] for f in records.list_records(ws, uid, "finding")} == {""}
    assert {m["approval"] for m in records.list_records(ws, uid, "model")} == {"not_recorded"}
    again = export_package(ws, uid, tmp_path / "again.mlaudit", signer=None)
    copy = import_package(ws, again, as_copy=True, untrusted=True)
    assert verify_engagement(ws, copy).ok


def test_an_old_package_whose_records_were_edited_is_still_refused(ws, ws_path: Path, tmp_path: Path) -> None:
    """Filling the defaults of missing keys must not let an altered record through."""
    import json
    import zipfile

    from workbench.services.package_checks import DOCUMENT, MANIFEST

    forged = tmp_path / "forged.mlaudit"
    with zipfile.ZipFile(OLD_PACKAGE) as source, zipfile.ZipFile(forged, "w") as target:
        document = json.loads(source.read(DOCUMENT))
        document["findings"][0]["item_id"] = "MON-03"  # never written by any event of the trail
        document["findings"][0]["dimension_id"] = "MON"
        body = json.dumps(document).encode("utf-8")
        manifest = json.loads(source.read(MANIFEST))
        import hashlib

        manifest["files"][DOCUMENT] = hashlib.sha256(body).hexdigest()
        for info in source.infolist():
            if info.filename == DOCUMENT:
                target.writestr(DOCUMENT, body)
            elif info.filename == MANIFEST:
                target.writestr(MANIFEST, json.dumps(manifest))
            else:
                target.writestr(info.filename, source.read(info.filename))
    before = content_hash(ws_path)
    with pytest.raises(PackageError, match="do not match its audit trail.*item_id"):
        import_package(ws, forged)
    assert content_hash(ws_path) == before
