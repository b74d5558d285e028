"""Draft a remediation roadmap from the open findings, week by week, as in the seed's plan.

Open findings not yet on the roadmap are put in tiers: Critical quick wins first, then the rest
of Critical with High, then Medium, then Low and Info as the backlog. Each tier starts on a new
week; within it findings are packed, most severe and quickest first, into activities of at most
one person-week (40 h). Every activity starts on the Monday of its week and lasts as many
working days as its hours need. The auditor reviews the proposal before anything is written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from workbench.domain.enums import FindingStatus, Severity
from workbench.domain.errors import ValidationError
from workbench.domain.wording import hours_text
from workbench.services.records import add_in_unit, find_row
from workbench.services.unit import change
from workbench.store.tables import row_to_dict
from workbench.store.workspace import Workspace

WEEK_HOURS = 40.0  # one person-week
DAY_HOURS = 8.0
QUICK_WIN_HOURS = 4.0  # a Critical finding fixed within half a day is a quick win
UNKNOWN_HOURS = DAY_HOURS  # planning allowance for a finding without an estimate
METRIC_CHARS = 180

# (tier title, the findings it takes); each tier begins on a fresh week
TIERS: tuple[tuple[str, str], ...] = (
    ("Critical quick wins", "quick"),
    ("Critical and High", "critical_high"),
    ("Medium", "medium"),
    ("Low / backlog", "backlog"),
)


@dataclass(frozen=True)
class DraftItem:
    """One proposed roadmap activity (a person-week at most), before the auditor accepts it."""

    phase: str
    activity: str
    start_date: date
    end_date: date
    finding_refs: tuple[str, ...]
    success_metric: str
    hours: float

    def values(self) -> dict[str, Any]:
        """The roadmap record this item becomes."""
        return {"phase": self.phase, "activity": self.activity, "start_date": self.start_date.isoformat(),
                "end_date": self.end_date.isoformat(), "finding_refs": list(self.finding_refs),
                "success_metric": self.success_metric}


def next_monday(today: date | None = None) -> date:
    """The first Monday after today (a week ahead when today is a Monday)."""
    today = today or date.today()
    return today + timedelta(days=7 - today.weekday())


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (Saturdays and Sundays skipped)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def _hours(finding: Mapping[str, Any]) -> float | None:
    value = finding.get("effort_hours")
    try:
        hours = float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return hours if hours is not None and math.isfinite(hours) and hours >= 0 else None


def _planning_hours(finding: Mapping[str, Any]) -> float:
    hours = _hours(finding)
    return UNKNOWN_HOURS if hours is None else hours


def _rank(finding: Mapping[str, Any]) -> int:
    try:
        return Severity.parse(finding.get("severity")).rank
    except ValidationError:
        return len(Severity)


def _is_open(finding: Mapping[str, Any]) -> bool:
    try:
        return FindingStatus.parse(finding.get("status") or "open").is_open
    except ValidationError:
        return True


def _tier(finding: Mapping[str, Any]) -> str:
    rank = _rank(finding)
    if rank == Severity.CRITICAL.rank:
        hours = _hours(finding)
        return "quick" if hours is not None and hours <= QUICK_WIN_HOURS else "critical_high"
    if rank == Severity.HIGH.rank:
        return "critical_high"
    if rank == Severity.MEDIUM.rank:
        return "medium"
    return "backlog"


def planned_refs(document: Mapping[str, Any]) -> set[str]:
    return {ref for item in document.get("roadmap", []) for ref in item.get("finding_refs") or []}


def candidates(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Open findings not on the roadmap yet, most severe first, quickest first within a severity."""
    planned = planned_refs(document)
    found = [f for f in document.get("findings", []) if _is_open(f) and f.get("ref") and f["ref"] not in planned]
    return sorted(found, key=lambda f: (_rank(f), _hours(f) is None, _planning_hours(f), str(f["ref"])))


