"""Laptop and server: an engagement checked out of a team server for offline fieldwork, and checked back in.

    mark = checkout(server, "ACME-2026-01", laptop, signer=signer)    # the laptop now holds the engagement
    result = checkin(laptop, "ACME-2026-01", server, signer=signer)   # merged back; the laptop's copy removed
    release(server, "ACME-2026-01", signer=partner, reason="laptop lost")   # undo a checkout without merging

A checkout is a fieldwork hand-out (services.fieldwork) that never touches the disk: the signed package is made
and checked in memory and written straight into the laptop's workspace, in the same step as the server's mark
(store.tables.EngagementCheckout, kind "out": who has it, on which laptop, since when) and the "checkout" notice
in the engagement's trail. While the mark stands, every change to the engagement on the server is refused in plain
words (services.unit.change). A check-in packages the laptop's copy in memory and merges it into the server as
`workbench merge` does (services.merge.merge_into, attested by the auditor), in the same transaction that clears
the mark and records the "checkin" notice; the laptop's copy is then REMOVED from its workspace (its work lives on
in the server's trail), so a laptop carries a client's data only while it is checked out. `release` clears the mark
without merging (a lost laptop), by a reviewer or partner of the engagement or by the auditor who holds it.
"""

from __future__ import annotations

import io
import platform
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import delete, text
from sqlmodel import Session, SQLModel, select

from workbench.domain.checkouts import CHECKIN, CHECKOUT, FIELDWORK, OUT, RELEASE, Checkout, moment
from workbench.domain.errors import ConflictError, NotFoundError, PackageError, WorkspaceError
from workbench.domain.merge_plan import Choice
from workbench.domain.trail import NOTICE
from workbench.services.attestation import attest_in_unit
from workbench.services.merge import MergeResult, merge_into
from workbench.services.package_checks import CheckedPackage, check_package
from workbench.services.packages import PackageMembers, package_members, write_engagement
from workbench.services.unit import change, reading, trial
from workbench.signing.attest import Signer
from workbench.store.tables import (
    AuditEvent,
    Client,
    Engagement,
    EngagementCheckout,
    Evidence,
    EvidenceBlob,
    stored_id,
)
from workbench.store.workspace import Workspace

__all__ = ["CheckinResult", "checkin", "checkout", "checkout_of", "checkouts", "ready_to_check_out", "release"]

RELEASING_DUTIES = frozenset({"reviewer", "partner"})


@dataclass(frozen=True)
class CheckinResult:
    checkout: Checkout  # the mark the check-in cleared
    merge: MergeResult


# -- reading the marks --------------------------------------------------------------------------------------------


def _checkout(engagement: Engagement, mark: EngagementCheckout) -> Checkout:
    return Checkout(engagement.ref, engagement.uid, mark.kind, mark.holder, mark.identity_id, mark.place, mark.since,
                    mark.branch)


def _mark(session: Session, engagement: Engagement, kind: str) -> EngagementCheckout | None:
    return session.exec(select(EngagementCheckout).where(EngagementCheckout.engagement_id == engagement.id,
                                                         EngagementCheckout.kind == kind)).first()


def checkout_of(ws: Workspace, engagement_key: str) -> Checkout | None:
    """The engagement's mark here: checked out to a laptop (on a server), or a laptop's checked-out copy; else None."""
    with reading(ws, engagement_key) as (session, engagement):
        mark = session.exec(select(EngagementCheckout).where(
            EngagementCheckout.engagement_id == engagement.id)).first()
        return _checkout(engagement, mark) if mark is not None else None


def checkouts(ws: Workspace) -> dict[str, Checkout]:
    """Every mark of the workspace by engagement uid (the library shows who has which engagement)."""
    with ws.session() as session:
        rows = session.exec(select(Engagement, EngagementCheckout).where(
            EngagementCheckout.engagement_id == Engagement.id)).all()
        return {engagement.uid: _checkout(engagement, mark) for engagement, mark in rows}


# -- checkout -----------------------------------------------------------------------------------------------------


def _require_sides(server: Workspace, laptop: Workspace) -> None:
    if not server.is_server:
        raise WorkspaceError(f"{server.location} is not a team server: engagements are checked out of a "
                             "postgresql:// workspace (--db)")
    if laptop.is_server:
        raise WorkspaceError(f"{laptop.location} is a team server: fieldwork goes to a workspace file on this "
                             "laptop")


def _laptop_place(laptop: Workspace) -> str:
    return f"{platform.node() or 'this computer'}: {laptop.location}"


def _holds(ws: Workspace, uid: str) -> Engagement | None:
    with ws.session() as session:
        return session.exec(select(Engagement).where(Engagement.uid == uid)).first()


