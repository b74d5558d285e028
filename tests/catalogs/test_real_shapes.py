"""Shapes found in real published catalogs (tried on 2026-11-23), rebuilt as small excerpts written for the tests.

- NIST's examples/profile/json/basic-resolved-profile_catalog.json lists its controls without any group
  (profile resolution without a merge directive), and one of its choices inserts another parameter.
- CISO Assistant's nist-ai-rmf-1.0.yaml gives its depth-1 functions a ref_id and a description but no name.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.catalogs import DATA
from workbench.catalogs.ciso_assistant import convert_library
from workbench.catalogs.oscal import convert_catalog
from workbench.catalogs.safe_yaml import load_yaml
from workbench.domain.errors import ValidationError
from workbench.domain.framework import parse_framework
from workbench.services.frameworks import import_framework_file
from workbench.store.workspace import Workspace

FLAT_RESOLVED = DATA / "oscal_flat_resolved_catalog.json"
REFID_ONLY = DATA / "ciso_refid_only_library.yaml"


@pytest.fixture
def flat_resolved() -> dict[str, Any]:
    return copy.deepcopy(json.loads(FLAT_RESOLVED.read_text(encoding="utf-8")))


def test_flat_resolved_profile_catalog_becomes_one_dimension(flat_resolved: dict[str, Any]) -> None:
    conversion = convert_catalog(flat_resolved)
    framework = parse_framework(conversion.document)
    assert conversion.source_format == "oscal-resolved-profile"
    assert [(d.id, d.name, d.weight) for d in framework.dimensions] == [("controls", "Controls", 1.0)]
    assert [i.id for i in framework.dimensions[0].items] == ["s1.2.1", "s1.2.2"]
    assert conversion.warnings == ["2 controls outside any group were put in the dimension 'Controls'"]


def test_a_choice_that_inserts_a_parameter_is_written_out(flat_resolved: dict[str, Any]) -> None:
    framework = parse_framework(convert_catalog(flat_resolved).document)
    text = framework.item("s1.2.1")[1].text
    assert text.splitlines()[0] == "1.2.1 Model owners named"
    assert ("Consoles are protected by [Selection (one or more): locking the console after "
            "[Assignment: an idle time (30 minutes at most)] idle; asking the user to lock it before walking away]."
            ) in text
    assert "See also (the next control)." in text and "{{" not in text and "](#" not in text
    assert framework.item("s1.2.1")[1].guidance == "Ask for the model inventory."


@pytest.mark.parametrize("drop", ["links", "props"])
def test_one_resolution_marker_is_enough(flat_resolved: dict[str, Any], drop: str) -> None:
    flat_resolved["catalog"]["metadata"].pop(drop)
    assert convert_catalog(flat_resolved).source_format == "oscal-resolved-profile"


def test_a_plain_catalog_without_groups_is_still_refused(flat_resolved: dict[str, Any]) -> None:
    metadata = flat_resolved["catalog"]["metadata"]
    metadata.pop("links")
    metadata.pop("props")
    with pytest.raises(ValidationError, match="it has no groups"):
        convert_catalog(flat_resolved)


def test_a_resolved_catalog_with_neither_groups_nor_controls_is_refused(flat_resolved: dict[str, Any]) -> None:
    flat_resolved["catalog"]["controls"] = []
    with pytest.raises(ValidationError, match="it has no groups"):
        convert_catalog(flat_resolved)


def test_flat_resolved_catalog_imports_from_its_file(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.db") as ws:
        framework = import_framework_file(ws, FLAT_RESOLVED)
    assert (framework.id, framework.version, framework.item_count) == ("demo-resolved-baseline", "2.0.1", 2)


def test_dimension_with_ref_id_but_no_name_keeps_its_description() -> None:
    conversion = convert_library(load_yaml(REFID_ONLY.read_text(encoding="utf-8")))
    framework = parse_framework(conversion.document)
    assert [(d.id, d.name, d.description) for d in framework.dimensions] == [
        ("GOVERN", "GOVERN", "A culture of managing model risk is in place."),
        ("MAP", "MAP", "The context of each model is understood.")]
    assert [i.id for d in framework.dimensions for i in d.items] == ["GOVERN-1.1", "MAP-1.1"]  # preamble not assessed
    rules = framework.item("GOVERN-1.1")[1]
    assert rules.text == "GOVERN 1.1 Rules that apply to models are known \u2013 and written down."
    assert rules.guidance == "Section: GOVERN › GOVERN 1."
    assert conversion.warnings == []


def test_a_title_cut_from_the_description_does_not_repeat_it() -> None:
    data = load_yaml(REFID_ONLY.read_text(encoding="utf-8"))
    root = data["objects"]["framework"]["requirement_nodes"][0]
    root.pop("ref_id")
    framework = parse_framework(convert_library(data).document)
    assert framework.dimensions[0].name == "A culture of managing model risk is in place."
    assert framework.dimensions[0].description == ""
