"""The compiled schema shortcut: never accepts what jsonschema refuses, and is alive for the package schema."""

from __future__ import annotations

import copy
import json
import random
import zipfile
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from workbench.services.fast_schema import UnsupportedSchema, compile_schema
from workbench.services.package_checks import check_schema, package_shortcut, package_validator

SAMPLES = Path(__file__).resolve().parents[2] / "sample_audits"


def sample_document(name: str = "driftguard.mlaudit") -> dict[str, Any]:
    with zipfile.ZipFile(SAMPLES / name) as archive:
        return json.loads(archive.read("engagement.json"))


def test_the_package_schema_compiles_and_accepts_every_sample() -> None:
    check = compile_schema(package_validator().schema)  # raises if the schema left the supported subset
    for package in sorted(SAMPLES.glob("*.mlaudit")):
        document = sample_document(package.name)
        assert check(document), package.name
        assert package_validator().is_valid(document)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node[:2]):
            found += _paths(value, (*prefix, index))
    return found


def test_random_damage_is_never_accepted_when_jsonschema_refuses_it() -> None:
    document = sample_document()
    document = {key: value[:3] if isinstance(value, list) and key != "audit_log" else value
                for key, value in document.items()}
    document["audit_log"] = document["audit_log"][:4]
    check, validator = package_shortcut(), package_validator()
    paths = [path for path in _paths(document) if path[0] != "framework"]
    values = [None, True, False, 0, 1, -3, 2.5, 1.0, "", "x", "a" * 80, "no spaces allowed!", [], {}, [1], {"k": 1}]
    rng = random.Random(20261123)
    refused = 0
    for _ in range(100):
        path = rng.choice(paths)
        damaged = {**document, path[0]: copy.deepcopy(document[path[0]])}
        parent = damaged
        for key in path[:-1]:
            parent = parent[key]
        roll = rng.random()
        if roll < 0.75 or not isinstance(parent, dict):
            parent[path[-1]] = rng.choice(values)
        elif roll < 0.9:
            del parent[path[-1]]
        else:
            parent["unexpected"] = 1
        valid = validator.is_valid(damaged)
        assert not (check(damaged) and not valid), f"shortcut accepted {path} = {parent.get(path[-1], '?')!r}"
        refused += not valid
    assert refused > 60  # the damage mostly did break the schema, so the comparison meant something


@pytest.mark.parametrize(("schema", "good", "bad"), [
    ({"type": "integer"}, [0, -4, 10**30], [True, 1.5, "1", None]),
    ({"type": "number", "minimum": 1, "maximum": 5}, [1, 4.5, 5], [0, 5.5, "3"]),
    ({"minimum": 1}, [True, False, "x", 3], [0, -1.5]),  # a boolean is not a number in JSON Schema
    ({"type": ["string", "null"], "minLength": 2, "maxLength": 3}, [None, "ab", "abc"], ["a", "abcd", 7]),
    ({"type": "string", "pattern": "^[a-f0-9]{4}$"}, ["00ff"], ["00fg", "00ff0"]),
    ({"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}},
      "additionalProperties": False}, [{"a": "x"}], [{}, {"a": 1}, {"a": "x", "b": 1}, []]),
    ({"type": "object", "additionalProperties": {"type": "integer"}}, [{}, {"n": 1}], [{"n": "1"}]),
    ({"type": "array", "items": {"$ref": "#/$defs/small"}, "$defs": {"small": {"type": "integer", "maximum": 2}}},
     [[], [1, 2]], [[3], [1, "2"], {"0": 1}]),
    ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, ["x", 3], [None, 2.5]),
])
def test_subset_keywords_match_jsonschema(schema: dict[str, Any], good: list[Any], bad: list[Any]) -> None:
    check, validator = compile_schema(schema), Draft202012Validator(schema)
    for value in good:
        assert validator.is_valid(value) and check(value), value
    for value in bad:
        assert not validator.is_valid(value) and not check(value), value


@pytest.mark.parametrize("schema", [
    {"type": "string", "format": "date"},
    {"enum": ["a", "b"]},
    {"items": [{"type": "string"}]},
    {"$ref": "https://example.invalid/other.json"},
    {"type": "decimal"},
    {"properties": {"a": {"$id": "nested"}}},
])
def test_anything_outside_the_subset_is_refused_at_compile_time(schema: dict[str, Any]) -> None:
    with pytest.raises(UnsupportedSchema):
        compile_schema(schema)


def test_a_refused_document_still_gets_jsonschemas_message() -> None:
    document = sample_document()
    document["findings"][1]["severity"] = 3
    with pytest.raises(Exception, match=r"findings/1/severity: 3 is not of type 'string'"):
        check_schema(document)
