"""Assemble a deliverable from ReportData and write it: the full report or the executive summary.

`render(data, output, kind=...)` is the whole public surface of reports/: it knows nothing of the
workspace (services/deliverables.py gathers the data) and writes to a path or binary file object.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import BinaryIO

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from workbench.collector import paused
from workbench.reports import bidi, drawing, hyphenation, speedups, wraps
from workbench.reports.chart_images import ChartPainter, ChartStore
from workbench.reports.context import Context
from workbench.reports.data import Branding, ReportData
from workbench.reports.document import (
    Checkpoint,
    Contents,
    ReportCancelled,
    ReportDocument,
    build_pdf,
    make_toc,
)
from workbench.reports.flow import bind
from workbench.reports.furniture import PageFurniture
from workbench.reports.sections import (
    about,
    contents,
    costs,
    cover,
    definitions,
    dimensions,
    evidence,
    executive,
    findings,
    guidance,
    matrices,
    models,
    progress,
    readiness,
    risks,
    roadmap,
    scorecard,
    signoff,
    summary,
    trail,
)
from workbench.reports.styles import frame_width, make_styles

KINDS = ("full", "executive")
KIND_TITLES = {"full": "MLOps audit report", "executive": "Executive summary"}
Progress = Callable[[int, str], None]

# (section module, title for progress messages); progress appears only for a re-audit
FULL_SECTIONS: tuple[tuple[object, str], ...] = (
    (about, "about this report"),
    (summary, "executive summary"),
    (scorecard, "maturity scorecard"),
    (progress, "progress since the earlier audit"),
    (dimensions, "dimension assessments"),
    (findings, "findings register"),
    (models, "model inventory"),
    (risks, "risk assessment"),
    (costs, "costs and budget"),
    (roadmap, "roadmap"),
    (readiness, "go-live readiness"),
    (matrices, "matrices"),
    (evidence, "evidence index"),
    (trail, "audit trail"),
    (definitions, "definitions and glossary"),
    (guidance, "guidance appendix"),
)


@dataclass(frozen=True)
class RenderResult:
    pages: int
    passes: int
    charts: int
    charts_drawn: int  # of `charts`, those neither kept by this process nor found in the chart store


def _full_story(ctx: Context, toc: Contents) -> list[Flowable]:
    story: list[Flowable] = [NextPageTemplate("body")]
    story += cover.build(ctx, KIND_TITLES["full"])
    story.append(PageBreak())
    story += contents.build(ctx, toc)
    skipped: list[object] = [module for module, absent in ((progress, ctx.data.progress is None),
                                                            (guidance, ctx.data.guidance is None)) if absent]
    sections = [(module, title) for module, title in FULL_SECTIONS if module not in skipped]
    count = len(sections) + 1
    for number, (module, title) in enumerate(sections, start=1):
        ctx.check()
        story.append(Checkpoint(title, (number - 1) / count))
        if number > 1:
            story.append(PageBreak())
        story += module.build(ctx, str(number))  # type: ignore[attr-defined]
    story.append(Checkpoint("sign-off", (count - 1) / count))
    story += signoff.build(ctx, str(count))
    story.append(Checkpoint("end", 1.0))
    return story


def _executive_story(ctx: Context, _toc: Contents) -> list[Flowable]:
    story: list[Flowable] = [NextPageTemplate("body"), Checkpoint("executive summary", 0.0)]
    story += executive.build(ctx)
    story.append(Checkpoint("end", 1.0))
    return story


def make_context(data: ReportData, kind: str, branding: Branding, cancelled: Callable[[], bool] | None = None,
                 charts: ChartPainter | None = None) -> Context:
    """What the sections of one deliverable are built from (the PDF's and the DOCX working copy's)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")

    def check() -> None:
        if cancelled is not None and cancelled():
            raise ReportCancelled("report cancelled; no file was written")

    return Context(data=data, styles=make_styles(branding), branding=branding, kind=kind, width=frame_width(),
                   charts=charts if charts is not None else ChartPainter(), check=check)  # an empty painter is falsy


def story(ctx: Context, contents: Contents) -> list[Flowable]:
    """Every flowable of the deliverable `ctx.kind`, in reading order (before page-flow binding)."""
    return _full_story(ctx, contents) if ctx.kind == "full" else _executive_story(ctx, contents)


def render(data: ReportData, output: str | BinaryIO, *, kind: str = "full", branding: Branding | None = None,
           draft: bool = True, cancelled: Callable[[], bool] | None = None,
           progress_cb: Progress | None = None, chart_store: ChartStore | None = None,
           chart_worker: Executor | None = None) -> RenderResult:
    """Lay out and write the deliverable; raises ReportCancelled when `cancelled()` turns true.

    Charts are looked up in `chart_store` (and the charts drawn are saved there after the file is
    written); `chart_worker` (chart_worker.ChartWorker) draws the others while the pages are laid out.
    """
    # reportlab makes millions of short-lived objects; the collections they set off walked the whole story
    # again and again (a third of the 5,000-finding report's CPU time)
    with paused():
        return _render(data, output, kind, branding, draft, cancelled, progress_cb, chart_store, chart_worker)


def _render(data: ReportData, output: str | BinaryIO, kind: str, branding: Branding | None, draft: bool,
            cancelled: Callable[[], bool] | None, progress_cb: Progress | None, chart_store: ChartStore | None,
            chart_worker: Executor | None) -> RenderResult:
    speedups.install()
    drawing.install()
    bidi.install()
    hyphenation.install()
    branding = branding or Branding()
    ctx = make_context(data, kind, branding, cancelled, ChartPainter(store=chart_store, worker=chart_worker))
    styles, check = ctx.styles, ctx.check
    engagement = data.engagement
    furniture = PageFurniture(styles=styles, firm=branding.firm_name, ref=engagement.ref, title=engagement.title,
                              classification=branding.classification_for(engagement.client), draft=draft)
    state = {"pass": 1, "percent": 0}

    def on_checkpoint(point: Checkpoint) -> None:
        check()
        if progress_cb is not None:
            # one pass normally; a rare further one (contents changed) must not move the bar back
            state["percent"] = max(state["percent"], int(15 + 80 * point.fraction))
            again = " (again, for the contents)" if state["pass"] > 1 else ""
            progress_cb(state["percent"], f"laying out the {point.name}{again}")

    def between_passes(number: int) -> None:
        state["pass"] = number
        check()

    doc = ReportDocument(output, furniture, title=f"{KIND_TITLES[kind]} — {engagement.ref}",
                         author=branding.author or branding.firm_name or engagement.lead_auditor,
                         subject=engagement.title, on_checkpoint=on_checkpoint,
                         cover=kind == "full")
    toc = make_toc(styles)

    def factory(contents: Contents) -> list[Flowable]:
        flowables = bind(story(ctx, contents))
        ctx.charts.release_idle_worker()  # all charts kept: a worker started ahead is not needed
        return flowables

    try:
        passes = build_pdf(doc, factory, toc, between_passes=between_passes)
    finally:
        wraps.forget()
    drawn = ctx.charts.keep_new()
    if progress_cb is not None:
        progress_cb(97, "writing the file")
    return RenderResult(pages=doc.page, passes=passes, charts=len(ctx.charts), charts_drawn=drawn)
