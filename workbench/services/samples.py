"""Build an engagement from a content file (sample_audits/content/*.json), through the services.

The samples are built the way an auditor would build them, so they exercise the same
validation and audit trail; the content format is the package's record format without uids.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from workbench.services.assessment import answer_in_unit, health_in_unit, plan_in_unit, set_assessment_in_unit
from workbench.services.attestation import Signer
from workbench.services.engagements import create_engagement, update_engagement
from workbench.services.evidence import attach_in_unit
from workbench.services.records import add_in_unit
from workbench.services.review import answer_note_in_unit, close_note_in_unit, raise_note_in_unit, sign_off_in_unit
from workbench.services.unit import Unit, change
from workbench.store.workspace import Workspace

RENAMED = {"model": {"registry": "model_registry"}}


def _renamed(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    names = RENAMED.get(kind, {})
    return {names.get(key, key): value for key, value in record.items()}


def signer_names(content_file: Path) -> list[str]:
    """The people who sign in a content file: those who sign off, and the lead auditor, who exports the
    sample (each needs a signing identity to build it)."""
    content = json.loads(Path(content_file).read_text(encoding="utf-8"))
    return sorted({row["name"] for row in content.get("signoffs", [])} | {lead_auditor(content_file)})


def lead_auditor(content_file: Path) -> str:
    """Who exports (signs) the sample package: its lead auditor."""
    content = json.loads(Path(content_file).read_text(encoding="utf-8"))
    return str(content["engagement"].get("lead_auditor") or "Workbench Samples")


def build_engagement(ws: Workspace, content_file: Path, evidence_root: Path,
                     signers: Mapping[str, Signer] | None = None) -> str:
    """Create the engagement a content file describes; returns its uid. Each sign-off is given by the signer
    of its name in `signers` (signer_names lists who is needed)."""
    content = json.loads(Path(content_file).read_text(encoding="utf-8"))
    details = dict(content["engagement"])
    framework_id = details.pop("framework_id")
    title = details.pop("title")
    status = details.pop("status", "planning")
    uid = create_engagement(ws, client=content["client"], title=title, framework_id=framework_id, details=details)
    with change(ws, uid) as unit:
        for row in content.get("assessments", []):
            set_assessment_in_unit(unit, row["dimension_id"], level=row.get("current_level"),
                                   target=row.get("target_level"), justification=row.get("justification", ""))
        for row in content.get("checklist", []):
            answer_in_unit(unit, row["item_id"], row["answer"], row.get("note", ""))
            plan = {key: row[key] for key in ("target", "priority") if key in row}
            if plan:
                plan_in_unit(unit, row["item_id"], **plan)
        for row in content.get("health_check", []):
            health_in_unit(unit, row["question_id"], row["answer"], row.get("note", ""))
        for key, kind in (("findings", "finding"), ("models", "model"), ("risks", "risk"), ("costs", "cost"),
                          ("roadmap", "roadmap"), ("matrices", "matrix")):
            for row in content.get(key, []):
                add_in_unit(unit, kind, _renamed(kind, row))
        for item in content.get("evidence", []):
            path = evidence_root / item["file"]
            attach_in_unit(unit, path.read_bytes(), path.name, description=item.get("description", ""),
                           media_type=item.get("media_type"), captured_at=item.get("captured_at"),
                           links=[(link["kind"], link["key"]) for link in item.get("links", [])])
    with change(ws, uid) as unit:
        _review(unit, content, signers or {})
    if status != "planning":
        update_engagement(ws, uid, {"status": status})
    return uid


def _review(unit: Unit, content: dict[str, Any], signers: Mapping[str, Signer]) -> None:
    """Sign-offs (under each person's identity) and review notes, each recorded under its person's name."""
    builder = unit.actor
    for row in content.get("signoffs", []):
        unit.actor = row["name"]
        sign_off_in_unit(unit, row["role"], signer=signers[row["name"]], dimension=row.get("dimension"),
                         section=row.get("section"), note=row.get("note", ""))
    for row in content.get("review_notes", []):
        kind, _, key = row["on"].partition(":")
        unit.actor = row.get("raised_by", builder)
        note = raise_note_in_unit(unit, kind, key, row["text"])
        if row.get("answer"):
            unit.actor = row.get("answered_by", builder)
            answer_note_in_unit(unit, note.uid, row["answer"])
        if row.get("closed"):
            unit.actor = row.get("raised_by", builder)
            close_note_in_unit(unit, note.uid)
    unit.actor = builder


# --- the shipped sample packages ----------------------------------------------------------------------

FEATURED_SAMPLE = "driftguard"  # the sample the demo and the welcome page open first


def sample_packages() -> list[Path]:
    """The sample engagement packages shipped with the workbench (source tree, install or bundle)."""
    from workbench.resources import sample_audits_dir

    return sorted(sample_audits_dir().glob("*.mlaudit"))


def samples_present(ws: Workspace) -> bool:
    """Every shipped sample is in this workspace already (the welcome page then offers to open, not import)."""
    from workbench.services.engagements import list_engagements
    from workbench.services.packages import package_engagement_uid

    present = {summary.uid for summary in list_engagements(ws)}
    packages = sample_packages()
    return bool(packages) and all(package_engagement_uid(package) in present for package in packages)


def import_samples(ws: Workspace) -> dict[str, str]:
    """Import the shipped samples this workspace does not hold yet; {package name: engagement uid} of all.

    The samples are signed packages whose signature and attestations must hold like any other's; their
    signers are sample identities (sample_audits/build.py) that nothing trusts, so they are imported as
    untrusted, which their trails record. Importing a sample is the user's explicit choice (the demo, the
    welcome page's button)."""
    from workbench.domain.errors import NotFoundError
    from workbench.services.engagements import list_engagements
    from workbench.services.packages import import_package, package_engagement_uid

    packages = sample_packages()
    if not packages:
        raise NotFoundError("the sample engagements are missing from this installation")
    present = {summary.uid for summary in list_engagements(ws)}
    uids: dict[str, str] = {}
    for package in packages:  # signed by throw-away sample identities no computer trusts: imported as untrusted
        uid = package_engagement_uid(package)
        uids[package.stem] = uid if uid in present else import_package(ws, package, untrusted=True)
    return uids
