"""Forged signed reports, built with pyHanko as an attacker would: every incremental update after the
signature except a pure document-security-store or timestamp addition is "modified after signing", and what
`verify` shows (engagement, audit-trail head) is what was signed, never what a later revision says."""

from __future__ import annotations

from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata import model as xmp_model
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation.dss import DocumentSecurityStore

from tests.helpers.signing import ENGAGEMENT, HEAD, add_page_content
from workbench.cli import main
from workbench.services import signatures

FORGED_HEAD = "f" * 64


def rewrite_info(path: Path, changes: dict[str, str], *, new_object: bool = False) -> None:
    """An incremental update that rewrites the document information, in place or as a new /Info object."""
    with path.open("rb+") as handle:
        writer = IncrementalPdfFileWriter(handle)
        info = writer.trailer["/Info"]
        if new_object:
            info = generic.DictionaryObject({key: info.raw_get(key) for key in info})
        for key, value in changes.items():
            info[generic.NameObject(key)] = generic.TextStringObject(value)
        if new_object:
            writer.set_info(info)
        else:
            writer.mark_update(writer.trailer.raw_get("/Info"))
        writer.write_in_place()


def add_xmp(path: Path) -> None:
    """An incremental update that leaves /Info alone and gives the XMP metadata a forged dc:title."""
    with path.open("rb+") as handle:
        writer = IncrementalPdfFileWriter(handle)
        title = xmp_model.XmpValue(xmp_model.XmpArray.alternative([xmp_model.XmpValue("FORGED: verdict Go")]))
        writer.document_meta.xmp_extra = [xmp_model.XmpStructure.of((xmp_model.DC_TITLE, title))]
        writer.write_in_place()


def assert_modified(path: Path, *named: str) -> None:
    result = signatures.verify_report(path)
    assert not result.ok and result.modified_after_signing
    assert result.intact  # the signed bytes are untouched: only the revision analysis catches these
    problem = next(p for p in result.problems if "modified after signing" in p)
    for words in named:
        assert words in problem, problem
    assert (result.engagement_uid, result.chain_head) == (ENGAGEMENT, HEAD)


def test_a_rewritten_chain_head_and_subject_are_refused_and_the_signed_head_is_shown(signed: Path,
                                                                                     capsys) -> None:
    rewrite_info(signed, {"/WorkbenchChainHead": FORGED_HEAD, "/Subject": "FORGED: verdict Go"})
    with signed.open("rb") as handle:  # the forgery took: a plain reader sees the forged head
        assert str(PdfFileReader(handle).trailer["/Info"]["/WorkbenchChainHead"]) == FORGED_HEAD
    assert_modified(signed, "document information (/Subject, /WorkbenchChainHead)")
    assert main(["verify", str(signed)]) == 1
    out, err = capsys.readouterr()
    assert "modified after signing: YES" in out and f"audit trail head: {HEAD}" in out
    assert FORGED_HEAD not in out + err
    assert "modified after signing" in err and "/WorkbenchChainHead" in err
    assert main(["verify", str(signed), "--json"]) == 1
    assert FORGED_HEAD not in capsys.readouterr().out


def test_a_new_info_object_in_a_later_trailer_is_refused(signed: Path) -> None:
    rewrite_info(signed, {"/WorkbenchChainHead": FORGED_HEAD}, new_object=True)
    assert_modified(signed, "/WorkbenchChainHead")


def test_a_title_only_edit_is_refused(signed: Path) -> None:
    rewrite_info(signed, {"/Title": "A different report"})
    assert_modified(signed, "document information (/Title)")


def test_added_page_content_is_refused_naming_the_page(signed: Path) -> None:
    add_page_content(signed)
    assert_modified(signed, "the content of page 1")


def test_added_xmp_metadata_is_refused(signed: Path) -> None:
    add_xmp(signed)
    assert_modified(signed, "the XMP metadata")


def _asn1(cert) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _rsa_tsa() -> DummyTimeStamper:
    """A self-signed RSA time-stamping authority (pyHanko's dummy stamper is RSA-only)."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(key, hashes.SHA256()))
    key_der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return DummyTimeStamper(tsa_cert=_asn1(cert), tsa_key=asn1_keys.PrivateKeyInfo.load(key_der))


def test_a_pure_dss_addition_still_verifies(signed: Path, identity) -> None:
    with signed.open("rb") as handle:
        contents = PdfFileReader(handle).embedded_signatures[0].pkcs7_content
    with signed.open("rb+") as handle:
        DocumentSecurityStore.add_dss(handle, contents, certs=[_asn1(c) for c in identity.chain()])
    with signed.open("rb") as handle:
        reader = PdfFileReader(handle)
        assert reader.xrefs.total_revisions == 3 and "/DSS" in reader.root
    result = signatures.verify_report(signed)
    assert result.ok, result.problems
    assert (result.engagement_uid, result.chain_head) == (ENGAGEMENT, HEAD)


def test_a_document_timestamp_still_verifies(signed: Path) -> None:
    stamper = _rsa_tsa()
    with signed.open("rb+") as handle:
        signers.PdfTimeStamper(stamper).timestamp_pdf(IncrementalPdfFileWriter(handle), "sha256", in_place=True)
    with signed.open("rb") as handle:
        assert len(PdfFileReader(handle).embedded_signatures) == 2
    result = signatures.verify_report(signed)
    assert not result.modified_after_signing, result.problems
    assert (result.engagement_uid, result.chain_head) == (ENGAGEMENT, HEAD)


@pytest.mark.parametrize("edit", ["info", "page"])
def test_the_forgeries_pass_on_a_lenient_reading(signed: Path, edit: str) -> None:
    """The attack as found: pyHanko alone classes an /Info rewrite LTA_UPDATES, and a plain trailer read shows
    the forged head. Our check must not depend on either."""
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    if edit == "info":
        rewrite_info(signed, {"/WorkbenchChainHead": FORGED_HEAD})
    else:
        add_page_content(signed)
    with signed.open("rb") as handle:
        status = validate_pdf_signature(PdfFileReader(handle).embedded_signatures[0],
                                        ValidationContext(allow_fetching=False))
    assert status.intact
    assert (status.modification_level.name == "LTA_UPDATES") == (edit == "info")
