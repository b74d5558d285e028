"""The pages of an engagement, one per step of services.progress, in step order.

Pages are created lazily the first time their step is shown; each takes the session.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from workbench.ui.session import EngagementSession

PAGE_CLASSES: dict[str, str] = {
    "overview": "workbench.ui.pages.overview:OverviewPage",
    "findings": "workbench.ui.pages.findings:FindingsPage",
    "models": "workbench.ui.pages.models:ModelsPage",
}


def page_factory(step: str) -> Callable[[EngagementSession], QWidget]:
    module_name, class_name = PAGE_CLASSES[step].split(":")
    return getattr(importlib.import_module(module_name), class_name)  # type: ignore[no-any-return]
