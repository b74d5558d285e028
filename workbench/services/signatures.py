"""Signing and verification use cases shared by the CLI and the GUI.

Passphrases come from the OS keychain when it holds them; otherwise from a *passphrase provider*: a
callable taking a prompt and returning the passphrase, or None when the user cancels. The CLI builds one
with `cli_passphrase_provider` (getpass prompt or --passphrase-file; never a command-line argument), the GUI
with a dialog. `notify` receives plain-language notices meant for the user (the one-time "no keychain"
notice); the CLI prints them on stderr, the GUI shows them in its status bar. The default logs them.

Signing writes atomically: the signed file appears complete or not at all, and a wrong passphrase leaves
everything as it was. Recording the signature in the engagement's audit trail is the caller's business
(the deliverables service knows the engagement; this module never opens the workspace).
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric import ec

from workbench.domain.errors import NotFoundError, ValidationError, WorkbenchError
from workbench.domain.signing_rules import DEFAULT_VALIDITY_DAYS, format_fingerprint
from workbench.fs.faults import StorageError
from workbench.fs.files import atomic_output
from workbench.services.trail import engagement_anchor  # (where it lives: reading it needs no pyHanko)
from workbench.signing import identities, keychain, trust
from workbench.signing.identities import Identity
from workbench.signing.keychain import PassphraseCancelled, PassphraseProvider
from workbench.signing.trust import TrustedCertificate

if TYPE_CHECKING:  # pyHanko loads when a report is signed or verified, not to list identities or unlock one
    from workbench.services.signing_engine import Box, VerificationResult

Notify = Callable[[str], None]

NEW_PASSPHRASE_PROMPT = "New passphrase to protect the signing key (at least 8 characters): "

__all__ = ["NEW_PASSPHRASE_PROMPT", "PassphraseCancelled", "PassphraseProvider", "SignResult",
           "can_prompt", "cli_passphrase_provider", "create_identity", "describe_identity", "describe_verification",
           "engagement_anchor", "get_identity", "identity_details", "import_identity", "import_trust",
           "list_identities", "list_trust", "sign_report", "unlock_identity", "verify_report"]


# --- passphrase providers ------------------------------------------------------------------------------

def read_passphrase_file(path: Path) -> str:
    """The first line of a passphrase file, without its line ending (the rest of the line is kept)."""
    path = Path(path).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(f"there is no passphrase file {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"cannot read the passphrase file {path}: {exc}") from None
    lines = text.splitlines()
    return lines[0] if lines else ""


def cli_passphrase_provider(passphrase_file: Path | None = None, *, confirm_new: bool = False,
                            option: str = "--passphrase-file") -> PassphraseProvider:
    """A provider for the command line: reads `passphrase_file` if given, else prompts on the terminal
    (getpass; the answer is not echoed). With `confirm_new`, a prompt for a new passphrase asks twice."""
    def provide(prompt: str) -> str | None:
        if passphrase_file is not None:
            return read_passphrase_file(passphrase_file)
        if not _terminal():  # getpass would read the piped input, with a GetPassWarning: say what to do instead
            raise ValidationError("a passphrase is needed and there is no terminal to type it in; give it with "
                                  f"{option} FILE (its first line)")
        try:
            first = getpass.getpass(prompt)
            repeat = confirm_new and prompt == NEW_PASSPHRASE_PROMPT
            if repeat and getpass.getpass("Repeat the new passphrase: ") != first:
                raise ValidationError("the two passphrases differ; nothing was changed")
        except (EOFError, KeyboardInterrupt):
            return None
        return first

    return provide


def can_prompt() -> bool:
    """Whether a passphrase can be asked on the terminal (else it must come from a file)."""
    return _terminal()


def _terminal() -> bool:
    """Can getpass ask without echoing? A controlling terminal (/dev/tty), or a console on Windows."""
    if os.name == "nt":
        return sys.stdin is not None and sys.stdin.isatty()
    try:
        with open("/dev/tty", "rb"):
            return True
    except OSError:
        return False


# --- identities ----------------------------------------------------------------------------------------

def create_identity(name: str, email: str, firm: str, passphrase_provider: PassphraseProvider,
                    validity_days: int = DEFAULT_VALIDITY_DAYS, *, key_type: str = "ec",
                    notify: Notify | None = None) -> Identity:
    """A new local CA + auditor certificate; the passphrase protects the key and goes to the keychain."""
    identities.check_subject(name, email, firm)  # complain about the name before asking for a passphrase
    passphrase = keychain.ask(passphrase_provider, NEW_PASSPHRASE_PROMPT)
    identity = identities.create_identity(name, email, firm, passphrase, validity_days=validity_days,
                                          key_type=key_type)
    keychain.store_passphrase(identity.id, passphrase, notify)
    return identity


def import_identity(p12_path: Path, passphrase_provider: PassphraseProvider, *,
                    notify: Notify | None = None) -> Identity:
    """Import the firm's PKCS#12 file. A wrong passphrase raises WrongPassphraseError ("the passphrase does
    not open <file>") and writes nothing. An unprotected file asks for a new passphrase for the stored key."""
    p12_path = Path(p12_path)
    if not p12_path.is_file():
        raise NotFoundError(f"there is no file {p12_path}")
    passphrase = passphrase_provider(f"Passphrase of {p12_path.name}: ")
    if passphrase is None:
        raise PassphraseCancelled("no passphrase was given; nothing was imported")
    try:
        identity = identities.import_pkcs12(p12_path, passphrase)
    except identities.NeedsNewPassphrase:
        passphrase = keychain.ask(passphrase_provider, NEW_PASSPHRASE_PROMPT)
        identity = identities.import_pkcs12(p12_path, "", new_passphrase=passphrase)
    keychain.store_passphrase(identity.id, passphrase, notify)
    return identity


