"""Everything an engagement package (.mlaudit) must pass before import writes a single row.

The checks read the zip only: structure and limits (services.package_zip), the manifest and every hash,
the schema of engagement.json, the field rules of every record, the framework, evidence, the audit trail,
its attestations and the package's signature (services.package_signature). Each failure raises
PackageError with one sentence naming the problem.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography import x509
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from workbench.domain.errors import PackageError, ValidationError
from workbench.domain.fields import RECORD_FIELDS, clean_record
from workbench.domain.framework import Framework, parse_framework
from workbench.domain.matrices import clean_matrix_data
from workbench.domain.trail import ORIGIN
from workbench.resources import resource
from workbench.services.attestation import trust_roots
from workbench.services.document import DOCUMENT_KINDS, OPTIONAL_KINDS, RECORD_KEY, record_states
from workbench.services.fast_schema import UnsupportedSchema, compile_schema
from workbench.services.package_signature import SIGNATURE, PackageTrust, package_trust
from workbench.services.package_zip import (
    DOCUMENT,
    EVIDENCE_NAME,
    MANIFEST,
    check_members,
    hash_member,
    read_member,
)
from workbench.services.package_zip import open_package as open_package  # where importers found it before
from workbench.services.review import RECORD_TARGETS
from workbench.signing.attest import parse_time
from workbench.store.audit import compare_records, latest_states, verify_chain
from workbench.store.tables import column_defaults

FORMAT = "mlaudit"
FORMAT_VERSION = 2  # what export writes; 1 is still read (as an unsigned package)
MERGED_FORMAT_VERSION = 3  # what export writes when the trail holds merged events (their `origin` is hashed)
READABLE_VERSIONS = (1, 2, 3)
HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class CheckedPackage:
    manifest: dict[str, Any]
    document: dict[str, Any]
    framework: Framework
    evidence: dict[str, zipfile.ZipInfo]  # sha256 → member
    trust: PackageTrust  # who signed it and whether this computer trusts them


# -- manifest and hashes -----------------------------------------------------------------------


def _strict_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key '{key}'")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(data: bytes, name: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=_strict_object, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise PackageError(f"{name} in the package is not valid JSON ({exc})") from None


def check_manifest(manifest: Any) -> dict[str, Any]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise PackageError(f"this file is not an engagement package (its manifest's format is {found!r}, "
                           f"not '{FORMAT}')")
    version = manifest.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > READABLE_VERSIONS[-1]:
        raise PackageError(f"this package was written by a newer version of the workbench (package format "
                           f"{version}; this version reads formats 1 to {READABLE_VERSIONS[-1]}); update the "
                           "workbench")
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        raise PackageError(f"the package format version {version!r} is not supported")
    for key in ("app_version", "exported_at", "engagement_uid"):
        if not isinstance(manifest.get(key), str) or not manifest[key]:
            raise PackageError(f"the package manifest has no valid '{key}'")
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(isinstance(v, str) and HEX64.match(v) for v in files.values()):
        raise PackageError("the package manifest's 'files' must map each file name to its SHA-256")
    if "branch" in manifest:
        check_branch(manifest["branch"], manifest["engagement_uid"])
    return manifest


BRANCH_FIELDS = {"id": str, "engagement_uid": str, "base_seq": int, "base_hash": str, "handed_out_by": str}


def check_branch(branch: Any, engagement_uid: str) -> None:
    """A hand-out's "branch": its id, the engagement and the event it branches from (docs/file-format.md)."""
    if not isinstance(branch, dict) or set(branch) != set(BRANCH_FIELDS) or not all(
            isinstance(branch[key], kind) and not isinstance(branch[key], bool) for key, kind in BRANCH_FIELDS.items()):
        raise PackageError("the package manifest's 'branch' is not valid (it needs exactly: "
                           + ", ".join(BRANCH_FIELDS) + ")")
    if branch["engagement_uid"] != engagement_uid or not HEX64.match(branch["base_hash"]) or branch["base_seq"] < 0 \
            or not branch["id"].strip():
        raise PackageError("the package manifest's 'branch' does not name this engagement and an event of its trail")


