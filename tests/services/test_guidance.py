"""The framework's guidance: stacks per level, tool-selection criteria weighted 30/25/20/15/10, and what each step
up a level takes; shown on the assessment step for the dimension's level."""

from __future__ import annotations

from workbench.services.guidance import load_guidance


def test_criteria_weights_are_the_sources_and_add_up_to_one() -> None:
    guidance = load_guidance()
    assert [(c.name, c.weight) for c in guidance.criteria] == [
        ("Technical fit", 0.30), ("Organisational fit", 0.25), ("Cost", 0.20), ("Scalability", 0.15), ("Risk", 0.10)]
    assert all(len(c.considerations) == 3 for c in guidance.criteria)


def test_each_level_has_its_step_and_stack() -> None:
    guidance = load_guidance()
    assert [guidance.step_from(level).end for level in (1, 2, 3, 4)] == [2, 3, 4, 5]
    assert guidance.step_from(5) is None and guidance.step_from(None) == guidance.step_from(1)
    assert "MLflow" in guidance.stack_for(1).stack and "Kubeflow" in guidance.stack_for(2).stack
    assert "Azure ML" in guidance.stack_for(3).stack and guidance.stack_for(5) == guidance.stacks[-1]
    assert all(step.actions and step.success for step in guidance.steps)
