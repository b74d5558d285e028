"""A throwaway PostgreSQL cluster for the tests on the team-server backend (WORKBENCH_TEST_BACKEND=postgresql).

initdb + pg_ctl in a temporary folder, listening on a Unix socket in that folder only (no TCP port), trust
authentication, fsync off: started once per test session, stopped at its end and at interpreter exit even when
the session fails. As root (a CI container), the server runs as the `postgres` user (PostgreSQL refuses root).
Each test gets a fresh database made from a template that holds the migrated schema (CREATE DATABASE …
TEMPLATE: a file copy, a few milliseconds), dropped after the test.
"""

from __future__ import annotations

import atexit
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path


def _server_binaries() -> Path:
    """WORKBENCH_PG_BIN, else the newest PostgreSQL Debian installed (/usr/lib/postgresql/<major>/bin)."""
    chosen = os.environ.get("WORKBENCH_PG_BIN")
    if chosen:
        return Path(chosen)
    installed = [folder for folder in Path("/usr/lib/postgresql").glob("*/bin") if (folder / "initdb").exists()]
    installed.sort(key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0)
    return installed[-1] if installed else Path("/usr/lib/postgresql/15/bin")


BIN = _server_binaries()
SUPERUSER = "postgres"
TEMPLATE = "workbench_template"


def available() -> bool:
    return (BIN / "initdb").exists() and (BIN / "pg_ctl").exists()


class Cluster:
    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="workbench-pg-"))
        self.data = self.base / "data"
        self._counter = itertools.count(1)
        self._running = False

    def _as_owner(self, *command: str | Path) -> list[str]:
        if os.geteuid() != 0:
            return [str(part) for part in command]
        return ["runuser", "-u", SUPERUSER, "--", *(str(part) for part in command)]

    def start(self) -> Cluster:
        if os.geteuid() == 0:
            owner = pwd.getpwnam(SUPERUSER)
            os.chown(self.base, owner.pw_uid, owner.pw_gid)
        subprocess.run(self._as_owner(BIN / "initdb", "-D", self.data, "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                                      "--locale=C.UTF-8", "--no-sync"), check=True, capture_output=True, cwd=self.base)
        options = f"-k {self.base} -c listen_addresses='' -c fsync=off -c synchronous_commit=off " \
                  "-c full_page_writes=off -c max_connections=200"
        subprocess.run(self._as_owner(BIN / "pg_ctl", "-D", self.data, "-o", options, "-l", self.base / "server.log",
                                      "-w", "start"), check=True, capture_output=True, cwd=self.base)
        self._running = True
        atexit.register(self.stop)
        return self

    def stop(self) -> None:
        if self._running:
            self._running = False
            subprocess.run(self._as_owner(BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"),
                           capture_output=True, cwd=self.base)
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str, user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@/{database}?host={self.base}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(statement)

    def make_template(self) -> None:
        from workbench.services.team_server import init_server

        self.sql(f"CREATE DATABASE {TEMPLATE}")
        init_server(self.url(TEMPLATE))

    def fresh_database(self) -> str:
        """A new database holding the empty, migrated workspace schema; its name."""
        name = f"ws_{os.getpid()}_{next(self._counter)}"
        self.sql(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return name

    def drop(self, name: str) -> None:
        self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
