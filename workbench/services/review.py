"""Review notes and sign-offs: the reviewer's questions on any part of an engagement, the
preparer's answers, and who signed off what.

A note is raised on the engagement, a dimension, a checklist item or any record (kept by uid, so
it survives export and import), answered by the preparer, then closed (or reopened) by the
reviewer. Sign-offs live in the signoff table; their `scope` says what was signed:
"" the whole engagement, "dimension:DP" one dimension, "section:findings" one section. What a
document alone says about them (scopes, the sign-offs wanted, notes still waiting) is read in
services/review_reading.py.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import select

from workbench.domain.enums import ReviewStatus, ReviewTarget, SignoffRole
from workbench.domain.errors import ConflictError, ValidationError
from workbench.domain.fields import clean_record
from workbench.services.attestation import Signer, attest_in_unit
from workbench.services.record_versions import checked_change, refuse_stale
from workbench.services.records import find_row
from workbench.services.review_reading import (
    RECORD_TARGETS,
    SECTIONS,
    UNRESOLVED,
    SignoffNeed,
    same_person_review,
    scope_label,
    scope_of,
    signoff_needs,
    target_label,
    unresolved_notes,
)
from workbench.services.unit import Unit, change, trial
from workbench.store.tables import Assessment, ReviewNote, Signoff, row_to_dict
from workbench.store.workspace import Workspace

__all__ = ["NOTE_STATE_FIELDS", "RECORD_TARGETS", "SECTIONS", "SignoffNeed", "UNRESOLVED", "answer_note",
           "answer_note_in_unit", "check_segregation", "check_sign_off", "close_note", "close_note_in_unit",
           "raise_note", "raise_note_in_unit", "reopen_note", "resolve_target", "restore_note_state",
           "restore_signoff", "same_person_review", "scope_label", "scope_of", "sign_off", "sign_off_in_unit",
           "signoff_needs", "target_label", "unresolved_notes", "withdraw_signoff"]

NOTE_STATE_FIELDS = ("status", "answer", "answered_by", "answered_at", "closed_at")


# -- notes -------------------------------------------------------------------------------------


def resolve_target(unit: Unit, kind: str, key: str) -> tuple[str, str]:
    """(kind, stable key) of what a note is about: a record's uid, a dimension or item id, or ''."""
    target = ReviewTarget.parse(kind, "target_kind")
    key = (key or "").strip()
    if target is ReviewTarget.ENGAGEMENT:
        return target.value, ""
    if not key:
        raise ValidationError(f"name the {target.label.lower()} the note is about")
    if target is ReviewTarget.DIMENSION:
        return target.value, unit.framework.dimension(key).id
    if target is ReviewTarget.CHECKLIST_ITEM:
        return target.value, unit.framework.item(key)[1].id
    return target.value, find_row(unit, unit.engagement, target.value, key).uid


def raise_note_in_unit(unit: Unit, target_kind: str, target_key: str, text: str, *,
                       uid: str | None = None) -> ReviewNote:
    kind, key = resolve_target(unit, target_kind, target_key)
    values = clean_record("review_note", {"target_kind": kind, "target_key": key, "text": text,
                                          "raised_by": unit.actor, "raised_at": unit.at})
    if not values["text"].strip():
        raise ValidationError("text: write what the reviewer wants checked")
    note = ReviewNote(engagement_id=unit.engagement.id, uid=uid or str(uuid.uuid4()), **values)  # type: ignore[arg-type]
    unit.session.add(note)
    unit.session.flush()
    unit.record("raise", "review_note", note.uid, None, row_to_dict(note))
    return note


def raise_note(ws: Workspace, engagement_key: str, target_kind: str, target_key: str, text: str) -> str:
    """The reviewer raises a note; returns its uid."""
    with change(ws, engagement_key) as unit:
        return raise_note_in_unit(unit, target_kind, target_key, text).uid


def _note(unit: Unit, note_key: str, seen_version: int | None) -> ReviewNote:
    """The note, refused (StaleEditError) when it moved on since the version the auditor's page showed."""
    note: ReviewNote = find_row(unit, unit.engagement, "review_note", note_key)
    if seen_version is not None:
        refuse_stale(unit.session, unit.engagement.uid, "review_note", note, seen_version)
    return note


def _set_note(unit: Unit, note: ReviewNote, action: str, values: dict[str, Any]) -> None:
    before = row_to_dict(note)
    for name, value in clean_record("review_note", values, partial=True).items():
        setattr(note, name, value)
    after = row_to_dict(note)
    if after != before:
        unit.session.add(note)
        unit.record(action, "review_note", note.uid, before, after)


