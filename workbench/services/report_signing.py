"""Signing only what is true: when a report may be signed, as what, and in which role.

A signed report of a final engagement is the audit opinion. An engagement that is not final can only be
signed as an explicit *signed draft*: the report carries the DRAFT mark and the visible signature reads
"DRAFT — not an audit opinion". The role shown in the signature must be one the signing identity holds
in this engagement's sign-offs (preparer, reviewer or engagement lead). `signing_terms` checks all of it
before any passphrase is asked for or any file written; the CLI (`report --sign [--draft-signature]`) and
the GUI's Sign both call it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from workbench.domain.enums import SignoffRole
from workbench.domain.errors import ValidationError
from workbench.services.unit import reading
from workbench.store.tables import Signoff
from workbench.store.workspace import Workspace

DRAFT_SIGNATURE = "DRAFT — not an audit opinion"
# when the signer does not name a role: the most senior one they hold
ROLE_PREFERENCE = (SignoffRole.ENGAGEMENT_LEAD, SignoffRole.REVIEWER, SignoffRole.PREPARER)

__all__ = ["DRAFT_SIGNATURE", "SigningTerms", "held_roles", "signing_terms"]


@dataclass(frozen=True)
class SigningTerms:
    role: str  # a SignoffRole value
    role_label: str  # what the signature shows: "Reviewer"
    draft: bool  # a signed draft, not an audit opinion (the report then carries the DRAFT mark)


def held_roles(ws: Workspace, engagement_key: str, identity_id: str) -> list[str]:
    """The sign-off roles this identity holds in the engagement (any part of it), most senior first."""
    with reading(ws, engagement_key) as (session, engagement):
        roles = set(session.exec(select(Signoff.role).where(Signoff.engagement_id == engagement.id,
                                                            Signoff.identity_id == identity_id)).all())
    return [role.value for role in ROLE_PREFERENCE if role.value in roles]


def _check_draft(ref: str, final: bool, draft_signature: bool, draft_mark: bool) -> None:
    if not final and not draft_signature:
        raise ValidationError(f"engagement {ref} is not final, so its report cannot carry a signed audit opinion: "
                              "finalise it first, or sign it explicitly as a draft (--draft-signature)")
    if final and draft_signature:
        raise ValidationError(f"engagement {ref} is final: its report is signed as the audit opinion, not as a "
                              "draft")
    if draft_signature and not draft_mark:
        raise ValidationError("a signed draft must carry the DRAFT mark on every page; render it with the mark")
    if draft_mark and not draft_signature:
        raise ValidationError("this report is marked DRAFT, so its signature can only be a draft signature "
                              "(--draft-signature); render it without the mark to sign the opinion")


def signing_terms(ws: Workspace, engagement_key: str, identity_id: str, identity_name: str, role: str | None, *,
                  draft_signature: bool, draft_mark: bool | None = None) -> SigningTerms:
    """What the signature may say, or the one reason the report may not be signed (ValidationError).

    `draft_mark` is whether the report to sign carries the DRAFT mark; None: as rendered by default (the
    mark unless the engagement is final), or with it for a signed draft."""
    with reading(ws, engagement_key) as (_session, engagement):
        ref, final = engagement.ref, bool(engagement.locked_at)
    mark = (draft_signature or not final) if draft_mark is None else draft_mark
    _check_draft(ref, final, draft_signature, mark)
    held = held_roles(ws, engagement_key, identity_id)
    if not held:
        raise ValidationError(f"{identity_name} (identity {identity_id}) has given no sign-off in engagement {ref}, "
                              "so cannot sign its report: the signature's role must be one they signed off as")
    chosen = SignoffRole.parse(role, "role").value if role else held[0]
    if chosen not in held:
        names = ", ".join(SignoffRole(r).label.lower() for r in held)
        raise ValidationError(f"{identity_name} holds no {SignoffRole(chosen).label.lower()} sign-off in engagement "
                              f"{ref}; the signature's role must be one they signed off as ({names})")
    return SigningTerms(role=chosen, role_label=SignoffRole(chosen).label, draft=draft_signature)
