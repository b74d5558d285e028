"""Whole-process timings against their floors (issue 'instant'); writes its table into docs/performance.md.

    .venv/bin/python bench/instant.py [--runs N] [--big-runs N] [--bundle DIR] [--no-write] [--all]

Each measured command runs as its own process, as an auditor starts it, alternating with its floor in
the same round so that both see the same load on the shared machine:

- reports: `workbench report REF --kind full` of each sample and of the 5,000-finding engagement of the
  bench workspace (bench/run_bench.py: encrypted, its key in bench/keychain.py), its chart cache emptied
  before every run so every chart is drawn, against ../shared/bench/floor.py with the same number of
  findings (plain reportlab and five matplotlib charts, imports included); the sample again with its
  charts kept in the workspace;
- the desktop app: start to the first painted frame of the library against a bare PySide6 window
  (bench/instant_probes.py, timed the same way), start reopening the big engagement to its painted
  overview, each step's first and later visits, a report rendered again after an edit;
- the command line: `list`, `score` and `show --json`, `--version`, `--help`, `records import` of 5,000
  findings (every audit event written).

The package is byte-compiled first, as an installed copy is.
`--all` then runs the other benchmarks (run_bench.py, bench_gui.py, bench_reports.py), which rewrite
their own sections. The load average and the CPU other processes used are recorded with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from run_bench import OUT, ROOT, OtherLoad, cached_workspace, copy_workspace, publish  # bench/ is sys.path[0]
from spawner import Spawner  # bench/ is sys.path[0]

FLOOR_PATH = Path("..") / "shared" / "bench" / "floor.py"  # beside the repository: run, never copied
PROBES = Path(__file__).resolve().parent / "instant_probes.py"
START, END = "<!-- bench:instant:start -->", "<!-- bench:instant:end -->"
BIN = Path(sys.executable).parent
WORK = OUT / "instant"


def floor_script() -> Path:
    """../shared/bench/floor.py from the repository; from a linked worktree, from its main checkout."""
    common = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--path-format=absolute", "--git-common-dir"],
                            capture_output=True, text=True).stdout.strip()
    for checkout in (ROOT, Path(common).parent if common else ROOT):
        candidate = (checkout / FLOOR_PATH).resolve()
        if candidate.exists():
            return candidate
    raise SystemExit(f"no floor script at {ROOT / FLOOR_PATH}")


@dataclass
class Run:
    wall_s: float
    cpu_s: float  # the process's own CPU time and that of the children it waited for
    rss_mib: float
    stdout: str


_SPAWNER: Spawner | None = None


def run(argv: list[str], env: dict[str, str], setup: Callable[[], None] | None = None) -> Run:
    """One process, started by the small spawner (bench/spawner.py): wall time from launch to exit, its own
    peak RSS, its output."""
    global _SPAWNER
    if setup is not None:
        setup()
    if _SPAWNER is None:
        _SPAWNER = Spawner()
    done = _SPAWNER.run(argv, env, WORK)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-2000:]}")
    return Run(done.wall_s, done.cpu_s, done.rss_mib, done.stdout)


@dataclass
class Pair:
    """A command and its floor (or a fixed target), run alternately; `seconds` reads a time from a run."""

    name: str
    ours: list[str]
    floor: list[str] | None
    target: str  # "ratio <= 1.5", "<= 0.4 s"...
    limit: float
    setup: Callable[[], None] | None = None
    seconds: Callable[[Run], float] = lambda r: r.wall_s
    rss_limit: float | None = None
    note: str = ""
    ours_runs: list[Run] = field(default_factory=list)
    floor_runs: list[Run] = field(default_factory=list)

    def once(self, env: dict[str, str]) -> None:
        self.ours_runs.append(run(self.ours, env, self.setup))
        if self.floor is not None:
            self.floor_runs.append(run(self.floor, env))

    def row(self) -> str:
        ours = statistics.median(self.seconds(r) for r in self.ours_runs)
        floor = statistics.median(self.seconds(r) for r in self.floor_runs) if self.floor_runs else None
        ours_cpu = statistics.median(r.cpu_s for r in self.ours_runs)
        floor_cpu = statistics.median(r.cpu_s for r in self.floor_runs) if self.floor_runs else None
        rss = max(r.rss_mib for r in self.ours_runs)
        measured = ours / floor if floor else ours
        met = measured <= self.limit and (self.rss_limit is None or rss < self.rss_limit)
        status = "—" if self.limit == float("inf") else "met" if met else "NOT met"
        ratio = f"{ours / floor:.2f}" if floor else "—"

        def text(value: float | None) -> str:
            return "—" if value is None else f"{value:.2f}"

        target = self.target + (f", < {self.rss_limit:.0f} MiB" if self.rss_limit else "")
        print(f"  {self.name}: {ours:.2f} s (floor {text(floor)}), ratio {ratio}, CPU {ours_cpu:.2f} s "
              f"(floor {text(floor_cpu)}), {rss:.0f} MiB", flush=True)
        return (f"| {self.name} | {len(self.ours_runs)} | {ours:.2f} | {text(floor)} | {ratio} | {ours_cpu:.2f} | "
                f"{text(floor_cpu)} | {rss:.0f} | {target} | {status} | {self.note} |")


def probe_seconds(key: str) -> Callable[[Run], float]:
    """Seconds from launch to a probe's time stamp `key` (the probe also printed when it started)."""
    def read(r: Run) -> float:
        stamps = json.loads(r.stdout.strip().splitlines()[-1])
        return float(stamps[key] - stamps["launched"])
    return read


