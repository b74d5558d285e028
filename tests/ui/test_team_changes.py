"""Seeing other auditors' work on a team server (issue #18 item 3): a change another auditor commits reaches the
open window within seconds (PostgreSQL LISTEN/NOTIFY, no polling) and the open pages show it, while what the
auditor is typing stays in its editor; saving that text is refused if its record changed underneath (the record's
version, services.records.update_record). On a workspace file nothing listens."""

from __future__ import annotations

import pytest

from tests.helpers.pg_cluster import available
from tests.ui.windows import type_in_cell
from workbench.domain.errors import StaleEditError
from workbench.services import records

pytestmark = pytest.mark.skipif(not available(), reason="PostgreSQL's initdb/pg_ctl are not installed")


def _shown(page, uid: str) -> dict:
    return next(row for row in page.model.all_rows() if row["uid"] == uid)


def test_another_auditors_change_shows_and_the_text_being_typed_stays(qtbot, server_window, server_url) -> None:
    from workbench.store.server_workspace import ServerWorkspace

    window, engagement = server_window
    window.show_step("findings")
    assert window.team_changes.listening
    page = window.current_page()
    first, second = page.rows()[0], page.rows()[1]
    page.select(first["uid"])
    title = page.form.editors["title"]
    title.setFocus()
    title.setText("Rollback by hand, typed and not saved yet")

    with ServerWorkspace(server_url, actor="Bea Keller") as other:  # another auditor, another computer
        records.update_record(other, engagement, "finding", second["uid"], {"owner": "Bea's team"})
        records.update_record(other, engagement, "finding", first["uid"], {"owner": "Bea"})
        added = records.add_record(other, engagement, "finding", {"title": "Found by Bea", "severity": "Low"})

    qtbot.waitUntil(lambda: _shown(page, first["uid"])["owner"] == "Bea", timeout=5000)
    assert _shown(page, second["uid"])["owner"] == "Bea's team"
    assert page.form.editors["owner"].text() == "Bea"  # the form shows the change too...
    assert title.text() == "Rollback by hand, typed and not saved yet"  # ...and keeps what is being typed
    assert window.team_changes.note.isVisible()
    assert window.team_changes.note.text().startswith("Updated by Bea Keller ")
    assert _shown(page, added)["title"] == "Found by Bea" and len(page.rows()) == len(page.model.all_rows())
    if "SHOT" in __import__("os").environ:
        window.grab().save(__import__("os").environ["SHOT"])

    # the title was typed on the record as it was before Bea's change: saving it is refused, the page reloads
    refusals: list[Exception] = []
    window.session.failed.connect(refusals.append)
    title.editingFinished.emit()
    assert len(refusals) == 1 and isinstance(refusals[0], StaleEditError)
    assert "changed meanwhile by Bea Keller" in str(refusals[0])
    assert title.text() == first["title"] and _shown(page, first["uid"])["title"] == first["title"]
    stored = next(r for r in records.list_records(window.ws, engagement, "finding") if r["uid"] == first["uid"])
    assert (stored["title"], stored["owner"]) == (first["title"], "Bea")

    # typed again on what is shown now, it is saved; the window's own change brings no "Updated by" note of its own
    title.setText("Rollback by hand")
    title.editingFinished.emit()
    stored = next(r for r in records.list_records(window.ws, engagement, "finding") if r["uid"] == first["uid"])
    assert stored["title"] == "Rollback by hand" and len(refusals) == 1
    qtbot.wait(300)
    assert window.team_changes.note.text().startswith("Updated by Bea Keller ")


