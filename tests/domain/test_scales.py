"""Graded answer scales declared in the framework file: parsed, shown and scored as declared."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.domain.errors import ValidationError
from workbench.domain.framework import parse_framework
from workbench.domain.scales import NA, UNANSWERED, YES_PARTIAL_NO, attainment, steps_to_target
from workbench.domain.scoring import score_engagement
from workbench.domain.wording import percent
from workbench.resources import resource


def builtin(name: str) -> dict:
    return json.loads(resource("frameworks", f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def mlops():
    return parse_framework(builtin("mlops-architecture"))


def test_the_seed_scales_are_declared_and_items_take_them(mlops) -> None:
    _dim, versioning = mlops.item("DP-14")
    _dim, pipeline = mlops.item("DP-10")
    _dim, feature = mlops.item("FS-13")
    _dim, stage = mlops.item("CICD-15")
    assert [o.label for o in versioning.scale.options] == ["None", "Basic", "Advanced"]
    assert [o.label for o in pipeline.scale.options] == ["Not implemented", "Basic", "Advanced", "Best-in-class"]
    assert [o.label for o in feature.scale.options][:2] == ["Required", "Nice-to-have"]
    assert [o.label for o in stage.scale.options] == ["Manual", "Scripted", "Automated", "Intelligent"]
    assert mlops.item("DP-01")[1].scale is YES_PARTIAL_NO and not YES_PARTIAL_NO.graded
    graded = [item for d in mlops.dimensions for item in d.items if item.scale.graded]
    assert len(graded) == 32 and all("capability" in item.tags for item in graded)


def test_answers_parse_by_value_or_label_and_score_as_declared(mlops) -> None:
    scale = mlops.item("DP-10")[1].scale
    assert scale.parse("Best-in-class") == scale.parse("best in class") == "best_in_class"
    assert scale.parse("N/A") == NA and scale.parse("Not answered") == UNANSWERED
    assert (scale.score("not_implemented"), scale.score("basic"), scale.score("best_in_class")) == (0, 0.33, 1)
    assert scale.falls_short("advanced") and not scale.falls_short("best_in_class") and not scale.falls_short(NA)
    with pytest.raises(ValidationError, match="'yes' is not one of not_implemented, basic"):
        scale.parse("yes")
    need = mlops.item("FS-13")[1].scale
    assert need.score("required") is None and not need.falls_short("required")  # a need, not an attainment
    assert YES_PARTIAL_NO.parse("P") == "partial" and YES_PARTIAL_NO.score("partial") == 0.5


def test_attainment_counts_each_answer_as_its_scale_declares(mlops) -> None:
    three = mlops.item("DP-14")[1].scale
    need = mlops.item("FS-13")[1].scale
    assert attainment([(YES_PARTIAL_NO, "yes"), (three, "basic"), (need, "required"), (three, NA),
                       (YES_PARTIAL_NO, UNANSWERED)]) == pytest.approx(0.75)
    assert attainment([(need, "required")]) is None
    assert steps_to_target(three, "none", "advanced") == 2 and steps_to_target(three, "advanced", "basic") == 0


def test_a_target_is_an_option_of_the_scale(mlops) -> None:
    scale = mlops.item("DP-14")[1].scale
    assert scale.parse_target("Advanced") == "advanced" and scale.parse_target("") == ""
    with pytest.raises(ValidationError, match="a target is one of none, basic, advanced"):
        scale.parse_target("n/a")


@pytest.mark.parametrize(("change", "message"), [
    (lambda f: f["scales"]["implementation"]["options"].append({"value": "na", "label": "X", "score": 1}),
     "must be lowercase letters"),
    (lambda f: f["scales"]["implementation"]["options"].__setitem__(1, {"value": "b", "label": "B", "score": 2}),
     "must be from 0 to 1"),
    (lambda f: f["scales"].__setitem__("yes-partial-no", {"name": "x", "options": []}), "built in"),
    (lambda f: f["dimensions"][0]["items"][0].__setitem__("scale", "nope"), "unknown answer scale 'nope'"),
    (lambda f: f["scales"]["implementation"].__setitem__("options", [{"value": "a", "label": "A", "score": 1}]),
     "at least two options"),
    (lambda f: f["scales"]["implementation"]["options"].__setitem__(2, {"value": "b", "label": "basic", "score": 0}),
     "must differ"),
])
def test_bad_scales_are_refused_with_the_problem_named(change, message) -> None:
    data = copy.deepcopy(builtin("mlops-architecture"))
    change(data)
    with pytest.raises(ValidationError, match=message):
        parse_framework(data)


@given(st.text(max_size=40))
def test_parsing_any_text_gives_an_option_or_a_plain_refusal(text: str) -> None:
    scale = parse_framework(builtin("mlops-architecture")).item("DP-10")[1].scale
    try:
        value = scale.parse(text)
    except ValidationError as exc:
        assert str(exc).startswith("answer: ")
    else:
        assert value in (*scale.values, NA, UNANSWERED)


def test_the_infrastructure_template_scores_out_of_5_with_its_own_level_names() -> None:
    framework = parse_framework(builtin("aiml-infrastructure"))
    assert framework.score_maximum == 5 and [b.name for b in framework.bands] == [
        "No ML capabilities", "Ad-hoc ML experiments", "Functional ML", "Mature ML operations",
        "Production ML platform"]
    card = score_engagement(framework, dict.fromkeys((d.id for d in framework.dimensions), 3) | {"INF": 4,
                                                                                               "DEV": 4})
    assert card.overall == 65.0 and card.shown == 3.25 and card.shown_text == "3.25 / 5"
    assert card.band == "Functional ML" and card.as_dict()["out_of"] == 5
    assert {percent(d.weight) for d in framework.dimensions} == {"12.5 %"}
    assert percent(0.15) == "15 %" and percent(1 / 3) == "33.33 %"
    mlops = score_engagement(parse_framework(builtin("mlops-architecture")), {"DP": 3})
    assert mlops.shown_text == "60 / 100"
