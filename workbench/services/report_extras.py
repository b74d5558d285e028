"""The parts of a deliverable's data beyond the core records: seed 003's go-live readiness sections, the
document control, the definitions (severities, maturity levels, glossary) and the links between findings
and evidence. services/deliverables.gather_report_data calls these on the engagement document it read.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from workbench.domain.errors import WorkbenchError
from workbench.domain.framework import DEFAULT_SEVERITIES, Framework
from workbench.reports import readiness_data as rr
from workbench.resources import resource

GLOSSARY_FORMAT = "workbench-glossary"


def _rows(document: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    return [row["data"] for row in document["matrices"] if row["kind"] == kind]


def _text(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value)


def readiness(document: Mapping[str, Any]) -> rr.Readiness:
    """The go-live readiness sections, each in the order the auditor recorded it."""
    return rr.Readiness(
        strengths=tuple(rr.Strength(_text(r, "area"), _text(r, "note")) for r in _rows(document, "strength")),
        tests=tuple(rr.TestResult(_text(r, "test"), _text(r, "outcome") or "passed", _text(r, "note"))
                    for r in _rows(document, "test")),
        areas=tuple(rr.ReadinessArea(_text(r, "area"), None if r.get("score") is None else float(r["score"]),
                                     _text(r, "status") or "fair", _text(r, "risk") or "medium", _text(r, "note"))
                    for r in _rows(document, "readiness")),
        checklist=tuple(rr.ChecklistEntry(_text(r, "item"), _text(r, "priority") or "must",
                                          _text(r, "status") or "open", _text(r, "owner"))
                        for r in _rows(document, "checklist")),
        restrictions=tuple(rr.Restriction(_text(r, "restriction"), _text(r, "note"))
                           for r in _rows(document, "restriction")),
        golive=tuple(rr.GoLiveItem(_text(r, "item"), _text(r, "area") or "documentation", _text(r, "status") or "open")
                     for r in _rows(document, "golive")),
        success=tuple(rr.SuccessCriterion(_text(r, "criterion"), _text(r, "horizon") or "day1")
                      for r in _rows(document, "success")),
        questions=tuple(rr.OpenQuestion(_text(r, "topic"), _text(r, "question"), _text(r, "answer"))
                        for r in _rows(document, "question")))


def document_control(document: Mapping[str, Any]) -> rr.DocumentControl:
    return rr.DocumentControl(
        versions=tuple(rr.ReportVersion(_text(r, "version"), _text(r, "date"), _text(r, "author"), _text(r, "change"))
                       for r in _rows(document, "version")),
        distribution=tuple(rr.Recipient(_text(r, "name"), _text(r, "organisation"), _text(r, "purpose"))
                           for r in _rows(document, "distribution")))


@lru_cache(maxsize=1)
def glossary() -> tuple[tuple[str, str], ...]:
    """The shipped glossary (resources/glossary.json), alphabetical."""
    path = resource("glossary.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise WorkbenchError(f"the glossary {path} cannot be read ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != GLOSSARY_FORMAT:
        raise WorkbenchError(f"{path} is not a workbench glossary")
    terms = [(str(t["term"]), str(t["definition"])) for t in data.get("terms", [])]
    return tuple(sorted(terms, key=lambda term: term[0].lower()))


def definitions(framework: Framework) -> rr.Definitions:
    return rr.Definitions(severities=framework.severities or DEFAULT_SEVERITIES,
                          levels=tuple((level.level, level.name, level.descriptor) for level in framework.levels),
                          glossary=glossary())


def evidence_labels(document: Mapping[str, Any]) -> list[str]:
    """How the report names each evidence file: "E1 interview-notes.txt", in the evidence index's order."""
    return [f"E{number} {item['file_name']}" for number, item in enumerate(document["evidence"], start=1)]


def evidence_by_finding(document: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Finding uid → the evidence files linked to it (the evidence index maps the other way)."""
    found: dict[str, list[str]] = defaultdict(list)
    for label, item in zip(evidence_labels(document), document["evidence"], strict=True):
        for link in item.get("links", []):
            if link["target_kind"] == "finding":
                found[link["target_key"]].append(label)
    return {uid: tuple(labels) for uid, labels in found.items()}


def asset_list(text: str) -> tuple[str, ...]:
    """A finding's affected assets, one per line (or separated by semicolons)."""
    return tuple(part.strip() for line in text.splitlines() for part in line.split(";") if part.strip())
