"""Deliverables: render an engagement's full report or executive summary to PDF.

    render_report(ws, "DGA-2026-01", Path("out.pdf"), kind="executive")

The GUI (in a worker, with `progress` and `cancelled`) and the CLI (`workbench report ENG -o FILE.pdf
[--kind full|executive] [--draft]`) share this use case. It reads the engagement once into a plain
`ReportData` (frozen dataclasses, no ORM objects), then lays the PDF out with workbench.reports, which
knows nothing of the workspace. The file is written to a temporary name next to the target and moved into
place in one step, so a failed or cancelled render never leaves a partial file. `render_pdf` makes the
same PDF in memory only: the app's preview and the signed report's unsigned render are never written to a
temporary file, where they would lie in clear on a disk (issue #16: nothing confidential in clear on disk).

`file_format="docx"` writes the same sections as an editable working copy (workbench.reports.word): marked
as unsigned on every page, never signed, no DRAFT watermark (the cover states the engagement's status).

The signing step finds the empty signature box with `signature_placement(pdf)`: it is on the last page
at `SIGNATURE_BOX_RECT` (PDF points), also published in the PDF as the named destination
`SIGNATURE_DESTINATION`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from workbench.domain.errors import ConflictError, ValidationError
from workbench.fs.faults import StorageError
from workbench.fs.files import atomic_output
from workbench.reports import build as report_build
from workbench.reports.data import Branding, ReportData
from workbench.reports.document import SIGNATURE_DESTINATION, ReportCancelled, signature_box_rect
from workbench.services.report_data import gather_report_data
from workbench.store.chart_cache import WorkspaceChartCache
from workbench.store.location import Location, is_server_url

if TYPE_CHECKING:
    from workbench.store.workspace import Workspace

KINDS = report_build.KINDS
FORMATS = ("pdf", "docx")  # the deliverable, and its editable unsigned working copy
SIGNATURE_BOX_RECT = signature_box_rect()
ProgressCallback = Callable[[int, str], None]

__all__ = ["Branding", "FORMATS", "KINDS", "RenderedPdf", "ReportCancelled", "ReportData", "SIGNATURE_BOX_RECT",
           "SIGNATURE_DESTINATION", "SignaturePlacement", "default_file_name", "gather_report_data", "render_pdf",
           "render_report", "signature_placement"]


def default_file_name(ref: str, kind: str, file_format: str = "pdf") -> str:
    """"DGA-2026-01 audit report.pdf" / "DGA-2026-01 executive summary.pdf" (".docx": "… working copy.docx"),
    safe on every platform."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", ref).strip(" .-") or "engagement"
    what = "audit report" if kind == "full" else "executive summary"
    return f"{safe} {what}.pdf" if file_format == "pdf" else f"{safe} {what} working copy.{file_format}"


def render_report(ws: Workspace | Location, engagement_key: str, target: Path, *, kind: str = "full",
                  draft: bool | None = None, branding: Branding | None = None,
                  cancelled: Callable[[], bool] | None = None, progress: ProgressCallback | None = None,
                  day_rate: float | None = None, currency: str | None = None,
                  expect_head: str | None = None, chart_worker: Executor | None = None,
                  file_format: str = "pdf") -> Path:
    """Write the deliverable to `target` (a folder gets the default file name); returns the file written.

    `ws` is an open Workspace or the location of an up-to-date workspace (a file, or a team server's URL: the
    command line; the engagement is then read in plain SQL, without importing the database layer;
    report_data.gather_report_data).

    `draft` None: the DRAFT watermark unless the engagement is final. `day_rate` prices the remediation
    effort (hours ÷ 8 × rate, default 1,200 in the findings' currency). `expect_head`: the audit-trail chain
    head the caller will sign the report with (signatures.engagement_anchor); if the engagement changed since,
    nothing is written and ConflictError says so, so a signed report always shows the state it is tied to.
    Charts come from the workspace's chart cache when their data did not change, and the charts drawn are
    kept there; `chart_worker` (reports.chart_images.ChartWorker) draws the others while the pages
    are laid out.
    `file_format` "docx": the unsigned working copy (`draft` does not apply).
    """
    if file_format not in FORMATS:
        raise ValidationError(f"report format: '{file_format}' is not one of {', '.join(FORMATS)}")
    job = _RenderJob.start(ws, engagement_key, kind, branding, cancelled, progress,
                           _Reading(day_rate, currency, expect_head))
    path = _target_path(Path(target), job.data.engagement.ref, kind, file_format)
    with _chart_cache(job.workspace) as charts:
        if file_format == "docx":
            from workbench.reports.word import render_docx  # python-docx only for a working copy

            _write_atomically(path, lambda handle: render_docx(job.data, handle, kind=kind, branding=job.branding,
                                                               cancelled=cancelled, chart_store=charts))
        else:
            _write_atomically(path, lambda handle: job.pdf(handle, draft, charts, chart_worker))
    job.report(100, "done")
    return path


@dataclass(frozen=True)
class RenderedPdf:
    """A deliverable rendered into memory: its default file name and the PDF's bytes."""

    name: str
    data: bytes


