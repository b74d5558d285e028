"""Encrypted packages in use: sealing an exported package for recipients or with a passphrase, opening one.

Sign, then encrypt: the bytes inside the envelope are the ordinary signed .mlaudit zip, so once opened every
check of an import still runs on them (signature, trust, trail, schema, limits). The envelope
(signing/envelope.py, CMS AuthEnvelopedData) is opened in memory: the clear package never touches the disk.

    protection = Protection(recipient_certificates([Path("bob.pem")]))      # or Protection(passphrase="...")
    export_package(ws, "ACME-2026-01", target, signer=signer, protection=protection)
    import_package(ws, target, keys=OpeningKeys(passphrase=ask_package, identity_passphrase=ask_identity))

Opening looks for a recipient among this computer's identities first (its key unlocked through the keychain,
else the identity's passphrase asked), then for a passphrase recipient (the package's passphrase asked).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from workbench.domain.errors import PackageError, ValidationError
from workbench.domain.signing_rules import MIN_PASSPHRASE_LENGTH
from workbench.signing import envelope, identities, keychain
from workbench.signing.envelope import EnvelopeError
from workbench.signing.envelope_head import is_envelope_file
from workbench.signing.identities import certificate_email, certificate_name
from workbench.signing.keychain import Notify, PassphraseProvider

__all__ = ["MAX_SEALED_BYTES", "OpeningKeys", "Protection", "SealedFor", "WrongPackagePassphrase",
           "check_package_passphrase", "is_sealed", "open_sealed", "recipient_certificates", "recipient_label",
           "seal_package", "sealed_for", "unlock_recipient"]

MAX_SEALED_BYTES = 2 * 1024**3  # an encrypted package is opened in memory
MAX_CERTIFICATE_FILE_BYTES = 1024**2


@dataclass(frozen=True)
class Protection:
    """How an exported package is encrypted: for these certificates' holders and/or with a passphrase."""

    certificates: tuple[x509.Certificate, ...] = ()
    passphrase: str | None = None

    def describe(self) -> str:
        names = [recipient_label(certificate) for certificate in self.certificates]
        parts = ([f"for {', '.join(names)}"] if names else []) + (["with a passphrase"] if self.passphrase else [])
        return "encrypted " + " and ".join(parts)


def recipient_label(certificate: x509.Certificate) -> str:
    """'Name <e-mail>' of a recipient's certificate (the name alone when it names no e-mail)."""
    email = certificate_email(certificate)
    return f"{certificate_name(certificate)} <{email}>" if email else certificate_name(certificate)


class WrongPackagePassphrase(PackageError):
    """The passphrase given does not open the encrypted package; nothing was changed."""


@dataclass(frozen=True)
class OpeningKeys:
    """How an import asks for what opens an encrypted package (None: it cannot ask, the import is refused)."""

    passphrase: PassphraseProvider | None = None  # the package's passphrase
    identity_passphrase: PassphraseProvider | None = None  # the passphrase of this computer's identity key
    notify: Notify | None = None


# -- sealing -----------------------------------------------------------------------------------


def _read_certificate(path: Path) -> x509.Certificate:
    path = Path(path).expanduser()
    try:
        if path.stat().st_size > MAX_CERTIFICATE_FILE_BYTES:
            raise ValidationError(f"{path.name} is too large to be a certificate")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"there is no certificate file {path}") from None
    except OSError as exc:
        raise ValidationError(f"cannot read the certificate file {path}: {exc.strerror or exc}") from None
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificates(data)[0]  # the recipient's own certificate comes first
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise ValidationError(f"{path.name} is not a certificate (PEM or DER)") from None


def _check_recipient(certificate: x509.Certificate, name: str) -> None:
    now = datetime.now(UTC)
    if not envelope.sealable(certificate):
        raise ValidationError(f"the certificate in {name} holds a key a package cannot be encrypted for "
                              "(an EC P-256 or an RSA key of 2048 bits or more is needed)")
    if now > certificate.not_valid_after_utc:
        raise ValidationError(f"the certificate in {name} ({certificate_name(certificate)}) expired on "
                              f"{certificate.not_valid_after_utc:%Y-%m-%d}")
    if now < certificate.not_valid_before_utc:
        raise ValidationError(f"the certificate in {name} ({certificate_name(certificate)}) is not valid before "
                              f"{certificate.not_valid_before_utc:%Y-%m-%d}")


def recipient_certificates(paths: Sequence[Path]) -> tuple[x509.Certificate, ...]:
    """The recipients' certificates read from their files (PEM or DER), each checked; duplicates once."""
    found: dict[bytes, x509.Certificate] = {}
    for path in paths:
        certificate = _read_certificate(path)
        _check_recipient(certificate, Path(path).name)
        found.setdefault(certificate.fingerprint(hashes.SHA256()), certificate)
    return tuple(found.values())


def check_package_passphrase(passphrase: str | None) -> str:
    if not passphrase or len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise ValidationError(f"a package's passphrase must have at least {MIN_PASSPHRASE_LENGTH} characters")
    return passphrase


