"""A finding raised from a checklist answer that falls short (No, Partial, Basic …) or from a health-check No.

The new finding names the item (so it files under the item's dimension and, in OSCAL, under the control)
and is prefilled from a library finding (services.record_library) when one fits: one made for the item's
dimension in this framework sharing at least two telling words (title and tags against the item's text and
tags; the most wins, a tie keeps the library's order). Without a fitting template the item's own words make the finding.
A health-check question has no dimension: a template of any dimension may fit it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from workbench.domain.framework import Framework
from workbench.services.record_library import LibraryEntry

TITLE_LIMIT = 200
_WORD = re.compile(r"[a-z0-9]+")
_COMMON = frozenset({"a", "an", "and", "the", "of", "or", "to", "for", "in", "on", "is", "are", "no", "not", "with",
                     "by", "be", "as", "at", "from", "its", "it", "any", "all", "each", "every", "model", "models",
                     "data", "training", "feature", "features", "capability", "production", "code", "stage",
                     "new", "can", "has", "have", "how", "what", "where", "whether", "used", "use", "run", "runs",
                     "you", "your", "does", "there", "automated", "automatically", "pipeline", "pipelines"})
TAKEN = ("title", "severity", "impact", "recommendation", "effort_hours")  # what a fitting library finding gives
MINIMUM_OVERLAP = 2  # words a template's title and tags must share with the item for it to fit


def _words(*texts: str) -> set[str]:
    found: set[str] = set()
    for text in texts:
        found |= {w for w in _WORD.findall(text.casefold().replace("-", " ")) if w not in _COMMON and len(w) > 2}
    return found


def _template_words(template: LibraryEntry) -> set[str]:
    return _words(template.title, *template.tags)


def _from_template(template: LibraryEntry, observed: str) -> dict[str, Any]:
    """What a fitting library finding gives the raised finding: its substance, with what was observed."""
    taken: dict[str, Any] = {name: template.values[name] for name in TAKEN if name in template.values}
    description = str(template.values.get("description", ""))
    taken["description"] = f"{description}\n\n{observed}" if description else observed
    return taken


def matching_template(templates: Iterable[LibraryEntry], framework_id: str, dimension_id: str | None,
                      words: set[str]) -> LibraryEntry | None:
    """The library finding (of `templates`) whose title and tags share most words with `words` (at least
    MINIMUM_OVERLAP; dimension_id None: a template of any dimension); None when none shares enough."""
    best, best_count = None, MINIMUM_OVERLAP - 1
    for template in templates:
        if dimension_id is not None and template.dimensions.get(framework_id) != dimension_id:
            continue
        count = len(_template_words(template) & words)
        if count > best_count:
            best, best_count = template, count
    return best


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def finding_for_item(framework: Framework, item_id: str, answer: str, note: str = "",
                     templates: Iterable[LibraryEntry] = ()) -> dict[str, Any]:
    """The values of a finding raised against a checklist item answered `answer`."""
    dimension, item = framework.item(item_id)
    shown = item.scale.label(answer)
    observed = f"Checklist {item.id} answered “{shown}”: {item.text}" + (f"\n\nAuditor's note: {note}" if note else "")
    values: dict[str, Any] = {"title": _shorten(f"{item.id}: {item.text}", TITLE_LIMIT), "dimension_id": dimension.id,
                              "item_id": item.id, "severity": "High" if (item.scale.score(answer) or 0) == 0
                              else "Medium", "description": observed, "recommendation": item.guidance}
    template = matching_template(templates, framework.id, dimension.id, _words(item.text, item.id, *item.tags))
    if template is not None:
        values.update(_from_template(template, observed))
    return values


def finding_for_question(framework: Framework, question_id: str, note: str = "",
                         templates: Iterable[LibraryEntry] = ()) -> dict[str, Any]:
    """The values of a finding raised from a health-check question answered No."""
    question = framework.question(question_id)
    observed = f"Health check: “{question.question}” was answered No." + (f"\n\nAuditor's note: {note}" if note else "")
    values: dict[str, Any] = {"title": _shorten(f"Health check {question.id} answered No: {question.question}",
                                               TITLE_LIMIT), "severity": "High",
                              "description": observed, "recommendation": question.guidance}
    dimension_ids = {d.id for d in framework.dimensions}
    template = matching_template(templates, framework.id, None, _words(question.question))
    if template is not None:
        dimension = template.dimensions.get(framework.id, "")
        values.update(_from_template(template, observed), dimension_id=dimension if dimension in dimension_ids else "")
    return values
