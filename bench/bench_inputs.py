"""Hostile spreadsheets: how fast, and in how much memory, `read_table` refuses them. Writes the
bench:inputs section of docs/performance.md.

    .venv/bin/python bench/bench_inputs.py [--runs 3] [--no-write]

Each workbook is built by bench/zipbombs.py; each read runs in a fresh child process, which reports its
wall-clock time for `read_table` and its own peak RSS (VmHWM; the interpreter with openpyxl imported is the
floor).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import zipbombs  # noqa: E402
from bench.run_bench import OtherLoad, publish  # noqa: E402

START, END = "<!-- bench:inputs:start -->", "<!-- bench:inputs:end -->"
MB = zipbombs.MB
CHILD = """
import json, resource, sys, time
import openpyxl  # imported before the clock starts, as in the app
from workbench.domain.errors import ValidationError
from workbench.services.table_readers import read_table
start = time.perf_counter()
try:
    outcome = f"read {len(read_table(sys.argv[1]).rows):,} rows"
except ValidationError as exc:
    outcome = "refused: " + str(exc)
except MemoryError:
    outcome = "MemoryError"
seconds = time.perf_counter() - start
try:  # this process's own peak: ru_maxrss would carry over the parent's size from before exec
    peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "outcome": outcome, "rss_mib": peak / 1024}))
"""

CASES: list[tuple[str, Callable[[Path], Path]]] = [
    ("one cell expanding to 2 GB", lambda p: zipbombs.one_huge_cell(p, 2048 * MB)),
    ("one cell expanding to 150 MB", lambda p: zipbombs.one_huge_cell(p, 150 * MB)),
    ("part declaring 1 KB, holding 500 MB", lambda p: zipbombs.understated(p, 500 * MB, 1024)),
    ("2,000,000 rows of values", lambda p: zipbombs.tall_sheet(p, 2_000_000, filled=True)),
    ("2,000,000 rows, all blank but the last", lambda p: zipbombs.tall_sheet(p, 2_000_000)),
    ("70 MB of shared strings", lambda p: zipbombs.shared_text(p, 1_400_000)),
    ("100,000 rows of values (the limit)", lambda p: zipbombs.tall_sheet(p, 100_001, filled=True)),
]


def measure(path: Path) -> dict[str, object]:
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True,
                          cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    load = OtherLoad()
    lines = ["| Workbook | File size | Median s | Peak RSS MiB | Outcome |", "|---|---:|---:|---:|---|"]
    with tempfile.TemporaryDirectory() as folder:
        for name, make in CASES:
            path = make(Path(folder) / "input.xlsx")
            runs = [measure(path) for _ in range(args.runs)]
            seconds = statistics.median(float(str(r["seconds"])) for r in runs)
            rss = max(float(str(r["rss_mib"])) for r in runs)
            outcome = str(runs[0]["outcome"]).replace("|", "/").replace(str(path.name), "the file")
            lines.append(f"| {name} | {path.stat().st_size / 1024:,.0f} KiB | {seconds:.2f} | {rss:.0f} | "
                         f"{outcome} |")
            print(lines[-1], flush=True)
    about = ("`bench/bench_inputs.py`: hostile workbooks given to `read_table` (what `records import` and the "
             "import dialog call). Limits: 200 MB unpacked in all, 64 MB of shared strings, no part over 1 MB "
             "expanding more than 200 times, 100,000 rows. Target: refused in under 2 s and 300 MB of memory.")
    publish_section(load, f"{args.runs} runs per workbook, each in a fresh process.", about, lines, START, END,
                    write=not args.no_write)
    return 0


def publish_section(load: OtherLoad, runs: str, about: str, rows: list[str], start: str, end: str, *,
                    write: bool) -> None:
    """A section of docs/performance.md: where and when it was measured, what, and the table rows."""
    others = load.cores()
    body = "\n".join([
        f"Measured {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPU cores; Python {platform.python_version()}; {runs}"
        + ("" if others is None else f" Other processes used {others:.2f} of the {os.cpu_count()} cores on average."),
        "", about, "", *rows,
    ])
    publish(body, start, end, write=write)


if __name__ == "__main__":
    raise SystemExit(main())
