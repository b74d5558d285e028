"""Engagement packages (.mlaudit): one engagement, its evidence and its audit trail in a zip file.

Export writes the package atomically. Import checks everything first (services.package_checks),
then writes the whole engagement in one transaction, copies the audit trail verbatim and appends
the events that reconcile what the import itself changed (new uid or ref, the local client).
See docs/file-format.md.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from sqlalchemy import func, insert
from sqlmodel import Session, SQLModel, select

import workbench
from workbench.domain.errors import PackageError
from workbench.domain.trail import FIELDWORK_IMPORT, NOTICE, ORIGIN, UNTRUSTED_IMPORT, canonical_json
from workbench.fs.files import atomic_output
from workbench.services.attestation import Signer, attestation_event
from workbench.services.document import DOCUMENT_KINDS, current_states, engagement_document
from workbench.services.engagements import client_state, engagement_state, next_ref
from workbench.services.evidence import store_blob
from workbench.services.package_checks import (
    FORMAT,
    FORMAT_VERSION,
    MERGED_FORMAT_VERSION,
    CheckedPackage,
    check_package,
)
from workbench.services.package_signature import SIGNATURE, UntrustedPackage, signature_document
from workbench.services.package_zip import DOCUMENT, MANIFEST, open_package, read_member
from workbench.services.records import table_of
from workbench.services.unit import Unit, reading, utc_now
from workbench.store.audit import compare_records, events_of, latest_states, verify_chain
from workbench.store.tables import (
    ROW_VERSION,
    AuditEvent,
    Client,
    Engagement,
    EvidenceBlob,
    EvidenceLink,
    FrameworkSnapshot,
    stored_id,
)
from workbench.store.workspace import Workspace

if TYPE_CHECKING:
    from workbench.services.package_envelope import OpeningKeys, Protection

SUFFIX = ".mlaudit"

# -- export ------------------------------------------------------------------------------------


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=time.gmtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o100644 << 16
    return info


def _evidence_blobs(session: Session, document: Mapping[str, Any]) -> dict[str, bytes]:
    """Each evidence file once, checked against its hash (a package must be importable)."""
    blobs: dict[str, bytes] = {}
    for record in document["evidence"]:
        digest = record["sha256"]
        if digest in blobs:
            continue
        data = session.exec(select(EvidenceBlob.data).where(EvidenceBlob.sha256 == digest)).first()
        if data is None or hashlib.sha256(data).hexdigest() != digest:
            raise PackageError(f"the content of evidence {record['file_name']} is missing or altered in the "
                               "workspace, so the package cannot be written")
        blobs[digest] = data
    return blobs


def _target_path(target: Path, ref: str) -> Path:
    target = Path(target).expanduser()
    return target / f"{ref}{SUFFIX}" if target.is_dir() else target


def _zip_into(handle: BinaryIO, members: list[tuple[str, bytes]]) -> None:
    archive = zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED)
    try:
        for name, data in members:
            archive.writestr(_zip_info(name), data)
        archive.close()
    except BaseException:
        archive.fp = None  # a failed write: neither close() nor __del__ may write the directory again
        raise


def _write_zip(path: Path, members: list[tuple[str, bytes]], protection: Protection | None) -> None:
    """Write beside the target and rename it into place (fs.files): a full disk or a read-only folder
    leaves no half package behind. An encrypted package is zipped and sealed in memory: its clear bytes
    are never written."""
    if protection is None:
        with atomic_output(path) as handle:
            _zip_into(handle, members)
        return
    from workbench.services.package_envelope import seal_package  # the cryptography loads only to encrypt

    buffer = io.BytesIO()
    _zip_into(buffer, members)
    sealed = seal_package(buffer.getbuffer().tobytes(), protection)
    del buffer
    with atomic_output(path) as handle:
        handle.write(sealed)


def document_text(document: Mapping[str, Any]) -> bytes:
    """engagement.json: keys sorted, objects indented, each record of a list on a line of its own.

    json's fast C encoder only runs without `indent`: indenting a 5,000-finding engagement in pure
    Python took seconds. One compact line per record reads and diffs just as well.
    """
    def compact(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))

    parts = []
    for key in sorted(document):
        value = document[key]
        if isinstance(value, list) and value:
            body = "[\n  " + ",\n  ".join(compact(item) for item in value) + "\n ]"
        else:
            body = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).replace("\n", "\n ")
        parts.append(f" {json.dumps(key)}: {body}")
    return ("{\n" + ",\n".join(parts) + "\n}\n").encode("utf-8")


def export_package(ws: Workspace, engagement_key: str, target: Path, *, signer: Signer | None,
                   protection: Protection | None = None, for_fieldwork: bool = False) -> Path:
    """Write the engagement as a .mlaudit package; a folder as target gets '<ref>.mlaudit'. Returns the path.

    With a `signer` (an unlocked identity) the package's trail ends with an export attestation and
    signature.json signs the manifest (services.package_signature); with None the package is unsigned and
    can only be imported as untrusted. The export attestation goes into the package, not into this
    workspace: exporting stays a read. With a `protection` the signed package is then encrypted for its
    recipients and/or a passphrase (services.package_envelope). `for_fieldwork` hands the engagement out to a
    colleague: the manifest names the branch it starts ("branch": its id and the event it branches from;
    docs/file-format.md).
    """
    with reading(ws, engagement_key) as (session, engagement):
        package = package_members(session, engagement, ws.actor, signer=signer, for_fieldwork=for_fieldwork)
    path = _target_path(target, package.ref)
    _write_zip(path, package.members, protection)
    return path


@dataclass(frozen=True)
class PackageMembers:
    """A package's members as bytes, in zip order, before they are zipped (export_package, or in memory)."""

    ref: str
    manifest: dict[str, Any]
    members: list[tuple[str, bytes]]

    def zipped(self) -> bytes:
        """The package as a zip in memory (a checkout hands it to the laptop without writing it anywhere)."""
        buffer = io.BytesIO()
        _zip_into(buffer, self.members)
        return buffer.getvalue()


