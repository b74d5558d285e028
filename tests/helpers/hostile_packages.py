"""A corpus of hostile engagement packages, built from a good one: the tests of package import use it.

Each variant is a function (good package, target path) that writes the hostile copy, with the message its
import must fail with. `rewrite` re-zips a package with edits, recomputing the manifest's hashes as a
forger would; a rewritten package drops the exporter's signature (which no longer fits), unless
`keep_signature` (the manifest altered after signing) or `sign_with` (re-signed by the forger's own key).
"""

from __future__ import annotations

import json
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.helpers.packages import rewrite, sha
from workbench.services import assessment, engagements, evidence, records, review
from workbench.store.workspace import Workspace

EVIDENCE_A = b"model card v3\n"
EVIDENCE_B = "drift dashboard, März".encode()


def build_engagement(ws: Workspace, signer: Any) -> str:
    uid = engagements.create_engagement(ws, client={"name": "Acme Corp", "sector": "Retail"}, title="MLOps review",
                                        details={"scope": "Fraud models", "lead_auditor": "Ada"})
    assessment.set_assessment(ws, uid, "DP", level=2, target=4, justification="Ad-hoc pipelines")
    assessment.set_assessment(ws, uid, "MD", level=3)
    assessment.answer_item(ws, uid, "DP-01", "partial", "Only for the main model")
    assessment.answer_item(ws, uid, "MD-01", "n/a", "Models are bought in")
    assessment.answer_health_check(ws, uid, "HC-1", "yes")
    finding = records.add_record(ws, uid, "finding", {
        "title": "No data validation", "severity": "High", "dimension_id": "DP", "effort_hours": 40,
        "cost_estimate": 12000.5, "due_date": "2026-06-30", "recommendation": "Add schema checks"})
    records.add_record(ws, uid, "finding", {"title": "Manual deploys", "severity": "Medium"})
    model = records.add_record(ws, uid, "model", {"name": "fraud-xgb", "version": "3.1", "latency_ms": 12.5,
                                                  "deployment": "rest", "monitored": True})
    risk = records.add_record(ws, uid, "risk", {"title": "Silent drift", "likelihood": 4, "impact": 5})
    records.add_record(ws, uid, "cost", {"kind": "remediation", "name": "Validation", "estimated_cost": 9000})
    records.add_record(ws, uid, "roadmap", {"phase": "Q1", "activity": "Validate data",
                                            "finding_refs": ["F-001", "F-002"]})
    for kind, data in (("compliance", {"requirement": "Log decisions", "regimes": {"EU AI Act": "required"}}),
                       ("platform", {"criterion": "Cost", "weight": 0.4, "scores": {"SageMaker": 3, "Vertex": 4}}),
                       ("tool", {"tool": "Great Expectations", "ring": "trial"}),
                       ("monitoring", {"metric": "PSI", "category": "data", "status": "warning"})):
        records.add_record(ws, uid, "matrix", {"kind": kind, "data": data})
    review.sign_off(ws, uid, "preparer", signer=signer)
    evidence.attach_bytes(ws, uid, EVIDENCE_A, "card.md", links=[("finding", finding), ("checklist_item", "DP-01")])
    evidence.attach_bytes(ws, uid, EVIDENCE_B, "drift.png", links=[("model", model), ("risk", risk)])
    evidence.attach_bytes(ws, uid, EVIDENCE_A, "card-copy.md", description="same file twice")
    records.update_record(ws, uid, "finding", "F-002", {"status": "in_remediation"})
    return uid




def symlink_member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def listed(name: str, data: bytes) -> Callable[[dict[str, bytes]], None]:
    def add(content: dict[str, bytes]) -> None:
        content[name] = data
    return add


def corrupt(package: Path, target: Path) -> None:
    data = bytearray(package.read_bytes())
    with zipfile.ZipFile(package) as archive:
        info = archive.getinfo("engagement.json")
    name_len = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len + 200
    for offset in range(start, start + 64):
        data[offset] ^= 0x5A
    target.write_bytes(bytes(data))