@contextmanager
def _in_memory(package: PackageMembers) -> Iterator[tuple[zipfile.ZipFile, CheckedPackage]]:
    """The package zipped and checked in memory, as an import checks a file: nothing of it reaches the disk."""
    with zipfile.ZipFile(io.BytesIO(package.zipped())) as archive:
        checked = check_package(archive)
        if not checked.trust.trusted:
            raise PackageError(f"{checked.trust.signer or 'this identity'} is not trusted on this computer "
                               f"({checked.trust.reason}): sign with an identity of your own")
        yield archive, checked


def ready_to_check_out(server: Workspace, engagement_key: str) -> tuple[str, str]:
    """(uid, ref) of an engagement the team server can check out now; refused in words if it is checked out already
    or final (before the laptop's workspace is even opened)."""
    if not server.is_server:
        raise WorkspaceError(f"{server.location} is not a team server: engagements are checked out of a "
                             "postgresql:// workspace (--db)")
    with trial(server, engagement_key) as unit:
        return unit.engagement.uid, unit.engagement.ref


def checkout(server: Workspace, engagement_key: str, laptop: Workspace, *, signer: Signer) -> Checkout:
    """Copy the engagement from the team server into the laptop's workspace and mark the server's copy checked out
    to `signer` (refused if it is checked out already, or if the laptop holds that engagement)."""
    _require_sides(server, laptop)
    uid, ref = ready_to_check_out(server, engagement_key)
    held = _holds(laptop, uid)
    if held is not None:
        raise ConflictError(f"{laptop.location} already holds {held.ref}: check it in from there first, or check it "
                            "out to another workspace file")
    written: list[str] = []
    try:
        with change(server, uid) as unit:
            place = _laptop_place(laptop)
            unit.record(CHECKOUT, NOTICE, uid, None, {"holder": signer.name, "identity_id": signer.identity_id,
                                                      "laptop": place})
            attest_in_unit(unit, signer, CHECKOUT)  # who took it away is signed, not only written down
            unit.session.flush()
            package = package_members(unit.session, unit.engagement, server.actor, signer=signer, for_fieldwork=True)
            branch = str(package.manifest["branch"]["id"])
            with _in_memory(package) as (archive, checked), laptop.writing() as session:
                local = write_engagement(session, laptop.actor, archive, checked, False, f"{ref} (checked out)")
                engagement = session.exec(select(Engagement).where(Engagement.uid == local)).one()
                session.add(EngagementCheckout(engagement_id=stored_id(engagement), kind=FIELDWORK, holder=signer.name,
                                               identity_id=signer.identity_id, place=server.location, since=unit.at,
                                               branch=branch))
            written.append(local)
            mark = EngagementCheckout(engagement_id=stored_id(unit.engagement), kind=OUT, holder=signer.name,
                                      identity_id=signer.identity_id, place=place, since=unit.at, branch=branch)
            unit.session.add(mark)
            done = _checkout(unit.engagement, mark)
    except BaseException:
        if written:  # the server kept no mark: the laptop keeps no copy either
            _remove_copy(laptop, written[0])
        raise
    return done


# -- checkin ------------------------------------------------------------------------------------------------------


def _laptop_copy(laptop: Workspace, engagement_key: str) -> Checkout:
    with reading(laptop, engagement_key) as (session, engagement):
        mark = _mark(session, engagement, FIELDWORK)
        if mark is None:
            raise ConflictError(f"{engagement.ref} in {laptop.location} was not checked out of a team server: "
                                "there is nothing to check in (a colleague's package is merged with `workbench "
                                "merge`)")
        return _checkout(engagement, mark)


def _server_mark(session: Session, engagement: Engagement, copy: Checkout, server: Workspace) -> EngagementCheckout:
    mark = _mark(session, engagement, OUT)
    if mark is None:
        raise ConflictError(f"{engagement.ref} is not checked out on {server.location} (released meanwhile?): "
                            "export the laptop's copy and merge it there with `workbench merge`")
    if mark.branch != copy.branch:
        raise ConflictError(f"{engagement.ref} on {server.location} is checked out again, to {mark.holder} since "
                            f"{moment(mark.since)}: this laptop's copy is an older checkout (export it and merge it)")
    return mark


def _refuse_other_identity(copy: Checkout, signer: Signer) -> None:
    if signer.identity_id != copy.identity_id:
        raise ConflictError(f"{copy.engagement_ref} was checked out by {copy.holder}: only that identity checks it "
                            f"in, not {signer.name}'s (a reviewer or partner can release the checkout)")


