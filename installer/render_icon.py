"""Render the application icon (resources/icons/workbench.svg) to the raster files the platforms need.

    QT_QPA_PLATFORM=offscreen .venv/bin/python installer/render_icon.py

Writes workbench-<size>.png (16 ... 512) for the window icon and the Linux .desktop entry, workbench.ico for
Windows (Inno Setup, the .exe) and workbench.icns for macOS. The app itself loads only the PNGs, so the
bundle needs no SVG plugin. Run it again after editing the SVG; the outputs are committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render_png(renderer: QSvgRenderer, size: int, target: Path) -> Path:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    if not image.save(str(target)):
        raise OSError(f"cannot write {target}")
    return target


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "workbench.svg"))
    if not renderer.isValid():
        print(f"render_icon: {ICONS / 'workbench.svg'} is not a valid SVG", file=sys.stderr)
        return 2
    pngs = [render_png(renderer, size, ICONS / f"workbench-{size}.png") for size in SIZES]
    largest = Image.open(pngs[-1])
    largest.save(ICONS / "workbench.ico", sizes=[(s, s) for s in SIZES if s <= 256])
    largest.save(ICONS / "workbench.icns")
    for path in [*pngs, ICONS / "workbench.ico", ICONS / "workbench.icns"]:
        print(path.relative_to(ICONS.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
