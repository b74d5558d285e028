"""The pages of an engagement, one per step of services.progress, in step order.

Pages are created lazily the first time their step is shown; each takes the session. A page may offer
`focus_target()` (the widget the next key is meant for when the step is chosen from the keyboard) and
`reveal(kind, key)` (select a record, item or dimension it shows: see EngagementView.go_to).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from workbench.domain.steps import STEP_TITLES

if TYPE_CHECKING:  # the window names the steps before the services are imported (start-up time)
    from workbench.ui.session import EngagementSession

_ALL_PAGES: dict[str, str] = {
    "overview": "workbench.ui.pages.overview:OverviewPage",
    "health": "workbench.ui.pages.health:HealthCheckPage",
    "assessment": "workbench.ui.pages.assessment:AssessmentPage",
    "findings": "workbench.ui.pages.findings:FindingsPage",
    "models": "workbench.ui.pages.models:ModelsPage",
    "risks": "workbench.ui.pages.risks:RisksPage",
    "costs": "workbench.ui.pages.costs:CostsPage",
    "roadmap": "workbench.ui.pages.roadmap:RoadmapPage",
    "matrices": "workbench.ui.pages.matrices:MatricesPage",
    "evidence": "workbench.ui.pages.evidence:EvidencePage",
    "review": "workbench.ui.pages.review:ReviewPage",
    "deliverables": "workbench.ui.pages.deliverables:DeliverablesPage",
}
# Steps whose page module is part of this build (a broken module still fails loudly on import).
PAGE_CLASSES: dict[str, str] = {step: target for step, target in _ALL_PAGES.items()
                                if importlib.util.find_spec(target.split(":")[0]) is not None}


# The number row, left to right: Ctrl+1 … Ctrl+9, Ctrl+0, then the two keys after 0 for steps 11 and 12.
STEP_KEYS: tuple[str, ...] = tuple(f"Ctrl+{key}" for key in "1234567890-=")
# What a review note (or a blocker) is about → the step that shows it.
TARGET_STEPS: dict[str, str] = {
    "engagement": "overview", "dimension": "assessment", "checklist_item": "assessment", "finding": "findings",
    "model": "models", "risk": "risks", "cost": "costs", "roadmap": "roadmap", "matrix": "matrices",
    "evidence": "evidence", "health_check": "health", "review_note": "review", "signoff": "review",
}


__all__ = ["PAGE_CLASSES", "STEP_KEYS", "STEP_TITLES", "TARGET_STEPS", "page_factory", "step_key"]


def step_key(step: str) -> str:
    """The shortcut of a step ('' for a step past the number row)."""
    steps = list(PAGE_CLASSES)
    position = steps.index(step) if step in steps else len(STEP_KEYS)
    return STEP_KEYS[position] if position < len(STEP_KEYS) else ""


def page_factory(step: str) -> Callable[[EngagementSession], QWidget]:
    module_name, class_name = PAGE_CLASSES[step].split(":")
    return getattr(importlib.import_module(module_name), class_name)
