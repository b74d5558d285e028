"""`workbench server checkout / checkin / release` on a team server (the session's throwaway PostgreSQL cluster) and a
laptop's workspace file; each refusal is one `workbench: ...` line, exit 2, with both workspaces unchanged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.helpers import content_hash
from tests.helpers.cli import one_line, run
from tests.helpers.pg_cluster import Cluster, available
from workbench.services import records
from workbench.store.workspace import Workspace

pytestmark = pytest.mark.skipif(not available(), reason="PostgreSQL's initdb/pg_ctl are not installed")


@pytest.fixture
def server_url(pg_cluster: Cluster) -> Iterator[str]:
    database = pg_cluster.fresh_database()
    try:
        yield pg_cluster.url(database)
    finally:
        pg_cluster.drop(database)


def _hashes(url: str, *files: Path) -> list[str]:
    return [content_hash(SimpleNamespace(is_server=True, url=url))] + [content_hash(f) for f in files]


def test_check_out_refuse_check_in_and_release_through_the_command_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, server_url: str,
        remembered_identities: dict[str, tuple[str, str]]) -> None:
    ana, rui = (["--identity", remembered_identities[role][0]] for role in ("preparer", "reviewer"))
    laptop = tmp_path / "laptop.db"
    code, out, err = run(capsys, "--db", server_url, "new", "--client", "Acme Bank", "--title", "Credit audit",
                         "--json")
    assert code == 0, err
    ref = json.loads(out)["ref"]
    assert run(capsys, "--db", server_url, "server", "grant", ref, "postgres", "--as", "partner")[0] == 0

    code, out, err = run(capsys, "--db", server_url, "server", "checkout", ref, "--to", str(laptop), *ana)
    assert code == 0 and f"{ref} checked out to Ana Preparer's laptop" in out, err
    before = _hashes(server_url, laptop)
    code, out, err = run(capsys, "--db", server_url, "assess", ref, "DP", "--level", "2")
    assert code == 2 and f"{ref} is checked out to Ana Preparer's laptop since " in one_line(err)
    assert err.rstrip().endswith("check it in first")
    code, out, err = run(capsys, "--db", server_url, "server", "checkout", ref, "--to", str(tmp_path / "b.db"), *rui)
    assert code == 2 and "is checked out to Ana Preparer's laptop" in one_line(err)  # already checked out, by whom
    assert not (tmp_path / "b.db").exists()
    code, out, err = run(capsys, "--db", server_url, "server", "checkin", ref, "--from", str(laptop), *rui)
    assert code == 2 and "was checked out by Ana Preparer: only that identity" in one_line(err)  # wrong identity
    code, out, err = run(capsys, "--db", str(laptop), "server", "release", ref, *rui)
    assert code == 2 and "is not a team server" in one_line(err)  # not a server
    assert _hashes(server_url, laptop) == before

    with Workspace(laptop) as ws:
        records.add_record(ws, ref, "finding", {"title": "Found offline", "severity": "High"})
    code, out, err = run(capsys, "--db", server_url, "server", "checkin", ref, "--from", str(laptop), *ana, "--json")
    assert code == 0, err
    checked_in = json.loads(out)
    assert checked_in["checkout"]["holder"] == "Ana Preparer" and checked_in["merge"]["conflicts"] == []
    code, out, err = run(capsys, "--db", server_url, "show", ref, "--json")
    assert [f["title"] for f in json.loads(out)["findings"]] == ["Found offline"]
    assert run(capsys, "--db", server_url, "log", ref, "--verify")[0] == 0
    code, out, err = run(capsys, "--db", server_url, "server", "checkin", ref, "--from", str(laptop), *ana)
    assert code == 2 and f"no engagement '{ref}' in this workspace" in one_line(err)  # the laptop's copy is gone

    before = _hashes(server_url, laptop)
    code, out, err = run(capsys, "--db", server_url, "server", "release", ref, *rui)
    assert code == 2 and "is not checked out" in one_line(err)  # not checked out
    assert _hashes(server_url, laptop) == before
    assert run(capsys, "--db", server_url, "server", "checkout", ref, "--to", str(laptop), *ana)[0] == 0
    before = _hashes(server_url, laptop)
    code, out, err = run(capsys, "--db", server_url, "server", "checkout", ref, "--to", str(laptop), *ana)
    assert code == 2 and "is checked out to Ana Preparer's laptop" in one_line(err)
    assert _hashes(server_url, laptop) == before
    code, out, err = run(capsys, "--db", server_url, "server", "release", ref, "--reason", "laptop lost", *rui)
    assert code == 0 and "released by Rui Reviewer" in out, err
    code, out, err = run(capsys, "--db", server_url, "server", "checkout", ref, "--to", str(laptop), *ana)
    assert code == 2 and f"already holds {ref}" in one_line(err)  # the laptop has that engagement
    assert run(capsys, "--db", server_url, "assess", ref, "DP", "--level", "3")[0] == 0
