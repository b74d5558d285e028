"""Signing identities: a private key with its certificate chain, kept in the user's data folder.

An identity is either *created* here, as a local CA certificate (self-signed, CA:true, keyCertSign) and an
auditor certificate issued by it (digital signature + non-repudiation), or *imported* from the firm's
PKCS#12 file. The local CA's own private key is thrown away once it has issued the auditor's certificate,
so that CA vouches for exactly one certificate and nothing can be issued in its name later.

Layout (the folder is `platformdirs.user_data_dir("workbench")/identities`, or WORKBENCH_IDENTITIES)::

    identities/<id>/identity.json   id, name, email, firm, fingerprint, created_at, not_before, not_after, source
    identities/<id>/key.pem         the private key, PKCS#8 encrypted with the identity's passphrase
                                    (PBKDF2-HMAC-SHA256, 600,000 rounds: signing/keyfile.py)
    identities/<id>/cert.pem        the auditor's (leaf) certificate
    identities/<id>/chain.pem       the issuing CA certificate(s), if any

CA certificates the user trusts are kept beside this folder (workbench/signing/trust.py).

The id is the first 16 hex digits of the leaf certificate's SHA-256 fingerprint. Every change is written
to a temporary folder first and renamed into place, so a failure leaves nothing behind. Folders are 0700
and files 0600: only the user can read them.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from workbench.domain.errors import ConflictError, NotFoundError, ValidationError, WorkbenchError
from workbench.domain.signing_rules import (
    DEFAULT_VALIDITY_DAYS,
    MAX_VALIDITY_DAYS,
    MIN_PASSPHRASE_LENGTH,
)
from workbench.fs.files import PRIVATE_FILE, PRIVATE_FOLDER, atomic_output, private_folder
from workbench.signing import keyfile
from workbench.signing.identity_records import Identity as Identity  # read without cryptography (a report)
from workbench.signing.identity_records import get_identity as get_identity
from workbench.signing.identity_records import identities_dir as identities_dir
from workbench.signing.identity_records import list_identities as list_identities

log = logging.getLogger(__name__)

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

KEY_TYPES = ("ec", "rsa")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class WrongPassphraseError(WorkbenchError):
    """The passphrase given does not decrypt the key or the PKCS#12 file; nothing was changed."""


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the certificate's DER encoding, lower-case hex."""
    return cert.fingerprint(hashes.SHA256()).hex()


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _now() -> datetime:
    return datetime.now(UTC)


# --- creating ------------------------------------------------------------------------------------------

def _check_new_passphrase(passphrase: str) -> bytes:
    if passphrase is None or len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise ValidationError(f"the passphrase must have at least {MIN_PASSPHRASE_LENGTH} characters")
    return passphrase.encode("utf-8")


def check_subject(name: str, email: str, firm: str) -> tuple[str, str, str]:
    name, email, firm = (name or "").strip(), (email or "").strip(), (firm or "").strip()
    if not name:
        raise ValidationError("the identity needs a name (the signer shown on the signature)")
    if len(name.encode("utf-8")) > 64:  # X.509 counts the UTF-8 bytes
        raise ValidationError("the name is too long for a certificate: at most 64 characters (fewer with "
                              "accented letters or other scripts)")
    if not EMAIL_PATTERN.match(email) or len(email) > 128:
        raise ValidationError(f"'{email}' is not an e-mail address")
    if len(firm.encode("utf-8")) > 64:
        raise ValidationError("the firm name is too long for a certificate: at most 64 characters (fewer with "
                              "accented letters or other scripts)")
    return name, email, firm


def _fit(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes, on a character boundary."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def _new_key(key_type: str) -> PrivateKey:
    if key_type == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    if key_type == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    raise ValidationError(f"unknown key type '{key_type}'; choose one of {', '.join(KEY_TYPES)}")


def _build_chain(key: PrivateKey, name: str, email: str, firm: str, not_before: datetime,
                 not_after: datetime, key_type: str) -> tuple[x509.Certificate, x509.Certificate]:
    """(leaf, ca): a throw-away local CA that issues the auditor's certificate."""
    ca_key = _new_key(key_type)
    ca_attrs = [x509.NameAttribute(NameOID.COMMON_NAME, _fit(f"Workbench local CA for {name}", 64))]
    if firm:
        ca_attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, firm))
    ca_name = x509.Name(ca_attrs)
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_attrs = [x509.NameAttribute(NameOID.COMMON_NAME, name), x509.NameAttribute(NameOID.EMAIL_ADDRESS, email)]
    if firm:
        leaf_attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, firm))
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(leaf_attrs)).issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return leaf, ca


