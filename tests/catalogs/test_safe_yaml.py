"""YAML from the field is plain data: aliases, custom tags and object tags are refused by name."""

from __future__ import annotations

import gc

import pytest

from workbench.catalogs.safe_yaml import MAX_DEPTH, load_yaml
from workbench.domain.errors import ValidationError

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)])


def test_plain_data_loads_and_timestamps_stay_text() -> None:
    data = load_yaml("name: x\nwhen: 2026-01-15\nat: 2026-02-02T11:01:04-04:00\nn: 3\nok: true\nlist: [a, 1.5]")
    assert data == {"name": "x", "when": "2026-01-15", "at": "2026-02-02T11:01:04-04:00", "n": 3, "ok": True,
                    "list": ["a", 1.5]}


def test_alias_bomb_is_refused_at_its_first_alias() -> None:
    """Expanded, this document would hold 9**9 strings; it is refused when the parser meets `*a`."""
    with pytest.raises(ValidationError, match=r"bomb.yaml: YAML aliases \(\*name\) are not accepted"):
        load_yaml(BILLION_LAUGHS, "bomb.yaml")


@pytest.mark.parametrize("text, tag", [
    ("a: !custom 3", "!custom"),
    ("a: !!python/object/apply:os.system [echo hi]", "python/object/apply:os.system"),
    ("a: !!set {x, y}", "tag:yaml.org,2002:set"),
    ("a: !!binary aGk=", "tag:yaml.org,2002:binary"),
])
def test_tags_outside_plain_data_are_refused(text: str, tag: str) -> None:
    with pytest.raises(ValidationError, match="YAML tag") as caught:
        load_yaml(text, "tags.yaml")
    assert tag in str(caught.value) and "tags.yaml" in str(caught.value)


def test_a_single_alias_is_refused_too() -> None:
    with pytest.raises(ValidationError, match="aliases"):
        load_yaml("base: &b {x: 1}\ncopy: *b")


def test_broken_yaml_names_the_line() -> None:
    with pytest.raises(ValidationError, match="line 2"):
        load_yaml("a: 1\nb: x: y\nc: 2", "broken.yaml")


@pytest.mark.parametrize("text, problem", [
    ("--- 1\n--- 2", "more than one YAML document"),
    ("? [a]\n: 1", "mapping key must be plain text"),
    ("<<: {a: 1}\nb: 2", "tag:yaml.org,2002:merge"),
    ("a: !!timestamp 2026-01-01", "tag:yaml.org,2002:timestamp"),
    ("!!str {a: 1}", "tag:yaml.org,2002:str"),
    ("a: !!int abc", "'abc' is not a valid int"),
    ("a: !!bool maybe", "'maybe' is not a valid bool"),
])
def test_structures_outside_plain_data_are_refused_by_name(text: str, problem: str) -> None:
    with pytest.raises(ValidationError, match="odd.yaml") as caught:
        load_yaml(text, "odd.yaml")
    assert problem in str(caught.value)


def test_core_schema_scalars_resolve_as_pyyaml_does() -> None:
    text = "a: 0x1f\nb: 1_000\nc: .inf\nd: ~\ne: yes\nf: '12'\ng: !!str 12\nh: |\n  two\n  lines\nk: [3., -1]\n"
    assert load_yaml(text) == {"a": 31, "b": 1000, "c": float("inf"), "d": None, "e": True, "f": "12", "g": "12",
                               "h": "two\nlines\n", "k": [3.0, -1]}
    assert load_yaml("") is None and load_yaml("# only a comment\n") is None


def test_nesting_is_limited_before_anything_recurses_over_it() -> None:
    deepest = load_yaml("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    for _ in range(MAX_DEPTH - 1):
        deepest = deepest[0]
    assert deepest == []
    with pytest.raises(ValidationError, match=f"deeper than {MAX_DEPTH} levels"):
        load_yaml("a:\n" + "- " * 5000 + "x")


def test_garbage_collector_is_left_as_it_was() -> None:
    assert gc.isenabled()
    load_yaml("a: [1, 2]")
    with pytest.raises(ValidationError):
        load_yaml(BILLION_LAUGHS)
    assert gc.isenabled()
    gc.disable()
    try:
        load_yaml("a: 1")
        assert not gc.isenabled()
    finally:
        gc.enable()
