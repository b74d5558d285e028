"""The auditor's guidance from the MLOps framework's source (resources/guidance.json): the recommended stack per
maturity level, the tool-selection criteria and their weights, and what moving up one level takes (actions and
success criteria)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from workbench.resources import resource


@dataclass(frozen=True)
class Stack:
    start: int
    end: int
    stack: str
    why: str


@dataclass(frozen=True)
class Criterion:
    name: str
    weight: float
    considerations: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    start: int
    end: int
    phase: str
    goal: str
    actions: tuple[str, ...]
    success: tuple[str, ...]


@dataclass(frozen=True)
class Guidance:
    stacks: tuple[Stack, ...]
    criteria: tuple[Criterion, ...]
    steps: tuple[Step, ...]

    def step_from(self, level: int | None) -> Step | None:
        """What moving up from `level` takes (level 1 when not assessed); None at the top."""
        return next((s for s in self.steps if s.start == (level or 1)), None)

    def stack_for(self, level: int | None) -> Stack | None:
        """The stack recommended for an organisation at `level` (level 1 when not assessed)."""
        return next((s for s in self.stacks if s.start <= (level or 1) < s.end), self.stacks[-1] if
                    (level or 1) >= self.stacks[-1].start else None)


@cache
def load_guidance() -> Guidance:
    raw = json.loads(resource("guidance.json").read_text(encoding="utf-8"))
    return Guidance(
        tuple(Stack(int(s["from"]), int(s["to"]), str(s["stack"]), str(s["why"])) for s in raw["stacks"]),
        tuple(Criterion(str(c["name"]), float(c["weight"]), tuple(c["considerations"])) for c in raw["criteria"]),
        tuple(Step(int(s["from"]), int(s["to"]), str(s["phase"]), str(s["goal"]), tuple(s["actions"]),
                   tuple(s["success"])) for s in raw["steps"]))
