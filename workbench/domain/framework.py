"""Assessment frameworks: parsed from data files and validated before anything uses them.

A framework is data (resources/frameworks/*.json). Every engagement keeps a frozen copy, so a
later edit to the file never changes an engagement already under way.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from workbench.domain.enums import Severity
from workbench.domain.errors import ValidationError
from workbench.domain.scales import YES_PARTIAL_NO, AnswerScale, parse_scales, scale_named

FORMAT = "workbench-framework"
FORMAT_VERSION = 1
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
FRAMEWORK_ID_RULE = "1 to 64 lowercase letters, digits and hyphens, starting with a letter or digit"
_DIM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


def is_framework_id(text: str) -> bool:
    """Framework ids appear on the command line and in package files: keep them plain."""
    return isinstance(text, str) and _ID.fullmatch(text) is not None


@dataclass(frozen=True)
class LevelDescriptor:
    level: int
    name: str
    descriptor: str


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    guidance: str = ""
    tags: tuple[str, ...] = ()
    scale: AnswerScale = YES_PARTIAL_NO


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    weight: float
    description: str
    levels: tuple[LevelDescriptor, ...]
    items: tuple[ChecklistItem, ...]

    def level(self, number: int) -> LevelDescriptor:
        return self.levels[number - 1]


@dataclass(frozen=True)
class HealthQuestion:
    id: str
    question: str
    guidance: str = ""


@dataclass(frozen=True)
class Band:
    name: str
    minimum: float
    maximum: float


@dataclass(frozen=True)
class CoverageRule:
    """How much of the checklist must be answered: below `provisional_below` the score and verdict are
    provisional; below `finalise_at` the engagement cannot be finalised (fractions of all items)."""

    provisional_below: float = 0.8
    finalise_at: float = 1.0


@dataclass(frozen=True)
class Framework:
    id: str
    version: str
    name: str
    description: str
    source: str
    levels: tuple[LevelDescriptor, ...]
    points_per_level: float
    bands: tuple[Band, ...]
    no_go_below: float
    go_at_or_above: float
    dimensions: tuple[Dimension, ...]
    health_check: tuple[HealthQuestion, ...]
    coverage: CoverageRule = CoverageRule()
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)
    score_maximum: float = 100.0  # the overall score is shown out of this (100, or 5 for a /5 template)
    severities: tuple[tuple[str, str], ...] = ()  # (severity, what it means), most severe first

    def dimension(self, dimension_id: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise ValidationError(f"framework '{self.id}' has no dimension '{dimension_id}'")

    def item(self, item_id: str) -> tuple[Dimension, ChecklistItem]:
        for dimension in self.dimensions:
            for item in dimension.items:
                if item.id == item_id:
                    return dimension, item
        raise ValidationError(f"framework '{self.id}' has no checklist item '{item_id}'")

    def question(self, question_id: str) -> HealthQuestion:
        for question in self.health_check:
            if question.id == question_id:
                return question
        raise ValidationError(f"framework '{self.id}' has no health-check question '{question_id}'")

    @property
    def item_count(self) -> int:
        return sum(len(d.items) for d in self.dimensions)

    @cached_property
    def item_ids(self) -> frozenset[str]:
        """Every checklist item id (computed once: a frozen framework never changes)."""
        return frozenset(item.id for dimension in self.dimensions for item in dimension.items)

    def to_json(self) -> str:
        """Canonical text of the framework, as frozen into an engagement's snapshot."""
        return json.dumps(self.raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _require(data: dict[str, Any], key: str, where: str, kind: type | tuple[type, ...] = str) -> Any:
    if key not in data:
        raise ValidationError(f"{where}: missing field '{key}'")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ValidationError(f"{where}: field '{key}' must be {names}")
    if isinstance(value, str) and not value.strip():
        raise ValidationError(f"{where}: field '{key}' is empty")
    return value


def _levels(raw: Any, where: str, text_key: str) -> tuple[LevelDescriptor, ...]:
    if not isinstance(raw, list):
        raise ValidationError(f"{where}: 'levels' must be a list of 5 levels")
    levels: list[LevelDescriptor] = []
    for entry in raw:
        if not isinstance(entry, dict):
            raise ValidationError(f"{where}: each level must be an object")
        number = _require(entry, "level", where, int)
        if not 1 <= number <= 5:
            raise ValidationError(f"{where}: level {number} is outside 1-5")
        levels.append(LevelDescriptor(number, _require(entry, "name", where),
                                      str(entry.get(text_key, entry.get("description", "")))))
    numbers = sorted(level.level for level in levels)
    if numbers != [1, 2, 3, 4, 5]:
        raise ValidationError(f"{where}: levels must be exactly 1, 2, 3, 4 and 5 (got {numbers})")
    return tuple(sorted(levels, key=lambda level: level.level))


def _coverage_rule(scoring: dict[str, Any], where: str) -> CoverageRule:
    """The optional `scoring.coverage` block; a framework without one gets the defaults (80 % / 100 %)."""
    raw = scoring.get("coverage")
    if raw is None:
        return CoverageRule()
    if not isinstance(raw, dict):
        raise ValidationError(f"{where}: scoring 'coverage' must be an object")
    unknown = sorted(set(raw) - {"provisional_below", "finalise_at"})
    if unknown:
        raise ValidationError(f"{where}: scoring 'coverage' has an unknown field '{unknown[0]}'")
    values: dict[str, float] = {}
    for key, default in (("provisional_below", CoverageRule.provisional_below),
                         ("finalise_at", CoverageRule.finalise_at)):
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValidationError(f"{where}: coverage '{key}' must be a number between 0 and 1")
        values[key] = float(value)
    if not 0 <= values["provisional_below"] <= values["finalise_at"] <= 1:
        raise ValidationError(f"{where}: coverage must satisfy 0 <= provisional_below <= finalise_at <= 1")
    return CoverageRule(values["provisional_below"], values["finalise_at"])


def _scoring(data: dict[str, Any], where: str) -> tuple[float, tuple[Band, ...], float, float, float]:
    """points per level, bands, no-go and go thresholds, and the maximum the overall score is shown out of."""
    scoring = _require(data, "scoring", where, dict)
    points = _require(scoring, "points_per_level", f"{where} scoring", (int, float))
    if not 0 < points <= 100:
        raise ValidationError(f"{where}: points_per_level must be between 0 and 100")
    bands = []
    for band in _require(scoring, "bands", f"{where} scoring", list):
        if not isinstance(band, dict):
            raise ValidationError(f"{where}: each band must be an object")
        bands.append(Band(_require(band, "name", f"{where} band"),
                          float(_require(band, "min", f"{where} band", (int, float))),
                          float(_require(band, "max", f"{where} band", (int, float)))))
    if not bands:
        raise ValidationError(f"{where}: at least one score band is needed")
    bands.sort(key=lambda b: b.minimum)
    if bands[0].minimum > 0 or bands[-1].maximum < 100:
        raise ValidationError(f"{where}: score bands must cover 0 to 100")
    verdict = _require(scoring, "verdict", f"{where} scoring", dict)
    no_go = float(_require(verdict, "no_go_below", f"{where} verdict", (int, float)))
    go = float(_require(verdict, "go_at_or_above", f"{where} verdict", (int, float)))
    if not 0 <= no_go <= go <= 100:
        raise ValidationError(f"{where}: verdict thresholds must satisfy 0 <= no_go_below <= go_at_or_above <= 100")
    shown = scoring.get("shown_out_of", 100)
    if isinstance(shown, bool) or not isinstance(shown, int | float) or not 1 <= shown <= 100:
        raise ValidationError(f"{where}: shown_out_of must be a number from 1 to 100 (5 shows a score out of 5)")
    return float(points), tuple(bands), no_go, go, float(shown)


def _new_id(raw: dict[str, Any], key_where: str, where: str, seen: set[str], what: str = "",
            what_where: str = "") -> str:
    """An id unique across the framework's dimensions, items and questions (`what` also checks its characters)."""
    ident = _require(raw, "id", key_where)
    if what and not _DIM_ID.match(ident):
        raise ValidationError(f"{what_where or where}: {what} id '{ident}' has characters that are not allowed")
    if ident in seen:
        raise ValidationError(f"{where}: duplicate id '{ident}'")
    seen.add(ident)
    return str(ident)


def _item(raw_item: Any, dwhere: str, where: str, seen: set[str], scales: dict[str, AnswerScale],
          default: AnswerScale) -> ChecklistItem:
    if not isinstance(raw_item, dict):
        raise ValidationError(f"{dwhere}: each checklist item must be an object")
    iid = _new_id(raw_item, f"{dwhere} item", where, seen, "item", dwhere)
    tags = raw_item.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValidationError(f"{dwhere} item '{iid}': tags must be a list of text")
    return ChecklistItem(iid, _require(raw_item, "text", f"{dwhere} item '{iid}'"), str(raw_item.get("guidance", "")),
                         tuple(tags), scale_named(scales, raw_item.get("scale"), f"{dwhere} item '{iid}'", default))


def _dimension(raw_dim: Any, where: str, seen: set[str], scales: dict[str, AnswerScale],
               default: AnswerScale) -> Dimension:
    if not isinstance(raw_dim, dict):
        raise ValidationError(f"{where}: each dimension must be an object")
    did = _new_id(raw_dim, f"{where} dimension", where, seen, "dimension")
    dwhere = f"{where} dimension '{did}'"
    weight = _require(raw_dim, "weight", dwhere, (int, float))
    if not (math.isfinite(weight) and 0 < weight <= 1):
        raise ValidationError(f"{dwhere}: weight {weight} must be above 0 and at most 1")
    dimension_scale = scale_named(scales, raw_dim.get("scale"), dwhere, default)
    items = tuple(_item(raw_item, dwhere, where, seen, scales, dimension_scale)
                  for raw_item in _require(raw_dim, "items", dwhere, list))
    return Dimension(did, _require(raw_dim, "name", dwhere), float(weight), str(raw_dim.get("description", "")),
                     _levels(raw_dim.get("levels"), dwhere, "descriptor"), items)


def _questions(data: dict[str, Any], where: str, seen: set[str]) -> tuple[HealthQuestion, ...]:
    questions = []
    for raw_q in data.get("health_check", []):
        if not isinstance(raw_q, dict):
            raise ValidationError(f"{where}: each health-check question must be an object")
        qid = _new_id(raw_q, f"{where} health check", where, seen)
        questions.append(HealthQuestion(qid, _require(raw_q, "question", f"{where} health check '{qid}'"),
                                        str(raw_q.get("guidance", ""))))
    return tuple(questions)


def parse_framework(data: Any) -> Framework:
    """Validate a framework document and return it; the error names the first problem found."""
    fid, where = _identity(data)
    version = _require(data, "version", where)
    name = _require(data, "name", where)
    levels = _levels(data.get("levels"), where, "description")
    points, bands, no_go, go, shown = _scoring(data, where)
    scales = parse_scales(data.get("scales"), where)
    default_scale = scale_named(scales, data.get("default_scale"), where, YES_PARTIAL_NO)
    raw_dims = _require(data, "dimensions", where, list)
    if not raw_dims:
        raise ValidationError(f"{where}: it has no dimensions")
    seen: set[str] = set()
    dimensions = tuple(_dimension(raw_dim, where, seen, scales, default_scale) for raw_dim in raw_dims)
    total = sum(d.weight for d in dimensions)
    if abs(total - 1.0) > 1e-6:
        raise ValidationError(f"{where}: dimension weights sum to {total:.4g}, not 1")
    questions = _questions(data, where, seen)
    return Framework(fid, version, name, str(data.get("description", "")), str(data.get("source", "")),
                     levels, points, bands, no_go, go, dimensions, questions, raw=data, score_maximum=shown,
                     coverage=_coverage_rule(data["scoring"], where),
                     severities=_severities(data.get("severities"), where))


def _identity(data: Any) -> tuple[str, str]:
    """The framework's id after the format checks, and how errors name the framework."""
    if not isinstance(data, dict):
        raise ValidationError("framework: the file does not hold a JSON object")
    if data.get("format") != FORMAT:
        raise ValidationError(f"framework: 'format' must be '{FORMAT}'")
    if data.get("format_version") != FORMAT_VERSION:
        raise ValidationError(f"framework: unsupported format_version {data.get('format_version')!r}")
    fid = _require(data, "id", "framework")
    if not is_framework_id(fid):
        raise ValidationError(f"framework: id '{fid}' must be {FRAMEWORK_ID_RULE}")
    return fid, f"framework '{fid}'"


#: What each severity means when a framework file does not say (the report's definitions section).
DEFAULT_SEVERITIES: tuple[tuple[str, str], ...] = (
    ("Critical", "Blocks production use: exploitable now, or certain to cause an outage, a breach or a regulatory "
                 "failure. Fix before go-live."),
    ("High", "A serious weakness likely to cause harm soon after go-live. Fix in the first remediation phase."),
    ("Medium", "A real weakness with limited or indirect impact. Plan the fix within the roadmap."),
    ("Low", "A minor weakness or a departure from good practice. Fix when convenient."),
    ("Info", "An observation with no direct risk, recorded for completeness or as a confirmation."),
)


def _severities(raw: Any, where: str) -> tuple[tuple[str, str], ...]:
    """The framework's severity definitions, or the defaults; every severity must be one the app knows."""
    if raw is None:
        return DEFAULT_SEVERITIES
    if not isinstance(raw, list):
        raise ValidationError(f"{where}: 'severities' must be a list")
    found = []
    for entry in raw:
        if not isinstance(entry, dict):
            raise ValidationError(f"{where}: each severity must be an object")
        name = Severity.parse(_require(entry, "name", f"{where} severity"), f"{where} severity").value
        found.append((name, str(_require(entry, "description", f"{where} severity '{name}'"))))
    return tuple(found)


def parse_framework_text(text: str | bytes) -> Framework:
    """Parse a framework from JSON text; refuses anything that is not valid JSON."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError(f"framework: not valid JSON ({exc})") from None
    return parse_framework(data)
