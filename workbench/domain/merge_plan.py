"""What merging another laptop's trail into this one changes, and where the two disagree (pure Python).

Two laptops hold the same engagement: both trails start with the same events (the common ancestor) and
then each records its own. An event is the same event on both laptops when its *original hash* is the
same (domain.trail.original_hash: a merged event keeps the hash it was recorded with). From each trail
this module works out, per record and per field, which event last wrote it:

- a field the other side last wrote with an event this side does not hold is *their* change;
- a field this side last wrote with an event the other side does not hold is *our* change;
- their change alone is taken, ours alone is kept, both to different values is a *conflict* (one per
  field; a record deleted on one side and changed on the other is one conflict for the whole record).

Because an event is known by its original hash, merging the same package twice changes nothing, a
choice made in one merge is not asked again when the merge travels back, and the outcome is the same
whichever laptop merges into which (given the same choices). Refs that collide (two new F-021) are
renumbered the same way in both directions: the record with the smaller uid keeps the ref.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from workbench.domain.trail import IMPORT_EVENTS, NON_RECORD_ENTITIES, canonical_json, original_hash

EXISTS = "(record)"  # the pseudo-field a creation or a deletion writes
MINE: Literal["mine"] = "mine"
THEIRS: Literal["theirs"] = "theirs"
Choice = Literal["mine", "theirs"]
CHOICES: tuple[Choice, ...] = (MINE, THEIRS)
Key = tuple[str, str]  # (entity, entity id) as the trail names a record
State = dict[str, Any]
REFS = {"finding": ("F-", 3), "risk": ("R-", 2)}  # kinds with a ref, its prefix and least width
ROADMAP = "roadmap"  # its items link findings by ref (finding_refs)
LABEL_FIELDS = ("ref", "title", "name", "activity", "item_id", "dimension_id", "question_id", "file_name", "role")


@dataclass(frozen=True)
class Write:
    """The last event of one trail that changed one field of one record."""

    identity: str  # the event's original hash
    actor: str
    at: str


@dataclass
class Trail:
    """One trail read for merging: each record's final state and, per field, its last writer."""

    states: dict[Key, State | None] = field(default_factory=dict)
    writes: dict[Key, dict[str, Write]] = field(default_factory=dict)
    identities: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, events: Iterable[Mapping[str, Any]]) -> Trail:
        trail = cls()
        for event in events:
            trail.identities.add(original_hash(event))
            trail._read(event)
        return trail

    def _read(self, event: Mapping[str, Any]) -> None:
        if event["entity"] in NON_RECORD_ENTITIES:
            return
        key = (str(event["entity"]), str(event["entity_id"]))
        old, new = self.states.get(key), event.get("after")
        self.states[key] = dict(new) if new is not None else None
        if (event["action"], event["entity"]) in IMPORT_EVENTS:
            return  # what an import reconciled on one laptop (its ref, its client) is nobody's change
        write = Write(original_hash(event), str(event["actor"]), str(event["at"]))
        fields = self.writes.setdefault(key, {})
        if (old is None) != (new is None):
            fields[EXISTS] = write
        if new is not None:
            for name, value in new.items():
                if old is None or canonical_json(old.get(name)) != canonical_json(value):
                    fields[name] = write


@dataclass(frozen=True)
class Side:
    """One side of a conflict as the lead auditor sees it: who changed it, when, and to what."""

    actor: str
    at: str
    value: Any  # a field's value; for a record conflict the record's state (None: deleted)


@dataclass(frozen=True)
class Conflict:
    id: str  # "entity:entity_id:field", or "entity:entity_id" when one side deleted the record
    entity: str
    entity_id: str
    field: str  # EXISTS for a deletion against a change
    label: str  # the record as a person names it ("finding F-021 Drift not monitored")
    mine: Side
    theirs: Side

    @property
    def deletion(self) -> bool:
        return self.field == EXISTS

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "entity": self.entity, "entity_id": self.entity_id,
                "field": None if self.deletion else self.field, "record": self.label,
                "mine": {"actor": self.mine.actor, "at": self.mine.at, "value": self.mine.value},
                "theirs": {"actor": self.theirs.actor, "at": self.theirs.at, "value": self.theirs.value}}


