"""What a report shows, as plain frozen data: no ORM objects, no sessions, nothing to look up later.

services/deliverables.py gathers a ReportData from the workspace; the sections only read it. Text fields
hold exactly what the user typed (the sections escape it through text.markup); numbers are numbers and
dates ISO strings or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.errors import ValidationError
from workbench.domain.guidance import Guidance
from workbench.domain.scoring import on_scale
from workbench.reports.readiness_data import Definitions, DocumentControl, Readiness

DEFAULT_ACCENT = "#1F3A5F"
DEFAULT_CLASSIFICATION = "CONFIDENTIAL — prepared for {client}"
DEFAULT_NOTICE = (
    "This report was prepared for {client} alone and for the purpose set out in its scope. It reflects the "
    "systems, documents and interviews the audit team examined during the audit period, and the state of "
    "things on those dates; conditions change, and later changes are not covered. The audit relied on the "
    "information {client} provided being complete and accurate. Findings describe weaknesses observed, not "
    "every weakness that may exist, and the report gives no assurance on matters outside its scope. It may "
    "not be passed to third parties, in whole or in part, without the written consent of the authors.")
DEFAULT_METHODOLOGY = (
    "The engagement follows the assessment framework named on the cover. For every dimension the team "
    "answered the framework's checklist from evidence (documents, configuration, logs, test runs and "
    "interviews), rated the current maturity level from 1 to 5 against the level descriptors, and agreed a "
    "target level with {client}. Each dimension score is 20 points per level; the overall score is the "
    "weighted mean of the assessed dimensions. Weaknesses are recorded as findings with a severity, the "
    "impact, a recommendation, an owner and an effort estimate, and they feed the risk register, the cost "
    "matrix and the remediation roadmap. Every change to the engagement was written to a hash-chained audit "
    "trail, and every evidence file is identified by its SHA-256 digest.")
_HEX = re.compile(r"^#?[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Branding:
    """The audit firm's look: name, optional logo (PNG/JPEG), accent colour and classification line.

    `classification` may name the client as ``{client}``. `firm_name` "" leaves the firm off the cover and
    header (never the tool's name in its place); `author` is the PDF's /Author (the signing identity), and
    falls back to the firm, then to the engagement's lead auditor.
    """

    firm_name: str = ""
    logo_path: Path | None = None
    accent_hex: str = DEFAULT_ACCENT
    classification: str = DEFAULT_CLASSIFICATION
    author: str = ""
    important_notice: str = DEFAULT_NOTICE  # firm-wide text; {client} names the client
    methodology: str = DEFAULT_METHODOLOGY

    def __post_init__(self) -> None:
        if not _HEX.match(self.accent_hex or ""):
            raise ValidationError(f"accent colour: '{self.accent_hex}' is not a colour like #1F3A5F")

    @property
    def accent(self) -> str:
        value = self.accent_hex if self.accent_hex.startswith("#") else f"#{self.accent_hex}"
        return value.upper()

    def classification_for(self, client: str) -> str:
        return (self.classification or "").replace("{client}", client)

    def notice_for(self, client: str) -> str:
        return (self.important_notice or "").replace("{client}", client)

    def methodology_for(self, client: str) -> str:
        return (self.methodology or "").replace("{client}", client)


@dataclass(frozen=True)
class EngagementInfo:
    uid: str
    ref: str
    title: str
    client: str
    client_sector: str
    client_contact: str
    system_name: str
    use_cases: str
    ml_framework: str
    lead_auditor: str
    team: str
    start_date: str | None
    end_date: str | None
    scope: str
    status: str
    final: bool
    locked_at: str | None
    finalised_by: str | None
    framework_name: str
    framework_version: str
    target_level: int | None
    previous_ref: str | None = None
    framework_source: str = ""  # provenance of an imported framework (catalogs.provenance), "" for built-in


@dataclass(frozen=True)
class ScoreInfo:
    overall: float | None
    band: str | None
    verdict: str | None
    provisional: bool
    reasons: tuple[str, ...]
    bands: tuple[tuple[str, float, float], ...]
    no_go_below: float
    go_at_or_above: float
    points_per_level: float
    out_of: float = 100.0  # the overall score is shown out of this (5 for a template scored out of 5)
    provisional_reasons: tuple[str, ...] = ()  # why the score is provisional (coverage, unassessed dimensions)

    @property
    def shown(self) -> float | None:
        """The overall score on the framework's own scale."""
        return None if self.overall is None else on_scale(self.overall, self.out_of)


@dataclass(frozen=True)
class ChecklistRow:
    item_id: str
    text: str
    answer: str  # a value of the item's scale (yes | partial | no, or a graded option) | na | unanswered
    note: str
    label: str = ""  # the answer as its scale names it ("Basic", "Not applicable")
    score: float | None = None  # its declared score, 0 to 1 (None: n/a, unanswered or unscored)
    graded: bool = False
    target: str = ""  # graded items: the target state's label
    priority: str = ""  # graded items: high | medium | low | ""
    gap: int | None = None  # graded items: steps from the answer to the target


@dataclass(frozen=True)
class DimensionInfo:
    id: str
    name: str
    weight: float
    description: str
    level: int | None
    level_name: str
    level_descriptor: str
    target: int | None
    target_name: str
    score: float | None
    gap: int | None
    justification: str
    checklist: tuple[ChecklistRow, ...] = ()
    attainment: float | None = None  # mean declared score of the answered checklist items, 0 to 1


@dataclass(frozen=True)
class FindingRow:
    ref: str
    title: str
    dimension_id: str
    dimension: str
    severity: str
    impact: str
    description: str
    recommendation: str
    current_level: int | None
    recommended_level: int | None
    effort_hours: float | None
    cost: int | None  # hours ÷ 8 × the engagement's day rate, rounded (services/cost_rollup.py)
    currency: str  # the engagement's one currency, never a per-finding one
    owner: str
    due_date: str | None
    status: str
    carried_forward: bool = False
    item_id: str = ""  # the checklist item (control) it was raised against
    item_text: str = ""
    affected_assets: tuple[str, ...] = ()  # models and systems, one per entry
    evidence: tuple[str, ...] = ()  # evidence files supporting it ("E3 load-test.csv"), from the evidence links

    @property
    def is_open(self) -> bool:
        return self.status in ("open", "in_remediation")


@dataclass(frozen=True)
class ModelRow:
    name: str
    version: str
    deployment: str
    latency_ms: float | None
    throughput_rps: float | None
    status: str
    last_updated: str | None
    owner: str
    risk_tier: str
    registry: str
    monitored: bool
    notes: str
    lineage: tuple[tuple[str, str], ...] = ()  # (what, value) of the lineage recorded: card, data, commit, approval


@dataclass(frozen=True)
class RiskRow:
    ref: str
    title: str
    category: str
    likelihood: int
    impact: int
    mitigation: str
    owner: str
    status: str

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


@dataclass(frozen=True)
class CostRow:
    kind: str
    name: str
    impact: str
    effort: str
    current_state: str
    target: str
    estimated_cost: float | None
    currency: str
    fte: float | None
    duration_weeks: float | None


@dataclass(frozen=True)
class EffortLine:
    """Remediation effort of one severity (or "Total"), rolled up from the findings."""

    label: str
    findings: int
    hours: float
    days: float
    cost: int  # the sum of the findings' rounded costs (equals the register's rows)
    unestimated: int


@dataclass(frozen=True)
class MoneyTotal:
    currency: str
    items: int
    total: float
    unpriced: int


@dataclass(frozen=True)
class RoadmapRow:
    phase: str
    activity: str
    success_metric: str
    start_date: str | None
    end_date: str | None
    finding_refs: tuple[str, ...]
    effort_hours: float  # of the linked findings


@dataclass(frozen=True)
class ComplianceRow:
    requirement: str
    regimes: tuple[tuple[str, str], ...]
    status: str
    note: str


@dataclass(frozen=True)
class PlatformRow:
    criterion: str
    weight: float
    scores: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class ToolRow:
    tool: str
    category: str
    ring: str
    rationale: str
    pros: str = ""  # one a line
    cons: str = ""
    licence_cost: str = ""
    infrastructure_cost: str = ""
    operations_cost: str = ""


@dataclass(frozen=True)
class MonitoringRow:
    metric: str
    category: str
    threshold: str
    current: str
    alerting: str
    status: str


@dataclass(frozen=True)
class Matrices:
    compliance: tuple[ComplianceRow, ...] = ()
    platform: tuple[PlatformRow, ...] = ()
    platform_totals: tuple[tuple[str, float], ...] = ()
    tools: tuple[ToolRow, ...] = ()
    monitoring: tuple[MonitoringRow, ...] = ()


@dataclass(frozen=True)
class EvidenceRow:
    file_name: str
    media_type: str
    size: int
    captured_at: str | None
    description: str
    sha256: str
    links: tuple[str, ...]  # what it supports: "F-001", "DEP-01", "R-06", a model name


@dataclass(frozen=True)
class TrailInfo:
    events: int
    first_at: str | None
    last_at: str | None
    head_hash: str
    ok: bool
    problem: str
    actors: tuple[str, ...]
    actions: tuple[tuple[str, int], ...]  # action → count, most frequent first
    attestations: int = 0  # attestation events in the trail
    attested_through: int = 0  # the last event a trusted attestation covers (0: none)
    attested_by: tuple[str, ...] = ()  # who made the trusted attestations
    imported_after: bool = False  # the events after attested_through only record its import into this workspace
    untrusted_imports: tuple[str, ...] = ()  # why each package it came in was untrusted ("is not signed")


@dataclass(frozen=True)
class SignoffRow:
    role: str
    name: str
    scope: str  # in words: "Engagement", "Dimension DP · Data Pipeline", "Section Findings"
    signed_at: str | None
    note: str
    overall: bool = True  # signs the engagement as a whole (not one dimension or section)


@dataclass(frozen=True)
class HealthRow:
    question: str
    answer: str
    note: str


@dataclass(frozen=True)
class ProgressInfo:
    """A re-audit's comparison with the earlier engagement; `available` False when it is not in the workspace."""

    previous_ref: str
    previous_title: str
    available: bool
    dimensions: tuple[str, ...] = ()
    previous_levels: tuple[int | None, ...] = ()
    current_levels: tuple[int | None, ...] = ()
    previous_score: float | None = None
    current_score: float | None = None
    previous_findings: int = 0
    resolved_since: int = 0
    carried_forward: int = 0


@dataclass(frozen=True)
class ReportData:
    engagement: EngagementInfo
    score: ScoreInfo
    dimensions: tuple[DimensionInfo, ...]
    findings: tuple[FindingRow, ...]
    models: tuple[ModelRow, ...]
    risks: tuple[RiskRow, ...]
    costs: tuple[CostRow, ...]
    effort_open: tuple[EffortLine, ...]  # per severity, then the total, open findings only
    effort_currency: str
    day_rate: float
    budget_totals: tuple[MoneyTotal, ...]
    roadmap: tuple[RoadmapRow, ...]
    matrices: Matrices
    evidence: tuple[EvidenceRow, ...]
    trail: TrailInfo
    signoffs: tuple[SignoffRow, ...]
    health: tuple[HealthRow, ...]
    blockers: tuple[str, ...]
    generated_at: str  # ISO date-time of rendering
    progress: ProgressInfo | None = None
    max_level: int = 5
    same_person_review: bool = False  # one person signed off as preparer and as reviewer (one-person practice)
    readiness: Readiness = Readiness()
    document: DocumentControl = DocumentControl()
    definitions: Definitions = Definitions()
    guidance: Guidance | None = None  # the framework source's guidance: the full report's appendix
    coverage: str = ""  # "71 of 71 checklist items, 5 of 5 health-check questions" (domain.coverage)
    roadmap_note: str = ""  # the roadmap's hours against the cost roll-up, in words (services.cost_rollup)
