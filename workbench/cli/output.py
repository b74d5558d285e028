"""What every command writes for `--json`."""

from __future__ import annotations

import json
import sys
from typing import Any

__all__ = ["emit_json"]


def emit_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False, sort_keys=False)
    sys.stdout.write("\n")