def package_members(session: Session, engagement: Engagement, actor: str, *, signer: Signer | None,
                    for_fieldwork: bool = False) -> PackageMembers:
    """The engagement as it stands in `session` (what it wrote and not yet committed included), packaged."""
    document = engagement_document(session, engagement)
    blobs = _evidence_blobs(session, document)
    ref, uid = engagement.ref, engagement.uid
    exported_at = utc_now()
    events = document["audit_log"]
    base = (int(events[-1]["seq"]), str(events[-1]["hash"])) if events else (0, "0" * 64)
    if signer is not None:
        events.append(attestation_event(events, uid, signer, "export", exported_at, actor))
    text = document_text(document)
    files = {DOCUMENT: hashlib.sha256(text).hexdigest(), **{f"evidence/{digest}": digest for digest in blobs}}
    merged = any(ORIGIN in event for event in events)  # an older version could not verify them: format 3
    manifest: dict[str, Any] = {"format": FORMAT, "format_version": MERGED_FORMAT_VERSION if merged else FORMAT_VERSION,
                                "app_version": workbench.__version__, "exported_at": exported_at,
                                "engagement_uid": uid, "files": files}
    if for_fieldwork:
        manifest["branch"] = {"id": str(uuid.uuid4()), "engagement_uid": uid, "base_seq": base[0],
                              "base_hash": base[1], "handed_out_by": signer.name if signer else actor}
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    members = [(MANIFEST, manifest_bytes)]
    if signer is not None:
        members.append((SIGNATURE, signature_document(signer, manifest_bytes)))
    members += [(DOCUMENT, text)] + [(f"evidence/{digest}", data) for digest, data in blobs.items()]
    return PackageMembers(ref, manifest, members)


# -- import ------------------------------------------------------------------------------------