def stamped(argv: list[str]) -> list[str]:
    """Run `argv` (a probe) behind a tiny launcher that prints the launch time first, so that probe time
    stamps can be read against it."""
    code = ("import json, subprocess, sys, time; t = time.time(); "
            "out = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "sys.stderr.write(out.stderr); line = json.loads(out.stdout.strip().splitlines()[-1]); "
            "line['launched'] = t; print(json.dumps(line)); sys.exit(out.returncode)")
    return [sys.executable, "-c", code, *argv]


def clear_charts(db: Path) -> Callable[[], None]:
    def clear() -> None:
        from workbench.store.connect import open_raw

        conn = open_raw(db)  # the big workspace is encrypted: its key is in the bench keychain
        try:
            conn.execute("DELETE FROM chart_image")
            conn.commit()
        finally:
            conn.close()
    return clear


def render_once(argv: list[str]) -> Callable[[], None]:
    """Run the report once, untimed, so that its charts are kept in the workspace: the rows before it empty
    the chart table to time drawn charts (without this the "kept" row drew every chart too)."""
    def render() -> None:
        subprocess.run(argv, check=True, capture_output=True, env=child_env(), cwd=WORK)
    return render


def refs_and_findings(db: Path) -> list[tuple[str, str, int]]:
    from workbench.store.connect import open_raw

    conn = open_raw(db, read_only=True)
    try:
        return [(uid, ref, count) for uid, ref, count in conn.execute(
            "SELECT e.uid, e.ref, (SELECT count(*) FROM finding f WHERE f.engagement_id = e.id) "
            "FROM engagement e ORDER BY e.ref")]
    finally:
        conn.close()


def prepare(big_source: Path, big_uid: str) -> dict[str, Path | str]:
    """The workspaces, the CSV of 5,000 findings and an empty engagement to import them into."""
    from workbench.services import engagements, packages
    from workbench.store.workspace import Workspace

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    samples, big = WORK / "samples.db", WORK / "big.db"
    copy_workspace(big_source, big)  # encrypted, as the bench workspace is (run_bench.cached_workspace)
    with Workspace(big) as ws:  # brings the cached copy to the current schema
        pass
    with Workspace(samples) as ws:
        for package in sorted((ROOT / "sample_audits").glob("*.mlaudit")):
            packages.import_package(ws, package, untrusted=True)  # samples: see services.samples
    base = WORK / "import-base.db"
    with Workspace(base) as ws:
        target = engagements.create_engagement(ws, client="Import Bank", title="Records import")
    csv = WORK / "findings.csv"
    subprocess.run([str(BIN / "workbench"), "--db", str(big), "records", "export", big_uid, "findings", "-o",
                    str(csv)], check=True, capture_output=True, env=child_env(), cwd=WORK)
    return {"samples": samples, "big": big, "import_base": base, "import_target": target, "csv": csv}


def compile_sources() -> None:
    """Byte-compile the workbench package, as an installed copy (pip, the bundle) is: where
    PYTHONDONTWRITEBYTECODE is set, as on the shared machine, every run would otherwise compile each of its
    modules from source (about 0.3 s of a report), while the floor's libraries come compiled."""
    import compileall

    compileall.compile_dir(str(ROOT / "workbench"), quiet=1)


