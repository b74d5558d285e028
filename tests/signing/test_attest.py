"""Signature blocks and attestations (signing/attest.py) and the attested-trail check, attacked directly."""

from __future__ import annotations

import base64
import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.helpers.signing import PASSPHRASE
from workbench.domain.trail import ATTESTATION, canonical_json
from workbench.signing import identities
from workbench.signing.attest import Signer, check_attestation, check_signature, make_attestation, sign_bytes
from workbench.signing.attested_trail import check_attested_trail
from workbench.store.audit import GENESIS_HASH, event_hash

UID = "6f1c2d8e-0000-4000-8000-00000000abcd"
def moment(seconds: int) -> str:
    """A time after the test's identities' certificates begin (they are valid from their creation)."""
    at = datetime.now(UTC) + timedelta(minutes=1, seconds=seconds)
    return at.isoformat(timespec="microseconds").replace("+00:00", "Z")


def signer(name: str = "Ana Auditor", key_type: str = "ec", **kwargs: Any) -> Signer:
    identity = identities.create_identity(name, f"{name.split()[0].lower()}@example.com", "Audit & Co", PASSPHRASE,
                                          key_type=key_type, **kwargs)
    return Signer.of(identity, identities.load_private_key(identity, PASSPHRASE))


def roots_of(*signers: Signer) -> list[Any]:
    return [cert for s in signers for cert in s.chain]


@pytest.mark.parametrize("key_type", ["ec", "rsa"])
def test_a_signature_verifies_and_is_trusted_through_the_identity_ca(key_type: str) -> None:
    ana = signer(key_type=key_type)
    block = sign_bytes(ana, b"manifest bytes")
    check = check_signature(block, b"manifest bytes", roots_of(ana))
    assert check.valid and check.trusted and not check.problem
    assert (check.name, check.identity_id, check.fingerprint) == ("Ana Auditor", ana.identity_id, ana.fingerprint)
    assert check.anchor.startswith("Workbench local CA for Ana Auditor")


def test_other_data_or_a_flipped_signature_is_invalid() -> None:
    ana = signer()
    block = sign_bytes(ana, b"original")
    assert check_signature(block, b"altered", roots_of(ana)).problem == \
        "the signature does not match what it claims to sign"
    raw = bytearray(base64.b64decode(block["signature"]))
    raw[-1] ^= 1
    flipped = {**block, "signature": base64.b64encode(bytes(raw)).decode()}
    assert not check_signature(flipped, b"original", roots_of(ana)).valid
    assert "not base64" in check_signature({**block, "signature": "***"}, b"original", roots_of(ana)).problem


def test_a_certificate_swapped_in_or_a_false_name_is_invalid() -> None:
    ana, mallory = signer(), signer("Mallory Forger")
    block = sign_bytes(mallory, b"data")
    claimed = {**block, "certificate": sign_bytes(ana, b"x")["certificate"]}  # Ana's certificate, Mallory's key
    assert check_signature(claimed, b"data", roots_of(ana, mallory)).problem == \
        "it names another certificate than the one it carries"
    relabelled = {**claimed, "identity_id": ana.identity_id, "fingerprint": ana.fingerprint, "name": "Ana Auditor"}
    assert check_signature(relabelled, b"data", roots_of(ana)).problem == \
        "the signature does not match what it claims to sign"
    renamed = {**block, "name": "Ana Auditor"}
    assert check_signature(renamed, b"data", roots_of(mallory)).problem == "its signer's name is not the certificate's"
    assert not check_signature({**block, "certificate": "-----BEGIN CERTIFICATE-----\nAAAA\n"}, b"data", []).valid


def test_a_valid_signature_by_a_stranger_is_untrusted_not_invalid() -> None:
    ana, stranger = signer(), signer("Stranger Danger")
    check = check_signature(sign_bytes(stranger, b"data"), b"data", roots_of(ana))
    assert check.valid and not check.trusted
    assert "which this computer does not trust" in check.trust_problem
    # a chain that names a trusted CA as issuer, without its signature, does not borrow the trust
    forged = sign_bytes(stranger, b"data")
    forged["chain"] = [sign_bytes(ana, b"x")["chain"][0]]
    assert not check_signature(forged, b"data", roots_of(ana)).trusted