def checkin(laptop: Workspace, engagement_key: str, server: Workspace, *, signer: Signer,
            choices: Mapping[str, Choice] | None = None, take: Choice | None = None) -> CheckinResult:
    """Merge the laptop's copy back into the team server, clear the server's mark, then remove the laptop's copy.

    No conflict can arise while the engagement is checked out; should one (a release and a new checkout between),
    it is raised as a merge raises it (services.merge.MergeConflicts), with nothing written on either side."""
    _require_sides(server, laptop)
    copy = _laptop_copy(laptop, engagement_key)
    _refuse_other_identity(copy, signer)
    with reading(server, copy.engagement_uid) as (session, engagement):
        _server_mark(session, engagement, copy, server)  # refused before anything is packaged
    with reading(laptop, copy.engagement_uid) as (session, engagement):
        package = package_members(session, engagement, laptop.actor, signer=signer)
    with _in_memory(package) as (archive, checked), change(server, copy.engagement_uid, checked_out=True) as unit:
        mark = _server_mark(unit.session, unit.engagement, copy, server)
        cleared = _checkout(unit.engagement, mark)
        unit.session.delete(mark)
        unit.record(CHECKIN, NOTICE, unit.engagement.uid, cleared.as_dict(),
                    {"checked_in_by": signer.name, "identity_id": signer.identity_id})
        merged = merge_into(unit, archive, checked, f"{copy.engagement_ref} (checked in from {_laptop_place(laptop)})",
                            signer=signer, choices=choices, take=take)
    _remove_copy(laptop, copy.engagement_uid)
    return CheckinResult(cleared, merged)


# -- release ------------------------------------------------------------------------------------------------------


def _duties(session: Session, engagement: Engagement) -> set[str]:
    """The connected role's duties on the engagement (a team server's membership; none for its administrator)."""
    from workbench.store.server_security import MEMBER_TABLE

    rows = session.execute(text(f"SELECT duty FROM {MEMBER_TABLE} WHERE engagement_id = :id "  # noqa: S608
                                "AND role_name = current_user"), {"id": engagement.id})
    return {str(row[0]) for row in rows}


def _administers(session: Session) -> bool:
    """The connected role is the server's administrator: a superuser, or the owner of its tables (who ran
    `workbench server init`), whom row-level security does not bind either."""
    row = session.execute(text(
        "SELECT r.rolsuper OR pg_has_role(current_user, t.tableowner, 'MEMBER') FROM pg_roles r, pg_tables t "
        "WHERE r.rolname = current_user AND t.tablename = 'engagement' AND t.schemaname = current_schema()")).first()
    return bool(row and row[0])


def release(server: Workspace, engagement_key: str, *, signer: Signer, reason: str = "") -> Checkout:
    """Clear the checkout without merging the laptop's work (a lost or broken laptop): by a reviewer or partner of
    the engagement, the server's administrator (staffed on it or not, as when they created it), or the auditor who
    holds it; a "release" notice says who, and their identity attests it."""
    if not server.is_server:
        raise WorkspaceError(f"{server.location} is not a team server: only a server's engagements are checked out")
    with change(server, engagement_key, checked_out=True) as unit:
        mark = _mark(unit.session, unit.engagement, OUT)
        if mark is None:
            raise ConflictError(f"{unit.engagement.ref} is not checked out: there is nothing to release")
        duties = _duties(unit.session, unit.engagement)
        if not (duties & RELEASING_DUTIES or signer.identity_id == mark.identity_id or _administers(unit.session)):
            raise ConflictError(f"only a reviewer or partner of {unit.engagement.ref} releases {mark.holder}'s "
                                f"checkout (you are its {', '.join(sorted(duties))})")
        released = _checkout(unit.engagement, mark)
        unit.session.delete(mark)
        unit.record(RELEASE, NOTICE, unit.engagement.uid, released.as_dict(),
                    {"released_by": signer.name, "identity_id": signer.identity_id,
                     "reason": " ".join(reason.split())})
        attest_in_unit(unit, signer, RELEASE)  # a laptop's work dropped: who decided it is signed
        return released


# -- the laptop's copy, removed -----------------------------------------------------------------------------------


def _remove_copy(laptop: Workspace, uid: str) -> None:
    """Delete the engagement and everything of it from the laptop's workspace: its records, trail and marks, the
    evidence files no other engagement cites, and its client when no other engagement has it."""
    with laptop.writing() as session:
        engagement = session.exec(select(Engagement).where(Engagement.uid == uid)).first()
        if engagement is None:
            raise NotFoundError(f"no engagement {uid} in {laptop.location}")
        for table in reversed(SQLModel.metadata.sorted_tables):
            if "engagement_id" in table.c:
                session.execute(delete(table).where(table.c.engagement_id == engagement.id))
        session.execute(delete(AuditEvent).where(AuditEvent.engagement_uid == uid))  # type: ignore[arg-type]
        client_id = engagement.client_id
        session.delete(engagement)
        session.flush()
        cited = select(Evidence.sha256)
        session.execute(delete(EvidenceBlob).where(EvidenceBlob.sha256.not_in(cited)))  # type: ignore[attr-defined]
        if session.exec(select(Engagement.id).where(Engagement.client_id == client_id)).first() is None:
            session.execute(delete(Client).where(Client.id == client_id))  # type: ignore[arg-type]
