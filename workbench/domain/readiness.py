"""Whether a dimension is ready: the one rule every page and deliverable uses to say "Ready".

Ready means the current level reaches the target AND no Critical or High finding of that dimension
is still open. A dimension at its target with an open Critical finding is not ready, whatever its
level says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from workbench.domain.enums import FindingStatus, Severity
from workbench.domain.errors import ValidationError
from workbench.domain.wording import plural

NOT_ASSESSED = "not_assessed"
NO_TARGET = "no_target"
GAP = "gap"
BLOCKED = "blocked"
READY = "ready"
SEVERE = (Severity.CRITICAL.value, Severity.HIGH.value)


@dataclass(frozen=True)
class Readiness:
    state: str  # one of the constants above
    label: str  # "Ready", "Gap of 2", "Not ready: 1 open Critical finding", "Not assessed", "No target"
    severe_open: int = 0

    @property
    def ready(self) -> bool:
        return self.state == READY


def dimension_readiness(level: int | None, target: int | None, open_severities: Iterable[str] = ()) -> Readiness:
    """Readiness of one dimension from its level, its target and the severities of its open findings."""
    severe = sum(1 for severity in open_severities if severity in SEVERE)
    if level is None:
        return Readiness(NOT_ASSESSED, "Not assessed", severe)
    if target is None:
        return Readiness(NO_TARGET, "No target set", severe)
    if level < target:
        return Readiness(GAP, f"Gap of {target - level}", severe)
    if severe:
        return Readiness(BLOCKED, f"Not ready: {plural(severe, 'open Critical or High finding')}", severe)
    return Readiness(READY, "Ready", 0)


def _is_open(status: object) -> bool:
    try:
        return FindingStatus.parse(status or FindingStatus.OPEN.value).is_open
    except ValidationError:
        return True  # an unknown status is treated as still to do


def open_severities(findings: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Severities of the open findings per dimension id, from finding records (or rows with those keys)."""
    by_dimension: dict[str, list[str]] = {}
    for finding in findings:
        if _is_open(finding.get("status")):
            by_dimension.setdefault(str(finding.get("dimension_id") or ""), []).append(str(finding.get("severity")))
    return by_dimension
