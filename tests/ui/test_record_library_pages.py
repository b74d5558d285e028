"""From library… and Save to library on the findings, risks, costs, roadmap and matrix pages (one machinery);
the new-engagement dialog's "Start from the seed templates"."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from workbench.services import records
from workbench.services.record_library import firm_library_path, library_entries
from workbench.services.trail import audit_log


@pytest.mark.parametrize(("module", "name", "kind"), [
    ("findings", "FindingsPage", "finding"), ("risks", "RisksPage", "risk"), ("costs", "CostsPage", "cost"),
    ("roadmap", "RoadmapPage", "roadmap"),
])
def test_add_from_library_adds_through_the_service_and_undoes(qtbot, session, module, name, kind) -> None:
    page = getattr(importlib.import_module(f"workbench.ui.pages.{module}"), name)(session)
    qtbot.addWidget(page)
    ws, uid = session.ws, session.uid
    rows, events = len(records.list_records(ws, uid, kind)), len(audit_log(ws, uid))
    chosen = library_entries(kind)[:2]
    page.library.confirm = lambda _title, _text: True  # the engagement may hold one of them already
    added = page.library.add_from_library(chosen)
    assert len(added) == 2
    assert len(records.list_records(ws, uid, kind)) == rows + 2 and len(audit_log(ws, uid)) == events + 2
    stored = {r["uid"]: r for r in records.list_records(ws, uid, kind)}
    for new_uid, entry in zip(added, chosen, strict=True):
        assert all(stored[new_uid][k] == v for k, v in entry.record_values(session.framework).items())
    session.undo_stack.undo()
    assert len(records.list_records(ws, uid, kind)) == rows + 1


def test_a_saved_row_is_offered_again_and_the_matrix_tab_adds_it(qtbot, session) -> None:
    from workbench.ui.pages.matrices import MatricesPage

    page = MatricesPage(session)
    qtbot.addWidget(page)
    tab = page.tab["compliance"]
    tab.select(tab.rows()[0]["uid"])
    saved = tab.library.save_to_library()
    assert saved is not None and saved.origin == "firm" and firm_library_path().exists()
    assert saved in tab.library.entries()
    before = len(tab.rows())
    events = len(audit_log(session.ws, session.uid))
    [new_uid] = tab.library.add_from_library([saved])
    assert len(tab.rows()) == before + 1 and len(audit_log(session.ws, session.uid)) == events + 1
    assert tab.model.data_of(new_uid) == tab.model.data_of(tab.rows()[0]["uid"])
    platform = page.tab["platform"]
    assert {e.values["data"]["criterion"] for e in platform.library.entries()} >= {"Ease of use", "Features"}


def test_a_finding_saved_from_the_page_comes_back_under_its_dimension(qtbot, session) -> None:
    from workbench.ui.pages.findings import FindingsPage

    page = FindingsPage(session)
    qtbot.addWidget(page)
    uid = page.add_record({"title": "Shadow models answer production traffic", "severity": "High",
                           "dimension_id": "DEP", "description": "Two unregistered models serve requests.",
                           "owner": "Platform team"})
    page.select(uid)
    saved = page.library.save_to_library()
    assert saved is not None and saved.kind == "finding" and saved.dimensions == {session.framework.id: "DEP"}
    assert "owner" not in saved.values and saved in page.library.entries()
    asked: list[str] = []
    page.library.confirm = lambda _title, text: asked.append(text) or True
    [copy_uid] = page.library.add_from_library([saved])
    assert asked and "Shadow models answer production traffic" in asked[0]  # the engagement has it: asked first
    copy = next(f for f in records.list_records(session.ws, session.uid, "finding") if f["uid"] == copy_uid)
    assert (copy["title"], copy["severity"], copy["dimension_id"], copy["owner"]) == (
        "Shadow models answer production traffic", "High", "DEP", "")


def test_a_malformed_firm_library_is_one_dialog_and_nothing_added(qtbot, session, monkeypatch) -> None:
    from workbench.ui import record_library
    from workbench.ui.pages.risks import RisksPage

    page = RisksPage(session)
    qtbot.addWidget(page)
    firm_library_path().parent.mkdir(parents=True, exist_ok=True)
    firm_library_path().write_text("{broken", encoding="utf-8")
    shown: list[str] = []
    monkeypatch.setattr(record_library, "show_error", lambda _parent, exc, title: shown.append(f"{title}: {exc}"))
    rows = len(records.list_records(session.ws, session.uid, "risk"))
    assert page.library.add_from_library() == []
    assert len(shown) == 1 and "record library" in shown[0] and "\n" not in shown[0]
    assert len(records.list_records(session.ws, session.uid, "risk")) == rows


def test_new_engagement_from_the_seed_templates_fills_each_page(qtbot, window, monkeypatch, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QDialog

    from workbench.ui import dialogs

    def fake_exec(dialog) -> int:
        dialog.client.setCurrentText("Starter Ltd")
        dialog.title_edit.setText("Baseline audit")
        dialog.starter.setChecked(True)
        dialog.grab().save(str(tmp_path / "new-engagement.png"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.NewEngagementDialog, "exec", fake_exec)
    window.new_engagement()
    session = window.view.session
    assert session.document["engagement"]["title"] == "Baseline audit"
    for step, key, kind in (("risks", "risks", "risk"), ("costs", "costs", "cost"), ("roadmap", "roadmap", "roadmap")):
        window.show_step(step)
        assert window.view.pages[step].model.total == len(library_entries(kind)) == len(session.records(key))
    window.show_step("matrices")
    tabs = window.view.pages["matrices"].tab
    for kind in ("compliance", "platform", "tool", "monitoring"):
        assert len(tabs[kind].rows()) == len(library_entries("matrix", kind))
