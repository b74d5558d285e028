"""Regenerate the PNGs of every page of both deliverables of the DriftGuardAI sample in docs/screenshots/.

    .venv/bin/python docs/screenshots/report_pages.py [--sample driftguard] [--dpi 70]

The sample is imported into a throw-away workspace, the full report and the executive summary are rendered
with the default branding (as the CLI would without saved preferences), and poppler's `pdftoppm` turns each
page into report-full-pNN.png / report-executive-pNN.png. Stale pages of an earlier, longer run are removed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(ROOT))

from workbench.services.deliverables import render_report  # noqa: E402
from workbench.services.packages import import_package  # noqa: E402
from workbench.store.workspace import Workspace  # noqa: E402

SAMPLES = ROOT / "sample_audits"
KINDS = ("full", "executive")


def render_pages(sample: str, dpi: int, out: Path) -> list[Path]:
    """Render both deliverables of `sample` and write one PNG per page into `out`; returns the PNGs."""
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm (poppler-utils) is needed to turn the PDF pages into PNGs")
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace(Path(folder) / "screens.db").open()
        try:
            uid = import_package(ws, SAMPLES / f"{sample}.mlaudit", untrusted=True)  # samples: see services.samples
            for kind in KINDS:
                pdf = render_report(ws, uid, Path(folder) / f"{kind}.pdf", kind=kind)
                for stale in out.glob(f"report-{kind}-p*.png"):
                    stale.unlink()
                prefix = Path(folder) / f"report-{kind}-p"
                subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True)
                for page in sorted(Path(folder).glob(f"report-{kind}-p-*.png")):
                    number = int(page.stem.rsplit("-", 1)[1])
                    target = out / f"report-{kind}-p{number:02d}.png"
                    shutil.move(page, target)
                    written.append(target)
        finally:
            ws.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", default="driftguard", help="sample package name in sample_audits/")
    parser.add_argument("--dpi", type=int, default=70)
    args = parser.parse_args(argv)
    for path in render_pages(args.sample, args.dpi, HERE):
        print(path.relative_to(HERE.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
