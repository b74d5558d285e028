"""'Raise finding…' on the assessment step (an answer that falls short) and on the health check (a No)."""

from __future__ import annotations

from workbench.services import assessment, records


def _findings(window) -> list[dict]:
    return window.view.session.document["findings"]


def test_raise_finding_from_a_no_answer_adds_it_shows_it_and_undoes(qtbot, window) -> None:
    view = window.view
    session = view.session
    page = view.page("assessment")
    session.run(lambda: assessment.answer_item(session.ws, session.uid, "MON-03", "no"), {"checklist"})
    assert page.reveal("checklist_item", "MON-03")
    assert page.detail.raise_button.isEnabled()
    before = len(_findings(window))
    uid = page.detail.raise_finding()
    assert uid is not None and len(_findings(window)) == before + 1
    raised = next(f for f in _findings(window) if f["uid"] == uid)
    assert (raised["item_id"], raised["dimension_id"]) == ("MON-03", "MON")
    assert view.current_step() == "findings"  # shown on the findings step
    assert session.undo_stack.undoText() == "Raise finding on MON-03"
    session.undo_stack.undo()
    assert len(_findings(window)) == before

    session.run(lambda: assessment.answer_item(session.ws, session.uid, "MON-03", "yes"), {"checklist"})
    page.reveal("checklist_item", "MON-03")
    assert not page.detail.raise_button.isEnabled()  # a Yes is worth no finding


def test_raise_finding_from_a_health_check_no(qtbot, window) -> None:
    view = window.view
    page = view.page("health")
    page.answer("HC-3", "no")
    assert page.rows["HC-3"].raise_button.isEnabled()
    before = len(_findings(window))
    uid = page.raise_finding("HC-3")
    assert uid is not None and len(_findings(window)) == before + 1
    page.answer("HC-3", "yes")
    assert not page.rows["HC-3"].raise_button.isEnabled()
    assert page.raise_finding("HC-3") is None


def test_the_findings_form_picks_a_control_and_files_the_finding_under_its_dimension(qtbot, window) -> None:
    """#22 item 1's GUI picker: the finding's "Checklist item" box lists the framework's controls; choosing one
    names it on the finding and moves the finding to the control's dimension (one undo step)."""
    window.show_step("findings")
    page = window.current_page()
    uid = page.add_record({"title": "Serving answers without a token", "severity": "High", "dimension_id": "MON"})
    page.select(uid)
    box = page.form.editors["item_id"]
    assert box.findData("DEP-08") > 0 and box.itemText(0) == "—"
    box.setCurrentIndex(box.findData("DEP-08"))
    box.activated.emit(box.currentIndex())
    stored = next(f for f in records.list_records(window.ws, window.session.uid, "finding") if f["uid"] == uid)
    assert (stored["item_id"], stored["dimension_id"]) == ("DEP-08", "DEP")
    window.session.undo_stack.undo()
    stored = next(f for f in records.list_records(window.ws, window.session.uid, "finding") if f["uid"] == uid)
    assert (stored["item_id"], stored["dimension_id"]) == ("", "MON")