def first(key: str, **match: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def pick(document: dict[str, Any]) -> dict[str, Any]:
        return next(r for r in document[key] if all(r.get(k) == v for k, v in match.items()))
    return pick


def drop_blob(content: dict[str, bytes]) -> None:
    del content[f"evidence/{sha(EVIDENCE_B)}"]


BOMB = b"\0" * (5 * 1024 * 1024)

BAD_PACKAGES: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "not a zip": (lambda p, t: t.write_bytes(b"this is not a zip file at all"), "not a zip file"),
    "truncated zip": (lambda p, t: t.write_bytes(p.read_bytes()[:300]), "not a zip file"),
    "corrupt zip bytes": (corrupt, "damaged"),
    "absolute path": (lambda p, t: rewrite(p, t, extra=[("/etc/cron.d/evil", b"x")]), "absolute path"),
    "drive letter": (lambda p, t: rewrite(p, t, extra=[("C:/evil.txt", b"x")]), "absolute path"),
    "dot-dot member": (lambda p, t: rewrite(p, t, extra=[("evidence/../../evil", b"x")]), "'..'"),
    "backslash member": (lambda p, t: rewrite(p, t, extra=[("evidence\\evil", b"x")]), "backslash"),
    "symlink member": (lambda p, t: rewrite(p, t, extra=[(symlink_member(f"evidence/{sha(b'/etc')}"), b"/etc")]),
                       "symbolic link"),
    "duplicate member": (lambda p, t: rewrite(p, t, extra=[("engagement.json", b"{}")]), "more than once"),
    "foreign member": (lambda p, t: rewrite(p, t, extra=[("notes.txt", b"x")]), "does not belong"),
    "unlisted member": (lambda p, t: rewrite(p, t, extra=[(f"evidence/{sha(b'extra')}", b"extra")]),
                        "not listed in the manifest"),
    "listed but absent": (lambda p, t: rewrite(p, t, manifest=lambda m: m["files"].update(
        {f"evidence/{sha(b'x')}": sha(b"x")})), "missing from the package"),
    "hash mismatch": (lambda p, t: rewrite(p, t, manifest=lambda m: m["files"].update(
        {"engagement.json": "0" * 64})), "does not match its SHA-256"),
    "evidence named wrongly": (lambda p, t: rewrite(p, t, members=listed(f"evidence/{sha(b'a')}", b"b")),
                               "does not hold the content its name says"),
    "newer format_version": (lambda p, t: rewrite(p, t, manifest=lambda m: m.update(format_version=4)),
                             "written by a newer version"),
    "wrong format": (lambda p, t: rewrite(p, t, manifest=lambda m: m.update(format="zip")),
                     "not an engagement package"),
    "no manifest": (lambda p, t: zipfile.ZipFile(t, "w").close(), "no manifest.json"),
    "manifest names another engagement": (lambda p, t: rewrite(p, t, manifest=lambda m: m.update(
        engagement_uid="someone-else")), "different engagements"),
    "invalid json": (lambda p, t: rewrite(p, t, members=listed("engagement.json", b"{\"engagement\":")),
                     "not valid JSON"),
    "schema violation": (lambda p, t: rewrite(p, t, doc=lambda d: first("findings")(d).update(title=5)),
                         "does not follow the package format at findings/0/title"),
    "unknown top-level key": (lambda p, t: rewrite(p, t, doc=lambda d: d.update(extra=[])),
                              "does not follow the package format"),
    "bad record field": (lambda p, t: rewrite(p, t, doc=lambda d: first("risks")(d).update(likelihood=9)),
                         r"risk R-01 \(.*\) in the package is not valid: likelihood: 9 is above the maximum"),
    "bad matrix data": (lambda p, t: rewrite(p, t, doc=lambda d: first("matrices", kind="platform")(d)["data"]
                                             .update(weight=3)), "platform matrix row .* platform weight"),
    "bad framework": (lambda p, t: rewrite(p, t, doc=lambda d: d["framework"].update(dimensions=[])),
                      "framework in the package is not valid"),
    "unknown checklist item": (lambda p, t: rewrite(p, t, doc=lambda d: first("checklist")(d).update(item_id="ZZ-9")),
                               "checklist ZZ-9 in the package is not valid: .* no checklist item"),
    "roadmap names a missing finding": (lambda p, t: rewrite(p, t, doc=lambda d: first("roadmap")(d).update(
        finding_refs=["F-099"])), "finding F-099"),
    "tampered audit event": (lambda p, t: rewrite(p, t, doc=lambda d: d["audit_log"][3]["after"].update(
        title="forged")), "audit trail in the package is broken: event #4 .* was altered"),
    "deleted audit event": (lambda p, t: rewrite(p, t, doc=lambda d: d["audit_log"].pop(5)),
                            "audit trail in the package is broken"),
    "record changed without event": (lambda p, t: rewrite(p, t, doc=lambda d: first("findings")(d).update(
        title="Quietly edited")), "do not match its audit trail: finding .* differs"),
    "record added without event": (lambda p, t: rewrite(p, t, doc=lambda d: d["signoffs"].append(
        {**d["signoffs"][0], "uid": "0bad0bad-0000-4000-8000-000000000000"})), "has no event in the audit trail"),
    "zip bomb ratio": (lambda p, t: rewrite(p, t, members=listed(f"evidence/{sha(BOMB)}", BOMB)),
                       "expands more than 200 times"),
    "missing evidence blob": (lambda p, t: rewrite(p, t, members=drop_blob),
                              r"content of evidence drift.png \(.*\) is missing from the package"),
    "uncited evidence file": (lambda p, t: rewrite(p, t, members=listed(f"evidence/{sha(b'x')}", b"x")),
                              "not cited by any evidence record"),
    "link to a missing record": (lambda p, t: rewrite(p, t, doc=lambda d: d["evidence"][1]["links"][0].update(
        target_key="nope")), "points at model nope, which is not in the package"),
    "evidence size lie": (lambda p, t: rewrite(p, t, doc=lambda d: d["evidence"][0].update(size=1)),
                          "says 1 bytes"),
    # -- added with signed packages (format 2): more of the structure, the JSON and the records ----------
    "manifest not json": (lambda p, t: rewrite_raw(p, t, {"manifest.json": b"{not json"}),
                          "manifest.json in the package is not valid JSON"),
    "manifest is a list": (lambda p, t: rewrite_raw(p, t, {"manifest.json": b"[1, 2]"}), "not an engagement package"),
    "manifest duplicate key": (lambda p, t: rewrite_raw(p, t, {"manifest.json": b'{"format": "mlaudit", "format": 1}'}),
                               "duplicate key 'format'"),
    "manifest NaN": (lambda p, t: rewrite_raw(p, t, {"manifest.json": b'{"format": NaN}'}),
                     "NaN is not a JSON number"),
    "format_version true": (lambda p, t: rewrite(p, t, manifest=lambda m: m.update(format_version=True)),
                            "format version True is not supported"),
    "format_version 0": (lambda p, t: rewrite(p, t, manifest=lambda m: m.update(format_version=0)),
                         "format version 0 is not supported"),
    "format_version text": (lambda p, t: rewrite(p, t, manifest=lambda m: m.update(format_version="2")),
                            "format version '2' is not supported"),
    "manifest without exported_at": (lambda p, t: rewrite(p, t, manifest=lambda m: m.pop("exported_at")),
                                     "has no valid 'exported_at'"),
    "manifest hash not hex": (lambda p, t: rewrite(p, t, manifest=lambda m: m["files"].update(
        {"engagement.json": "Z" * 64})), "must map each file name to its SHA-256"),
    "engagement.json duplicate key": (lambda p, t: rewrite(p, t, members=listed(
        "engagement.json", b'{"engagement": {}, "engagement": {}}')), "duplicate key 'engagement'"),
    "engagement.json nested too deep": (lambda p, t: rewrite(p, t, members=listed(
        "engagement.json", b"[" * 100_000 + b"]" * 100_000)), "not valid JSON"),
    "engagement.json not utf-8": (lambda p, t: rewrite(p, t, members=listed("engagement.json", "{\"é\": 1}".encode(
        "latin-1"))), "not valid JSON"),
    "evidence name in capitals": (lambda p, t: rewrite(p, t, extra=[(f"evidence/{sha(b'x').upper()}", b"x")]),
                                  "does not belong"),
    "control character in a name": (lambda p, t: rewrite(p, t, extra=[("evidence/\x07bell", b"x")]),
                                     "control characters in its name"),
    "folder entry": (lambda p, t: rewrite(p, t, extra=[("evidence/", b"")]), "does not belong"),
    "encrypted member": (lambda p, t: (rewrite(p, t), flag_member(t, "engagement.json", 0x1)), "is encrypted"),
    "bzip2 member": (lambda p, t: rewrite(p, t, extra=[(compressed(f"evidence/{sha(b'b')}", zipfile.ZIP_BZIP2),
                                                        b"b")]), "unsupported compression method"),
    "duplicate evidence uid": (lambda p, t: rewrite(p, t, doc=lambda d: d["evidence"][1].update(
        uid=d["evidence"][0]["uid"])), "two evidence records with uid"),
    "duplicate finding ref": (lambda p, t: rewrite(p, t, doc=lambda d: d["findings"][1].update(ref="F-001")),
                              "two finding records with ref F-001"),
    "likelihood as text": (lambda p, t: rewrite(p, t, doc=lambda d: first("risks")(d).update(likelihood="4")),
                           "does not follow the package format at risks/0/likelihood"),
    "engagement names another framework": (lambda p, t: rewrite(p, t, doc=lambda d: d["engagement"].update(
        framework_id="other-framework")), "names framework other-framework"),
    "link filed under another evidence": (lambda p, t: rewrite(p, t, doc=lambda d: d["evidence"][0]["links"][0].update(
        evidence_uid=d["evidence"][1]["uid"])), "is filed under evidence card.md"),
    "events out of order": (lambda p, t: rewrite(p, t, doc=swap_events), "audit trail in the package is broken"),
    "event with an extra key": (lambda p, t: rewrite(p, t, doc=lambda d: d["audit_log"][0].update(extra=1)),
                                "does not follow the package format at audit_log/0"),
    "signature in a format 1 package": (lambda p, t: rewrite(p, t, manifest=lambda m: m.update(format_version=1),
                                                             keep_signature=True),
                                        "a package of format 1 cannot hold signature.json"),
    "manifest lists the signature": (lambda p, t: rewrite(p, t, manifest=lambda m: m["files"].update(
        {"signature.json": "0" * 64}), keep_signature=True), "which signs the manifest and cannot be listed"),
    "signature not json": (lambda p, t: rewrite(p, t, extra=[("signature.json", b"{")]),
                           "signature.json in the package is not valid JSON"),
    "signature of an unknown version": (lambda p, t: rewrite(p, t, extra=[("signature.json", json.dumps(
        {"type": "mlaudit-signature", "version": 9, "signed_member": "manifest.json", "signature": {}}).encode())]),
                                        "is of version 9"),
    "signature of another kind": (lambda p, t: rewrite(p, t, extra=[("signature.json", b'{"type": "cms"}')]),
                                  "is not a package signature"),
    "signature too large": (lambda p, t: rewrite(p, t, extra=[("signature.json", b" " * (300 * 1024))]),
                            "larger than the 0 MB limit"),
    "manifest altered after signing": (lambda p, t: rewrite(p, t, manifest=lambda m: m.update(
        exported_at="2020-01-01T00:00:00Z"), keep_signature=True),
                                       "the package's signature does not hold"),
    "engagement.json altered after signing": (lambda p, t: rewrite_raw(p, t, {"engagement.json": edited_document(
        p, lambda d: first("findings")(d).update(title="Quietly edited"))}, keep_signature=True),
                                              "'engagement.json' does not match its SHA-256"),
}




