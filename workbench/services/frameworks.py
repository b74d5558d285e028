"""The frameworks an engagement can start from: built-in files and ones the auditor imported."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from sqlmodel import select

from workbench.domain.errors import NotFoundError, ValidationError
from workbench.domain.framework import Framework, parse_framework, parse_framework_text
from workbench.resources import resource
from workbench.store.tables import FrameworkDefinition
from workbench.store.workspace import Workspace

MAX_FRAMEWORK_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class FrameworkEntry:
    framework: Framework
    origin: str  # "built-in" or "imported"


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
    entries = [FrameworkEntry(fw, "built-in") for fw in builtin_frameworks()]
    if ws is not None:
        with ws.session() as session:
            for row in session.exec(select(FrameworkDefinition).order_by(FrameworkDefinition.framework_id)):
                entries.append(FrameworkEntry(parse_framework_text(row.content), "imported"))
    return entries


def get_framework(framework_id: str, ws: Workspace | None = None) -> Framework:
    matches = [entry.framework for entry in available_frameworks(ws) if entry.framework.id == framework_id]
    if not matches:
        known = ", ".join(sorted({e.framework.id for e in available_frameworks(ws)}))
        raise NotFoundError(f"no framework '{framework_id}' (available: {known})")
    return matches[-1]


def import_framework_file(ws: Workspace, path: Path) -> Framework:
    """Validate a framework file and keep it in the workspace; nothing is written if it is refused."""
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(f"no file {path}")
    if path.stat().st_size > MAX_FRAMEWORK_BYTES:
        raise ValidationError(f"{path.name} is larger than {MAX_FRAMEWORK_BYTES // 1024 // 1024} MB")
    content = path.read_bytes()
    framework = parse_framework_text(content)
    if any(fw.id == framework.id for fw in builtin_frameworks()):
        raise ValidationError(f"framework id '{framework.id}' belongs to a built-in framework; choose another id")
    text = json.dumps(framework.raw, ensure_ascii=False, sort_keys=True)
    with ws.session() as session, session.begin():
        existing = session.exec(select(FrameworkDefinition).where(
            FrameworkDefinition.framework_id == framework.id,
            FrameworkDefinition.version == framework.version)).first()
        if existing is not None:
            raise ValidationError(f"framework '{framework.id}' version {framework.version} is already imported")
        session.add(FrameworkDefinition(
            framework_id=framework.id, version=framework.version, name=framework.name,
            sha256=hashlib.sha256(content).hexdigest(), content=text, source_file=path.name,
            imported_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")))
    return parse_framework(json.loads(text))
