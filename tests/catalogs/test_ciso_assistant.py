"""CISO Assistant libraries: depth-1 nodes become dimensions, assessable nodes items, the score scale levels."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.catalogs.ciso_assistant import convert_library
from workbench.domain.errors import ValidationError
from workbench.domain.framework import parse_framework


def test_dimensions_items_sections_and_tags(ciso_data: dict[str, Any]) -> None:
    conversion = convert_library(ciso_data)
    framework = parse_framework(conversion.document)
    assert [(d.id, d.name) for d in framework.dimensions] == [("GOVERN", "Governance"), ("MONITOR", "Monitoring"),
                                                              ("DEPLOY", "Deployment")]
    assert [i.id for i in framework.dimensions[0].items] == ["GOVERN-1.1", "GOVERN-1.2"]
    _, owner = framework.item("GOVERN-1.1")
    assert owner.text == "GOVERN 1.1 Every production model has a named owner."
    assert owner.guidance == "Section: Governance › Ownership.\nTypical evidence: Model inventory with owners."
    assert framework.item("GOVERN-1.2")[1].tags == ("IG1", "IG2")
    assert framework.item("MONITOR-1")[1].guidance == "Section: Monitoring.\nAsk for the last alert."
    assert [i.id for i in framework.dimension("DEPLOY").items] == ["DEPLOY-req"]  # a depth-1 assessable node
    assert conversion.document["tag_names"] == {"IG1": "Essential", "IG2": "Advanced"}
    assert conversion.source_metadata["urn"] == "urn:example:risk:library:ml-ops-checklist"
    assert (framework.id, framework.version) == ("ml-ops-checklist", "3")
    assert conversion.warnings == []


def test_five_step_score_scale_names_the_levels(ciso_data: dict[str, Any]) -> None:
    framework = parse_framework(convert_library(ciso_data).document)
    assert [(lv.name, lv.descriptor) for lv in framework.dimensions[1].levels][2] == (
        "Defined", "Practices are written down and followed.")


def test_other_scales_are_spread_over_five_levels(ciso_data: dict[str, Any]) -> None:
    framework_node = ciso_data["objects"]["framework"]
    framework_node.update(min_score=0, max_score=3, scores_definition={"scale": [
        {"score": s, "name": n} for s, n in ((0, "Absent"), (1, "Partial"), (2, "Largely"), (3, "Full"))]})
    conversion = convert_library(ciso_data)
    levels = parse_framework(conversion.document).dimensions[0].levels
    assert [lv.descriptor for lv in levels] == ["Library score 0 · Absent", "Library score 1 · Partial",
                                                "Library score 2 · Largely", "Library score 2 · Largely",
                                                "Library score 3 · Full"]
    assert any("4 steps (0 to 3)" in w for w in conversion.warnings)


def test_repeated_ref_ids_get_a_suffix_and_a_warning(ciso_data: dict[str, Any]) -> None:
    nodes = ciso_data["objects"]["framework"]["requirement_nodes"]
    nodes.append({**nodes[2], "urn": nodes[2]["urn"] + "-copy"})
    conversion = convert_library(ciso_data)
    ids = [i["id"] for i in conversion.document["dimensions"][0]["items"]]
    assert ids == ["GOVERN-1.1", "GOVERN-1.2", "GOVERN-1.1-2"]
    assert "1 item shares a ref_id with another; a suffix keeps their ids apart" in conversion.warnings


@pytest.mark.parametrize("change, message", [
    (lambda nodes: nodes.append(dict(nodes[0])), "duplicate id 'urn:example:risk:req_node:ml-ops-checklist:govern'"),
    (lambda nodes: nodes[2].update(parent_urn="urn:nowhere"), "names an unknown parent"),
    (lambda nodes: nodes.clear(), "no requirement nodes"),
    (lambda nodes: nodes[0].pop("urn"), "needs a urn"),
])
def test_refused_libraries_name_the_problem(ciso_data: dict[str, Any], change: Any, message: str) -> None:
    change(ciso_data["objects"]["framework"]["requirement_nodes"])
    with pytest.raises(ValidationError, match=message):
        convert_library(ciso_data)
