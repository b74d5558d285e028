"""Answer scales of checklist items: yes / partial / no, or a graded scale a framework declares.

A framework file may declare scales (None / Basic / Advanced; Not implemented … Best-in-class;
Required / Nice-to-have) and name one for the whole framework, a dimension or an item. Each option
carries the share of the item it meets (0 to 1), or none when the answer records a need rather than
an attainment. "Not applicable" and "not answered" belong to every scale.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from workbench.domain.errors import ValidationError

NA = "na"
UNANSWERED = "unanswered"
RESERVED = frozenset({NA, UNANSWERED})
_VALUE = re.compile(r"^[a-z0-9][a-z0-9_]{0,31}$")
_NA_WORDS = frozenset({"na", "n/a", "notapplicable"})
_UNANSWERED_WORDS = frozenset({"unanswered", "notanswered"})


def _word(text: object) -> str:
    return re.sub(r"[\s_\-.'’]+", "", str(text).strip().lower())


@dataclass(frozen=True)
class ScaleOption:
    value: str
    label: str
    score: float | None  # the share of the item met, 0 to 1; None: recorded, not scored


@dataclass(frozen=True)
class AnswerScale:
    id: str
    name: str
    options: tuple[ScaleOption, ...]

    @property
    def graded(self) -> bool:
        """Any scale other than yes / partial / no."""
        return self.id != YES_PARTIAL_NO.id

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    def option(self, value: str) -> ScaleOption | None:
        return next((option for option in self.options if option.value == value), None)

    def label(self, value: str) -> str:
        option = self.option(value)
        if option is not None:
            return option.label
        return {NA: "Not applicable", UNANSWERED: "Not answered"}.get(value, value)

    def score(self, value: str) -> float | None:
        """The declared score of an answer; None for n/a, unanswered and unscored options."""
        option = self.option(value)
        return option.score if option is not None else None

    def falls_short(self, value: str) -> bool:
        """An answer scored below full marks (No, Partial, Basic …): worth a finding."""
        score = self.score(value)
        return score is not None and score < 1

    def rank(self, value: str) -> int | None:
        """Position on the scale (0 for the first option); None when the value is not an option."""
        return self.values.index(value) if value in self.values else None

    def parse(self, raw: object, field: str = "answer") -> str:
        """The stored value an answer means: its value or label in any case, n/a, or unanswered."""
        if isinstance(raw, str) and (raw in self.values or raw in RESERVED):
            return raw
        word = _word(raw)
        for option in self.options:
            if word in (_word(option.value), _word(option.label)):
                return option.value
        if word in _NA_WORDS:
            return NA
        if word in _UNANSWERED_WORDS:
            return UNANSWERED
        if not self.graded and word in ("y", "p", "n"):
            return {"y": "yes", "p": "partial", "n": "no"}[word]
        allowed = ", ".join([*self.values, NA, UNANSWERED])
        raise ValidationError(f"{field}: '{raw}' is not one of {allowed}")

    def parse_target(self, raw: object, field: str = "target") -> str:
        """A target state: one of the options, or "" for none."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return ""
        value = self.parse(raw, field)
        if value in RESERVED:
            raise ValidationError(f"{field}: a target is one of {', '.join(self.values)}")
        return value


YES_PARTIAL_NO = AnswerScale("yes-partial-no", "Yes / Partial / No", (
    ScaleOption("yes", "Yes", 1.0), ScaleOption("partial", "Partial", 0.5), ScaleOption("no", "No", 0.0)))


def parse_scales(raw: Any, where: str) -> dict[str, AnswerScale]:
    """The scales a framework declares (the built-in yes / partial / no is always there)."""
    scales = {YES_PARTIAL_NO.id: YES_PARTIAL_NO}
    if raw is None:
        return scales
    if not isinstance(raw, Mapping):
        raise ValidationError(f"{where}: 'scales' must map a scale id to its name and options")
    for scale_id, spec in raw.items():
        if scale_id in scales:
            raise ValidationError(f"{where}: scale '{scale_id}' is built in and cannot be redefined")
        scales[str(scale_id)] = _parse_scale(str(scale_id), spec, f"{where} scale '{scale_id}'")
    return scales


def _parse_scale(scale_id: str, spec: Any, where: str) -> AnswerScale:
    if not isinstance(spec, Mapping) or not isinstance(spec.get("options"), list):
        raise ValidationError(f"{where}: needs a 'name' and a list of 'options'")
    options: list[ScaleOption] = []
    for entry in spec["options"]:
        if not isinstance(entry, Mapping):
            raise ValidationError(f"{where}: each option must be an object with value, label and score")
        value, label, score = entry.get("value"), entry.get("label"), entry.get("score")
        if not isinstance(value, str) or not _VALUE.match(value) or value in RESERVED:
            raise ValidationError(f"{where}: option value {value!r} must be lowercase letters, digits and _ "
                                  f"(and not {' or '.join(sorted(RESERVED))})")
        if not isinstance(label, str) or not label.strip():
            raise ValidationError(f"{where}: option '{value}' needs a label")
        if score is not None and (isinstance(score, bool) or not isinstance(score, int | float)
                                  or not 0 <= score <= 1):
            raise ValidationError(f"{where}: the score of option '{value}' must be from 0 to 1, or null")
        options.append(ScaleOption(value, label.strip(), None if score is None else float(score)))
    if len(options) < 2:
        raise ValidationError(f"{where}: a scale needs at least two options")
    words = [_word(o.value) for o in options] + [_word(o.label) for o in options]
    if len({_word(o.value) for o in options}) != len(options) or len({_word(o.label) for o in options}) != len(
            options) or any(word in _NA_WORDS | _UNANSWERED_WORDS for word in words):
        raise ValidationError(f"{where}: option values and labels must differ from each other and from n/a")
    name = spec.get("name") or " / ".join(o.label for o in options)
    return AnswerScale(scale_id, str(name), tuple(options))


def scale_named(scales: Mapping[str, AnswerScale], scale_id: Any, where: str,
                default: AnswerScale) -> AnswerScale:
    """The scale a framework, dimension or item names ('scale'), or the default when it names none."""
    if scale_id is None:
        return default
    if not isinstance(scale_id, str) or scale_id not in scales:
        raise ValidationError(f"{where}: unknown answer scale {scale_id!r}")
    return scales[scale_id]


def attainment(items: Iterable[tuple[AnswerScale, str]]) -> float | None:
    """The mean declared score of the answered, scored items (0 to 1); None when none is scored.

    A dimension's checklist attainment: each answer counts as its scale declares it, so Basic on
    None / Basic / Advanced counts 0.5 and Required counts not at all.
    """
    scores = [score for scale, answer in items if (score := scale.score(answer)) is not None]
    return sum(scores) / len(scores) if scores else None


def steps_to_target(scale: AnswerScale, answer: str, target: str) -> int | None:
    """How many options lie between the answer and the target (0 when reached or passed)."""
    now, goal = scale.rank(answer), scale.rank(target)
    if now is None or goal is None:
        return None
    return max(goal - now, 0)
