"""Laptop and server (#18 item 5): an engagement checked out of a team server to a laptop's workspace file, its
server copy refused every change meanwhile, checked back in as a merge with one intact chain, or released.

Every test runs a team server on the session's throwaway PostgreSQL cluster (tests/helpers/pg_cluster.py), on
either backend pass; each refusal leaves both workspaces exactly as they were (content_hash)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import content_hash, table_counts
from tests.helpers.confidential import inside, leaks, writes_recorded, written_files
from tests.helpers.pg_cluster import Cluster, available
from workbench.domain.errors import CheckedOutError, ConflictError, WorkspaceError
from workbench.services import evidence, records
from workbench.services.attestation import verify_trail
from workbench.services.checkout import checkin, checkout, checkout_of, checkouts, release
from workbench.services.engagements import create_engagement, update_engagement
from workbench.services.trail import verify_engagement
from workbench.store.audit import events_of
from workbench.store.server_workspace import ServerWorkspace
from workbench.store.workspace import Workspace

pytestmark = pytest.mark.skipif(not available(), reason="PostgreSQL's initdb/pg_ctl are not installed")
REASON = re.compile(r"ACME-\d{4}-\d\d is checked out to Ana Preparer's laptop since \d+ \w{3} \d\d:\d\d UTC; "
                    r"check it in first")


@pytest.fixture
def server(pg_cluster: Cluster, tmp_path: Path) -> Iterator[ServerWorkspace]:
    database = pg_cluster.fresh_database()
    proof = tmp_path / "runbook.txt"
    proof.write_text("Acme rollback runbook: none documented for the fraud model", encoding="utf-8")
    try:
        with ServerWorkspace(pg_cluster.url(database)) as ws:
            uid = create_engagement(ws, client="Acme Analytics", title="Platform audit")
            records.add_record(ws, uid, "finding", {"title": "Acme: no rollback plan", "severity": "High"})
            records.add_record(ws, uid, "risk", {"title": "Acme: outage", "likelihood": 2, "impact": 4})
            evidence.attach_file(ws, uid, proof, description="Acme runbook")
            yield ws
    finally:
        pg_cluster.drop(database)


@pytest.fixture
def uid(server: ServerWorkspace) -> str:
    return next(iter(_uids(server)))


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace(tmp_path / "laptop.db") as ws:
        yield ws


def _uids(ws: Workspace) -> list[str]:
    with ws.session() as session:
        from sqlmodel import select

        from workbench.store.tables import Engagement

        return list(session.exec(select(Engagement.uid)).all())


def _trail(ws: Workspace, uid: str) -> list[tuple[str, str]]:
    with ws.session() as session:
        return [(event["action"], event["entity"]) for event in events_of(session, uid)]


def _state(*workspaces: Workspace) -> list[str]:
    return [content_hash(ws) for ws in workspaces]


def test_round_trip_check_out_work_offline_check_in(server: ServerWorkspace, uid: str, laptop: Workspace,
                                                      preparer) -> None:
    mark = checkout(server, uid, laptop, signer=preparer)
    assert (mark.kind, mark.holder, mark.identity_id) == ("out", "Ana Preparer", preparer.identity_id)
    assert str(laptop.path) in mark.place and REASON.fullmatch(mark.reason)
    assert checkout_of(laptop, uid).place == server.location  # type: ignore[union-attr]
    assert list(checkouts(server)) == [uid]

    before = _state(server)
    with pytest.raises(CheckedOutError) as refused:  # the server's copy takes no change meanwhile, in plain words
        records.add_record(server, uid, "finding", {"title": "Written on the server meanwhile", "severity": "Low"})
    assert REASON.fullmatch(str(refused.value))
    with pytest.raises(CheckedOutError):
        update_engagement(server, uid, {"title": "Renamed on the server"})
    assert _state(server) == before

    finding = records.add_record(laptop, uid, "finding", {"title": "Found offline", "severity": "Medium"})
    risk = records.list_records(laptop, uid, "risk")[0]
    records.update_record(laptop, uid, "risk", risk["uid"], {"mitigation": "Second data centre"})
    update_engagement(laptop, uid, {"scope": "Fraud model, offline visit"})

    result = checkin(laptop, uid, server, signer=preparer)
    assert result.checkout.branch == mark.branch and result.merge.preview.conflicts == []
    findings = {f["uid"]: f for f in records.list_records(server, uid, "finding")}
    assert {f["title"] for f in findings.values()} == {"Acme: no rollback plan", "Found offline"}
    assert findings[finding]["severity"] == "Medium"
    assert records.list_records(server, uid, "risk")[0]["mitigation"] == "Second data centre"
    report = verify_engagement(server, uid)
    assert report.ok, report
    trail = _trail(server, uid)
    assert ("checkout", "notice") in trail and ("checkin", "notice") in trail and trail[-1] == ("attest",
                                                                                                "attestation")
    taken = trail.index(("checkout", "notice"))
    assert trail[taken + 1] == ("attest", "attestation")  # the checkout is signed by who took it
    assert _attestation(server, uid, "checkout")["signature"]["identity_id"] == preparer.identity_id
    verdict = verify_trail(server, uid)
    assert verdict.ok, verdict.problem
    assert checkouts(server) == {}

    # the laptop's copy is gone, client and evidence with it; the server takes changes again
    assert {name: count for name, count in table_counts(laptop).items() if count} == {"alembic_version": 1}
    records.add_record(server, uid, "finding", {"title": "Written on the server after", "severity": "Low"})
    assert verify_engagement(server, uid).ok


def _attestation(ws: Workspace, uid: str, purpose: str) -> dict:
    with ws.session() as session:
        return next(e["after"] for e in events_of(session, uid)
                    if e["action"] == "attest" and e["after"]["signed"]["purpose"] == purpose)


def test_release_clears_the_mark_without_merging_and_the_laptop_cannot_check_in(
        server: ServerWorkspace, uid: str, laptop: Workspace, preparer, reviewer) -> None:
    # the server's administrator releases it, though only staffed as the preparer who created the engagement
    checkout(server, uid, laptop, signer=preparer)
    records.add_record(laptop, uid, "finding", {"title": "Found on the lost laptop", "severity": "Low"})
    released = release(server, uid, signer=reviewer, reason="laptop  stolen on the train")
    assert released.holder == "Ana Preparer"
    with server.session() as session:
        notice, attestation = events_of(session, uid)[-2:]
    assert (notice["action"], notice["after"]["released_by"], notice["after"]["reason"]) == (
        "release", "Rui Reviewer", "laptop stolen on the train")
    assert attestation["after"]["signed"]["purpose"] == "release"  # signed by who dropped the laptop's work
    assert attestation["after"]["signature"]["identity_id"] == reviewer.identity_id
    assert verify_engagement(server, uid).ok
    records.add_record(server, uid, "finding", {"title": "Written on the server after", "severity": "Low"})

    before = _state(server, laptop)
    with pytest.raises(ConflictError, match="is not checked out on .*released meanwhile"):
        checkin(laptop, uid, server, signer=preparer)
    with pytest.raises(ConflictError, match="is not checked out: there is nothing to release"):
        release(server, uid, signer=reviewer)
    assert _state(server, laptop) == before


def test_every_refusal_leaves_both_workspaces_as_they_were(server: ServerWorkspace, uid: str, laptop: Workspace,
                                                           tmp_path: Path, preparer, reviewer) -> None:
    ref = checkout(server, uid, laptop, signer=preparer).engagement_ref
    with Workspace(tmp_path / "second.db") as second:
        own = create_engagement(second, client="Borealis Bank", title="Credit models")
        before = _state(server, laptop, second)
        with pytest.raises(CheckedOutError, match=REASON):  # already checked out: by whom, since when
            checkout(server, uid, second, signer=reviewer)
        with pytest.raises(ConflictError, match=f"{ref} was checked out by Ana Preparer: only that identity"):
            checkin(laptop, uid, server, signer=reviewer)  # the wrong identity
        with pytest.raises(ConflictError, match="was not checked out of a team server"):
            checkin(second, own, server, signer=preparer)  # not a checkout: nothing to check in
        with pytest.raises(WorkspaceError, match="is not a team server"):
            checkin(laptop, uid, second, signer=preparer)
        with pytest.raises(WorkspaceError, match="is not a team server"):
            checkout(second, uid, laptop, signer=preparer)  # a workspace file is not a server
        with pytest.raises(WorkspaceError, match="is not a team server"):
            release(laptop, uid, signer=reviewer)
        assert _state(server, laptop, second) == before
        release(server, uid, signer=reviewer)
        before = _state(server, laptop, second)
        with pytest.raises(ConflictError, match=f"already holds {ref}"):  # the laptop holds the engagement
            checkout(server, uid, laptop, signer=preparer)
        assert _state(server, laptop, second) == before


def test_a_preparer_does_not_release_a_colleagues_checkout(pg_cluster: Cluster, server: ServerWorkspace, uid: str,
                                                           laptop: Workspace, preparer, reviewer) -> None:
    from workbench.services.team_server import grant_membership

    role = f"bea_{abs(hash(server.url)) % 10_000}"
    pg_cluster.sql(f"CREATE ROLE {role} LOGIN")
    try:
        grant_membership(server.url, uid, role, "preparer")
        checkout(server, uid, laptop, signer=preparer)
        url = server.url.replace("postgresql://postgres@", f"postgresql://{role}@")
        with ServerWorkspace(url) as colleague:
            before = _state(server, laptop)
            with pytest.raises(ConflictError, match="only a reviewer or partner of .* releases Ana Preparer's"):
                release(colleague, uid, signer=reviewer)
            assert _state(server, laptop) == before
            with pytest.raises(CheckedOutError, match=REASON):
                records.add_record(colleague, uid, "risk", {"title": "Written by Bea", "likelihood": 1, "impact": 1})
            assert _state(server, laptop) == before
    finally:
        pg_cluster.sql(f"DROP OWNED BY {role}", database=server.url.split("@/")[1].split("?")[0])
        pg_cluster.sql(f"DROP ROLE IF EXISTS {role}")


def test_a_checkout_writes_nothing_but_the_laptops_encrypted_workspace(server: ServerWorkspace, uid: str,
                                                                       tmp_path: Path, preparer) -> None:
    from workbench.services.encryption import create_encrypted_workspace

    path = create_encrypted_workspace(tmp_path / "field" / "laptop.db", "a long field passphrase 42", scrypt_n=2**10)
    with Workspace(path) as laptop, writes_recorded() as written:
        checkout(server, uid, laptop, signer=preparer)
    assert inside(written, [path.parent]) == written  # no package, no temporary file: the workspace's files only
    secrets = {b"Acme Analytics", b"Acme: no rollback plan", b"Acme rollback runbook"}
    assert written_files(path.parent) and leaks(written_files(path.parent), secrets) == []
    with Workspace(path) as laptop:
        assert {f["title"] for f in records.list_records(laptop, uid, "finding")} == {"Acme: no rollback plan"}
