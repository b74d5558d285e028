"""SQLModel tables of the workspace. Column names are the field names of the package format.

Records of an engagement carry a `uid` that is stable across export and import, so evidence
links, the audit trail and packages can name a record without the workspace's integer ids.
The audit trail is keyed by engagement uid, not by foreign key, so no cascade can erase it.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, LargeBinary, MetaData, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from workbench.store.columns import FINDING_FACTS
from workbench.store.row_version import ROW_VERSION as ROW_VERSION  # re-exported: the column every service names
from workbench.store.row_version import count_header_changes, versioned

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)


# The number in a finding or risk ref ("F-012" → 12, "R-07" → 7), indexed per engagement (migration
# 0004) so the next free ref is found without reading every ref. SQL must spell it exactly so.
REF_NUMBER = "CAST(substr(ref, 3) AS INTEGER)"
# columns.FINDING_FACTS, indexed (migration 0012) so the score's count of findings by kind reads the index alone
FINDING_FACTS_INDEX = Index("ix_finding_facts", *(text(fact) if "(" in fact else fact for fact in FINDING_FACTS))
# the same on a team server (PostgreSQL: migration 0004): NULL unless the ref ends in digits only, never overflowing
SERVER_REF_NUMBER = "(CASE WHEN substr(ref, 3) ~ '^[0-9]+$' THEN CAST(substr(ref, 3) AS NUMERIC) END)"


def ref_number(dialect: str) -> str:
    """The indexed number of a ref in this SQL dialect."""
    return SERVER_REF_NUMBER if dialect == "postgresql" else REF_NUMBER


def engagement_fk() -> Any:
    return Field(sa_column=Column(Integer, ForeignKey("engagement.id", ondelete="CASCADE"),
                                  nullable=False, index=True))


class Client(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(unique=True)
    name: str = Field(index=True)
    sector: str = ""
    contact_name: str = ""
    contact_email: str = ""


class Engagement(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    row_version: int
    row_version, __mapper_args__ = versioned(counted_by_app=True)
    uid: str = Field(unique=True)
    ref: str = Field(unique=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    title: str
    system_name: str = ""
    use_cases: str = ""
    ml_framework: str = ""
    lead_auditor: str = ""
    team: str = ""
    start_date: str | None = None
    end_date: str | None = None
    scope: str = ""
    status: str = "planning"
    target_level: int | None = None
    framework_id: str
    framework_version: str
    previous_uid: str | None = None
    created_at: str
    updated_at: str = Field(index=True)
    locked_at: str | None = None
    finalised_by: str | None = None
    archived: bool = False


count_header_changes(Engagement)


class FrameworkSnapshot(SQLModel, table=True):
    __tablename__ = "framework_snapshot"
    # which framework each engagement froze, read without its text (store.light.shared_snapshot_texts; 0012)
    __table_args__ = (Index("ix_framework_snapshot_digest", "engagement_id", "sha256"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(sa_column=Column(Integer, ForeignKey("engagement.id", ondelete="CASCADE"),
                                                nullable=False, unique=True))
    framework_id: str
    version: str
    sha256: str
    content: str


class FrameworkDefinition(SQLModel, table=True):
    """A framework imported by the auditor (built-in ones live in resources/frameworks/)."""

    __tablename__ = "framework_definition"
    __table_args__ = (UniqueConstraint("framework_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    framework_id: str = Field(index=True)
    version: str
    name: str
    sha256: str
    content: str
    source_file: str = ""
    imported_at: str


class Assessment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("engagement_id", "dimension_id"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = engagement_fk()
    row_version: int
    row_version, __mapper_args__ = versioned()
    dimension_id: str
    current_level: int | None = None
    target_level: int | None = None
    justification: str = ""


class ChecklistResponse(SQLModel, table=True):
    __tablename__ = "checklist_response"
    __table_args__ = (UniqueConstraint("engagement_id", "item_id"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = engagement_fk()
    row_version: int
    row_version, __mapper_args__ = versioned()
    item_id: str
    answer: str = "unanswered"
    note: str = ""
    target: str = ""  # graded items: the state the client should reach, on the item's scale
    priority: str | None = None  # graded items: high, medium or low


class HealthCheckAnswer(SQLModel, table=True):
    __tablename__ = "health_check_answer"
    __table_args__ = (UniqueConstraint("engagement_id", "question_id"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = engagement_fk()
    row_version: int
    row_version, __mapper_args__ = versioned()
    question_id: str
    answer: str = "unanswered"
    note: str = ""


class Finding(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("engagement_id", "uid"), UniqueConstraint("engagement_id", "ref"),
                      Index("ix_finding_ref_number", "engagement_id", text(REF_NUMBER)), FINDING_FACTS_INDEX)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = engagement_fk()
    row_version: int
    row_version, __mapper_args__ = versioned()
    uid: str
    ref: str
    title: str
    dimension_id: str = ""
    item_id: str = ""  # the checklist item (control) the finding is raised against, if any
    affected_assets: str = ""  # the models and systems it concerns, one per line (migration 0007)
    severity: str = Field(index=True)
    impact: str = ""
    description: str = ""
    recommendation: str = ""
    current_level: int | None = None
    recommended_level: int | None = None
    effort_hours: float | None = None
    cost_estimate: float | None = None
    currency: str = "EUR"
    owner: str = ""
    due_date: str | None = None
    status: str = "open"
    carried_forward: bool = False
    # migration 0006: who accepted the risk, why and when; what shows a resolved finding is resolved
    accepted_by: str = ""
    accepted_reason: str = ""
    accepted_at: str | None = None
    resolution_evidence: str = ""


class ModelAsset(SQLModel, table=True):
    __tablename__ = "model_asset"
    __table_args__ = (UniqueConstraint("engagement_id", "uid"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = engagement_fk()
    row_version: int
    row_version, __mapper_args__ = versioned()
    uid: str
    name: str
    version: str = ""
    deployment: str = "batch"
    latency_ms: float | None = None
    throughput_rps: float | None = None
    status: str = "production"
    last_updated: str | None = None
    owner: str = ""
    risk_tier: str = "medium"
    model_registry: str = ""
    monitored: bool = False
    notes: str = ""
    model_card: str = ""
    training_data: str = ""  # version or hash of the training data
    code_commit: str = ""
    approval: str = "not_recorded"
    approved_by: str = ""


class Risk(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("engagement_id", "uid"), UniqueConstraint("engagement_id", "ref"),
                      Index("ix_risk_ref_number", "engagement_id", text(REF_NUMBER)))
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = engagement_fk()
    row_version: int
    row_version, __mapper_args__ = versioned()
    uid: str
    ref: str
    title: str
    category: str = "technical"
    likelihood: int
    impact: int
    mitigation: str = ""
    owner: str = ""
    status: str = "open"
    carried_forward: bool = False  # brought over from the earlier engagement by a re-audit


class CostItem(SQLModel, table=True):
    __tablename__ = "cost_item"
    __table_args__ = (UniqueConstraint("engagement_id", "uid"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = engagement_fk()
    row_version: int
    row_version, __mapper_args__ = versioned()
    uid: str
    kind: str
    name: str
    impact: str = "medium"
    effort: str = "medium"
    current_state: str = ""
    target: str = ""
    estimated_cost: float | None = None
    currency: str = "EUR"
    fte: float | None = None
    duration_weeks: float | None = None
    carried_forward: bool = False


class RoadmapItem(SQLModel, table=True):
    __tablename__ = "roadmap_item"
    __table_args__ = (UniqueConstraint("engagement_id", "uid"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = engagement_fk()
    row_version: int
    row_version, __mapper_args__ = versioned()
    uid: str
    phase: str
    activity: str
    success_metric: str = ""
    start_date: str | None = None
    end_date: str | None = None
    finding_refs: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    carried_forward: bool = False


class MatrixRow(SQLModel, table=True):
    __tablename__ = "matrix_row"
    __table_args__ = (UniqueConstraint("engagement_id", "uid"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = engagement_fk()
    row_version: int
    row_version, __mapper_args__ = versioned()
    uid: str
    kind: str = Field(index=True)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    carried_forward: bool = False


class EvidenceBlob(SQLModel, table=True):
    """File content, stored once per workspace whatever the number of engagements citing it."""

    __tablename__ = "evidence_blob"
    sha256: str = Field(primary_key=True)
    size: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Evidence(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("engagement_id", "uid"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = engagement_fk()
    row_version: int
    row_version, __mapper_args__ = versioned()
    uid: str
    sha256: str = Field(foreign_key="evidence_blob.sha256", index=True)
    file_name: str
    media_type: str = "application/octet-stream"
    size: int = 0
    captured_at: str | None = None
    description: str = ""


class EvidenceLink(SQLModel, table=True):
    __tablename__ = "evidence_link"
    __table_args__ = (UniqueConstraint("engagement_id", "uid"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = engagement_fk()
    uid: str
    evidence_uid: str = Field(index=True)
    target_kind: str
    target_key: str


class Signoff(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("engagement_id", "uid"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = engagement_fk()
    row_version: int
    row_version, __mapper_args__ = versioned()
    uid: str
    role: str
    name: str
    scope: str = ""
    signed_at: str | None = None
    note: str = ""
    identity_id: str = ""  # the signing identity's id (16 hex digits); "" on sign-offs given before identities
    fingerprint: str = ""  # SHA-256 of the identity's certificate


class ReviewNote(SQLModel, table=True):
    """A reviewer's question on the engagement, a dimension, a checklist item or a record.

    target_key is the record's uid (or the dimension / checklist item id; empty for the
    engagement itself), so a note keeps pointing at its record across export and import.
    """

    __tablename__ = "review_note"
    __table_args__ = (UniqueConstraint("engagement_id", "uid"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = engagement_fk()
    row_version: int
    row_version, __mapper_args__ = versioned()
    uid: str
    target_kind: str
    target_key: str = ""
    text: str
    status: str = "open"
    raised_by: str
    raised_at: str | None = None
    answer: str = ""
    answered_by: str = ""
    answered_at: str | None = None
    closed_at: str | None = None


class EngagementCheckout(SQLModel, table=True):
    """An engagement checked out of a team server for offline fieldwork (services/checkout.py; migration 0013).

    On the server (kind "out") the row marks its copy checked out: every change to it is refused until the laptop
    checks it in or a reviewer releases it. On the laptop (kind "fieldwork") it says where the copy came from.
    Not part of the engagement's records: the audit trail says the same with its checkout/checkin events."""

    __tablename__ = "engagement_checkout"
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(sa_column=Column(Integer, ForeignKey("engagement.id", ondelete="CASCADE"),
                                                nullable=False, unique=True))
    kind: str  # "out": this copy is checked out to a laptop; "fieldwork": this is the laptop's checked-out copy
    holder: str  # the auditor (the signing identity's name) who checked it out
    identity_id: str  # that identity's id: only it checks the engagement in
    place: str  # on the server: the laptop's workspace (computer: file); on the laptop: the server's location
    since: str
    branch: str  # the hand-out's branch id (services.fieldwork)


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    __table_args__ = (UniqueConstraint("engagement_uid", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_uid: str = Field(index=True)
    seq: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    prev_hash: str
    hash: str
    # an event merged in from another laptop's branch: {"branch", "seq", "prev_hash", "hash"} it had there
    # (migration 0011; None for an event recorded in this line of the trail)
    origin: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))