def answer_note_in_unit(unit: Unit, note_key: str, answer: str, seen_version: int | None = None) -> None:
    note = _note(unit, note_key, seen_version)
    if note.status == ReviewStatus.CLOSED.value:
        raise ConflictError("this review note is closed; the reviewer reopens it if it needs another answer")
    if not str(answer or "").strip():
        raise ValidationError("answer: write the answer to the note")
    _set_note(unit, note, "answer", {"answer": answer, "answered_by": unit.actor, "answered_at": unit.at,
                                     "status": ReviewStatus.ANSWERED.value})


def answer_note(ws: Workspace, engagement_key: str, note_key: str, answer: str, *,
                seen_version: int | None = None) -> None:
    """The preparer answers a note (again, to amend an answer the reviewer has not closed). `seen_version`, here and
    below: the version of the note the auditor's page showed (None: not checked); StaleEditError if it moved on."""
    with checked_change(ws, engagement_key, "review_note", note_key) as unit:
        answer_note_in_unit(unit, note_key, answer, seen_version)


def close_note_in_unit(unit: Unit, note_key: str, seen_version: int | None = None) -> None:
    note = _note(unit, note_key, seen_version)
    if note.status == ReviewStatus.CLOSED.value:
        raise ConflictError("this review note is already closed")
    _set_note(unit, note, "close", {"status": ReviewStatus.CLOSED.value, "closed_at": unit.at})


def close_note(ws: Workspace, engagement_key: str, note_key: str, *, seen_version: int | None = None) -> None:
    """The reviewer is satisfied (or withdraws the note)."""
    with checked_change(ws, engagement_key, "review_note", note_key) as unit:
        close_note_in_unit(unit, note_key, seen_version)


def reopen_note(ws: Workspace, engagement_key: str, note_key: str, *, seen_version: int | None = None) -> None:
    """The reviewer is not satisfied with the answer, or a closed point needs another look."""
    with checked_change(ws, engagement_key, "review_note", note_key) as unit:
        note = _note(unit, note_key, seen_version)
        if note.status == ReviewStatus.OPEN.value:
            raise ConflictError("this review note is already open")
        _set_note(unit, note, "reopen", {"status": ReviewStatus.OPEN.value, "closed_at": None})


def restore_note_state(ws: Workspace, engagement_key: str, note_uid: str, state: dict[str, Any], *,
                       seen_version: int | None = None) -> None:
    """Put a note's status and answer back as `state` had them (undo of answer, close, reopen)."""
    with checked_change(ws, engagement_key, "review_note", note_uid) as unit:
        note = _note(unit, note_uid, seen_version)
        _set_note(unit, note, "restore", {name: state.get(name) for name in NOTE_STATE_FIELDS})


# -- sign-offs ---------------------------------------------------------------------------------


def _same_person(row: Signoff, identity_id: str, name: str) -> bool:
    """A sign-off given by this identity (or, given before identities, under its name)."""
    if row.identity_id:
        return row.identity_id == identity_id
    return row.name.strip().casefold() == name.strip().casefold()


def check_segregation(unit: Unit, role: SignoffRole, identity_id: str, name: str, one_person_practice: bool) -> None:
    """Preparer and reviewer must be different people: the reviewer cannot review what they prepared (the
    engagement or any dimension or section of it), the preparer cannot prepare what they reviewed."""
    if one_person_practice or role not in (SignoffRole.PREPARER, SignoffRole.REVIEWER):
        return
    other = SignoffRole.REVIEWER if role is SignoffRole.PREPARER else SignoffRole.PREPARER
    rows = unit.session.exec(select(Signoff).where(Signoff.engagement_id == unit.engagement.id,
                                                   Signoff.role == other.value)).all()
    clash = next((row for row in rows if _same_person(row, identity_id, name)), None)
    if clash is not None:
        what = scope_label(unit.framework, clash.scope).lower() if clash.scope else "the engagement"
        raise ValidationError(f"{name} signed off {what} as {other.label.lower()}, so cannot sign off as "
                              f"{role.label.lower()}: preparer and reviewer must be different people (a "
                              "one-person practice can allow this in the settings)")


