"""Merging generated fieldwork: hypothesis edits findings on two and three laptops, then merges.

The oracle tracks, per finding and field, which laptop changed it (an edit that changed its value) and
its final value there. After the merge: a field one laptop changed has that laptop's value; a field two
laptops changed to different values is reported as a conflict exactly once and takes the chosen value; a
finding deleted on one laptop and changed on another is one conflict; new findings all arrive with unique
refs; the merged trail verifies; merging A into B and B into A give the same records for the same choices.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.services import records
from workbench.services.attestation import verify_trail
from workbench.services.engagements import create_engagement
from workbench.services.fieldwork import hand_out
from workbench.services.merge import merge_package, preview_merge
from workbench.services.packages import export_package, import_package
from workbench.store.workspace import Workspace

BASE_FINDINGS = 4
FIELDS = {"title": ("Alpha", "Beta", "Gamma"), "owner": ("", "Data team", "Platform"),
          "severity": ("Low", "Medium", "High")}
SETTINGS = settings(max_examples=12, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

edit = st.tuples(st.just("edit"), st.integers(0, BASE_FINDINGS - 1), st.sampled_from(sorted(FIELDS)),
                 st.integers(0, 2))
add = st.tuples(st.just("add"), st.integers(0, 99), st.just(""), st.just(0))
remove = st.tuples(st.just("delete"), st.integers(0, BASE_FINDINGS - 1), st.just(""), st.just(0))
operations = st.lists(st.one_of(edit, edit, edit, add, remove), max_size=8)


@dataclass
class Laptop:
    name: str
    ws: Workspace
    written: dict[tuple[str, str], Any] = field(default_factory=dict)  # (uid, field) → final value
    deleted: set[str] = field(default_factory=set)
    added: set[str] = field(default_factory=set)

    def apply(self, uid: str, base: list[str], ops: list[tuple[str, int, str, int]]) -> None:
        for kind, index, name, value in ops:
            if kind == "add":
                self.added.add(records.add_record(self.ws, uid, "finding",
                                                  {"title": f"{self.name} {index}", "severity": "Low"}))
                continue
            target = base[index]
            if target in self.deleted:
                continue
            elif kind == "delete":
                records.delete_record(self.ws, uid, "finding", target)
                self.deleted.add(target)
            else:
                current = next(f for f in records.list_records(self.ws, uid, "finding") if f["uid"] == target)
                if current[name] != FIELDS[name][value]:
                    records.update_record(self.ws, uid, "finding", target, {name: FIELDS[name][value]})
                    self.written[(target, name)] = FIELDS[name][value]

    def touched(self, target: str) -> bool:
        return any(key[0] == target for key in self.written)


@pytest.fixture(scope="module")
def handed_out(tmp_path_factory: pytest.TempPathFactory, signer_pool: dict[str, Any]) -> dict[str, Any]:
    """A lead workspace with an engagement of four findings, and a colleague's workspace holding its hand-out."""
    folder = tmp_path_factory.mktemp("merge-base")
    signer = signer_pool["preparer"]
    with Workspace(folder / "lead.db", actor="Ann") as ws:
        uid = create_engagement(ws, client="Acme", title="Fieldwork")
        base = [records.add_record(ws, uid, "finding", {"title": f"Base {n}", "severity": "Medium"})
                for n in range(BASE_FINDINGS)]
        package = hand_out(ws, uid, folder / "handout.mlaudit", signer=signer)
    return {"folder": folder, "uid": uid, "base": base, "package": package, "signer": signer}


def laptop(base: dict[str, Any], folder: Path, name: str, lead: bool = False) -> Laptop:
    path = folder / f"{name}.db"
    if lead:
        shutil.copy(base["folder"] / "lead.db", path)
    ws = Workspace(path, actor=name).open()
    if not lead:
        import_package(ws, base["package"], untrusted=True)
    return Laptop(name, ws)


def findings(ws: Workspace, uid: str) -> dict[str, dict[str, Any]]:
    return {f["uid"]: f for f in records.list_records(ws, uid, "finding")}


def expected_conflicts(a: Laptop, b: Laptop, base: list[str]) -> set[str]:
    """The conflict ids the oracle expects between two laptops' edits."""
    conflicts = set()
    for target in base:
        gone_a, gone_b = target in a.deleted, target in b.deleted
        if gone_a != gone_b and (b.touched(target) if gone_a else a.touched(target)):
            conflicts.add(f"finding:{target}")
            continue
        if gone_a or gone_b:
            continue
        for name in FIELDS:
            key = (target, name)
            if key in a.written and key in b.written and a.written[key] != b.written[key]:
                conflicts.add(f"finding:{target}:{name}")
    return conflicts


