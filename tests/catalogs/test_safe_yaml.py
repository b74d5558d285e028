"""YAML from the field is plain data: aliases, custom tags and object tags are refused by name."""

from __future__ import annotations

import time

import pytest

from workbench.catalogs.safe_yaml import load_yaml
from workbench.domain.errors import ValidationError

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)])


def test_plain_data_loads_and_timestamps_stay_text() -> None:
    data = load_yaml("name: x\nwhen: 2026-01-15\nat: 2026-02-02T11:01:04-04:00\nn: 3\nok: true\nlist: [a, 1.5]")
    assert data == {"name": "x", "when": "2026-01-15", "at": "2026-02-02T11:01:04-04:00", "n": 3, "ok": True,
                    "list": ["a", 1.5]}


def test_alias_bomb_is_refused_quickly() -> None:
    started = time.perf_counter()
    with pytest.raises(ValidationError, match="aliases"):
        load_yaml(BILLION_LAUGHS, "bomb.yaml")
    assert time.perf_counter() - started < 1.0


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
