"""The frameworks an engagement can start from: built-in files and ones the auditor imported.

Imports accept the native format, OSCAL catalogs and CISO Assistant libraries (workbench/catalogs).
Nothing is written until the file has been read, converted and validated in full; an imported
framework's weights can change, and it can be deleted, only while no engagement uses it (engagements
keep their own frozen snapshot anyway).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from workbench.catalogs.common import apply_weights
from workbench.catalogs.detect import MAX_FILE_BYTES, convert, read_source
from workbench.catalogs.provenance import FORMAT_LABELS
from workbench.domain.errors import ConflictError, NotFoundError, ValidationError
from workbench.domain.framework import Framework, parse_framework, parse_framework_text
from workbench.resources import resource
from workbench.store.tables import Engagement, FrameworkDefinition
from workbench.store.workspace import Workspace

MAX_FRAMEWORK_BYTES = MAX_FILE_BYTES


@dataclass(frozen=True)
class FrameworkEntry:
    framework: Framework
    origin: str  # "built-in" or "imported"
    engagements: int = 0  # engagements started from this id and version

    @property
    def provenance(self) -> dict[str, Any]:
        value = self.framework.raw.get("provenance")
        return value if isinstance(value, dict) else {}

    @property
    def source_label(self) -> str:
        """"Built-in", or the imported file's format ("OSCAL catalog", "CISO Assistant library" ...)."""
        if self.origin == "built-in":
            return "Built-in"
        return FORMAT_LABELS.get(str(self.provenance.get("format", "workbench")), "Workbench framework file")


@dataclass(frozen=True)
class FrameworkPreview:
    """A file read, converted and validated, nothing written: what the import would store."""

    framework: Framework
    source_format: str
    file_name: str
    sha256: str
    size: int
    warnings: tuple[str, ...]

    @property
    def source_label(self) -> str:
        return FORMAT_LABELS[self.source_format]


@lru_cache(maxsize=8)
def _builtin_cached(folder: str) -> tuple[Framework, ...]:
    frameworks = []
    for path in sorted(Path(folder).glob("*.json")):
        try:
            frameworks.append(parse_framework_text(path.read_bytes()))
        except ValidationError as exc:
            raise ValidationError(f"{path.name}: {exc}") from exc
    return tuple(frameworks)


def builtin_frameworks() -> tuple[Framework, ...]:
    return _builtin_cached(str(resource("frameworks")))


def available_frameworks(ws: Workspace | None = None) -> list[FrameworkEntry]:
    if ws is None:
        return [FrameworkEntry(fw, "built-in") for fw in builtin_frameworks()]
    with ws.session() as session:
        usage = framework_usage(session)
        entries = [FrameworkEntry(fw, "built-in", usage[(fw.id, fw.version)]) for fw in builtin_frameworks()]
        for row in session.exec(select(FrameworkDefinition).order_by(FrameworkDefinition.framework_id)):
            entries.append(FrameworkEntry(parse_framework_text(row.content), "imported",
                                          usage[(row.framework_id, row.version)]))
    return entries


def framework_usage(session: Session) -> Counter[tuple[str, str]]:
    """How many engagements (archived ones too) were started from each framework id and version."""
    rows = session.exec(select(Engagement.framework_id, Engagement.framework_version, func.count())
                        .group_by(Engagement.framework_id, Engagement.framework_version))
    return Counter({(fid, version): count for fid, version, count in rows})


def get_framework(framework_id: str, ws: Workspace | None = None) -> Framework:
    matches = [entry.framework for entry in available_frameworks(ws) if entry.framework.id == framework_id]
    if not matches:
        known = ", ".join(sorted({e.framework.id for e in available_frameworks(ws)}))
        raise NotFoundError(f"no framework '{framework_id}' (available: {known})")
    return matches[-1]