def list_identities() -> list[Identity]:
    return identities.list_identities()


def get_identity(ref: str | None = None) -> Identity:
    """By id, unique id prefix or e-mail; with no ref the most recently created identity."""
    return identities.get_identity(ref)


def identity_details(identity: Identity) -> dict[str, Any]:
    """The stable `identity show --json` document of one identity."""
    cert = identity.certificate()
    chain = identity.chain()
    key_type = "ECDSA P-256" if isinstance(cert.public_key(), ec.EllipticCurvePublicKey) else (
        f"RSA {getattr(cert.public_key(), 'key_size', '?')}")
    data = {k: v for k, v in identity.to_json().items() if k != "folder"}
    data.update({
        "subject": identities.name_text(cert.subject), "issuer": identities.name_text(cert.issuer),
        "issuer_chain": [identities.name_text(c.subject) for c in chain], "key": key_type,
        "expired": identity.expired(), "folder": str(identity.folder),
    })
    return data


def describe_identity(identity: Identity) -> list[str]:
    """Plain lines for `identity show` (one identity)."""
    d = identity_details(identity)
    state = "EXPIRED" if d["expired"] else f"valid until {d['not_after'][:10]}"
    return [f"{identity.id}  {identity.label()}" + (f", {identity.firm}" if identity.firm else ""),
            f"  certificate: {d['subject']} ({d['key']}, {identity.source}, {state})",
            f"  issued by:   {d['issuer']}",
            f"  SHA-256:     {format_fingerprint(identity.fingerprint)}"]


def write_certificate(identity_ref: str | None, target: Path) -> Path:
    """Write the identity's certificate (PEM) for colleagues: `export --to` encrypts packages for it. A folder
    as target gets '<identity id>.pem'. Only the public certificate: nothing secret leaves the identity."""
    identity = identities.get_identity(identity_ref)
    target = Path(target).expanduser()
    path = target / f"{identity.id}.pem" if target.is_dir() else target
    data = identity.cert_path.read_bytes()
    with atomic_output(path) as handle:
        handle.write(data)
    return path


def unlock_identity(identity_ref: str | None, passphrase_provider: PassphraseProvider | None, *,
                    notify: Notify | None = None) -> Identity:
    """Make sure this session can use the identity's key: the keychain's passphrase if it opens the key,
    else one from the provider (then kept in the keychain, or for the session without one). The GUI calls
    this on the main thread (its provider is a dialog), then signs in a worker with provider None."""
    identity = identities.get_identity(identity_ref)
    keychain.unlock(identity, passphrase_provider, notify)
    return identity


# --- trust ---------------------------------------------------------------------------------------------

def import_trust(pem_path: Path) -> list[TrustedCertificate]:
    """Trust the CA certificate(s) of a PEM/DER file for `verify` (the firm's or a colleague's CA)."""
    return trust.import_trust(Path(pem_path))


def list_trust() -> list[TrustedCertificate]:
    return trust.list_trusted()


