"""The trust store: CA certificates whose signatures `verify` accepts as trusted.

They are the CA certificates of this computer's own identities and those the user imported
(`workbench trust import`), kept as `trust/<fingerprint>.pem` beside the identities folder.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography import x509

from workbench.domain.errors import ValidationError
from workbench.fs.files import atomic_output, private_folder
from workbench.signing.identities import (
    certificate_name,
    fingerprint,
    identities_dir,
    iso_utc,
    list_identities,
    name_text,
    pem_bytes,
    read_input_file,
)


def trust_dir(base: Path | None = None) -> Path:
    """The imported CA certificates: a folder `trust/` beside the identities folder."""
    return (base or identities_dir()).parent / "trust"


@dataclass(frozen=True)
class TrustedCertificate:
    subject: str
    fingerprint: str
    not_after: str
    origin: str  # "identity <id>" or "imported"

    def to_json(self) -> dict[str, str]:
        return asdict(self)


def read_certificates(path: Path) -> list[x509.Certificate]:
    """Every certificate of a PEM (one or more) or DER file."""
    path = Path(path)
    data = read_input_file(path)
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise ValidationError(f"{path.name} holds no readable X.509 certificate (PEM or DER)") from None


def is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _self_signed(cert: x509.Certificate) -> bool:
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except Exception:  # InvalidSignature, unsupported algorithms: not self-signed as far as we can tell
        return False
    return True


def import_trust(path: Path, *, base: Path | None = None) -> list[TrustedCertificate]:
    """Add the CA certificate(s) of a PEM/DER file to the trust store; all or nothing."""
    certs = read_certificates(path)
    refused = [certificate_name(c) for c in certs if not (is_ca(c) or _self_signed(c))]
    if refused:
        raise ValidationError(f"{Path(path).name}: '{refused[0]}' is not a CA certificate; import the CA that "
                              "issued it")
    folder = private_folder(trust_dir(base))
    added = []
    for cert in certs:
        digest = fingerprint(cert)
        target = folder / f"{digest}.pem"
        if not target.exists():
            with atomic_output(target, private=True) as handle:
                handle.write(pem_bytes([cert]))
        added.append(TrustedCertificate(subject=name_text(cert.subject), fingerprint=digest,
                                        not_after=iso_utc(cert.not_valid_after_utc), origin="imported"))
    return added


def trusted_certificates(base: Path | None = None) -> list[tuple[x509.Certificate, str]]:
    """The trust roots with their origin: each identity's CA certificates (or its leaf, when self-signed)
    and every certificate imported into trust/."""
    roots: dict[str, tuple[x509.Certificate, str]] = {}
    for identity in list_identities(base):
        try:
            chain = identity.chain()
            leaf = identity.certificate()
        except (OSError, ValueError):
            continue
        for cert in [c for c in chain if is_ca(c) or _self_signed(c)] or ([leaf] if _self_signed(leaf) else []):
            roots.setdefault(fingerprint(cert), (cert, f"identity {identity.id}"))
    folder = trust_dir(base)
    if folder.is_dir():
        for path in sorted(folder.glob("*.pem")):
            try:
                for cert in x509.load_pem_x509_certificates(path.read_bytes()):
                    roots.setdefault(fingerprint(cert), (cert, "imported"))
            except (OSError, ValueError):
                continue
    return list(roots.values())


def trust_roots(base: Path | None = None) -> list[x509.Certificate]:
    """The CA certificates this computer trusts: its identities' CAs and those imported."""
    return [cert for cert, _origin in trusted_certificates(base)]


def list_trusted(base: Path | None = None) -> list[TrustedCertificate]:
    return [TrustedCertificate(subject=name_text(c.subject), fingerprint=fingerprint(c),
                               not_after=iso_utc(c.not_valid_after_utc), origin=origin)
            for c, origin in trusted_certificates(base)]
