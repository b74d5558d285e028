"""The record library: starter content and the firm's own entries for every record kind the auditor adds from a
library — findings, risks, costs, roadmap items and matrix rows.

The starter entries ship in resources/starter_library.json (common findings and facts of the framework sources,
our wording); the firm's own entries are kept in its data folder (record_library.json), so they follow the auditor
from engagement to engagement. Finding templates the firm saved before the record library existed
(finding_library.json in the same folder, format "workbench-finding-library") are read as firm entries too; new
entries are only ever written to record_library.json. Every entry is validated as the record it makes before it is
offered; adding entries to an engagement goes through services.records (one change, one audit event per row).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from workbench.domain.errors import ValidationError
from workbench.domain.fields import clean_record
from workbench.domain.framework import Framework
from workbench.domain.matrices import clean_matrix_data
from workbench.fs.files import atomic_text
from workbench.resources import resource
from workbench.services.engagements import create_engagement
from workbench.services.records import add_in_unit
from workbench.services.unit import change
from workbench.store.workspace import Workspace

FORMAT = "workbench-record-library"
LEGACY_FINDING_FORMAT = "workbench-finding-library"
KINDS = ("finding", "risk", "cost", "roadmap", "matrix")
STARTER_KINDS = ("risk", "cost", "roadmap", "matrix")  # what "start from the seed templates" adds; findings are picked
SKIPPED = ("uid", "ref", "carried_forward")  # what an engagement gives a record, never a library entry
# what a finding entry keeps: the finding's substance, not its state in one engagement (status, owner, dates …)
FINDING_FIELDS = ("title", "severity", "impact", "description", "recommendation", "effort_hours")


@dataclass(frozen=True)
class LibraryEntry:
    id: str
    kind: str
    title: str
    values: dict[str, Any]
    origin: str  # "starter" or "firm"
    dimensions: Mapping[str, str] = field(default_factory=dict)  # findings: framework id → its dimension id
    tags: tuple[str, ...] = ()
    category: str = ""

    @property
    def matrix_kind(self) -> str:
        return str(self.values.get("kind", "")) if self.kind == "matrix" else ""

    def record_values(self, framework: Framework | None = None) -> dict[str, Any]:
        """The values of a record made from this entry; a finding is filed under the entry's dimension for
        `framework` when it names one of that framework's dimensions."""
        values = dict(self.values)
        if self.kind == "finding":
            dimension = self.dimensions.get(framework.id, "") if framework is not None else ""
            known = {d.id for d in framework.dimensions} if framework is not None else set()
            values["dimension_id"] = dimension if dimension in known else ""
        return values


def library_folder() -> Path:
    return Path(platformdirs.user_data_dir("workbench", appauthor=False))


def firm_library_path() -> Path:
    """Where the firm's own entries are kept."""
    return library_folder() / "record_library.json"


def legacy_finding_library_path() -> Path:
    """The firm's finding templates as they were saved before the record library: read, never written."""
    return library_folder() / "finding_library.json"


def _text_map(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        raise ValidationError(f"{where}: an entry's dimensions are not framework ids naming dimension ids")
    return dict(raw)


def _tags(raw: Any, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(tag, str) for tag in raw):
        raise ValidationError(f"{where}: an entry's tags are not a list of words")
    return tuple(raw)


def _entry(raw: Any, origin: str, where: str) -> LibraryEntry:
    if not isinstance(raw, dict) or not isinstance(raw.get("values"), dict):
        raise ValidationError(f"{where}: an entry is not an object with values")
    kind, title = str(raw.get("kind", "")), str(raw.get("title", "")).strip()
    if kind not in KINDS:
        raise ValidationError(f"{where}: '{kind}' is not a kind the library holds ({', '.join(KINDS)})")
    if not title:
        raise ValidationError(f"{where}: an entry has no title")
    try:
        values = clean_record(kind, raw["values"], partial=True)
        if kind == "matrix":
            values["data"] = clean_matrix_data(str(values.get("kind", "")), values.get("data") or {})
    except ValidationError as exc:
        raise ValidationError(f"{where}: entry '{title}': {exc}") from None
    return LibraryEntry(str(raw.get("id") or title), kind, title, dict(raw["values"]), origin,
                        _text_map(raw.get("dimensions", {}), where), _tags(raw.get("tags", []), where),
                        str(raw.get("category", "")))


def _parse(data: Any, origin: str, where: str) -> list[LibraryEntry]:
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("entries"), list):
        raise ValidationError(f"{where} is not a record library (format '{FORMAT}' with a list of entries)")
    return [_entry(raw, origin, where) for raw in data["entries"]]


