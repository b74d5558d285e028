"""Merging fieldwork: another laptop's events on the same engagement, brought into this workspace.

    preview = preview_merge(ws, Path("bea.mlaudit"))          # what would change; the conflicts to decide
    result = merge_package(ws, Path("bea.mlaudit"), signer=signer, choices={conflict.id: "theirs", ...})

The package is checked as an import checks it (signature, attestations, records against the trail). The
plan (domain.merge_plan) compares the two trails event by event; nothing is written until every conflict
has a choice, then everything is one transaction:

1. the records take their merged state (refs that collide renumbered);
2. the other side's events this trail lacks are appended after the local head, re-sequenced, each keeping
   its time, actor and `origin` (the branch, seq, prev_hash and hash it had there: store.audit), so the
   attestations made on that laptop still verify against the chain they signed;
3. a "merge" event for each record whose merged state is not what the trail's last event for it says
   (a choice of ours over theirs, two fields merged into one record, a renumbered ref);
4. a "merge" notice (package, branch, conflicts and the choice made, renumbered refs) and the lead
   auditor's attestation of the merged trail.

The merged trail verifies like any other (log --verify). Only SQLAlchemy and the services are used here,
so a team server can merge check-ins the same way.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, update
from sqlmodel import Session, select

from workbench.domain.errors import ConflictError, NotFoundError, PackageError
from workbench.domain.merge_plan import CHOICES, Choice, Conflict, Key, MergePlan, Renumbered, State, plan_merge
from workbench.domain.trail import FIELDWORK_IMPORT, MERGE, NOTICE, ORIGIN, canonical_json, original_hash
from workbench.services.attestation import attest_in_unit
from workbench.services.document import current_states
from workbench.services.evidence import store_blob
from workbench.services.package_checks import CheckedPackage, check_package
from workbench.services.package_signature import UntrustedPackage
from workbench.services.package_zip import open_package, read_member
from workbench.services.records import record_columns, table_of
from workbench.services.unit import Unit, change, reading
from workbench.signing.attest import Signer
from workbench.store.audit import GENESIS_HASH, compare_records, events_of, latest_states, verify_chain
from workbench.store.tables import RECORD_TABLES, ROW_VERSION, Client, Engagement, EvidenceBlob, EvidenceLink, stored_id
from workbench.store.workspace import Workspace

if TYPE_CHECKING:
    from workbench.services.package_envelope import OpeningKeys

__all__ = ["MergeConflicts", "MergePreview", "MergeResult", "merge_into", "merge_package", "preview_merge",
           "restore_states"]

RECORD_KINDS = frozenset(RECORD_TABLES) | {"evidence_link"}
ENGAGEMENT_KEPT = frozenset({"uid", "ref", "created_at"})  # names local to a workspace (an import may rename)


class MergeConflicts(ConflictError):
    """The merge has conflicts without a choice; nothing was written."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        super().__init__(f"{len(conflicts)} conflict{'s' if len(conflicts) != 1 else ''} to decide before the "
                         "merge: " + "; ".join(f"{c.label}: {_field_name(c)}" for c in conflicts[:3])
                         + ("; …" if len(conflicts) > 3 else ""))


@dataclass(frozen=True)
class MergePreview:
    engagement_ref: str
    engagement_uid: str
    package: str
    branch: str
    signer: str
    trusted: bool
    events: int  # their events this trail lacks
    changes: int  # records that change without a conflict
    conflicts: list[Conflict]

    @property
    def nothing_new(self) -> bool:
        return self.events == 0

    def as_dict(self) -> dict[str, Any]:
        return {"engagement": self.engagement_ref, "engagement_uid": self.engagement_uid, "package": self.package,
                "branch": self.branch, "signer": self.signer, "trusted": self.trusted, "events": self.events,
                "changes": self.changes, "conflicts": [conflict.as_dict() for conflict in self.conflicts]}


@dataclass(frozen=True)
class MergeResult:
    preview: MergePreview
    changed: int = 0  # records written
    choices: dict[str, Choice] = field(default_factory=dict)
    renumbered: list[Renumbered] = field(default_factory=list)
    before: dict[Key, State | None] = field(default_factory=dict)  # the records the merge changed, as they were
    after: dict[Key, State | None] = field(default_factory=dict)  # and as it left them (undo and redo)

    def as_dict(self) -> dict[str, Any]:
        return {**self.preview.as_dict(), "changed": self.changed, "choices": self.choices,
                "renumbered": [change.note() for change in self.renumbered]}


