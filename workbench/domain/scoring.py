"""Maturity score, band and verdict, as the framework's scoring block defines them.

Dimension score = points_per_level × level; overall = Σ weight × dimension score over assessed
dimensions with the weights renormalised. Score and verdict are marked provisional when any
dimension is missing, or while less of the checklist is answered than the framework's
`coverage.provisional_below` asks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from workbench.domain.coverage import Share
from workbench.domain.enums import FindingStatus, Severity
from workbench.domain.errors import ValidationError
from workbench.domain.framework import Framework
from workbench.domain.wording import plural, share_percent

GO = "Go"
CONDITIONAL_GO = "Conditional Go"
NO_GO = "No-Go"


def on_scale(score: float, out_of: float) -> float:
    """A score kept out of 100 on a framework's own scale: 68 out of 5 is 3.4 (two decimals below 10)."""
    return round(score * out_of / 100.0, 1 if out_of >= 10 else 2)


@dataclass(frozen=True)
class FindingFacts:
    """What the verdict needs to know about one finding."""

    severity: Severity
    status: FindingStatus
    has_recommendation: bool
    has_due_date: bool

    @property
    def unplanned_critical(self) -> bool:
        """An open Critical finding without both a recommendation and a due date: it forces No-Go and
        blocks finalisation. The one place this rule is written."""
        return (self.severity is Severity.CRITICAL and self.status.is_open
                and not (self.has_recommendation and self.has_due_date))


def has_text(value: object) -> bool:
    """A recommendation counts once it holds more than whitespace (SQL's trim() is told the same set)."""
    return bool(str(value or "").strip())


def facts_key(record: Mapping[str, Any]) -> tuple[str, str, bool, bool]:
    """What the verdict reads of a finding record, as a hashable key (the SQL path groups by the same)."""
    return (str(record["severity"]), str(record.get("status") or FindingStatus.OPEN.value),
            has_text(record.get("recommendation")), bool(record.get("due_date")))


def facts_of_record(record: Mapping[str, Any]) -> FindingFacts:
    severity, status, recommended, due = facts_key(record)
    return FindingFacts(Severity.parse(severity), FindingStatus.parse(status), recommended, due)


def is_unplanned_critical(record: Mapping[str, Any]) -> bool:
    """FindingFacts.unplanned_critical for a finding record; a record of unknown shape is not one."""
    try:
        return facts_of_record(record).unplanned_critical
    except ValidationError:
        return False


@dataclass(frozen=True)
class DimensionScore:
    dimension_id: str
    name: str
    weight: float
    level: int | None
    target: int | None
    score: float | None

    @property
    def gap(self) -> int | None:
        if self.level is None or self.target is None:
            return None
        return max(self.target - self.level, 0)


@dataclass(frozen=True)
class ScoreCard:
    dimensions: tuple[DimensionScore, ...]
    overall: float | None
    band: str | None
    verdict: str | None
    provisional: bool
    verdict_reasons: tuple[str, ...]
    provisional_reasons: tuple[str, ...] = ()
    out_of: float = 100.0  # the framework shows its overall score out of this (framework.score_maximum)

    @property
    def shown(self) -> float | None:
        """The overall score on the framework's own scale (3.4 for a template scored out of 5)."""
        return None if self.overall is None else on_scale(self.overall, self.out_of)

    @property
    def shown_text(self) -> str:
        """'65 / 100', '3.4 / 5' or 'Not scored'."""
        return "Not scored" if self.shown is None else f"{self.shown:g} / {self.out_of:g}"

    @property
    def provisional_text(self) -> str:
        """'provisional: 2 of 8 dimensions not assessed; 18 of 71 checklist items answered (25 %) …' or ''."""
        return "provisional: " + "; ".join(self.provisional_reasons) if self.provisional else ""

    def as_dict(self) -> dict[str, object]:
        return {
            "dimensions": [
                {"id": d.dimension_id, "name": d.name, "weight": d.weight, "level": d.level,
                 "target": d.target, "score": d.score}
                for d in self.dimensions
            ],
            "overall": self.overall,
            "band": self.band,
            "verdict": self.verdict,
            "provisional": self.provisional,
            "provisional_reasons": list(self.provisional_reasons),
            "verdict_reasons": list(self.verdict_reasons),
            "out_of": self.out_of,
            "shown": self.shown,
        }


