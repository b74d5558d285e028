"""Schema migrations, run when a workspace is opened.

Order matters and is tested: refuse a newer schema before touching anything; back up with the
SQLite backup API; migrate on a connection with foreign keys OFF (a batch migration rebuilds
tables with DROP TABLE, which with foreign keys ON would cascade-delete child rows); then check
foreign keys and restore the backup if the migration left the data broken.
"""

from __future__ import annotations

import logging
import re
import shutil
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.domain.errors import WorkspaceError
from workbench.fs.faults import describe_database_error
from workbench.store.connect import open_raw
from workbench.store.keys import is_encrypted, key_file, key_mismatch

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_fk_off_sql = "PRAGMA foreign_keys=OFF"

if TYPE_CHECKING:  # alembic takes a third of a second to import: only a migration needs it
    from alembic.config import Config
    from sqlalchemy import Connection, Engine


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def _revisions() -> tuple[str, frozenset[str]]:
    return _read_revisions(MIGRATIONS)


# a module-level `revision = '…'` / `down_revision: str | None = '…'` line of a migration script
_ASSIGNED = re.compile(r"^(revision|down_revision)[ \t]*(?::[^=\n]*)?=[ \t]*(.*?)[ \t]*(?:#.*)?$", re.MULTILINE)
_LITERAL = re.compile(r"""'([^'\\\n]*)'|"([^"\\\n]*)"|(None)""")


@lru_cache(maxsize=4)
def _read_revisions(folder: Path) -> tuple[str, frozenset[str]]:
    """(head, every revision) of the migration scripts, read from their `revision` and `down_revision` lines.

    Opening an up-to-date workspace then needs no alembic import (nor `ast`: every command and the app's
    first frame ask for the head). Anything unusual (a value that is not one plain string, a line given
    twice, a merge, a branch) is left to alembic's own reading.
    """
    revisions: dict[str, str | None] = {}
    for script in sorted((folder / "versions").glob("*.py")):
        values: dict[str, str | None] = {}
        for name, text in _ASSIGNED.findall(script.read_text(encoding="utf-8")):
            literal = _LITERAL.fullmatch(text)
            if name in values or literal is None:
                return _alembic_revisions()
            quoted, double, _none = literal.groups()
            values[name] = quoted if quoted is not None else double
        if "revision" in values or "down_revision" in values:
            revision, down = values.get("revision"), values.get("down_revision")
            if revision is None:
                return _alembic_revisions()
            revisions[revision] = down
    heads = set(revisions) - {down for down in revisions.values() if down}
    if len(heads) != 1:
        return _alembic_revisions()
    return heads.pop(), frozenset(revisions)


def _alembic_revisions() -> tuple[str, frozenset[str]]:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    head = scripts.get_current_head()
    assert head is not None
    return head, frozenset(rev.revision for rev in scripts.walk_revisions())


def head_revision() -> str:
    return _revisions()[0]


def known_revisions() -> set[str]:
    return set(_revisions()[1])


def current_revision(path: Path) -> str | None:
    """The workspace's schema revision, read without writing a byte; None for a new file."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    encrypted = is_encrypted(path)
    if encrypted and not key_file(path).exists():
        raise WorkspaceError(f"{path.name} is not a workspace file (it is not an SQLite database), or it is an "
                             f"encrypted workspace whose key file {key_file(path).name} is missing beside it.")
    conn = open_raw(path, read_only=True)
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in names:
            if names:
                raise WorkspaceError(f"{path.name} is an SQLite database but not a workbench workspace.")
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except Exception as exc:
        if isinstance(exc, WorkspaceError):
            raise
        if encrypted and "not a database" in str(exc):
            raise key_mismatch(path) from exc
        plain = describe_database_error(exc, path)
        raise WorkspaceError(plain or f"{path.name} cannot be read as a workspace ({exc}).") from exc
    finally:
        conn.close()


def check_compatible(path: Path) -> str | None:
    revision = current_revision(path)
    if revision is not None and revision not in known_revisions():
        raise WorkspaceError(
            f"{path.name} was written by a newer version of the workbench (schema {revision}). "
            "Update the application to open it; the file has not been changed."
        )
    return revision


def backup_path_for(path: Path, revision: str | None) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    return path.parent / "backups" / f"{path.stem}-{stamp}-before-upgrade-from-{revision}.db"


def upgrade_workspace(path: Path, target: str = "head") -> Path | None:
    """Bring the workspace to `target`; returns the backup taken, if one was needed."""
    revision = check_compatible(path)
    if revision == head_revision() and target == "head":
        return None
    from workbench.store.engine import backup_database, create_workspace_engine

    backup = None
    if revision is not None:
        backup = backup_path_for(path, revision)
        backup_database(path, backup)
        log.info("backed up %s to %s before migrating from %s", path, backup, revision)
    from alembic import command

    engine = create_workspace_engine(path, foreign_keys=False)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(_fk_off_sql)
            cfg = alembic_config()
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, target)
            connection.commit()
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            integrity = connection.exec_driver_sql("PRAGMA integrity_check").fetchone()
        if problems or (integrity and integrity[0] != "ok"):
            raise WorkspaceError("the upgraded workspace failed its integrity check")
    except Exception as exc:
        engine.dispose()
        if backup is not None:
            _restore(backup, path)
        log.exception("migration of %s failed", path)
        if isinstance(exc, WorkspaceError):
            raise WorkspaceError(f"Upgrading {path.name} failed ({exc}); it was restored from its backup.") from exc
        raise WorkspaceError(f"Upgrading {path.name} failed; it was restored from its backup.") from exc
    engine.dispose()
    return backup


def _restore(backup: Path, path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.unlink()
    shutil.copyfile(backup, path)


# -- a team server's database (PostgreSQL) --------------------------------------------------------------------

MIGRATION_LOCK = 0x776F726B  # pg_advisory_xact_lock key: two `server init` at once run one after the other


def server_revision(connection: Connection) -> str | None:
    """The schema revision of a team server's database; None for an empty database."""
    from sqlalchemy import inspect, text

    names = set(inspect(connection).get_table_names())
    if "alembic_version" not in names:
        if names:
            raise WorkspaceError("that database holds tables but is not a workbench workspace")
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def check_server_compatible(connection: Connection) -> str | None:
    revision = server_revision(connection)
    if revision is not None and revision not in known_revisions():
        raise WorkspaceError(f"the team server's workspace was written by a newer version of the workbench (schema "
                             f"{revision}). Update the application to open it; nothing was changed.")
    return revision


def upgrade_server(engine: Engine, target: str = "head") -> tuple[str | None, str]:
    """Create or upgrade the schema of a team server's database: (revision before, revision after).

    PostgreSQL runs DDL inside the transaction, so a migration that fails leaves the database exactly as it
    was (no file backup is needed: the server's own backups are IT's). The server's workspace is never
    upgraded as a side effect of opening it: an auditor's newer app must not change the schema under the
    older apps of everyone else (`workbench server init` does it, on purpose)."""
    from alembic import command
    from sqlalchemy import text

    with engine.connect() as connection, connection.begin():
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        before = check_server_compatible(connection)
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, target)
        after = server_revision(connection)
        from workbench.store.server_security import install

        install(connection)  # membership and row-level security over the tables as they now are
    assert after is not None
    return before, after
