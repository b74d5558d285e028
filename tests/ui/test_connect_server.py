"""File ▸ Connect to team server…: the dialog opens the server's workspace in the window; the password goes to the
keychain only (never the preferences nor the log); recent servers are listed without passwords; a refused login,
an unreachable host, a missing database or one without a workspace is one plain line and the window keeps the
workspace it had open."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.pg_cluster import Cluster, available
from workbench.services.packages import import_package

pytestmark = pytest.mark.skipif(not available(), reason="PostgreSQL's initdb/pg_ctl are not installed")
SAMPLES = Path(__file__).resolve().parents[2] / "sample_audits"
PASSWORD = "Kappa-93 dunes!"


@pytest.fixture
def sample_database(pg_cluster: Cluster) -> Iterator[str]:
    from workbench.store.server_workspace import ServerWorkspace

    name = pg_cluster.fresh_database()
    with ServerWorkspace(pg_cluster.url(name)) as ws:
        import_package(ws, SAMPLES / "driftguard.mlaudit", untrusted=True)
    try:
        yield name
    finally:
        pg_cluster.drop(name)


def _fill(dialog, cluster: Cluster, database: str, user: str = "postgres", host: str | None = None) -> None:
    dialog.host.setText(host or str(cluster.base))
    dialog.port.setText("5432")
    dialog.database.setText(database)
    dialog.user.setText(user)
    dialog.password.setText(PASSWORD)


def test_connecting_opens_the_server_in_the_window_and_keeps_the_password_in_the_keychain(
        qtbot, window, pg_cluster: Cluster, sample_database: str, memory_keyring, settings, tmp_path) -> None:
    before = window.ws
    dialog = window.connect_server_dialog()
    _fill(dialog, pg_cluster, sample_database)
    if "SHOT" in os.environ:
        window.grab().save(os.environ["SHOT"].replace(".png", "-window.png"))
        dialog.grab().save(os.environ["SHOT"])
    assert dialog.try_connect()

    assert window.ws is not before and window.ws.is_server and window.session is None
    assert before._engine is None  # the file workspace was closed once the server's opened
    assert window.library.summaries  # the server's engagements
    shown = window.statusBar().currentMessage()
    assert PASSWORD not in shown and sample_database in shown
    assert window.team_changes.listening
    account = f"team-server:postgres@{pg_cluster.base}:5432/{sample_database}"
    assert memory_keyring.secrets == {("workbench", account): PASSWORD}
    settings.sync()
    assert PASSWORD not in Path(settings.fileName()).read_text(encoding="utf-8")
    logs = Path(os.environ["WORKBENCH_LOG_DIR"])
    assert not any(PASSWORD in f.read_text(encoding="utf-8", errors="replace") for f in logs.rglob("*") if f.is_file())

    # next time: the server is listed (its address only), choosing it fills the password from the keychain
    again = window.connect_server_dialog()
    assert again.recent.itemText(1) == f"postgres@{pg_cluster.base}:5432/{sample_database}"
    assert again.recent.currentIndex() == 1 and again.password.text() == PASSWORD
    again.reject()


@pytest.mark.parametrize(("case", "said"), [
    ("user", "refused the login (user name or password)"),
    ("database", "has no such database"),
    ("host", "cannot be reached"),
    ("empty", "has no workspace yet"),
    ("port", "is not a number"),
])
def test_a_refusal_is_one_plain_line_and_the_workspace_stays_open(qtbot, window, pg_cluster: Cluster,
                                                                  memory_keyring, case: str, said: str) -> None:
    before = window.ws
    shown = window.session.uid if window.session is not None else None
    empty = f"empty_{case}"
    pg_cluster.sql(f"CREATE DATABASE {empty}")
    try:
        dialog = window.connect_server_dialog()
        _fill(dialog, pg_cluster, "no_such_database" if case == "database" else empty,
              user="nobody_here" if case == "user" else "postgres",
              host="/nonexistent-socket-folder" if case == "host" else None)
        if case == "port":
            dialog.port.setText("54x2")
        assert not dialog.try_connect()
        if "SHOT" in os.environ:
            dialog.grab().save(os.environ["SHOT"].replace(".png", f"-{case}.png"))
        assert dialog.isVisible() and dialog.problem.isVisible() and said in dialog.problem.text()
        assert "\n" not in dialog.problem.text() and PASSWORD not in dialog.problem.text()
        assert "Traceback" not in dialog.problem.text()
        assert window.ws is before and not before.is_server  # nothing changed
        assert (window.session.uid if window.session is not None else None) == shown
        assert memory_keyring.secrets == {}  # a password that opened nothing is not kept
        dialog.reject()
    finally:
        pg_cluster.drop(empty)


def test_a_wrong_password_is_one_plain_line(qtbot, window, pg_cluster: Cluster, sample_database: str,
                                            memory_keyring) -> None:
    """A role that logs in with a password (scram-sha-256 for it alone, on this session's own cluster)."""
    hba = pg_cluster.data / "pg_hba.conf"
    rule = "local all bea_keller scram-sha-256\n"
    if rule not in hba.read_text(encoding="utf-8"):
        pg_cluster.sql("CREATE ROLE bea_keller LOGIN PASSWORD 'the right one'")
        hba.write_text(rule + hba.read_text(encoding="utf-8"), encoding="utf-8")
        pg_cluster.sql("SELECT pg_reload_conf()")
    before = window.ws
    dialog = window.connect_server_dialog()
    _fill(dialog, pg_cluster, sample_database, user="bea_keller")  # PASSWORD is not hers
    assert not dialog.try_connect()
    assert dialog.problem.text() == (f"The team server bea_keller@{pg_cluster.base}:5432/{sample_database} refused "
                                     "the login (user name or password); check them and try again.")
    assert window.ws is before and memory_keyring.secrets == {}
    dialog.reject()
    import psycopg

    from workbench.services.team_login import ServerAddress

    address = ServerAddress.parse(str(pg_cluster.base), "5432", sample_database, "bea_keller")
    with psycopg.connect(address.url("the right one")) as conn:  # her own password does log in
        assert conn.execute("SELECT current_user").fetchone() == ("bea_keller",)
