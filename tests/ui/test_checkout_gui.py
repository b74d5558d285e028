"""File ▸ Check out to this laptop… on a team server's window and File ▸ Check in to team server… on the laptop's:
the library marks who has the engagement, the server's open engagement says why it is read-only and refuses an edit,
and the check-in brings the laptop's work back (a team server on the session's throwaway PostgreSQL cluster)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction

from tests.helpers.pg_cluster import Cluster, available
from workbench.services import records
from workbench.services.checkout import checkouts
from workbench.services.engagements import create_engagement
from workbench.services.trail import verify_engagement
from workbench.store.location import shown
from workbench.store.server_workspace import ServerWorkspace
from workbench.store.workspace import Workspace
from workbench.ui import window_checkout

pytestmark = pytest.mark.skipif(not available(), reason="PostgreSQL's initdb/pg_ctl are not installed")
SHOTS = os.environ.get("WORKBENCH_SCREENSHOTS")  # a folder: the windows are saved there at 1366x768 to look at


@pytest.fixture
def server(pg_cluster: Cluster) -> Iterator[tuple[ServerWorkspace, str]]:
    database = pg_cluster.fresh_database()
    try:
        with ServerWorkspace(pg_cluster.url(database)) as ws:
            uid = create_engagement(ws, client="Acme Analytics", title="Platform audit")
            records.add_record(ws, uid, "finding", {"title": "No rollback plan", "severity": "High"})
            yield ws, uid
    finally:
        pg_cluster.drop(database)


def _window(qtbot: Any, ws: Any, settings: Any, signer: Any) -> Any:
    from workbench.ui.main_window import MainWindow

    win = MainWindow(ws, settings)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win._merge_signer = lambda: signer  # the auditor's unlocked identity (the passphrase dialog is tested elsewhere)
    return win


def _findings_open(qtbot: Any, ws: Any, uid: str, settings: Any, signer: Any) -> tuple[Any, Any]:
    """A window on the server's engagement, its findings page taking edits."""
    win = _window(qtbot, ws, settings, signer)
    win.open_engagement(uid)
    findings = win.view.page("findings")
    assert findings.add_button.isEnabled()
    return win, findings


def _logins_kept(monkeypatch: pytest.MonkeyPatch, url: str, password: str) -> list[str]:
    """The keychain holds the password of the server at `url` (kept by File ▸ Connect to team server…); the URLs
    workspaces are opened with are recorded."""
    from workbench.services import team_login, workspaces
    from workbench.signing import keychain

    address = team_login.address_of(url)
    assert address is not None
    keychain.store_passphrase(f"team-server:{address.label}", password, notify=lambda _message: None)
    opened: list[str] = []
    real = workspaces.open_workspace
    monkeypatch.setattr(workspaces, "open_workspace", lambda target, *a, **k: (opened.append(target),
                                                                              real(target, *a, **k))[1])
    return opened


def _shot(win: Any, name: str) -> None:
    if SHOTS:
        from PySide6.QtWidgets import QApplication

        win.show()
        for _ in range(5):
            QApplication.processEvents()
        win.grab().save(str(Path(SHOTS) / f"{name}.png"))
        win.hide()


def _title_of(win: Any, uid: str) -> str:
    tree = win.library.tree
    for c in range(tree.topLevelItemCount()):
        client = tree.topLevelItem(c)
        for i in range(client.childCount()):
            if client.child(i).data(0, 256) == uid:
                return str(client.child(i).text(1))
    raise AssertionError(f"{uid} is not listed")