# --- signing -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignResult:
    path: Path
    identity_id: str
    signer: str
    fingerprint: str
    signed_at: datetime
    page: int
    box: Box
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"file": str(self.path), "identity": self.identity_id, "signer": self.signer,
                "fingerprint": self.fingerprint, "signed_at": self.signed_at.isoformat(timespec="seconds"),
                "page": self.page + 1, "box": list(self.box), "reason": self.reason}


def sign_report(pdf_in: Path | bytes, pdf_out: Path, identity_id: str | None,
                passphrase_provider: PassphraseProvider | None, role: str = "Auditor",
                engagement_uid: str | None = None, chain_head: str | None = None, page: int | None = None,
                box: Box | None = None, *, location: str | None = None, notify: Notify | None = None,
                draft: bool = False) -> SignResult:
    """Sign `pdf_in` (a file, or a report rendered into memory: services.deliverables.render_pdf) into
    `pdf_out` (may be the same file) with a visible stamp on `page` (0-based, default the last) in `box`
    (x1, y1, x2, y2 points). The default box is 170 x 60 mm centred 22 mm above the bottom
    edge: on A4 that is the reports' reserved sign-off box, but callers signing a report should pass
    `workbench.reports.document.signature_box_rect()` explicitly. The engagement
    uid and audit-trail chain head are written into the document before signing. A `draft` signature (of an
    engagement that is not final: services.report_signing decides) reads "DRAFT — not an audit opinion".
    Atomic: on any error (wrong passphrase, unreadable PDF) `pdf_out` is untouched."""
    from workbench.services.signing_engine import sign_pdf

    pdf_out = Path(pdf_out)
    if not isinstance(pdf_in, bytes) and not Path(pdf_in).is_file():
        raise NotFoundError(f"there is no file {pdf_in}")
    identity = identities.get_identity(identity_id)
    identities.check_usable(identity)
    key = keychain.unlock(identity, passphrase_provider, notify)
    try:
        with atomic_output(pdf_out) as out:
            signed = sign_pdf(pdf_in, out, key=key, certificate=identity.certificate(),
                                      chain=identity.chain(), signer_name=identity.name, role=role,
                                      engagement_uid=engagement_uid, chain_head=chain_head, page=page, box=box,
                                      location=location, draft=draft)
    except StorageError as exc:
        raise WorkbenchError(f"cannot write the signed report: {exc}") from None
    return SignResult(path=pdf_out, identity_id=identity.id, signer=identity.name, fingerprint=signed.fingerprint,
                      signed_at=signed.signed_at, page=signed.page, box=signed.box, reason=signed.reason)


# --- verification --------------------------------------------------------------------------------------

def verify_report(path: Path, at: datetime | None = None) -> VerificationResult:
    """Verify a signed PDF against this computer's trust store (own identities' CAs + imported CAs)."""
    from workbench.services.signing_engine import verify_pdf

    roots = [cert for cert, _origin in trust.trusted_certificates()]
    return verify_pdf(Path(path), roots, at=at)


def describe_verification(result: VerificationResult) -> list[str]:
    """Plain lines for `workbench verify FILE.pdf` (the JSON form is result.to_json())."""
    lines = [f"{Path(result.path).name}: {'VALID' if result.ok else 'NOT VALID'}"]
    if result.signed and result.signer_name:
        who = result.signer_name + (f" <{result.signer_email}>" if result.signer_email else "")
        lines.append(f"  signer:      {who}" + (f", {result.signer_firm}" if result.signer_firm else ""))
        if result.signing_time:
            lines.append(f"  signed at:   {result.signing_time.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC")
        if result.fingerprint:
            lines.append(f"  certificate: SHA-256 {format_fingerprint(result.fingerprint)}")
        lines.append(f"  intact:      {'yes' if result.intact else 'NO'}")
        lines.append(f"  modified after signing: {'YES' if result.modified_after_signing else 'no'}")
        lines.append(f"  trusted:     {'yes' if result.trusted else 'NO'}"
                     + (f" (anchor: {result.trust_anchor})" if result.trust_anchor else ""))
        if result.engagement_uid:
            lines.append(f"  engagement:  {result.engagement_uid}")
        if result.chain_head:
            lines.append(f"  audit trail head: {result.chain_head}")
    lines.extend(f"  problem: {p}" for p in result.problems)
    return lines
