"""Re-audit: a new engagement for the same client, carried forward from an earlier one.

Client, scope, system details, the model inventory and the open findings come across (findings
marked carried_forward); the new engagement keeps the earlier uid so reports can show progress.
"""

from __future__ import annotations

from typing import Any

from workbench.domain.enums import FindingStatus
from workbench.services.engagements import create_engagement, engagement_state
from workbench.services.records import add_in_unit, rows_of
from workbench.services.unit import change, reading
from workbench.store.tables import Client, row_to_dict
from workbench.store.workspace import Workspace

CARRIED_ENGAGEMENT_FIELDS = ("system_name", "use_cases", "ml_framework", "lead_auditor", "team", "scope",
                             "target_level")


def start_reaudit(ws: Workspace, previous_key: str, *, title: str | None = None,
                  framework_id: str | None = None) -> str:
    """Create the follow-up engagement; returns its uid."""
    with reading(ws, previous_key) as (session, previous):
        client = session.get(Client, previous.client_id)
        assert client is not None
        client_values = {k: v for k, v in row_to_dict(client).items() if k != "uid"}
        details = {name: getattr(previous, name) for name in CARRIED_ENGAGEMENT_FIELDS}
        models = [row_to_dict(row) for row in rows_of(session, previous, "model")]
        open_findings = [row_to_dict(row) for row in rows_of(session, previous, "finding")
                         if FindingStatus.parse(row.status).is_open]
        targets = {row.dimension_id: row.target_level for row in rows_of(session, previous, "assessment")}
        previous_uid, previous_title, previous_framework = previous.uid, previous.title, previous.framework_id
    uid = create_engagement(ws, client=client_values, title=title or f"{previous_title} (re-audit)",
                            framework_id=framework_id or previous_framework, details=details)
    with change(ws, uid) as unit:
        before = engagement_state(unit.engagement)
        unit.engagement.previous_uid = previous_uid
        unit.record("carry_forward", "engagement", uid, before, engagement_state(unit.engagement))
        for model in models:
            add_in_unit(unit, "model", _without_uid(model), action="carry_forward")
        dimension_ids = {d.id for d in unit.framework.dimensions}
        for finding in open_findings:
            values = _without_uid(finding)
            values["carried_forward"] = True
            if values.get("dimension_id") not in dimension_ids:
                values["dimension_id"] = ""
            add_in_unit(unit, "finding", values, action="carry_forward")
        from workbench.services.assessment import set_assessment_in_unit

        for dimension_id, target in targets.items():
            if dimension_id in dimension_ids and target is not None:
                set_assessment_in_unit(unit, dimension_id, target=target)
    return uid


def _without_uid(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "uid"}