def test_a_record_being_typed_in_stays_in_view_when_another_auditors_change_filters_it_out(
        qtbot, server_window, server_url) -> None:
    """The register filtered to High findings, the auditor typing over one of them: another auditor makes it Low.
    The row stays in view with what is typed (it was lost with the form's record), until the auditor moves on."""
    from workbench.store.server_workspace import ServerWorkspace

    window, engagement = server_window
    window.show_step("findings")
    page = window.current_page()
    severity = page.filter_boxes["severity"]
    severity.setCurrentIndex(severity.findData("High"))
    high = [row for row in page.model.visible_rows() if row["severity"] == "High"]
    assert len(high) >= 2 and len(page.model.visible_rows()) == len(high)
    first, second = high[0], high[1]
    page.select(first["uid"])
    title = page.form.editors["title"]
    title.setFocus()
    title.setText("Typed while Bea works")

    with ServerWorkspace(server_url, actor="Bea Keller") as other:
        records.update_record(other, engagement, "finding", first["uid"], {"severity": "Low"})
    qtbot.waitUntil(lambda: _shown(page, first["uid"])["severity"] == "Low", timeout=5000)
    assert page.current_record() is not None and page.current_record()["uid"] == first["uid"]
    assert first["uid"] in {row["uid"] for row in page.model.visible_rows()}
    assert title.text() == "Typed while Bea works"
    assert page.form.editors["severity"].currentText().startswith("Low")

    # the auditor leaves the text (refused: the record changed underneath) and moves on; the next change shown
    # applies the filter to it again
    page.select(second["uid"])
    with ServerWorkspace(server_url, actor="Bea Keller") as other:
        records.update_record(other, engagement, "finding", second["uid"], {"owner": "Bea"})
    qtbot.waitUntil(lambda: _shown(page, second["uid"])["owner"] == "Bea", timeout=5000)
    assert first["uid"] not in {row["uid"] for row in page.model.visible_rows()}
    assert page.current_record()["uid"] == second["uid"]


def test_a_workspace_file_has_no_feed(window) -> None:
    assert not window.team_changes.listening and not window.team_changes.note.isVisible()


def test_an_open_cell_editor_keeps_its_text_and_the_rows_follow_when_it_closes(qtbot, server_window,
                                                                               server_url) -> None:
    from PySide6.QtWidgets import QAbstractItemView

    from workbench.store.server_workspace import ServerWorkspace

    window, engagement = server_window
    window.show_step("findings")
    page = window.current_page()
    first, second = page.rows()[0], page.rows()[1]
    index = page.model.index(page.model.row_of(first["uid"]), page.spec.columns.index("title"))
    editor = type_in_cell(page.table, index, "Typed in the cell")
    seq = window.session.seq
    with ServerWorkspace(server_url, actor="Bea Keller") as other:
        records.update_record(other, engagement, "finding", second["uid"], {"owner": "Bea's team"})
    qtbot.waitUntil(lambda: window.session.seq > seq, timeout=5000)  # the notice arrived, the session read it
    assert page.table.state() == QAbstractItemView.State.EditingState and editor.text() == "Typed in the cell"
    assert _shown(page, second["uid"])["owner"] != "Bea's team"  # the rows wait for the editor
    page.table.itemDelegate().closeEditor.emit(editor)  # Esc: the cell's edit abandoned, the rows shown anew
    qtbot.waitUntil(lambda: _shown(page, second["uid"])["owner"] == "Bea's team", timeout=2000)


def _terminate_feed(window, server_url: str) -> None:
    """What a server restart or a dropped network does to the window's feed: its connection is closed on it."""
    import psycopg

    pid = window.team_changes._feed._connection.info.backend_pid
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_dropped_feed_says_so_reconnects_and_catches_up_with_what_it_missed(qtbot, server_window, server_url,
                                                                              monkeypatch) -> None:
    from workbench.store.server_workspace import ServerWorkspace
    from workbench.ui.team_changes import LOST_TEXT, TeamChanges

    monkeypatch.setattr(TeamChanges, "RETRY_DELAYS_MS", (300,))
    window, engagement = server_window
    window.show_step("findings")
    page = window.current_page()
    first, second = page.rows()[0], page.rows()[1]
    _terminate_feed(window, server_url)
    qtbot.waitUntil(lambda: window.team_changes.reconnecting, timeout=5000)
    assert not window.team_changes.listening
    assert window.team_changes.note.isVisible() and window.team_changes.note.text() == LOST_TEXT
    with ServerWorkspace(server_url, actor="Bea Keller") as other:  # saved while the window had no feed
        records.update_record(other, engagement, "finding", first["uid"], {"owner": "Bea, while you were away"})

    qtbot.waitUntil(lambda: window.team_changes.listening, timeout=5000)
    qtbot.waitUntil(lambda: _shown(page, first["uid"])["owner"] == "Bea, while you were away", timeout=2000)
    assert not window.team_changes.note.isVisible()
    with ServerWorkspace(server_url, actor="Bea Keller") as other:  # and the feed is live again
        records.update_record(other, engagement, "finding", second["uid"], {"owner": "Bea, once you were back"})
    qtbot.waitUntil(lambda: _shown(page, second["uid"])["owner"] == "Bea, once you were back", timeout=5000)
    assert window.team_changes.note.text().startswith("Updated by Bea Keller ")


