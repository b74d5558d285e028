"""PAdES signing of a PDF with pyHanko, with a visible stamp in an embedded font.

Before the signature is added, the same incremental update tags the document information dictionary
with the engagement uid and the audit-trail chain head (`/WorkbenchEngagement`, `/WorkbenchChainHead`),
so both lie inside the signed byte range; they are repeated in the signature's /Reason.

The stamp (signer, role, time, certificate fingerprint) is drawn with Noto Sans Mono through pyHanko's
OpenType support, which embeds a subset of the font: its unitsPerEm is 1000, which pyHanko's glyph
spacing assumes (DejaVu's 2048 spaces stamp glyphs wrongly). pyHanko subsets the font again on every
signature, so the stamp uses a shipped Latin subset of it when that covers the text (stamp_font.py).

`sign_pdf` calls pyHanko's sync API, which runs its own event loop: call it from a worker thread (the CLI,
a QThread). Inside a running event loop use `async_sign_pdf`.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.domain.signing_rules import format_fingerprint
from workbench.signing import stamp_font
from workbench.signing.identities import PrivateKey, fingerprint

FIELD_NAME = "AuditorSignature"
ENGAGEMENT_KEY = "/WorkbenchEngagement"
CHAIN_HEAD_KEY = "/WorkbenchChainHead"
STAMP_FONT = stamp_font.FULL_FONT
STAMP_FONT_SIZE = 9
# Default box when the caller names none: 170 x 60 mm, centred, 22 mm above the bottom edge; on A4 that is
# the reserved box of the reports' sign-off page (reports.document.signature_box_rect).
MM = 72 / 25.4
DEFAULT_BOX_SIZE = (170 * MM, 60 * MM)
DEFAULT_BOX_BOTTOM = 22 * MM

STAMP_TEXT = (
    "Digitally signed by %(signer)s\n"
    "Role: %(role)s\n"
    "Date: %(time)s\n"
    "Engagement: %(engagement)s\n"
    "Certificate SHA-256:\n"
    "%(fp1)s\n"
    "%(fp2)s"
)

# the first line of a signed draft's stamp (and the start of its /Reason): not an audit opinion
DRAFT_MARK = "DRAFT — not an audit opinion"

Box = tuple[float, float, float, float]


class SigningError(WorkbenchError):
    """The PDF cannot be signed (not a PDF, damaged, already signed, bad placement)."""


@dataclass(frozen=True)
class Signed:
    """What was signed, for the caller's record and the audit trail."""

    signed_at: datetime
    page: int
    box: Box
    fingerprint: str
    reason: str


def stamp_font_path() -> Path:
    """The full stamp font (the fallback for text the shipped subset does not cover)."""
    return stamp_font.full_font_path()


def signature_reason(role: str, engagement_uid: str | None, chain_head: str | None, draft: bool = False) -> str:
    parts = [DRAFT_MARK] if draft else []
    parts.append(f"{role} sign-off" if role else "Sign-off")
    if engagement_uid:
        parts.append(f"engagement {engagement_uid}")
    if chain_head:
        parts.append(f"audit trail head {chain_head}")
    return "; ".join(parts)


def _stamp_style(text: str, template: str = STAMP_TEXT) -> TextStampStyle:
    """The stamp's look, in the smallest shipped font that has every character of `text`."""
    font = stamp_font.font_for(text)
    if not font.is_file():
        raise SigningError(f"the stamp font is missing ({font}); reinstall the workbench")
    text_style = TextBoxStyle(font=GlyphAccumulatorFactory(str(font), font_size=STAMP_FONT_SIZE),
                              font_size=STAMP_FONT_SIZE, leading=STAMP_FONT_SIZE + 3)
    return TextStampStyle(stamp_text=template, text_box_style=text_style, background=None, border_width=1)


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def make_signer(key: PrivateKey, certificate: x509.Certificate,
                chain: Sequence[x509.Certificate] = ()) -> signers.SimpleSigner:
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    registry = SimpleCertificateStore.from_certs([_asn1_cert(c) for c in chain])
    return signers.SimpleSigner(signing_cert=_asn1_cert(certificate), signing_key=asn1_keys.PrivateKeyInfo.load(der),
                                cert_registry=registry)