def create_identity(name: str, email: str, firm: str, passphrase: str, *,
                    validity_days: int = DEFAULT_VALIDITY_DAYS, key_type: str = "ec",
                    not_before: datetime | None = None, base: Path | None = None) -> Identity:
    """Make a key pair, a local CA and the auditor's certificate; store them under a new identity folder.

    `not_before` (default: now) exists for tests that need a certificate already expired.
    """
    name, email, firm = check_subject(name, email, firm)
    secret = _check_new_passphrase(passphrase)
    if not 1 <= int(validity_days) <= MAX_VALIDITY_DAYS:
        raise ValidationError(f"the validity must be between 1 and {MAX_VALIDITY_DAYS} days")
    start = (not_before or _now()).astimezone(UTC).replace(microsecond=0)
    end = start + timedelta(days=int(validity_days))
    key = _new_key(key_type)
    leaf, ca = _build_chain(key, name, email, firm, start, end, key_type)
    return _store(key, leaf, [ca], secret, name=name, email=email, firm=firm, source="created", base=base)


# --- importing -----------------------------------------------------------------------------------------

def name_text(name: x509.Name) -> str:
    """A distinguished name as RFC 4514 text, with E= for the e-mail attribute (not its OID)."""
    return name.rfc4514_string({NameOID.EMAIL_ADDRESS: "E"})


def _subject_field(cert: x509.Certificate, oid: x509.ObjectIdentifier) -> str:
    values = cert.subject.get_attributes_for_oid(oid)
    return str(values[0].value).strip() if values else ""


def certificate_email(cert: x509.Certificate) -> str:
    email = _subject_field(cert, NameOID.EMAIL_ADDRESS)
    if email:
        return email
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return ""
    names = san.get_values_for_type(x509.RFC822Name)
    return names[0] if names else ""


def certificate_name(cert: x509.Certificate) -> str:
    return _subject_field(cert, NameOID.COMMON_NAME) or name_text(cert.subject)


def certificate_firm(cert: x509.Certificate) -> str:
    return _subject_field(cert, NameOID.ORGANIZATION_NAME)


def _same_key(key: Any, cert: x509.Certificate) -> bool:
    fmt = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return bool(key.public_key().public_bytes(*fmt) == cert.public_key().public_bytes(*fmt))


def _open_pkcs12(data: bytes, secret: bytes | None) -> tuple[Any, Any, list[x509.Certificate]] | None:
    try:
        return pkcs12.load_key_and_certificates(data, secret)
    except ValueError:
        return None


def read_input_file(path: Path) -> bytes:
    """The bytes of a file the user named (a PKCS#12, a certificate); a missing or unreadable one in words."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"there is no file {path}") from None
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror or exc}") from None


def read_pkcs12(path: Path, passphrase: str) -> tuple[PrivateKey, x509.Certificate, list[x509.Certificate], bool]:
    """Open a PKCS#12 file: (key, leaf certificate, other certificates, protected). `protected` is False for
    a file that opens without a passphrase. Raises WrongPassphraseError when the passphrase does not open it."""
    path = Path(path)
    data = read_input_file(path)
    if not data.startswith(b"\x30"):
        raise ValidationError(f"{path.name} is not a PKCS#12 file (.p12 or .pfx)")
    # The user's passphrase first; then an unprotected file (no password, or the empty one some tools use).
    attempts: list[tuple[bytes | None, bool]] = [(passphrase.encode("utf-8"), True)] if passphrase else []
    attempts += [(None, False), (b"", False)]
    opened = next(((found, protected) for secret, protected in attempts
                   if (found := _open_pkcs12(data, secret)) is not None), None)
    if opened is None:
        raise WrongPassphraseError(f"the passphrase does not open {path.name}")
    (key, cert, others), protected = opened
    if key is None or cert is None:
        raise ValidationError(f"{path.name} holds no private key with its certificate")
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise ValidationError(f"{path.name} holds a {type(key).__name__}; only RSA and ECDSA keys can sign")
    if not _same_key(key, cert):
        match = [c for c in others if _same_key(key, c)]
        if not match:
            raise ValidationError(f"the certificate in {path.name} does not belong to its private key")
        others = [cert, *[c for c in others if c is not match[0]]]
        cert = match[0]
    return key, cert, list(others), protected


class NeedsNewPassphrase(ValidationError):
    """The PKCS#12 file is not protected: a new passphrase must be chosen to protect the stored key."""


