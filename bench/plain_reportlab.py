"""The same content as the full report, laid out by a minimal plain-reportlab script: the yardstick.

No code of workbench.reports is used: SimpleDocTemplate, Paragraph with xml escaping, Table with
repeatRows/splitInRow, TableOfContents with multiBuild, the DejaVu fonts registered by hand, and the
same seven charts drawn by the workbench.charts builders (they are content, not layout) as PNG images.
bench_reports.py times `build(data, path)` against workbench.reports.build.render on the same ReportData.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from workbench.charts import render_png
from workbench.charts.cost_matrix import CostMatrixData, build_cost_matrix
from workbench.charts.findings import FindingsData, build_findings_by_dimension, build_findings_by_severity
from workbench.charts.gauge import GaugeData, build_gauge
from workbench.charts.heatmap import HeatmapData, build_heatmap
from workbench.charts.radar import RadarData, build_radar
from workbench.charts.timeline import TimelineData, build_timeline
from workbench.reports.data import ReportData
from workbench.resources import resource

FONT, BOLD = "PlainSans", "PlainSans-Bold"
WIDTH = A4[0] - 40 * mm


def _fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(resource("fonts", "DejaVuSans.ttf"))))
        pdfmetrics.registerFont(TTFont(BOLD, str(resource("fonts", "DejaVuSans-Bold.ttf"))))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


BODY = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=13)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=7.6, leading=10)
H1 = ParagraphStyle("h1", fontName=BOLD, fontSize=17, leading=21, spaceAfter=8)
GRID = TableStyle([("FONT", (0, 0), (-1, -1), FONT, 7.6), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1F3A5F")),
                   ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                   ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#D5D9E0"))])


def _p(value: Any, style: ParagraphStyle = CELL) -> Paragraph:
    return Paragraph(escape(str(value or "")).replace("\n", "<br/>"), style)


def _table(header: list[str], rows: list[list[Any]], widths: list[float]) -> Table:
    total = sum(widths)
    return Table([[_p(h) for h in header], *[[_p(c) for c in row] for row in rows]],
                 colWidths=[WIDTH * w / total for w in widths], repeatRows=1, splitInRow=1, style=GRID)


def _chart(builder: Any, data: Any, width: float, height: float) -> Image:
    return Image(io.BytesIO(render_png(builder, data, width / 72, height / 72, 160)), width, height)


class _Doc(SimpleDocTemplate):
    def afterFlowable(self, flowable: Any) -> None:  # noqa: N802
        if isinstance(flowable, Paragraph) and flowable.style is H1:
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, 0)
            self.notify("TOCEntry", (0, flowable.getPlainText(), self.page, key))


def _page(canvas: Any, doc: Any) -> None:
    canvas.setFont(FONT, 7.4)
    canvas.drawString(20 * mm, 12 * mm, f"Page {doc.page}")


def _story(data: ReportData) -> list[Any]:
    e, s = data.engagement, data.score
    story: list[Any] = [_p(e.title, H1), _p(e.client, BODY), PageBreak(), TableOfContents(), PageBreak()]
    story += [_p("Executive summary", H1), _chart(build_gauge, GaugeData(
        score=s.overall, band=s.band, verdict=s.verdict, bands=s.bands, no_go_below=s.no_go_below,
        go_at_or_above=s.go_at_or_above), 78 * mm, 53 * mm), _p(f"{s.overall} / 100 {s.band} {s.verdict}", BODY),
        _table(["Ref", "Finding", "Severity", "Owner"], [[f.ref, f.title, f.severity, f.owner]
                                                         for f in data.findings[:8]], [1, 5, 1.2, 1.6]),
        PageBreak(), _p("Maturity scorecard", H1),
        _chart(build_radar, RadarData(labels=tuple(d.name for d in data.dimensions),
                                      current=tuple(d.level for d in data.dimensions),
                                      target=tuple(d.target for d in data.dimensions)), WIDTH * 0.82, WIDTH * 0.6),
        _table(["Dimension", "Weight", "Level", "Score", "Target"],
               [[d.name, d.weight, d.level, d.score, d.target] for d in data.dimensions], [3, 1, 2, 1, 2])]
    for d in data.dimensions:
        story += [PageBreak(), _p(d.name, H1), _p(d.justification, BODY),
                  _table(["Item", "Checklist item", "Answer", "Note"],
                         [[c.item_id, c.text, c.answer, c.note] for c in d.checklist], [1, 4.3, 1, 3.8])]
    by_dim: dict[str, dict[str, int]] = {}
    for f in data.findings:
        by_dim.setdefault(f.dimension or "Not tied", {}).setdefault(f.severity, 0)
        by_dim[f.dimension or "Not tied"][f.severity] += 1
    chart = FindingsData(by_severity={k: sum(v.get(k, 0) for v in by_dim.values())
                                      for k in ("Critical", "High", "Medium", "Low", "Info")}, by_dimension=by_dim)
    story += [PageBreak(), _p("Findings register", H1), _chart(build_findings_by_severity, chart, WIDTH * 0.46, 118),
              _chart(build_findings_by_dimension, chart, WIDTH, 200),
              _table(["Ref", "Finding, impact and recommendation", "Severity", "Status", "Effort"],
                     [[f.ref, f"{f.title}\n{f.dimension}\nFinding: {f.description}\nImpact: {f.impact}\n"
                       f"Recommendation: {f.recommendation}", f.severity, f"{f.status}\n{f.owner}\n{f.due_date}",
                       f"{f.effort_hours}\n{f.cost}"] for f in data.findings], [0.8, 5.6, 1.1, 1.4, 1.1])]
    story += [PageBreak(), _p("Model inventory", H1),
              _table(["Model", "Deployment", "Status", "Tier", "Latency", "Monitored", "Owner"],
                     [[f"{m.name} {m.version}\n{m.notes}", m.deployment, m.status, m.risk_tier,
                       f"{m.latency_ms} ms\n{m.throughput_rps} rps", m.monitored, f"{m.owner}\n{m.registry}"]
                      for m in data.models], [2.5, 1.3, 1.2, 0.9, 1.2, 1.1, 1.8])]
    story += [PageBreak(), _p("Risk assessment", H1),
              _chart(build_heatmap, HeatmapData.from_risks([(r.likelihood, r.impact) for r in data.risks]),
                     WIDTH * 0.62, WIDTH * 0.5),
              _table(["Ref", "Risk and mitigation", "Category", "L × I", "Score", "Owner"],
                     [[r.ref, f"{r.title}\nMitigation: {r.mitigation}", r.category, f"{r.likelihood} × {r.impact}",
                       r.score, f"{r.owner}\n{r.status}"] for r in data.risks], [0.7, 4.9, 1.4, 0.8, 0.7, 1.5])]
    story += [PageBreak(), _p("Cost matrix and budget", H1),
              _chart(build_cost_matrix, CostMatrixData(items=tuple((c.name, c.impact, c.effort, c.estimated_cost)
                                                                   for c in data.costs)), WIDTH * 0.8, WIDTH * 0.58),
              _table(["Item", "Kind", "Impact", "Effort", "Estimate"],
                     [[f"{c.name}\nNow: {c.current_state}\nTarget: {c.target}", c.kind, c.impact, c.effort,
                       c.estimated_cost] for c in data.costs], [5, 1.2, 0.9, 0.9, 1])]
    story += [PageBreak(), _p("Remediation roadmap", H1),
              _chart(build_timeline, TimelineData(items=tuple((r.phase, r.activity, r.start_date, r.end_date)
                                                              for r in data.roadmap)), WIDTH, WIDTH * 0.4),
              _table(["Phase", "Activity", "Dates", "Findings"],
                     [[r.phase, f"{r.activity}\nSuccess: {r.success_metric}", f"{r.start_date} – {r.end_date}",
                       ", ".join(r.finding_refs)] for r in data.roadmap], [1.7, 4.6, 1.4, 1.3])]
    m = data.matrices
    story += [PageBreak(), _p("Supporting matrices", H1),
              _table(["Requirement", "Regimes", "Status"], [[c.requirement, c.regimes, c.status]
                                                            for c in m.compliance], [4, 4, 1]),
              _table(["Tool", "Category", "Ring", "Rationale"], [[t.tool, t.category, t.ring, t.rationale]
                                                                 for t in m.tools], [2, 2, 1, 5]),
              _table(["Metric", "Category", "Threshold", "Current", "Status"],
                     [[x.metric, x.category, x.threshold, x.current, x.status] for x in m.monitoring], [3, 1, 2, 2, 1])]
    story += [PageBreak(), _p("Evidence index", H1),
              _table(["File", "Type", "Supports", "SHA-256"], [[f"{v.file_name}\n{v.description}", v.media_type,
                                                                ", ".join(v.links), v.sha256] for v in data.evidence],
                     [3.2, 1.5, 1.6, 3.3]),
              PageBreak(), _p("Audit trail", H1), _p(f"{data.trail.events} events, head {data.trail.head_hash}", BODY),
              PageBreak(), _p("Sign-off", H1),
              _table(["Role", "Name", "Scope", "Signed"], [[x.role, x.name, x.scope, x.signed_at]
                                                           for x in data.signoffs], [1, 2, 2, 2])]
    return story


def build(data: ReportData, target: Path | io.BytesIO) -> None:
    """Lay the report out with reportlab alone (two or more passes for the contents) and write it."""
    _fonts()
    doc = _Doc(target if isinstance(target, io.BytesIO) else str(target), pagesize=A4, leftMargin=20 * mm,
               rightMargin=20 * mm, topMargin=24 * mm, bottomMargin=22 * mm, initialFontName=FONT)
    doc.multiBuild(_story(data), onFirstPage=_page, onLaterPages=_page)
