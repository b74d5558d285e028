"""The workbench never opens a network connection (enforced for every test by conftest)."""

from __future__ import annotations

import socket

import pytest


def test_network_guard_is_active() -> None:
    with pytest.raises(AssertionError, match="never open a network connection"):
        socket.create_connection(("127.0.0.1", 9))
    with pytest.raises(AssertionError, match="never open a network connection"):
        socket.socket().connect(("127.0.0.1", 9))


def test_a_full_cli_session_runs_with_the_guard(tmp_path, capsys) -> None:
    from workbench.cli import main

    db = str(tmp_path / "offline.db")
    assert main(["--db", db, "new", "--client", "Offline Ltd", "--title", "Onsite audit", "--json"]) == 0
    import json

    ref = json.loads(capsys.readouterr().out)["ref"]
    assert main(["--db", db, "assess", ref, "DP", "--level", "2"]) == 0
    assert main(["--db", db, "score", ref, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["overall"] == 40.0
