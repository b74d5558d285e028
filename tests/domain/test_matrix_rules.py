"""The matrix rules the GUI and the report share (domain.matrices): one rule, one answer in both."""

from __future__ import annotations

import pytest

from workbench.domain.matrices import (
    DEFAULT_REGIMES,
    platform_leaders,
    platform_totals,
    regime_order,
    weight_sum,
    weights_off,
)


@pytest.mark.parametrize(("totals", "leaders"), [
    ({"MLflow": 3.9, "SageMaker": 3.4}, ("MLflow",)),
    ({"SageMaker": 4.1, "MLflow": 4.1, "Kubeflow": 2.0}, ("SageMaker", "MLflow")),  # a tie: both lead
    ({"MLflow": 0.0, "SageMaker": 0.0}, ()),  # nothing scored yet: no leader, even though all are tied
    ({}, ()),
])
def test_the_leaders_are_every_platform_on_the_best_total_above_zero(totals: dict[str, float],
                                                                     leaders: tuple[str, ...]) -> None:
    assert platform_leaders(totals) == leaders


def test_leaders_follow_the_computed_totals() -> None:
    rows = [{"weight": 0.5, "scores": {"A": 4, "B": 2}}, {"weight": 0.5, "scores": {"A": 2, "B": 4}}]
    assert platform_leaders(platform_totals(rows)) == ("A", "B")


@pytest.mark.parametrize(("weights", "off"), [
    ((0.3, 0.3, 0.2, 0.2), False), ((0.5, 0.495), False), ((0.5, 0.505), False),
    ((0.5, 0.494), True), ((0.5, 0.506), True), ((0.9,), True), ((), True),
])
def test_weights_are_off_beyond_half_a_percent_of_one(weights: tuple[float, ...], off: bool) -> None:
    total = weight_sum({"weight": w} for w in weights)
    assert weights_off(total) is off


def test_common_regimes_come_first_in_their_usual_order_then_the_others_as_they_appear() -> None:
    assert regime_order(["EU AI Act", "SOC 2", "GDPR", "DORA", "SOC 2"]) == ["GDPR", "SOC 2", "EU AI Act", "DORA"]
    assert regime_order([]) == []
    assert regime_order(reversed(DEFAULT_REGIMES)) == list(DEFAULT_REGIMES)
