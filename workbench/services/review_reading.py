"""What an engagement document says about review and sign-offs, read from the document alone (no database).

The CLI, the GUI, progress and the deliverables agree through these; services/review.py writes notes and
sign-offs. A sign-off's `scope` says what was signed: "" the whole engagement, "dimension:DP" one dimension,
"section:findings" one section.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.domain.coverage import SIGNOFF_SECTIONS, signoffs_wanted
from workbench.domain.enums import ReviewStatus, ReviewTarget, SignoffRole
from workbench.domain.errors import ValidationError
from workbench.domain.framework import Framework

__all__ = ["RECORD_TARGETS", "SECTIONS", "UNRESOLVED", "SignoffNeed", "same_person_review", "scope_label",
           "scope_of", "signoff_needs", "target_label", "unresolved_notes"]

# sections of an engagement the preparer signs off besides the dimensions (step key, title): domain.coverage
SECTIONS = SIGNOFF_SECTIONS
# record kinds a note can name → the document list holding them
RECORD_TARGETS: dict[str, str] = {"finding": "findings", "model": "models", "risk": "risks", "cost": "costs",
                                  "roadmap": "roadmap", "matrix": "matrices", "evidence": "evidence"}
UNRESOLVED = (ReviewStatus.OPEN.value, ReviewStatus.ANSWERED.value)


def scope_of(dimension: str | None = None, section: str | None = None) -> str:
    if dimension and section:
        raise ValidationError("sign off a dimension or a section, not both at once")
    if dimension:
        return f"dimension:{dimension}"
    return f"section:{section}" if section else ""


def scope_label(framework: Framework, scope: str) -> str:
    """'Engagement', 'Dimension DP · Data pipeline', 'Section Findings'."""
    kind, _, key = scope.partition(":")
    if kind == "dimension":
        name = next((d.name for d in framework.dimensions if d.id == key), "")
        return f"Dimension {key}" + (f" · {name}" if name else "")
    if kind == "section":
        return f"Section {dict(SECTIONS).get(key, key)}"
    return scope or "Engagement"


@dataclass(frozen=True)
class SignoffNeed:
    """One sign-off the engagement expects, and the sign-off given for it (None if missing)."""

    role: str
    scope: str
    label: str
    given: dict[str, Any] | None

    @property
    def text(self) -> str:
        role = SignoffRole(self.role).label.lower()
        return f"{role} sign-off: {self.label}" if self.scope else f"overall {role} sign-off"


def signoff_needs(framework: Framework, document: dict[str, Any]) -> list[SignoffNeed]:
    """Overall preparer and reviewer sign-offs, then the preparer's per dimension and section."""
    given = {(s["role"], s["scope"]): s for s in document.get("signoffs", [])}
    wanted = signoffs_wanted(framework)
    return [SignoffNeed(role, scope, scope_label(framework, scope), given.get((role, scope)))
            for role, scope in wanted]


def unresolved_notes(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Notes still waiting: open (for the preparer) or answered (for the reviewer)."""
    return [n for n in document.get("review_notes", []) if n["status"] in UNRESOLVED]


def target_label(framework: Framework, document: dict[str, Any], kind: str, key: str) -> str:
    """How a note names what it is about: 'Finding F-003 · No drift alerts', 'Checklist DP-01'."""
    if kind == ReviewTarget.ENGAGEMENT.value:
        return "Engagement"
    if kind == ReviewTarget.DIMENSION.value:
        return scope_label(framework, scope_of(dimension=key))
    if kind == ReviewTarget.CHECKLIST_ITEM.value:
        return f"Checklist {key}"
    record = next((r for r in document.get(RECORD_TARGETS.get(kind, ""), []) if r.get("uid") == key), None)
    title = ReviewTarget(kind).label if kind in set(ReviewTarget) else kind
    if record is None:
        return f"{title} (deleted)"
    if kind == "matrix":
        return f"{record['kind'].capitalize()} matrix row"
    name = " · ".join(str(record[f]) for f in ("ref", "title", "name", "phase", "file_name")
                      if record.get(f))[:80]
    return f"{title} {name}".strip()



def same_person_review(document: dict[str, Any]) -> bool:
    """True when someone signed off as reviewer what they also signed off as preparer (a one-person
    practice): every deliverable then says so."""
    def who(row: dict[str, Any]) -> str:
        return str(row.get("identity_id") or row["name"].strip().casefold())

    preparers = {who(s) for s in document.get("signoffs", []) if s["role"] == SignoffRole.PREPARER.value}
    return any(who(s) in preparers for s in document.get("signoffs", []) if s["role"] == SignoffRole.REVIEWER.value)
