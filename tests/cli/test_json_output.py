"""`--json` output is written faster than json.dump with an indent, and is the same text byte for byte."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.cli.output import emit_json, json_chunks

SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
           | st.text())
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4)
                      | st.tuples(inner, inner), max_leaves=30)


@given(VALUES)
@settings(max_examples=400)
def test_chunks_are_json_dumps_with_an_indent(value: object) -> None:
    assert "".join(json_chunks(value)) == json.dumps(value, indent=2, ensure_ascii=False)


def test_records_nested_values_and_keys_that_are_not_text(capsys) -> None:
    document = {"engagement": {"title": "Zoë's \"audit\"\nline two", "archived": False, "score": 57.5},
                "findings": [{"ref": "F-001", "effort_hours": 2.0, "refs": []}, {}],
                "matrices": [{"data": {"stage": "train", "nested": {"deep": [1, None, math.inf]}}, "carried": True}],
                "numbered": {1: "one", None: "none", 2.5: "float"}, "empty": [], "tuple": ("a", ["b"])}
    emit_json(document)
    assert capsys.readouterr().out == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
