"""Build an engagement from a content file (sample_audits/content/*.json), through the services.

The samples are built the way an auditor would build them, so they exercise the same
validation and audit trail; the content format is the package's record format without uids.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workbench.services.assessment import answer_in_unit, health_in_unit, set_assessment_in_unit
from workbench.services.engagements import create_engagement, update_engagement
from workbench.services.evidence import attach_in_unit
from workbench.services.records import add_in_unit
from workbench.services.unit import change
from workbench.store.workspace import Workspace

RENAMED = {"model": {"registry": "model_registry"}}


def _renamed(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    names = RENAMED.get(kind, {})
    return {names.get(key, key): value for key, value in record.items()}


def build_engagement(ws: Workspace, content_file: Path, evidence_root: Path) -> str:
    """Create the engagement a content file describes; returns its uid."""
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
        for row in content.get("health_check", []):
            health_in_unit(unit, row["question_id"], row["answer"], row.get("note", ""))
        for key, kind in (("findings", "finding"), ("models", "model"), ("risks", "risk"), ("costs", "cost"),
                          ("roadmap", "roadmap"), ("matrices", "matrix"), ("signoffs", "signoff")):
            for row in content.get(key, []):
                add_in_unit(unit, kind, _renamed(kind, row))
        for item in content.get("evidence", []):
            path = evidence_root / item["file"]
            attach_in_unit(unit, path.read_bytes(), path.name, description=item.get("description", ""),
                           media_type=item.get("media_type"), captured_at=item.get("captured_at"),
                           links=[(link["kind"], link["key"]) for link in item.get("links", [])])
    if status != "planning":
        update_engagement(ws, uid, {"status": status})
    return uid