def _inherited(page: generic.DictionaryObject, key: str) -> generic.PdfObject | None:
    node: generic.PdfObject | None = page
    for _ in range(64):  # page trees are shallow; this bounds a malicious /Parent loop
        if not isinstance(node, generic.DictionaryObject):
            return None
        if key in node:
            value: generic.PdfObject = node[key]
            return value
        node = node.get("/Parent")
    return None


def _placement(writer: IncrementalPdfFileWriter, page: int | None, box: Box | None) -> tuple[int, Box]:
    count = int(writer.root["/Pages"]["/Count"])
    if count < 1:
        raise SigningError("the PDF has no page to carry the signature")
    index = count - 1 if page is None else (page + count if page < 0 else page)
    if not 0 <= index < count:
        raise ValidationError(f"the signature page must be between 1 and {count}")
    page_ref, _ = writer.find_page_for_modification(index)
    media = _inherited(page_ref.get_object(), "/MediaBox")
    x0, y0, x1, y1 = (float(v) for v in media) if isinstance(media, generic.ArrayObject) else (0.0, 0.0, 595.28, 841.89)
    if box is None:
        width = min(DEFAULT_BOX_SIZE[0], (x1 - x0) - 40)
        height = min(DEFAULT_BOX_SIZE[1], (y1 - y0) / 3)
        left = x0 + ((x1 - x0) - width) / 2
        bottom = y0 + min(DEFAULT_BOX_BOTTOM, (y1 - y0) / 10)
        return index, (left, bottom, left + width, bottom + height)
    bx0, by0, bx1, by1 = (float(v) for v in box)
    if not (bx1 - bx0 >= 20 and by1 - by0 >= 10):
        raise ValidationError("the signature box must be at least 20 x 10 points, given as (x1, y1, x2, y2)")
    if bx0 < x0 - 1 or by0 < y0 - 1 or bx1 > x1 + 1 or by1 > y1 + 1:
        raise ValidationError(f"the signature box {box} lies outside page {index + 1}")
    return index, (bx0, by0, bx1, by1)


def tag_document(writer: IncrementalPdfFileWriter, engagement_uid: str | None, chain_head: str | None) -> None:
    """Write the engagement uid and chain head into the /Info dictionary (this revision)."""
    if not engagement_uid and not chain_head:
        return
    try:
        info_ref = writer.trailer.raw_get("/Info")
    except KeyError:
        info_ref = None
    if isinstance(info_ref, generic.IndirectObject):
        info = info_ref.get_object()
        writer.mark_update(info_ref)
    else:
        info = generic.DictionaryObject(info_ref or {})
        writer.set_info(writer.add_object(info))
    if engagement_uid:
        info[generic.NameObject(ENGAGEMENT_KEY)] = generic.TextStringObject(engagement_uid)
    if chain_head:
        info[generic.NameObject(CHAIN_HEAD_KEY)] = generic.TextStringObject(chain_head)


@contextmanager
def _plain_errors(name: str) -> Iterator[None]:
    """pyHanko's failures while signing (a clashing field, a page it cannot lay out) as one plain sentence."""
    try:
        yield
    except (PdfError, ValueError, KeyError) as exc:
        raise SigningError(f"{name} could not be signed: {exc}") from None


@dataclass
class _Prepared:
    pdf_signer: signers.PdfSigner
    writer: IncrementalPdfFileWriter
    text_params: dict[str, str]
    result: Signed