@dataclass(frozen=True)
class Renumbered:
    entity: str
    entity_id: str
    old: str
    new: str

    def note(self) -> str:
        return (f"{self.entity} {self.old} (uid {self.entity_id}) was renumbered {self.new}: "
                f"both laptops had used {self.old}")


@dataclass
class MergePlan:
    """Their events this side lacks, the records they change, and the conflicts to decide."""

    new_events: list[Mapping[str, Any]]
    mine: dict[Key, State | None]
    theirs: dict[Key, State | None]
    taken: dict[Key, State | None]  # merged states that differ from ours, conflicts left as ours
    conflicts: list[Conflict]

    @property
    def empty(self) -> bool:
        return not self.new_events

    def undecided(self, choices: Mapping[str, Choice]) -> list[Conflict]:
        return [conflict for conflict in self.conflicts if choices.get(conflict.id) not in CHOICES]

    def merged(self, choices: Mapping[str, Choice]) -> tuple[dict[Key, State | None], list[Renumbered]]:
        """Every record whose state changes here, once each conflict has its choice; refs made unique."""
        merged = dict(self.taken)
        for conflict in self.conflicts:
            if choices[conflict.id] != THEIRS:
                continue
            key = (conflict.entity, conflict.entity_id)
            if conflict.deletion:
                merged[key] = self.theirs.get(key)
                continue
            state = merged.get(key, self.mine.get(key))
            if state is not None:
                merged[key] = {**state, conflict.field: conflict.theirs.value}
        renumbered = _unique_refs(merged, self.mine)
        for change in renumbered:
            key = (change.entity, change.entity_id)
            state = merged.get(key, self.mine.get(key))
            assert state is not None
            merged[key] = {**state, "ref": change.new}
        _relink_roadmap(merged, self.mine, renumbered)
        return {key: state for key, state in merged.items()
                if canonical_json(state) != canonical_json(self.mine.get(key))}, renumbered


def record_label(entity: str, state: Mapping[str, Any] | None, entity_id: str) -> str:
    named = next((str(state[name]) for name in LABEL_FIELDS if state and state.get(name)), entity_id)
    ref = str(state.get("ref", "")) if state else ""
    title = str(state.get("title", "")) if state else ""
    text = f"{ref} {title}".strip() if ref else named
    return f"{entity.replace('_', ' ')} {text}"


def plan_merge(local: Sequence[Mapping[str, Any]], incoming: Sequence[Mapping[str, Any]],
               mergeable: Callable[[Key], bool]) -> MergePlan:
    """Compare this side's trail with theirs; `mergeable` tells the records a merge may write."""
    ours, theirs = Trail.of(local), Trail.of(incoming)
    new_events = [event for event in incoming if original_hash(event) not in ours.identities]
    taken: dict[Key, State | None] = {}
    conflicts: list[Conflict] = []
    keys = sorted(key for key in set(ours.states) | set(theirs.states) if mergeable(key))
    for key in keys:
        result = _merge_record(key, ours, theirs)
        if result is None:
            continue
        state, found = result
        conflicts.extend(found)
        if canonical_json(state) != canonical_json(ours.states.get(key)):
            taken[key] = state
    return MergePlan(new_events, dict(ours.states), dict(theirs.states), taken, conflicts)


def _changed(trail: Trail, key: Key, other: Trail) -> dict[str, Write]:
    """The fields of a record a trail last wrote with events the other trail does not hold."""
    return {name: write for name, write in trail.writes.get(key, {}).items() if write.identity not in other.identities}


def _latest(writes: Mapping[str, Write]) -> Write:
    return max(writes.values(), key=lambda write: (write.at, write.identity))


