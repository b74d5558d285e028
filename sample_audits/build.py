"""Rebuild the sample engagement packages from content/*.json and evidence/.

    python sample_audits/build.py            # writes sample_audits/<name>.mlaudit

Each sample is created through the workbench's services in a scratch workspace and exported,
so the packages carry a genuine audit trail and pass every import check.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from workbench.services.packages import export_package
from workbench.services.samples import build_engagement
from workbench.store.workspace import Workspace

HERE = Path(__file__).resolve().parent


def build_all(target_dir: Path = HERE) -> list[Path]:
    written = []
    with tempfile.TemporaryDirectory() as scratch, \
            Workspace(Path(scratch) / "samples.db", actor="sample-builder") as ws:
        for content in sorted((HERE / "content").glob("*.json")):
            uid = build_engagement(ws, content, HERE / "evidence")
            target = target_dir / f"{content.stem}.mlaudit"
            export_package(ws, uid, target)
            written.append(target)
    return written


if __name__ == "__main__":
    for path in build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(f"wrote {path}")
