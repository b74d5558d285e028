"""The go-live readiness sections (seed 003) and the report's document control, as matrix tabs.

Each kind is one more MatrixSpec for the shared MatrixTab: the columns of domain/matrices.COLUMNS, with
choice columns labelled and coloured like the rest of the app.
"""

from __future__ import annotations

from workbench.charts.palette import OKABE_ITO
from workbench.domain.fields import Field
from workbench.domain.matrices import (
    GOLIVE_AREAS,
    HORIZONS,
    ITEM_STATUS,
    PRIORITIES,
    READINESS_STATUS,
    RISK_LEVELS,
    TEST_OUTCOMES,
)
from workbench.ui.pages.matrix_tables import Choices, MatrixSpec

GOOD, FAIR, POOR = OKABE_ITO["bluish_green"], OKABE_ITO["orange"], OKABE_ITO["vermillion"]

OUTCOME_CHOICES: Choices = (("Tested and working", "passed"), ("Tested with cautions", "caution"),
                            ("Not tested", "not_tested"))
STATUS_CHOICES: Choices = tuple((value.capitalize(), value) for value in READINESS_STATUS)
RISK_CHOICES: Choices = tuple((value.capitalize(), value) for value in RISK_LEVELS)
PRIORITY_CHOICES: Choices = (("Must complete", "must"), ("Should complete before full rollout", "should"),
                             ("Nice to have", "nice"))
ITEM_CHOICES: Choices = tuple((value.capitalize(), value) for value in ITEM_STATUS)
AREA_CHOICES: Choices = tuple((value.capitalize(), value) for value in GOLIVE_AREAS)
HORIZON_CHOICES: Choices = (("Day 1", "day1"), ("Week 1", "week1"), ("Month 1", "month1"))
assert [v for _l, v in HORIZON_CHOICES] == list(HORIZONS) and [v for _l, v in PRIORITY_CHOICES] == list(PRIORITIES)
assert [v for _l, v in OUTCOME_CHOICES] == list(TEST_OUTCOMES)

READINESS_SPECS: dict[str, MatrixSpec] = {
    "strength": MatrixSpec(
        kind="strength", title="Working well", noun="strength", plural="strengths", name_key="area",
        leading=(Field("area", required=True, label="What works"), Field("note", "longtext")), stretch="note",
        new_data=lambda _n: {"area": "New strength", "note": ""},
        empty_text="Nothing recorded as working well yet. Add what the client does right: it opens the "
                   "executive summary."),
    "test": MatrixSpec(
        kind="test", title="Test results", noun="test", plural="tests", name_key="test",
        leading=(Field("test", required=True), Field("outcome", "choice"), Field("note", "longtext")),
        choices={"outcome": OUTCOME_CHOICES}, colours={"outcome": {"passed": GOOD, "caution": FAIR,
                                                                   "not_tested": POOR}},
        stretch="note", summary="outcome", summary_plural="outcomes",
        new_data=lambda _n: {"test": "New test", "outcome": "passed", "note": ""},
        empty_text="No test results yet. Record what was tested and working, tested with cautions, or not tested."),
    "readiness": MatrixSpec(
        kind="readiness", title="Readiness matrix", noun="area", plural="areas", name_key="area",
        leading=(Field("area", required=True), Field("score", "float", minimum=0, maximum=100, label="Score (%)"),
                 Field("status", "choice"), Field("risk", "choice"), Field("note", "longtext")),
        choices={"status": STATUS_CHOICES, "risk": RISK_CHOICES},
        colours={"status": {"good": GOOD, "fair": FAIR, "partial": FAIR, "limited": FAIR, "poor": POOR},
                 "risk": {"low": GOOD, "medium": FAIR, "high": POOR}},
        stretch="note", summary="risk", summary_plural="risks",
        new_data=lambda _n: {"area": "New area", "score": None, "status": "fair", "risk": "medium", "note": ""},
        empty_text="No readiness areas yet. Score each area of production readiness (features, security, "
                   "observability…) with its status and risk."),
    "checklist": MatrixSpec(
        kind="checklist", title="Pre-production checklist", noun="item", plural="items", name_key="item",
        leading=(Field("item", required=True), Field("priority", "choice"), Field("status", "choice"),
                 Field("owner")),
        choices={"priority": PRIORITY_CHOICES, "status": ITEM_CHOICES},
        colours={"status": {"done": GOOD, "open": FAIR}}, stretch="item", summary="priority",
        summary_plural="priorities",
        new_data=lambda _n: {"item": "New item", "priority": "must", "status": "open", "owner": ""},
        empty_text="No checklist items yet. List what must, should or would be nice to complete before "
                   "production."),
    "restriction": MatrixSpec(
        kind="restriction", title="Deployment restrictions", noun="restriction", plural="restrictions",
        name_key="restriction", leading=(Field("restriction", required=True), Field("note", "longtext")),
        stretch="restriction", new_data=lambda _n: {"restriction": "New restriction", "note": ""},
        empty_text="No deployment restrictions yet. Add the limits a conditional go-live comes with."),
    "golive": MatrixSpec(
        kind="golive", title="Before going live", noun="item", plural="items", name_key="item",
        leading=(Field("item", required=True), Field("area", "choice"), Field("status", "choice")),
        choices={"area": AREA_CHOICES, "status": ITEM_CHOICES}, colours={"status": {"done": GOOD, "open": FAIR}},
        stretch="item", summary="area", summary_plural="areas",
        new_data=lambda _n: {"item": "New item", "area": "documentation", "status": "open"},
        empty_text="Nothing to prepare yet. Add the documentation, training and communication needed before "
                   "going live."),
    "success": MatrixSpec(
        kind="success", title="Success criteria", noun="criterion", plural="criteria", name_key="criterion",
        leading=(Field("criterion", required=True), Field("horizon", "choice")),
        choices={"horizon": HORIZON_CHOICES}, stretch="criterion", summary="horizon", summary_plural="horizons",
        new_data=lambda _n: {"criterion": "New criterion", "horizon": "day1"},
        empty_text="No success criteria yet. Say what must hold on day 1, after a week and after a month."),
    "question": MatrixSpec(
        kind="question", title="Open questions", noun="question", plural="questions", name_key="question",
        leading=(Field("topic"), Field("question", "longtext", required=True), Field("answer", "longtext")),
        stretch="question", new_data=lambda _n: {"topic": "", "question": "New question", "answer": ""},
        empty_text="No open questions yet. Add what the client's architecture review must decide."),
}

DOCUMENT_SPECS: dict[str, MatrixSpec] = {
    "version": MatrixSpec(
        kind="version", title="Version history", noun="version", plural="versions", name_key="version",
        leading=(Field("version", required=True), Field("date"), Field("author"), Field("change", "longtext")),
        stretch="change", new_data=lambda _n: {"version": "0.1", "date": "", "author": "", "change": ""},
        empty_text="No versions yet. Each issue of the report gets a line: version, date, author, what changed."),
    "distribution": MatrixSpec(
        kind="distribution", title="Distribution list", noun="recipient", plural="recipients", name_key="name",
        leading=(Field("name", required=True), Field("organisation"), Field("purpose")), stretch="purpose",
        new_data=lambda _n: {"name": "New recipient", "organisation": "", "purpose": ""},
        empty_text="No recipients yet. List who receives the report, and why."),
}
