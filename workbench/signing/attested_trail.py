"""Which events of an audit trail are attested, by whom, and whether the attestations hold.

`check_attested_trail` reads a trail (events as dicts, in order) and judges each attestation event
(entity "attestation", signing/attest.py):

- its signature verifies, and the event it names (event_count) is in the trail with the chain head it
  signed: a history rewritten with recomputed hashes no longer has that head, so every attestation made
  after the rewritten event fails. A forged or damaged attestation is a problem wherever it stands.
- it was made for this engagement (its uid, or a uid the trail names for it before an import as a copy)
  at the time the event records.
- it is trusted when one of the given CA certificates vouches for its signer; a valid attestation by a
  signer no anchor vouches for is listed as not trusted, and does not count as attesting anything.

A sign-off given under an identity must be attested by that identity (the next attestation after it), so
a sign-off row cannot be put under someone else's name. Events after the last trusted attestation are
*not yet attested*: for an engagement in progress that is normal (reported, not a problem); a final
engagement must be attested through its last event, apart from what an import into this workspace
appends (domain.trail.IMPORT_EVENTS), so a rewrite, a deletion (the last event included) or an append
after finalisation is detected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from workbench.domain.trail import (
    ATTESTATION,
    IMPORT_EVENTS,
    NOTICE,
    ORIGIN,
    UNTRUSTED_IMPORT,
    original_hash,
    original_seq,
)

if TYPE_CHECKING:  # cryptography loads (0.1 s) only for a trail that holds attestations
    from cryptography import x509

    from workbench.signing.attest import AttestationCheck

SIGNOFF_ACTIONS = ("sign_off", "restore")

__all__ = ["AttestationLine", "TrailAttestation", "check_attested_trail"]


@dataclass(frozen=True)
class AttestationLine:
    """One attestation event as `log --verify` reports it."""

    seq: int
    event_count: int
    purpose: str
    signer: str
    identity_id: str
    fingerprint: str
    trusted: bool
    problem: str = ""  # set: forged, damaged or not matching the trail
    trust_problem: str = ""  # set: valid, but no trusted CA vouches for the signer
    anchor: str = ""
    merged: bool = False  # made on another laptop's branch and merged in (it signed that branch's chain)

    @property
    def counts(self) -> bool:
        return not self.problem and self.trusted

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TrailAttestation:
    events: int
    attestations: tuple[AttestationLine, ...]
    attested_through: int  # the last event a trusted, valid attestation covers (0: none)
    final: bool
    problems: tuple[str, ...]
    notices: tuple[tuple[int, str], ...] = ()  # (seq, reason) of the trail's untrusted-import notices
    imported_after: bool = False  # the events after `attested_through` only record an import into this workspace

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unattested(self) -> tuple[int, int] | None:
        """(first, last) of the trailing events no trusted attestation covers; None when all are covered."""
        return (self.attested_through + 1, self.events) if self.attested_through < self.events else None

    def as_dict(self) -> dict[str, Any]:
        gap = self.unattested
        return {"attestations": [line.as_dict() for line in self.attestations],
                "attested_through": self.attested_through, "unattested": list(gap) if gap else None,
                "final": self.final, "problems": list(self.problems), "imported_after": self.imported_after,
                "notices": [{"seq": seq, "reason": reason} for seq, reason in self.notices]}


class _Places:
    """Where each event of a trail stands: by seq (its hash) and by the hash it was recorded with."""

    def __init__(self, events: Sequence[Mapping[str, Any]]) -> None:
        self.hashes = {int(e["seq"]): str(e["hash"]) for e in events}
        # original hash → (seq here, seq where it was recorded): a merged event keeps both (store.audit ORIGIN)
        self.originals = {original_hash(e): (int(e["seq"]), original_seq(e)) for e in events}

    def signed_here(self, event: Mapping[str, Any], count: int, head: str) -> int | None:
        """The seq, in this trail, of the event an attestation signed (None: it is not here)."""
        if not event.get(ORIGIN):
            return count if self.hashes.get(count) == head else None
        place = self.originals.get(head)  # merged in from a branch: the chain it signed is the branch's
        return place[0] if place is not None and place[1] == count else None


def _mismatch(event: Mapping[str, Any], check: AttestationCheck, places: _Places, uids: set[str]) -> str:
    """Why a valid signature does not attest this trail ('' when it does)."""
    seq, count, fields = int(event["seq"]), check.event_count, check.fields
    if not 0 < count < original_seq(event):
        return f"it names event #{count}, which does not come before it"
    here = places.signed_here(event, count, str(fields["chain_head"]))
    if here is None or here >= seq:
        return (f"it signed event #{count} with chain head {str(fields['chain_head'])[:12]}…, but the trail's "
                f"event #{count} has {str(places.hashes.get(count, ''))[:12]}… (the history was rewritten)")
    if fields["engagement_uid"] not in uids:
        return f"it was made for another engagement ({fields['engagement_uid']})"
    if fields["signed_at"] != event.get("at"):
        return "its event's time is not the time it signed"
    return ""


def _line(event: Mapping[str, Any], roots: Sequence[x509.Certificate], places: _Places,
          uids: set[str]) -> AttestationLine:
    from workbench.signing.attest import check_attestation

    check = check_attestation(event.get("after"), roots)
    sig = check.signature
    problem = sig.problem or _mismatch(event, check, places, uids)
    count = check.event_count
    if event.get(ORIGIN) and not problem:  # signed on another laptop's branch: the signed event's seq here
        count = places.signed_here(event, count, str(check.fields["chain_head"])) or 0
    return AttestationLine(seq=int(event["seq"]), event_count=count, merged=bool(event.get(ORIGIN)),
                           purpose=str(check.fields.get("purpose", "")), signer=sig.name,
                           identity_id=sig.identity_id, fingerprint=sig.fingerprint, trusted=sig.trusted,
                           problem=problem, trust_problem=sig.trust_problem, anchor=sig.anchor)


def _covered_to(line: AttestationLine) -> int:
    """The last event an attestation covers: what it signed, and itself when it directly follows that.

    One merged in from a branch signed that branch's chain, not the events recorded here before the merge:
    it covers nothing of this trail's numbering (the merge's own attestation covers the merged trail)."""
    if line.merged:
        return 0
    return line.seq if line.event_count == line.seq - 1 else line.event_count


def _signoff_problems(events: Sequence[Mapping[str, Any]], lines: Sequence[AttestationLine]) -> list[str]:
    problems = []
    for event in events:
        after = event.get("after")
        if event["entity"] != "signoff" or event["action"] not in SIGNOFF_ACTIONS or not isinstance(after, Mapping) \
                or not after.get("identity_id"):
            continue
        seq = int(event["seq"])
        line = next((a for a in lines if a.seq > seq and a.event_count >= seq), None)
        who = f"{after.get('name')} (identity {after.get('identity_id')})"
        if line is None:
            problems.append(f"the sign-off at event #{seq} by {who} is not attested by that identity")
        elif not line.problem and (line.fingerprint != after.get("fingerprint") or line.signer != after.get("name")):
            problems.append(f"the sign-off at event #{seq} names {who} but is attested by {line.signer} "
                            f"(identity {line.identity_id})")
    return problems


def _changes_after(events: Sequence[Mapping[str, Any]], through: int) -> list[Mapping[str, Any]]:
    """The events after event #`through` other than those an import into this workspace appends."""
    return [e for e in events if int(e["seq"]) > through and (e["action"], e["entity"]) not in IMPORT_EVENTS]


