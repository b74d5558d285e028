"""Store and service benchmark on a large workspace; writes its table into docs/performance.md.

    .venv/bin/python bench/run_bench.py [--rebuild] [--no-write] [--profile]

The workspace (49 ordinary engagements and one with 5,000 findings, 1,000 models, 500 risks) is
built once by bench/generate.py and cached under bench/out/ (keyed by the generator's source and
the schema revision); each run works on a fresh copy of it, so runs are comparable. It is ENCRYPTED as a
new workspace of the app is (SQLCipher 4, a random key wrapped by a passphrase with the app's scrypt cost);
the key is kept unlocked in the benchmarks' own keychain (bench/keychain.py), as an auditor's is in the OS
keychain, and the passphrase in a private file under bench/out/ (bench/bench_encryption.py compares it with
a decrypted copy).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import io
import json
import math
import os
import platform
import pstats
import re
import resource
import secrets
import shutil
import sqlite3
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # run as a script: bench/ is sys.path[0]
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import keychain  # noqa: E402
from bench.generate import generate_workspace  # noqa: E402
from workbench.services import document as document_service
from workbench.services import engagements as engagement_service
from workbench.services import packages, records
from workbench.services.encryption import encrypt_workspace, unlock
from workbench.services.trail import verify_engagement
from workbench.services.unit import reading
from workbench.store.connect import open_raw
from workbench.store.keys import is_locked, key_file
from workbench.store.migrate import head_revision
from workbench.store.workspace import Workspace

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
PASSPHRASE_FILE = OUT / "bench-passphrase.txt"
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:store:start -->", "<!-- bench:store:end -->"
SIZES = {"engagements": 50, "big_findings": 5000, "big_models": 1000, "big_risks": 500, "seed": 1}

INTRO = f"""# Performance

Figures measured by `bench/run_bench.py` on the reference machine (2 CPU cores) against a generated
workspace of 50 engagements: 49 ordinary ones (about 20 findings, 8 models, 10 risks, part of the
checklist answered) and one big engagement with 5,000 findings, 1,000 models, 500 risks and every
assessment and checklist answer. All records are written through the services (bench/generate.py), so
each has its audit event and every hash chain verifies.

Re-run (the generated workspace is cached under bench/out/; `--rebuild` makes it again):

    .venv/bin/python bench/run_bench.py      # store and services: the first table below
    .venv/bin/python bench/bench_gui.py      # the desktop app, offscreen: the second table

What each figure measures (wall-clock time with `time.perf_counter`; median and p95 over the runs;
*CPU ms* is the median CPU time of the benchmark process, which other work on the machine disturbs
less than wall-clock time; the first call after opening the workspace is reported separately as *cold*):

- **List engagements**: `services.engagements.list_engagements`, every engagement with its score,
  level, verdict and finding count (the start page and `workbench list`). Target: < 100 ms.
- **Big engagement: score**: `services.engagements.score(ws, uid)` (assessments, findings, framework).
- **Big engagement: summary**: `services.document.engagement_document(..., audit_log=False)` inside
  `services.unit.reading`: every record of the engagement as plain data.
- **Summary + score**: both, one after the other. Target: < 300 ms.
- **Record one finding**: `services.records.add_record` of one finding (its own transaction, its
  audit event, the next free ref), repeated 200 times. Target: < 10 ms median.
- **Export / import**: `services.packages.export_package` of the big engagement to a .mlaudit file and
  `services.packages.import_package(..., as_copy=True)` of that file into the same workspace (all
  checks, the whole engagement and its trail in one transaction, verification before commit).

Peak memory is the peak of Python allocations (`tracemalloc`) during one extra run of the operation;
the process's peak RSS (`resource.getrusage`) is given for the whole benchmark.

