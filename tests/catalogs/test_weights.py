"""Relative weights: parsed from DIM=N, unnamed dimensions count 1, normalised to sum to exactly 1."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.catalogs.common import apply_weights, equal_weights, parse_weights
from workbench.catalogs.oscal import convert_catalog
from workbench.domain.errors import ValidationError
from workbench.domain.framework import parse_framework


@pytest.mark.parametrize("count", [1, 3, 7, 20, 23])
def test_equal_weights_sum_to_one(count: int) -> None:
    weights = equal_weights(count)
    assert len(weights) == count and abs(sum(weights) - 1) < 1e-9 and max(weights) - min(weights) < 1e-5


def test_relative_weights_are_normalised(oscal_data: dict[str, Any]) -> None:
    document = apply_weights(convert_catalog(oscal_data).document, parse_weights("gv=2, mo=1.0"))
    framework = parse_framework(document)
    assert [d.weight for d in framework.dimensions] == [0.5, 0.25, 0.25]


@pytest.mark.parametrize("spec, message", [
    ("gv", "is not DIMENSION=NUMBER"), ("gv=x", "is not a number"), ("gv=0", "must be above 0"),
    ("gv=-1", "must be above 0"), ("", "at least one"), ("gv=nan", "must be above 0"),
])
def test_bad_weight_specs(spec: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_weights(spec)


def test_unknown_dimension_is_named(oscal_data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="no dimension 'XX'"):
        apply_weights(convert_catalog(oscal_data).document, {"XX": 1.0})
