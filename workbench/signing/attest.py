"""Signatures by a signing identity over small documents: attestations of an audit trail, package manifests.

A *signer* is an unlocked identity: its private key with its certificate and issuing chain. `sign_bytes`
signs data with it (ECDSA P-256 with SHA-256, as the PDF signatures; RSA identities with PKCS#1 v1.5 and
SHA-256) and returns a *signature block*, a JSON object that carries everything a verifier needs except
the trust anchors: the algorithm, the signature (base64), the signer's certificate and its chain (PEM).
`check_signature` verifies a block against data and a list of trusted CA certificates.

An *attestation* is such a signature over the canonical JSON of the state of an engagement's audit trail:

    {"type": "workbench-attestation", "version": 1, "engagement_uid": ..., "event_count": N,
     "chain_head": "<hash of event N>", "purpose": "sign_off|finalise|reopen|export|merge|checkout|release",
     "signed_at": ...}

Whoever holds the trail can recompute its hashes, but not this signature: an attestation fixes events
1..N as they were when the identity signed. The trail stores it as an event (entity "attestation", see
signing/attested_trail.py), so every copy of the trail carries its attestations.

Trust: a certificate is trusted when a path of valid signatures leads from it to one of the anchors,
every certificate on the path being valid at the claimed signing time, the issuers being CA certificates
and the signer's key usage allowing signatures. A valid signature by a certificate no anchor vouches for
is "valid but untrusted"; a signature that does not verify, or a block that is damaged, is "invalid".
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from workbench.domain.trail import canonical_json
from workbench.signing.identities import Identity, PrivateKey, certificate_name, fingerprint
from workbench.signing.trust import is_ca

ATTESTATION_TYPE = "workbench-attestation"
ATTESTATION_VERSION = 1
PURPOSES = ("sign_off", "finalise", "reopen", "export", "merge", "checkout", "release")
ECDSA_SHA256 = "ecdsa-sha256"
RSA_SHA256 = "rsa-pkcs1v15-sha256"
MAX_CHAIN = 6

__all__ = ["ATTESTATION_TYPE", "AttestationCheck", "PURPOSES", "SignatureCheck", "Signer", "attestation_fields",
           "check_attestation", "check_signature", "make_attestation", "sign_bytes"]


@dataclass(frozen=True)
class Signer:
    """An unlocked signing identity: what signs attestations, sign-offs and packages."""

    identity_id: str
    name: str
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    key: PrivateKey = field(repr=False)

    @classmethod
    def of(cls, identity: Identity, key: PrivateKey) -> Signer:
        return cls(identity.id, identity.name, identity.certificate(), tuple(identity.chain()), key)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.certificate)


# -- signing -------------------------------------------------------------------------------------------

def _pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def sign_bytes(signer: Signer, data: bytes) -> dict[str, Any]:
    """A signature block over `data` (a JSON object; see the module docstring)."""
    if isinstance(signer.key, ec.EllipticCurvePrivateKey):
        algorithm, signature = ECDSA_SHA256, signer.key.sign(data, ec.ECDSA(hashes.SHA256()))
    else:
        algorithm, signature = RSA_SHA256, signer.key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    return {"identity_id": signer.identity_id, "name": signer.name, "fingerprint": signer.fingerprint,
            "algorithm": algorithm, "signature": base64.b64encode(signature).decode("ascii"),
            "certificate": _pem(signer.certificate), "chain": [_pem(c) for c in signer.chain]}


def attestation_fields(engagement_uid: str, event_count: int, chain_head: str, purpose: str,
                       signed_at: str) -> dict[str, Any]:
    """The fields an attestation signs (their canonical JSON is what the key signs)."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown attestation purpose {purpose!r}")
    return {"type": ATTESTATION_TYPE, "version": ATTESTATION_VERSION, "engagement_uid": engagement_uid,
            "event_count": int(event_count), "chain_head": chain_head, "purpose": purpose, "signed_at": signed_at}


