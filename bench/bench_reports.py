"""Report benchmark: the full report of the DriftGuardAI sample (target < 3 s), of a generated 1,000-finding
engagement (target < 20 s, peak RSS < 400 MB), and our layout against a plain-reportlab yardstick (ratio
ours / plain <= 1.5). Writes the bench:reports section of docs/performance.md.

    .venv/bin/python bench/bench_reports.py [--runs 5] [--no-write]

Each figure is `services.deliverables.render_report` end to end (read the engagement, draw the charts,
lay out in one pass, write the file), the median over `--runs` after one warm-up run that is reported as
*cold* (imports, font parsing); each timed run draws its charts anew (`forget_charts`), and one more row
shows a report rendered again with its charts kept. The 1,000-finding report runs in a child process so its peak
RSS (`ru_maxrss`) is that render's alone. The ratio compares `workbench.reports.build.render` with
bench/plain_reportlab.py on the same gathered data, both drawing the same charts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource as rusage
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DOC = ROOT / "docs" / "performance.md"
OUT = ROOT / "bench" / "out"
START, END = "<!-- bench:reports:start -->", "<!-- bench:reports:end -->"
BIG_DB = OUT / "reports-1000.db"
TARGETS = {"sample": 3.0, "big": 20.0, "rss": 400.0, "ratio": 1.5}


def timed(work: Callable[[], object], runs: int) -> dict[str, float]:
    """Cold (first) run, then the median wall and CPU seconds of `runs` more."""
    started = time.perf_counter()
    work()
    cold = time.perf_counter() - started
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {"cold": cold, "wall": statistics.median(walls), "cpu": statistics.median(cpus)}


def big_workspace() -> tuple[Path, str]:
    """The generated 1,000-finding engagement (cached in bench/out; made through the services)."""
    from bench.generate import generate_workspace
    from workbench.services.engagements import list_engagements
    from workbench.store.workspace import Workspace

    if BIG_DB.exists():
        with Workspace(BIG_DB) as ws:
            engagements = list_engagements(ws)
        if len(engagements) == 1:
            return BIG_DB, engagements[0].uid
    OUT.mkdir(parents=True, exist_ok=True)
    result = generate_workspace(BIG_DB, engagements=1, big_findings=1000, big_models=200, big_risks=100,
                                overwrite=True)
    return BIG_DB, result.big_uid


def child(db: str, uid: str, target: str) -> int:
    """Render once in this fresh process and print wall, CPU and peak RSS as JSON."""
    from workbench.services.deliverables import render_report
    from workbench.store.workspace import Workspace

    wall, cpu = time.perf_counter(), time.process_time()
    with Workspace(Path(db)) as ws:
        path = render_report(ws, uid, Path(target), kind="full")
    result = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
              "rss_mib": rusage.getrusage(rusage.RUSAGE_SELF).ru_maxrss / 1024, "bytes": path.stat().st_size}
    print(json.dumps(result))
    return 0


def pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def measure(runs: int) -> dict[str, object]:
    from bench import plain_reportlab
    from workbench.reports import build as report_build
    from workbench.reports.chart_images import forget_charts
    from workbench.services.deliverables import gather_report_data, render_report
    from workbench.services.packages import import_package
    from workbench.store.workspace import Workspace

    results: dict[str, object] = {"load": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        with Workspace(out / "sample.db") as ws:
            uid = import_package(ws, ROOT / "sample_audits" / "driftguard.mlaudit", untrusted=True)

            def sample() -> None:
                forget_charts()  # every run draws its charts, as the first render of an engagement does
                render_report(ws, uid, out / "sample.pdf")

            results["sample"] = timed(sample, runs)
            results["sample_pages"] = pages(out / "sample.pdf")
            # rendering again (DRAFT switched, preview then the other kind): the charts are kept
            results["again"] = timed(lambda: render_report(ws, uid, out / "again.pdf", draft=False), runs)
            data = gather_report_data(ws, uid)

            def ours() -> None:
                forget_charts()  # the plain script draws its charts every time too
                report_build.render(data, str(out / "ours.pdf"))

            results["ours"] = timed(ours, runs)
            results["plain"] = timed(lambda: plain_reportlab.build(data, out / "plain.pdf"), runs)
            results["plain_pages"] = pages(out / "plain.pdf")
        db, big_uid = big_workspace()
        children = []
        for _ in range(max(1, runs)):
            done = subprocess.run([sys.executable, __file__, "--child", str(db), big_uid, str(out / "big.pdf")],
                                  capture_output=True, text=True, check=True, cwd=ROOT)
            children.append(json.loads(done.stdout.strip().splitlines()[-1]))
        results["big"] = {"wall": statistics.median(c["wall"] for c in children),
                          "cpu": statistics.median(c["cpu"] for c in children),
                          "rss": max(c["rss_mib"] for c in children), "runs": len(children)}
        results["big_pages"] = pages(out / "big.pdf")
    return results


def status(value: float, target: float) -> str:
    return "met" if value < target or (target == TARGETS["ratio"] and value <= target) else "**missed**"


def table(r: dict[str, object], runs: int) -> str:
    import matplotlib
    import reportlab

    sample, again, ours, plain, big = r["sample"], r["again"], r["ours"], r["plain"], r["big"]  # type: ignore[misc]
    ratio = ours["wall"] / plain["wall"]  # type: ignore[index]
    ratio_cpu = ours["cpu"] / plain["cpu"]  # type: ignore[index]
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "### Reports (bench/bench_reports.py)", "",
        f"Measured {now} on {platform.system()} {platform.machine()}, {os.cpu_count()} CPU cores; Python "
        f"{platform.python_version()}, reportlab {reportlab.__version__}, matplotlib {matplotlib.__version__}. "
        f"Load average at the start: {r['load']:.2f} (other work on the shared machine slows wall-clock "
        "figures; CPU time is the process's own).", "",
        "Method: `services.deliverables.render_report` end to end (read the engagement, draw the charts, lay "
        f"out in one pass, write the file); median of {runs} runs after a warm-up run (*cold*: imports, fonts). "
        "Every timed run draws all its charts (the charts kept between renders are dropped first), except the "
        "*rendered again* row: the same report with the DRAFT mark switched off, whose charts are reused. The "
        "1,000-finding engagement (bench/generate.py through the services: 1,000 findings, 200 models, 100 "
        "risks, every assessment and checklist answer, 40 evidence files) renders in a fresh child process per "
        "run; its peak RSS is that process's `ru_maxrss`, imports included. The ratio times "
        "`reports.build.render` against bench/plain_reportlab.py (SimpleDocTemplate, escaped Paragraphs, "
        "Tables with repeatRows and splitInRow, TableOfContents with multiBuild, the same seven charts) on the "
        "same gathered data, in the same process: both use reportlab with rl_accel and the faster `sameFrag` "
        "(workbench/reports/speedups.py), so the ratio measures our layout against plain reportlab's.", "",
        "| Measure | Median s | CPU s | Cold s | Pages | Peak RSS MiB | Target | Status |",
        "|---|---:|---:|---:|---:|---:|---|---|",
        f"| Full report, DriftGuardAI sample | {sample['wall']:.2f} | {sample['cpu']:.2f} | "  # type: ignore[index]
        f"{sample['cold']:.2f} | {r['sample_pages']} | — | < 3 s | "  # type: ignore[index]
        f"{status(sample['wall'], TARGETS['sample'])} |",  # type: ignore[index]
        f"| Same, rendered again (charts kept) | {again['wall']:.2f} | {again['cpu']:.2f} | — | "  # type: ignore[index]
        f"{r['sample_pages']} | — | — | — |",
        f"| Full report, 1,000-finding engagement | {big['wall']:.2f} | {big['cpu']:.2f} | — | "  # type: ignore[index]
        f"{r['big_pages']} | {big['rss']:.0f} | < 20 s, < 400 MiB | "  # type: ignore[index]
        f"{'met' if big['wall'] < TARGETS['big'] and big['rss'] < TARGETS['rss'] else '**missed**'} |",  # type: ignore[index]
        f"| Layout only, ours (`reports.build.render`) | {ours['wall']:.2f} | {ours['cpu']:.2f} | "  # type: ignore[index]
        f"{ours['cold']:.2f} | {r['sample_pages']} | — | — | — |",  # type: ignore[index]
        f"| Layout only, plain reportlab | {plain['wall']:.2f} | {plain['cpu']:.2f} | "  # type: ignore[index]
        f"{plain['cold']:.2f} | {r['plain_pages']} | — | — | — |",  # type: ignore[index]
        f"| Ratio ours / plain | {ratio:.2f} | {ratio_cpu:.2f} | — | — | — | <= 1.5 | "
        f"{status(ratio, TARGETS['ratio'])} |", "",
        "What made it faster (before: 3.69 s for the sample and 24.4 s for the 1,000-finding report, at load "
        "2.8): one layout pass instead of two (the contents' page numbers are drawn when the file is saved, like "
        "\"Page n of N\"); markup parsed once per shape, not once per paragraph; reportlab's pure-Python "
        "`sameFrag` instead of rl_accel's slower C one; rl_accel itself for string widths (13.0 s against "
        "13.9 s CPU on the 1,000-finding report); charts kept between renders (the *rendered again* row). What "
        "the reader sees is unchanged: rendered with reportlab's invariant mode, every page of the three samples "
        "and of the 1,000-finding report has the same pixels as before, and the shape cache, the `sameFrag` swap "
        "and rl_accel each leave the file byte for byte the same. One thing did change: the PDF bookmarks and "
        "the contents' links now lead to their pages (they all pointed at page 1).", "",
        "Where the time went (cProfile, 2026-11-23, when matplotlib's constrained layout still placed the "
        "charts): in the sample, the seven matplotlib charts took about 1.7 s (building the figures, the "
        "constrained layout, which measured every artist twice on each draw, and drawing; the resolution hardly "
        "matters: 120, 150 and 160 dpi cost the same) and the layout about 0.9 s, so the sample met its target "
        "only with a core to itself: measured on the otherwise idle machine it took 2.58 s (12:37 UTC, load "
        "1.2), with another process busy on this 2-core machine (load 2) 4.1 s wall and CPU. "
        "The charts now use no layout engine: each builder measures the texts it will show (tick labels, "
        "legends, the gauge's band names against their segments) with the figure's renderer before drawing "
        "and places its axes with fixed margins in points (workbench/charts/layout.py), so drawing a chart no "
        "longer lays it out again; the timings above are of these charts. "
        "In the 1,000-finding report, reportlab's own work dominated: breaking lines (~5 s), drawing the table "
        "cells (~4.5 s), splitting the register across 150 pages (~1.3 s), the charts (~2 s).", "",
        "Re-run: `.venv/bin/python bench/bench_reports.py` (the 1,000-finding workspace is cached in "
        "bench/out/reports-1000.db).",
    ]
    return "\n".join(lines)


def write(section: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    block = f"{START}\n{section}\n{END}"
    if START in text and END in text:
        text = text[:text.index(START)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the PDF deliverables.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print the table, leave docs/performance.md")
    parser.add_argument("--child", nargs=3, metavar=("DB", "UID", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(*args.child)
    section = table(measure(args.runs), args.runs)
    print(section)
    if not args.no_write:
        write(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