def child_env() -> dict[str, str]:
    home = WORK / "home"
    env = {**os.environ, "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
           "WORKBENCH_LOG_DIR": str(home / "log"), "QT_QPA_PLATFORM": "offscreen",
           "WORKBENCH_PREFERENCES": str(home / "preferences.json"), "PYTHONPATH": str(ROOT),
           # the big workspace is encrypted, its key in the bench keychain (PYTHON_KEYRING_BACKEND, set by
           # cached_workspace, and bench/ on the PYTHONPATH); the samples' and the import's stay plain, and
           # without this the app's offer to encrypt a plain workspace is a modal question no one answers
           "WORKBENCH_PLAIN_WORKSPACE": "1"}
    for name in ("WORKBENCH_SMOKE_EXIT", "WORKBENCH_DB"):
        env.pop(name, None)
    return env


def pairs(paths: dict[str, Path | str], big_uid: str, bundle: Path | None) -> tuple[list[Pair], list[Pair]]:
    """(the pairs run every round, the 5,000-finding report run --big-runs times)."""
    wb, py, floor = str(BIN / "workbench"), sys.executable, str(floor_script())
    samples, big = Path(paths["samples"]), Path(paths["big"])
    out = WORK / "out.pdf"
    every: list[Pair] = []
    for _uid, ref, count in refs_and_findings(samples):
        report = [wb, "--db", str(samples), "report", ref, "--kind", "full", "-o", str(out)]
        every.append(Pair(f"Full report {ref} ({count} findings), charts drawn", report,
                          [py, floor, str(count)], "ratio <= 1.5", 1.5, setup=clear_charts(samples)))
    ref = refs_and_findings(samples)[0][1]
    kept = [wb, "--db", str(samples), "report", ref, "--kind", "full", "-o", str(out)]
    every.append(Pair(f"Full report {ref}, charts kept in the workspace", kept,
                      [py, floor, str(refs_and_findings(samples)[0][2])], "—", float("inf"),
                      setup=render_once(kept), note="after an edit that touches no chart"))
    every.append(Pair("Desktop app: start to the painted library (50 engagements)",
                      stamped([py, str(PROBES), "app", str(big), ""]), stamped([py, str(PROBES), "bare"]),
                      "ratio <= 3", 3.0, seconds=probe_seconds("idle_painted"),
                      note="floor: a bare PySide6 window with a label, to its first painted frame"))
    every.append(Pair("Desktop app: start reopening the big engagement to its painted overview",
                      stamped([py, str(PROBES), "app", str(big), big_uid]), None, "<= 2 s", 2.0,
                      seconds=probe_seconds("idle")))
    for name, argv, limit in (("list --json", ["list", "--json"], 0.4),
                              ("score --json (big engagement)", ["score", big_uid, "--json"], 0.5),
                              ("show --json (big engagement)", ["show", big_uid, "--json"], 1.0)):
        every.append(Pair(f"`workbench {name}`", [wb, "--db", str(big), *argv], None, f"<= {limit} s", limit))
    every.append(Pair("`workbench --version`", [wb, "--version"], None, "<= 0.2 s", 0.2))
    every.append(Pair("`workbench --help`", [wb, "--help"], None, "<= 0.2 s", 0.2))
    if bundle is not None:
        every.append(Pair("`workbench --version` from the bundle", [str(bundle / "workbench"), "--version"], None,
                          "<= 0.2 s", 0.2))
        every.append(Pair("`workbench --help` from the bundle", [str(bundle / "workbench"), "--help"], None,
                          "<= 0.2 s", 0.2))
    target = WORK / "import.db"
    every.append(Pair("`workbench records import` of 5,000 findings (CSV)",
                      [wb, "--db", str(target), "records", "import", str(paths["import_target"]), "findings",
                       str(paths["csv"])], None, "<= 3 s", 3.0,
                      setup=lambda: shutil.copyfile(paths["import_base"], target),
                      note="all rows checked, one transaction, an audit event per finding"))
    count = next(c for uid, _ref, c in refs_and_findings(big) if uid == big_uid)
    heavy = [Pair(f"Full report, big engagement ({count:,} findings), charts drawn",
                  [wb, "--db", str(big), "report", big_uid, "--kind", "full", "-o", str(out)],
                  [py, floor, str(count)], "ratio <= 1.5", 1.5, setup=clear_charts(big), rss_limit=400)]
    return every, heavy


