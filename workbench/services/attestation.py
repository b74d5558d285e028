"""Attestations in the workspace: an unlocked identity signs the state of an engagement's audit trail.

    signer = unlock_signer(None, provider)          # the newest identity; passphrase from keychain/provider
    with change(ws, "ACME-2026-01") as unit:
        ...                                         # the change and its events
        attest_in_unit(unit, signer, "sign_off")    # then the attestation event, same transaction

Every sign-off, finalisation, reopening and package export ends with an attestation (services/review.py,
finalise.py, packages.py). `verify_trail` is `log --verify`: the hash chain, every record against the
event that last wrote it, the frozen framework and evidence (services/trail.py), then every attestation
against the CA certificates this computer trusts (signing/attested_trail.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509

from workbench.domain.trail import ATTESTATION
from workbench.services.trail import verify_in_session
from workbench.services.unit import Unit, reading
from workbench.signing import identities, keychain
from workbench.signing.attest import Signer, make_attestation
from workbench.signing.attested_trail import TrailAttestation, check_attested_trail
from workbench.signing.keychain import Notify, PassphraseProvider
from workbench.signing.trust import trust_roots
from workbench.store.audit import EVENT_FIELDS, GENESIS_HASH, ChainReport, event_hash, events_of
from workbench.store.workspace import Workspace

__all__ = ["Signer", "TrailVerdict", "attest_in_unit", "attestation_event", "describe_verdict", "trust_roots",
           "unlock_signer", "verify_trail"]


def unlock_signer(identity_ref: str | None, passphrase_provider: PassphraseProvider | None, *,
                  notify: Notify | None = None) -> Signer:
    """The identity (id, id prefix or e-mail; None: the newest) with its key opened: from the keychain's
    passphrase, else the provider's (a wrong one raises WrongPassphraseError, a cancelled prompt
    PassphraseCancelled). Call it before opening a write transaction: prompting inside one would hold
    the workspace's write lock while the user types."""
    identity = identities.get_identity(identity_ref)
    identities.check_usable(identity)
    return Signer.of(identity, keychain.unlock(identity, passphrase_provider, notify))


def attest_in_unit(unit: Unit, signer: Signer, purpose: str) -> None:
    """Append an attestation of the trail as it stands in this unit (the events just recorded included)."""
    seq, head = unit.head()
    after = make_attestation(signer, unit.engagement.uid, seq, head, purpose, unit.at)
    unit.record("attest", ATTESTATION, signer.identity_id, None, after)


def attestation_event(events: Sequence[Mapping[str, Any]], engagement_uid: str, signer: Signer, purpose: str,
                      at: str, actor: str) -> dict[str, Any]:
    """The next event of a trail read as dicts: an attestation of it, chained as append_event would chain it.

    An export attests this way: the event goes into the package's trail (and, through its import, into the
    importing workspace's), not into the exporting workspace, so exporting stays a read."""
    last_seq, prev_hash = (int(events[-1]["seq"]), str(events[-1]["hash"])) if events else (0, GENESIS_HASH)
    event: dict[str, Any] = {"seq": last_seq + 1, "at": at, "actor": actor, "action": "attest",
                             "entity": ATTESTATION, "entity_id": signer.identity_id, "before": None,
                             "after": make_attestation(signer, engagement_uid, last_seq, prev_hash, purpose, at),
                             "prev_hash": prev_hash}
    event["hash"] = event_hash(prev_hash, event)
    return {key: event[key] for key in EVENT_FIELDS}


@dataclass(frozen=True)
class TrailVerdict:
    """`log --verify`: the chain and records (services.trail) and the attestations."""

    chain: ChainReport
    attestation: TrailAttestation | None  # None when the chain itself is broken

    @property
    def ok(self) -> bool:
        return self.chain.ok and self.attestation is not None and self.attestation.ok

    @property
    def problem(self) -> str:
        if not self.chain.ok:
            return self.chain.problem
        return "; ".join(self.attestation.problems) if self.attestation is not None else ""

    def as_dict(self) -> dict[str, Any]:
        data = self.chain.as_dict()
        data.update(self.attestation.as_dict() if self.attestation is not None else {})
        data.update(ok=self.ok, problem=self.problem)
        return data


def verify_trail(ws: Workspace, engagement_key: str, roots: list[x509.Certificate] | None = None) -> TrailVerdict:
    """Verify an engagement's trail and its attestations in one read of the workspace."""
    anchors = trust_roots() if roots is None else roots
    with reading(ws, engagement_key) as (session, engagement):
        events = events_of(session, engagement.uid)
        chain = verify_in_session(session, engagement, events)
        final = bool(engagement.locked_at)
        uid = engagement.uid
    if not chain.ok:
        return TrailVerdict(chain, None)
    return TrailVerdict(chain, check_attested_trail(events, anchors, final=final, engagement_uids={uid}))


def describe_verdict(verdict: TrailVerdict) -> list[str]:
    """Plain lines for `log --verify`: the chain, each attestation by whom, what is not yet attested."""
    chain = verdict.chain
    if not chain.ok:
        return [f"audit trail broken: {chain.problem}"]
    lines = [f"audit trail intact: {chain.events} events, head {chain.head_hash}"]
    result = verdict.attestation
    if result is None:
        return lines
    lines.append(f"attestations: {len(result.attestations)}" if result.attestations else
                 "attestations: none (no sign-off, finalisation, reopening or export was attested)")
    for line in result.attestations:
        covered = f"events #1-#{line.event_count}" if line.event_count > 1 else "event #1"
        state = ("DOES NOT HOLD: " + line.problem if line.problem else
                 "trusted" if line.trusted else "NOT trusted on this computer: " + line.trust_problem)
        lines.append(f"  #{line.seq:<5} {line.purpose:<9} {covered:<16} by {line.signer or '?'} "
                     f"({line.identity_id or '?'}): {state}")
    gap = result.unattested
    span = "" if gap is None else f"event #{gap[0]}" if gap[0] == gap[1] else f"events #{gap[0]}-#{gap[1]}"
    if gap is None:
        lines.append(f"attested through the last event (#{result.events})")
    elif result.imported_after and result.ok:  # only what an import into this workspace appended follows
        through = "the finalisation" if result.final else f"event #{result.attested_through}"
        lines.append(f"attested through {through}; {span} record the import into this workspace "
                     "(nothing of the engagement changed after it)")
    elif result.attested_through == 0:
        lines.append(f"not attested by any identity this computer trusts: {span}")
    else:
        lines.append(f"not yet attested: {span} (after the last trusted attestation, nothing anchors them)")
    lines.extend(f"event #{seq}: imported as an untrusted package ({reason})" for seq, reason in result.notices)
    lines.extend(f"problem: {problem}" for problem in result.problems)
    return lines
