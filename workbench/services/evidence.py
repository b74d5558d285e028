"""Evidence files: hashed once, stored once per workspace, linked to what they support."""

from __future__ import annotations

import hashlib
import mimetypes
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from workbench.domain.enums import LinkKind
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.domain.fields import clean_record
from workbench.services.record_versions import checked_change, refuse_stale
from workbench.services.records import find_row
from workbench.services.unit import Unit, change, reading
from workbench.store.tables import (
    Evidence,
    EvidenceBlob,
    EvidenceLink,
    ModelAsset,
    row_to_dict,
)
from workbench.store.workspace import Workspace

MAX_EVIDENCE_BYTES = 1024 * 1024 * 1024  # SQLite's BLOB limit is 1 GB


def store_blob(session: Session, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    if session.get(EvidenceBlob, digest) is None:
        session.add(EvidenceBlob(sha256=digest, size=len(data), data=data))
        session.flush()
    return digest


def resolve_link_target(unit: Unit, kind: str, key: str) -> str:
    """The stable key a link stores: record uid, or the checklist item id."""
    link_kind = LinkKind.parse(kind, "target_kind")
    if link_kind is LinkKind.CHECKLIST_ITEM:
        unit.framework.item(key)
        return key
    if link_kind is LinkKind.MODEL:
        by_name = unit.session.exec(select(ModelAsset).where(ModelAsset.engagement_id == unit.engagement.id,
                                                             ModelAsset.name == key)).first()
        if by_name is not None:
            return by_name.uid
    table_kind = {LinkKind.FINDING: "finding", LinkKind.MODEL: "model", LinkKind.RISK: "risk"}[link_kind]
    uid: str = find_row(unit, unit.engagement, table_kind, key).uid
    return uid


def attach_in_unit(unit: Unit, data: bytes, file_name: str, *, description: str = "",
                   media_type: str | None = None, captured_at: str | None = None,
                   links: Sequence[tuple[str, str]] = (), uid: str | None = None) -> Evidence:
    if len(data) > MAX_EVIDENCE_BYTES:
        raise ValidationError(f"{file_name} is larger than 1 GB")
    digest = store_blob(unit.session, data)
    values = clean_record("evidence", {
        "sha256": digest, "file_name": Path(file_name).name or "evidence", "size": len(data),
        "media_type": media_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream",
        "captured_at": captured_at or unit.at, "description": description})
    row = Evidence(engagement_id=unit.engagement.id, uid=uid or str(uuid.uuid4()), **values)  # type: ignore[arg-type]
    unit.session.add(row)
    unit.session.flush()
    unit.record("attach", "evidence", row.uid, None, row_to_dict(row))
    for kind, key in links:
        link_in_unit(unit, row.uid, kind, key)
    return row


def link_in_unit(unit: Unit, evidence_uid: str, kind: str, key: str, uid: str | None = None) -> EvidenceLink:
    find_row(unit, unit.engagement, "evidence", evidence_uid)
    target = resolve_link_target(unit, kind, key)
    values = clean_record("evidence_link", {"evidence_uid": evidence_uid, "target_kind": kind, "target_key": target})
    link = EvidenceLink(engagement_id=unit.engagement.id, uid=uid or str(uuid.uuid4()), **values)  # type: ignore[arg-type]
    unit.session.add(link)
    unit.session.flush()
    unit.record("link", "evidence_link", link.uid, None, row_to_dict(link))
    return link


def attach_file(ws: Workspace, engagement_key: str, path: Path, *, description: str = "",
                links: Sequence[tuple[str, str]] = ()) -> str:
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(f"no file {path}")
    if path.stat().st_size > MAX_EVIDENCE_BYTES:
        raise ValidationError(f"{path.name} is larger than 1 GB")
    data = path.read_bytes()
    with change(ws, engagement_key) as unit:
        return attach_in_unit(unit, data, path.name, description=description, links=list(links)).uid


def attach_bytes(ws: Workspace, engagement_key: str, data: bytes, file_name: str, **kwargs: Any) -> str:
    with change(ws, engagement_key) as unit:
        return attach_in_unit(unit, data, file_name, **kwargs).uid


def link_evidence(ws: Workspace, engagement_key: str, evidence_uid: str, kind: str, key: str) -> str:
    with change(ws, engagement_key) as unit:
        return link_in_unit(unit, evidence_uid, kind, key).uid


def unlink_evidence(ws: Workspace, engagement_key: str, link_uid: str) -> None:
    with change(ws, engagement_key) as unit:
        link = find_row(unit, unit.engagement, "evidence_link", link_uid)
        unit.session.delete(link)
        unit.record("unlink", "evidence_link", link.uid, row_to_dict(link), None)


def remove_evidence(ws: Workspace, engagement_key: str, evidence_uid: str, *, seen_version: int | None = None) -> None:
    """Remove evidence and its links from the engagement; the blob stays if others cite it. `seen_version`: the
    version the auditor's page showed (None: not checked); evidence described anew by someone else since is not
    removed (StaleEditError, services.record_versions)."""
    remove_evidence_files(ws, engagement_key, [evidence_uid], {evidence_uid: seen_version})


def remove_evidence_files(ws: Workspace, engagement_key: str, evidence_uids: Sequence[str],
                          seen_versions: Mapping[str, int | None] | None = None) -> None:
    """remove_evidence for several files in one transaction: one of them changed since and none is removed."""
    if not evidence_uids:
        return
    seen = seen_versions or {}
    with checked_change(ws, engagement_key, "evidence", evidence_uids[0]) as unit:
        for evidence_uid in evidence_uids:
            _remove_in_unit(unit, evidence_uid, seen.get(evidence_uid))


def _remove_in_unit(unit: Unit, evidence_uid: str, seen_version: int | None) -> None:
    row = find_row(unit, unit.engagement, "evidence", evidence_uid)
    if seen_version is not None:
        refuse_stale(unit.session, unit.engagement.uid, "evidence", row, seen_version)
    for link in unit.session.exec(select(EvidenceLink).where(EvidenceLink.engagement_id == unit.engagement.id,
                                                             EvidenceLink.evidence_uid == row.uid)):
        unit.session.delete(link)
        unit.record("unlink", "evidence_link", link.uid, row_to_dict(link), None)
    unit.session.delete(row)
    unit.record("remove", "evidence", row.uid, row_to_dict(row), None)
    unit.session.flush()
    if unit.session.exec(select(Evidence).where(Evidence.sha256 == row.sha256)).first() is None:
        blob = unit.session.get(EvidenceBlob, row.sha256)
        if blob is not None:
            unit.session.delete(blob)


def read_evidence(ws: Workspace, engagement_key: str, evidence_uid: str) -> tuple[dict[str, Any], bytes]:
    with reading(ws, engagement_key) as (session, engagement):
        row = find_row(session, engagement, "evidence", evidence_uid)
        blob = session.get(EvidenceBlob, row.sha256)
        if blob is None:
            raise NotFoundError(f"the content of evidence {row.file_name} is missing from the workspace")
        return row_to_dict(row), blob.data