def import_pkcs12(path: Path, passphrase: str, *, new_passphrase: str | None = None,
                  base: Path | None = None) -> Identity:
    """Import the firm's PKCS#12 file. The key is stored encrypted with `new_passphrase` if given, else
    with the file's own passphrase. Nothing is written unless the whole import succeeds."""
    key, cert, others, protected = read_pkcs12(path, passphrase)
    name = Path(path).name
    if new_passphrase is not None:
        secret = _check_new_passphrase(new_passphrase)
    elif protected or len(passphrase or "") >= MIN_PASSPHRASE_LENGTH:
        secret = passphrase.encode("utf-8")
    else:
        raise NeedsNewPassphrase(f"{name} is not protected by a passphrase; choose one of at least "
                                 f"{MIN_PASSPHRASE_LENGTH} characters to protect the imported key")
    if cert.not_valid_after_utc < _now():
        raise ValidationError(f"the certificate in {name} expired on {cert.not_valid_after_utc:%Y-%m-%d}")
    return _store(key, cert, others, secret, name=certificate_name(cert), email=certificate_email(cert),
                  firm=certificate_firm(cert), source="imported", base=base)


# --- storing and loading -------------------------------------------------------------------------------

def pem_bytes(certs: Iterable[x509.Certificate]) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _store(key: PrivateKey, leaf: x509.Certificate, chain: list[x509.Certificate], secret: bytes, *,
           name: str, email: str, firm: str, source: str, base: Path | None) -> Identity:
    base = base or identities_dir()
    digest = fingerprint(leaf)
    ident_id = digest[:16]
    final = base / ident_id
    if final.exists():
        raise ConflictError(f"this certificate is already identity {ident_id} ({name})")
    private_folder(base)
    staging = base / f".new-{uuid.uuid4().hex}"
    staging.mkdir(mode=PRIVATE_FOLDER)
    try:
        _write_private(staging / "key.pem", keyfile.wrap(key, secret))
        _write_private(staging / "cert.pem", pem_bytes([leaf]))
        _write_private(staging / "chain.pem", pem_bytes(chain))
        record = Identity(id=ident_id, name=name, email=email, firm=firm, fingerprint=digest,
                          created_at=iso_utc(_now()), not_before=iso_utc(leaf.not_valid_before_utc),
                          not_after=iso_utc(leaf.not_valid_after_utc), source=source, folder=final)
        data = {k: v for k, v in record.to_json().items() if k != "folder"}
        _write_private(staging / "identity.json", (json.dumps(data, indent=2) + "\n").encode("utf-8"))
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return record


def check_usable(identity: Identity, at: datetime | None = None) -> None:
    """Refuse an identity whose certificate is not valid now (expired, or not yet valid), in plain words."""
    now = at or _now()
    if identity.expired(now):
        raise ValidationError(f"the certificate of identity {identity.id} ({identity.name}) expired on "
                              f"{identity.not_after[:10]}; create or import a new identity")
    if now < datetime.fromisoformat(identity.not_before):
        raise ValidationError(f"the certificate of identity {identity.id} is not valid before "
                              f"{identity.not_before[:10]}")


def load_private_key(identity: Identity, passphrase: str) -> PrivateKey:
    """Decrypt the identity's key; raises WrongPassphraseError with a plain message."""
    try:
        data = identity.key_path.read_bytes()
    except OSError as exc:
        raise WorkbenchError(f"the key of identity {identity.id} cannot be read: {exc.strerror or exc}") from None
    try:
        key = serialization.load_pem_private_key(data, (passphrase or "").encode("utf-8") or None)
    except (ValueError, TypeError):
        raise WrongPassphraseError(
            f"the passphrase does not open the key of identity {identity.id} ({identity.name})") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise WorkbenchError(f"the key of identity {identity.id} is of an unsupported type")
    if keyfile.needs_rewrap(data):
        _rewrap(identity, key, passphrase)
    return key


def _rewrap(identity: Identity, key: PrivateKey, passphrase: str) -> None:
    """Protect a key file written with a weaker scheme (an older version, an import) as keyfile does now.
    The key already opened, so a failure to rewrite it only keeps the old file and is logged."""
    try:
        with atomic_output(identity.key_path, private=True) as handle:
            handle.write(keyfile.wrap(key, passphrase.encode("utf-8")))
    except WorkbenchError:
        log.warning("the key of identity %s could not be re-protected", identity.id, exc_info=True)
    else:
        log.info("the key of identity %s was re-protected with %d PBKDF2 rounds", identity.id,
                 keyfile.KDF_ITERATIONS)
