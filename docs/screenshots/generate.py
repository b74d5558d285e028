"""Regenerate the GUI screenshots in docs/screenshots/: every page with each sample, light and dark.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/generate.py [--samples driftguard ...]

The window is 1366 × 768, the smallest laptop screen the workbench supports.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from workbench.services.packages import import_package
from workbench.store.workspace import Workspace
from workbench.ui.app import make_application
from workbench.ui.main_window import MainWindow
from workbench.ui.pages import PAGE_CLASSES

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent.parent / "sample_audits"


def dark_palette() -> QPalette:
    """A dark palette like the system ones (used where the platform reports no colour scheme)."""
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.WindowText, "#e6e6e6"),
                         (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.AlternateBase, "#262626"),
                         (QPalette.ColorRole.Text, "#e6e6e6"), (QPalette.ColorRole.Button, "#353535"),
                         (QPalette.ColorRole.ButtonText, "#e6e6e6"), (QPalette.ColorRole.Highlight, "#2f65ca"),
                         (QPalette.ColorRole.HighlightedText, "#ffffff"), (QPalette.ColorRole.ToolTipBase, "#353535"),
                         (QPalette.ColorRole.ToolTipText, "#e6e6e6"), (QPalette.ColorRole.PlaceholderText, "#9a9a9a"),
                         (QPalette.ColorRole.Link, "#7fb2ff")):
        palette.setColor(role, QColor(colour))
    return palette


def capture(app: QApplication, out: Path, samples: list[str], modes: list[str]) -> list[Path]:
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as scratch:
        ws = Workspace(Path(scratch) / "shots.db").open()
        try:
            uids = {name: import_package(ws, SAMPLES / f"{name}.mlaudit") for name in samples}
            for mode in modes:
                app.setPalette(dark_palette() if mode == "dark" else app.style().standardPalette())
                settings = QSettings(str(Path(scratch) / f"{mode}.ini"), QSettings.Format.IniFormat)
                window = MainWindow(ws, settings)
                window.resize(1366, 768)
                window.show()
                window.show_library()
                app.processEvents()
                written.append(save(window, out / f"library-{mode}.png"))
                for name, uid in uids.items():
                    window.open_engagement(uid)
                    for step in PAGE_CLASSES:
                        window.show_step(step)
                        app.processEvents()
                        written.append(save(window, out / f"{name}-{step}-{mode}.png"))
                window.close()
        finally:
            ws.close()
    return written


def save(window: MainWindow, path: Path) -> Path:
    window.grab().save(str(path))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", nargs="*", default=sorted(p.stem for p in SAMPLES.glob("*.mlaudit")))
    parser.add_argument("--modes", nargs="*", default=["light", "dark"])
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    app = make_application()
    app.setStyle("Fusion")
    for path in capture(app, args.out, args.samples, args.modes):
        print(path.relative_to(args.out.parent) if path.is_relative_to(args.out.parent) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
