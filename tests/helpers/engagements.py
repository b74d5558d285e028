"""Engagements brought to a given state through the services."""

from __future__ import annotations

from typing import Any

from workbench.services import assessment, engagements, finalise, records, review
from workbench.services.assessment import answers_in_unit, health_in_unit, set_assessment_in_unit
from workbench.services.document import engagement_document
from workbench.services.review import SECTIONS, sign_off_in_unit
from workbench.services.unit import change

DIMENSIONS = ("DP", "MD", "MR", "DEP", "MON", "CICD", "EXP", "FS")


def cover_everything(ws: Any, uid: str, signer: Any, level: int = 3, answer: str = "yes") -> None:
    """What the finalisation gates ask besides notes, findings and the overall sign-offs: every checklist item
    and health-check question answered, every dimension assessed and signed off by the preparer (`signer`),
    every section signed off. Parts already answered, assessed or signed keep what they hold."""
    with change(ws, uid) as unit:
        framework = unit.framework
        document = engagement_document(unit.session, unit.engagement, audit_log=False)
        answered = {r["item_id"] for r in document["checklist"] if r["answer"] != "unanswered"}
        answers_in_unit(unit, [(item.id, answer if answer in item.scale.values else item.scale.values[0], "")
                               for d in framework.dimensions for item in d.items if item.id not in answered])
        asked = {h["question_id"] for h in document["health_check"] if h["answer"] != "unanswered"}
        for question in framework.health_check:
            if question.id not in asked:
                health_in_unit(unit, question.id, "yes")
        levels = {a["dimension_id"] for a in document["assessments"] if a["current_level"]}
        signed = {s["scope"] for s in document["signoffs"] if s["role"] == "preparer"}
        for dimension in framework.dimensions:
            if dimension.id not in levels:
                set_assessment_in_unit(unit, dimension.id, level=level)
            if f"dimension:{dimension.id}" not in signed:
                sign_off_in_unit(unit, "preparer", signer=signer, dimension=dimension.id)
        for key, _title in SECTIONS:
            if f"section:{key}" not in signed:
                sign_off_in_unit(unit, "preparer", signer=signer, section=key)


def ready(ws: Any, uid: str, preparer: Any, reviewer: Any) -> dict[str, Any]:
    """An engagement with nothing blocking finalisation; returns the uids a test may undo (the overall sign-offs
    under "preparer" and "reviewer", each part's under its scope, e.g. "dimension:EXP") and the signers."""
    cover_everything(ws, uid, preparer)
    finding = records.add_record(ws, uid, "finding", {"title": "No drift alerts", "severity": "Critical",
                                                      "recommendation": "Alert on PSI", "owner": "ML lead"})
    note = review.raise_note(ws, uid, "finding", finding, "Cite the monitoring config")
    review.answer_note(ws, uid, note, "Config attached as evidence")
    review.close_note(ws, uid, note)
    prepared = review.sign_off(ws, uid, "preparer", signer=preparer)
    reviewed = review.sign_off(ws, uid, "reviewer", signer=reviewer)
    parts = {s["scope"]: s["uid"] for s in records.list_records(ws, uid, "signoff") if s["scope"]}
    return {"finding": finding, "note": note, "preparer": prepared, "reviewer": reviewed, "by": preparer,
            "lead": reviewer, **parts}


def finalised_engagement(ws, preparer, reviewer) -> str:
    """A final engagement: everything covered (checklist, health check, levels, the preparer's part sign-offs),
    a Critical finding with its fix and owner, prepared by `preparer`, reviewed and finalised by `reviewer`
    (each sign-off and the finalisation attested)."""
    uid = engagements.create_engagement(ws, client="Acme Bank", title="Credit audit")
    for dimension in DIMENSIONS:
        assessment.set_assessment(ws, uid, dimension, level=3)
    records.add_record(ws, uid, "finding", {"title": "No drift alerts", "severity": "Critical",
                                            "recommendation": "Alert on PSI", "owner": "ML lead"})
    cover_everything(ws, uid, preparer)
    review.sign_off(ws, uid, "preparer", signer=preparer)
    review.sign_off(ws, uid, "reviewer", signer=reviewer)
    finalise.finalise(ws, uid, signer=reviewer)
    return str(uid)
