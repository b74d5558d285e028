"""The steps of an engagement, in the order an auditor works through them, and their names.

The window names them before the services load (start-up time); services.progress gives the same titles
(a test holds them together).
"""

from __future__ import annotations

STEP_TITLES: dict[str, str] = {
    "overview": "Overview",
    "health": "Health check",
    "assessment": "Assessment",
    "findings": "Findings",
    "models": "Model inventory",
    "risks": "Risks",
    "costs": "Costs",
    "roadmap": "Roadmap",
    "matrices": "Readiness and matrices",
    "evidence": "Evidence",
    "review": "Review and sign-off",
    "deliverables": "Deliverables",
}