def check_hashes(archive: zipfile.ZipFile, members: Mapping[str, zipfile.ZipInfo],
                 files: Mapping[str, str]) -> None:
    """Every member listed, every listed file present, every hash matching, evidence named by its hash."""
    for name in members:
        if name not in (MANIFEST, SIGNATURE) and name not in files:
            raise PackageError(f"the package member '{name}' is not listed in the manifest")
    if SIGNATURE in files:
        raise PackageError(f"the manifest lists {SIGNATURE}, which signs the manifest and cannot be listed in it")
    for name in files:
        if name not in members:
            raise PackageError(f"'{name}' is listed in the manifest but missing from the package")
    if DOCUMENT not in files:
        raise PackageError(f"the package has no {DOCUMENT}")
    for name, expected in files.items():
        actual = hash_member(archive, members[name])
        if actual != expected:
            raise PackageError(f"'{name}' does not match its SHA-256 in the manifest (altered or damaged)")
        match = EVIDENCE_NAME.match(name)
        if match and match.group(1) != actual:
            raise PackageError(f"'{name}' does not hold the content its name says")


# -- engagement.json ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def package_validator() -> Draft202012Validator:
    schema = json.loads(resource("schemas", "engagement-package.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


@lru_cache(maxsize=1)
def package_shortcut() -> Callable[[Any], bool]:
    """The schema compiled to a quick yes/no check; jsonschema decides whatever it does not accept."""
    schema = package_validator().schema
    if not isinstance(schema, Mapping):  # a boolean schema: jsonschema decides
        return lambda _document: False
    try:
        return compile_schema(schema)
    except UnsupportedSchema:
        return lambda _document: False


def check_schema(document: Any) -> dict[str, Any]:
    if package_shortcut()(document):  # seconds saved on a big engagement; jsonschema explains refusals
        return document  # type: ignore[no-any-return]
    error = best_match(package_validator().iter_errors(document))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "the top level"
        message = error.message if len(error.message) <= 200 else error.message[:200] + "..."
        raise PackageError(f"{DOCUMENT} does not follow the package format at {where}: {message}")
    return document  # type: ignore[no-any-return]


def fill_added_columns(document: dict[str, Any]) -> None:
    """Give records written before a column existed that column's default (as the migration did).

    The schema requires only the fields every package has always held; what a later version added
    (a finding's checklist item, a model's lineage) may be missing from an older package.
    """
    for key, kind in DOCUMENT_KINDS.items():
        defaults = column_defaults(kind)
        for record in document[key]:
            for name in defaults.keys() - record.keys():
                record[name] = defaults[name]


def check_framework(document: Mapping[str, Any]) -> Framework:
    try:
        framework = parse_framework(document["framework"])
    except ValidationError as exc:
        raise PackageError(f"the framework in the package is not valid: {exc}") from None
    engagement = document["engagement"]
    if (engagement["framework_id"], engagement["framework_version"]) != (framework.id, framework.version):
        raise PackageError(f"the engagement names framework {engagement['framework_id']} "
                           f"{engagement['framework_version']} but the package holds {framework.id} "
                           f"{framework.version}")
    return framework


def label(kind: str, record: Mapping[str, Any]) -> str:
    """How a message names a record: 'finding F-003 (uid)', 'assessment DP'."""
    if kind in RECORD_KEY:
        return f"{kind} {record.get(RECORD_KEY[kind])}"
    if kind == "matrix":
        return f"{record.get('kind')} matrix row {record.get('uid')}"
    name = record.get("ref") or record.get("name") or record.get("file_name")
    return f"{kind} {name} ({record.get('uid')})" if name else f"{kind} {record.get('uid')}"


def _clean(kind: str, record: Mapping[str, Any]) -> None:
    """clean_record must accept the record (keys outside its rules, like uid, are the schema's business)."""
    names = {field.name for field in RECORD_FIELDS[kind]}
    values = {key: value for key, value in record.items() if key in names}
    try:
        cleaned = clean_record(kind, values)
        if kind == "matrix":
            clean_matrix_data(cleaned["kind"], values["data"])
    except ValidationError as exc:
        raise PackageError(f"the {label(kind, record)} in the package is not valid: {exc}") from None


def _check_references(kind: str, record: Mapping[str, Any], framework: Framework, finding_refs: set[str]) -> None:
    try:
        if kind == "assessment":
            framework.dimension(record["dimension_id"])
        elif kind == "checklist":
            _dimension, item = framework.item(record["item_id"])
            if item.scale.parse(record["answer"]) != record["answer"] \
                    or item.scale.parse_target(record["target"]) != record["target"]:
                raise ValidationError(f"answer or target of {item.id} is not a stored value of its scale")
        elif kind == "health_check":
            framework.question(record["question_id"])
        elif kind == "finding" and record["dimension_id"]:
            framework.dimension(record["dimension_id"])
        if kind == "finding" and record["item_id"]:
            dimension, _item = framework.item(record["item_id"])
            if record["dimension_id"] != dimension.id:
                raise ValidationError(f"item {record['item_id']} belongs to dimension {dimension.id}, "
                                      f"not {record['dimension_id'] or 'none'}")
    except ValidationError as exc:
        raise PackageError(f"the {label(kind, record)} in the package is not valid: {exc}") from None
    missing = [ref for ref in record.get("finding_refs", []) if ref not in finding_refs] if kind == "roadmap" else []
    if missing:
        raise PackageError(f"the {label(kind, record)} in the package links to finding {missing[0]}, "
                           "which is not in the package")


def _check_unique(kind: str, records: list[dict[str, Any]], field: str) -> None:
    seen: set[Any] = set()
    for record in records:
        if record[field] in seen:
            raise PackageError(f"the package has two {kind} records with {field} {record[field]}")
        seen.add(record[field])


def check_records(document: Mapping[str, Any], framework: Framework) -> None:
    """Field rules of every record kind, uniqueness, and references to the framework and to findings."""
    _clean("engagement", document["engagement"])
    _clean("client", document["client"])
    finding_refs = {finding["ref"] for finding in document["findings"]}
    for key, kind in DOCUMENT_KINDS.items():
        records = document[key]
        _check_unique(kind, records, RECORD_KEY.get(kind, "uid"))
        if kind in ("finding", "risk"):
            _check_unique(kind, records, "ref")
        for record in records:
            _clean(kind, record)
            _check_references(kind, record, framework, finding_refs)
    links = [link for record in document["evidence"] for link in record["links"]]
    _check_unique("evidence_link", links, "uid")
    for link in links:
        _clean("evidence_link", link)


def check_evidence(document: Mapping[str, Any], framework: Framework, blobs: Mapping[str, zipfile.ZipInfo]) -> None:
    """Each evidence record's content is in the package, each file is cited, links point at records."""
    targets = {kind: {record["uid"] for record in document[key]}
               for key, kind in (("findings", "finding"), ("models", "model"), ("risks", "risk"))}
    targets["checklist_item"] = {item.id for dimension in framework.dimensions for item in dimension.items}
    for record in document["evidence"]:
        info = blobs.get(record["sha256"])
        if info is None:
            raise PackageError(f"the content of {label('evidence', record)} is missing from the package")
        if info.file_size != record["size"]:
            raise PackageError(f"{label('evidence', record)} says {record['size']} bytes but its file holds "
                               f"{info.file_size}")
        for link in record["links"]:
            if link["evidence_uid"] != record["uid"]:
                raise PackageError(f"evidence link {link['uid']} is filed under {label('evidence', record)} "
                                   f"but names evidence {link['evidence_uid']}")
            if link["target_key"] not in targets.get(link["target_kind"], set()):
                raise PackageError(f"evidence link {link['uid']} points at {link['target_kind']} "
                                   f"{link['target_key']}, which is not in the package")
    cited = {record["sha256"] for record in document["evidence"]}
    for digest in blobs:
        if digest not in cited:
            raise PackageError(f"the package file evidence/{digest} is not cited by any evidence record")


def check_review_notes(document: Mapping[str, Any], framework: Framework) -> None:
    """Each note names the engagement, a dimension or item of the framework, or a record of the package.

    A record deleted after a note was raised on it is accepted when the package's own trail
    records that deletion: the note is history, not a dangling pointer.
    """
    deleted = {key for key, event in latest_states(document["audit_log"]).items() if event.get("after") is None}
    for note in document["review_notes"]:
        kind, key = note["target_kind"], note["target_key"]
        try:
            if kind == "dimension":
                framework.dimension(key)
            elif kind == "checklist_item":
                framework.item(key)
        except ValidationError as exc:
            raise PackageError(f"the {label('review_note', note)} in the package is not valid: {exc}") from None
        record_key = RECORD_TARGETS.get(kind)
        if kind == "engagement" and key:
            raise PackageError(f"the {label('review_note', note)} in the package names the engagement with a key")
        if record_key is not None and key not in {r["uid"] for r in document[record_key]} \
                and (kind, key) not in deleted:
            raise PackageError(f"the {label('review_note', note)} in the package is about {kind} {key}, "
                               "which is not in the package")


def snapshot_state_of(framework: Framework) -> dict[str, Any]:
    """The framework_snapshot state the trail records, as services.engagements.snapshot_state gives it."""
    return {"framework_id": framework.id, "version": framework.version,
            "sha256": hashlib.sha256(framework.to_json().encode("utf-8")).hexdigest()}


def check_trail(document: Mapping[str, Any], framework: Framework) -> None:
    events = document["audit_log"]
    report = verify_chain(events)
    if not report.ok:
        raise PackageError(f"the audit trail in the package is broken: {report.problem}")
    states = record_states(dict(document))
    states[("framework_snapshot", framework.id)] = snapshot_state_of(framework)
    mismatch = compare_records(events, states)
    if mismatch is not None:
        raise PackageError(f"the package's records do not match its audit trail: {mismatch.problem}")


def check_package(archive: zipfile.ZipFile, roots: Sequence[x509.Certificate] | None = None) -> CheckedPackage:
    """Run every check in order; nothing here writes anything. The signature and the attestations are judged
    against `roots` (default: the CA certificates this computer trusts)."""
    members = check_members(archive)
    if MANIFEST not in members:
        raise PackageError(f"this file is not an engagement package (it has no {MANIFEST})")
    manifest_bytes = read_member(archive, members[MANIFEST])
    manifest = check_manifest(parse_json(manifest_bytes, MANIFEST))
    if SIGNATURE in members and manifest["format_version"] < 2:
        raise PackageError(f"a package of format 1 cannot hold {SIGNATURE}")
    check_hashes(archive, members, manifest["files"])
    document = check_schema(parse_json(read_member(archive, members[DOCUMENT]), DOCUMENT))
    for key in OPTIONAL_KINDS:  # written by a version that did not have these records yet
        document.setdefault(key, [])
    fill_added_columns(document)
    if manifest["format_version"] < MERGED_FORMAT_VERSION and any(ORIGIN in e for e in document["audit_log"]):
        raise PackageError(f"a package of format {manifest['format_version']} cannot hold merged events")
    if document["engagement"]["uid"] != manifest["engagement_uid"]:
        raise PackageError("the manifest and engagement.json name different engagements")
    framework = check_framework(document)
    check_records(document, framework)
    check_review_notes(document, framework)
    blobs = {match.group(1): info for name, info in members.items() if (match := EVIDENCE_NAME.match(name))}
    check_evidence(document, framework, blobs)
    check_trail(document, framework)
    if "branch" in manifest:
        events, base = document["audit_log"], manifest["branch"]["base_seq"]
        if base and (base > len(events) or events[base - 1]["hash"] != manifest["branch"]["base_hash"]):
            raise PackageError("the hand-out's branch names an event its audit trail does not hold")
    signature = read_member(archive, members[SIGNATURE]) if SIGNATURE in members else None
    trust = package_trust(manifest_bytes, signature, document, trust_roots() if roots is None else roots,
                          format_version=manifest["format_version"], signed_at=parse_time(manifest["exported_at"]))
    return CheckedPackage(manifest, document, framework, blobs, trust)