def check_outcome(merged: dict[str, dict[str, Any]], a: Laptop, b: Laptop, base: list[str],
                  choice: dict[str, str]) -> None:
    """Every change of one laptop is in the merge; conflicting ones as chosen ("mine" is a's)."""
    for target in base:
        record_id = f"finding:{target}"
        if record_id in choice:
            keeper = a if choice[record_id] == "mine" else b
            assert (target in merged) == (target not in keeper.deleted)
            continue
        if target in a.deleted or target in b.deleted:
            assert target not in merged
            continue
        for name in FIELDS:
            key = (target, name)
            field_id = f"finding:{target}:{name}"
            if field_id in choice:
                want = (a if choice[field_id] == "mine" else b).written[key]
            elif key in a.written or key in b.written:
                want = a.written.get(key, b.written.get(key))
            else:
                continue
            assert merged[target][name] == want, (target, name)
    assert a.added | b.added <= set(merged)
    refs = [record["ref"] for record in merged.values()]
    assert len(refs) == len(set(refs))


def send(lap: Laptop, uid: str, folder: Path, signer: Any) -> Path:
    return export_package(lap.ws, uid, folder / f"{lap.name}.mlaudit", signer=signer)


@SETTINGS
@given(ops_a=operations, ops_b=operations, take_theirs=st.booleans())
def test_two_laptops_merge_every_edit_and_agree_in_both_directions(
        handed_out: dict[str, Any], tmp_path_factory: pytest.TempPathFactory, ops_a: list[Any], ops_b: list[Any],
        take_theirs: bool) -> None:
    folder = tmp_path_factory.mktemp("two")
    uid, base, signer = handed_out["uid"], handed_out["base"], handed_out["signer"]
    a, b = laptop(handed_out, folder, "Ann", lead=True), laptop(handed_out, folder, "Bea")
    try:
        a.apply(uid, base, ops_a)
        b.apply(uid, base, ops_b)
        from_a, from_b = send(a, uid, folder, signer), send(b, uid, folder, signer)
        preview = preview_merge(a.ws, from_b, untrusted=True)
        ids = [conflict.id for conflict in preview.conflicts]
        assert len(ids) == len(set(ids)) and set(ids) == expected_conflicts(a, b, base)
        choice = {conflict_id: "theirs" if take_theirs else "mine" for conflict_id in ids}
        flipped = {key: "mine" if value == "theirs" else "theirs" for key, value in choice.items()}
        merge_package(a.ws, from_b, signer=signer, choices=choice, untrusted=True)
        merge_package(b.ws, from_a, signer=signer, choices=flipped, untrusted=True)
        merged = findings(a.ws, uid)
        check_outcome(merged, a, b, base, choice)
        assert merged == findings(b.ws, uid)
        for lap in (a, b):
            verdict = verify_trail(lap.ws, uid)
            assert verdict.chain.ok and verdict.attestation is not None, verdict.problem
            assert not [p for p in verdict.attestation.problems if "does not hold" in p], verdict.problem
            again = merge_package(lap.ws, from_b if lap is a else from_a, signer=signer, untrusted=True)
            assert again.preview.nothing_new
    finally:
        a.ws.close()
        b.ws.close()


@settings(max_examples=6, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops_a=operations, ops_b=operations, ops_c=operations)
def test_three_laptops_converge_after_merging_through_the_lead(
        handed_out: dict[str, Any], tmp_path_factory: pytest.TempPathFactory, ops_a: list[Any], ops_b: list[Any],
        ops_c: list[Any]) -> None:
    folder = tmp_path_factory.mktemp("three")
    uid, base, signer = handed_out["uid"], handed_out["base"], handed_out["signer"]
    a, b, c = (laptop(handed_out, folder, "Ann", lead=True), laptop(handed_out, folder, "Bea"),
               laptop(handed_out, folder, "Cem"))
    try:
        for lap, ops in ((a, ops_a), (b, ops_b), (c, ops_c)):
            lap.apply(uid, base, ops)
        from_b, from_c = send(b, uid, folder, signer), send(c, uid, folder, signer)
        first = merge_package(a.ws, from_b, signer=signer, take="theirs", untrusted=True)
        assert set(first.choices) == expected_conflicts(a, b, base)
        ab = Laptop("A+B", a.ws, {**a.written, **b.written}, a.deleted | b.deleted, a.added | b.added)
        for conflict_id in first.choices:  # a record conflict taken from Bea keeps her side of it
            target = conflict_id.split(":")[1]
            if conflict_id.count(":") == 1:
                ab.deleted.discard(target) if target not in b.deleted else ab.deleted.add(target)
        second = merge_package(a.ws, from_c, signer=signer, take="theirs", untrusted=True)
        merged = findings(a.ws, uid)
        assert a.added | b.added | c.added <= set(merged)
        for target in base:
            for name in FIELDS:
                key = (target, name)
                if target in merged and key in c.written and f"finding:{target}:{name}" in second.choices:
                    assert merged[target][name] == c.written[key]
                only = [lap for lap in (a, b, c) if key in lap.written]
                if target in merged and len(only) == 1 and not any(target in lap.deleted for lap in (a, b, c)):
                    assert merged[target][name] == only[0].written[key]
        assert verify_trail(a.ws, uid).chain.ok
        from_a = send(a, uid, folder, signer)
        for lap in (b, c):
            back = merge_package(lap.ws, from_a, signer=signer, untrusted=True)
            assert not back.preview.conflicts
            assert findings(lap.ws, uid) == merged
            assert verify_trail(lap.ws, uid).chain.ok
    finally:
        for lap in (a, b, c):
            lap.ws.close()