def in_process_rows(paths: dict[str, Path | str], big_uid: str, env: dict[str, str]) -> list[str]:
    """Page visits of the big engagement and a re-render after an edit (one probe process each)."""
    visits = json.loads(run([sys.executable, str(PROBES), "pages", str(paths["big"]), big_uid], env).stdout
                        .strip().splitlines()[-1])
    lines = ["| Step (big engagement) | First visit ms | CPU ms | Later visits ms (median) | CPU ms | Target "
             "| Status |",
             "|---|---:|---:|---:|---:|---|---|"]
    for key, times in visits["visits"].items():
        cpu = visits["cpu"][key]
        first, first_cpu = (times[0], cpu[0]) if key != "overview" else (visits["open_ms"], None)
        later, later_cpu = (statistics.median(times[1:] if key != "overview" else times),
                            statistics.median(cpu[1:] if key != "overview" else cpu))
        met = (key == "overview" or first <= 300) and later <= 100
        lines.append(f"| {key} | {first:,.0f}{' (opening)' if key == 'overview' else ''} | "
                     f"{'—' if first_cpu is None else f'{first_cpu:,.0f}'} | {later:,.0f} | {later_cpu:,.0f} | "
                     f"<= 300 / <= 100 ms | {'met' if met else 'NOT met'} |")
    ref = refs_and_findings(Path(paths["samples"]))[0][1]
    again = json.loads(run([sys.executable, str(PROBES), "rerender", str(paths["samples"]), ref], env).stdout
                       .strip().splitlines()[-1])
    median = statistics.median(again["again_ms"])
    lines += ["", "| Re-render in the app after an edit that touches no chart | First render ms "
              "| Again ms (median of 3) | Target | Status |", "|---|---:|---:|---|---|",
              f"| {ref} full report | {again['first_ms']:,.0f} | {median:,.0f} | < 500 ms | "
              f"{'met' if median < 500 else 'NOT met'} |"]
    print("\n".join(lines), flush=True)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big-runs", type=int, default=3)
    parser.add_argument("--bundle", type=lambda p: Path(p).resolve(),  # the measured processes start elsewhere
                        help="the built bundle folder (build/dist/workbench) to time too")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--all", action="store_true", help="then run the other benchmarks too")
    args = parser.parse_args(argv)
    big_source, meta = cached_workspace(False)
    big_uid = meta["big_uid"]
    compile_sources()
    paths = prepare(big_source, big_uid)
    env = child_env()
    every, heavy = pairs(paths, big_uid, args.bundle)
    load_start, other = os.getloadavg()[0], OtherLoad()
    for number in range(args.runs):
        print(f"round {number + 1} of {args.runs}", flush=True)
        for pair in every + (heavy if number < args.big_runs else []):
            pair.once(env)
    rows = [pair.row() for pair in every + heavy if pair.ours_runs]  # --big-runs 0 leaves the heavy pairs out
    in_process = in_process_rows(paths, big_uid, env)
    cores = other.cores()
    body = "\n".join([
        "### Within reach of the floor (bench/instant.py)", "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPU cores; Python {platform.python_version()}. Load average {load_start:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end; other processes used {cores if cores is not None else float('nan'):.2f} "
        "of the cores on average during the run (the machine is shared: each command and its floor ran one after "
        "the other in every round, so both saw the same load). Targets are judged on wall-clock time, which on a "
        "saturated machine mostly measures waiting for a core; *CPU s* is the time the process (and the children "
        "it waited for, e.g. the chart worker) ran, which the load disturbs far less.", "",
        "| What | Runs | Ours s (median) | Floor s (median) | Ratio | Ours CPU s | Floor CPU s | Peak RSS MiB | "
        "Target | Status | Note |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|", *rows, "", *in_process, "",
        "Re-run: `.venv/bin/python bench/instant.py` (add `--bundle build/dist/workbench` after "
        "`bash installer/linux/build.sh`; `--all` runs every other benchmark after it)."])
    publish(body, START, END, write=not args.no_write)
    if args.all:
        for script in ("run_bench.py", "bench_gui.py", "bench_reports.py"):
            subprocess.run([sys.executable, str(Path(__file__).with_name(script))], check=True, cwd=ROOT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