def test_trust_is_judged_at_the_claimed_time() -> None:
    ana = signer(validity_days=1)
    block = sign_bytes(ana, b"data")
    later = datetime.now(UTC) + timedelta(days=3)
    check = check_signature(block, b"data", roots_of(ana), at=later)
    assert check.valid and not check.trusted and "was not valid at" in check.trust_problem


def test_attestation_fields_are_signed() -> None:
    ana = signer()
    after = make_attestation(ana, UID, 7, "ab" * 32, "sign_off", moment(0))
    assert check_attestation(after, roots_of(ana)).signature.trusted
    for key, value in (("event_count", 8), ("chain_head", "cd" * 32), ("purpose", "export"),
                       ("engagement_uid", "someone-else")):
        forged = copy.deepcopy(after)
        forged["signed"][key] = value
        assert not check_attestation(forged, roots_of(ana)).valid, key
    assert "fields an attestation signs" in check_attestation({"signed": {}}, []).signature.problem
    assert "fields an attestation signs" in check_attestation(None, []).signature.problem
    with pytest.raises(ValueError, match="unknown attestation purpose"):
        make_attestation(ana, UID, 1, "ab" * 32, "anything", moment(0))


# -- a trail built in memory ------------------------------------------------------------------------------

class Trail:
    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def add(self, action: str, entity: str, entity_id: str, after: Any = None, at: str | None = None) -> None:
        prev = self.events[-1]["hash"] if self.events else GENESIS_HASH
        seq = len(self.events) + 1
        event = {"seq": seq, "at": at or moment(seq), "actor": "tester", "action": action,
                 "entity": entity, "entity_id": entity_id, "before": None, "after": after, "prev_hash": prev}
        event["hash"] = event_hash(prev, event)
        self.events.append(event)

    def attest(self, who: Signer, purpose: str = "sign_off") -> None:
        at = moment(len(self.events) + 1)
        last = self.events[-1]
        self.add("attest", ATTESTATION, who.identity_id,
                 make_attestation(who, UID, last["seq"], last["hash"], purpose, at), at=at)

    def rehash(self, start: int = 0) -> None:
        prev = self.events[start - 1]["hash"] if start else GENESIS_HASH
        for event in self.events[start:]:
            event["prev_hash"] = prev
            event["hash"] = prev = event_hash(prev, event)


def signoff(who: Signer, role: str = "preparer") -> dict[str, Any]:
    return {"uid": f"so-{role}", "role": role, "name": who.name, "identity_id": who.identity_id,
            "fingerprint": who.fingerprint, "scope": "", "signed_at": None, "note": ""}


def judged(trail: Trail, roots: list[Any], final: bool = False) -> Any:
    return check_attested_trail(trail.events, roots, final=final, engagement_uids={UID})


def test_trail_attested_by_preparer_and_reviewer() -> None:
    ana, ben = signer(), signer("Ben Reviewer")
    trail = Trail()
    trail.add("create", "engagement", UID, {"title": "x"})
    trail.add("create", "finding", "f1", {"severity": "Critical"})
    trail.add("sign_off", "signoff", "so-preparer", signoff(ana))
    trail.attest(ana)
    trail.add("update", "finding", "f1", {"severity": "Critical", "status": "open"})
    result = judged(trail, roots_of(ana, ben))
    assert result.ok and result.attested_through == 4 and result.unattested == (5, 5)
    assert [(a.seq, a.event_count, a.signer, a.trusted) for a in result.attestations] == [(4, 3, "Ana Auditor", True)]
    trail.add("sign_off", "signoff", "so-reviewer", signoff(ben, "reviewer"))
    trail.attest(ben)
    trail.add("finalise", "engagement", UID, {"title": "x", "locked_at": "now"})
    trail.attest(ben, "finalise")
    final = judged(trail, roots_of(ana, ben), final=True)
    assert final.ok and final.unattested is None
    # the same trail, trusted by nobody: each attestation listed as valid but untrusted; a final one fails
    nobody = judged(trail, [], final=True)
    assert not nobody.ok and all(not a.trusted and not a.problem for a in nobody.attestations)
    assert "only identities this computer does not trust attest it" in nobody.problems[0]