def make_attestation(signer: Signer, engagement_uid: str, event_count: int, chain_head: str, purpose: str,
                     signed_at: str) -> dict[str, Any]:
    """What an attestation event holds: {"signed": the fields, "signature": the block over their JSON}."""
    signed = attestation_fields(engagement_uid, event_count, chain_head, purpose, signed_at)
    return {"signed": signed, "signature": sign_bytes(signer, canonical_json(signed).encode("utf-8"))}


# -- checking ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignatureCheck:
    """The verdict on one signature block. `problem` is set when the block is invalid (forged, damaged);
    `trusted` says whether a trust anchor vouches for the signer, `trust_problem` why not."""

    valid: bool
    trusted: bool
    name: str = ""
    identity_id: str = ""
    fingerprint: str = ""
    anchor: str = ""
    problem: str = ""
    trust_problem: str = ""

    @property
    def who(self) -> str:
        return f"{self.name} ({self.identity_id})" if self.name else "an unknown signer"


class _Invalid(Exception):
    """A block that cannot be what it claims (the message says why, in plain words)."""


def _load_certificates(block: Mapping[str, Any]) -> tuple[x509.Certificate, list[x509.Certificate]]:
    pem, chain = block.get("certificate"), block.get("chain", [])
    if not isinstance(pem, str) or not isinstance(chain, list) or not all(isinstance(c, str) for c in chain):
        raise _Invalid("its certificate is missing")
    if len(chain) > MAX_CHAIN:
        raise _Invalid("its certificate chain is too long")
    try:
        leaf = x509.load_pem_x509_certificate(pem.encode("ascii"))
        issuers = [x509.load_pem_x509_certificate(c.encode("ascii")) for c in chain]
    except (ValueError, UnicodeEncodeError):
        raise _Invalid("its certificate cannot be read") from None
    return leaf, issuers


def _verify_with(public_key: Any, algorithm: Any, signature: bytes, data: bytes) -> None:
    if algorithm == ECDSA_SHA256 and isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
    elif algorithm == RSA_SHA256 and isinstance(public_key, rsa.RSAPublicKey):
        public_key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    else:
        raise _Invalid(f"its algorithm {algorithm!r} does not fit the certificate's key")


def _check_block(block: Mapping[str, Any], data: bytes) -> x509.Certificate:
    """The signer's certificate when the block's signature over `data` verifies; else _Invalid."""
    if not isinstance(block, Mapping):
        raise _Invalid("it is not a signature")
    leaf, _ = _load_certificates(block)
    digest = fingerprint(leaf)
    if block.get("fingerprint") != digest or block.get("identity_id") != digest[:16]:
        raise _Invalid("it names another certificate than the one it carries")
    if block.get("name") != certificate_name(leaf):
        raise _Invalid("its signer's name is not the certificate's")
    try:
        signature = base64.b64decode(str(block.get("signature", "")), validate=True)
    except (binascii.Error, ValueError):
        raise _Invalid("its signature is not base64") from None
    try:
        _verify_with(leaf.public_key(), block.get("algorithm"), signature, data)
    except (InvalidSignature, UnsupportedAlgorithm, ValueError):
        raise _Invalid("the signature does not match what it claims to sign") from None
    return leaf


def _valid_at(cert: x509.Certificate, at: datetime) -> bool:
    return cert.not_valid_before_utc <= at <= cert.not_valid_after_utc


def _may_sign(cert: x509.Certificate) -> bool:
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return bool(usage.digital_signature or usage.content_commitment)


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    if cert.issuer != issuer.subject:
        return False
    try:
        cert.verify_directly_issued_by(issuer)
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return True


def _issuer_name(cert: x509.Certificate) -> str:
    """The issuer's common name and firm ("Workbench local CA for Ana Auditor (Audit & Co)"), else its whole
    distinguished name."""
    names = cert.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
    firms = cert.issuer.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    if not names:
        return cert.issuer.rfc4514_string()
    return _text(names[0].value) + (f" ({_text(firms[0].value)})" if firms else "")


