"""Signing test helpers: an in-memory keychain, passphrase providers, small PDFs and PKCS#12 files."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend

from workbench.signing import keychain

needs_poppler = pytest.mark.skipif(shutil.which("pdfsig") is None or shutil.which("pdffonts") is None,
                                   reason="poppler-utils (pdfsig, pdffonts) is not installed")

PASSPHRASE = "correct horse battery"


class MemoryKeyring(KeyringBackend):
    """A keychain that lives in a dict."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.secrets[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("not stored") from None


class NoKeychain(KeyringBackend):
    """Like keyring's "fail" backend on headless Linux, but claiming a usable priority: calls raise."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.NoKeyringError("No recommended backend was available.")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.NoKeyringError("No recommended backend was available.")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.NoKeyringError("No recommended backend was available.")


def given(passphrase: str | None):
    """A passphrase provider that answers every prompt with `passphrase` and records the prompts."""
    prompts: list[str] = []

    def provide(prompt: str) -> str | None:
        prompts.append(prompt)
        return passphrase

    provide.prompts = prompts  # type: ignore[attr-defined]
    return provide


def refuse(prompt: str) -> str | None:
    raise AssertionError(f"the passphrase should have come from the keychain, not from a prompt: {prompt}")


MARKER = "ORIGINAL FINDING TEXT"
ENGAGEMENT = "7f0c1d2e-3a4b-4c5d-8e9f-001122334455"
HEAD = "9c1e" * 16


def make_pdf(path: Path, pages: int = 3, *, image_bytes: int = 0) -> Path:
    """A small report-like PDF: DejaVu embedded, uncompressed pages (so a test can flip a byte of text),
    A4, optionally padded with a random-noise image of about `image_bytes` bytes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from workbench.resources import resource

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(resource("fonts", "DejaVuSans.ttf"))))
    canvas = Canvas(str(path), pagesize=A4, pageCompression=0, initialFontName="DejaVuSans")
    for number in range(1, pages + 1):
        canvas.setFont("DejaVuSans", 12)
        canvas.drawString(72, 770, f"Audit report, page {number} of {pages}")
        if number == 1:
            canvas.drawString(72, 740, MARKER)
        if number == pages:
            canvas.drawString(72, 300, "Sign-off")
        if image_bytes and number == 1:
            _draw_noise(canvas, image_bytes)
        canvas.showPage()
    canvas.save()
    return path


def _draw_noise(canvas, size: int) -> None:
    import io
    import os

    from PIL import Image
    from reportlab.lib.utils import ImageReader

    side = int((size / 3) ** 0.5) + 1
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    canvas.drawImage(ImageReader(buffer), 72, 200, width=400, height=400)


def make_pkcs12(path: Path, password: bytes | None, *, with_ca: bool = True) -> tuple[Any, Any]:
    """A firm's PKCS#12: a CA and an auditor key + certificate it issued (digitalSignature only)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Firm Root CA"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Firm & Partners")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
          .not_valid_after(now + timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Max Mustermann"),
                                     x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Firm & Partners")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
            .add_extension(x509.SubjectAlternativeName([x509.RFC822Name("max@firm.example")]), critical=False)
            .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    encryption = (serialization.BestAvailableEncryption(password) if password
                  else serialization.NoEncryption())
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"max", key, leaf, [ca] if with_ca else None, encryption))
    return leaf, ca


@contextmanager
def memory_keychain() -> Iterator[MemoryKeyring]:
    """The keyring replaced by a MemoryKeyring for the duration (restored after, whatever happens)."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    keychain.reset()
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
        keychain.reset()


def add_page_content(path: Path) -> None:
    """An incremental update after signing that draws on the first page."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    with path.open("rb+") as handle:
        writer = IncrementalPdfFileWriter(handle)
        stream = generic.StreamObject(stream_data=b"q 1 0 0 rg 72 600 200 40 re f Q")
        writer.add_stream_to_page(0, writer.add_object(stream))
        writer.write_in_place()


def self_signed(key: Any, name: str, *, days: int = 30) -> Any:
    """A self-signed certificate for `key` (an encrypted package's recipient in tests)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=days)).sign(key, hashes.SHA256()))