def _pack(findings: Iterable[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Consecutive groups of at most a person-week; a larger finding is a group of its own."""
    groups: list[list[dict[str, Any]]] = []
    load = 0.0
    for finding in findings:
        hours = _planning_hours(finding)
        if groups and load + hours <= WEEK_HOURS + 1e-9:
            groups[-1].append(finding)
            load += hours
        else:
            groups.append([finding])
            load = hours
    return groups


def _first_sentence(text: str) -> str:
    text = " ".join(str(text or "").split())
    match = re.match(r"(.+?[.;!?])(\s|$)", text)
    sentence = (match.group(1) if match else text).rstrip(".;")
    return sentence if len(sentence) <= METRIC_CHARS else sentence[:METRIC_CHARS - 1].rstrip() + "…"


def _activity(group: Sequence[Mapping[str, Any]]) -> str:
    parts = []
    for finding in group:
        hours = _hours(finding)
        estimate = hours_text(hours) if hours is not None else "not estimated"
        parts.append(f"{finding['ref']} {' '.join(str(finding.get('title') or '').split())} ({estimate})")
    return "; ".join(parts) + "."


def _metric(group: Sequence[Mapping[str, Any]]) -> str:
    parts = []
    for finding in group:
        recommendation = _first_sentence(finding.get("recommendation") or "")
        parts.append(f"{finding['ref']}: {recommendation}" if recommendation
                     else f"{finding['ref']}: fixed and verified by the auditor")
    return "Done when — " + "; ".join(parts) + "."


def _week_label(first: int, last: int) -> str:
    return f"Week {first}" if first == last else f"Weeks {first}-{last}"


def draft_roadmap(document: Mapping[str, Any], start: date | None = None, *,
                  today: date | None = None) -> list[DraftItem]:
    """Proposed roadmap items for the open findings not yet planned, in schedule order."""
    start = start or next_monday(today)
    while start.weekday() >= 5:  # a plan starts on a working day
        start += timedelta(days=1)
    found = candidates(document)
    items: list[DraftItem] = []
    week = 0  # weeks already used, counted from `start`
    for title, tier in TIERS:
        groups = _pack(f for f in found if _tier(f) == tier)
        if not groups:
            continue
        scheduled: list[tuple[list[dict[str, Any]], date, date, float]] = []
        first_week = week
        for group in groups:
            hours = sum(_planning_hours(f) for f in group)
            days = max(1, math.ceil(hours / DAY_HOURS - 1e-9))
            begin = start + timedelta(weeks=week)
            scheduled.append((group, begin, add_working_days(begin, days - 1), hours))
            week += max(1, math.ceil(days / 5))
        phase = f"{_week_label(first_week + 1, week)} — {title}"
        for group, begin, end, hours in scheduled:
            items.append(DraftItem(phase, _activity(group), begin, end,
                                   tuple(str(f["ref"]) for f in group), _metric(group), hours))
    return items


def _values(item: DraftItem | Mapping[str, Any]) -> dict[str, Any]:
    return item.values() if isinstance(item, DraftItem) else dict(item)


def apply_draft(ws: Workspace, engagement_key: str, items: Sequence[DraftItem | Mapping[str, Any]],
                uids: Sequence[str] | None = None) -> list[str]:
    """Add all proposed items in one transaction (all or none); returns their uids.

    Passing the `uids` of an earlier apply re-creates exactly those records (redo after undo).
    """
    if uids is not None and len(uids) != len(items):
        raise ValidationError("roadmap draft: one uid per item is needed")
    with change(ws, engagement_key) as unit:
        return [add_in_unit(unit, "roadmap", _values(item), uid=uids[i] if uids else None,
                            action="restore" if uids else "create").uid
                for i, item in enumerate(items)]


def remove_items(ws: Workspace, engagement_key: str, uids: Sequence[str]) -> list[dict[str, Any]]:
    """Delete roadmap items in one transaction (undo of `apply_draft`); returns what they held."""
    removed = []
    with change(ws, engagement_key) as unit:
        for uid in uids:
            row = find_row(unit, unit.engagement, "roadmap", uid)
            before = row_to_dict(row)
            unit.session.delete(row)
            unit.record("delete", "roadmap", row.uid, before, None)
            removed.append(before)
    return removed