def _legacy_finding(raw: Any) -> dict[str, Any]:
    """A template of the old finding library as a record-library entry."""
    if not isinstance(raw, dict):
        return {}
    values = {name: raw[name] for name in FINDING_FIELDS if raw.get(name) is not None}
    values.setdefault("severity", "Medium")
    return {"id": raw.get("id"), "kind": "finding", "title": raw.get("title", ""), "values": values,
            "dimensions": raw.get("dimensions", {}), "tags": raw.get("tags", []), "category": raw.get("category", "")}


def _parse_legacy(data: Any, where: str) -> list[LibraryEntry]:
    if (not isinstance(data, dict) or data.get("format") != LEGACY_FINDING_FORMAT
            or not isinstance(data.get("templates"), list)):
        raise ValidationError(f"{where} is not a finding library (format '{LEGACY_FINDING_FORMAT}' with templates)")
    return [_entry(_legacy_finding(raw), "firm", where) for raw in data["templates"]]


def _read_json(path: Path, where: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(f"{where} cannot be read: {exc.__class__.__name__}") from None


def starter_entries() -> list[LibraryEntry]:
    return _parse(json.loads(resource("starter_library.json").read_text(encoding="utf-8")), "starter",
                  "the starter library")


def firm_entries() -> list[LibraryEntry]:
    """The firm's own entries (its older finding templates first); a damaged file is refused in one plain sentence
    (ValidationError)."""
    entries: list[LibraryEntry] = []
    legacy = legacy_finding_library_path()
    if legacy.exists():
        where = f"the firm's finding library {legacy}"
        entries += _parse_legacy(_read_json(legacy, where), where)
    path = firm_library_path()
    if path.exists():
        where = f"the firm's record library {path}"
        entries += _parse(_read_json(path, where), "firm", where)
    return entries


def library_entries(kind: str, matrix_kind: str = "") -> list[LibraryEntry]:
    """Starter and firm entries of one kind (a matrix kind too for matrix rows), starter ones first."""
    return [e for e in (*starter_entries(), *firm_entries())
            if e.kind == kind and (not matrix_kind or e.matrix_kind == matrix_kind)]


def _kept_values(kind: str, record: Mapping[str, Any]) -> dict[str, Any]:
    if kind == "finding":
        return {name: record[name] for name in FINDING_FIELDS if record.get(name) not in (None, "")}
    return {k: v for k, v in record.items() if k not in SKIPPED}


def save_entry(kind: str, record: Mapping[str, Any], title: str, framework_id: str = "") -> LibraryEntry:
    """Keep a record of this engagement as a firm entry (its uid, ref and carried mark left out; of a finding its
    substance only, and its dimension under `framework_id`)."""
    title = title.strip()
    if not title:
        raise ValidationError("a library entry needs a title")
    raw: dict[str, Any] = {"kind": kind, "title": title, "values": _kept_values(kind, record)}
    if kind == "finding" and framework_id and record.get("dimension_id"):
        raw["dimensions"] = {framework_id: str(record["dimension_id"])}
    _entry(raw, "firm", "the entry")  # refused before anything is read or written
    path = firm_library_path()
    where = f"the firm's record library {path}"
    entries: list[Any] = []
    if path.exists():
        data = _read_json(path, where)
        _parse(data, "firm", where)  # a damaged file is refused, never overwritten
        entries = list(data["entries"])
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:48] or kind
    taken = {e.id for e in firm_entries()} | {str(e.get("id")) for e in entries}
    ident, n = f"firm-{slug}", 2
    while ident in taken:
        ident, n = f"firm-{slug}-{n}", n + 1
    raw = {"id": ident, **raw}
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_text(path) as handle:
        json.dump({"format": FORMAT, "format_version": 1, "entries": [*entries, raw]}, handle,
                  ensure_ascii=False, indent=1)
    return _entry(raw, "firm", where)


def add_entries(ws: Workspace, engagement_key: str, entries: Sequence[LibraryEntry],
                framework: Framework | None = None) -> list[str]:
    """Add a record per entry to the engagement in one change (one audit event each); returns their uids."""
    with change(ws, engagement_key) as unit:
        return [add_in_unit(unit, entry.kind, entry.record_values(framework), action="create").uid
                for entry in entries]


def add_starter_content(ws: Workspace, engagement_key: str) -> list[str]:
    """Fill a new engagement with the starter content: risks, costs, roadmap, compliance, platform, tools, metrics."""
    return add_entries(ws, engagement_key, [e for e in starter_entries() if e.kind in STARTER_KINDS])


def start_engagement(ws: Workspace, *, starter: bool, client: dict[str, Any] | str, title: str,
                     framework_id: str = "mlops-architecture", details: dict[str, Any] | None = None) -> str:
    """A new engagement, filled with the starter content when `starter` (read and checked before anything is
    written); returns its uid."""
    entries = [e for e in starter_entries() if e.kind in STARTER_KINDS] if starter else []
    uid = create_engagement(ws, client=client, title=title, framework_id=framework_id, details=details)
    if entries:
        add_entries(ws, uid, entries)
    return uid