def preview_framework_file(path: Path, weights: Mapping[str, float] | None = None,
                           framework_id: str | None = None) -> FrameworkPreview:
    """Read, convert and validate a framework file of any supported format; writes nothing.

    `framework_id` replaces the id the conversion derived (from a catalog's long title, say) with one the
    auditor will type."""
    source = read_source(Path(path))
    conversion = convert(source)
    document = conversion.document
    if framework_id:
        document["id"] = framework_id
    if weights:
        apply_weights(document, weights)
    document["provenance"] = {"format": conversion.source_format, "file": source.name, "sha256": source.sha256,
                              "imported_at": None, "source": conversion.source_metadata}
    framework = parse_framework(document)
    if any(fw.id == framework.id for fw in builtin_frameworks()):
        raise ValidationError(f"framework id '{framework.id}' belongs to a built-in framework; choose another id")
    return FrameworkPreview(framework, conversion.source_format, source.name, source.sha256, source.size,
                            tuple(conversion.warnings))


def import_framework_file(ws: Workspace, path: Path, *, weights: Mapping[str, float] | None = None,
                          expected_sha256: str | None = None, framework_id: str | None = None) -> Framework:
    """Validate a framework file and keep it in the workspace; nothing is written if it is refused.

    `expected_sha256` (from a preview) refuses a file that changed since it was shown to the auditor.
    """
    preview = preview_framework_file(path, weights, framework_id)
    if expected_sha256 and preview.sha256 != expected_sha256:
        raise ConflictError(f"{preview.file_name} changed since it was previewed; preview it again")
    return store_framework(ws, preview)


def store_framework(ws: Workspace, preview: FrameworkPreview) -> Framework:
    """Keep a previewed framework in the workspace, stamped with the import time."""
    document = dict(preview.framework.raw)
    now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    document["provenance"] = {**document["provenance"], "imported_at": now}
    framework = parse_framework(document)
    text = json.dumps(document, ensure_ascii=False, sort_keys=True)
    with ws.writing() as session:
        if _definition(session, framework.id, framework.version) is not None:
            raise ValidationError(f"framework '{framework.id}' version {framework.version} is already imported; "
                                  "give this one another id")
        session.add(FrameworkDefinition(
            framework_id=framework.id, version=framework.version, name=framework.name, sha256=preview.sha256,
            content=text, source_file=preview.file_name, imported_at=now))
    return framework


def _definition(session: Session, framework_id: str, version: str | None) -> FrameworkDefinition | None:
    query = select(FrameworkDefinition).where(FrameworkDefinition.framework_id == framework_id)
    rows = list(session.exec(query if version is None else query.where(FrameworkDefinition.version == version)))
    if len(rows) > 1:
        versions = ", ".join(sorted(r.version for r in rows))
        raise ValidationError(f"framework '{framework_id}' is imported in several versions ({versions}); name one")
    return rows[0] if rows else None


def _unused_import(session: Session, framework_id: str, version: str | None, action: str) -> FrameworkDefinition:
    """The imported definition an action may change: not built-in, and no engagement started from it."""
    row = _definition(session, framework_id, version)
    if row is None:
        if any(fw.id == framework_id for fw in builtin_frameworks()):
            raise ValidationError(f"'{framework_id}' is a built-in framework; it cannot be {action}")
        raise NotFoundError(f"no imported framework '{framework_id}'" + (f" version {version}" if version else ""))
    used = framework_usage(session)[(row.framework_id, row.version)]
    if used:
        raise ConflictError(f"framework '{framework_id}' {row.version} is used by {used} engagement"
                            f"{'s' if used != 1 else ''}; it cannot be {action}")
    return row


def delete_framework(ws: Workspace, framework_id: str, version: str | None = None) -> None:
    """Remove an imported framework that no engagement uses."""
    with ws.writing() as session:
        session.delete(_unused_import(session, framework_id, version, "deleted"))


def set_framework_weights(ws: Workspace, framework_id: str, weights: Mapping[str, float],
                          version: str | None = None) -> Framework:
    """Change the weights of an imported framework before its first use (relative, normalised to 1)."""
    with ws.writing() as session:
        row = _unused_import(session, framework_id, version, "re-weighted")
        document = apply_weights(json.loads(row.content), weights)
        framework = parse_framework(document)
        row.content = json.dumps(document, ensure_ascii=False, sort_keys=True)
        session.add(row)
    return framework
