"""One auditor writing to a team server's engagement for a while (tests/store/test_server_concurrency.py).

    python -m tests.helpers.server_writer URL ENGAGEMENT WRITER SECONDS OUT

Until SECONDS have passed: add a finding of its own, then change that finding's severity, each through the
services (one transaction each). OUT receives, as JSON, every finding this writer saw committed with the
severity it last committed, and how many changes it committed: the test checks the server holds exactly that.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from workbench.services import records
from workbench.store.server_workspace import ServerWorkspace

SEVERITIES = ("Low", "Medium", "High", "Critical")


def main(url: str, engagement: str, writer: str, seconds: float, out: Path) -> int:
    committed: dict[str, str] = {}
    changes = 0
    deadline = time.monotonic() + seconds
    with ServerWorkspace(url, actor=f"writer-{writer}") as ws:
        number = 0
        while time.monotonic() < deadline:
            title = f"writer {writer} finding {number}"
            uid = records.add_record(ws, engagement, "finding", {"title": title, "severity": "Low"})
            committed[uid] = "Low"
            severity = SEVERITIES[1 + number % 3]
            records.update_record(ws, engagement, "finding", uid, {"severity": severity})
            committed[uid] = severity
            changes += 2
            number += 1
    out.write_text(json.dumps({"findings": committed, "changes": changes}), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), Path(sys.argv[5])))
