"""The seeds' other tables, stored as matrix rows: small JSON objects per engagement.

* the supporting matrices of seeds 000/002: compliance, platform selection, tool evaluation, monitoring;
* the go-live readiness sections of seed 003 (READINESS_KINDS): what works well, test results, the
  production-readiness matrix, the Must / Should / Nice pre-production checklist, deployment restrictions,
  the documentation / training / communication to prepare before going live, success criteria by horizon
  (day 1, week 1, month 1) and the open questions for the client's architecture review;
* the report's document control (DOCUMENT_KINDS): its version history and distribution list.

These rules keep each row's shape honest; the platform-selection totals are computed here, not typed in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from workbench.domain.errors import ValidationError
from workbench.domain.fields import SHORT_TEXT

COMPLIANCE_VALUES = ("required", "partial", "n/a")
COMPLIANCE_STATUS = ("met", "partial", "gap")
TOOL_RINGS = ("adopt", "trial", "assess", "hold")
MONITORING_STATUS = ("ok", "warning", "missing")
MONITORING_CATEGORIES = ("model", "data", "system", "business")
DEFAULT_REGIMES = ("GDPR", "HIPAA", "SOC 2", "ISO 27001")  # offered as columns before any row names a regime
WEIGHT_TOLERANCE = 0.005  # platform weights within this of 1 add up to 1 (they are typed to two decimals)

TEST_OUTCOMES = ("passed", "caution", "not_tested")
READINESS_STATUS = ("good", "fair", "partial", "limited", "poor")
RISK_LEVELS = ("low", "medium", "high")
PRIORITIES = ("must", "should", "nice")
ITEM_STATUS = ("open", "done")
GOLIVE_AREAS = ("documentation", "training", "communication")
HORIZONS = ("day1", "week1", "month1")

SUPPORTING_KINDS = ("compliance", "platform", "tool", "monitoring")
READINESS_KINDS = ("strength", "test", "readiness", "checklist", "restriction", "golive", "success", "question")
DOCUMENT_KINDS = ("version", "distribution")

COLUMNS: dict[str, tuple[str, ...]] = {
    "compliance": ("requirement", "regimes", "status", "note"),
    "platform": ("criterion", "weight", "scores"),
    "tool": ("tool", "category", "ring", "pros", "cons", "licence_cost", "infrastructure_cost", "operations_cost",
             "rationale"),
    "monitoring": ("metric", "category", "threshold", "current", "alerting", "status"),
    "strength": ("area", "note"),
    "test": ("test", "outcome", "note"),
    "readiness": ("area", "score", "status", "risk", "note"),
    "checklist": ("item", "priority", "status", "owner"),
    "restriction": ("restriction", "note"),
    "golive": ("item", "area", "status"),
    "success": ("criterion", "horizon"),
    "question": ("topic", "question", "answer"),
    "version": ("version", "date", "author", "change"),
    "distribution": ("name", "organisation", "purpose"),
}
#: Simple kinds: column → (required, text limit) for text, or the allowed values and the default for a choice.
_SIMPLE: dict[str, dict[str, tuple[bool, int] | tuple[tuple[str, ...], str]]] = {
    # seed 000's tool evaluation template: pros and cons (one a line), licence / infrastructure / operations cost
    "tool": {"tool": (True, SHORT_TEXT), "category": (False, SHORT_TEXT), "ring": (TOOL_RINGS, "assess"),
             "pros": (False, 5000), "cons": (False, 5000), "licence_cost": (False, SHORT_TEXT),
             "infrastructure_cost": (False, SHORT_TEXT), "operations_cost": (False, SHORT_TEXT),
             "rationale": (False, 5000)},
    "strength": {"area": (True, SHORT_TEXT), "note": (False, 5000)},
    "test": {"test": (True, SHORT_TEXT), "outcome": (TEST_OUTCOMES, "passed"), "note": (False, 5000)},
    "checklist": {"item": (True, 2000), "priority": (PRIORITIES, "must"), "status": (ITEM_STATUS, "open"),
                  "owner": (False, SHORT_TEXT)},
    "restriction": {"restriction": (True, 2000), "note": (False, 5000)},
    "golive": {"item": (True, 2000), "area": (GOLIVE_AREAS, "documentation"), "status": (ITEM_STATUS, "open")},
    "success": {"criterion": (True, 2000), "horizon": (HORIZONS, "day1")},
    "question": {"topic": (False, SHORT_TEXT), "question": (True, 5000), "answer": (False, 5000)},
    "version": {"version": (True, 40), "date": (False, 40), "author": (False, SHORT_TEXT),
                "change": (False, 5000)},
    "distribution": {"name": (True, SHORT_TEXT), "organisation": (False, SHORT_TEXT),
                     "purpose": (False, 2000)},
}


def _text(data: Mapping[str, Any], key: str, kind: str, *, required: bool = False, limit: int = SHORT_TEXT) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValidationError(f"{kind} {key}: expected text")
    value = str(value).strip()
    if required and not value:
        raise ValidationError(f"{kind} {key}: a value is required")
    if len(value) > limit:
        raise ValidationError(f"{kind} {key}: longer than {limit} characters")
    return value


def _one_of(value: str, allowed: tuple[str, ...], kind: str, key: str) -> str:
    lowered = value.lower()
    if lowered not in allowed:
        raise ValidationError(f"{kind} {key}: '{value}' is not one of {', '.join(allowed)}")
    return lowered


def _clean_simple(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, rule in _SIMPLE[kind].items():
        first, second = rule
        if isinstance(first, tuple):
            clean[key] = _one_of(_text(data, key, kind) or str(second), first, kind, key)
        else:
            clean[key] = _text(data, key, kind, required=bool(first), limit=int(second))
    return clean


def _clean_readiness(data: Mapping[str, Any]) -> dict[str, Any]:
    score = data.get("score")
    if score in (None, ""):
        score = None
    elif isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 100:
        raise ValidationError("readiness score: expected a percentage from 0 to 100")
    return {"area": _text(data, "area", "readiness", required=True), "score": score,
            "status": _one_of(_text(data, "status", "readiness") or "fair", READINESS_STATUS, "readiness", "status"),
            "risk": _one_of(_text(data, "risk", "readiness") or "medium", RISK_LEVELS, "readiness", "risk"),
            "note": _text(data, "note", "readiness", limit=5000)}


def clean_matrix_data(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate one row's data for its matrix kind; unknown keys are refused."""
    if kind not in COLUMNS:
        raise ValidationError(f"unknown matrix kind '{kind}'")
    unknown = sorted(set(data) - set(COLUMNS[kind]))
    if unknown:
        raise ValidationError(f"{kind} matrix: unknown column '{unknown[0]}'")
    if kind in _SIMPLE:
        return _clean_simple(kind, data)
    if kind == "readiness":
        return _clean_readiness(data)
    return _clean_supporting(kind, data)


