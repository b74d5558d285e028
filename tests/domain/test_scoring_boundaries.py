"""Every verdict threshold and band edge, pinned on both sides.

Moving a threshold by one comparison (`>= 75` → `> 75`, `< 40` → `<= 40`, `<= band max` → `< band max`)
changes a verdict or a band for a score exactly on the edge; each case below sits on an edge or just off it.
"""

from __future__ import annotations

import dataclasses

import pytest

from workbench.domain.coverage import Share
from workbench.domain.enums import FindingStatus, Severity
from workbench.domain.framework import Framework
from workbench.domain.scoring import (
    CONDITIONAL_GO,
    GO,
    NO_GO,
    FindingFacts,
    ScoreCard,
    band_for,
    is_unplanned_critical,
    on_scale,
    score_engagement,
    verdict_for,
)
from workbench.domain.wording import share_percent
from workbench.services.frameworks import get_framework

DIMS = ["DP", "MD", "MR", "DEP", "MON", "CICD", "EXP", "FS"]  # weights 15 15 10 15 15 10 10 10 (%)


@pytest.fixture(scope="module")
def weighted() -> Framework:
    return get_framework("mlops-architecture")


def levels(*values: int) -> dict[str, int | None]:
    return dict(zip(DIMS, values, strict=True))


@pytest.mark.parametrize(("score", "verdict"), [
    (100.0, GO), (75.01, GO), (75.0, GO), (74.99, CONDITIONAL_GO), (74.9, CONDITIONAL_GO),
    (40.01, CONDITIONAL_GO), (40.0, CONDITIONAL_GO), (39.99, NO_GO), (39.9, NO_GO), (0.0, NO_GO),
])
def test_verdict_on_and_beside_each_threshold(weighted: Framework, score: float, verdict: str) -> None:
    assert (weighted.go_at_or_above, weighted.no_go_below) == (75, 40)
    assert verdict_for(weighted, score, [])[0] == verdict


@pytest.mark.parametrize(("score", "reasons"), [
    (75.0, ("score 75 is at least 75 with no open Critical or High finding",)),
    (74.99, ("score 74.99 is below 75",)),
    (40.0, ("score 40 is below 75",)),
    (39.99, ("score 39.99 is below 40",)),
])
def test_the_reason_names_the_threshold_the_score_met_or_missed(weighted: Framework, score: float,
                                                                reasons: tuple[str, ...]) -> None:
    assert verdict_for(weighted, score, [])[1] == reasons


def test_an_open_high_finding_keeps_a_score_of_exactly_75_from_go(weighted: Framework) -> None:
    high = FindingFacts(Severity.HIGH, FindingStatus.OPEN, has_recommendation=True, has_due_date=True)
    assert verdict_for(weighted, 75.0, [high]) == (CONDITIONAL_GO, ("1 open Critical or High finding",))


def test_an_unplanned_critical_makes_a_score_of_exactly_40_no_go(weighted: Framework) -> None:
    critical = FindingFacts(Severity.CRITICAL, FindingStatus.OPEN, has_recommendation=True, has_due_date=False)
    verdict, reasons = verdict_for(weighted, 40.0, [critical])
    assert verdict == NO_GO
    assert reasons == ("1 open Critical finding without a recommendation and due date",)


@pytest.mark.parametrize(("severity", "verdict"), [
    (Severity.HIGH, CONDITIONAL_GO), (Severity.MEDIUM, GO), (Severity.LOW, GO), (Severity.INFO, GO)])
def test_only_a_critical_finding_without_a_plan_forces_no_go(weighted: Framework, severity: Severity,
                                                            verdict: str) -> None:
    unplanned = FindingFacts(severity, FindingStatus.OPEN, has_recommendation=False, has_due_date=False)
    assert verdict_for(weighted, 75.0, [unplanned])[0] == verdict


@pytest.mark.parametrize(("score", "band"), [
    (0.0, "Ad-hoc"), (20.0, "Ad-hoc"), (20.5, "Managed"), (21.0, "Managed"),
    (40.0, "Managed"), (40.5, "Standardized"), (41.0, "Standardized"),
    (60.0, "Standardized"), (60.5, "Quantified"), (61.0, "Quantified"),
    (80.0, "Quantified"), (80.5, "Optimized"), (81.0, "Optimized"), (100.0, "Optimized"),
    (100.5, "Optimized"),  # past the last band's maximum: still the last band
])
def test_band_on_and_beside_each_edge(weighted: Framework, score: float, band: str) -> None:
    assert band_for(weighted, score) == band


@pytest.mark.parametrize(("values", "overall", "band", "verdict"), [
    # 15%·3 + 15%·4 + 10%·3 + rest at 4 = 3.75 levels × 20 points
    ((3, 4, 3, 4, 4, 4, 4, 4), 75.0, "Quantified", GO),
    ((3, 3, 4, 4, 4, 4, 4, 4), 74.0, "Quantified", CONDITIONAL_GO),
    ((2, 2, 2, 2, 2, 2, 2, 2), 40.0, "Managed", CONDITIONAL_GO),
    ((2, 2, 1, 2, 2, 2, 2, 2), 38.0, "Managed", NO_GO),
    ((1, 1, 1, 1, 1, 1, 1, 1), 20.0, "Ad-hoc", NO_GO),
    ((3, 3, 3, 3, 3, 3, 3, 3), 60.0, "Standardized", CONDITIONAL_GO),
    ((4, 4, 4, 4, 4, 4, 4, 4), 80.0, "Quantified", GO),
])
def test_whole_engagements_scored_exactly_on_an_edge(weighted: Framework, values: tuple[int, ...], overall: float,
                                                     band: str, verdict: str) -> None:
    card = score_engagement(weighted, levels(*values))
    assert (card.overall, card.band, card.verdict) == (overall, band, verdict)


