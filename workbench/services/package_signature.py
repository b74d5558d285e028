"""Signed engagement packages (format_version 2): who exported a package, and whether to believe it.

A package of format 2 may hold `signature.json` beside `manifest.json`: a detached signature over the
exact bytes of manifest.json by the exporting identity. It is the same primitive as an attestation
(signing/attest.py: ECDSA P-256 or RSA PKCS#1 v1.5 with SHA-256, and the signer's certificate chain in
PEM), not CMS: one signature format for the whole workbench, verified with `cryptography` alone. Since the
manifest holds the SHA-256 of every other member, the signature covers the whole package.

    {"type": "mlaudit-signature", "version": 1, "signed_member": "manifest.json",
     "signature": {"identity_id", "name", "fingerprint", "algorithm", "signature", "certificate", "chain"}}

`package_trust` judges a package before import: a signature that does not verify, or any attestation in its
trail that does not hold, refuses the package outright (it was altered); a package that is unsigned (format
1, or format 2 without signature.json) or signed by an identity this computer does not trust is
*untrusted*: `import_package` takes it only when asked to (`--untrusted`, or the GUI's confirmation), and
records a notice in the trail saying so.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509

from workbench.domain.errors import PackageError
from workbench.signing.attest import SignatureCheck, Signer, check_signature, sign_bytes
from workbench.signing.attested_trail import check_attested_trail

SIGNATURE = "signature.json"
SIGNATURE_TYPE = "mlaudit-signature"
SIGNATURE_VERSION = 1
MAX_SIGNATURE_BYTES = 256 * 1024

__all__ = ["PackageTrust", "SIGNATURE", "UntrustedPackage", "package_trust", "signature_document"]


class UntrustedPackage(PackageError):
    """The package is intact but nothing this computer trusts vouches for it; `reason` says why."""

    def __init__(self, name: str, reason: str) -> None:
        self.reason = reason
        super().__init__(f"{name} {reason}; import it only if you trust where it came from, as an untrusted "
                         "package (--untrusted)")


@dataclass(frozen=True)
class PackageTrust:
    """Who signed a package and whether this computer trusts them (`reason` says why not)."""

    signed: bool
    trusted: bool
    signer: str = ""
    identity_id: str = ""
    fingerprint: str = ""
    reason: str = ""

    def notice(self, package_name: str) -> dict[str, Any]:
        """What the trail keeps of an import of this package as untrusted."""
        return {"package": package_name, "signed": self.signed, "signer": self.signer,
                "identity_id": self.identity_id, "fingerprint": self.fingerprint, "reason": self.reason}


def signature_document(signer: Signer, manifest_bytes: bytes) -> bytes:
    """signature.json for a manifest (see the module docstring)."""
    document = {"type": SIGNATURE_TYPE, "version": SIGNATURE_VERSION, "signed_member": "manifest.json",
                "signature": sign_bytes(signer, manifest_bytes)}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _signature_block(data: bytes) -> Mapping[str, Any]:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PackageError(f"{SIGNATURE} in the package is not valid JSON") from None
    if not isinstance(document, dict) or document.get("type") != SIGNATURE_TYPE \
            or document.get("signed_member") != "manifest.json" or not isinstance(document.get("signature"), dict):
        raise PackageError(f"{SIGNATURE} in the package is not a package signature")
    if document.get("version") != SIGNATURE_VERSION:
        raise PackageError(f"{SIGNATURE} is of version {document.get('version')!r}, which this workbench does not "
                           "read; update the workbench")
    return document["signature"]  # type: ignore[no-any-return]


def _signer_trust(check: SignatureCheck) -> PackageTrust:
    if check.trusted:
        return PackageTrust(True, True, check.name, check.identity_id, check.fingerprint)
    return PackageTrust(True, False, check.name, check.identity_id, check.fingerprint,
                        f"is signed by {check.name} ({check.identity_id}), whom this computer does not trust: "
                        f"{check.trust_problem}")


def _check_attestations(document: Mapping[str, Any], roots: Sequence[x509.Certificate]) -> None:
    """Every attestation in the package's trail must hold; a final engagement must be attested to its end."""
    engagement = document["engagement"]
    result = check_attested_trail(document["audit_log"], roots, final=bool(engagement.get("locked_at")),
                                  engagement_uids={str(engagement["uid"])}, require_trust=False)
    if result.problems:
        raise PackageError(f"the audit trail in the package is not attested as it should be: {result.problems[0]}")


def package_trust(manifest_bytes: bytes, signature: bytes | None, document: Mapping[str, Any],
                  roots: Sequence[x509.Certificate], *, format_version: int,
                  signed_at: datetime | None = None) -> PackageTrust:
    """Judge the package's signature and attestations (PackageError when either fails). Trust in the signer
    is judged at `signed_at` (the manifest's exported_at): a certificate that expired since still vouches."""
    _check_attestations(document, roots)
    if signature is None:
        why = "is a package of format 1, which has no signature" if format_version == 1 else "is not signed"
        return PackageTrust(False, False, reason=why)
    if len(signature) > MAX_SIGNATURE_BYTES:
        raise PackageError(f"{SIGNATURE} in the package is larger than a signature can be")
    check = check_signature(_signature_block(signature), manifest_bytes, roots, at=signed_at)
    if not check.valid:
        raise PackageError(f"the package's signature does not hold ({check.problem}): the package was altered "
                           "after it was signed, or the signature is forged")
    return _signer_trust(check)
