"""What every catalog converter shares: the result type, id rules, default levels and scoring, weights.

A converter turns a published catalog into the workbench's own framework document (docs/frameworks.md),
which `domain.framework.parse_framework` then validates like any native file. The catalog's own words
are kept; only the structure the workbench needs (dimensions, items, 5 levels, weights) is added.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from workbench.domain.errors import ValidationError
from workbench.domain.framework import FORMAT, FORMAT_VERSION

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
_FRAMEWORK_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")

# DESIGN.md §4: 20 points per level, the five bands and the verdict thresholds of the built-in frameworks.
DEFAULT_SCORING: dict[str, Any] = {
    "points_per_level": 20,
    "bands": [{"name": "Ad-hoc", "min": 0, "max": 20}, {"name": "Managed", "min": 21, "max": 40},
              {"name": "Standardized", "min": 41, "max": 60}, {"name": "Quantified", "min": 61, "max": 80},
              {"name": "Optimized", "min": 81, "max": 100}],
    "verdict": {"no_go_below": 40, "go_at_or_above": 75},
}
DEFAULT_LEVELS: tuple[tuple[str, str], ...] = (
    ("Ad-hoc", "Requirements are met by chance, if at all; nothing is written down or repeatable."),
    ("Managed", "Some requirements are met by practices that are partly documented and depend on individuals."),
    ("Standardized", "Requirements are met by defined, documented practices applied consistently."),
    ("Quantified", "Practices are measured and reviewed against targets; gaps are tracked to closure."),
    ("Optimized", "Practices improve continuously from measurement, incidents and audits."),
)


@dataclass
class Conversion:
    """A catalog converted to a native framework document, with what the auditor should know about it."""

    document: dict[str, Any]
    source_format: str  # "workbench", "oscal-catalog", "oscal-resolved-profile", "ciso-assistant"
    source_metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class IdMaker:
    """Turns catalog identifiers into workbench ids (letters, digits, `_ . -`, at most 32) that stay unique."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.taken: set[str] = set()

    @staticmethod
    def clean(raw: str) -> str:
        text = re.sub(r"[^A-Za-z0-9_.-]+", "-", raw.strip()).strip("-._")
        if len(text) > 32:  # keep it readable and unique: a prefix plus a short digest of the whole
            text = f"{text[:25].rstrip('-._')}-{hashlib.sha256(raw.encode()).hexdigest()[:6]}"
        return text

    def exact(self, raw: str, what: str) -> str:
        """An id that must be unique in the catalog as written: a repeat is an error naming it."""
        made = self.clean(raw)
        if not made:
            raise ValidationError(f"{self.where}: {what} has an empty id")
        if made in self.taken:
            raise ValidationError(f"{self.where}: duplicate id '{raw}'")
        self.taken.add(made)
        return made

    def unique(self, raw: str, fallback: str) -> str:
        """An id made unique by a suffix when the catalog repeats a label (allowed there)."""
        base = self.clean(raw) or self.clean(fallback) or "item"
        made, n = base, 2
        while made in self.taken:
            made = f"{base[:28]}-{n}"
            n += 1
        self.taken.add(made)
        return made


def slug(text: str, limit: int = 48) -> str:
    """A framework id from a title: lowercase words joined by hyphens, cut at a word boundary."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    result = ""
    for word in words:
        candidate = f"{result}-{word}" if result else word
        if len(candidate) > limit:
            break
        result = candidate
    return result or "imported-framework"


def text_of(value: Any) -> str:
    """Catalog values as one trimmed string (YAML may give numbers or booleans where text is meant)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def equal_weights(count: int) -> list[float]:
    """Equal weights rounded to 6 places; the last absorbs the rounding so they sum to exactly 1."""
    if count <= 0:
        return []
    share = round(1 / count, 6)
    return [share] * (count - 1) + [round(1 - share * (count - 1), 6)]


def levels_block(names: Iterable[tuple[str, str]] = DEFAULT_LEVELS, key: str = "descriptor") -> list[dict[str, Any]]:
    return [{"level": n, "name": name, key: text} for n, (name, text) in enumerate(names, start=1)]


def build_document(*, framework_id: str, version: str, name: str, description: str, source: str,
                   dimensions: list[dict[str, Any]], levels: list[tuple[str, str]] | None = None,
                   extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A native framework document with equal weights; `dimensions` carry id, name, description, items."""
    if not _FRAMEWORK_ID.match(framework_id):
        framework_id = slug(framework_id)
    level_names = levels or list(DEFAULT_LEVELS)
    weights = equal_weights(len(dimensions))
    for dimension, weight in zip(dimensions, weights, strict=True):
        dimension["weight"] = weight
        dimension.setdefault("levels", levels_block(level_names))
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION, "id": framework_id, "version": version or "1",
        "name": name, "description": description, "source": source,
        "levels": levels_block(DEFAULT_LEVELS, "description"), "scoring": DEFAULT_SCORING,
        "dimensions": dimensions, "health_check": [], **(extra or {}),
    }


def parse_weights(spec: str) -> dict[str, float]:
    """`AC=3,AU=1.5` → {"AC": 3.0, "AU": 1.5}: relative weights, normalised when applied."""
    weights: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        key, sep, number = part.partition("=")
        if not sep or not key.strip():
            raise ValidationError(f"weights: '{part}' is not DIMENSION=NUMBER")
        try:
            value = float(number)
        except ValueError:
            raise ValidationError(f"weights: '{number.strip()}' for {key.strip()} is not a number") from None
        if not value > 0 or value != value or value == float("inf"):
            raise ValidationError(f"weights: {key.strip()} must be above 0")
        weights[key.strip()] = value
    if not weights:
        raise ValidationError("weights: give at least one DIMENSION=NUMBER")
    return weights


def apply_weights(document: dict[str, Any], weights: Mapping[str, float]) -> dict[str, Any]:
    """Set relative weights (unnamed dimensions count 1) normalised to sum to 1; returns the document."""
    dimensions = document.get("dimensions") or []
    known = {d["id"] for d in dimensions}
    unknown = [key for key in weights if key not in known]
    if unknown:
        raise ValidationError(f"weights: no dimension '{unknown[0]}' (dimensions: {', '.join(sorted(known))})")
    raw = [float(weights.get(d["id"], 1.0)) for d in dimensions]
    total = sum(raw)
    shares = [round(value / total, 6) for value in raw]
    if shares:
        shares[-1] = round(1 - sum(shares[:-1]), 6)
        if shares[-1] <= 0:  # rounding left nothing for the last one: spread the remainder instead
            raise ValidationError("weights: the last dimension's share rounds to 0; use less extreme weights")
    for dimension, share in zip(dimensions, shares, strict=True):
        dimension["weight"] = share
    return document
