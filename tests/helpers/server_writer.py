"""One auditor writing to a team server's engagement for a while (tests/store/test_server_concurrency.py).

    python -m tests.helpers.server_writer URL ENGAGEMENT SHARED WRITER SECONDS OUT

Until SECONDS have passed: add a finding of its own, then change that finding's severity, then change the owner
of the SHARED finding (which every writer changes) based on the version it read just before (`seen_version`,
with the owner it then held), each through
the services (one transaction each). OUT receives, as JSON, every finding of its own it saw committed with the
severity it last committed, how many changes it committed, and each owner change of the shared finding that
went through as [the owner it replaced, its own] and how many were refused as stale.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from workbench.domain.errors import StaleEditError
from workbench.services import records
from workbench.services.unit import reading
from workbench.store.server_workspace import ServerWorkspace

SEVERITIES = ("Low", "Medium", "High", "Critical")


def main(url: str, engagement: str, shared: str, writer: str, seconds: float, out: Path) -> int:
    committed: dict[str, str] = {}
    owners: list[tuple[str, str]] = []
    stale = 0
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
            with reading(ws, engagement) as (session, row):
                read = records.find_row(session, row, "finding", shared)
                seen, version = read.owner, read.row_version
            owner = f"writer {writer} #{number}"
            try:
                records.update_record(ws, engagement, "finding", shared, {"owner": owner}, seen_version=version)
            except StaleEditError:
                stale += 1
            else:
                owners.append((seen, owner))
                changes += 1
            number += 1
    out.write_text(json.dumps({"findings": committed, "changes": changes, "owners": owners, "stale": stale}),
                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), Path(sys.argv[6])))
