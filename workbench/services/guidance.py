"""The auditor's guidance from the MLOps framework's source (resources/guidance.json): the recommended stack per
maturity level, the tool-selection criteria and their weights, and what moving up one level takes (actions and
success criteria)."""

from __future__ import annotations

import json
from functools import cache

from workbench.domain.guidance import Criterion, Guidance, Position, Stack, Step
from workbench.resources import resource

__all__ = ["Criterion", "Guidance", "Position", "Stack", "Step", "load_guidance"]


@cache
def load_guidance() -> Guidance:
    raw = json.loads(resource("guidance.json").read_text(encoding="utf-8"))
    return Guidance(
        tuple(Stack(int(s["from"]), int(s["to"]), str(s["stack"]), str(s["why"])) for s in raw["stacks"]),
        tuple(Criterion(str(c["name"]), float(c["weight"]), tuple(c["considerations"])) for c in raw["criteria"]),
        tuple(Step(int(s["from"]), int(s["to"]), str(s["phase"]), str(s["goal"]), tuple(s["actions"]),
                   tuple(s["success"])) for s in raw["steps"]))