def render_pdf(ws: Workspace | Location, engagement_key: str, *, kind: str = "full", draft: bool | None = None,
               branding: Branding | None = None, cancelled: Callable[[], bool] | None = None,
               progress: ProgressCallback | None = None, day_rate: float | None = None, currency: str | None = None,
               expect_head: str | None = None, chart_worker: Executor | None = None) -> RenderedPdf:
    """render_report's PDF made in memory, written nowhere: the preview shows it and the signing step signs it
    straight into the deliverable, so no unsigned render of client data ever lies in a temporary file (on a
    system without a memory-backed temp folder that would be the disk, in clear)."""
    job = _RenderJob.start(ws, engagement_key, kind, branding, cancelled, progress,
                           _Reading(day_rate, currency, expect_head))
    out = io.BytesIO()
    with _chart_cache(job.workspace) as charts:
        job.pdf(out, draft, charts, chart_worker)
    job.report(100, "done")
    return RenderedPdf(default_file_name(job.data.engagement.ref, kind), out.getvalue())


@dataclass(frozen=True)
class _Reading:
    day_rate: float | None
    currency: str | None
    expect_head: str | None


@dataclass(frozen=True)
class _RenderJob:
    """The engagement read for one render, and how to lay it out."""

    data: ReportData
    workspace: Workspace | Location  # an open workspace, or a file or server to read (the command line)
    kind: str
    branding: Branding
    cancelled: Callable[[], bool] | None
    report: ProgressCallback

    @classmethod
    def start(cls, ws: Workspace | Location, engagement_key: str, kind: str, branding: Branding | None,
              cancelled: Callable[[], bool] | None, progress: ProgressCallback | None, reading: _Reading) -> _RenderJob:
        if kind not in KINDS:
            raise ValidationError(f"report kind: '{kind}' is not one of {', '.join(KINDS)}")
        branding = branding or Branding()
        _check_logo(branding)
        report = progress or (lambda _percent, _message: None)
        report(0, "reading the engagement")
        data = gather_report_data(ws, engagement_key, day_rate=reading.day_rate, currency=reading.currency)
        if reading.expect_head is not None and data.trail.ok and data.trail.head_hash != reading.expect_head:
            raise ConflictError(f"{data.engagement.ref} changed while the report was being prepared; make it again")
        if cancelled is not None and cancelled():
            raise ReportCancelled("report cancelled; no file was written")
        report(10, "drawing the charts")
        return cls(data, ws, kind, branding, cancelled, report)

    def pdf(self, handle: BinaryIO, draft: bool | None, charts: WorkspaceChartCache | None,
            chart_worker: Executor | None) -> None:
        """Lay the PDF out into `handle`; `draft` None: a draft unless the engagement is final."""
        is_draft = (not self.data.engagement.final) if draft is None else bool(draft)
        report_build.render(self.data, handle, kind=self.kind, branding=self.branding, draft=is_draft,
                            cancelled=self.cancelled, progress_cb=self.report, chart_store=charts,
                            chart_worker=chart_worker)


@contextmanager
def _chart_cache(ws: Workspace | Location) -> Iterator[WorkspaceChartCache | None]:
    """The workspace file's chart cache; a team server's workspace keeps none (its charts are drawn again)."""
    if is_server_url(ws) or (not isinstance(ws, Path | str) and ws.is_server):
        yield None
        return
    with WorkspaceChartCache(ws if isinstance(ws, Path) else Path(ws) if isinstance(ws, str) else ws.path) as cache:
        yield cache


def _target_path(target: Path, ref: str, kind: str, file_format: str) -> Path:
    target = target.expanduser()
    if target.is_dir():
        return target / default_file_name(ref, kind, file_format)
    if target.suffix.lower() != f".{file_format}":
        raise ValidationError(f"report file: '{target.name}' should end in .{file_format}")
    return target


def _check_logo(branding: Branding) -> None:
    if branding.logo_path is None:
        return
    path = Path(branding.logo_path).expanduser()
    if not path.is_file():
        raise ValidationError(f"firm logo: {path} does not exist")
    from reportlab.lib.utils import ImageReader

    try:
        width, height = ImageReader(str(path)).getSize()
    except Exception:  # reportlab/PIL raise many kinds for an unreadable image
        raise ValidationError(f"firm logo: {path.name} is not a PNG or JPEG image that can be read") from None
    if width <= 0 or height <= 0:
        raise ValidationError(f"firm logo: {path.name} has no size")


def _write_atomically(path: Path, write: Callable[[Any], object]) -> None:
    """Write beside the target and rename (fs.files): a failure or a cancel leaves no file behind."""
    try:
        with atomic_output(path) as handle:
            write(handle)
    except StorageError as exc:
        raise ValidationError(f"report file: {exc}") from None


@dataclass(frozen=True)
class SignaturePlacement:
    page_index: int  # 0-based; the last page
    rect: tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points


def signature_placement(pdf: Path | bytes) -> SignaturePlacement:
    """Where the signing step draws the visible signature of a deliverable written by render_report (a file)
    or render_pdf (its bytes)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    with io.BytesIO(pdf) if isinstance(pdf, bytes) else open(pdf, "rb") as handle:
        pages = int(PdfFileReader(handle).root["/Pages"]["/Count"])
    return SignaturePlacement(pages - 1, SIGNATURE_BOX_RECT)
