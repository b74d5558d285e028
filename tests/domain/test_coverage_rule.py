"""The framework's coverage rule (scoring.coverage) is validated on load and defaults to 80 % / 100 %; a level
set on less than half of its dimension's checklist warns until a justification carries it."""

from __future__ import annotations

import copy
import json

import pytest

from tests.helpers.cli import run
from workbench.domain.coverage import level_warning
from workbench.domain.errors import ValidationError
from workbench.domain.framework import CoverageRule, parse_framework
from workbench.services.frameworks import builtin_frameworks


def raw() -> dict:
    return copy.deepcopy(next(f for f in builtin_frameworks() if f.id == "mlops-architecture").raw)


def test_frameworks_without_the_block_get_the_defaults() -> None:
    assert all(f.coverage == CoverageRule(0.8, 1.0) for f in builtin_frameworks())
    data = raw()
    data["scoring"]["coverage"] = {"provisional_below": 0.5}
    assert parse_framework(data).coverage == CoverageRule(0.5, 1.0)


@pytest.mark.parametrize(("block", "message"), [
    ("all", "scoring 'coverage' must be an object"),
    ({"provisional_below": 0.8, "finalize_at": 1}, "unknown field 'finalize_at'"),
    ({"provisional_below": "80 %"}, "coverage 'provisional_below' must be a number between 0 and 1"),
    ({"provisional_below": True}, "coverage 'provisional_below' must be a number between 0 and 1"),
    ({"provisional_below": 0.9, "finalise_at": 0.5}, "0 <= provisional_below <= finalise_at <= 1"),
    ({"finalise_at": 1.5}, "0 <= provisional_below <= finalise_at <= 1"),
])
def test_a_bad_coverage_block_is_refused_in_words(block: object, message: str) -> None:
    data = raw()
    data["scoring"]["coverage"] = block
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_framework(json.loads(json.dumps(data)))


def test_level_warning_until_half_answered_or_justified() -> None:
    dimension = next(f for f in builtin_frameworks() if f.id == "mlops-architecture").dimension("EXP")  # 9 items
    assert level_warning(dimension, 4, 3, "") == (
        "EXP Experiment Tracking: level 3 is set with 4 of 9 checklist items answered; answer more of them or "
        "write a justification that says what the level rests on")
    assert level_warning(dimension, 5, 3, "") == ""  # at least half answered
    assert level_warning(dimension, 0, 3, "Runs seen in MLflow") == ""  # justified
    assert level_warning(dimension, 0, None, "") == ""  # no level set


def test_assess_prints_the_warning_and_still_sets_the_level(capsys, tmp_path) -> None:
    db = str(tmp_path / "cli.db")
    code, out, err = run(capsys, "--db", db, "new", "--client", "Acme Bank", "--title", "Credit audit", "--json")
    ref = json.loads(out)["ref"]
    code, out, err = run(capsys, "--db", db, "assess", ref, "EXP", "--level", "3")
    assert code == 0 and out == ""
    assert err == ("workbench: warning: EXP Experiment Tracking: level 3 is set with 0 of 9 checklist items "
                   "answered; answer more of them or write a justification that says what the level rests on\n")
    card = json.loads(run(capsys, "--db", db, "score", ref, "--json")[1])
    assert next(d for d in card["dimensions"] if d["id"] == "EXP")["level"] == 3
    code, out, err = run(capsys, "--db", db, "assess", ref, "EXP", "--justification", "Runs seen in MLflow")
    assert code == 0 and err == ""