def test_rewritten_history_with_recomputed_hashes_is_detected() -> None:
    ana = signer()
    trail = Trail()
    trail.add("create", "finding", "f1", {"severity": "Critical"})
    trail.attest(ana)
    trail.events[0]["after"] = {"severity": "Low"}
    trail.rehash()
    result = judged(trail, roots_of(ana))
    assert not result.ok and "the history was rewritten" in result.problems[0]


def test_final_trail_cut_or_appended_is_detected() -> None:
    ana = signer()
    trail = Trail()
    trail.add("create", "finding", "f1", {"severity": "Critical"})
    trail.add("finalise", "engagement", UID, {"locked_at": "now"})
    trail.attest(ana, "finalise")
    assert judged(trail, roots_of(ana), final=True).ok
    cut = Trail()
    cut.events = trail.events[:-1]
    assert "no trusted attestation covers its trail" in judged(cut, roots_of(ana), final=True).problems[0]
    appended = Trail()
    appended.events = copy.deepcopy(trail.events)
    appended.add("update", "finding", "f1", {"severity": "Low"})
    problem = judged(appended, roots_of(ana), final=True).problems[0]
    assert "event #4 is not attested after the last trusted attestation (#3)" in problem
    imported = Trail()
    imported.events = copy.deepcopy(trail.events)
    imported.add("import", "engagement", UID, {"locked_at": "now"})
    imported.add("use", "client", "c1", {"name": "Acme"})
    assert judged(imported, roots_of(ana), final=True).ok  # what an import appends is not a change


def test_signoff_under_someone_elses_identity_is_detected() -> None:
    ana, mallory = signer(), signer("Mallory Forger")
    trail = Trail()
    trail.add("sign_off", "signoff", "so-reviewer", signoff(ana, "reviewer"))
    trail.attest(mallory)
    problem = judged(trail, roots_of(ana, mallory)).problems[0]
    assert "names Ana Auditor" in problem and "attested by Mallory Forger" in problem
    unattested = Trail()
    unattested.add("sign_off", "signoff", "so-reviewer", signoff(ana, "reviewer"))
    assert "is not attested by that identity" in judged(unattested, roots_of(ana)).problems[0]


def test_forged_attestation_and_foreign_engagement_are_problems() -> None:
    ana = signer()
    trail = Trail()
    trail.add("create", "finding", "f1", {"severity": "Critical"})
    trail.attest(ana)
    trail.events[-1]["after"]["signed"]["chain_head"] = "ab" * 32  # an edit the signature does not cover
    trail.rehash(1)
    assert "does not hold: the signature does not match" in judged(trail, roots_of(ana)).problems[0]
    other = Trail()
    other.add("create", "finding", "f1", {})
    last = other.events[-1]
    at = moment(2)
    other.add("attest", ATTESTATION, ana.identity_id,
              make_attestation(ana, "another-engagement", 1, last["hash"], "sign_off", at), at=at)
    assert "made for another engagement" in judged(other, roots_of(ana)).problems[0]


def test_canonical_json_is_the_signed_spelling() -> None:
    assert canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'


def test_a_name_too_long_for_a_certificate_is_refused_in_words() -> None:
    from workbench.domain.errors import ValidationError

    with pytest.raises(ValidationError, match="too long for a certificate"):
        identities.create_identity("Ελένη " * 7, "eleni@example.com", "", PASSPHRASE)  # 42 letters, 78 bytes
    long_but_fits = "Å" * 32  # 64 bytes: its CA's name "Workbench local CA for Å…" is cut to fit
    assert identities.create_identity(long_but_fits, "a@example.com", "", PASSPHRASE).name == long_but_fits
