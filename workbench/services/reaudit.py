"""Re-audit: a new engagement for the same client, carried forward from an earlier one.

Client, scope, system details and the model inventory come across, and so do the open findings, the
risks not yet closed, the cost lines, the roadmap and the supporting matrices (each marked
carried_forward). The new engagement keeps the earlier uid so reports can show progress, and its ref
keeps the earlier ref's prefix (DGA-2026-01 is followed by DGA-2027-01, or DGA-2026-02 in the same year).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from workbench.domain.enums import FindingStatus, RiskStatus
from workbench.services.engagements import create_engagement, engagement_state, next_ref, ref_prefix_of
from workbench.services.records import add_in_unit, rows_of
from workbench.services.unit import Unit, change, reading
from workbench.store.tables import Client, Engagement, row_to_dict
from workbench.store.workspace import Workspace

CARRIED_ENGAGEMENT_FIELDS = ("system_name", "use_cases", "ml_framework", "lead_auditor", "team", "scope",
                             "target_level")
CARRIED_KINDS = ("risk", "cost", "roadmap", "matrix")  # besides models and findings: marked carried_forward


def _carried(session: Session, previous: Engagement) -> dict[str, list[dict[str, Any]]]:
    """The earlier engagement's records that come across, per kind, without their uids."""
    carried = {kind: [_without_uid(row_to_dict(row)) for row in rows_of(session, previous, kind)]
               for kind in ("model", "finding", *CARRIED_KINDS)}
    carried["finding"] = [f for f in carried["finding"] if FindingStatus.parse(f["status"]).is_open]
    carried["risk"] = [r for r in carried["risk"] if r["status"] != RiskStatus.CLOSED.value]
    return carried


def start_reaudit(ws: Workspace, previous_key: str, *, title: str | None = None,
                  framework_id: str | None = None) -> str:
    """Create the follow-up engagement; returns its uid."""
    with reading(ws, previous_key) as (session, previous):
        client = session.get(Client, previous.client_id)
        assert client is not None
        client_values = {k: v for k, v in row_to_dict(client).items() if k != "uid"}
        details: dict[str, Any] = {name: getattr(previous, name) for name in CARRIED_ENGAGEMENT_FIELDS}
        details["ref"] = next_ref(session, client.name, prefix=ref_prefix_of(previous.ref))
        carried = _carried(session, previous)
        targets = {row.dimension_id: row.target_level for row in rows_of(session, previous, "assessment")}
        previous_uid, previous_title, previous_framework = previous.uid, previous.title, previous.framework_id
    uid = create_engagement(ws, client=client_values, title=title or f"{previous_title} (re-audit)",
                            framework_id=framework_id or previous_framework, details=details)
    with change(ws, uid) as unit:
        before = engagement_state(unit.engagement)
        unit.engagement.previous_uid = previous_uid
        unit.record("carry_forward", "engagement", uid, before, engagement_state(unit.engagement))
        for model in carried["model"]:
            add_in_unit(unit, "model", model, action="carry_forward")
        refs = _carry_findings(unit, carried["finding"])
        for kind in CARRIED_KINDS:
            for values in carried[kind]:
                if kind == "roadmap":  # links only to findings that came across
                    values["finding_refs"] = [ref for ref in values["finding_refs"] if ref in refs]
                add_in_unit(unit, kind, {**values, "carried_forward": True}, action="carry_forward")
        from workbench.services.assessment import set_assessment_in_unit

        dimension_ids = {d.id for d in unit.framework.dimensions}
        for dimension_id, target in targets.items():
            if dimension_id in dimension_ids and target is not None:
                set_assessment_in_unit(unit, dimension_id, target=target)
    return uid


def _carry_findings(unit: Unit, findings: list[dict[str, Any]]) -> set[str]:
    """Add the open findings (kept under their refs); a dimension or item the framework lacks is cleared."""
    dimension_ids = {d.id for d in unit.framework.dimensions}
    item_ids = {item.id for d in unit.framework.dimensions for item in d.items}
    refs = set()
    for finding in findings:
        values = {**finding, "carried_forward": True}
        if values.get("dimension_id") not in dimension_ids:
            values["dimension_id"] = ""
        if values.get("item_id") not in item_ids:
            values["item_id"] = ""
        refs.add(add_in_unit(unit, "finding", values, action="carry_forward").ref)
    return refs


def _without_uid(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "uid"}
