"""Field rules for every record kind, written once and used by services, CSV/JSON import and the UI.

A value arrives from a form, a CLI flag, a spreadsheet cell or a package: always as Python
objects or strings. `clean_record` coerces and checks it, and names the field when it refuses.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from workbench.domain import enums
from workbench.domain.errors import ValidationError

SHORT_TEXT = 300
LONG_TEXT = 100_000


ChoiceType = type[enums.Choice]  # named outside Field, whose own `type` field hides the builtin


@dataclass(frozen=True)
class Field:
    """One column of a record kind and the rule its values must follow."""

    name: str
    type: str = "text"  # text | longtext | int | float | date | datetime | bool | choice | list | json
    required: bool = False
    choices: ChoiceType | None = None
    minimum: float | None = None
    maximum: float | None = None
    label: str = ""

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    def default(self) -> Any:
        if self.type in ("text", "longtext"):
            return ""
        if self.type == "bool":
            return False
        if self.type == "list":
            return []
        if self.type == "json":
            return {}
        return None

    def clean(self, raw: Any) -> Any:
        """Coerce `raw` to this field's type or raise ValidationError naming the field."""
        try:
            if raw is None or (isinstance(raw, str) and raw.strip() == "" and self.type not in ("text", "longtext")):
                if self.required:
                    raise ValidationError(f"{self.name}: a value is required")
                return self.default()
            return getattr(self, f"_clean_{self.type}")(raw)
        except ValidationError as exc:
            if exc.field is None:
                exc.field, exc.field_title = self.name, self.title
            raise

    def _clean_text(self, raw: Any, limit: int = SHORT_TEXT) -> str:
        if not isinstance(raw, str | int | float):
            raise ValidationError(f"{self.name}: expected text")
        text = str(raw).replace("\x00", "")
        if self.type == "text":
            text = text.strip()
        if self.required and not text.strip():
            raise ValidationError(f"{self.name}: a value is required")
        if len(text) > limit:
            raise ValidationError(f"{self.name}: longer than {limit:,} characters")
        return text

    def _clean_longtext(self, raw: Any) -> str:
        return self._clean_text(raw, LONG_TEXT)

    def _check_range(self, value: float) -> None:
        if self.minimum is not None and value < self.minimum:
            raise ValidationError(f"{self.name}: {value:g} is below the minimum of {self.minimum:g}")
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(f"{self.name}: {value:g} is above the maximum of {self.maximum:g}")

    def _clean_int(self, raw: Any) -> int:
        if isinstance(raw, bool):
            raise ValidationError(f"{self.name}: expected a whole number")
        try:
            number = float(str(raw).strip().replace(" ", "").replace("_", ""))
        except ValueError:
            raise ValidationError(f"{self.name}: '{raw}' is not a whole number") from None
        if not math.isfinite(number) or number != int(number):
            raise ValidationError(f"{self.name}: '{raw}' is not a whole number")
        self._check_range(number)
        return int(number)

    def _clean_float(self, raw: Any) -> float:
        if isinstance(raw, bool):
            raise ValidationError(f"{self.name}: expected a number")
        text = str(raw).strip().replace(" ", "").replace("_", "")
        if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", text):
            text = text.replace(",", "")
        try:
            number = float(text)
        except ValueError:
            raise ValidationError(f"{self.name}: '{raw}' is not a number") from None
        if not math.isfinite(number):
            raise ValidationError(f"{self.name}: '{raw}' is not a finite number")
        self._check_range(number)
        return round(number, 4)

    def _clean_date(self, raw: Any) -> str:
        if isinstance(raw, datetime):
            return raw.date().isoformat()
        if isinstance(raw, date):
            return raw.isoformat()
        text = str(raw).strip()[:10] if re.match(r"^\d{4}-\d{2}-\d{2}([T ].*)?$", str(raw).strip()) else ""
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            raise ValidationError(f"{self.name}: '{raw}' is not a date (use YYYY-MM-DD)") from None
        if not 1900 <= parsed.year <= 2200:
            raise ValidationError(f"{self.name}: year {parsed.year} is out of range")
        return parsed.isoformat()

    def _clean_datetime(self, raw: Any) -> str:
        text = raw.isoformat() if isinstance(raw, datetime) else str(raw).strip()
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError(f"{self.name}: '{raw}' is not a date and time (ISO 8601)") from None
        return parsed.isoformat().replace("+00:00", "Z")

    def _clean_bool(self, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "y", "on"):
            return True
        if text in ("0", "false", "no", "n", "off"):
            return False
        raise ValidationError(f"{self.name}: '{raw}' is not yes or no")

    def _clean_choice(self, raw: Any) -> str:
        assert self.choices is not None
        return self.choices.parse(raw, self.name).value

    def _clean_list(self, raw: Any) -> list[str]:
        items = re.split(r"[;,]", raw) if isinstance(raw, str) else raw
        if not isinstance(items, list | tuple):
            raise ValidationError(f"{self.name}: expected a list")
        cleaned = [str(item).strip() for item in items if str(item).strip()]
        if any(len(item) > SHORT_TEXT for item in cleaned):
            raise ValidationError(f"{self.name}: an entry is longer than {SHORT_TEXT} characters")
        return cleaned

    def _clean_json(self, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise ValidationError(f"{self.name}: expected an object")
        return raw


LEVEL = {"type": "int", "minimum": 1, "maximum": 5}

RECORD_FIELDS: dict[str, tuple[Field, ...]] = {
    "client": (
        Field("name", required=True),
        Field("sector"),
        Field("contact_name"),
        Field("contact_email"),
    ),
    "engagement": (
        Field("ref", required=True),
        Field("title", required=True),
        Field("system_name", label="System under audit"),
        Field("use_cases", "longtext", label="AI/ML use cases"),
        Field("ml_framework", label="Primary ML framework"),
        Field("lead_auditor"),
        Field("team"),
        Field("start_date", "date"),
        Field("end_date", "date"),
        Field("scope", "longtext"),
        Field("status", "choice", choices=enums.EngagementStatus),
        Field("target_level", **LEVEL),  # type: ignore[arg-type]
    ),
    "assessment": (
        Field("dimension_id", required=True),
        Field("current_level", **LEVEL),  # type: ignore[arg-type]
        Field("target_level", **LEVEL),  # type: ignore[arg-type]
        Field("justification", "longtext"),
    ),
    "checklist": (
        Field("item_id", required=True),
        Field("answer", required=True),  # one of the item's scale (domain/scales.py), checked with the framework
        Field("note", "longtext"),
        Field("target", label="Target state"),
        Field("priority", "choice", choices=enums.Rating),
    ),
    "health_check": (
        Field("question_id", required=True),
        Field("answer", "choice", required=True, choices=enums.HealthAnswer),
        Field("note", "longtext"),
    ),
    "finding": (
        Field("ref"),
        Field("title", required=True),
        Field("dimension_id", label="Dimension"),
        Field("item_id", label="Checklist item"),
        Field("severity", "choice", required=True, choices=enums.Severity),
        Field("impact", "longtext"),
        Field("description", "longtext"),
        Field("recommendation", "longtext"),
        Field("affected_assets", "longtext", label="Affected assets"),
        Field("current_level", **LEVEL),  # type: ignore[arg-type]
        Field("recommended_level", **LEVEL),  # type: ignore[arg-type]
        Field("effort_hours", "float", minimum=0, maximum=100_000),
        Field("cost_estimate", "float", minimum=0, maximum=1e12),
        Field("currency"),
        Field("owner"),
        Field("due_date", "date"),
        Field("status", "choice", choices=enums.FindingStatus),
        Field("carried_forward", "bool"),
        Field("accepted_by", label="Risk accepted by"),
        Field("accepted_reason", "longtext", label="Why the risk was accepted"),
        Field("accepted_at", "date", label="Risk accepted on"),
        Field("resolution_evidence", "longtext", label="Evidence of resolution"),
    ),
    "model": (
        Field("name", required=True),
        Field("version"),
        Field("deployment", "choice", choices=enums.Deployment),
        Field("latency_ms", "float", minimum=0, maximum=1e7, label="Latency (ms)"),
        Field("throughput_rps", "float", minimum=0, maximum=1e9, label="Throughput (rps)"),
        Field("status", "choice", choices=enums.ModelStatus),
        Field("last_updated", "date"),
        Field("owner"),
        Field("risk_tier", "choice", choices=enums.Rating),
        Field("model_registry", label="Registry"),
        Field("monitored", "bool"),
        Field("notes", "longtext"),
        Field("model_card", label="Model card"),
        Field("training_data", label="Training data version or hash"),
        Field("code_commit", label="Code commit"),
        Field("approval", "choice", choices=enums.Approval),
        Field("approved_by", label="Approved by"),
    ),
    "risk": (
        Field("ref"),
        Field("title", required=True),
        Field("category", "choice", choices=enums.RiskCategory),
        Field("likelihood", "int", required=True, minimum=1, maximum=5),
        Field("impact", "int", required=True, minimum=1, maximum=5),
        Field("mitigation", "longtext"),
        Field("owner"),
        Field("status", "choice", choices=enums.RiskStatus),
        Field("carried_forward", "bool"),
    ),
    "cost": (
        Field("kind", "choice", required=True, choices=enums.CostKind),
        Field("name", required=True),
        Field("impact", "choice", choices=enums.Rating),
        Field("effort", "choice", choices=enums.Rating),
        Field("current_state", "longtext"),
        Field("target", "longtext"),
        Field("estimated_cost", "float", minimum=0, maximum=1e12),
        Field("currency"),
        Field("fte", "float", minimum=0, maximum=10_000, label="FTE"),
        Field("duration_weeks", "float", minimum=0, maximum=520),
        Field("carried_forward", "bool"),
    ),
    "roadmap": (
        Field("phase", required=True),
        Field("activity", "longtext", required=True),
        Field("success_metric", "longtext"),
        Field("start_date", "date"),
        Field("end_date", "date"),
        Field("finding_refs", "list", label="Linked findings"),
        Field("carried_forward", "bool"),
    ),
    "matrix": (
        Field("kind", "choice", required=True, choices=enums.MatrixKind),
        Field("data", "json", required=True),
        Field("carried_forward", "bool"),
    ),
    "evidence": (
        Field("sha256", required=True),
        Field("file_name", required=True),
        Field("media_type"),
        Field("size", "int", minimum=0),
        Field("captured_at", "datetime"),
        Field("description", "longtext"),
    ),
    "evidence_link": (
        Field("evidence_uid", required=True),
        Field("target_kind", "choice", required=True, choices=enums.LinkKind),
        Field("target_key", required=True),
    ),
    "signoff": (
        Field("role", "choice", required=True, choices=enums.SignoffRole),
        Field("name", required=True),
        Field("scope"),
        Field("signed_at", "datetime"),
        Field("note", "longtext"),
        Field("identity_id", label="Identity"),
        Field("fingerprint", label="Certificate SHA-256"),
    ),
    "review_note": (
        Field("target_kind", "choice", required=True, choices=enums.ReviewTarget, label="About"),
        Field("target_key", label="Record"),
        Field("text", "longtext", required=True, label="Note"),
        Field("status", "choice", choices=enums.ReviewStatus),
        Field("raised_by", required=True),
        Field("raised_at", "datetime"),
        Field("answer", "longtext"),
        Field("answered_by"),
        Field("answered_at", "datetime"),
        Field("closed_at", "datetime"),
    ),
}

DEFAULTS: dict[str, dict[str, Any]] = {
    "engagement": {"status": "planning"},
    "finding": {"status": "open", "currency": "EUR"},
    "model": {"status": "production", "deployment": "batch", "risk_tier": "medium", "approval": "not_recorded"},
    "risk": {"status": "open", "category": "technical"},
    "cost": {"currency": "EUR", "impact": "medium", "effort": "medium"},
    "review_note": {"status": "open"},
}


NA_NEEDS_REASON = "note: a not-applicable answer needs a reason; say in the note why the item does not apply"


def check_na_reason(answer: object, note: object) -> None:
    """Not applicable counts as covered, so it must say why (checklist items and spreadsheets alike)."""
    if answer == enums.Answer.NA.value and not str(note or "").strip():
        raise ValidationError(NA_NEEDS_REASON)


def check_acceptance(finding: Mapping[str, Any]) -> None:
    """A finding marked Risk accepted must say who accepted the risk and why.

    Services apply it to every finding they create or move to Risk accepted; packages written before
    these fields existed still import (their accepted risks then block finalisation instead).
    """
    if finding.get("status") != enums.FindingStatus.RISK_ACCEPTED.value:
        return
    missing = [name for name in ("accepted_by", "accepted_reason") if not str(finding.get(name) or "").strip()]
    if missing:
        raise ValidationError(f"{missing[0]}: a finding marked Risk accepted needs who accepted the risk "
                              "(accepted by) and why (accepted reason)")


def fields_of(kind: str) -> tuple[Field, ...]:
    try:
        return RECORD_FIELDS[kind]
    except KeyError:
        raise ValidationError(f"unknown record kind '{kind}'") from None


def clean_record(kind: str, values: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Return checked values of a `kind` record; unknown keys are refused, not dropped.

    With partial=True only the given keys are checked (an update); otherwise missing fields
    take their defaults and required ones must be present.
    """
    spec = {f.name: f for f in fields_of(kind)}
    unknown = sorted(set(values) - set(spec))
    if unknown:
        raise ValidationError(f"unknown field '{unknown[0]}' for a {kind} record")
    cleaned: dict[str, Any] = {}
    names = list(values) if partial else list(spec)
    for name in names:
        field = spec[name]
        if name in values:
            cleaned[name] = field.clean(values[name])
        elif name in DEFAULTS.get(kind, {}):
            cleaned[name] = field.clean(DEFAULTS[kind][name])
        else:
            cleaned[name] = field.clean(None)
    for first, last in (("start_date", "end_date"),):
        if cleaned.get(first) and cleaned.get(last) and cleaned[last] < cleaned[first]:
            raise ValidationError(f"{last}: {cleaned[last]} is before {first} {cleaned[first]}")
    return cleaned
