"""Engagements brought to a given state through the services."""

from __future__ import annotations

from workbench.services import assessment, engagements, finalise, records, review

DIMENSIONS = ("DP", "MD", "MR", "DEP", "MON", "CICD", "EXP", "FS")


def ready(ws, uid: str, preparer, reviewer) -> dict[str, object]:
    """An engagement with nothing blocking finalisation; returns the uids a test may undo (and the signers)."""
    for dimension in DIMENSIONS:
        assessment.set_assessment(ws, uid, dimension, level=3)
    finding = records.add_record(ws, uid, "finding", {"title": "No drift alerts", "severity": "Critical",
                                                      "recommendation": "Alert on PSI", "owner": "ML lead"})
    note = review.raise_note(ws, uid, "finding", finding, "Cite the monitoring config")
    review.answer_note(ws, uid, note, "Config attached as evidence")
    review.close_note(ws, uid, note)
    prepared = review.sign_off(ws, uid, "preparer", signer=preparer)
    reviewed = review.sign_off(ws, uid, "reviewer", signer=reviewer)
    return {"finding": finding, "note": note, "preparer": prepared, "reviewer": reviewed, "by": preparer,
            "lead": reviewer}


def finalised_engagement(ws, preparer, reviewer) -> str:
    """A final engagement: every dimension assessed, a Critical finding with its fix and owner, prepared by
    `preparer`, reviewed and finalised by `reviewer` (each sign-off and the finalisation attested)."""
    uid = engagements.create_engagement(ws, client="Acme Bank", title="Credit audit")
    for dimension in DIMENSIONS:
        assessment.set_assessment(ws, uid, dimension, level=3)
    records.add_record(ws, uid, "finding", {"title": "No drift alerts", "severity": "Critical",
                                            "recommendation": "Alert on PSI", "owner": "ML lead"})
    review.sign_off(ws, uid, "preparer", signer=preparer)
    review.sign_off(ws, uid, "reviewer", signer=reviewer)
    finalise.finalise(ws, uid, signer=reviewer)
    return str(uid)
