"""The pages of an engagement, one per step of services.progress, in step order.

Pages are created lazily the first time their step is shown; each takes the session.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

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


def page_factory(step: str) -> Callable[[EngagementSession], QWidget]:
    module_name, class_name = PAGE_CLASSES[step].split(":")
    return getattr(importlib.import_module(module_name), class_name)  # type: ignore[no-any-return]