def _clean_supporting(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    if kind == "compliance":
        regimes = data.get("regimes") or {}
        if not isinstance(regimes, Mapping):
            raise ValidationError("compliance regimes: expected a mapping of regime to required/partial/n/a")
        return {
            "requirement": _text(data, "requirement", kind, required=True, limit=2000),
            "regimes": {_text({"r": name}, "r", kind, required=True): _one_of(str(value), COMPLIANCE_VALUES, kind,
                                                                              f"regime {name}")
                        for name, value in regimes.items()},
            "status": _one_of(_text(data, "status", kind) or "gap", COMPLIANCE_STATUS, kind, "status"),
            "note": _text(data, "note", kind, limit=5000),
        }
    if kind == "platform":
        weight = data.get("weight", 0)
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= weight <= 1:
            raise ValidationError("platform weight: expected a number from 0 to 1")
        scores = data.get("scores") or {}
        if not isinstance(scores, Mapping):
            raise ValidationError("platform scores: expected a mapping of platform to a score 0-5")
        clean_scores = {}
        for name, value in scores.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 5:
                raise ValidationError(f"platform score for {name}: expected a number from 0 to 5")
            clean_scores[_text({"p": name}, "p", kind, required=True)] = value
        return {"criterion": _text(data, "criterion", kind, required=True), "weight": float(weight),
                "scores": clean_scores}
    return {"metric": _text(data, "metric", kind, required=True),
            "category": _one_of(_text(data, "category", kind) or "model", MONITORING_CATEGORIES, kind, "category"),
            "threshold": _text(data, "threshold", kind), "current": _text(data, "current", kind),
            "alerting": _text(data, "alerting", kind),
            "status": _one_of(_text(data, "status", kind) or "missing", MONITORING_STATUS, kind, "status")}


def platform_totals(rows: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    """Weighted total per platform: Σ weight × score over the criteria, highest first."""
    totals: dict[str, float] = defaultdict(float)
    for row in rows:
        for platform, value in row.get("scores", {}).items():
            totals[platform] += float(row.get("weight", 0)) * float(value)
    return dict(sorted(((k, round(v, 3)) for k, v in totals.items()), key=lambda kv: -kv[1]))


def regime_order(names: Iterable[str]) -> list[str]:
    """Regimes in a stable order: the common ones (DEFAULT_REGIMES) first, then the others as they appear."""
    seen = list(dict.fromkeys(names))
    return [n for n in DEFAULT_REGIMES if n in seen] + [n for n in seen if n not in DEFAULT_REGIMES]


def weight_sum(rows: Iterable[Mapping[str, Any]]) -> float:
    """Σ weight over the platform-selection criteria."""
    return sum(float(row.get("weight", 0)) for row in rows)


def weights_off(total: float) -> bool:
    """The criteria's weights do not add up to 1, so the totals are not on the 0–5 scale."""
    return round(abs(total - 1), 9) > WEIGHT_TOLERANCE  # rounded: 0.5 + 0.495 is 0.99499… in binary


def platform_leaders(totals: Mapping[str, float]) -> tuple[str, ...]:
    """The platforms with the highest weighted total, in the given order; none while the best total is 0."""
    best = max(totals.values(), default=0.0)
    if best <= 0:
        return ()
    return tuple(name for name, total in totals.items() if total == best)