def _merge_record(key: Key, ours: Trail, theirs: Trail) -> tuple[State | None, list[Conflict]] | None:
    """The record's merged state with conflicts left as ours, and the conflicts; None: nothing of theirs."""
    mine_changed, their_changed = _changed(ours, key, theirs), _changed(theirs, key, ours)
    if not their_changed:
        return None
    mine, them = ours.states.get(key), theirs.states.get(key)
    label = record_label(key[0], mine or them, key[1])
    if (mine is None) != (them is None):
        # one side deleted it: the deletion stands unless the other side changed it without knowing of it
        deleter, keeper = (their_changed, mine_changed) if them is None else (mine_changed, their_changed)
        if EXISTS not in deleter:  # the other side knew of the deletion (and restored the record)
            return (mine if them is None else them), []
        if not keeper:
            return None, []
        ours_w, theirs_w = _latest(mine_changed), _latest(their_changed)
        conflict = Conflict(f"{key[0]}:{key[1]}", key[0], key[1], EXISTS, label,
                            Side(ours_w.actor, ours_w.at, mine), Side(theirs_w.actor, theirs_w.at, them))
        return mine, [conflict]
    if mine is None or them is None:
        return None  # deleted on both sides
    state = dict(mine)
    conflicts = []
    for name, write in sorted(their_changed.items()):
        if name == EXISTS:
            continue
        value = them.get(name)
        if name not in mine_changed:
            state[name] = value
        elif canonical_json(mine.get(name)) != canonical_json(value):
            ours_w = mine_changed[name]
            conflicts.append(Conflict(f"{key[0]}:{key[1]}:{name}", key[0], key[1], name, label,
                                      Side(ours_w.actor, ours_w.at, mine.get(name)),
                                      Side(write.actor, write.at, value)))
    return state, conflicts


def _ref_number(prefix: str, ref: str) -> int | None:
    match = re.fullmatch(re.escape(prefix) + r"([0-9]+)", ref)
    return int(match.group(1)) if match else None


def _unique_refs(merged: Mapping[Key, State | None], mine: Mapping[Key, State | None]) -> list[Renumbered]:
    """Refs used by two records after the merge: the smaller uid keeps it, the others get the next free ones."""
    changes = []
    for kind, (prefix, width) in REFS.items():
        states = {key: state for key, state in {**mine, **merged}.items() if key[0] == kind and state is not None}
        holders: dict[str, list[str]] = {}
        for (_, uid), state in states.items():
            holders.setdefault(str(state["ref"]), []).append(uid)
        numbers = [n for ref in holders if (n := _ref_number(prefix, ref)) is not None]
        next_number = max([0, *numbers]) + 1
        for ref, uids in sorted(holders.items()):
            for uid in sorted(uids)[1:]:
                new = f"{prefix}{next_number:0{width}d}"
                next_number += 1
                changes.append(Renumbered(kind, uid, ref, new))
    return changes


def _relink_roadmap(merged: dict[Key, State | None], mine: Mapping[Key, State | None],
                    renumbered: list[Renumbered]) -> None:
    """A roadmap item names findings by ref: where a renumbered finding's own laptop linked it, the link follows
    the new ref, so it never silently points at the other laptop's finding that kept the old one.

    A colliding ref was new on both laptops after the hand-out, so a link to it was made on one side: the
    side whose `finding_refs` the merged item carries (ours when unchanged by the merge, else theirs).
    """
    moved = [change for change in renumbered if change.entity == "finding"]
    if not moved:
        return
    items = {key: state for key, state in {**mine, **merged}.items() if key[0] == ROADMAP and state is not None}
    for key, state in items.items():
        refs = [str(ref) for ref in state.get("finding_refs") or []]
        ours = mine.get(key)
        linked_here = ours is not None and refs == [str(ref) for ref in ours.get("finding_refs") or []]
        renames = {change.old: change.new for change in moved
                   if change.old in refs and (mine.get((change.entity, change.entity_id)) is not None) == linked_here}
        if renames:
            merged[key] = {**state, "finding_refs": [renames.get(ref, ref) for ref in refs]}
