"""OSCAL catalogs: groups become dimensions, controls items, enhancements follow their control."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.catalogs import OSCAL_YAML
from workbench.catalogs.detect import convert, detect_format, read_source
from workbench.catalogs.oscal import convert_catalog
from workbench.domain.errors import ValidationError
from workbench.domain.framework import parse_framework


def test_groups_controls_enhancements_and_metadata(oscal_data: dict[str, Any]) -> None:
    conversion = convert_catalog(oscal_data)
    framework = parse_framework(conversion.document)
    assert conversion.source_format == "oscal-catalog"
    assert [(d.id, d.name) for d in framework.dimensions] == [("gv", "Model Governance"), ("mo", "Monitoring"),
                                                              ("dp", "Deployment")]
    assert framework.dimensions[0].description == "Who decides which models reach production."
    assert [i.id for i in framework.dimensions[0].items] == ["gv-1", "gv-1.1", "gv-2"]  # withdrawn gv-1.2 left out
    assert "1 withdrawn control was left out" in conversion.warnings
    assert sum(d.weight for d in framework.dimensions) == pytest.approx(1.0)
    assert len({d.weight for d in framework.dimensions[:2]}) == 1
    assert conversion.source_metadata == {"title": "Example ML Operations Control Catalog", "version": "1.2",
                                          "last-modified": "2026-03-01T09:00:00.000+00:00",
                                          "oscal-version": "1.1.2"}
    assert (framework.id, framework.version, framework.name) == ("example-ml-operations-control-catalog", "1.2",
                                                                 "Example ML Operations Control Catalog")


def test_statement_shows_parameters_readably(oscal_data: dict[str, Any]) -> None:
    framework = parse_framework(convert_catalog(oscal_data).document)
    _, control = framework.item("gv-1")
    assert control.text.splitlines() == [
        "GV-1 Model Inventory",
        "a. Keep an inventory of every model in production, reviewed [Assignment: organization-defined frequency];",
        "b. Name for each model the [Selection (one or more): model owner; risk officer; data protection officer].",
    ]
    assert control.guidance == "Ask for the inventory and pick three models at random."
    assert control.tags == ("control",)
    _, enhancement = framework.item("gv-1.1")
    assert enhancement.text == "GV-1(1) Automated Inventory Updates\nUpdate the inventory automatically from the " \
                               "model registry."  # a set value replaces the assignment
    assert enhancement.tags == ("enhancement",) and "Enhancement of GV-1." in enhancement.guidance
    assert framework.item("gv-2")[1].text.endswith("released; see GV-1.")  # local links keep their text


def test_yaml_nested_groups_and_resolved_profile() -> None:
    conversion = convert(read_source(OSCAL_YAML))
    framework = parse_framework(conversion.document)
    assert conversion.source_format == "oscal-resolved-profile"
    assert [d.id for d in framework.dimensions] == ["s1", "s2"]
    _, lineage = framework.item("s1.1.1")
    assert lineage.text == "1.1.1 Lineage records\nKeep lineage records of every training data set for 12 months."
    assert lineage.guidance == "Section: Data Lineage."
    assert "[Assignment: s2.1-prm-missing]" in framework.item("s2.1")[1].text


def test_controls_outside_groups_get_their_own_dimension(oscal_data: dict[str, Any]) -> None:
    oscal_data["catalog"]["controls"] = [{"id": "x-1", "title": "Loose control"}]
    conversion = convert_catalog(oscal_data)
    assert conversion.document["dimensions"][-1]["name"] == "Other controls"
    assert any("outside any group" in w for w in conversion.warnings)
    parse_framework(conversion.document)


@pytest.mark.parametrize("change, message", [
    (lambda c: c["groups"][1]["controls"].append({"id": "gv-1", "title": "Again"}), "duplicate id 'gv-1'"),
    (lambda c: c["groups"].append({"id": "mo", "title": "Same group id"}), "duplicate id 'mo'"),
    (lambda c: c.update(groups=[], controls=[{"id": "a-1"}]), "it has no groups"),
    (lambda c: c["metadata"].pop("title"), "metadata has no title"),
    (lambda c: c["groups"][0]["controls"][0].pop("id"), "has no id"),
])
def test_refused_catalogs_name_the_problem(oscal_data: dict[str, Any], change: Any, message: str) -> None:
    change(oscal_data["catalog"])
    with pytest.raises(ValidationError, match=message):
        convert_catalog(oscal_data)


def test_a_profile_must_be_resolved_first() -> None:
    with pytest.raises(ValidationError, match="resolve it into a catalog"):
        detect_format({"profile": {"imports": []}}, "baseline_profile.json")
