"""The full report's guidance appendix: the framework source's advice for this engagement's own way up."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from tests.reports.conftest import pdf_text, requires_poppler, squash
from workbench.domain.guidance import Position
from workbench.reports.build import make_context
from workbench.reports.data import Branding, ReportData
from workbench.reports.sections import guidance as section
from workbench.services.deliverables import gather_report_data
from workbench.services.guidance import load_guidance
from workbench.store.workspace import Workspace


def test_only_the_steps_and_stacks_between_the_levels_assessed_and_aimed_at() -> None:
    guidance = load_guidance()
    where = [Position("A", 2, 4), Position("B", 3, None), Position("C", 5, 4)]
    ahead = guidance.steps_ahead(where)
    assert [(step.start, step.end, names) for step, names in ahead] == [(2, 3, ("A",)), (3, 4, ("A", "B"))]
    assert [(s.start, s.end) for s in guidance.stacks_ahead(where)] == [(2, 3), (3, 4)]
    unassessed = [Position("D", None, None)]  # read as level 1, aiming one level up
    assert [(s.start, names) for s, names in guidance.steps_ahead(unassessed)] == [(1, ("D",))]
    top = [Position("E", 5, None)]  # nothing ahead: no step, the stack of its own level
    assert guidance.steps_ahead(top) == [] and [(s.start, s.end) for s in guidance.stacks_ahead(top)] == [(4, 5)]
    assert guidance.stacks_ahead([]) == []
    assert sum(c.weight for c in guidance.criteria) == pytest.approx(1.0)


@requires_poppler
def test_the_full_report_ends_with_the_guidance_for_this_engagement(sample_pdf: Callable[[str, str], Path]) -> None:
    text = squash(pdf_text(sample_pdf("driftguard", "full")))
    appendix = text[text.rindex(squash("Appendix: guidance for the next levels")):]
    # DriftGuardAI's lowest levels are 2 (DEP, CICD): the foundation step is behind it, the next three are ahead
    assert squash("Level 1 → 2") not in appendix
    for step in ("Level 2 → 3: Standardisation", "Level 3 → 4: Automation", "Level 4 → 5: Optimisation",
                 "Dimensions taking this step: DEP · Deployment; CICD · CI/CD"):
        assert squash(step) in appendix
    for criterion in ("Technical fit 30 %", "Organisational fit 25 %", "Cost 20 %", "Scalability 15 %", "Risk 10 %"):
        assert squash(criterion) in appendix
    assert appendix.index("Choosingtools") < appendix.index("Sign-off")  # the sign-off stays the last section
    assert "Appendix:guidance" not in squash(pdf_text(sample_pdf("driftguard", "executive")))


@pytest.fixture(scope="module")
def sample_data(tmp_path_factory: pytest.TempPathFactory) -> ReportData:
    from tests.reports.conftest import SAMPLES_DIR
    from workbench.services.packages import import_package

    with Workspace(tmp_path_factory.mktemp("guidance") / "g.db") as ws:
        uid = import_package(ws, SAMPLES_DIR / "early-stage.mlaudit", untrusted=True)
        return gather_report_data(ws, uid)


names = st.text(min_size=1, max_size=200).filter(lambda s: s.strip())
levels = st.one_of(st.none(), st.integers(1, 5))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(names, levels, levels), min_size=1, max_size=8))
def test_any_dimension_name_and_levels_lay_out(sample_data: ReportData, dimensions: list[tuple[str, int | None,
                                                                                               int | None]]) -> None:
    """Dimension names come from framework files, which an auditor may import: markup, any script, long words."""
    template = sample_data.dimensions[0]
    data = dataclasses.replace(sample_data, dimensions=tuple(
        dataclasses.replace(template, id=f"D{n}", name=name, level=level, target=target)
        for n, (name, level, target) in enumerate(dimensions)))
    ctx = make_context(data, "full", Branding())
    story = section.build(ctx, "15")
    SimpleDocTemplate(io.BytesIO(), pagesize=A4).build(story)  # raises on markup that does not parse
