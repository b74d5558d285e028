"""Fixtures for the deliverables: the sample engagements imported once, each report rendered once.

Rendering is the slow part (a full report lays out ~30 pages with 7 charts), so the PDFs of the samples
are made once per test session and shared read-only; tests that change an engagement make their own.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from workbench.services.deliverables import render_report
from workbench.services.packages import import_package
from workbench.store.workspace import Workspace

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "sample_audits"
SAMPLES = ("driftguard", "credit-scoring", "early-stage")
KINDS = ("full", "executive")
TOOLS = ("qpdf", "pdffonts", "pdftotext", "pdfinfo")

requires_poppler = pytest.mark.skipif(any(shutil.which(tool) is None for tool in TOOLS),
                                      reason="needs qpdf and poppler-utils (pdffonts, pdftotext, pdfinfo)")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=120, check=False)


def pdf_text(pdf: Path, page: int | None = None) -> str:
    """pdftotext in content order (-raw): a table cell's lines stay together."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = run("pdftotext", "-raw", "-enc", "UTF-8", *pages, str(pdf), "-")
    assert result.returncode == 0, result.stderr
    return result.stdout


def squash(text: str) -> str:
    """Text without whitespace (and NFC): what survives line breaks inside cells and long words."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def watermark_pixels(pdf: Path, page: int, folder: Path) -> int:
    """Pixels of the page (at 30 dpi) in the DRAFT watermark's faint red; the text and charts use no such tint.

    The watermark is drawn as letter outlines, not text, so only the picture of the page shows it.
    """
    from PIL import Image

    prefix = folder / f"watermark-{pdf.stem}-{page}"
    result = run("pdftoppm", "-r", "30", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf), str(prefix))
    assert result.returncode == 0, result.stderr
    image = Image.open(f"{prefix}.png").convert("RGB")
    return sum(1 for r, g, b in image.get_flattened_data() if r > 235 and 8 < r - g < 40 and abs(g - b) < 6)


def page_count(pdf: Path) -> int:
    info = run("pdfinfo", str(pdf)).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]


@pytest.fixture(scope="session")
def sample_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, dict[str, str]]]:
    ws = Workspace(tmp_path_factory.mktemp("reports") / "samples.db").open()
    uids = {name: import_package(ws, SAMPLES_DIR / f"{name}.mlaudit", untrusted=True) for name in SAMPLES}
    yield ws, uids
    ws.close()


@pytest.fixture(scope="session")
def sample_pdf(sample_workspace: tuple[Workspace, dict[str, str]],
               tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Path]:
    """sample_pdf("driftguard", "full") → the rendered PDF (made on first use)."""
    return rendered_once(sample_workspace, tmp_path_factory.mktemp("pdfs"), "pdf")


def rendered_once(sample_workspace: tuple[Workspace, dict[str, str]], folder: Path,
                  file_format: str) -> Callable[[str, str], Path]:
    """get(sample, kind) → that deliverable in `file_format` under the name the app gives it (a folder of its own
    each), rendered on the first call only."""
    ws, uids = sample_workspace
    made: dict[tuple[str, str], Path] = {}

    def get(name: str, kind: str) -> Path:
        if (name, kind) not in made:
            own = folder / f"{name}-{kind}"
            own.mkdir()
            made[name, kind] = render_report(ws, uids[name], own, kind=kind, file_format=file_format)
        return made[name, kind]

    return get
