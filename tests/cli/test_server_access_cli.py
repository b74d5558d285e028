"""A PostgreSQL role the server knows but that was never given access to the workspace (no `server grant`):
every command says so in one line with exit 2 and changes nothing, instead of an unexpected error."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from tests.helpers.cli import one_line, run
from tests.helpers.pg_cluster import Cluster, available
from workbench.services.engagements import create_engagement, list_engagements
from workbench.store.server_workspace import ServerWorkspace

pytestmark = pytest.mark.skipif(not available(), reason="PostgreSQL's initdb/pg_ctl are not installed")
_numbers = itertools.count(1)


@pytest.fixture
def stranger(pg_cluster: Cluster) -> Iterator[tuple[str, str]]:
    """(admin url, url of a login role with no grant at all) on a workspace holding one engagement."""
    role = f"stranger_{next(_numbers)}"
    pg_cluster.sql(f"CREATE ROLE {role} LOGIN")
    database = pg_cluster.fresh_database()
    with ServerWorkspace(pg_cluster.url(database)) as ws:
        create_engagement(ws, client="Acme Analytics", title="Platform audit")
    try:
        yield pg_cluster.url(database), pg_cluster.url(database, user=role)
    finally:
        pg_cluster.drop(database)
        pg_cluster.sql(f"DROP ROLE IF EXISTS {role}")


@pytest.mark.parametrize("command", [["list"], ["show", "ACME-2026-01"], ["score", "ACME-2026-01"],
                                     ["new", "--client", "Borealis", "--title", "Credit models"]])
def test_a_role_without_access_is_told_in_one_line(capsys, stranger, command: list[str]) -> None:
    admin, url = stranger
    code, out, err = run(capsys, "--db", url, *command)
    assert code == 2 and out == ""
    assert "does not let your role read its workspace" in one_line(err) and "workbench server grant" in err
    assert "stranger_" in err and "Traceback" not in err
    with ServerWorkspace(admin) as ws:
        assert [s.title for s in list_engagements(ws)] == ["Platform audit"]  # nothing written