def band_for(framework: Framework, score: float) -> str:
    """The band whose range holds `score`; between bands (20.5) the upper band wins."""
    for band in framework.bands:
        if score <= band.maximum:
            return band.name
    return framework.bands[-1].name


def verdict_for(framework: Framework, overall: float, findings: Iterable[FindingFacts]) -> tuple[str, tuple[str, ...]]:
    """Go / Conditional Go / No-Go, with the reasons an auditor would cite."""
    findings = list(findings)
    open_findings = [f for f in findings if f.status.is_open]
    unplanned_critical = [f for f in open_findings if f.unplanned_critical]
    severe_open = [f for f in open_findings if f.severity in (Severity.CRITICAL, Severity.HIGH)]
    reasons: list[str] = []

    def shown(value: float) -> str:  # the framework's own scale (3 out of 5, not 60 out of 100), never rounded
        return f"{value * framework.score_maximum / 100.0:g}"

    if overall < framework.no_go_below:
        reasons.append(f"score {shown(overall)} is below {shown(framework.no_go_below)}")
    if unplanned_critical:
        reasons.append(f"{plural(len(unplanned_critical), 'open Critical finding', 'open Critical findings')} "
                       "without a recommendation and due date")
    if reasons:
        return NO_GO, tuple(reasons)
    if overall >= framework.go_at_or_above and not severe_open:
        return GO, (f"score {shown(overall)} is at least {shown(framework.go_at_or_above)} "
                    "with no open Critical or High finding",)
    if overall < framework.go_at_or_above:
        reasons.append(f"score {shown(overall)} is below {shown(framework.go_at_or_above)}")
    if severe_open:
        reasons.append(plural(len(severe_open), "open Critical or High finding", "open Critical or High findings"))
    return CONDITIONAL_GO, tuple(reasons)


def provisional_reasons(framework: Framework, assessed: int, checklist: Share | None) -> tuple[str, ...]:
    """Why a score is provisional: dimensions left out, or too little of the checklist answered."""
    reasons = []
    total = len(framework.dimensions)
    if assessed < total:
        reasons.append(f"{plural(total - assessed, 'dimension')} of {total} not assessed")
    threshold = framework.coverage.provisional_below
    if checklist is not None and checklist.total and checklist.ratio < threshold:
        reasons.append(f"{checklist.text('checklist item')} answered ({share_percent(checklist.ratio)}), below the "
                       f"{share_percent(threshold)} the framework asks for")
    return tuple(reasons)


def score_engagement(framework: Framework, levels: Mapping[str, int | None],
                     targets: Mapping[str, int | None] | None = None,
                     findings: Iterable[FindingFacts] = (), checklist: Share | None = None) -> ScoreCard:
    """`checklist` is the answered share of the checklist (domain.coverage); None leaves coverage out."""
    targets = targets or {}
    rows: list[DimensionScore] = []
    for dimension in framework.dimensions:
        level = levels.get(dimension.id)
        score = None if level is None else framework.points_per_level * level
        rows.append(DimensionScore(dimension.id, dimension.name, dimension.weight, level,
                                   targets.get(dimension.id), score))
    assessed = [row for row in rows if row.score is not None]
    why = provisional_reasons(framework, len(assessed), checklist)
    if not assessed:
        return ScoreCard(tuple(rows), None, None, None, True, ("no dimension has been assessed",), why,
                         framework.score_maximum)
    weight = sum(row.weight for row in assessed)
    overall = round(sum(row.weight * row.score for row in assessed if row.score is not None) / weight, 1)
    verdict, reasons = verdict_for(framework, overall, findings)
    return ScoreCard(tuple(rows), overall, band_for(framework, overall), verdict, bool(why), reasons, why,
                     framework.score_maximum)
