"""Who prepares which part of an engagement: each dimension and each sign-off section has one auditor.

Assignments are kept in the audit trail itself (entity "assignment", action "assign"; no table): an
event names the part (a sign-off scope, "dimension:<id>" or "section:<key>") and the auditor, or no
auditor when the part was handed back. The current assignment of a part is its latest event by time
(ties broken by the event's original hash), so two laptops that merge each other's trails, in either
order, show the same assignments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from workbench.domain.coverage import SIGNOFF_SECTIONS
from workbench.domain.errors import ValidationError
from workbench.domain.framework import Framework
from workbench.domain.trail import ASSIGNMENT, original_hash

__all__ = ["Assignment", "current_assignments", "scope_title", "scopes"]


@dataclass(frozen=True)
class Assignment:
    scope: str  # "dimension:<id>" or "section:<key>"
    title: str
    auditor: str  # "" when nobody is assigned
    at: str = ""  # when it was assigned ("" never)
    by: str = ""  # who assigned it

    def as_dict(self) -> dict[str, Any]:
        return {"scope": self.scope, "title": self.title, "auditor": self.auditor, "at": self.at, "by": self.by}


def scopes(framework: Framework) -> list[tuple[str, str]]:
    """(scope, title) of every part that can be assigned, in the framework's order then the sections'."""
    return ([(f"dimension:{d.id}", d.name) for d in framework.dimensions]
            + [(f"section:{key}", title) for key, title in SIGNOFF_SECTIONS])


def scope_title(framework: Framework, scope: str) -> str:
    titles = dict(scopes(framework))
    if scope not in titles:
        known = ", ".join(key for key, _title in scopes(framework))
        raise ValidationError(f"'{scope}' is not a part of this engagement that can be assigned (one of: {known})")
    return titles[scope]


def current_assignments(framework: Framework, events: Iterable[Mapping[str, Any]]) -> list[Assignment]:
    """Every assignable part with its current auditor, read from the trail's assignment events."""
    latest: dict[str, tuple[str, str, Mapping[str, Any]]] = {}
    for event in events:
        if event["entity"] != ASSIGNMENT:
            continue
        scope = str(event["entity_id"])
        order = (str(event["at"]), original_hash(event))
        if scope not in latest or order > latest[scope][:2]:
            latest[scope] = (*order, event)
    result = []
    for scope, title in scopes(framework):
        found = latest.get(scope)
        after = found[2].get("after") if found else None
        auditor = str(after.get("auditor", "")) if isinstance(after, Mapping) else ""
        result.append(Assignment(scope, title, auditor, found[2]["at"] if found else "",
                                 str(found[2]["actor"]) if found else ""))
    return result
