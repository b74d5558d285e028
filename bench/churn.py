"""Readers and writers at once, for tests/faults/test_consistent_reads.py and bench/bench_faults.py.

`churn` keeps an engagement busy: 200-row findings imports, deletions of what it imported, and single
edits, each its own transaction. Run in a thread or as a process
(`python -m bench.churn DB ENG ANCHOR STOPFILE READYFILE`), it stops when told to. `read_rounds` reads
meanwhile: each round verifies the audit trail against the records as `log --verify` does, exports the
engagement and runs every import check on the package (without writing it), counting what failed."""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path
from threading import Event

from workbench.services.attestation import verify_trail
from workbench.services.package_checks import check_package, open_package
from workbench.services.packages import export_package
from workbench.services.records import delete_records, update_record
from workbench.services.records_io import import_records
from workbench.store.workspace import Workspace

ROWS = 200
IMPORTS = 3
EDITS = 5
PAUSE = 0.05  # between single edits, once the imports are done: the trail grows by some 15 events a second


def findings_csv(folder: Path, rows: int = ROWS) -> Path:
    path = folder / "scanner-output.csv"
    lines = ["title,severity,description"]
    lines += [f"Finding {n},{('Low', 'Medium', 'High')[n % 3]},Row {n} of the scanner output" for n in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def churn(ws: Workspace, engagement: str, folder: Path, stop: Event | Path, anchor: str,
          ready: Event | Path) -> int:
    """Until told to stop: for the first IMPORTS rounds import 200 findings, edit the anchor finding EDITS times
    and delete what was imported, then only edit (the trail stays a few thousand events long, so reading
    rounds stay quick). Signals `ready` after the first import; returns the number of committed
    transactions."""
    source = findings_csv(folder)
    commits = 0

    def stopped() -> bool:
        return stop.is_set() if isinstance(stop, Event) else stop.exists()

    def edit() -> None:
        nonlocal commits
        update_record(ws, engagement, "finding", anchor, {"description": f"edited {commits}"})
        commits += 1

    for cycle in itertools.count():
        if stopped():
            break
        if cycle >= IMPORTS:
            edit()
            time.sleep(PAUSE)
            continue
        uids = import_records(ws, engagement, "finding", source)
        commits += 1
        ready.set() if isinstance(ready, Event) else ready.touch()
        for _ in range(EDITS):
            edit()
        delete_records(ws, engagement, "finding", uids)
        commits += 1
    return commits


def read_rounds(reader: Workspace, engagement: str, folder: Path, rounds: int) -> dict[str, list[str]]:
    """`rounds` times: verify the trail, export, check the package; the problems found, by kind."""
    failures: dict[str, list[str]] = {"verify": [], "export": []}
    for number in range(rounds):
        report = verify_trail(reader, engagement, roots=[])  # `log --verify`; no attestation to check here
        if not report.ok:
            failures["verify"].append(report.problem)
        package = export_package(reader, engagement, folder / f"round-{number % 4}.mlaudit", signer=None)
        try:
            with open_package(package) as archive:
                check_package(archive)
        except Exception as exc:  # noqa: BLE001 - every refusal is counted, whatever its class
            failures["export"].append(str(exc))
    return failures


if __name__ == "__main__":
    db, eng, anchor_uid, stop_file, ready_file = sys.argv[1:6]
    with Workspace(Path(db)) as workspace:
        done = churn(workspace, eng, Path(stop_file).parent, Path(stop_file), anchor_uid, Path(ready_file))
    print(done)