def _field_name(conflict: Conflict) -> str:
    return "deleted on one laptop, changed on the other" if conflict.deletion else conflict.field.replace("_", " ")


def preview_merge(ws: Workspace, source: Path, *, untrusted: bool = False,
                  keys: OpeningKeys | None = None) -> MergePreview:
    """What merging the package would do, read only (the conflicts to decide, with both sides).

    An encrypted hand-out is opened in memory with `keys`, as `import` opens it.
    """
    source = Path(source).expanduser()
    with open_package(source, keys) as archive:
        checked = _checked(archive, source, untrusted)
        with reading(ws, _local_key(ws, checked)) as (session, engagement):
            plan = _plan(session, engagement, checked)
            return _preview(engagement, source.name, checked, plan)


def merge_package(ws: Workspace, source: Path, *, signer: Signer, choices: Mapping[str, Choice] | None = None,
                  take: Choice | None = None, untrusted: bool = False,
                  keys: OpeningKeys | None = None) -> MergeResult:
    """Merge the package's events into the same engagement here: all in one transaction, or nothing.

    `choices` decides conflicts by id ("mine" keeps this workspace's value, "theirs" takes the package's);
    `take` decides every conflict `choices` leaves open. Undecided conflicts raise MergeConflicts.
    """
    source = Path(source).expanduser()
    with open_package(source, keys) as archive:
        checked = _checked(archive, source, untrusted)
        with change(ws, _local_key(ws, checked)) as unit:
            return merge_into(unit, archive, checked, source.name, signer=signer, choices=choices, take=take)


def merge_into(unit: Unit, archive: zipfile.ZipFile, checked: CheckedPackage, name: str, *, signer: Signer,
               choices: Mapping[str, Choice] | None = None, take: Choice | None = None) -> MergeResult:
    """merge_package's work inside a unit on the package's engagement (a check-in merges within its own unit)."""
    plan = _plan(unit.session, unit.engagement, checked)
    preview = _preview(unit.engagement, name, checked, plan)
    if plan.empty:
        return MergeResult(preview)
    decided = _decide(plan, dict(choices or {}), take)
    states, renumbered = plan.merged(decided)
    _write_states(unit, states, lambda digest: read_member(archive, checked.evidence[digest]))
    origin = _branch_origin(preview.branch, checked.document["audit_log"])
    unit.carry({**event, ORIGIN: origin(event)} for event in plan.new_events)
    _reconcile(unit, MERGE)
    unit.record(MERGE, NOTICE, preview.branch, None, _notice(preview, plan, decided, renumbered))
    attest_in_unit(unit, signer, MERGE)
    _verify(unit)
    return MergeResult(preview, len(states), decided, renumbered, {key: plan.mine.get(key) for key in states},
                       dict(states))


def restore_states(ws: Workspace, engagement_key: str, states: Mapping[Key, State | None], action: str) -> None:
    """Put records back in the given states, recording `action` events (the GUI's undo and redo of a merge).

    The merged events stay in the trail (they were recorded on the other laptop): undoing a merge puts its
    records back as they were; merging the same package again then brings nothing new, redo does."""
    with change(ws, engagement_key) as unit:
        def missing_blob(digest: str) -> bytes:
            raise PackageError(f"the evidence file {digest[:12]}… is no longer in the workspace")

        _write_states(unit, states, missing_blob)
        _reconcile(unit, action)
        _verify(unit)


def _checked(archive: zipfile.ZipFile, source: Path, untrusted: bool) -> CheckedPackage:
    checked = check_package(archive)
    if not checked.trust.trusted and not untrusted:
        raise UntrustedPackage(source.name, checked.trust.reason)
    return checked


