"""Pixel comparison of report pages between a git revision and the working tree.

    .venv/bin/python bench/compare_pages.py [--base main] [--kinds full executive] [--no-charts]
                                            [--workspace DB [--engagement REF ...]]

Renders every sample's deliverables (sample_audits/*.mlaudit of the working tree, imported into a
scratch workspace) once with the code of `--base` (exported with `git archive` into a temporary
folder) and once with the working tree's code, each in a child process with reportlab's invariant mode
on and the report date fixed, so that two renders of the same code give the same file. Every page is
rasterised with pdftoppm and compared pixel for pixel; a page that differs is reported with the box
that holds the differences, and the two pages and their difference are written to
bench/out/compare/ to be looked at.

`--no-charts` leaves the chart images blank in both renders: the rest of each page must then be
identical even when a change meant to alter the charts. `--workspace` adds the engagements of an
existing workspace (e.g. the generated 1,000-finding one of bench/bench_reports.py).
Exit code 0 when every page is identical, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "compare"
FIXED_DATE = "2026-01-15T09:30:00.000000Z"
RESOLUTION = 72

# Runs inside the child, with the tree under test first on sys.path. It uses only service entry points
# that every revision since the one-pass layout has (gather_report_data, reports.build.render).
CHILD = r"""
import dataclasses, json, sys, zipfile
from pathlib import Path
from reportlab import rl_config
rl_config.invariant = 1
from workbench.reports import build as report_build
from workbench.services.deliverables import gather_report_data
from workbench.services.packages import import_package
from workbench.store.workspace import Workspace

job = json.loads(sys.argv[1])
if job["no_charts"]:  # the chart flowable lived in reports.context, then in reports.chart_images
    import importlib
    for module in ("workbench.reports.context", "workbench.reports.chart_images"):
        try:
            found = importlib.import_module(module)
        except ImportError:
            continue
        for name in ("ChartImage", "LazyChart"):
            kind = getattr(found, name, None)
            if kind is not None:
                kind.draw = lambda self: None
out = Path(job["out"])
written = []

def render(ws, key, stem):
    data = dataclasses.replace(gather_report_data(ws, key), generated_at=job["date"])
    for kind in job["kinds"]:
        target = out / f"{stem}-{kind}.pdf"
        report_build.render(data, str(target), kind=kind)
        written.append(target.name)

with Workspace(Path(job["scratch"])) as ws:
    for package in job["packages"]:  # imported by the first render; the second reads the same copy
        with zipfile.ZipFile(package) as archive:
            uid = json.loads(archive.read("manifest.json"))["engagement_uid"]
        if job["import"]:
            import_package(ws, Path(package), untrusted=True)  # the samples
        render(ws, uid, Path(package).stem)
for db, keys in job["workspaces"]:
    with Workspace(Path(db), read_only=True) as ws:
        for key in keys:
            render(ws, key, f"{Path(db).stem}-{key[:12]}")
print(json.dumps(written))
"""


def export_tree(revision: str, target: Path) -> Path:
    """The files of `revision` (git archive), without touching the repository's worktrees."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", revision],
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def render_tree(tree: Path, out: Path, job: dict[str, object], scratch: Path, *, first: bool) -> list[str]:
    """Render in a child running `tree`'s code; the first render imports the samples into `scratch`.

    The second render reads a copy of the first one's workspace, so both show the same audit trail
    (the import events carry their time); a newer schema is migrated on the copy."""
    out.mkdir(parents=True, exist_ok=True)
    if not first:
        copy = out / "scratch.db"
        shutil.copyfile(scratch, copy)
        scratch = copy
    spec = {**job, "out": str(out), "scratch": str(scratch), "import": first}
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(spec)], capture_output=True, text=True,
                          cwd=tree, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "HOME": str(out),
                                         "WORKBENCH_ACTOR": "compare"})
    if done.returncode != 0:
        raise SystemExit(f"rendering with {tree} failed:\n{done.stderr[-3000:]}")
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def rasterise(pdf: Path) -> list[Path]:
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(RESOLUTION), "-png", str(pdf), str(prefix)], check=True)
    return sorted(pdf.parent.glob(f"{prefix.name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def compare_file(name: str, base_dir: Path, ours_dir: Path) -> list[str]:
    """Differences between the two renders of one deliverable, one line per page that differs."""
    from PIL import Image, ImageChops

    base_pages, our_pages = rasterise(base_dir / name), rasterise(ours_dir / name)
    problems = []
    if len(base_pages) != len(our_pages):
        problems.append(f"{name}: {len(base_pages)} pages before, {len(our_pages)} now")
    for number, (before, after) in enumerate(zip(base_pages, our_pages, strict=False), start=1):
        with Image.open(before) as a, Image.open(after) as b:
            a_rgb, b_rgb = a.convert("RGB"), b.convert("RGB")
            if a_rgb.size != b_rgb.size:
                problems.append(f"{name} page {number}: size {a_rgb.size} before, {b_rgb.size} now")
                continue
            difference = ImageChops.difference(a_rgb, b_rgb)
            box = difference.getbbox()
            if box is None:
                continue
            grey = difference.convert("L")
            changed = grey.size[0] * grey.size[1] - grey.histogram()[0]
            problems.append(f"{name} page {number}: {changed} pixels differ within {box}")
            stem = OUT / f"{Path(name).stem}-p{number}"
            a_rgb.save(f"{stem}-before.png")
            b_rgb.save(f"{stem}-after.png")
            difference.point(lambda v: 255 if v else 0).save(f"{stem}-diff.png")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare report pages with those of a git revision.")
    parser.add_argument("--base", default="main", help="git revision to compare with (default: main)")
    parser.add_argument("--kinds", nargs="+", default=["full", "executive"], choices=["full", "executive"])
    parser.add_argument("--no-charts", action="store_true", help="leave chart images blank in both renders")
    parser.add_argument("--workspace", type=Path, help="also render the engagements of this workspace")
    parser.add_argument("--engagement", nargs="*", default=None, help="refs or uids in --workspace (default: all)")
    args = parser.parse_args(argv)
    packages = [str(p) for p in sorted((ROOT / "sample_audits").glob("*.mlaudit"))]
    workspaces = []
    if args.workspace is not None:
        keys = args.engagement or _all_engagements(args.workspace)
        workspaces.append([str(args.workspace.resolve()), keys])
    job = {"packages": packages, "workspaces": workspaces, "kinds": args.kinds, "no_charts": args.no_charts,
           "date": FIXED_DATE}
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="compare-pages-") as folder:
        scratch = Path(folder)
        base_tree = export_tree(args.base, scratch / "base")
        workspace = scratch / "samples.db"
        names = render_tree(base_tree, scratch / "base-out", job, workspace, first=True)
        render_tree(ROOT, scratch / "ours-out", job, workspace, first=False)
        problems = [line for name in names for line in compare_file(name, scratch / "base-out", scratch / "ours-out")]
    for line in problems:
        print(line)
    print(f"{len(names)} deliverables compared with {args.base}: "
          + ("every page identical" if not problems else f"{len(problems)} differences (images in {OUT})"))
    return 1 if problems else 0


def _all_engagements(db: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return [uid for (uid,) in conn.execute("SELECT uid FROM engagement ORDER BY id")]


if __name__ == "__main__":
    raise SystemExit(main())
