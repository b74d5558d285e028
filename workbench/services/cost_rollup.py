"""Money views of an engagement: remediation effort rolled up from the findings, budget totals.

The day rate and currency are the auditor's (kept in the GUI's settings, or given on the command
line), so they are arguments here: this module only reads the engagement document.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from workbench.domain.enums import FindingStatus, Severity
from workbench.domain.errors import ValidationError

HOURS_PER_DAY = 8.0
DEFAULT_DAY_RATE = 1200.0
DEFAULT_CURRENCY = "EUR"


@dataclass(frozen=True)
class EffortRow:
    """One line of the rollup: a severity (or "Total") with its findings' summed effort."""

    label: str
    findings: int
    hours: float
    unestimated: int  # findings counted without an effort estimate (they add no hours)
    day_rate: float

    @property
    def days(self) -> float:
        return self.hours / HOURS_PER_DAY

    @property
    def cost(self) -> float:
        return self.days * self.day_rate


@dataclass(frozen=True)
class EffortRollup:
    """Effort per severity, most severe first, and the total; `scope` says which findings count."""

    scope: str  # "open" or "all"
    rows: tuple[EffortRow, ...]
    total: EffortRow
    currency: str


@dataclass(frozen=True)
class RemediationRollup:
    open: EffortRollup
    all: EffortRollup
    day_rate: float
    currency: str


def check_day_rate(day_rate: Any) -> float:
    try:
        rate = float(day_rate)
    except (TypeError, ValueError):
        raise ValidationError(f"day rate: '{day_rate}' is not a number") from None
    if not math.isfinite(rate) or rate < 0:
        raise ValidationError("day rate: must be zero or a positive number")
    return rate


def _is_open(finding: Mapping[str, Any]) -> bool:
    try:
        return FindingStatus.parse(finding.get("status") or "open").is_open
    except ValidationError:
        return True  # an unknown status is treated as still to do


def _severity(finding: Mapping[str, Any]) -> str:
    try:
        return Severity.parse(finding.get("severity")).value
    except ValidationError:
        return Severity.INFO.value


def _hours(finding: Mapping[str, Any]) -> float | None:
    value = finding.get("effort_hours")
    if value is None or value == "":
        return None
    try:
        hours = float(value)
    except (TypeError, ValueError):
        return None
    return hours if math.isfinite(hours) and hours >= 0 else None


def _rollup(findings: Iterable[Mapping[str, Any]], scope: str, rate: float, currency: str) -> EffortRollup:
    counts = {s.value: [0, 0.0, 0] for s in Severity}  # findings, hours, unestimated
    for finding in findings:
        entry = counts[_severity(finding)]
        hours = _hours(finding)
        entry[0] += 1
        if hours is None:
            entry[2] += 1
        else:
            entry[1] += hours
    rows = tuple(EffortRow(name, int(n), float(h), int(u), rate) for name, (n, h, u) in counts.items())
    total = EffortRow("Total", sum(r.findings for r in rows), sum(r.hours for r in rows),
                      sum(r.unestimated for r in rows), rate)
    return EffortRollup(scope, rows, total, currency)


def remediation_rollup(document: Mapping[str, Any], day_rate: float = DEFAULT_DAY_RATE,
                       currency: str = DEFAULT_CURRENCY) -> RemediationRollup:
    """Effort hours and cost (hours / 8 × day rate) per severity, for open findings and for all."""
    rate = check_day_rate(day_rate)
    currency = (currency or DEFAULT_CURRENCY).strip().upper() or DEFAULT_CURRENCY
    findings = list(document.get("findings", []))
    return RemediationRollup(
        open=_rollup([f for f in findings if _is_open(f)], "open", rate, currency),
        all=_rollup(findings, "all", rate, currency),
        day_rate=rate, currency=currency)


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    items: int
    total: float
    unpriced: int  # items of this currency without an estimated cost


def cost_totals(document: Mapping[str, Any], kind: str = "budget") -> tuple[CurrencyTotal, ...]:
    """The estimated cost of one kind of cost item summed per currency (never converted)."""
    sums: dict[str, list[float]] = {}
    for item in document.get("costs", []):
        if item.get("kind") != kind:
            continue
        currency = str(item.get("currency") or DEFAULT_CURRENCY).strip().upper() or DEFAULT_CURRENCY
        entry = sums.setdefault(currency, [0, 0.0, 0])
        entry[0] += 1
        value = item.get("estimated_cost")
        if value is None:
            entry[2] += 1
        else:
            entry[1] += float(value)
    return tuple(CurrencyTotal(c, int(n), float(t), int(u)) for c, (n, t, u) in sorted(sums.items()))