{START}
{END}
"""


# -- measuring -------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    runs: int
    median_ms: float
    p95_ms: float
    cpu_ms: float | None
    cold_ms: float | None = None
    peak_mib: float | None = None
    target_ms: float | None = None
    note: str = ""

    @property
    def status(self) -> str:
        if self.target_ms is None:
            return "—"
        return "ok" if self.median_ms < self.target_ms else "**missed**"


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def timed(call: Callable[[], Any]) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of one call (CPU time is less disturbed by other processes)."""
    started, cpu = time.perf_counter(), time.process_time()
    call()
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def peak_allocations_mib(call: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


PROFILES: dict[str, cProfile.Profile] = {}


def measure(name: str, call: Callable[[], Any], runs: int, *, cold: bool = True, memory: bool = True,
            target_ms: float | None = None, note: str = "", profile: bool = False) -> Row:
    cold_ms = timed(call)[0] if cold else None
    pairs = [timed(call) for _ in range(runs)]
    samples = [wall for wall, _ in pairs]
    peak = peak_allocations_mib(call) if memory else None
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(call)
        PROFILES[name] = profiler
    row = Row(name, runs, statistics.median(samples), p95(samples), statistics.median([cpu for _, cpu in pairs]),
              cold_ms, peak, target_ms, note)
    print(f"  {name}: median {row.median_ms:.1f} ms, p95 {row.p95_ms:.1f} ms, CPU {row.cpu_ms:.1f} ms", flush=True)
    return row


# -- a quiet machine -------------------------------------------------------------------------


def cpu_jiffies() -> tuple[float, float] | None:
    """(busy, total) CPU time of the whole machine in seconds, from /proc/stat (Linux only)."""
    try:
        fields = [float(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return None
    hz = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]
    return (sum(fields) - idle) / hz, sum(fields) / hz


def wait_for_quiet(min_idle: float, timeout_s: float) -> float | None:
    """Wait until the machine is idle (other work skews the figures); returns the idle share seen."""
    deadline = time.monotonic() + timeout_s
    announced = False
    while True:
        first = cpu_jiffies()
        time.sleep(2)
        second = cpu_jiffies()
        if first is None or second is None:
            return None
        idle = 1 - (second[0] - first[0]) / max(1e-9, second[1] - first[1])
        if idle >= min_idle or time.monotonic() > deadline:
            return idle
        if not announced:
            print(f"waiting for a quiet machine (CPU {idle:.0%} idle, want {min_idle:.0%}) ...", flush=True)
            announced = True


class OtherLoad:
    """CPU used by other processes while the benchmark runs, in cores (0 = the machine was ours)."""

    def __init__(self) -> None:
        self.start = cpu_jiffies()
        self.own = time.process_time()
        self.wall = time.monotonic()

    def cores(self) -> float | None:
        end = cpu_jiffies()
        if self.start is None or end is None:
            return None
        others = (end[0] - self.start[0]) - (time.process_time() - self.own)
        return max(0.0, others / (time.monotonic() - self.wall))


# -- the workspace ---------------------------------------------------------------------------


def cache_key() -> str:
    source = (BENCH / "generate.py").read_bytes() + b"encrypted"  # older caches were plain: built again
    digest = hashlib.sha256(source + json.dumps(SIZES, sort_keys=True).encode()).hexdigest()[:12]
    return f"{head_revision()}-{digest}"


def bench_passphrase() -> str:
    """The bench workspace's passphrase: random, made once, kept in a private file under bench/out/."""
    from workbench.fs.files import atomic_text

    if not PASSPHRASE_FILE.exists():
        with atomic_text(PASSPHRASE_FILE, private=True) as handle:
            handle.write(secrets.token_urlsafe(24) + "\n")
    return PASSPHRASE_FILE.read_text(encoding="utf-8").strip()


def encrypt_for_bench(path: Path) -> None:
    """Encrypt a generated workspace as the app encrypts a new one; its key goes to the bench keychain."""
    keychain.use()
    encrypt_workspace(path, bench_passphrase())


def unlocked(path: Path) -> Path:
    """The bench workspace at `path`, its key in the bench keychain (unlocked with the passphrase if need be)."""
    keychain.use()
    if is_locked(path):
        unlock(path, lambda _prompt: bench_passphrase())
    return path


def copy_workspace(source: Path, target: Path) -> Path:
    """A copy of the workspace at `source` (with its key file, when it is encrypted)."""
    shutil.copyfile(source, target)
    if key_file(source).exists():
        shutil.copyfile(key_file(source), key_file(target))
    return target


def cached_workspace(rebuild: bool) -> tuple[Path, dict[str, Any]]:
    """The generated workspace (built if missing or stale) and what the generator reported."""
    OUT.mkdir(parents=True, exist_ok=True)
    key = cache_key()
    db, meta_file = OUT / f"workspace-{key}.db", OUT / f"workspace-{key}.json"
    if rebuild or not (db.exists() and meta_file.exists() and key_file(db).exists()):
        for stale in OUT.glob("workspace-*"):
            stale.unlink()
        building = OUT / "building.db"
        print(f"generating the workspace ({SIZES}) ...", flush=True)
        result = generate_workspace(building, overwrite=True, **SIZES)
        meta = {"big_uid": result.big_uid, "engagements": len(result.engagement_uids),
                "records": sum(sum(c.values()) for c in result.counts.values()),
                "big_records": result.counts[result.big_uid], "generate_s": round(result.seconds, 1)}
        for suffix in ("-wal", "-shm"):  # closed cleanly: the WAL is checkpointed and gone
            Path(f"{building}{suffix}").unlink(missing_ok=True)
        encrypt_for_bench(building)
        key_file(building).rename(key_file(db))
        building.rename(db)
        meta_file.write_text(json.dumps(meta, indent=1), encoding="utf-8")
        print(f"  built in {result.seconds:.1f} s, then encrypted", flush=True)
    return unlocked(db), json.loads(meta_file.read_text(encoding="utf-8"))


def fresh_copy(db: Path) -> Path:
    run = OUT / "run"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    return copy_workspace(db, run / "workspace.db")


def count_rows(path: Path, table: str) -> int:
    conn = open_raw(path, read_only=True)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


# -- the benchmark ---------------------------------------------------------------------------


def run(ws: Workspace, big_uid: str, small_uid: str, profile: bool) -> list[Row]:
    rows: list[Row] = []

    def summary() -> dict[str, Any]:
        with reading(ws, big_uid) as (session, engagement):
            return document_service.engagement_document(session, engagement, audit_log=False)

    def summary_and_score() -> None:
        engagement_service.score(ws, big_uid)
        summary()

    rows.append(measure("List engagements (50)", lambda: engagement_service.list_engagements(ws), 30,
                        target_ms=100, profile=profile))
    rows.append(measure("Big engagement: score", lambda: engagement_service.score(ws, big_uid), 20,
                        profile=profile))
    rows.append(measure("Big engagement: summary (document, no trail)", summary, 10, profile=profile))
    rows.append(measure("Big engagement: summary + score", summary_and_score, 10, target_ms=300))

    export_dir = OUT / "run" / "export"
    export_dir.mkdir(parents=True, exist_ok=True)
    package = export_dir / "big.mlaudit"
    rows.append(measure("Export big engagement (.mlaudit)",
                        lambda: packages.export_package(ws, big_uid, package, signer=None), 3, cold=False,
                        profile=profile))
    rows[-1].note = f"package {package.stat().st_size / 2**20:.1f} MiB"
    rows.append(measure("Import it as a copy (same workspace)",
                        lambda: packages.import_package(ws, package, as_copy=True, untrusted=True), 3, cold=False,
                        profile=profile))
    rows.append(measure("Verify big engagement's trail", lambda: verify_engagement(ws, big_uid), 3, cold=False,
                        memory=False, note="services.trail.verify_engagement"))

    counter = iter(range(10**6))

    def add(uid: str) -> Callable[[], Any]:
        return lambda: records.add_record(ws, uid, "finding", {
            "title": f"Benchmark finding {next(counter)}", "severity": "Medium", "dimension_id": "MON",
            "description": "Alerts on feature drift are not routed to anyone outside office hours.",
            "recommendation": "Route drift alerts to the on-call rota.", "owner": "ML platform team"})

    rows.append(measure("Record one finding (big engagement)", add(big_uid), 200, memory=False, target_ms=10,
                        profile=profile, note="ref assigned by the service"))
    rows.append(measure("Record one finding (small engagement)", add(small_uid), 200, memory=False,
                        target_ms=10, note="for comparison"))
    return rows


NOTES = """What keeps these fast (every change still writes its hash-chained event in the same transaction,
and import still checks the whole package before writing a row):

- Scores count findings in SQL: one row per (severity, status, recommendation?, due date?) instead of
  an ORM object per finding; frozen frameworks are parsed once per distinct snapshot text.
- Records, documents and audit trails are read with SQL Core into dicts (no ORM object per row).
- The next free ref comes from an index on the ref's number (migration 0004), not from every ref.
- Import validates engagement.json with the schema compiled to plain checks
  (services/fast_schema.py; jsonschema still explains any refusal) and inserts with executemany.
- Export writes engagement.json with a compact line per record: json's C encoder instead of the
  pure-Python indenting one."""


def fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def table(rows: list[Row]) -> str:
    lines = ["| Operation | Runs | Median ms | p95 ms | CPU ms | Cold ms | Peak alloc MiB | Target | Status | Note |",
             "|---|---:|---:|---:|---:|---:|---:|---|---|---|"]
    for r in rows:
        target = f"< {r.target_ms:g} ms" if r.target_ms is not None else "—"
        lines.append(f"| {r.name} | {r.runs} | {fmt(r.median_ms)} | {fmt(r.p95_ms)} | {fmt(r.cpu_ms)} | "
                     f"{fmt(r.cold_ms)} | {fmt(r.peak_mib)} | {target} | {r.status} | {r.note} |")
    return "\n".join(lines)


def report(rows: list[Row], meta: dict[str, Any], facts: dict[str, Any]) -> str:
    load = facts.get("other_load")
    load_line = ("" if load is None else
                 f" Other processes used {load:.2f} of the {os.cpu_count()} cores on average during the run.")
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    big = meta["big_records"]
    return "\n".join([
        f"Measured {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} on {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} CPU cores; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, SQLAlchemy {sqlalchemy.__version__}.",
        "",
        f"Workspace (encrypted, as the app makes a new one): {meta['engagements']} engagements, "
        f"{meta['records']:,} records, "
        f"{facts['events']:,} audit events, {facts['size_mib']:.1f} MiB; the big engagement has "
        f"{big['finding']:,} findings, {big['model']:,} models, {big['risk']:,} risks, {big['assessment']} "
        f"assessments, {big['checklist']} checklist answers, {big['evidence']} evidence files. "
        f"Generating it through the services took {meta['generate_s']:.0f} s.",
        "",
        table(rows),
        "",
        f"Peak RSS of the benchmark process: {peak_rss:,.0f} MiB.{load_line}",
        "",
        NOTES,
    ])


def write_doc(body: str, start: str = START, end: str = END) -> None:
    """Replace one marked section of docs/performance.md (added at the end if missing)."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else INTRO
    if start not in text or end not in text:
        text = text.rstrip("\n") + f"\n\n{start}\n{end}\n"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    text = pattern.sub(lambda _m: f"{start}\n{body}\n{end}", text, count=1)
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")


def publish(body: str, start: str, end: str, *, write: bool) -> None:
    """Print a benchmark's section, and unless told not to, put it into docs/performance.md."""
    print()
    print(body)
    if write:
        write_doc(body, start, end)
        print("\nwritten to docs/performance.md")


def print_profiles() -> None:
    for name, profiler in PROFILES.items():
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats("cumulative")
        stats.print_stats(18)
        stats.dump_stats(str(OUT / f"profile-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.prof"))
        print(f"\n===== profile: {name} =====\n{stream.getvalue()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rebuild", action="store_true", help="generate the workspace again")
    parser.add_argument("--no-write", action="store_true", help="print the table only, leave docs/ alone")
    parser.add_argument("--no-wait", action="store_true", help="do not wait for an idle CPU before measuring")
    parser.add_argument("--profile", action="store_true", help="cProfile one run of each operation "
                        "(stats printed and saved as bench/out/profile-*.prof)")
    args = parser.parse_args(argv)

    cache, meta = cached_workspace(args.rebuild)
    path = fresh_copy(cache)
    facts = {"events": count_rows(path, "audit_event"), "size_mib": path.stat().st_size / 2**20}
    if not args.no_wait:
        wait_for_quiet(min_idle=0.85, timeout_s=900)
    print(f"benchmarking on {path}", flush=True)
    load = OtherLoad()
    with Workspace(path, actor="bench") as ws:
        small_uid = next(e.uid for e in engagement_service.list_engagements(ws) if e.uid != meta["big_uid"])
        rows = run(ws, meta["big_uid"], small_uid, args.profile)
    facts["other_load"] = load.cores()
    body = report(rows, meta, facts)
    print()
    print(body)
    if args.profile:
        print_profiles()
    if not args.no_write:
        write_doc(body)
        print(f"\nwritten to {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
