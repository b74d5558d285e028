"""The auditor's guidance from the MLOps framework's source, as plain values: the recommended stack per maturity
level, the tool-selection criteria and their weights, and what moving up one level takes (actions and success
criteria). services/guidance.py reads it from resources/guidance.json; the assessment page and the full report's
guidance appendix show it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


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
class Position:
    """Where one dimension stands: its assessed level (None: not assessed) and its target (None: none set)."""

    name: str
    level: int | None
    target: int | None

    @property
    def start(self) -> int:
        return self.level or 1

    @property
    def aim(self) -> int:
        """The level this dimension is meant to reach: its target, else one level up (never below where it is)."""
        return max(self.target or self.start + 1, self.start)


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

    def steps_ahead(self, positions: Sequence[Position]) -> list[tuple[Step, tuple[str, ...]]]:
        """Each step some dimension still has to take to reach its aim, with the names of those dimensions."""
        ahead = []
        for step in self.steps:
            names = tuple(p.name for p in positions if p.start <= step.start < p.aim)
            if names:
                ahead.append((step, names))
        return ahead

    def stacks_ahead(self, positions: Sequence[Position]) -> list[Stack]:
        """The stacks for the levels the dimensions still pass on their way up (where all stand at their aim: the
        stacks of the levels they hold), in level order."""
        levels = sorted({level for p in positions for level in range(p.start, p.aim)}) or \
            sorted({p.start for p in positions})
        found: list[Stack] = []
        for level in levels:
            stack = self.stack_for(level)
            if stack is not None and stack not in found:
                found.append(stack)
        return found
