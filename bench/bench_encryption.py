"""What encryption at rest costs: the store benchmark on a plain and on an encrypted copy of one workspace.

    .venv/bin/python bench/bench_encryption.py [--no-write] [--no-wait]

Both copies come from bench/run_bench.py's generated workspace (50 engagements, one with 5,000 findings),
which is encrypted as the app encrypts a new workspace (SQLCipher 4, a raw 256-bit key: no key derivation
per connection; the key in the bench keychain, bench/keychain.py); the plain one is a copy decrypted with
`services.encryption.decrypt_workspace`. The operations of run_bench's table, plus the plain-SQL list the command
line and the app's first frame read, run on both copies IN TURN (one run on the plain copy, the same run on
the encrypted one, and so on), so other work on the machine weighs on both alike. The target is encrypted
within 1.25x of plain on every row, judged on the median CPU time of the benchmark process (wall time is
shown beside it). Both copies stay under bench/out/ (generated data only).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # run as a script: bench/ is sys.path[0]
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run_bench import (  # noqa: E402
    OUT,
    bench_passphrase,
    cached_workspace,
    copy_workspace,
    fmt,
    publish,
    timed,
    unlocked,
    wait_for_quiet,
)
from workbench.services import document as document_service
from workbench.services import engagements as engagement_service
from workbench.services import packages, records
from workbench.services.encryption import decrypt_workspace
from workbench.services.library import summaries_at
from workbench.services.unit import reading
from workbench.store.keys import is_encrypted
from workbench.store.workspace import Workspace

START, END = "<!-- bench:encryption:start -->", "<!-- bench:encryption:end -->"
TARGET_RATIO = 1.25
FINDING = {"severity": "Medium", "dimension_id": "MON", "owner": "ML platform team",
           "description": "Alerts on feature drift are not routed to anyone outside office hours.",
           "recommendation": "Route drift alerts to the on-call rota."}


@dataclass(frozen=True)
class Operation:
    name: str
    runs: int
    calls: tuple[Callable[[], Any], Callable[[], Any]]  # on the plain copy, on the encrypted copy


@dataclass(frozen=True)
class Pair:
    name: str
    runs: int
    wall: tuple[float, float]  # median ms: plain, encrypted
    cpu: tuple[float, float]

    @property
    def ratio(self) -> float:
        return self.cpu[1] / self.cpu[0] if self.cpu[0] else float("nan")


def copy_of(cache: Path, name: str) -> Path:
    folder = OUT / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return copy_workspace(cache, folder / "workspace.db")


def workspace_calls(path: Path, ws: Workspace, big_uid: str, small_uid: str) -> dict[str, Callable[[], Any]]:
    """Each benchmarked operation on one workspace, by name."""
    package = path.parent / "big.mlaudit"
    counter = iter(range(10**6))

    def summary() -> dict[str, Any]:
        with reading(ws, big_uid) as (session, engagement):
            return document_service.engagement_document(session, engagement, audit_log=False)

    def summary_and_score() -> None:
        engagement_service.score(ws, big_uid)
        summary()

    def add(uid: str) -> Callable[[], Any]:
        return lambda: records.add_record(ws, uid, "finding", {"title": f"Benchmark finding {next(counter)}",
                                                               **FINDING})

    return {
        "List (plain SQL, as `workbench list`)": lambda: summaries_at(path),
        "List engagements (50)": lambda: engagement_service.list_engagements(ws),
        "Big engagement: summary + score": summary_and_score,
        "Record one finding (big engagement)": add(big_uid),
        "Record one finding (small engagement)": add(small_uid),
        "Export big engagement (.mlaudit)": lambda: packages.export_package(ws, big_uid, package, signer=None),
        "Import it as a copy (same workspace)":
            lambda: packages.import_package(ws, package, as_copy=True, untrusted=True),
    }


RUNS = {"List (plain SQL, as `workbench list`)": 30, "List engagements (50)": 30,
        "Big engagement: summary + score": 10, "Record one finding (big engagement)": 200,
        "Record one finding (small engagement)": 200, "Export big engagement (.mlaudit)": 3,
        "Import it as a copy (same workspace)": 3}


def measure_in_turn(operation: Operation) -> Pair:
    """One warm-up call on each copy, then `runs` calls on each, alternating."""
    for call in operation.calls:
        call()
    samples: tuple[list[tuple[float, float]], list[tuple[float, float]]] = ([], [])
    for _ in range(operation.runs):
        for side, call in enumerate(operation.calls):
            samples[side].append(timed(call))
    wall = tuple(statistics.median(s[0] for s in side) for side in samples)
    cpu = tuple(statistics.median(s[1] for s in side) for side in samples)
    pair = Pair(operation.name, operation.runs, (wall[0], wall[1]), (cpu[0], cpu[1]))
    print(f"  {pair.name}: CPU {pair.cpu[0]:.1f} / {pair.cpu[1]:.1f} ms ({pair.ratio:.2f}x), wall "
          f"{pair.wall[0]:.1f} / {pair.wall[1]:.1f} ms", flush=True)
    return pair


WHY = """Where the difference comes from: SQLCipher decrypts and authenticates each 4 KiB page when it enters a
connection's page cache, and a connection opened for one read starts with an empty cache. The services keep
their connections (SQLAlchemy's pool), so their reads and writes stay within a few percent of plain. The
plain-SQL list (`workbench list`, the app's first frame) opens a fresh connection per call, so every page it
reads (the schema's included) is decrypted again each time; keying the connection itself costs little with
the raw key (no passphrase derivation). That row was 1.56x (21.8 / 34.0 ms): it opened two connections (the
schema revision, then the read), counted the findings by scanning the whole finding table (every finding's
texts: 5,000 in the big engagement) and read all 50 frozen frameworks (2 MB of JSON). Now the revision is
read on the read's own connection, the findings are counted from an index of what the score needs
(ix_finding_facts) and the frameworks told apart by an index of their SHA-256 (ix_framework_snapshot_digest,
both migration 0012), each distinct framework read once: about 130 pages instead of thousands, faster on both
copies. It stays the closest row to the target: three runs on the loaded shared machine gave 1.20x, 1.27x
(before the framework index) and 1.23x; on an idle machine (schema 0015) it is 1.16-1.18x. A first run
that measured the plain copy first and the encrypted copy afterwards showed "record one finding" at 2.2x:
other work on the machine, not the cipher (measured in turn it is 1.1x), hence the alternating runs."""


def table(pairs: list[Pair]) -> str:
    lines = ["| Operation | Runs | Plain CPU ms | Encrypted CPU ms | Ratio | Plain wall ms | Encrypted wall ms | "
             "Target | Status |", "|---|---:|---:|---:|---:|---:|---:|---|---|"]
    for p in pairs:
        status = "ok" if p.ratio <= TARGET_RATIO else "**missed**"
        lines.append(f"| {p.name} | {p.runs} | {fmt(p.cpu[0])} | {fmt(p.cpu[1])} | {p.ratio:.2f}x | {fmt(p.wall[0])} | "
                     f"{fmt(p.wall[1])} | <= {TARGET_RATIO:g}x | {status} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-write", action="store_true", help="print the table only, leave docs/ alone")
    parser.add_argument("--no-wait", action="store_true", help="do not wait for an idle CPU before measuring")
    args = parser.parse_args(argv)

    cache, meta = cached_workspace(rebuild=False)
    plain, encrypted = copy_of(cache, "plain"), copy_of(cache, "encrypted")
    decrypt_workspace(plain, lambda _prompt: bench_passphrase())
    unlocked(encrypted)  # decrypting forgot the key the copies share
    assert is_encrypted(encrypted) and not is_encrypted(plain)
    if not args.no_wait:
        wait_for_quiet(min_idle=0.85, timeout_s=900)
    began, load = time.gmtime(), os.getloadavg()[0]
    big = meta["big_uid"]
    with Workspace(plain, actor="bench") as plain_ws, Workspace(encrypted, actor="bench") as encrypted_ws:
        small = next(e.uid for e in engagement_service.list_engagements(plain_ws) if e.uid != big)
        on_plain = workspace_calls(plain, plain_ws, big, small)
        on_encrypted = workspace_calls(encrypted, encrypted_ws, big, small)
        pairs = [measure_in_turn(Operation(name, runs, (on_plain[name], on_encrypted[name])))
                 for name, runs in RUNS.items()]
    body = "\n".join([
        "### Encryption at rest (bench/bench_encryption.py)", "",
        f"The store benchmark's workspace ({meta['engagements']} engagements, {meta['records']:,} records), once "
        "decrypted and once encrypted (as the bench workspace is) with SQLCipher 4 (AES-256, HMAC-SHA512 per "
        "4 KiB page) under a raw 256-bit key, "
        "so no key derivation runs per connection. Each operation runs on the two copies in turn (a warm-up call "
        "each, then plain, encrypted, plain, ...), so other work on the machine weighs on both alike; the ratio "
        f"is of the median CPU time of the benchmark process. Target: encrypted within {TARGET_RATIO:g}x of plain "
        "on every row.", "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', began)}, load average {load:.2f} when measuring began.", "",
        table(pairs), "", WHY])
    publish(body, START, END, write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
