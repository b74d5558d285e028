"""Worked examples of DESIGN §4 scoring on the shipped weighted framework."""

from __future__ import annotations

import pytest

from workbench.domain.enums import FindingStatus, Severity
from workbench.domain.scoring import CONDITIONAL_GO, GO, NO_GO, FindingFacts, score_engagement
from workbench.services.frameworks import get_framework

DIMS = ["DP", "MD", "MR", "DEP", "MON", "CICD", "EXP", "FS"]


@pytest.fixture(scope="module")
def weighted():
    return get_framework("mlops-architecture")


def levels(values):
    return dict(zip(DIMS, values, strict=True))


def critical(status=FindingStatus.OPEN, rec=True, due=True) -> FindingFacts:
    return FindingFacts(Severity.CRITICAL, status, rec, due)


def test_weights_are_those_of_the_source(weighted) -> None:
    assert [d.id for d in weighted.dimensions] == DIMS
    assert [round(d.weight * 100) for d in weighted.dimensions] == [15, 15, 10, 15, 15, 10, 10, 10]


def test_mixed_levels_score_49_standardized(weighted) -> None:
    card = score_engagement(weighted, levels([2, 3, 4, 3, 1, 2, 4, 1]))
    assert card.overall == 49.0
    assert card.band == "Standardized"
    assert not card.provisional
    assert card.verdict == CONDITIONAL_GO


def test_all_fours_and_no_findings_is_go_at_80(weighted) -> None:
    card = score_engagement(weighted, levels([4] * 8))
    assert card.overall == 80
    assert card.band == "Quantified"
    assert card.verdict == GO


def test_unassessed_dimension_renormalises_and_is_provisional(weighted) -> None:
    values = levels([5, 5, 5, 5, 1, 5, 5, 5])
    values["MON"] = None
    card = score_engagement(weighted, values)
    assert card.overall == 100.0  # the remaining 85 % all at level 5
    assert card.provisional
    mixed = levels([2, 3, 4, 3, 1, 2, 4, 1])
    mixed["DP"] = None  # 49 - 0.15*40 = 43 over 0.85
    assert score_engagement(weighted, mixed).overall == round(43 / 0.85, 1)


def test_nothing_assessed_has_no_score(weighted) -> None:
    card = score_engagement(weighted, {})
    assert card.overall is None and card.verdict is None and card.provisional


@pytest.mark.parametrize(("score_levels", "expected_band"), [
    ([1] * 8, "Ad-hoc"), ([2] * 8, "Managed"), ([3] * 8, "Standardized"), ([4] * 8, "Quantified"),
    ([5] * 8, "Optimized")])
def test_bands(weighted, score_levels, expected_band) -> None:
    assert score_engagement(weighted, levels(score_levels)).band == expected_band


def test_below_40_is_no_go(weighted) -> None:
    card = score_engagement(weighted, levels([1, 2, 2, 1, 1, 2, 2, 1]))
    assert card.overall < 40
    assert card.verdict == NO_GO


def test_open_critical_without_plan_is_no_go_even_when_high(weighted) -> None:
    card = score_engagement(weighted, levels([5] * 8), findings=[critical(rec=True, due=False)])
    assert card.verdict == NO_GO
    assert "without a recommendation and due date" in card.verdict_reasons[0]


def test_open_critical_with_plan_blocks_go(weighted) -> None:
    assert score_engagement(weighted, levels([5] * 8), findings=[critical()]).verdict == CONDITIONAL_GO


def test_resolved_findings_do_not_count(weighted) -> None:
    findings = [critical(FindingStatus.RESOLVED, rec=False, due=False),
                FindingFacts(Severity.HIGH, FindingStatus.RISK_ACCEPTED, False, False)]
    assert score_engagement(weighted, levels([4] * 8), findings=findings).verdict == GO


def test_open_high_finding_blocks_go(weighted) -> None:
    high = FindingFacts(Severity.HIGH, FindingStatus.IN_REMEDIATION, True, True)
    card = score_engagement(weighted, levels([4] * 8), findings=[high])
    assert card.verdict == CONDITIONAL_GO and card.verdict_reasons == ("1 open Critical or High finding",)
    card = score_engagement(weighted, levels([4] * 8), findings=[high, critical()])
    assert card.verdict_reasons == ("2 open Critical or High findings",)
    card = score_engagement(weighted, levels([4] * 8), findings=[critical(due=False), critical(rec=False)])
    assert card.verdict_reasons == ("2 open Critical findings without a recommendation and due date",)


def test_go_threshold_is_inclusive(weighted) -> None:
    # 75 exactly: DP..FS at 4 except two weight-10 dims at 3 → 80 - 2*0.1*20 = 76; use 3 dims at 3 of w .1 + ...
    card = score_engagement(weighted, levels([4, 4, 3, 4, 4, 4, 4, 3]))
    assert card.overall == 76.0 and card.verdict == GO


def test_a_score_card_and_its_facts_cannot_be_changed_after_scoring(weighted) -> None:
    """The card the GUI, the CLI and the report all read is one value: no reader can alter it for the others."""
    import dataclasses

    facts = FindingFacts(Severity.CRITICAL, FindingStatus.OPEN, has_recommendation=False, has_due_date=False)
    card = score_engagement(weighted, levels([3] * 8), findings=[facts])
    for value, name, replacement in ((card, "verdict", GO), (card.dimensions[0], "level", 5),
                                     (facts, "has_recommendation", True)):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, name, replacement)
    assert card.verdict == NO_GO and card.dimensions[0].level == 3 and not facts.has_recommendation