def _final_problem(events: Sequence[Mapping[str, Any]], through: int, lines: Sequence[AttestationLine],
                   which: str) -> str:
    tail = _changes_after(events, through)
    if not tail:
        return ""
    if through == 0:
        untrusted = [line for line in lines if not line.problem and not line.trusted]
        if untrusted:
            return (f"the engagement is final, but only identities this computer does not trust attest it "
                    f"({untrusted[-1].signer}: {untrusted[-1].trust_problem}); trust their CA to verify it")
        return f"the engagement is final, but no {which} attestation covers its trail"
    first, last = int(tail[0]["seq"]), int(events[-1]["seq"])
    span = f"event #{first} is" if first == last else f"events #{first}-#{last} are"
    return (f"the engagement is final, but {span} not attested after the last {which} attestation (#{through}): "
            "the trail was changed or cut after it was attested")


def check_attested_trail(events: Sequence[Mapping[str, Any]], roots: Iterable[x509.Certificate], *, final: bool,
                         engagement_uids: Iterable[str], require_trust: bool = True) -> TrailAttestation:
    """Judge every attestation of a trail whose hash chain already verified (store.audit.verify_chain).

    With `require_trust` False a valid attestation counts as attesting whoever made it (a package's import:
    whether to believe its signers is the package signature's question, asked separately). `roots` is
    only read when the trail holds an attestation: it may be a generator that loads the trust store."""
    attesting = [e for e in events if e["entity"] == ATTESTATION]
    anchors = list(roots) if attesting else []
    places = _Places(events)
    uids = set(engagement_uids) | {str(e["entity_id"]) for e in events if e["entity"] == "engagement"}
    lines = tuple(_line(e, anchors, places, uids) for e in attesting)
    problems = [f"attestation #{line.seq}" + (f" by {line.signer}" if line.signer else "")
                + f" does not hold: {line.problem}" for line in lines if line.problem]
    through = max((_covered_to(line) for line in lines
                   if line.counts or (not require_trust and not line.problem)), default=0)
    problems += _signoff_problems(events, lines)
    if final:
        problem = _final_problem(events, through, lines, "trusted" if require_trust else "valid")
        if problem:
            problems.append(problem)
    notices = tuple((int(e["seq"]), str(e["after"].get("reason", "")) if isinstance(e["after"], Mapping) else "")
                    for e in events if (e["action"], e["entity"]) == (UNTRUSTED_IMPORT, NOTICE))
    imported_after = 0 < through < len(events) and not _changes_after(events, through)
    return TrailAttestation(events=len(events), attestations=lines, attested_through=through, final=final,
                            problems=tuple(problems), notices=notices, imported_after=imported_after)