def seal_package(data: bytes, protection: Protection) -> bytes:
    """The envelope around a package's bytes; refused in plain words when it would be too large to open."""
    if len(data) > MAX_SEALED_BYTES:
        raise PackageError(f"the package is {len(data) / 1024**3:.1f} GB: an encrypted package may hold at most "
                           f"{MAX_SEALED_BYTES // 1024**3} GB (it is opened in memory)")
    passphrase = check_package_passphrase(protection.passphrase) if protection.passphrase else None
    return envelope.seal(data, protection.certificates, passphrase)


# -- opening -----------------------------------------------------------------------------------


def is_sealed(source: Path) -> bool:
    """Whether the file begins with an encrypted package's envelope (a clear package begins with "PK")."""
    return is_envelope_file(source)


def _read_sealed(source: Path) -> bytes:
    with open(source, "rb") as handle:
        head = handle.read(envelope.HEAD_BYTES)
        declared = envelope.envelope_length(head) or 0
        if declared > MAX_SEALED_BYTES:
            raise PackageError(f"{source.name} declares an encrypted package of {declared:,} bytes, more than the "
                               f"{MAX_SEALED_BYTES // 1024**3} GB an encrypted package may hold")
        if source.stat().st_size > MAX_SEALED_BYTES:
            raise PackageError(f"{source.name} is larger than the {MAX_SEALED_BYTES // 1024**3} GB an encrypted "
                               "package may hold")
        return head + handle.read()


def _issuer_names(sealed: envelope.Envelope) -> str:
    names = list(dict.fromkeys(slot.issuer_name for slot in sealed.slots if slot.issuer_name))
    return f" issued by {', '.join(names)}" if names else ""


def _recipient_here(sealed: envelope.Envelope) -> tuple[identities.Identity, x509.Certificate] | None:
    """The identity of this computer the envelope is encrypted for, with its certificate (the first found)."""
    for identity in identities.list_identities():
        try:
            certificate = identity.certificate()
        except (OSError, ValueError):
            continue
        if sealed.slot_for(certificate) is not None:
            return identity, certificate
    return None


def _refuse_for_others(source: Path, sealed: envelope.Envelope) -> PackageError:
    count = sealed.certificate_count
    certificates = f"{count} certificate{'s' if count != 1 else ''}{_issuer_names(sealed)}"
    return PackageError(f"{source.name} is encrypted for other recipients ({certificates}), not for an identity on "
                        "this computer")


def _envelope_of(source: Path) -> envelope.Envelope:
    try:
        return envelope.read_envelope(_read_sealed(source))
    except EnvelopeError as exc:
        raise PackageError(f"{source.name} cannot be opened: {exc}") from None


def open_sealed(source: Path, keys: OpeningKeys | None) -> bytes:
    """The clear package inside an encrypted one, opened in memory with this computer's identity or the
    package's passphrase. Every refusal is one plain line naming the file."""
    keys = keys or OpeningKeys()
    sealed = _envelope_of(source)
    recipient = _recipient_here(sealed)
    try:
        if recipient is not None:
            identity, certificate = recipient
            key = keychain.unlock(identity, keys.identity_passphrase, keys.notify)
            return envelope.open_with_key(sealed, certificate, key)
        if sealed.has_passphrase:
            return envelope.open_with_passphrase(sealed, keychain.ask(keys.passphrase,
                                                                      f"Passphrase of the package {source.name}: "))
    except envelope.WrongPassphrase as exc:
        raise WrongPackagePassphrase(f"{source.name} cannot be opened: {exc}") from None
    except EnvelopeError as exc:
        raise PackageError(f"{source.name} cannot be opened: {exc}") from None
    raise _refuse_for_others(source, sealed)


@dataclass(frozen=True)
class SealedFor:
    """Who can open an encrypted package here: an identity of this computer (its id and label), else a passphrase."""

    identity_id: str | None
    identity_label: str
    passphrase: bool


def sealed_for(source: Path) -> SealedFor | None:
    """What opening the package at `source` will ask (None: it is not encrypted). Refuses, in one plain line, a
    damaged envelope or one for other recipients only, before anything is asked."""
    source = Path(source).expanduser()
    if not source.is_file() or not is_sealed(source):
        return None
    sealed = _envelope_of(source)
    recipient = _recipient_here(sealed)
    if recipient is not None:
        return SealedFor(recipient[0].id, recipient[0].label(), sealed.has_passphrase)
    if not sealed.has_passphrase:
        raise _refuse_for_others(source, sealed)
    return SealedFor(None, "", True)


def unlock_recipient(identity_id: str, provider: PassphraseProvider | None, notify: Notify | None = None) -> None:
    """Unlock the identity an encrypted package is for, once: its passphrase is then remembered (keychain, else
    this session), so the import that follows in a worker asks nothing. Wrong: WrongPassphraseError."""
    keychain.unlock(identities.get_identity(identity_id), provider, notify)
