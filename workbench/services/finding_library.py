"""The finding library: templates shipped in resources/ plus those the auditor saved.

Saved templates live in the user's data folder (not in a workspace) so they follow the
auditor from engagement to engagement.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from workbench.domain.enums import Severity
from workbench.domain.errors import ValidationError
from workbench.fs.files import atomic_text
from workbench.resources import resource

FORMAT = "workbench-finding-library"


@dataclass(frozen=True)
class FindingTemplate:
    id: str
    title: str
    severity: str
    category: str
    dimensions: dict[str, str]
    impact: str
    description: str
    recommendation: str
    effort_hours: float | None
    tags: tuple[str, ...]
    origin: str  # "built-in" or "saved"

    def finding_values(self, framework_id: str, dimension_ids: set[str]) -> dict[str, Any]:
        """Values of a new finding made from this template for an engagement's framework."""
        dimension = self.dimensions.get(framework_id, "")
        return {"title": self.title, "severity": self.severity, "impact": self.impact,
                "description": self.description, "recommendation": self.recommendation,
                "effort_hours": self.effort_hours,
                "dimension_id": dimension if dimension in dimension_ids else ""}


def user_library_path() -> Path:
    override = os.environ.get("WORKBENCH_LIBRARY")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir("workbench", appauthor=False)) / "finding_library.json"


def _parse(data: Any, origin: str) -> list[FindingTemplate]:
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("templates"), list):
        raise ValidationError("the finding library file is not in the expected format")
    templates = []
    for raw in data["templates"]:
        templates.append(FindingTemplate(
            str(raw["id"]), str(raw["title"]), Severity.parse(raw.get("severity", "Medium")).value,
            str(raw.get("category", "")), dict(raw.get("dimensions", {})), str(raw.get("impact", "")),
            str(raw.get("description", "")), str(raw.get("recommendation", "")), raw.get("effort_hours"),
            tuple(raw.get("tags", [])), origin))
    return templates


def load_templates() -> list[FindingTemplate]:
    built_in = _parse(json.loads(resource("finding_library.json").read_text(encoding="utf-8")), "built-in")
    path = user_library_path()
    saved: list[FindingTemplate] = []
    if path.exists():
        try:
            saved = _parse(json.loads(path.read_text(encoding="utf-8")), "saved")
        except (ValueError, KeyError, ValidationError):
            saved = []
    return built_in + saved


def save_template(finding: dict[str, Any], framework_id: str) -> FindingTemplate:
    """Save a finding as a template in the user library (atomic write)."""
    title = str(finding.get("title") or "").strip()
    if not title:
        raise ValidationError("a finding needs a title before it can be saved to the library")
    path = user_library_path()
    data: dict[str, Any] = {"format": FORMAT, "format_version": 1, "templates": []}
    if path.exists():
        with contextlib.suppress(ValueError):
            data = json.loads(path.read_text(encoding="utf-8"))
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:48] or "finding"
    existing = {t["id"] for t in data.get("templates", [])}
    template_id, n = f"saved-{slug}", 2
    while template_id in existing:
        template_id, n = f"saved-{slug}-{n}", n + 1
    raw = {"id": template_id, "title": title, "severity": finding.get("severity", "Medium"), "category": "",
           "dimensions": {framework_id: finding.get("dimension_id") or ""},
           "impact": finding.get("impact", ""), "description": finding.get("description", ""),
           "recommendation": finding.get("recommendation", ""), "effort_hours": finding.get("effort_hours"),
           "tags": ["saved"]}
    data.setdefault("templates", []).append(raw)
    with atomic_text(path) as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
    return _parse({"format": FORMAT, "templates": [raw]}, "saved")[0]
