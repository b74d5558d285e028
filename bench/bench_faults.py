"""Concurrency and fault injection, counted: readers beside a busy writer (threads and processes), kill -9
during a stream of acknowledged edits and during every writing command. Writes the bench:faults section of
docs/performance.md.

    .venv/bin/python bench/bench_faults.py [--rounds 200] [--kills 40] [--kills-each 4] [--no-write]

The same experiments, with fewer rounds and kills, are tests (tests/faults/).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import kill9  # noqa: E402
from bench.bench_inputs import publish_section  # noqa: E402
from bench.churn import churn, read_rounds  # noqa: E402
from bench.run_bench import OtherLoad  # noqa: E402

START, END = "<!-- bench:faults:start -->", "<!-- bench:faults:end -->"
ROOT = Path(__file__).resolve().parents[1]


def _busy(folder: Path) -> tuple[Path, str, str]:
    from workbench.services.engagements import create_engagement
    from workbench.services.records import add_record
    from workbench.store.workspace import Workspace

    db = folder / "busy.db"
    with Workspace(db) as ws:
        uid = create_engagement(ws, client="Acme", title="Concurrent")
        return db, uid, add_record(ws, uid, "finding", {"title": "Anchor", "severity": "High"})


def concurrent_threads(folder: Path, rounds: int) -> tuple[int, dict[str, list[str]]]:
    from workbench.store.workspace import Workspace

    db, uid, anchor = _busy(folder)
    stop, ready, commits = threading.Event(), threading.Event(), []
    with Workspace(db) as ws:
        writer = threading.Thread(target=lambda: commits.append(churn(ws, uid, folder, stop, anchor, ready)))
        writer.start()
        ready.wait(300)
        try:
            failures = read_rounds(ws, uid, folder, rounds)
        finally:
            stop.set()
            writer.join()
    return commits[0], failures


def concurrent_processes(folder: Path, rounds: int) -> tuple[int, dict[str, list[str]]]:
    from workbench.store.workspace import Workspace

    db, uid, anchor = _busy(folder)
    stop, ready = folder / "stop", folder / "ready"
    writer = subprocess.Popen([sys.executable, "-m", "bench.churn", str(db), uid, anchor, str(stop), str(ready)],
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
                              text=True)
    while not ready.exists() and writer.poll() is None:
        time.sleep(0.05)
    try:
        with Workspace(db, read_only=True) as reader:
            failures = read_rounds(reader, uid, folder, rounds)
    finally:
        stop.touch()
        out, _err = writer.communicate(timeout=600)
    return int(out.strip() or 0), failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="reading rounds in threads, and again in processes")
    parser.add_argument("--kills", type=int, default=40, help="kills of the acknowledged-edits writer")
    parser.add_argument("--kills-each", type=int, default=4, help="kills of each writing command")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    load, lines = OtherLoad(), []
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        for name, run in (("threads", concurrent_threads), ("processes", concurrent_processes)):
            (base / name).mkdir()
            commits, failures = run(base / name, args.rounds)
            lines.append(f"| Readers and a writer in {name} | {args.rounds} rounds, {commits:,} writer commits | "
                         f"{len(failures['verify'])} false trail alarms, {len(failures['export'])} unimportable "
                         "exports |")
            print(lines[-1], flush=True)
        (base / "edits").mkdir()
        from workbench.services.engagements import create_engagement
        from workbench.store.workspace import Workspace

        with Workspace(base / "edits" / "workspace.db") as ws:
            uid = create_engagement(ws, client="Acme", title="Killed writers")
        edits = kill9.acknowledged_edits(base / "edits" / "workspace.db", uid, args.kills)
        lines.append(f"| kill -9 during acknowledged edits | {edits.kills} kills, {edits.acknowledged:,} edits "
                     f"acknowledged | {len(edits.lost)} edits lost, {len(edits.trail_problems)} broken trails |")
        print(lines[-1], flush=True)
        (base / "commands").mkdir()
        uid, writing = kill9.writing_commands(base / "commands")
        killed = kill9.kill_commands(base / "commands", uid, writing, args.kills_each)
        names = ", ".join(name for name, _ in writing)
        lines.append(f"| kill -9 during every writing command ({names}) | {sum(killed.kills.values())} kills | "
                     f"{len(killed.problems)} problems (workspace not reopening or verifying, part of an import, "
                     "a partial file under a final name) |")
        print(lines[-1], flush=True)
        for problem in killed.problems:
            print("  problem:", problem)
    about = ("`bench/bench_faults.py`. A reading round verifies the audit trail against the records, exports the "
             "engagement and runs every import check on the package, while the writer imports 200 findings, edits "
             "one and deletes the 200 again (then keeps editing). A kill is SIGKILL at a random moment; after "
             "each, the workspace must reopen for writing and every trail verify, an import be whole or absent, "
             "and every file under a final name be whole. Full disk (a 32 MB tmpfs), read-only disk and injected "
             "faults are tests only (tests/faults/): every writing command, one plain line, nothing changed.")
    publish_section(load, "one run.", about, ["| Experiment | Done | Failures |", "|---|---|---|", *lines],
                    START, END, write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
