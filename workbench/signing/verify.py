"""Verify a signed deliverable: who signed, when, are the signed bytes intact, was anything changed after
signing, is the signer trusted, and which engagement and audit-trail head the document is tied to.

"Modified after signing" comes from pyHanko's coverage and modification analysis plus a value-by-value
comparison of the document information and XMP metadata (signing.revisions), never from `intact` alone:
an incremental update that adds page content or rewrites /Info leaves the signed bytes intact. Only what
long-term archival adds (document security store, document timestamps) is accepted after the signature.
The engagement uid and chain head shown are read from the signed revision.

Validation is offline: ValidationContext(trust_roots=..., allow_fetching=False). The trust roots are the
CA certificates of this computer's identities and those the user imported (signing.trust.trusted_certificates).
A damaged file, a file that is not a PDF or one without a signature gives a result with `problems`,
never a traceback; a missing file raises NotFoundError.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate, AdESSubIndic
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from workbench.domain.errors import NotFoundError, ValidationError
from workbench.signing.identities import (
    certificate_email,
    certificate_firm,
    certificate_name,
    fingerprint,
)
from workbench.signing.revisions import document_info, later_changes
from workbench.signing.sign import CHAIN_HEAD_KEY, ENGAGEMENT_KEY, FIELD_NAME

log = logging.getLogger(__name__)

# Either key usage makes a certificate fit to sign documents (PAdES; firms' certificates often carry only
# digitalSignature). pyHanko's own default is nonRepudiation alone.
SIGNING_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})
ACCEPTED_LATER_CHANGES = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
EXPIRY_INDICATIONS = {AdESIndeterminate.EXPIRED, AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
                      AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED}


@dataclass(frozen=True)
class VerificationResult:
    """The outcome of verifying one PDF. `ok` only when intact, unmodified and trusted."""

    path: str
    signed: bool = False
    signer_name: str | None = None
    signer_email: str | None = None
    signer_firm: str | None = None
    fingerprint: str | None = None
    signing_time: datetime | None = None
    intact: bool = False
    valid: bool = False
    modified_after_signing: bool = False
    modification_level: str | None = None
    coverage: str | None = None
    trusted: bool = False
    trust_anchor: str | None = None
    expired: bool = False
    not_yet_valid: bool = False
    certificate_not_before: datetime | None = None
    certificate_not_after: datetime | None = None
    engagement_uid: str | None = None
    chain_head: str | None = None
    reason: str | None = None
    location: str | None = None
    field_name: str | None = None
    signature_count: int = 0
    validated_at: datetime | None = None
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and not self.modified_after_signing and self.trusted

    @property
    def verdict(self) -> str:
        """One line: 'valid: ...' or the first problem."""
        if self.ok:
            return f"valid: signed by {self.signer_name}, intact, unmodified and trusted"
        return self.problems[0] if self.problems else "not valid"

    def to_json(self) -> dict[str, Any]:
        """The stable `verify --json` document (times in ISO 8601 UTC)."""
        def iso(value: datetime | None) -> str | None:
            return value.astimezone(UTC).isoformat(timespec="seconds") if value else None

        return {
            "file": self.path, "ok": self.ok, "signed": self.signed,
            "signer": {"name": self.signer_name, "email": self.signer_email, "firm": self.signer_firm,
                       "fingerprint": self.fingerprint} if self.signed else None,
            "signing_time": iso(self.signing_time), "intact": self.intact, "valid": self.valid,
            "modified_after_signing": self.modified_after_signing, "modification_level": self.modification_level,
            "coverage": self.coverage, "trusted": self.trusted, "trust_anchor": self.trust_anchor,
            "expired": self.expired, "not_yet_valid": self.not_yet_valid,
            "certificate_not_before": iso(self.certificate_not_before),
            "certificate_not_after": iso(self.certificate_not_after),
            "engagement_uid": self.engagement_uid, "chain_head": self.chain_head, "reason": self.reason,
            "location": self.location, "signature_field": self.field_name,
            "signature_count": self.signature_count, "validated_at": iso(self.validated_at),
            "problems": list(self.problems),
        }


def _asn1(cert: x509.Certificate | asn1_x509.Certificate) -> asn1_x509.Certificate:
    if isinstance(cert, asn1_x509.Certificate):
        return cert
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, generic.IndirectObject):
        value = value.get_object()
    text = str(value).strip()
    return text or None


def _signed_metadata(reader: PdfFileReader, revision: int) -> tuple[str | None, str | None]:
    """The engagement uid and chain head as they stood in the signed revision (later edits don't count)."""
    try:
        info = document_info(reader, revision)
    except (KeyError, AttributeError, TypeError, ValueError, PdfReadError):
        return None, None
    return _text(info.get(ENGAGEMENT_KEY)), _text(info.get(CHAIN_HEAD_KEY))


def _later_changes(reader: PdfFileReader, status: PdfSignatureStatus, revision: int) -> list[str]:
    """What was changed after signing, in words; [] when the file is as signed (or only archival data was
    added: a document security store, document timestamps)."""
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return []
    if status.coverage is None or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return ["bytes that the signature does not cover"]
    level = status.modification_level
    return later_changes(reader, revision, structure_accepted=level in ACCEPTED_LATER_CHANGES)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _trust_problem(indic: AdESSubIndic | None, has_path: bool, expired: bool, not_yet_valid: bool,
                   cert: x509.Certificate) -> str:
    if expired:
        return (f"The signer's certificate expired on {cert.not_valid_after_utc:%Y-%m-%d}, so the signature "
                "can no longer be trusted (untrusted: expired certificate).")
    if not_yet_valid:
        return (f"The signer's certificate is not valid before {cert.not_valid_before_utc:%Y-%m-%d} "
                "(untrusted: certificate not yet valid).")
    name = getattr(indic, "name", "")
    if name in {"REVOKED", "REVOKED_NO_POE", "REVOKED_CA_NO_POE"}:
        return "The signer's certificate has been revoked (untrusted)."
    if name in {"SIG_CONSTRAINTS_FAILURE", "CHAIN_CONSTRAINTS_FAILURE"}:
        return ("The signer's certificate is not allowed to sign documents: it lacks the digital signature and "
                "non-repudiation key usages (untrusted).")
    if indic in EXPIRY_INDICATIONS:
        return "A certificate in the signer's chain is outside its validity period (untrusted)."
    if not has_path or name == "NO_CERTIFICATE_CHAIN_FOUND":
        return ("The signer is untrusted: the certificate was not issued by an identity of this workbench nor by a "
                "CA you imported (`workbench trust import CA.pem`).")
    return f"The signer is untrusted ({name.replace('_', ' ').lower() or 'the certificate chain was refused'})."


async def _validate(reader: PdfFileReader, path: Path, roots: list[asn1_x509.Certificate],
                    moment: datetime) -> VerificationResult:
    signatures = sorted(reader.embedded_signatures, key=lambda s: s.signed_revision)
    if not signatures:
        return VerificationResult(path=str(path), validated_at=moment,
                                  problems=(f"{path.name} carries no digital signature.",))
    ours = [s for s in signatures if s.field_name == FIELD_NAME]
    embedded = ours[0] if ours else signatures[0]
    engagement_uid, chain_head = _signed_metadata(reader, embedded.signed_revision)
    context = ValidationContext(trust_roots=roots, allow_fetching=False, moment=moment)
    try:
        status = await async_validate_pdf_signature(embedded, context, key_usage_settings=SIGNING_KEY_USAGE)
        changes = _later_changes(reader, status, embedded.signed_revision)
    except Exception as exc:  # a malformed signature dictionary or CMS blob: report, don't crash
        log.info("signature validation of %s failed", path, exc_info=True)
        return VerificationResult(path=str(path), validated_at=moment, signed=True, signature_count=len(signatures),
                                  engagement_uid=engagement_uid, chain_head=chain_head,
                                  problems=(f"The signature of {path.name} cannot be checked: it is damaged "
                                            f"({type(exc).__name__}).",))
    cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    expired = moment > cert.not_valid_after_utc
    not_yet_valid = moment < cert.not_valid_before_utc
    modified = bool(changes)
    trusted = bool(status.trusted) and not expired and not not_yet_valid
    problems = []
    if not status.intact:
        problems.append("The signed bytes are not intact: the document was altered inside the signed range.")
    elif not status.valid:
        problems.append("The signature value does not verify against the signer's certificate.")
    if modified:
        problems.append(f"The document was modified after signing: a later revision changes {_and(changes)}.")
    if not trusted:
        problems.append(_trust_problem(status.trust_problem_indic, status.validation_path is not None, expired,
                                       not_yet_valid, cert))
    if len(signatures) > 1:
        problems.append(f"The document carries {len(signatures)} signatures; this result describes "
                        f"'{embedded.field_name}'.")
    sig_object = embedded.sig_object
    return VerificationResult(
        path=str(path), validated_at=moment, signed=True, signer_name=certificate_name(cert),
        signer_email=certificate_email(cert) or None,
        signer_firm=certificate_firm(cert) or None, fingerprint=fingerprint(cert),
        signing_time=status.signer_reported_dt or embedded.self_reported_timestamp,
        intact=bool(status.intact), valid=bool(status.valid), modified_after_signing=modified,
        modification_level=status.modification_level.name if status.modification_level else None,
        coverage=status.coverage.name if status.coverage else None, trusted=trusted,
        trust_anchor=status.validation_path[0].subject.human_friendly if status.validation_path else None,
        expired=expired, not_yet_valid=not_yet_valid, certificate_not_before=cert.not_valid_before_utc,
        certificate_not_after=cert.not_valid_after_utc, engagement_uid=engagement_uid, chain_head=chain_head,
        reason=_text(sig_object.get("/Reason")), location=_text(sig_object.get("/Location")),
        field_name=embedded.field_name, signature_count=len(signatures), problems=tuple(problems),
    )


def _looks_like_pdf(path: Path) -> bool:
    with path.open("rb") as handle:
        return b"%PDF-" in handle.read(1024)


async def async_verify_pdf(path: Path, trust_roots: Iterable[x509.Certificate | asn1_x509.Certificate],
                           at: datetime | None = None) -> VerificationResult:
    """`verify_pdf` for callers inside a running event loop."""
    path = Path(path)
    moment = (at or datetime.now(UTC)).astimezone(UTC)
    if not path.is_file():
        raise NotFoundError(f"there is no file {path}")
    try:
        if not _looks_like_pdf(path):
            return VerificationResult(path=str(path), validated_at=moment,
                                      problems=(f"{path.name} is not a PDF file.",))
        roots = [_asn1(c) for c in trust_roots]
        with path.open("rb") as handle:
            try:
                reader = PdfFileReader(handle, strict=False)
                if reader.encrypted:
                    return VerificationResult(path=str(path), validated_at=moment,
                                              problems=(f"{path.name} is encrypted; the workbench cannot check it.",))
                return await _validate(reader, path, roots, moment)
            except (OSError, ValidationError):
                raise
            except Exception as exc:  # pyHanko's PdfReadError and friends on a damaged file
                log.info("cannot read %s as a PDF", path, exc_info=True)
                return VerificationResult(path=str(path), validated_at=moment,
                                          problems=(f"{path.name} is damaged and cannot be read as a PDF "
                                                    f"({type(exc).__name__}).",))
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror or exc}") from None


def verify_pdf(path: Path, trust_roots: Iterable[x509.Certificate | asn1_x509.Certificate],
               at: datetime | None = None) -> VerificationResult:
    """Verify the deliverable's signature against `trust_roots`; `at` is the validation time (default now).
    Runs its own event loop: from a worker thread, or use `async_verify_pdf` inside a running loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(async_verify_pdf(path, trust_roots, at))
    raise RuntimeError("verify_pdf runs its own event loop: call async_verify_pdf inside a running loop")
