"""What every command writes for `--json`, and warnings (stderr, the command still succeeds)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

__all__ = ["emit_json", "json_chunks", "warn"]

INDENT = "  "


def emit_json(value: Any) -> None:
    """`value` as json.dump(value, indent=2, ensure_ascii=False) writes it, byte for byte, only faster."""
    sys.stdout.writelines(json_chunks(value))
    sys.stdout.write("\n")


def json_chunks(value: Any, depth: int = 0) -> Iterator[str]:
    """The text of json.dumps(value, indent=2, ensure_ascii=False), in pieces.

    With an indent, json encodes in pure Python (its C encoder only writes compact text), which took half
    of `show --json` on a 5,000-finding engagement. A dict of plain values (a record) is written here by
    the C encoder with the indented separators; containers around them are written piece by piece, and
    anything else nested is left to json itself, re-indented (a JSON string never holds a raw newline).
    """
    inner = INDENT * (depth + 1)
    if isinstance(value, dict) and value and all(isinstance(key, str) for key in value):
        if not any(isinstance(item, dict | list | tuple) for item in value.values()):
            text = json.dumps(value, ensure_ascii=False, separators=(",\n" + inner, ": "))
            yield "{\n" + inner + text[1:-1] + "\n" + INDENT * depth + "}"
            return
        yield "{"
        for number, (key, item) in enumerate(value.items()):
            yield ("\n" if number == 0 else ",\n") + inner + json.dumps(key, ensure_ascii=False) + ": "
            yield from json_chunks(item, depth + 1)
        yield "\n" + INDENT * depth + "}"
    elif isinstance(value, list | tuple) and value:
        yield "["
        for number, item in enumerate(value):
            yield ("\n" if number == 0 else ",\n") + inner
            yield from json_chunks(item, depth + 1)
        yield "\n" + INDENT * depth + "]"
    else:
        yield json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + INDENT * depth)


def warn(text: str) -> None:
    """A warning the auditor should read; the change it is about was made."""
    print(f"workbench: warning: {text}", file=sys.stderr)