def import_package(ws: Workspace, source: Path, *, as_copy: bool = False, untrusted: bool = False,
                   keys: OpeningKeys | None = None) -> str:
    """Check the package, then write its engagement in one transaction; returns the engagement's uid here.

    A package whose signature or attestations fail is refused. One that is unsigned, or signed by an
    identity this computer does not trust, raises UntrustedPackage unless `untrusted` (the user accepted
    the risk); its import then records a notice in the trail saying so. An encrypted package is opened in
    memory first, with this computer's identity or its passphrase, asked through `keys`.
    """
    source = Path(source).expanduser()
    with open_package(source, keys) as archive:
        checked = check_package(archive)
        if not checked.trust.trusted and not untrusted:
            raise UntrustedPackage(source.name, checked.trust.reason)
        with ws.writing() as session:
            return write_engagement(session, ws.actor, archive, checked, as_copy, source.name)


def write_engagement(session: Session, actor: str, archive: zipfile.ZipFile, checked: CheckedPackage,
                     as_copy: bool, package_name: str) -> str:
    """Write a checked package's engagement in `session`'s transaction (import_package; a checkout's laptop)."""
    document = checked.document
    package_state = {k: v for k, v in document["engagement"].items() if k != "updated_at"}
    _refuse_duplicate(session, document["engagement"], as_copy)
    client = _local_client(session, document["client"])
    engagement = _add_engagement(session, document["engagement"], client, as_copy)
    _add_snapshot(session, engagement, checked)
    _add_blobs(session, archive, checked)
    _add_records(session, engagement, document)
    _add_events(session, engagement.uid, document["audit_log"])
    unit = Unit(session, engagement, actor)
    unit.record("import", "engagement", engagement.uid, package_state, engagement_state(engagement))
    branch = checked.manifest.get("branch")
    if branch is not None and engagement.uid == package_state["uid"]:  # a hand-out: this laptop's own branch
        unit.record(FIELDWORK_IMPORT, NOTICE, str(branch["id"]), None, dict(branch))
    if not checked.trust.trusted:
        unit.record(UNTRUSTED_IMPORT, NOTICE, engagement.uid, None, checked.trust.notice(package_name))
    if engagement.uid != package_state["uid"]:
        unit.record("copy", "engagement", package_state["uid"], package_state, None)
    _reconcile_client(unit, client, document["audit_log"])
    _verify_written(session, engagement)
    return engagement.uid


def _refuse_duplicate(session: Session, values: Mapping[str, Any], as_copy: bool) -> None:
    existing = session.exec(select(Engagement).where(Engagement.uid == values["uid"])).first()
    if existing is not None and not as_copy and existing.locked_at:
        raise PackageError(f"engagement {existing.ref} ({existing.uid}) is final and locked in this workspace; "
                           "a package cannot replace it (import it as a copy to keep both)")
    if existing is not None and not as_copy:
        raise PackageError(f"engagement {existing.ref} ({existing.uid}) is already in this workspace; "
                           "import it as a copy to keep both, or merge the package to bring its changes in "
                           "(workbench merge, File ▸ Merge fieldwork…)")


def _local_client(session: Session, values: Mapping[str, Any]) -> Client:
    """The workspace's client with the package client's uid, else its name, else a new one."""
    client = session.exec(select(Client).where(Client.uid == values["uid"])).first()
    if client is None:
        client = session.exec(select(Client).where(
            func.lower(Client.name) == str(values["name"]).strip().lower())).first()
    if client is None:
        client = Client(**values)
        session.add(client)
        session.flush()
    return client


def _add_engagement(session: Session, values: Mapping[str, Any], client: Client, as_copy: bool) -> Engagement:
    fields = dict(values)
    if as_copy:
        fields["uid"] = str(uuid.uuid4())
    ref_taken = session.exec(select(Engagement).where(Engagement.ref == fields["ref"])).first() is not None
    if as_copy or ref_taken:
        fields["ref"] = next_ref(session, client.name)
    engagement = Engagement(**fields, client_id=stored_id(client))
    session.add(engagement)
    session.flush()
    return engagement