def rewrite_raw(package: Path, target: Path, replace: dict[str, bytes], *, keep_signature: bool = False) -> None:
    """Copy a package with members replaced byte for byte (nothing recomputed; the signature kept or dropped)."""
    with zipfile.ZipFile(package) as archive:
        content = {name: archive.read(name) for name in archive.namelist()
                   if keep_signature or name != "signature.json"}
    content.update(replace)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in content.items():
            archive.writestr(name, data)


def edited_document(package: Path, edit: Callable[[dict[str, Any]], None]) -> bytes:
    with zipfile.ZipFile(package) as archive:
        document = json.loads(archive.read("engagement.json"))
    edit(document)
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def flag_member(target: Path, name: str, bits: int) -> None:
    """Set general-purpose flag bits of a member in the central directory (zipfile never writes bit 0)."""
    data = bytearray(target.read_bytes())
    encoded = name.encode("utf-8")
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) >= 0:
        length = int.from_bytes(data[start + 28:start + 30], "little")
        if bytes(data[start + 46:start + 46 + length]) == encoded:
            flags = int.from_bytes(data[start + 8:start + 10], "little") | bits
            data[start + 8:start + 10] = flags.to_bytes(2, "little")
        start += 4
    target.write_bytes(bytes(data))


def compressed(name: str, method: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.compress_type = method
    return info


def swap_events(document: dict[str, Any]) -> None:
    log = document["audit_log"]
    log[2], log[3] = log[3], log[2]


# -- forged histories: a forger who can recompute every hash (and sign with a key of their own) ---------

def rehash(document: dict[str, Any]) -> None:
    """Recompute every event's hash from the genesis, as anyone can."""
    from workbench.store.audit import GENESIS_HASH, event_hash

    prev = GENESIS_HASH
    for seq, event in enumerate(document["audit_log"], start=1):
        event["seq"], event["prev_hash"] = seq, prev
        event["hash"] = prev = event_hash(prev, event)


def forge(package: Path, target: Path, edit: Callable[[dict[str, Any]], None], sign_with: Any = None) -> None:
    """Edit the document, recompute the chain and the manifest, and re-sign with `sign_with` (or leave unsigned)."""
    def apply(document: dict[str, Any]) -> None:
        edit(document)
        rehash(document)

    rewrite(package, target, doc=apply, sign_with=sign_with)


def critical_turned_low(document: dict[str, Any]) -> None:
    """The Critical finding becomes Low in the event that created it and in its record."""
    finding = next(f for f in document["findings"] if f["severity"] == "Critical")
    for event in document["audit_log"]:
        if event["entity"] == "finding" and event["entity_id"] == finding["uid"]:
            for state in (event["before"], event["after"]):
                if state:
                    state["severity"] = "Low"
    finding["severity"] = "Low"


def drop_events(*predicates: Callable[[dict[str, Any]], bool]) -> Callable[[dict[str, Any]], None]:
    def edit(document: dict[str, Any]) -> None:
        document["audit_log"] = [e for e in document["audit_log"] if not any(p(e) for p in predicates)]
    return edit


def is_attestation(purpose: str) -> Callable[[dict[str, Any]], bool]:
    return lambda e: e["entity"] == "attestation" and e["after"]["signed"]["purpose"] == purpose


def append_low_severity(document: dict[str, Any]) -> None:
    """An event appended after the last one, its record changed to match."""
    finding = next(f for f in document["findings"] if f["severity"] == "Critical")
    last = document["audit_log"][-1]
    document["audit_log"].append({"seq": last["seq"] + 1, "at": last["at"], "actor": "mallory", "action": "update",
                                  "entity": "finding", "entity_id": finding["uid"], "before": dict(finding),
                                  "after": {**finding, "severity": "Low"}, "prev_hash": "", "hash": ""})
    finding["severity"] = "Low"


def forged_head(document: dict[str, Any]) -> None:
    """The first attestation's signed chain head changed (the signature no longer fits what it claims)."""
    first_attestation = next(e for e in document["audit_log"] if e["entity"] == "attestation")
    first_attestation["after"]["signed"]["chain_head"] = "f" * 64


def attested_by(forger: Any) -> Callable[[dict[str, Any]], None]:
    """The reviewer's sign-off attestation replaced by a valid one of the forger's, over the same trail."""
    from workbench.signing.attest import make_attestation

    def edit(document: dict[str, Any]) -> None:
        log = document["audit_log"]
        signoff = next(e for e in log if e["entity"] == "signoff" and e["after"]["role"] == "reviewer")
        attestation = log[signoff["seq"]]  # the event right after it
        attestation["after"] = make_attestation(forger, document["engagement"]["uid"], signoff["seq"],
                                                signoff["hash"], "sign_off", attestation["at"])
        attestation["entity_id"] = forger.identity_id
    return edit
