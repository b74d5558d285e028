"""The one cost service: remediation hours and cost of each finding and every roll-up of them.

The day rate and currency are the auditor's setting (services/preferences.py, the GUI's settings, or the
command line), one for the whole engagement, so callers pass them as a CostBasis. The arithmetic and the
rounding rule are domain.costs: a finding's cost is hours ÷ 8 × day rate rounded half up to a whole unit,
and every total adds those rounded finding costs, so the summaries equal the sum of the register's rows.
The GUI's costs and findings pages, both reports, the CSV/XLSX record export and the OSCAL export all
read their money here. A finding's stored `cost_estimate`/`currency` columns are not read for any figure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from workbench.domain.costs import (
    DEFAULT_CURRENCY,
    DEFAULT_DAY_RATE,
    HOURS_PER_DAY,
    ROUNDING_RULE,
    CostBasis,
    check_day_rate,
)
from workbench.domain.enums import FindingStatus, Severity
from workbench.domain.errors import ValidationError

__all__ = ["DEFAULT_CURRENCY", "DEFAULT_DAY_RATE", "HOURS_PER_DAY", "ROUNDING_RULE", "CostBasis", "CurrencyTotal",
           "EffortRollup", "EffortRow", "FindingFigure", "RemediationRollup", "check_day_rate", "cost_totals",
           "RoadmapCheck", "finding_figure", "finding_figures", "open_total", "priced_findings", "remediation_rollup",
           "roadmap_check", "rollup_of"]


@dataclass(frozen=True)
class FindingFigure:
    """One finding's effort and its cost at the engagement's basis (None: not estimated)."""

    hours: float | None
    cost: int | None
    currency: str


@dataclass(frozen=True)
class EffortRow:
    """One line of the rollup: a severity (or "Total") with its findings' summed effort and cost."""

    label: str
    findings: int
    hours: float
    unestimated: int  # findings counted without an effort estimate (they add no hours)
    day_rate: float
    cost: int  # the sum of the findings' rounded costs

    @property
    def days(self) -> float:
        return self.hours / HOURS_PER_DAY


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


def finding_figure(finding: Mapping[str, Any], basis: CostBasis) -> FindingFigure:
    hours = _hours(finding)
    return FindingFigure(hours, basis.cost(hours), basis.currency)


def finding_figures(document: Mapping[str, Any], basis: CostBasis) -> dict[str, FindingFigure]:
    """Each finding's figures by its uid (its ref when it has no uid yet)."""
    return {str(f.get("uid") or f.get("ref")): finding_figure(f, basis) for f in document.get("findings", [])}


def priced_findings(findings: Iterable[Mapping[str, Any]], basis: CostBasis) -> list[dict[str, Any]]:
    """Finding records for a table export: `cost_estimate` and `currency` are the service's figures."""
    result = []
    for finding in findings:
        figure = finding_figure(finding, basis)
        result.append({**finding, "cost_estimate": figure.cost, "currency": figure.currency})
    return result


def _row(label: str, figures: list[FindingFigure], rate: float) -> EffortRow:
    return EffortRow(label, len(figures), sum(f.hours or 0.0 for f in figures),
                     sum(1 for f in figures if f.hours is None), rate, sum(f.cost or 0 for f in figures))


def rollup_of(findings: Iterable[Mapping[str, Any]], scope: str, basis: CostBasis) -> EffortRollup:
    """Per severity (most severe first) and in total: the findings' hours and the sum of their costs."""
    by_severity: dict[str, list[FindingFigure]] = {s.value: [] for s in Severity}
    for finding in findings:
        by_severity[_severity(finding)].append(finding_figure(finding, basis))
    rows = tuple(_row(name, figures, basis.day_rate) for name, figures in by_severity.items())
    total = _row("Total", [f for figures in by_severity.values() for f in figures], basis.day_rate)
    return EffortRollup(scope, rows, total, basis.currency)


def open_total(document: Mapping[str, Any], basis: CostBasis) -> EffortRow:
    """The open findings' hours and cost: the Total line of the reports' effort table."""
    return rollup_of([f for f in document.get("findings", []) if _is_open(f)], "open", basis).total


def remediation_rollup(document: Mapping[str, Any], day_rate: float = DEFAULT_DAY_RATE,
                       currency: str = DEFAULT_CURRENCY) -> RemediationRollup:
    """Effort hours and cost per severity, for open findings and for all (rounding: domain.costs)."""
    basis = CostBasis(check_day_rate(day_rate), (currency or DEFAULT_CURRENCY).strip().upper() or DEFAULT_CURRENCY)
    findings = list(document.get("findings", []))
    return RemediationRollup(
        open=rollup_of([f for f in findings if _is_open(f)], "open", basis),
        all=rollup_of(findings, "all", basis),
        day_rate=basis.day_rate, currency=basis.currency)


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


@dataclass(frozen=True)
class RoadmapCheck:
    """How the roadmap's hours (its activities' linked findings) compare with the open findings' effort.

    roadmap_hours = open_hours − unplanned hours + hours of findings no longer open + hours counted twice.
    """

    roadmap_hours: float
    open_hours: float
    unplanned: tuple[tuple[str, float], ...]  # open findings on no activity: (ref, hours)
    closed: tuple[tuple[str, float], ...]  # findings on the roadmap that are no longer open
    repeated: tuple[tuple[str, float], ...]  # findings on more than one activity: (ref, extra hours counted)

    @property
    def agrees(self) -> bool:
        return abs(self.roadmap_hours - self.open_hours) < 1e-9

    def sentence(self, hours_text: Any) -> str:
        """The comparison in words; `hours_text` formats hours (domain.wording.hours_text)."""
        head = (f"The roadmap's activities add up to {hours_text(self.roadmap_hours)}, the open findings' estimated "
                f"effort in the cost roll-up is {hours_text(self.open_hours)}")
        if self.agrees and not (self.unplanned or self.closed or self.repeated):
            return head + ": they agree."
        parts = []
        for refs, words in ((self.unplanned, "open and on no roadmap activity (not counted in the roadmap)"),
                            (self.closed, "no longer open but still on the roadmap (counted in the roadmap only)"),
                            (self.repeated, "on more than one activity (the roadmap counts them again)")):
            if refs:
                listed = ", ".join(ref for ref, _hours in refs)
                parts.append(f"{listed} ({hours_text(sum(h for _ref, h in refs))}) {words}")
        return head + ". The difference: " + "; ".join(parts) + "."


def roadmap_check(document: Mapping[str, Any]) -> RoadmapCheck:
    """Reconcile the roadmap with the cost roll-up (both read the same findings' hours)."""
    findings = {str(f.get("ref")): f for f in document.get("findings", [])}
    seen: dict[str, int] = {}
    roadmap_hours = 0.0
    for activity in document.get("roadmap", []):
        for ref in activity.get("finding_refs") or ():
            if ref in findings:
                seen[ref] = seen.get(ref, 0) + 1
                roadmap_hours += _hours(findings[ref]) or 0.0
    open_refs = [ref for ref, f in findings.items() if _is_open(f)]
    hours = {ref: _hours(f) or 0.0 for ref, f in findings.items()}
    return RoadmapCheck(
        roadmap_hours=roadmap_hours, open_hours=sum(hours[ref] for ref in open_refs),
        unplanned=tuple((ref, hours[ref]) for ref in open_refs if ref not in seen),
        closed=tuple((ref, hours[ref]) for ref in seen if not _is_open(findings[ref])),
        repeated=tuple((ref, hours[ref] * (n - 1)) for ref, n in seen.items() if n > 1))
