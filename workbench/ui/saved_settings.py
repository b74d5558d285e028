"""The auditor's saved preferences as the pages read them: a damaged file gives the defaults (and is logged).

The day rate and currency here are the one cost basis of every figure the GUI shows or exports
(services/cost_rollup.py).
"""

from __future__ import annotations

import logging

from workbench.domain.costs import CostBasis
from workbench.domain.errors import WorkbenchError
from workbench.services.preferences import Preferences, load_preferences

log = logging.getLogger(__name__)


def saved_preferences() -> Preferences:
    try:
        return load_preferences()
    except WorkbenchError:  # a damaged file: the defaults, and the error shows where it is edited
        log.warning("preferences unreadable; the defaults are used", exc_info=True)
        return Preferences()


def saved_cost_basis() -> CostBasis:
    return saved_preferences().cost_basis()
