"""Workspace opening: migrations, refusing newer or foreign files, one writer at a time."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.helpers import content_hash, file_hash
from workbench.domain.errors import WorkspaceError
from workbench.services.engagements import create_engagement
from workbench.services.records import add_record
from workbench.store import migrate
from workbench.store.workspace import Workspace


def make_populated(path: Path) -> str:
    with Workspace(path) as ws:
        uid = create_engagement(ws, client="Acme", title="Audit")
        add_record(ws, uid, "finding", {"title": "No drift detection", "severity": "High"})
        add_record(ws, uid, "risk", {"title": "Silent model decay", "likelihood": 4, "impact": 4})
        add_record(ws, uid, "model", {"name": "churn", "version": "1"})
    return uid


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("engagement", "finding", "risk", "model_asset", "audit_event", "framework_snapshot")}
    finally:
        conn.close()


def test_new_workspace_is_created_at_head(ws_path: Path) -> None:
    with Workspace(ws_path):
        pass
    assert migrate.current_revision(ws_path) == migrate.head_revision()


def test_newer_schema_is_refused_and_file_unchanged(ws_path: Path) -> None:
    make_populated(ws_path)
    conn = sqlite3.connect(ws_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    before = file_hash(ws_path)
    siblings_before = sorted(p.name for p in ws_path.parent.iterdir())
    with pytest.raises(WorkspaceError, match="newer version"):
        Workspace(ws_path).open()
    assert file_hash(ws_path) == before
    assert sorted(p.name for p in ws_path.parent.iterdir()) == siblings_before


@pytest.mark.parametrize("content", [b"not a database at all", b"SQLite format 3\x00" + b"\x00" * 50, b"PK\x03\x04zip"])
def test_foreign_file_is_refused_unchanged(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "foreign.db"
    path.write_bytes(content)
    with pytest.raises(WorkspaceError):
        Workspace(path).open()
    assert path.read_bytes() == content


def test_other_sqlite_database_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    before = file_hash(path)
    with pytest.raises(WorkspaceError, match="not a workbench workspace"):
        Workspace(path).open()
    assert file_hash(path) == before


HOLDER = textwrap.dedent("""
    import sys, time, os
    from pathlib import Path
    from workbench.store.workspace import Workspace
    ws = Workspace(Path(sys.argv[1])).open()
    print("locked", flush=True)
    if sys.argv[2] == "crash":
        os._exit(3)
    time.sleep(60)
""")


def _start_holder(path: Path, mode: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), mode], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_second_process_is_told_who_holds_the_workspace(ws_path: Path) -> None:
    make_populated(ws_path)
    holder = _start_holder(ws_path, "hold")
    try:
        with pytest.raises(WorkspaceError, match=rf"in use by .+, process {holder.pid}"):
            Workspace(ws_path).open()
        # readers still work alongside the writer
        with Workspace(ws_path, read_only=True) as reader:
            from workbench.services.engagements import list_engagements

            assert len(list_engagements(reader)) == 1
    finally:
        holder.kill()
        holder.wait()


def test_crashed_holder_does_not_leave_the_workspace_locked(ws_path: Path) -> None:
    make_populated(ws_path)
    holder = _start_holder(ws_path, "crash")
    holder.wait()
    assert ws_path.with_name(ws_path.name + ".lock").exists()
    with Workspace(ws_path):
        pass


def test_same_process_second_open_is_refused(ws_path: Path) -> None:
    # flock is per open file description, so a second open in one process is refused too
    with Workspace(ws_path), pytest.raises(WorkspaceError, match="in use"):
        Workspace(ws_path).open()


REBUILD_MIGRATION = '''
"""test: rebuild the engagement table the way a batch migration does"""
import sqlalchemy as sa
from alembic import op

revision = "9000"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("engagement", recreate="always") as batch:
        batch.add_column(sa.Column("budget_note", sa.String(), nullable=False, server_default=""))


def downgrade():
    pass
'''


@pytest.fixture
def migrations_with_rebuild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Call it after populating the workspace: it adds a table-rebuilding revision after head."""

    def install() -> Path:
        folder = tmp_path / "migrations"
        shutil.copytree(migrate.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
        (folder / "versions" / "9000_rebuild.py").write_text(REBUILD_MIGRATION.format(head=migrate.head_revision()))
        monkeypatch.setattr(migrate, "MIGRATIONS", folder)
        return folder

    return install


def test_table_rebuilding_migration_keeps_child_rows_and_backs_up(ws_path: Path, migrations_with_rebuild) -> None:
    make_populated(ws_path)
    before = counts(ws_path)
    assert before["finding"] == 1 and before["risk"] == 1
    migrations_with_rebuild()
    backup = migrate.upgrade_workspace(ws_path)
    assert migrate.current_revision(ws_path) == "9000"
    assert counts(ws_path) == before
    assert backup is not None and backup.exists()
    assert counts(backup) == before
    conn = sqlite3.connect(ws_path)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert "budget_note" in [row[1] for row in conn.execute("PRAGMA table_info(engagement)")]
    conn.close()


def test_the_trap_is_real_with_foreign_keys_on(ws_path: Path, migrations_with_rebuild,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: the same migration with foreign keys ON deletes the children (what we avoid)."""
    make_populated(ws_path)
    migrations_with_rebuild()
    from workbench.store import engine as engine_module

    original = engine_module.create_workspace_engine
    monkeypatch.setattr(engine_module, "create_workspace_engine",  # migrate takes it from there when it runs
                        lambda path, foreign_keys=True: original(path, foreign_keys=True))
    monkeypatch.setattr(migrate, "_fk_off_sql", "PRAGMA foreign_keys=ON", raising=False)
    try:
        migrate.upgrade_workspace(ws_path)
    except WorkspaceError:
        pytest.skip("this SQLite refused the rebuild outright")
    assert counts(ws_path)["finding"] == 0


def test_backup_api_copy_includes_uncheckpointed_rows(ws_path: Path, tmp_path: Path) -> None:
    with Workspace(ws_path) as ws:
        uid = create_engagement(ws, client="Acme", title="Audit")
        add_record(ws, uid, "finding", {"title": "Only in the WAL", "severity": "Low"})
        target = tmp_path / "copy.db"
        ws.backup_to(target)
        assert content_hash(target) == content_hash(ws_path)
    time.sleep(0)
