"""How much of the framework an engagement has covered: the figure an opinion rests on.

Checklist items answered (not applicable counts as answered: the auditor looked and said why) per
dimension and overall, health-check questions answered, dimensions assessed and sign-offs given.
The step list, the overview, `score --json`, both reports and the finalisation gates read these
numbers from here, so they always agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.domain.framework import Dimension, Framework
from workbench.domain.wording import plural

UNANSWERED = "unanswered"
# sections of an engagement the preparer signs off besides the dimensions (step key, title)
SIGNOFF_SECTIONS: tuple[tuple[str, str], ...] = (
    ("health", "Health check"), ("findings", "Findings"), ("models", "Model inventory"), ("risks", "Risks"),
    ("costs", "Costs"), ("roadmap", "Roadmap"), ("matrices", "Matrices"), ("evidence", "Evidence"))


def signoffs_wanted(framework: Framework, sections: bool = True) -> list[tuple[str, str]]:
    """(role, scope) of every sign-off finalising needs: the overall preparer and reviewer, the preparer's per
    dimension and (unless the firm relaxed them) per section."""
    wanted = [("preparer", ""), ("reviewer", "")]
    wanted += [("preparer", f"dimension:{d.id}") for d in framework.dimensions]
    if sections:
        wanted += [("preparer", f"section:{key}") for key, _title in SIGNOFF_SECTIONS]
    return wanted


@dataclass(frozen=True)
class Share:
    """`done` of `total`; an empty total counts as fully covered (nothing was asked)."""

    done: int
    total: int

    @property
    def ratio(self) -> float:
        return self.done / self.total if self.total else 1.0

    @property
    def complete(self) -> bool:
        return self.done >= self.total

    @property
    def missing(self) -> int:
        return max(self.total - self.done, 0)

    def text(self, noun: str, many: str | None = None) -> str:
        """'18 of 71 checklist items' (the noun agrees with the total)."""
        return f"{self.done:,} of {plural(self.total, noun, many)}"

    def as_dict(self) -> dict[str, Any]:
        return {"done": self.done, "total": self.total, "ratio": round(self.ratio, 4)}


@dataclass(frozen=True)
class DimensionCoverage:
    dimension_id: str
    name: str
    answered: Share
    assessed: bool


@dataclass(frozen=True)
class Coverage:
    dimensions: tuple[DimensionCoverage, ...]
    checklist: Share
    health: Share
    assessed: Share
    signoffs: Share

    def dimension(self, dimension_id: str) -> DimensionCoverage:
        return next(d for d in self.dimensions if d.dimension_id == dimension_id)

    def sentence(self) -> str:
        """'71 of 71 checklist items, 5 of 5 health-check questions' (no health part when none is asked)."""
        parts = [self.checklist.text("checklist item")]
        if self.health.total:
            parts.append(self.health.text("health-check question"))
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        """The `coverage` object of `score --json` (docs/cli.md)."""
        return {
            "checklist": self.checklist.as_dict(),
            "health_check": self.health.as_dict(),
            "dimensions_assessed": self.assessed.as_dict(),
            "signoffs": self.signoffs.as_dict(),
            "dimensions": [{"id": d.dimension_id, "name": d.name, "assessed": d.assessed, **d.answered.as_dict()}
                           for d in self.dimensions],
        }


def level_warning(dimension: Dimension, answered: int, level: int | None, justification: str) -> str:
    """A level set on less than half of its dimension's checklist, with no justification to carry it ('' if fine).

    The level is the auditor's judgement; with most of the checklist still open it must say what it rests on.
    """
    total = len(dimension.items)
    if level is None or not total or answered * 2 >= total or str(justification or "").strip():
        return ""
    return (f"{dimension.id} {dimension.name}: level {level} is set with {answered} of "
            f"{plural(total, 'checklist item')} answered; answer more of them or write a justification that says "
            "what the level rests on")


def is_answered(answer: object) -> bool:
    return bool(answer) and answer != UNANSWERED


def checklist_share(framework: Framework, answers: Mapping[str, str]) -> Share:
    """Answered (or not applicable) checklist items of the framework, from answers by item id."""
    known = framework.item_ids
    return Share(sum(1 for item_id, answer in answers.items() if item_id in known and is_answered(answer)),
                 len(known))


def compute_coverage(framework: Framework, answers: Mapping[str, str], health: Mapping[str, str],
                     levels: Mapping[str, int | None], signoffs: Share = Share(0, 0)) -> Coverage:
    """Coverage from checklist answers and health answers by id, current levels by dimension id, and the
    sign-offs given of those needed (services.review.signoff_needs counts them)."""
    rows = []
    for dimension in framework.dimensions:
        done = sum(1 for item in dimension.items if is_answered(answers.get(item.id)))
        rows.append(DimensionCoverage(dimension.id, dimension.name, Share(done, len(dimension.items)),
                                      levels.get(dimension.id) is not None))
    checklist = Share(sum(r.answered.done for r in rows), sum(r.answered.total for r in rows))
    asked = framework.health_check
    health_share = Share(sum(1 for q in asked if is_answered(health.get(q.id))), len(asked))
    assessed = Share(sum(1 for r in rows if r.assessed), len(rows))
    return Coverage(tuple(rows), checklist, health_share, assessed, signoffs)


def coverage_of_document(framework: Framework, document: Mapping[str, Any],
                         signoffs: Share = Share(0, 0)) -> Coverage:
    """Coverage of an engagement document (services.document shape)."""
    return compute_coverage(framework, {r["item_id"]: r["answer"] for r in document.get("checklist", [])},
                            {h["question_id"]: h["answer"] for h in document.get("health_check", [])},
                            {a["dimension_id"]: a["current_level"] for a in document.get("assessments", [])},
                            signoffs)