def test_an_unreachable_server_is_tried_again_less_and_less_often(qtbot, server_window, server_url,
                                                                  monkeypatch) -> None:
    from workbench.services import team_changes as feeds
    from workbench.ui.team_changes import LOST_TEXT, TeamChanges

    window, _engagement = server_window
    changes = window.team_changes
    tries: list[int] = []
    monkeypatch.setattr(feeds, "open_change_feed", lambda ws: tries.append(changes._retry.interval()))  # refused
    _terminate_feed(window, server_url)
    qtbot.waitUntil(lambda: changes.reconnecting, timeout=5000)
    waits = [changes._retry.interval()]
    for _ in range(len(TeamChanges.RETRY_DELAYS_MS) + 1):  # each refused try, without waiting out its delay
        changes._retry.stop()
        changes._reconnect()
        waits.append(changes._retry.interval())
    assert waits == [*TeamChanges.RETRY_DELAYS_MS, TeamChanges.RETRY_DELAYS_MS[-1], TeamChanges.RETRY_DELAYS_MS[-1]]
    assert len(tries) == len(waits) - 1 and changes.reconnecting and changes.note.text() == LOST_TEXT
    window.team_changes.stop()  # closing the workspace ends the retries
    assert not changes.reconnecting and not changes.note.isVisible()


def test_the_library_follows_other_auditors_changes(qtbot, server_window, server_url) -> None:
    from workbench.services.engagements import update_engagement
    from workbench.store.server_workspace import ServerWorkspace

    window, engagement = server_window
    window.show_library()
    library = window.library
    library.tree.setCurrentItem(library.tree.topLevelItem(0).child(0))

    def title() -> str:
        return library.tree.topLevelItem(0).child(0).text(1)

    with ServerWorkspace(server_url, actor="Bea Keller") as other:
        update_engagement(other, engagement, {"title": "Renamed by Bea"})
    qtbot.waitUntil(lambda: title() == "Renamed by Bea", timeout=5000)
    assert library.selected_uid() == engagement  # the auditor's selection stays


def test_a_cell_typed_over_a_field_changed_meanwhile_is_refused_not_saved_over_it(qtbot, server_window,
                                                                                  server_url) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractItemView

    from workbench.store.server_workspace import ServerWorkspace

    window, engagement = server_window
    window.show_step("findings")
    page = window.current_page()
    first = page.rows()[0]
    index = page.model.index(page.model.row_of(first["uid"]), page.spec.columns.index("title"))
    editor = type_in_cell(page.table, index, "Typed in the cell")
    seq = window.session.seq
    with ServerWorkspace(server_url, actor="Bea Keller") as other:
        records.update_record(other, engagement, "finding", first["uid"], {"title": "Bea's title"})
    qtbot.waitUntil(lambda: window.session.seq > seq, timeout=5000)
    refusals: list[Exception] = []
    window.session.failed.connect(refusals.append)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # saved on the finding as the row showed it: refused in words
    qtbot.waitUntil(lambda: page.table.state() != QAbstractItemView.State.EditingState, timeout=2000)
    assert len(refusals) == 1 and "changed meanwhile by Bea Keller" in str(refusals[0])
    stored = next(r for r in records.list_records(window.ws, engagement, "finding") if r["uid"] == first["uid"])
    assert stored["title"] == "Bea's title" and _shown(page, first["uid"])["title"] == "Bea's title"
