"""Regenerate the GUI screenshots in docs/screenshots/: every page with each sample in light mode, the
DriftGuardAI sample in dark mode too, and a few views inside pages (matrix tabs, a text preview).

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/generate.py [--samples driftguard ...]

The window is 1366 × 768, the smallest laptop screen the workbench supports. With QT_SCALE_FACTOR=2 the
pictures are HiDPI (2732 × 1536). Light and dark are the workbench's own View > Appearance settings.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PIL import Image as PILImage  # comes with matplotlib
from PySide6.QtCore import QBuffer, QIODevice, QSettings
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from workbench.services.packages import import_package
from workbench.store.workspace import Workspace
from workbench.ui.app import make_application
from workbench.ui.main_window import MainWindow
from workbench.ui.pages import PAGE_CLASSES

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent.parent / "sample_audits"


# Views inside a page worth their own picture (DriftGuardAI only): name → code run on the page.
VIEWS: dict[str, dict[str, Callable[[QWidget], None]]] = {
    "matrices": {**{kind: (lambda page, k=kind: page.tabs.setCurrentWidget(page.tab[k]))
                    for kind in ("platform", "tool", "monitoring")},
                 **{kind: (lambda page, k=kind, g=group: (page.groups.setCurrentWidget(page.group_tabs[g]),
                                                          page.group_tabs[g].setCurrentWidget(page.tab[k])))
                    for group, kind in (("readiness", "readiness"), ("readiness", "checklist"),
                                        ("document", "version"))}},
    "evidence": {"text-preview": lambda page: page.select(next(
        r["uid"] for r in page.model.visible_rows() if str(r.get("media_type", "")).startswith("text/")))},
}
FOCUS_SAMPLE = "driftguard"


def capture(app: QApplication, out: Path, samples: list[str], modes: list[str],
            dark_samples: list[str]) -> list[Path]:
    """Library, then every page of every sample; dark mode for `dark_samples` only (the repository stays small)."""
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as scratch:
        ws = Workspace(Path(scratch) / "shots.db").open()
        try:
            uids = {name: import_package(ws, SAMPLES / f"{name}.mlaudit", untrusted=True) for name in samples}
            for mode in modes:
                settings = QSettings(str(Path(scratch) / f"{mode}.ini"), QSettings.Format.IniFormat)
                settings.setValue("appearance/mode", mode)  # View > Appearance, as the auditor chooses it
                window = MainWindow(ws, settings)
                window.resize(1366, 768)
                window.show()
                window.show_library()
                written.append(save(app, window, out / f"library-{mode}.png"))
                written.append(save(app, window, out / f"welcome-{mode}.png", overlay=welcome(window, scratch)))
                for name, uid in uids.items():
                    if mode == "dark" and name not in dark_samples:
                        continue
                    window.open_engagement(uid)
                    for step in PAGE_CLASSES:
                        window.show_step(step)
                        written.append(save(app, window, out / f"{name}-{step}-{mode}.png"))
                        if name != FOCUS_SAMPLE:
                            continue
                        for view, show in VIEWS.get(step, {}).items():
                            show(window.current_page())
                            written.append(save(app, window, out / f"{name}-{step}-{view}-{mode}.png"))
                window.close()
        finally:
            ws.close()
    return written


def welcome(window: MainWindow, scratch: str) -> QWidget:
    """The welcome page as on a fresh profile: preferences and identities from an empty scratch folder."""
    os.environ["WORKBENCH_PREFERENCES"] = str(Path(scratch) / "preferences.json")
    os.environ["WORKBENCH_IDENTITIES"] = str(Path(scratch) / "identities")
    return window.show_welcome()


def save(app: QApplication, window: QWidget, path: Path, overlay: QWidget | None = None) -> Path:
    """Grab the window as shown and write a small PNG: 256 colours lose nothing visible in a GUI picture.
    An `overlay` (a dialog) is drawn centred on the window, where it shows, and then closed."""
    window.statusBar().clearMessage()  # not the scratch workspace's temporary path
    for _ in range(3):  # let charts and deferred row heights settle
        app.processEvents()
    image = window.grab().toImage()
    if overlay is not None:
        painter = QPainter(image)
        painter.fillRect(image.rect(), QColor(0, 0, 0, 80))  # dim the window, as behind a dialog on a desktop
        shot = overlay.grab()
        x, y = (image.width() - shot.width()) // 2, (image.height() - shot.height()) // 2
        painter.drawPixmap(x, y, shot)
        painter.setPen(QColor("#808080"))
        painter.drawRect(x - 1, y - 1, shot.width() + 1, shot.height() + 1)
        painter.end()
        overlay.close()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    picture = PILImage.open(io.BytesIO(bytes(buffer.data()))).convert("RGB")
    picture.quantize(256, method=PILImage.Quantize.FASTOCTREE).save(path, optimize=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", nargs="*", default=sorted(p.stem for p in SAMPLES.glob("*.mlaudit")))
    parser.add_argument("--modes", nargs="*", default=["light", "dark"])
    parser.add_argument("--dark-samples", nargs="*", default=[FOCUS_SAMPLE],
                        help="samples also shot in dark mode (default: DriftGuardAI)")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    app = make_application()
    for path in capture(app, args.out, args.samples, args.modes, args.dark_samples):
        print(path.relative_to(args.out.parent) if path.is_relative_to(args.out.parent) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