def _local_key(ws: Workspace, checked: CheckedPackage) -> str:
    uid = str(checked.document["engagement"]["uid"])
    try:
        with reading(ws, uid) as (_session, engagement):
            if engagement.uid == uid:
                return uid
    except NotFoundError:
        pass
    raise PackageError(f"engagement {checked.document['engagement']['ref']} ({uid}) is not in this workspace: "
                       "there is nothing to merge the package into (import it instead)")


def _plan(session: Session, engagement: Engagement, checked: CheckedPackage) -> MergePlan:
    local, incoming = events_of(session, engagement.uid), checked.document["audit_log"]
    if not local or not incoming or original_hash(incoming[0]) != original_hash(local[0]):
        raise PackageError(f"the package's audit trail does not start as engagement {engagement.ref}'s does: "
                           "it is not fieldwork on this engagement")
    client = session.get(Client, engagement.client_id)
    own = {("engagement", engagement.uid), ("client", client.uid if client else "")}
    plan = plan_merge(local, incoming, lambda key: key[0] in RECORD_KINDS or key in own)
    mine = latest_states(local)
    for key, event in latest_states(incoming).items():
        if key[0] == "framework_snapshot" and canonical_json(event.get("after")) != canonical_json(
                mine[key].get("after") if key in mine else None):
            raise PackageError("the package's engagement uses another framework version than this workspace's: "
                               "it cannot be merged")
    return plan


def _preview(engagement: Engagement, name: str, checked: CheckedPackage, plan: MergePlan) -> MergePreview:
    return MergePreview(engagement.ref, engagement.uid, name, _branch_name(checked), checked.trust.signer,
                        checked.trust.trusted, len(plan.new_events), len(plan.taken), list(plan.conflicts))


def _branch_name(checked: CheckedPackage) -> str:
    """The branch the package's events were recorded on: the hand-out it started from, else its export."""
    branch = checked.manifest.get("branch")
    if isinstance(branch, Mapping):
        return str(branch["id"])
    for event in reversed(checked.document["audit_log"]):
        if (event["action"], event["entity"]) == (FIELDWORK_IMPORT, NOTICE):
            return str(event["entity_id"])
    return f"exported {checked.manifest['exported_at']}"


def _decide(plan: MergePlan, choices: dict[str, Choice], take: Choice | None) -> dict[str, Choice]:
    unknown = sorted(set(choices) - {conflict.id for conflict in plan.conflicts})
    if unknown:
        raise ConflictError(f"no conflict '{unknown[0]}' in this merge")
    bad = sorted(key for key, value in choices.items() if value not in CHOICES)
    if bad:
        raise ConflictError(f"the choice for '{bad[0]}' must be 'mine' or 'theirs'")
    if take is not None:
        choices = {conflict.id: choices.get(conflict.id, take) for conflict in plan.conflicts}
    undecided = plan.undecided(choices)
    if undecided:
        raise MergeConflicts(undecided)
    return {conflict.id: choices[conflict.id] for conflict in plan.conflicts}


def _branch_origin(branch: str, incoming: list[dict[str, Any]]) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
    """Each incoming event's origin: the one it already carries, else its place in the package's trail."""
    follows = {int(event["seq"]): original_hash(incoming[i - 1]) if i else GENESIS_HASH
               for i, event in enumerate(incoming)}

    def origin(event: Mapping[str, Any]) -> dict[str, Any]:
        if event.get(ORIGIN):
            return dict(event[ORIGIN])
        return {"branch": branch, "seq": event["seq"], "prev_hash": event["prev_hash"], "hash": event["hash"],
                "follows": follows[int(event["seq"])]}
    return origin


# -- writing the merged records ------------------------------------------------------------------------------


def _write_states(unit: Unit, states: Mapping[Key, State | None], blob: Callable[[str], bytes]) -> None:
    """Deletions first, then changes, then new records (evidence before its links), so no constraint trips
    (a renumbered ref of ours is free before their record with that ref arrives)."""
    engagement_id = stored_id(unit.engagement)
    added: list[tuple[str, State]] = []
    for (entity, entity_id), state in sorted(states.items(), key=lambda item: item[1] is not None):
        if entity == "engagement":
            _write_engagement(unit.engagement, state)
        elif entity == "client":
            _write_client(unit.session, entity_id, state)
        elif not _write_record(unit.session, engagement_id, entity, entity_id, state):
            assert state is not None
            added.append((entity, state))
    for entity, state in sorted(added, key=lambda item: item[0] == "evidence_link"):
        if entity == "evidence":
            _ensure_blob(unit.session, str(state["sha256"]), blob)
        _add_record(unit.session, engagement_id, entity, state)
    unit.session.flush()


