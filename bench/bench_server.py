"""The store benchmark (bench/run_bench.py) on a team server's PostgreSQL beside the SQLite file, one run each.

    .venv/bin/python bench/bench_server.py [--no-write] [--no-wait]

The generated workspace of run_bench.py (cached under bench/out/) is measured as a file; then every engagement
of it is exported as a package and imported into a fresh database of a throwaway PostgreSQL cluster (a temporary
folder, a Unix socket: tests/helpers/pg_cluster.py; stopped at the end) and the same operations are measured
there, through the same services. The table goes into docs/performance.md between the bench:server markers.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # run as a script: bench/ is sys.path[0]
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run_bench import (  # noqa: E402
    OUT,
    OtherLoad,
    Row,
    cached_workspace,
    fmt,
    fresh_copy,
    publish,
    run,
    wait_for_quiet,
)
from tests.helpers.pg_cluster import Cluster  # noqa: E402
from workbench.services import engagements as engagement_service  # noqa: E402
from workbench.services import packages  # noqa: E402
from workbench.services.team_server import init_server  # noqa: E402
from workbench.store.server_workspace import ServerWorkspace  # noqa: E402
from workbench.store.workspace import Workspace  # noqa: E402

START, END = "<!-- bench:server:start -->", "<!-- bench:server:end -->"


def copy_to_server(source: Workspace, server: ServerWorkspace) -> float:
    """Every engagement of `source` exported and imported into `server` (the services' own path): seconds."""
    folder = OUT / "run" / "server-copy"
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for summary in engagement_service.list_engagements(source):
        package = packages.export_package(source, summary.uid, folder / f"{summary.uid}.mlaudit", signer=None)
        packages.import_package(server, package, untrusted=True)
    return time.perf_counter() - started


def table(file_rows: list[Row], server_rows: list[Row]) -> str:
    lines = ["| Operation | Runs | SQLite median ms | PostgreSQL median ms | SQLite p95 | PostgreSQL p95 | "
             "SQLite CPU ms | PostgreSQL client CPU ms | Target |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for local, remote in zip(file_rows, server_rows, strict=True):
        target = "—" if local.target_ms is None else f"< {local.target_ms:g} ms"
        lines.append(f"| {local.name} | {local.runs} | {fmt(local.median_ms)} | {fmt(remote.median_ms)} | "
                     f"{fmt(local.p95_ms)} | {fmt(remote.p95_ms)} | {fmt(local.cpu_ms)} | {fmt(remote.cpu_ms)} | "
                     f"{target} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-write", action="store_true", help="print the table only, leave docs/ alone")
    parser.add_argument("--no-wait", action="store_true", help="do not wait for an idle CPU before measuring")
    args = parser.parse_args(argv)

    cache, meta = cached_workspace(False)
    path = fresh_copy(cache)
    cluster = Cluster().start()
    try:
        cluster.sql("CREATE DATABASE bench")
        url = cluster.url("bench")
        init_server(url)
        with Workspace(path, actor="bench") as source, ServerWorkspace(url, actor="bench") as server:
            print("copying the workspace to the server ...", flush=True)
            copy_seconds = copy_to_server(source, server)
            if not args.no_wait:
                wait_for_quiet(min_idle=0.85, timeout_s=900)
            small_uid = next(e.uid for e in engagement_service.list_engagements(source) if e.uid != meta["big_uid"])
            load = OtherLoad()
            print("measuring the file ...", flush=True)
            file_rows = run(source, meta["big_uid"], small_uid, False)
            print("measuring the server ...", flush=True)
            server_rows = run(server, meta["big_uid"], small_uid, False)
            other = load.cores()
    finally:
        cluster.stop()
    body = "\n".join([
        "### Team server: PostgreSQL beside SQLite (bench/bench_server.py)",
        "",
        f"The store benchmark's workspace ({meta['engagements']} engagements, {meta['records']:,} records) as a "
        "file and on a PostgreSQL 15 database of a local throwaway cluster (Unix socket, fsync off: the server's "
        f"own costs, not the disk's), measured in one process one after the other. Copying the workspace to the "
        f"server through export and import of every engagement took {copy_seconds:.0f} s.",
        "",
        table(file_rows, server_rows),
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; other processes used "
        f"{'?' if other is None else f'{other:.2f}'} of the cores on average meanwhile (the PostgreSQL server's "
        "own processes among them).",
        "",
        "*CPU ms* is the benchmark process's own CPU time: with SQLite that is all the work, with PostgreSQL the "
        "server's processes do the querying and their CPU is not in it (it is in the other processes' load). "
        "Wall-clock figures measured while other work loads the machine are upper bounds.",
    ])
    publish(body, START, END, write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