def _checked_request(unit: Unit, role: str, identity_id: str, name: str, dimension: str | None,
                     section: str | None, one_person_practice: bool) -> tuple[SignoffRole, str]:
    """(role, scope) of a sign-off that may be given now; else the one reason it may not."""
    chosen = SignoffRole.parse(role, "role")
    if dimension:
        dimension = unit.framework.dimension(dimension).id
        level = unit.session.exec(select(Assessment.current_level).where(
            Assessment.engagement_id == unit.engagement.id, Assessment.dimension_id == dimension)).first()
        if not level:
            raise ValidationError(f"dimension {dimension} is not assessed yet; set its level before signing it off")
    if section and section not in dict(SECTIONS):
        raise ValidationError(f"section: '{section}' is not one of {', '.join(k for k, _ in SECTIONS)}")
    scope = scope_of(dimension, section)
    if scope and chosen is not SignoffRole.PREPARER:
        raise ValidationError("dimensions and sections are signed off by the preparer; the "
                              f"{chosen.label.lower()} signs off the engagement as a whole")
    existing = unit.session.exec(select(Signoff).where(Signoff.engagement_id == unit.engagement.id,
                                                       Signoff.role == chosen.value, Signoff.scope == scope)).first()
    if existing is not None:
        raise ConflictError(f"{scope_label(unit.framework, scope)} already has a {chosen.label.lower()} sign-off "
                            f"by {existing.name} ({(existing.signed_at or '')[:10]})")
    check_segregation(unit, chosen, identity_id, name, one_person_practice)
    return chosen, scope


def check_sign_off(ws: Workspace, engagement_key: str, role: str, *, identity_id: str, name: str,
                   dimension: str | None = None, section: str | None = None,
                   one_person_practice: bool = False) -> None:
    """Refuse, before any passphrase is asked for, a sign-off that sign_off would refuse."""
    with trial(ws, engagement_key) as unit:
        _checked_request(unit, role, identity_id, name, dimension, section, one_person_practice)


def sign_off_in_unit(unit: Unit, role: str, *, signer: Signer, dimension: str | None = None,
                     section: str | None = None, note: str = "", uid: str | None = None,
                     one_person_practice: bool = False) -> Signoff:
    chosen, scope = _checked_request(unit, role, signer.identity_id, signer.name, dimension, section,
                                     one_person_practice)
    values = clean_record("signoff", {"role": chosen.value, "name": signer.name, "scope": scope,
                                      "signed_at": unit.at, "note": note, "identity_id": signer.identity_id,
                                      "fingerprint": signer.fingerprint})
    row = Signoff(engagement_id=unit.engagement.id, uid=uid or str(uuid.uuid4()), **values)  # type: ignore[arg-type]
    unit.session.add(row)
    unit.session.flush()
    unit.record("sign_off", "signoff", row.uid, None, row_to_dict(row))
    attest_in_unit(unit, signer, "sign_off")
    return row


def sign_off(ws: Workspace, engagement_key: str, role: str, *, signer: Signer, dimension: str | None = None,
             section: str | None = None, note: str = "", one_person_practice: bool = False) -> str:
    """Record a sign-off under the signer's identity, attested by its key; returns its uid. The preparer and
    the reviewer must be different identities unless `one_person_practice` (services.preferences) allows it."""
    with change(ws, engagement_key) as unit:
        return sign_off_in_unit(unit, role, signer=signer, dimension=dimension, section=section, note=note,
                                one_person_practice=one_person_practice).uid


def withdraw_signoff(ws: Workspace, engagement_key: str, signoff_key: str, *,
                     seen_version: int | None = None) -> dict[str, Any]:
    """Take a sign-off back (before finalisation); returns what it held, for undo. `seen_version`: the version the
    auditor's page showed (None: not checked); StaleEditError if it moved on."""
    with checked_change(ws, engagement_key, "signoff", signoff_key) as unit:
        row = find_row(unit, unit.engagement, "signoff", signoff_key)
        if seen_version is not None:
            refuse_stale(unit.session, unit.engagement.uid, "signoff", row, seen_version)
        before = row_to_dict(row)
        unit.session.delete(row)
        unit.record("withdraw", "signoff", row.uid, before, None)
        return before


def restore_signoff(ws: Workspace, engagement_key: str, state: dict[str, Any], *, signer: Signer,
                    one_person_practice: bool = False) -> None:
    """Bring a withdrawn sign-off back with its uid and time (undo of a withdrawal). Only its own identity can
    bring it back, and it is attested again like a new sign-off."""
    if state.get("identity_id") and state["identity_id"] != signer.identity_id:
        raise ValidationError(f"only {state.get('name')} (identity {state['identity_id']}) can restore this "
                              "sign-off")
    with change(ws, engagement_key) as unit:
        check_segregation(unit, SignoffRole.parse(state.get("role", ""), "role"), signer.identity_id, signer.name,
                          one_person_practice)
        values = clean_record("signoff", {k: v for k, v in state.items() if k != "uid"})
        values.update(name=signer.name, identity_id=signer.identity_id, fingerprint=signer.fingerprint)
        row = Signoff(engagement_id=unit.engagement.id, uid=state["uid"], **values)  # type: ignore[arg-type]
        unit.session.add(row)
        unit.session.flush()
        unit.record("restore", "signoff", row.uid, None, row_to_dict(row))
        attest_in_unit(unit, signer, "sign_off")