class ChartImage(SQLModel, table=True):
    """Report chart bitmaps keyed by a hash of chart code and data (store/chart_cache.py); derived, no trail."""

    __tablename__ = "chart_image"
    key: str = Field(primary_key=True)
    width: int
    height: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    used_at: str = Field(index=True)


# Record kinds of an engagement, in package (engagement.json) order, with their table and key.
# "key" is the field that names a record within its engagement.
RECORD_TABLES: dict[str, tuple[type[SQLModel], str]] = {
    "assessment": (Assessment, "dimension_id"),
    "checklist": (ChecklistResponse, "item_id"),
    "health_check": (HealthCheckAnswer, "question_id"),
    "finding": (Finding, "uid"),
    "model": (ModelAsset, "uid"),
    "risk": (Risk, "uid"),
    "cost": (CostItem, "uid"),
    "roadmap": (RoadmapItem, "uid"),
    "matrix": (MatrixRow, "uid"),
    "evidence": (Evidence, "uid"),
    "evidence_link": (EvidenceLink, "uid"),
    "signoff": (Signoff, "uid"),
    "review_note": (ReviewNote, "uid"),
}

INTERNAL_COLUMNS = frozenset({"id", "engagement_id", "client_id", ROW_VERSION})
# the kinds whose tables carry ROW_VERSION (migrations 0014 and 0015): the engagement (its header) and the records an
# auditor edits; evidence links are only added and removed
VERSIONED_KINDS = ("engagement", "assessment", "checklist", "health_check", "finding", "model", "risk", "cost",
                   "roadmap", "matrix", "evidence", "signoff", "review_note")


def column_defaults(kind: str) -> dict[str, Any]:
    """Each column's default for a record kind ({} for kinds without a table here).

    A record written before a column was added (an audit event, an older package) lacks its key;
    that record held the default, which the migration adding the column gave every existing row.
    """
    if kind not in RECORD_TABLES:
        return {}
    defaults: dict[str, Any] = {}
    for name, info in RECORD_TABLES[kind][0].model_fields.items():
        if name in INTERNAL_COLUMNS or info.is_required():
            continue
        defaults[name] = info.default_factory() if info.default_factory is not None else info.default  # type: ignore[call-arg]
    return defaults


class _Stored(Protocol):
    id: int | None


def stored_id(row: _Stored) -> int:
    """The primary key of a row read from, or flushed to, the workspace (SQLModel types it `int | None`)."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has not been written to the workspace yet")
    return row.id


def row_to_dict(row: SQLModel) -> dict[str, Any]:
    """The record as the package and the audit trail see it: no workspace-internal ids."""
    return {key: value for key, value in row.model_dump().items() if key not in INTERNAL_COLUMNS}
