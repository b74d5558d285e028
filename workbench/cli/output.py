"""What every command writes for `--json`, and warnings (stderr, the command still succeeds)."""

from __future__ import annotations

import json
import sys
from typing import Any

__all__ = ["emit_json", "warn"]


def emit_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False, sort_keys=False)
    sys.stdout.write("\n")


def warn(text: str) -> None:
    """A warning the auditor should read; the change it is about was made."""
    print(f"workbench: warning: {text}", file=sys.stderr)