@pytest.mark.parametrize(("level", "target", "gap"), [
    (2, 4, 2), (1, 5, 4), (3, 4, 1), (4, 4, 0), (5, 3, 0), (None, 4, None), (3, None, None)])
def test_the_gap_is_the_levels_still_to_climb_never_negative(weighted: Framework, level: int | None,
                                                             target: int | None, gap: int | None) -> None:
    card = score_engagement(weighted, {"DEP": level}, {"DEP": target})
    assert next(d for d in card.dimensions if d.dimension_id == "DEP").gap == gap


@pytest.mark.parametrize(("out_of", "shown"), [(100, 67.9), (10, 6.8), (5, 3.39), (9, 6.11)])
def test_a_score_on_a_scale_of_10_or_more_keeps_one_decimal_below_10_two(out_of: int, shown: float) -> None:
    assert on_scale(67.89, out_of) == shown


def test_a_score_card_made_without_a_scale_is_out_of_100() -> None:
    card = ScoreCard((), 67.89, "Quantified", CONDITIONAL_GO, False, ())
    assert (card.out_of, card.shown, card.shown_text) == (100.0, 67.9, "67.9 / 100")


# -- why a score is provisional, and what a finding record tells the verdict ---------------------------------


def test_each_dimension_left_out_is_counted_in_the_reason(weighted: Framework) -> None:
    card = score_engagement(weighted, {dimension: 3 for dimension in DIMS[:6]})
    assert card.provisional and card.provisional_reasons == ("2 dimensions of 8 not assessed",)
    assert card.provisional_text == "provisional: 2 dimensions of 8 not assessed"
    card = score_engagement(weighted, {dimension: 3 for dimension in DIMS[:7]})
    assert card.provisional_reasons == ("1 dimension of 8 not assessed",)
    card = score_engagement(weighted, {dimension: 3 for dimension in DIMS[:3]})
    assert card.provisional_reasons == ("5 dimensions of 8 not assessed",)
    assert score_engagement(weighted, {}).provisional_reasons == ("8 dimensions of 8 not assessed",)


def test_a_framework_of_hundreds_of_dimensions_all_assessed_is_not_provisional(weighted: Framework) -> None:
    """Counts are compared by value at any size (a crowded framework has more dimensions than Python caches)."""
    model = weighted.dimensions[0]
    crowded = dataclasses.replace(weighted, dimensions=tuple(
        dataclasses.replace(model, id=f"D{number:03}", weight=1 / 300) for number in range(300)))
    card = score_engagement(crowded, {f"D{number:03}": 3 for number in range(300)})
    assert not card.provisional and card.provisional_reasons == () and card.overall == 60.0
    card = score_engagement(crowded, {f"D{number:03}": 3 for number in range(299)})
    assert card.provisional_reasons == ("1 dimension of 300 not assessed",)


def test_a_complete_score_says_nothing_about_being_provisional(weighted: Framework) -> None:
    card = score_engagement(weighted, levels(3, 3, 3, 3, 3, 3, 3, 3), checklist=Share(71, 71))
    assert not card.provisional and card.provisional_reasons == () and card.provisional_text == ""


@pytest.mark.parametrize(("share", "provisional"), [
    (Share(0, 71), True), (Share(55, 70), True), (Share(56, 70), False), (Share(71, 71), False)])
def test_too_little_of_the_checklist_answered_makes_the_score_provisional(
        weighted: Framework, share: Share, provisional: bool) -> None:
    """The shipped framework asks for 80 % answered: 56 of 70 is exactly 80 %, 55 of 70 just below it."""
    card = score_engagement(weighted, levels(3, 3, 3, 3, 3, 3, 3, 3), checklist=share)
    assert weighted.coverage.provisional_below == 0.8
    assert card.provisional is provisional and card.verdict == CONDITIONAL_GO
    if provisional:
        assert card.provisional_reasons == (f"{share.done} of {share.total} checklist items answered "
                                            f"({share_percent(share.ratio)}), below the 80 % the framework asks for",)
        assert card.provisional_text == "provisional: " + card.provisional_reasons[0]


@pytest.mark.parametrize(("status", "unplanned"), [
    ("open", True), ("in_remediation", True), ("In remediation", True), (None, True), ("", True),
    ("resolved", False), ("risk_accepted", False), ("Risk accepted", False)])
def test_a_finding_record_is_an_unplanned_critical_only_while_open_and_no_status_is_open(
        status: str | None, unplanned: bool) -> None:
    record = {"severity": "Critical", "status": status, "recommendation": "  ", "due_date": None}
    assert is_unplanned_critical(record) is unplanned
    assert is_unplanned_critical({**record, "recommendation": "Rotate the keys", "due_date": "2027-01-31"}) is False


def test_a_finding_record_of_unknown_severity_or_status_is_not_an_unplanned_critical() -> None:
    record = {"severity": "Critical", "status": "open", "recommendation": "", "due_date": None}
    assert is_unplanned_critical(record)
    assert not is_unplanned_critical({**record, "severity": "Catastrophic"})
    assert not is_unplanned_critical({**record, "status": "reopened"})
