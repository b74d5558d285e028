"""Overview: engagement details, score, band, verdict, radar and what blocks finalisation."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.charts.gauge import GaugeData, build_gauge
from workbench.charts.radar import RadarData, build_radar, spoke_codes
from workbench.domain.coverage import Coverage
from workbench.domain.fields import fields_of
from workbench.services.engagements import update_client, update_engagement
from workbench.ui.blocker_list import BlockerList
from workbench.ui.chart_widget import ChartCanvas
from workbench.ui.record_form import RecordForm
from workbench.ui.session import EngagementSession

ENGAGEMENT_FIELDS = ("title", "system_name", "use_cases", "ml_framework", "lead_auditor", "team", "start_date",
                     "end_date", "scope", "status", "target_level")


class OverviewPage(QWidget):
    def __init__(self, session: EngagementSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_overview")
        self.session = session
        fields = {f.name: f for f in fields_of("engagement")}
        status_choices = [(label, value) for label, value in
                          (("Planning", "planning"), ("Fieldwork", "fieldwork"), ("Review", "review"))]
        self.details = RecordForm([fields[name] for name in ENGAGEMENT_FIELDS], choices={"status": status_choices})
        self.details.setObjectName("engagementDetails")
        self.details.edited.connect(self._edit_engagement)
        self.client = RecordForm(list(fields_of("client")))
        self.client.setObjectName("clientDetails")
        self.client.edited.connect(self._edit_client)
        for form in (self.details, self.client):  # the page scrolls as a whole; no small scroll areas inside it
            for text in form.findChildren(QPlainTextEdit):
                text.setMaximumHeight(text.fontMetrics().lineSpacing() * 5 + 12)
            form.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            inner = form.widget()
            if inner is not None:
                form.setMinimumHeight(inner.sizeHint().height() + 2 * form.frameWidth())

        self.score_label = QLabel()
        self.score_label.setObjectName("scoreLabel")
        self.score_label.setWordWrap(True)
        self.score_label.setTextFormat(Qt.TextFormat.RichText)
        self.gauge = ChartCanvas(build_gauge, min_height=180)
        self.radar = ChartCanvas(build_radar, min_height=300)
        self.blockers = BlockerList(session)

        score_box = QGroupBox("Score")
        score_layout = QVBoxLayout(score_box)
        score_layout.addWidget(self.gauge)
        score_layout.addWidget(self.score_label)
        radar_box = QGroupBox("Maturity: current and target")
        QVBoxLayout(radar_box).addWidget(self.radar)
        blockers_box = QGroupBox("Before the engagement can be finalised")
        QVBoxLayout(blockers_box).addWidget(self.blockers)
        self.framework_label = QLabel(framework_line(session.framework.name, session.framework.version,
                                                     session.framework.raw.get("provenance")))
        self.framework_label.setObjectName("frameworkLine")
        self.framework_label.setWordWrap(True)
        self.framework_label.setTextFormat(Qt.TextFormat.RichText)
        details_box = QGroupBox("Engagement")
        details_layout = QVBoxLayout(details_box)
        details_layout.addWidget(self.framework_label)  # fixed when the engagement started: not a form field
        details_layout.addWidget(self.details)
        client_box = QGroupBox("Client")
        QVBoxLayout(client_box).addWidget(self.client)

        body = QWidget()
        grid = QGridLayout(body)
        grid.addWidget(score_box, 0, 0)
        grid.addWidget(radar_box, 0, 1)
        grid.addWidget(blockers_box, 1, 0, 1, 2)
        grid.addWidget(details_box, 2, 0)
        grid.addWidget(client_box, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.scroll_area = scroll = QScrollArea()
        scroll.setObjectName("overviewScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # chosen from the keyboard: arrows and Page Down read on
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        session.changed.connect(lambda _kinds: self.refresh())
        self.refresh()

    def focus_target(self) -> QWidget:
        return self.scroll_area

    def refresh(self) -> None:
        s = self.session
        card = s.score
        engagement, client = s.document["engagement"], s.document["client"]
        read_only = s.locked
        self.details.set_record(engagement, f"{engagement['ref']} · uid {engagement['uid']}", read_only)
        self.client.set_record(client, client["name"], read_only)
        if card.overall is None:
            text = "<b>Not scored yet</b>: set the level of at least one dimension on the Assessment step."
        else:
            reasons = "".join(f"<li>{_escape(r)}</li>" for r in card.verdict_reasons)
            provisional = (f"<br><b>PROVISIONAL</b> <i>({_escape(card.provisional_text)})</i>"
                           if card.provisional else "")
            text = (f"<span style='font-size:18pt'><b>{card.shown:g}</b> / {card.out_of:g}</span> · "
                    f"<b>{card.band}</b> · verdict <b>{card.verdict}</b>{provisional}<ul>{reasons}</ul>")
        self.score_label.setText(text + coverage_html(s.progress.coverage))
        bands = tuple((b.name, b.minimum, b.maximum) for b in s.framework.bands)
        self.gauge.show_data(GaugeData(card.overall, card.band, card.verdict, bands, s.framework.no_go_below,
                                       s.framework.go_at_or_above, out_of=card.out_of))
        radar = RadarData(tuple(d.name for d in card.dimensions), tuple(d.level for d in card.dimensions),
                          tuple(d.target for d in card.dimensions),
                          codes=spoke_codes([d.dimension_id for d in card.dimensions]))
        self.radar.show_data(radar)
        self.radar.setToolTip("\n".join(f"{code}  {name}" for code, name in zip(radar.codes, radar.labels,
                                                                                  strict=True))
                              if radar.uses_codes else "")
        self.blockers.show_blockers(() if s.locked else s.progress.blockers,
                                    "Finalised." if s.locked else "Nothing blocks finalisation.")

    def _edit_engagement(self, name: str, value: Any) -> None:
        old = self.session.document["engagement"].get(name)
        ws, uid = self.session.ws, self.session.uid

        def put(held: Any) -> None:  # based on the header shown: one changed meanwhile is refused and reloaded
            update_engagement(ws, uid, {name: held}, seen_version=self.session.version_of(
                "engagement", self.session.document["engagement"]["uid"]))

        self.session.apply(f"Edit {name.replace('_', ' ')}", lambda: put(value), lambda: put(old), {"engagement"})

    def _edit_client(self, name: str, value: Any) -> None:
        old = self.session.document["client"].get(name)
        ws, uid = self.session.ws, self.session.uid
        self.session.apply(f"Edit client {name.replace('_', ' ')}", lambda: update_client(ws, uid, {name: value}),
                           lambda: update_client(ws, uid, {name: old}), {"engagement"})


def coverage_html(coverage: Coverage | None) -> str:
    """'Coverage: 18 of 71 checklist items, 4 of 5 health-check questions · 6 of 8 dimensions assessed · …'."""
    if coverage is None:
        return ""
    parts = [coverage.sentence(), f"{coverage.assessed.text('dimension')} assessed",
             f"{coverage.signoffs.text('sign-off')} given"]
    return f"<p>Coverage: {_escape(' · '.join(parts))}</p>"


def _escape(text: str) -> str:
    from html import escape

    return escape(text)


def framework_line(name: str, version: str, provenance: object) -> str:
    """The framework an engagement was started from, and for an imported one the file it came from."""
    line = f"Framework: <b>{_escape(name)}</b> {_escape(version)}"
    if isinstance(provenance, dict) and provenance.get("file"):
        line += f" · imported from {_escape(str(provenance['file']))}"
    return line
