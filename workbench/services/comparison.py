"""Two engagements side by side: each dimension's level and score, and each finding new, resolved or
still open.

Findings are matched by title (case and surrounding spaces ignored), as a re-audit carries them
forward; refs alone are not trusted, since two unrelated engagements both start at F-001. A finding open
in the earlier engagement is "resolved" when the later one holds it closed or no longer holds it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from workbench.domain.enums import FindingStatus
from workbench.services.document import engagement_document
from workbench.services.engagements import score_of_document
from workbench.services.unit import reading, snapshot_of
from workbench.store.workspace import Workspace


@dataclass(frozen=True)
class DimensionChange:
    dimension_id: str
    name: str
    earlier_level: int | None
    later_level: int | None
    earlier_score: float | None
    later_score: float | None

    @property
    def change(self) -> int | None:
        if self.earlier_level is None or self.later_level is None:
            return None
        return self.later_level - self.earlier_level


@dataclass(frozen=True)
class FindingChange:
    state: str  # "new", "resolved" or "still open"
    title: str
    severity: str
    earlier_ref: str
    later_ref: str
    later_status: str


@dataclass(frozen=True)
class Side:
    uid: str
    ref: str
    title: str
    score: float | None  # on the framework's own scale
    out_of: float


@dataclass(frozen=True)
class Comparison:
    earlier: Side
    later: Side
    dimensions: tuple[DimensionChange, ...]
    findings: tuple[FindingChange, ...]

    def count(self, state: str) -> int:
        return sum(1 for f in self.findings if f.state == state)

    def as_dict(self) -> dict[str, Any]:
        return {"earlier": asdict(self.earlier), "later": asdict(self.later),
                "dimensions": [{**asdict(d), "change": d.change} for d in self.dimensions],
                "findings": [asdict(f) for f in self.findings],
                "counts": {state: self.count(state) for state in STATES}}


STATES = ("new", "resolved", "still open")


def _load(ws: Workspace, key: str) -> tuple[Side, dict[str, Any], dict[str, tuple[str, float | None]]]:
    """The engagement's side, its document and, per dimension id, (name, score out of 100)."""
    with reading(ws, key) as (session, engagement):
        framework = snapshot_of(session, engagement)
        document = engagement_document(session, engagement, audit_log=False)
        uid, ref, title = engagement.uid, engagement.ref, engagement.title
    card = score_of_document(framework, document)
    scores = {d.dimension_id: d.score for d in card.dimensions}
    names = {d.id: (d.name, scores.get(d.id)) for d in framework.dimensions}
    return Side(uid, ref, title, card.shown, card.out_of), document, names


def _key(finding: dict[str, Any]) -> str:
    return " ".join(str(finding["title"]).split()).casefold()


def _finding_changes(earlier: list[dict[str, Any]], later: list[dict[str, Any]]) -> list[FindingChange]:
    before = {_key(f): f for f in earlier}
    after = {_key(f): f for f in later}
    changes = []
    for key, finding in after.items():
        was = before.get(key)
        now_open = FindingStatus.parse(finding["status"]).is_open
        if was is None or not FindingStatus.parse(was["status"]).is_open:
            if now_open:
                changes.append(FindingChange("new", finding["title"], finding["severity"], "", finding["ref"],
                                             finding["status"]))
            continue
        state = "still open" if now_open else "resolved"
        changes.append(FindingChange(state, finding["title"], finding["severity"], was["ref"], finding["ref"],
                                     finding["status"]))
    for key, finding in before.items():
        if key not in after and FindingStatus.parse(finding["status"]).is_open:
            changes.append(FindingChange("resolved", finding["title"], finding["severity"], finding["ref"], "", ""))
    return sorted(changes, key=lambda c: (STATES.index(c.state), c.later_ref or c.earlier_ref))


def compare_engagements(ws: Workspace, earlier_key: str, later_key: str) -> Comparison:
    earlier, earlier_doc, earlier_dims = _load(ws, earlier_key)
    later, later_doc, later_dims = _load(ws, later_key)
    levels = [{a["dimension_id"]: a["current_level"] for a in doc["assessments"]} for doc in (earlier_doc, later_doc)]
    dimensions = []
    for dimension_id in [*later_dims, *(d for d in earlier_dims if d not in later_dims)]:
        name, later_score = later_dims.get(dimension_id, (earlier_dims.get(dimension_id, ("", None))[0], None))
        dimensions.append(DimensionChange(dimension_id, name, levels[0].get(dimension_id),
                                          levels[1].get(dimension_id),
                                          earlier_dims.get(dimension_id, ("", None))[1], later_score))
    return Comparison(earlier, later, tuple(dimensions),
                      tuple(_finding_changes(earlier_doc["findings"], later_doc["findings"])))
