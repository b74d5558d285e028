"""Closed vocabularies of the data model, with tolerant parsing of what humans type."""

from __future__ import annotations

from enum import StrEnum
from typing import Self, cast

from workbench.domain.errors import ValidationError


class Choice(StrEnum):
    """A StrEnum that parses labels case- and separator-insensitively ("Risk accepted")."""

    @classmethod
    def parse(cls, raw: object, field: str = "value") -> Self:
        exact = cls._value2member_map_.get(raw) if isinstance(raw, str) else None
        if exact is not None:  # the stored spelling, by far the most common: one dict lookup
            return cast(Self, exact)
        text = str(raw).strip().lower().replace("-", "_").replace(" ", "_")
        for member in cls:
            label = member.label.strip().lower().replace("-", "_").replace(" ", "_")
            if text in (member.value.lower(), member.name.lower(), label):
                return member
        allowed = ", ".join(m.value for m in cls)
        raise ValidationError(f"{field}: '{raw}' is not one of {allowed}")

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Severity(Choice):
    CRITICAL = "Critical"
    HIGH = "High"
    MEDIUM = "Medium"
    LOW = "Low"
    INFO = "Info"

    @property
    def rank(self) -> int:
        """0 for Critical ... 4 for Info: sorts most severe first."""
        return list(Severity).index(self)

    @property
    def label(self) -> str:
        return self.value


class FindingStatus(Choice):
    OPEN = "open"
    IN_REMEDIATION = "in_remediation"
    RESOLVED = "resolved"
    RISK_ACCEPTED = "risk_accepted"

    @property
    def is_open(self) -> bool:
        return self in (FindingStatus.OPEN, FindingStatus.IN_REMEDIATION)


class Answer(Choice):
    YES = "yes"
    PARTIAL = "partial"
    NO = "no"
    NA = "na"
    UNANSWERED = "unanswered"

    @classmethod
    def parse(cls, raw: object, field: str = "answer") -> Self:
        text = str(raw).strip().lower()
        if text in ("n/a", "not applicable", "not_applicable"):
            return cls.NA
        return super().parse(raw, field)


class HealthAnswer(Choice):
    YES = "yes"
    NO = "no"
    UNANSWERED = "unanswered"


class EngagementStatus(Choice):
    PLANNING = "planning"
    FIELDWORK = "fieldwork"
    REVIEW = "review"
    FINAL = "final"


class Deployment(Choice):
    BATCH = "batch"
    REST = "rest"
    STREAMING = "streaming"
    EDGE = "edge"
    EMBEDDED = "embedded"

    @property
    def label(self) -> str:
        return "REST API" if self is Deployment.REST else self.value.capitalize()


class ModelStatus(Choice):
    PRODUCTION = "production"
    STAGING = "staging"
    DEVELOPMENT = "development"
    RETIRED = "retired"


class Rating(Choice):
    """Three-step rating used for risk tiers and for cost impact and effort."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Approval(Choice):
    """Whether a model's release was formally approved, as the registry or the release record shows."""

    NOT_RECORDED = "not_recorded"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class RiskCategory(Choice):
    TECHNICAL = "technical"
    OPERATIONAL = "operational"
    SECURITY = "security"
    COMPLIANCE = "compliance"
    FINANCIAL = "financial"
    ORGANISATIONAL = "organisational"


class RiskStatus(Choice):
    OPEN = "open"
    MITIGATING = "mitigating"
    ACCEPTED = "accepted"
    CLOSED = "closed"


class CostKind(Choice):
    OPTIMISATION = "optimisation"
    BUDGET = "budget"
    RESOURCE = "resource"
    REMEDIATION = "remediation"


class MatrixKind(Choice):
    COMPLIANCE = "compliance"
    PLATFORM = "platform"
    TOOL = "tool"
    MONITORING = "monitoring"
    # go-live readiness (seed 003) and document control: domain/matrices.READINESS_KINDS, DOCUMENT_KINDS
    STRENGTH = "strength"
    TEST = "test"
    READINESS = "readiness"
    CHECKLIST = "checklist"
    RESTRICTION = "restriction"
    GOLIVE = "golive"
    SUCCESS = "success"
    QUESTION = "question"
    VERSION = "version"
    DISTRIBUTION = "distribution"


class SignoffRole(Choice):
    PREPARER = "preparer"
    REVIEWER = "reviewer"
    ENGAGEMENT_LEAD = "engagement_lead"


class LinkKind(Choice):
    FINDING = "finding"
    CHECKLIST_ITEM = "checklist_item"
    MODEL = "model"
    RISK = "risk"


class ReviewStatus(Choice):
    """A review note is raised open, answered by the preparer, and closed by the reviewer."""

    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class ReviewTarget(Choice):
    """What a review note is about: the engagement, a dimension, a checklist item or a record."""

    ENGAGEMENT = "engagement"
    DIMENSION = "dimension"
    FINDING = "finding"
    MODEL = "model"
    RISK = "risk"
    COST = "cost"
    ROADMAP = "roadmap"
    MATRIX = "matrix"
    EVIDENCE = "evidence"
    CHECKLIST_ITEM = "checklist_item"
