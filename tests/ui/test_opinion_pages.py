"""What an auditor sees of coverage and the gates: the overview's coverage and provisional mark, blockers that
take you to the place that settles them, the risk-acceptance and resolution questions, the level warning."""

from __future__ import annotations

from tests.helpers import content_hash
from workbench.services import assessment, records
from workbench.services.progress import Blocker


def finding(window, ref: str) -> dict:
    return next(f for f in window.session.document["findings"] if f["ref"] == ref)


def events(window) -> int:
    from workbench.services.trail import audit_log

    return len(audit_log(window.ws, window.session.uid))


def test_overview_shows_coverage_and_every_blocker_leads_to_its_place(window) -> None:
    overview = window.view.pages["overview"]
    text = overview.score_label.text()
    assert "<b>66</b> / 100" in text and "PROVISIONAL" not in text
    assert "Coverage: 106 of 106 checklist items, 5 of 5 health-check questions · 8 of 8 dimensions assessed" in text
    blockers = overview.blockers.blockers
    texts = [b.text for b in blockers]
    assert texts == ["2 review notes open", "1 answered review note not closed by the reviewer",
                     "no reviewer sign-off yet", "preparer sign-off missing for 3 sections: Roadmap, Matrices and "
                     "Evidence"]
    assert "href='#0'" in overview.blockers.text()
    overview.blockers.follow("#0")
    review = window.view.pages["review"]
    assert window.view.stack.currentWidget() is review
    assert review.current_note()["uid"] == blockers[0].record
    window.show_step("overview")
    overview.blockers.follow("#2")
    assert window.view.stack.currentWidget() is review


def test_a_blocker_opens_the_dimension_item_finding_or_question(window) -> None:
    session = window.session
    window.view.go_to(*Blocker("FS Feature Store: 1 checklist item unanswered (FS-06)", "assessment", "FS",
                               "FS-06").target)
    page = window.view.pages["assessment"]
    assert window.view.stack.currentWidget() is page
    assert page.dimension().id == "FS" and page.current_item().id == "FS-06"
    target = finding(window, "F-007")
    window.view.go_to(*Blocker("1 Critical or High finding without an owner: F-007", "findings",
                               record=target["uid"]).target)
    findings = window.view.pages["findings"]
    assert window.view.stack.currentWidget() is findings and findings.current_record()["ref"] == "F-007"
    window.view.go_to(*Blocker("health check: 1 question unanswered (HC-3)", "health", item="HC-3").target)
    health = window.view.pages["health"]
    assert window.view.stack.currentWidget() is health
    assert health.rows["HC-3"].box.hasFocus()
    assert session.progress.coverage is not None and session.progress.coverage.health.done == 5


def test_provisional_mark_and_coverage_follow_the_checklist(window) -> None:
    session = window.session
    for item in [i for d in session.framework.dimensions for i in d.items][:30]:
        assessment.answer_item(window.ws, session.uid, item.id, "unanswered")
    session.reload()
    session.changed.emit({"checklist"})
    overview = window.view.pages["overview"]
    text = overview.score_label.text()
    assert "PROVISIONAL" in text and "76 of 106 checklist items answered (71 %), below the 80 %" in text
    assert "Coverage: 76 of 106 checklist items" in text
    step = window.view.steps.item(2)
    assert "Checklist 76/106 (71 %)" in step.toolTip()


def test_risk_accepted_asks_who_and_why_and_cancel_changes_nothing(window) -> None:
    page = window.view.pages.get("findings") or window.view.page("findings")
    window.show_step("findings")
    target = finding(window, "F-012")
    page.select(target["uid"])
    asked: list[str] = []
    page.ask_status_details = lambda record, status: asked.append(status) or None
    before, count = content_hash(window.ws.path), events(window)
    page._edit_current("status", "risk_accepted")
    assert asked == ["risk_accepted"] and finding(window, "F-012")["status"] == "open"
    assert content_hash(window.ws.path) == before and events(window) == count
    page.ask_status_details = lambda record, status: {"accepted_by": "Zoë Müller, CTO",
                                                      "accepted_reason": "Internal users only until June"}
    page._edit_current("status", "risk_accepted")
    stored = finding(window, "F-012")
    assert (stored["status"], stored["accepted_by"], stored["accepted_reason"]) == (
        "risk_accepted", "Zoë Müller, CTO", "Internal users only until June")
    assert stored["accepted_at"] and events(window) == count + 1
    window.session.undo_stack.undo()
    assert finding(window, "F-012")["status"] == "open" and finding(window, "F-012")["accepted_by"] == ""


def test_resolved_asks_what_shows_it(window) -> None:
    window.show_step("findings")
    page = window.view.pages["findings"]
    page.select(finding(window, "F-018")["uid"])
    page.ask_status_details = lambda record, status: {"resolution_evidence": "Run metadata now carries the hash"}
    page._edit_current("status", "resolved")
    stored = finding(window, "F-018")
    assert (stored["status"], stored["resolution_evidence"]) == ("resolved", "Run metadata now carries the hash")
    page._edit_current("status", "in_remediation")  # other moves ask nothing
    assert finding(window, "F-018")["status"] == "in_remediation"


def test_the_status_dialog_needs_its_answers(qtbot) -> None:
    from workbench.ui.pages.finding_status import StatusDetailsDialog

    dialog = StatusDetailsDialog({"ref": "F-011", "title": "No search"}, "risk_accepted", [])
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.accepted_by.setText("CRO")
    assert not ok.isEnabled()
    dialog.reason.setPlainText("Cheap to live with")
    assert ok.isEnabled() and dialog.values() == {"accepted_by": "CRO", "accepted_reason": "Cheap to live with"}
    resolved = StatusDetailsDialog({"ref": "F-020"}, "resolved", [{"file_name": "probe.csv", "sha256": "ab" * 32}])
    qtbot.addWidget(resolved)
    resolved.evidence.setCurrentIndex(1)
    resolved.evidence.activated.emit(1)
    assert resolved.values() == {"resolution_evidence": f"Evidence file probe.csv (SHA-256 {'ab' * 6}…)"}


def test_a_level_on_too_little_of_the_checklist_warns_until_justified(window, qtbot) -> None:
    session = window.session
    for item in session.framework.dimension("FS").items[:9]:
        assessment.answer_item(window.ws, session.uid, item.id, "unanswered")
    assessment.set_assessment(window.ws, session.uid, "FS", justification="")
    session.reload()
    session.changed.emit({"checklist", "assessment"})
    window.show_step("assessment")
    page = window.view.pages["assessment"]
    page.show_dimension([d.id for d in session.framework.dimensions].index("FS"))
    warning = page.level_panel.warning
    assert warning.isVisibleTo(page) and "level 3 is set with 7 of 16 checklist items answered" in warning.text()
    page.justification.setPlainText("Shared PostgreSQL feature tables seen in the walkthrough")
    page.justification.commit()
    assert not warning.isVisibleTo(page)
    assert records.list_records(window.ws, session.uid, "assessment")
