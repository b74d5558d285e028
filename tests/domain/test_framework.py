"""Framework files are validated; bad data is refused with a message naming the problem."""

from __future__ import annotations

import copy
import json

import pytest

from workbench.domain.errors import ValidationError
from workbench.domain.framework import parse_framework, parse_framework_text
from workbench.resources import resource
from workbench.services.frameworks import builtin_frameworks


@pytest.fixture
def raw() -> dict:
    return json.loads(resource("frameworks", "mlops-architecture.json").read_text(encoding="utf-8"))


def test_both_builtin_frameworks_load() -> None:
    frameworks = {f.id: f for f in builtin_frameworks()}
    assert set(frameworks) >= {"mlops-architecture", "aiml-infrastructure"}
    weighted = frameworks["mlops-architecture"]
    assert len(weighted.dimensions) == 8
    assert all(len(d.items) >= 6 for d in weighted.dimensions)
    assert len(weighted.health_check) == 5
    assert [lvl.name for lvl in weighted.dimension("DP").levels] == [
        "Manual", "Scripted", "Automated", "Orchestrated", "Intelligent"]
    infra = frameworks["aiml-infrastructure"]
    assert len(infra.dimensions) == 8
    assert {round(d.weight, 3) for d in infra.dimensions} == {0.125}
    assert all(8 <= len(d.items) <= 10 for d in infra.dimensions)
    assert any("gov" in d.name.lower() for d in infra.dimensions)
    assert any("team" in d.name.lower() for d in infra.dimensions)


def test_valid_file_parses(raw: dict) -> None:
    assert parse_framework(raw).id == "mlops-architecture"


def _broken(raw: dict, change) -> dict:
    data = copy.deepcopy(raw)
    change(data)
    return data


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["dimensions"][0].__setitem__("weight", 0.5), "weights sum to"),
    (lambda d: d["dimensions"][1].__setitem__("id", d["dimensions"][0]["id"]), "duplicate id 'DP'"),
    (lambda d: d["dimensions"][0]["items"][1].__setitem__("id", d["dimensions"][0]["items"][0]["id"]),
     "duplicate id 'DP-01'"),
    (lambda d: d["dimensions"][0]["levels"][4].__setitem__("level", 6), "outside 1-5"),
    (lambda d: d["dimensions"][0]["levels"].pop(), "levels must be exactly"),
    (lambda d: d.pop("name"), "missing field 'name'"),
    (lambda d: d["dimensions"][2].pop("weight"), "missing field 'weight'"),
    (lambda d: d["dimensions"][0]["items"][0].pop("text"), "missing field 'text'"),
    (lambda d: d.__setitem__("format_version", 99), "unsupported format_version"),
    (lambda d: d["scoring"]["verdict"].__setitem__("no_go_below", 90), "verdict thresholds"),
    (lambda d: d.__setitem__("dimensions", []), "no dimensions"),
    (lambda d: d["dimensions"][0].__setitem__("weight", "high"), "must be int or float"),
])
def test_bad_framework_is_refused_naming_the_problem(raw: dict, change, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_framework(_broken(raw, change))


def test_not_json_is_refused() -> None:
    with pytest.raises(ValidationError, match="not valid JSON"):
        parse_framework_text(b"\x89PNG not json")
