"""Record the Linux bundle's size, build time and start-up times in docs/performance.md.

    bash installer/linux/build.sh && .venv/bin/python installer/record_build.py

Reads dist/BUILD_INFO.json (written by build.sh), measures the built program in build/dist/workbench with a
clean environment (as tests/installer does), and rewrites the `bench:installer` section of the document.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- bench:installer:start -->", "<!-- bench:installer:end -->"
MIB = 1024 * 1024


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _timed(program: Path, args: list[str], home: Path, runs: int, **extra: str) -> list[float]:
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
           "XDG_STATE_HOME": str(home / "state"), "PATH": str(home / "bin"), "QT_QPA_PLATFORM": "offscreen",
           "LANG": "C.UTF-8", **extra}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([str(program), *args], env=env, check=True, capture_output=True, timeout=300)
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure() -> dict[str, object]:
    info = json.loads((ROOT / "dist" / "BUILD_INFO.json").read_text(encoding="utf-8"))
    bundle = ROOT / "build" / "dist" / "workbench"
    internal = bundle / "_internal"
    parts = {p.name: _folder_bytes(p) if p.is_dir() else p.stat().st_size for p in internal.iterdir()
             if not p.is_symlink()}
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        (home / "bin").mkdir()
        cli = _timed(bundle / "workbench", ["--version"], home, 5)
        gui = _timed(bundle / "workbench", [], home, 3, WORKBENCH_SMOKE_EXIT="0")
    return {"info": info, "files": sum(1 for p in bundle.rglob("*") if p.is_file()),
            "largest": sorted(parts.items(), key=lambda kv: kv[1], reverse=True)[:6],
            "cli_ms": statistics.median(cli), "gui_ms": statistics.median(gui)}


def section(m: dict[str, object]) -> str:
    info = m["info"]
    largest = ", ".join(f"{name} {size / MIB:.0f}" for name, size in m["largest"])  # type: ignore[attr-defined]
    return "\n".join([
        START,
        "### Desktop bundle (installer/linux/build.sh, installer/record_build.py)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.system()} {info['arch']}, "
        f"{info['cores']} CPU cores (shared with other work); Python {platform.python_version()}, "
        f"PyInstaller one-folder build.",
        "",
        "| What | Figure |",
        "|---|---:|",
        f"| Build time ({'pip install, ' if info.get('pip_install', True) else ''}PyInstaller analysis and "
        f"collection, tarball) | {info['build_seconds']} s |",
        f"| Bundle folder (build/dist/workbench) | {info['bundle_bytes'] / MIB:.0f} MiB, {m['files']:,} files |",
        f"| Tarball ({Path(str(info['tarball'])).name}) | {info['tarball_bytes'] / MIB:.0f} MiB |",
        f"| `workbench --version` from the bundle, clean environment (median of 5) | {m['cli_ms']:,.0f} ms |",
        f"| Desktop app start until the window is shown, offscreen (median of 3) | {m['gui_ms']:,.0f} ms |",
        "",
        f"Largest parts of `_internal/` (MiB): {largest}. Unused Qt plugins and the libraries only they need "
        "(QtQuick/QML, QtPdf, QtNetwork, GTK) are left out by installer/prune.py.",
        END,
    ])


def main() -> int:
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text(encoding="utf-8")
    new = section(measure())
    if START in text and END in text:
        text = text[:text.index(START)] + new + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + new + "\n"
    doc.write_text(text, encoding="utf-8")
    print(new)
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