def _write_engagement(engagement: Engagement, state: State | None) -> None:
    if state is None:
        raise PackageError("the package deletes the engagement itself; it cannot be merged")
    for name, value in state.items():
        if name not in ENGAGEMENT_KEPT and hasattr(engagement, name):
            setattr(engagement, name, value)


def _write_client(session: Session, uid: str, state: State | None) -> None:
    client = session.exec(select(Client).where(Client.uid == uid)).first()
    if client is not None and state is not None:
        for name, value in state.items():
            if name != "uid" and hasattr(client, name):
                setattr(client, name, value)
        session.add(client)


def _ensure_blob(session: Session, digest: str, blob: Callable[[str], bytes]) -> None:
    if session.get(EvidenceBlob, digest) is None:
        data = blob(digest)
        if hashlib.sha256(data).hexdigest() != digest:
            raise PackageError(f"the evidence file {digest[:12]}… changed while it was being merged")
        store_blob(session, data)


def _table(entity: str) -> Any:
    model: Any = EvidenceLink if entity == "evidence_link" else table_of(entity)
    return model.__table__


def _write_record(session: Session, engagement_id: int, entity: str, entity_id: str, state: State | None) -> bool:
    """Delete or change one record with SQL Core; False when it is not here yet (to be added)."""
    table = _table(entity)
    key_field = RECORD_TABLES[entity][1] if entity in RECORD_TABLES else "uid"
    where = (table.c.engagement_id == engagement_id, table.c[key_field] == entity_id)
    session.flush()
    if state is None:
        session.execute(delete(table).where(*where))
        return True
    if session.execute(select(table.c.id).where(*where)).first() is None:
        return False
    values = _values(entity, state)
    if ROW_VERSION in table.c:  # a page showing the record before the merge bases no edit on it any more
        values[ROW_VERSION] = table.c[ROW_VERSION] + 1
    session.execute(update(table).where(*where).values(values))
    return True


def _add_record(session: Session, engagement_id: int, entity: str, state: State) -> None:
    session.execute(insert(_table(entity)).values(engagement_id=engagement_id, **_values(entity, state)))


def _values(entity: str, state: State) -> dict[str, Any]:
    return {name: state[name] for name in record_columns(entity) if name in state}


# -- the trail ---------------------------------------------------------------------------------------------


def _reconcile(unit: Unit, action: str) -> None:
    """An `action` event for every record the trail's last event does not describe as it now stands."""
    session = unit.session
    session.flush()
    session.expire_all()
    current = current_states(session, unit.engagement)
    written = latest_states(events_of(session, unit.engagement.uid))
    changes = []
    for key in sorted(set(current) | set(written)):
        event = written.get(key)
        before = event.get("after") if event is not None else None
        after = current.get(key)
        if canonical_json(before) != canonical_json(after):
            changes.append((action, key[0], key[1], before, after))
    unit.record_many(changes)


def _notice(preview: MergePreview, plan: MergePlan, decided: Mapping[str, Choice],
            renumbered: list[Renumbered]) -> dict[str, Any]:
    return {"package": preview.package, "branch": preview.branch, "signed_by": preview.signer,
            "trusted": preview.trusted, "events": len(plan.new_events),
            "conflicts": [{"id": c.id, "record": c.label, "field": None if c.deletion else c.field,
                           "chosen": decided[c.id]} for c in plan.conflicts],
            "renumbered": [change.note() for change in renumbered]}


def _verify(unit: Unit) -> None:
    """The merged engagement must verify before the transaction commits."""
    events = events_of(unit.session, unit.engagement.uid)
    report = verify_chain(events)
    problem = report.problem if not report.ok else None
    if problem is None:
        mismatch = compare_records(events, current_states(unit.session, unit.engagement))
        problem = mismatch.problem if mismatch is not None else None
    if problem is not None:
        raise PackageError(f"the merged engagement would not verify ({problem}); nothing was merged")