def test_check_out_from_the_server_window_and_check_in_from_the_laptop_window(
        qtbot: Any, tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch, server: Any, preparer: Any,
        memory_keyring: Any) -> None:
    server_ws, uid = server
    laptop_path = tmp_path / "field" / "laptop.db"
    laptop_path.parent.mkdir()
    monkeypatch.setattr(window_checkout.QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(laptop_path), ""))
    win = _window(qtbot, server_ws, settings, preparer)
    win.open_engagement(uid)
    assert not win.session.read_only and win.view.page("findings").add_button.isEnabled()
    action = win.findChild(QAction, "check_out")
    assert action.isEnabled() and not win.findChild(QAction, "check_in").isEnabled()  # a server checks out only
    action.trigger()
    assert list(checkouts(server_ws)) == [uid]

    assert win.session.read_only and not win.session.locked  # read-only, not final
    findings = win.view.page("findings")
    assert not findings.add_button.isEnabled() and not findings.delete_button.isEnabled()
    banner = win.read_only_banner
    assert not banner.isHidden() and "is checked out to Ana Preparer's laptop since" in banner.text()
    refused: list[object] = []
    win.session.failed.connect(refused.append)
    assert not win.session.apply("Add finding", lambda: records.add_record(
        server_ws, uid, "finding", {"title": "Meanwhile", "severity": "Low"}), lambda: None, {"finding"})
    assert "check it in first" in str(refused[0])
    _shot(win, "checkout-server-engagement")
    win.view.show_step("findings")
    _shot(win, "checkout-server-findings")
    win.show_library()
    assert banner.isHidden()
    assert _title_of(win, uid) == "Platform audit  [checked out to Ana Preparer]"
    _shot(win, "checkout-server-library")

    with Workspace(laptop_path) as laptop:
        records.add_record(laptop, uid, "finding", {"title": "Found offline", "severity": "Medium"})
        field = _window(qtbot, laptop, settings, preparer)
        assert _title_of(field, uid) == "Platform audit  [checked out of the team server]"
        assert field.findChild(QAction, "check_in").isEnabled()
        assert not field.findChild(QAction, "check_out").isEnabled()  # a laptop's workspace checks in only
        _shot(field, "checkout-laptop-library")
        monkeypatch.setattr(window_checkout.QInputDialog, "getText", lambda *_a, **_k: (server_ws.url, True))
        opened = _logins_kept(monkeypatch, server_ws.url, "Kappa-93 dunes!")
        field.findChild(QAction, "check_in").trigger()
        assert field.library.summaries == [] and checkouts(laptop) == {}
        assert [shown(url) for url in opened] == [shown(server_ws.url).replace("@", ":***@", 1)]
        assert "Kappa-93%20dunes%21" in opened[0]  # logged in as at File ▸ Connect to team server…
        field.hide()

    assert checkouts(server_ws) == {} and verify_engagement(server_ws, uid).ok
    titles = {f["title"] for f in records.list_records(server_ws, uid, "finding")}
    assert titles == {"No rollback plan", "Found offline"}
    win.library.refresh()
    assert _title_of(win, uid) == "Platform audit"
    win.hide()


def test_an_engagement_checked_out_meanwhile_turns_read_only_at_the_first_refused_edit(
        qtbot: Any, tmp_path: Path, settings: Any, server: Any, preparer: Any, reviewer: Any) -> None:
    from workbench.services.checkout import checkout

    server_ws, uid = server
    win, findings = _findings_open(qtbot, server_ws, uid, settings, reviewer)
    with Workspace(tmp_path / "ana.db") as laptop:  # Ana checks it out from her own computer meanwhile
        checkout(server_ws, uid, laptop, signer=preparer)
    refused: list[object] = []
    win.session.failed.connect(refused.append)
    assert not win.session.apply("Add finding", lambda: records.add_record(
        server_ws, uid, "finding", {"title": "Meanwhile", "severity": "Low"}), lambda: None, {"finding"})
    assert "is checked out to Ana Preparer's laptop since" in str(refused[0])
    assert win.session.read_only and not findings.add_button.isEnabled()
    assert [f["title"] for f in records.list_records(server_ws, uid, "finding")] == ["No rollback plan"]
    win.hide()



def test_a_checkout_elsewhere_turns_the_open_engagement_read_only_at_once_and_a_check_in_back(
        qtbot: Any, tmp_path: Path, settings: Any, server: Any, preparer: Any, reviewer: Any) -> None:
    """The change feed carries checkouts: the window does not wait for a refused edit to know."""
    from workbench.services.checkout import checkin, checkout

    server_ws, uid = server
    win, findings = _findings_open(qtbot, server_ws, uid, settings, reviewer)
    assert win.team_changes.listening
    with ServerWorkspace(server_ws.url, actor="Ana Preparer") as ana, Workspace(tmp_path / "ana.db") as laptop:
        checkout(ana, uid, laptop, signer=preparer)  # from Ana's computer
        qtbot.waitUntil(lambda: win.session.read_only, timeout=5000)
        assert not findings.add_button.isEnabled() and not findings.delete_button.isEnabled()
        banner = win.read_only_banner
        assert not banner.isHidden() and "is checked out to Ana Preparer's laptop since" in banner.text()
        _shot(win, "checked-out-elsewhere")
        records.add_record(laptop, uid, "finding", {"title": "Found offline", "severity": "Low"})
        checkin(laptop, uid, ana, signer=preparer)
    qtbot.waitUntil(lambda: not win.session.read_only, timeout=5000)
    assert findings.add_button.isEnabled() and win.read_only_banner.isHidden()
    assert "Found offline" in {row["title"] for row in findings.rows()}
    win.hide()