def _text(value: str | bytes) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def trust_path(leaf: x509.Certificate, issuers: Sequence[x509.Certificate], roots: Sequence[x509.Certificate],
               at: datetime) -> tuple[str, str]:
    """(anchor subject, '') when a trusted path leads from `leaf` to a root at time `at`; else ('', why not)."""
    if not _may_sign(leaf):
        return "", "its certificate is not meant for signatures"
    anchors = {fingerprint(root): root for root in roots}
    current = leaf
    for _ in range(MAX_CHAIN + 1):
        if not _valid_at(current, at):
            return "", f"the certificate of {certificate_name(current)} was not valid at {at:%Y-%m-%d %H:%M} UTC"
        if fingerprint(current) in anchors:
            return certificate_name(current), ""
        issuer = next((c for c in (*roots, *issuers) if _issued_by(current, c) and (is_ca(c) or c == current)),
                      None)
        if issuer is None or issuer == current:
            return "", f"it was issued by {_issuer_name(current)}, which this computer does not trust"
        current = issuer
    return "", "its certificate chain is too long"


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time (a trailing Z allowed) as an aware datetime (UTC when it names no zone); None if unreadable."""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_signature(block: Mapping[str, Any], data: bytes, roots: Iterable[x509.Certificate], *,
                    at: datetime | None = None) -> SignatureCheck:
    """Verify a signature block over `data`; trust is judged at `at` (default: now)."""
    try:
        leaf = _check_block(block, data)
    except _Invalid as exc:
        name = block.get("name") if isinstance(block, Mapping) else ""
        return SignatureCheck(False, False, name=str(name or ""), problem=str(exc))
    digest = fingerprint(leaf)
    _, issuers = _load_certificates(block)
    anchor, why = trust_path(leaf, issuers, list(roots), at or datetime.now(UTC))
    return SignatureCheck(True, bool(anchor), name=certificate_name(leaf), identity_id=digest[:16],
                          fingerprint=digest, anchor=anchor, trust_problem=why)


@dataclass(frozen=True)
class AttestationCheck:
    """One attestation event's verdict: its signature check and the fields it signed (when readable)."""

    signature: SignatureCheck
    fields: Mapping[str, Any]

    @property
    def valid(self) -> bool:
        return self.signature.valid

    @property
    def event_count(self) -> int:
        return int(self.fields.get("event_count", 0))


_FIELD_TYPES = {"type": str, "version": int, "engagement_uid": str, "event_count": int, "chain_head": str,
                "purpose": str, "signed_at": str}


def _fields_of(after: Any) -> Mapping[str, Any]:
    signed = after.get("signed") if isinstance(after, Mapping) else None
    if not isinstance(signed, Mapping) or set(signed) != set(_FIELD_TYPES):
        raise _Invalid("it does not hold the fields an attestation signs")
    if any(not isinstance(signed[k], t) or isinstance(signed[k], bool) for k, t in _FIELD_TYPES.items()):
        raise _Invalid("its signed fields are of the wrong kind")
    if (signed["type"], signed["version"]) != (ATTESTATION_TYPE, ATTESTATION_VERSION):
        raise _Invalid(f"it is not a version {ATTESTATION_VERSION} workbench attestation")
    if signed["purpose"] not in PURPOSES:
        raise _Invalid(f"its purpose {signed['purpose']!r} is unknown")
    return signed


def check_attestation(after: Any, roots: Iterable[x509.Certificate]) -> AttestationCheck:
    """Verify what an attestation event holds; trust is judged at the time the attestation says it was made
    (an identity whose certificate has since expired still vouches for what it signed while valid)."""
    try:
        signed = _fields_of(after)
    except _Invalid as exc:
        return AttestationCheck(SignatureCheck(False, False, problem=str(exc)), {})
    at = parse_time(signed["signed_at"])
    if at is None:
        return AttestationCheck(SignatureCheck(False, False, problem="its time cannot be read"), signed)
    data = canonical_json(dict(signed)).encode("utf-8")
    return AttestationCheck(check_signature(after["signature"], data, roots, at=at), signed)