def _prepare(source: BinaryIO, *, key: PrivateKey, certificate: x509.Certificate, chain: Sequence[x509.Certificate],
             signer_name: str, role: str, engagement_uid: str | None, chain_head: str | None, page: int | None,
             box: Box | None, location: str | None, name: str, draft: bool = False) -> _Prepared:
    try:
        reader = PdfFileReader(source, strict=False)
        if reader.encrypted:
            raise SigningError(f"{name} is encrypted; sign an unencrypted report")
        if reader.embedded_signatures:
            raise SigningError(f"{name} already carries a signature; sign the unsigned report")
        writer = IncrementalPdfFileWriter.from_reader(reader)
        index, rect = _placement(writer, page, box)
    except (PdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise SigningError(f"{name} is not a PDF the workbench can sign ({exc})") from None
    with _plain_errors(name):
        tag_document(writer, engagement_uid, chain_head)
    signed_at = datetime.now(UTC).replace(microsecond=0)
    digest = fingerprint(certificate)
    reason = signature_reason(role, engagement_uid, chain_head, draft)
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", reason=reason, location=location or None,
                                        name=signer_name)
    grouped = format_fingerprint(digest)
    half = len(grouped) // 2 + 1
    params = {"signer": signer_name, "role": role or "-", "time": signed_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
              "engagement": engagement_uid or "-", "fp1": grouped[:half].strip(), "fp2": grouped[half:].strip()}
    spec = fields.SigFieldSpec(sig_field_name=FIELD_NAME, on_page=index, box=rect)  # type: ignore[arg-type]  # points need not be whole
    template = f"{DRAFT_MARK}\n{STAMP_TEXT}" if draft else STAMP_TEXT
    pdf_signer = signers.PdfSigner(meta, make_signer(key, certificate, chain), stamp_style=_stamp_style(
        template % params, template), new_field_spec=spec)
    return _Prepared(pdf_signer, writer, params,
                     Signed(signed_at=signed_at, page=index, box=rect, fingerprint=digest, reason=reason))


PdfSource = Path | bytes  # a PDF file, or a PDF rendered into memory (never written in clear to a temp file)


@contextmanager
def pdf_input(source: PdfSource) -> Iterator[tuple[BinaryIO, str]]:
    """A readable binary handle on `source` and the name to use for it in messages."""
    if isinstance(source, bytes):
        yield io.BytesIO(source), "the report"
        return
    path = Path(source)
    with path.open("rb") as handle:
        yield handle, path.name


def _refuse_inside_event_loop() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError("sign_pdf runs its own event loop: call async_sign_pdf inside a running loop")


def sign_pdf(source: PdfSource, output: BinaryIO, *, key: PrivateKey, certificate: x509.Certificate,
             chain: Sequence[x509.Certificate] = (), signer_name: str, role: str = "Auditor",
             engagement_uid: str | None = None, chain_head: str | None = None, page: int | None = None,
             box: Box | None = None, location: str | None = None, draft: bool = False) -> Signed:
    """Sign `source` (a file, or the PDF's bytes held in memory) into `output` (a binary file opened for
    writing). `page` is a 0-based index (negative counts from the end; default: the last page); `box` is
    (x1, y1, x2, y2) in PDF points. A `draft` signature's stamp and reason begin "DRAFT — not an audit opinion"."""
    _refuse_inside_event_loop()
    with pdf_input(source) as (handle, name):  # pyHanko reads the input until sign_pdf returns
        prepared = _prepare(handle, key=key, certificate=certificate, chain=chain, signer_name=signer_name,
                            role=role, engagement_uid=engagement_uid, chain_head=chain_head, page=page, box=box,
                            location=location, name=name, draft=draft)
        with _plain_errors(name):
            prepared.pdf_signer.sign_pdf(prepared.writer, output=output, appearance_text_params=prepared.text_params)
    return prepared.result


async def async_sign_pdf(source: PdfSource, output: BinaryIO, *, key: PrivateKey, certificate: x509.Certificate,
                         chain: Sequence[x509.Certificate] = (), signer_name: str, role: str = "Auditor",
                         engagement_uid: str | None = None, chain_head: str | None = None, page: int | None = None,
                         box: Box | None = None, location: str | None = None, draft: bool = False) -> Signed:
    """`sign_pdf` for callers inside a running event loop."""
    with pdf_input(source) as (handle, name):
        prepared = _prepare(handle, key=key, certificate=certificate, chain=chain, signer_name=signer_name,
                            role=role, engagement_uid=engagement_uid, chain_head=chain_head, page=page, box=box,
                            location=location, name=name, draft=draft)
        with _plain_errors(name):
            await prepared.pdf_signer.async_sign_pdf(prepared.writer, output=output,
                                                     appearance_text_params=prepared.text_params)
    return prepared.result