def _add_snapshot(session: Session, engagement: Engagement, checked: CheckedPackage) -> None:
    content = checked.framework.to_json()
    session.add(FrameworkSnapshot(engagement_id=engagement.id,  # type: ignore[arg-type]
                                  framework_id=checked.framework.id, version=checked.framework.version,
                                  content=content, sha256=hashlib.sha256(content.encode("utf-8")).hexdigest()))
    session.flush()


def _add_blobs(session: Session, archive: zipfile.ZipFile, checked: CheckedPackage) -> None:
    """Store each evidence file, read again and re-hashed (the file could change after the checks)."""
    for digest, info in checked.evidence.items():
        data = read_member(archive, info)
        if hashlib.sha256(data).hexdigest() != digest:
            raise PackageError(f"'{info.filename}' changed while it was being imported")
        store_blob(session, data)
        blob = session.get(EvidenceBlob, digest)
        if blob is not None:
            session.expunge(blob)  # keep memory flat on packages with many large files


def _insert_rows(session: Session, model: type[SQLModel], records: Sequence[Mapping[str, Any]],
                 **owner: Any) -> None:
    """Insert checked records in their order with one executemany (SQL Core, no ORM object each).

    The schema check guarantees every record has exactly the table's fields, so each row names
    every column and the column types (JSON, booleans) convert values as the ORM would; a record's version
    is not in the package (local bookkeeping): the table's default, 1, starts it.
    """
    if not records:
        return
    table = model.__table__  # type: ignore[attr-defined]
    names = [column.name for column in table.columns
             if column.name not in ("id", ROW_VERSION) and column.name not in owner]
    session.execute(insert(table), [{**owner, **{name: record[name] for name in names}} for record in records])


def _add_records(session: Session, engagement: Engagement, document: Mapping[str, Any]) -> None:
    """Every record with its uid, in document order (so the workspace lists them in the same order)."""
    for key, kind in DOCUMENT_KINDS.items():
        _insert_rows(session, table_of(kind), document[key], engagement_id=engagement.id)
    links = [link for record in document["evidence"] for link in record["links"]]
    _insert_rows(session, EvidenceLink, links, engagement_id=engagement.id)


def _add_events(session: Session, engagement_uid: str, events: list[dict[str, Any]]) -> None:
    """The package's trail, verbatim: the owning uid is not part of an event's hash (only a merged event
    carries an origin)."""
    _insert_rows(session, AuditEvent, [{ORIGIN: None, **event} for event in events], engagement_uid=engagement_uid)


def _reconcile_client(unit: Unit, client: Client, events: list[dict[str, Any]]) -> None:
    """Record the workspace's client as the engagement's client if the trail says otherwise."""
    states = latest_states(events)
    local = client_state(client)
    last = states.get(("client", client.uid))
    last_after = last.get("after") if last is not None else None
    if last_after is None or canonical_json(last_after) != canonical_json(local):
        unit.record("use", "client", client.uid, last_after, local)
    for (entity, entity_id), event in states.items():
        if entity == "client" and entity_id != client.uid and event.get("after") is not None:
            unit.record("replace", "client", entity_id, event["after"], None)


def _verify_written(session: Session, engagement: Engagement) -> None:
    """The imported engagement must verify before the transaction commits."""
    events = events_of(session, engagement.uid)
    report = verify_chain(events)
    problem = report.problem if not report.ok else None
    if problem is None:
        mismatch = compare_records(events, current_states(session, engagement))
        problem = mismatch.problem if mismatch is not None else None
    if problem is not None:
        raise PackageError(f"the imported engagement would not verify ({problem}); nothing was imported")


__all__ = ["PackageMembers", "SUFFIX", "UntrustedPackage", "export_package", "import_package", "package_members",
           "write_engagement"]


def package_engagement_uid(source: Path) -> str:
    """The engagement uid a package holds, read from its manifest (to skip one already imported)."""
    from workbench.services.package_checks import check_manifest

    with open_package(Path(source)) as archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except (KeyError, ValueError):
            raise PackageError(f"{Path(source).name} has no readable manifest") from None
        return str(check_manifest(manifest)["engagement_uid"])
