"""The record library: starter content for risks, costs, roadmap items and matrix rows, and the firm's own entries.

The starter entries ship in resources/starter_library.json (facts of the framework sources, our wording); the
firm's own entries are kept beside the firm's finding library (services.finding_library.user_library_path's
folder), so both follow the auditor from engagement to engagement. Every entry is validated as the record it
makes before it is offered; adding entries to an engagement goes through services.records (one change, one
audit event per row).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.domain.errors import ValidationError
from workbench.domain.fields import clean_record
from workbench.domain.matrices import clean_matrix_data
from workbench.fs.files import atomic_text
from workbench.resources import resource
from workbench.services.engagements import create_engagement
from workbench.services.finding_library import user_library_path
from workbench.services.records import add_in_unit
from workbench.services.unit import change
from workbench.store.workspace import Workspace

FORMAT = "workbench-record-library"
KINDS = ("risk", "cost", "roadmap", "matrix")
SKIPPED = ("uid", "ref", "carried_forward")  # what an engagement gives a record, never a library entry


@dataclass(frozen=True)
class LibraryEntry:
    id: str
    kind: str
    title: str
    values: dict[str, Any]
    origin: str  # "starter" or "firm"

    @property
    def matrix_kind(self) -> str:
        return str(self.values.get("kind", "")) if self.kind == "matrix" else ""


def firm_library_path() -> Path:
    """Where the firm's own entries are kept: beside its finding library."""
    return user_library_path().with_name("record_library.json")


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
    return LibraryEntry(str(raw.get("id") or title), kind, title, dict(raw["values"]), origin)


def _parse(data: Any, origin: str, where: str) -> list[LibraryEntry]:
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("entries"), list):
        raise ValidationError(f"{where} is not a record library (format '{FORMAT}' with a list of entries)")
    return [_entry(raw, origin, where) for raw in data["entries"]]


def starter_entries() -> list[LibraryEntry]:
    return _parse(json.loads(resource("starter_library.json").read_text(encoding="utf-8")), "starter",
                  "the starter library")


def firm_entries() -> list[LibraryEntry]:
    """The firm's own entries; a damaged file is refused in one plain sentence (ValidationError)."""
    path = firm_library_path()
    if not path.exists():
        return []
    where = f"the firm's record library {path}"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(f"{where} cannot be read: {exc.__class__.__name__}") from None
    return _parse(data, "firm", where)


def library_entries(kind: str, matrix_kind: str = "") -> list[LibraryEntry]:
    """Starter and firm entries of one kind (a matrix kind too for matrix rows), starter ones first."""
    return [e for e in (*starter_entries(), *firm_entries())
            if e.kind == kind and (not matrix_kind or e.matrix_kind == matrix_kind)]


def save_entry(kind: str, record: dict[str, Any], title: str) -> LibraryEntry:
    """Keep a record of this engagement as a firm entry (its uid, ref and carried mark left out)."""
    title = title.strip()
    if not title:
        raise ValidationError("a library entry needs a title")
    values = {k: v for k, v in record.items() if k not in SKIPPED}
    entry = _entry({"kind": kind, "title": title, "values": values}, "firm", "the entry")
    path = firm_library_path()
    entries = [_raw(e) for e in firm_entries()]
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:48] or kind
    taken = {e["id"] for e in entries}
    ident, n = f"firm-{slug}", 2
    while ident in taken:
        ident, n = f"firm-{slug}-{n}", n + 1
    entry = LibraryEntry(ident, entry.kind, entry.title, entry.values, "firm")
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_text(path) as handle:
        json.dump({"format": FORMAT, "format_version": 1, "entries": [*entries, _raw(entry)]}, handle,
                  ensure_ascii=False, indent=1)
    return entry


def _raw(entry: LibraryEntry) -> dict[str, Any]:
    return {"id": entry.id, "kind": entry.kind, "title": entry.title, "values": entry.values}


def add_entries(ws: Workspace, engagement_key: str, entries: Sequence[LibraryEntry]) -> list[str]:
    """Add a record per entry to the engagement in one change (one audit event each); returns their uids."""
    with change(ws, engagement_key) as unit:
        return [add_in_unit(unit, entry.kind, dict(entry.values), action="create").uid for entry in entries]


def add_starter_content(ws: Workspace, engagement_key: str) -> list[str]:
    """Fill a new engagement with every starter entry: risks, costs, roadmap, compliance, platform, tools, metrics."""
    return add_entries(ws, engagement_key, starter_entries())


def start_engagement(ws: Workspace, *, starter: bool, client: dict[str, Any] | str, title: str,
                     framework_id: str = "mlops-architecture", details: dict[str, Any] | None = None) -> str:
    """A new engagement, filled with the starter content when `starter` (read and checked before anything is
    written); returns its uid."""
    entries = starter_entries() if starter else []
    uid = create_engagement(ws, client=client, title=title, framework_id=framework_id, details=details)
    if entries:
        add_entries(ws, uid, entries)
    return uid
