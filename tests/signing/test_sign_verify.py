"""Signing a report and verifying it: pdfsig, tampering, later edits, trust, expiry, metadata, fonts."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.helpers.signing import (
    ENGAGEMENT,
    HEAD,
    MARKER,
    PASSPHRASE,
    add_page_content,
    given,
    make_pdf,
    make_pkcs12,
    needs_poppler,
    refuse,
)
from workbench.domain.errors import NotFoundError, ValidationError, WorkbenchError
from workbench.services import signatures
from workbench.signing import identities, sign, trust, verify
from workbench.signing.identities import WrongPassphraseError


def test_signed_report_verifies(signed: Path, identity) -> None:
    result = signatures.verify_report(signed)
    assert result.ok, result.problems
    assert (result.signed, result.intact, result.valid, result.trusted) == (True, True, True, True)
    assert not result.modified_after_signing and result.modification_level == "NONE"
    assert (result.signer_name, result.signer_email, result.signer_firm) == ("Jane Doe", "jane@example.com",
                                                                              "Doe Audit LLP")
    assert result.fingerprint == identity.fingerprint
    assert abs(result.signing_time - datetime.now(UTC)) < timedelta(minutes=5)
    assert (result.engagement_uid, result.chain_head) == (ENGAGEMENT, HEAD)
    assert ENGAGEMENT in result.reason and HEAD in result.reason and "Engagement lead" in result.reason
    assert result.problems == ()
    assert result.to_json()["ok"] is True
    assert signatures.describe_verification(result)[0].endswith("VALID")


@needs_poppler
def test_pdfsig_reports_the_signature_valid(signed: Path) -> None:
    out = subprocess.run(["pdfsig", str(signed)], capture_output=True, text=True, check=False).stdout
    assert "Signature is Valid" in out
    assert "Total document signed" in out
    assert "AuditorSignature" in out


@needs_poppler
def test_every_font_of_the_signed_report_is_embedded(signed: Path) -> None:
    out = subprocess.run(["pdffonts", str(signed)], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0].split()[-5:] == ["emb", "sub", "uni", "object", "ID"]
    rows = [line for line in out[2:] if line.strip()]  # a long name overflows its column: count from the right
    assert any("NotoSansMono" in row for row in rows), rows
    assert all(row.split()[-5] == "yes" for row in rows), rows


def test_the_stamp_font_has_1000_units_per_em() -> None:
    assert TTFont(str(sign.stamp_font_path()))["head"].unitsPerEm == 1000
    assert (sign.stamp_font_path().parent / "LICENSE-NotoSansMono.txt").is_file()


def test_metadata_is_inside_the_signed_range(signed: Path) -> None:
    data = signed.read_bytes()
    byte_range = [int(v) for v in re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", data).groups()]
    signed_end = byte_range[2] + byte_range[3]
    assert signed_end == len(data)
    assert 0 < data.find(b"/WorkbenchEngagement") < byte_range[1]
    assert 0 < data.find(b"/WorkbenchChainHead") < byte_range[1]
    with signed.open("rb") as handle:
        info = PdfFileReader(handle).trailer["/Info"]
        assert (str(info["/WorkbenchEngagement"]), str(info["/WorkbenchChainHead"])) == (ENGAGEMENT, HEAD)


def test_a_byte_flipped_inside_the_signed_range_breaks_the_signature(signed: Path) -> None:
    data = bytearray(signed.read_bytes())
    position = data.find(MARKER.encode())
    assert position > 0, "the marker text should be uncompressed in the test PDF"
    data[position] ^= 0x01
    signed.write_bytes(bytes(data))
    result = signatures.verify_report(signed)
    assert not result.ok
    assert result.intact is False
    assert any("not intact" in p for p in result.problems)


def test_an_incremental_update_adding_page_content_is_modified_after_signing(signed: Path) -> None:
    before = signed.stat().st_size
    add_page_content(signed)
    assert signed.stat().st_size > before
    result = signatures.verify_report(signed)
    assert result.intact is True  # the signed bytes are untouched: `intact` alone would miss this
    assert result.modified_after_signing is True
    assert not result.ok
    assert any("modified after signing" in p for p in result.problems)
    assert result.coverage == "ENTIRE_REVISION"


def test_a_report_signed_by_an_identity_this_workspace_does_not_trust(tmp_path: Path, identity) -> None:
    stranger = identities.create_identity("Eve Stranger", "eve@example.com", "Elsewhere", PASSPHRASE,
                                          base=tmp_path / "elsewhere" / "identities")
    source = make_pdf(tmp_path / "report.pdf")
    with (tmp_path / "foreign.pdf").open("wb") as out:
        sign.sign_pdf(source, out, key=identities.load_private_key(stranger, PASSPHRASE),
                      certificate=stranger.certificate(), chain=stranger.chain(), signer_name=stranger.name)
    result = signatures.verify_report(tmp_path / "foreign.pdf")
    assert result.intact and not result.modified_after_signing
    assert not result.trusted and not result.ok
    assert any("untrusted" in p for p in result.problems)
    assert result.signer_name == "Eve Stranger"

    signatures.import_trust(stranger.chain_path)  # the user decides to trust that CA
    assert signatures.verify_report(tmp_path / "foreign.pdf").ok


def test_an_expired_certificate_is_reported(signed: Path, identity) -> None:
    later = datetime.fromisoformat(identity.not_after) + timedelta(days=1)
    result = signatures.verify_report(signed, at=later)
    assert result.expired and not result.trusted and not result.ok
    assert result.intact and not result.modified_after_signing
    assert any("expired on" in p for p in result.problems)


def test_a_certificate_already_expired_cannot_sign_and_shows_as_expired(tmp_path: Path) -> None:
    old = identities.create_identity("Old Timer", "old@example.com", "Firm", PASSPHRASE, validity_days=10,
                                     not_before=datetime.now(UTC) - timedelta(days=20))
    source = make_pdf(tmp_path / "report.pdf")
    with pytest.raises(ValidationError, match="expired"):
        signatures.sign_report(source, tmp_path / "out.pdf", old.id, given(PASSPHRASE))
    assert not (tmp_path / "out.pdf").exists()
    with (tmp_path / "old.pdf").open("wb") as out:  # the signing layer itself does not judge validity
        sign.sign_pdf(source, out, key=identities.load_private_key(old, PASSPHRASE), certificate=old.certificate(),
                      chain=old.chain(), signer_name=old.name)
    result = signatures.verify_report(tmp_path / "old.pdf")
    assert result.expired and not result.ok
    assert any("expired" in p for p in result.problems)


def test_a_wrong_passphrase_changes_nothing(tmp_path: Path, identity, memory_keyring) -> None:
    memory_keyring.secrets.clear()
    source = make_pdf(tmp_path / "report.pdf")
    out = tmp_path / "out.pdf"
    out.write_bytes(b"previous version")
    provider = given("not the passphrase")
    with pytest.raises(WrongPassphraseError, match="the passphrase does not open the key of identity"):
        signatures.sign_report(source, out, identity.id, provider)
    assert provider.prompts and identity.id in provider.prompts[0]
    assert out.read_bytes() == b"previous version"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".part") == []
    assert memory_keyring.secrets == {}


def test_a_stale_keychain_passphrase_is_replaced(tmp_path: Path, identity, memory_keyring) -> None:
    memory_keyring.secrets[("workbench", identity.id)] = "an old passphrase"
    source = make_pdf(tmp_path / "report.pdf")
    signatures.sign_report(source, tmp_path / "out.pdf", identity.id, given(PASSPHRASE))
    assert memory_keyring.secrets[("workbench", identity.id)] == PASSPHRASE
    assert signatures.verify_report(tmp_path / "out.pdf").ok


def test_signing_in_place_and_refusing_to_sign_twice(tmp_path: Path, identity) -> None:
    report = make_pdf(tmp_path / "report.pdf")
    result = signatures.sign_report(report, report, None, refuse, page=0, box=(300, 50, 560, 150))
    assert (result.page, result.box) == (0, (300.0, 50.0, 560.0, 150.0))
    assert signatures.verify_report(report).ok
    before = report.read_bytes()
    with pytest.raises(sign.SigningError, match="already carries a signature"):
        signatures.sign_report(report, report, None, refuse)
    assert report.read_bytes() == before


@pytest.mark.parametrize(("page", "box", "message"), [
    (7, None, "between 1 and 3"),
    (None, (0, 0, 5, 5), "at least 20 x 10"),
    (0, (500, 50, 900, 150), "outside page 1"),
])
def test_bad_placement_is_refused(tmp_path: Path, identity, page, box, message) -> None:
    report = make_pdf(tmp_path / "report.pdf")
    with pytest.raises(ValidationError, match=message):
        signatures.sign_report(report, tmp_path / "out.pdf", identity.id, refuse, page=page, box=box)
    assert not (tmp_path / "out.pdf").exists()


def test_an_imported_firm_identity_signs_and_is_trusted(tmp_path: Path) -> None:
    make_pkcs12(tmp_path / "firm.p12", b"firm-secret")  # its certificate has digitalSignature only
    ident = signatures.import_identity(tmp_path / "firm.p12", given("firm-secret"))
    report = make_pdf(tmp_path / "report.pdf")
    signatures.sign_report(report, tmp_path / "signed.pdf", ident.id, refuse, engagement_uid=ENGAGEMENT)
    result = signatures.verify_report(tmp_path / "signed.pdf")
    assert result.ok, result.problems
    assert result.trust_anchor and "Firm Root CA" in result.trust_anchor


def test_unsigned_foreign_and_damaged_files_give_results_not_tracebacks(tmp_path: Path, signed: Path) -> None:
    unsigned = signatures.verify_report(make_pdf(tmp_path / "plain.pdf"))
    assert not unsigned.signed and not unsigned.ok and "no digital signature" in unsigned.problems[0]

    (tmp_path / "notes.txt").write_text("not a pdf at all")
    foreign = signatures.verify_report(tmp_path / "notes.txt")
    assert not foreign.ok and "not a PDF" in foreign.problems[0]

    (tmp_path / "cut.pdf").write_bytes(signed.read_bytes()[: signed.stat().st_size // 3])
    cut = signatures.verify_report(tmp_path / "cut.pdf")
    assert not cut.ok and cut.problems

    (tmp_path / "header.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    garbage = signatures.verify_report(tmp_path / "header.pdf")
    assert not garbage.ok and "damaged" in garbage.problems[0]

    with pytest.raises(NotFoundError):
        signatures.verify_report(tmp_path / "missing.pdf")


def test_the_sync_api_refuses_a_running_event_loop(signed: Path) -> None:
    import asyncio

    async def inside() -> verify.VerificationResult:
        with pytest.raises(RuntimeError, match="async_verify_pdf"):
            verify.verify_pdf(signed, [])
        return await verify.async_verify_pdf(signed, [c for c, _ in trust.trusted_certificates()])

    assert asyncio.run(inside()).ok


def test_the_engagement_anchor_ties_the_signed_report_to_its_audit_trail(ws, engagement, tmp_path: Path,
                                                                         identity) -> None:
    from workbench.services.trail import verify_engagement

    uid, head = signatures.engagement_anchor(ws, engagement)
    assert uid == engagement and head == verify_engagement(ws, engagement).head_hash
    report = make_pdf(tmp_path / "report.pdf")
    signatures.sign_report(report, tmp_path / "signed.pdf", identity.id, refuse, engagement_uid=uid, chain_head=head)
    result = signatures.verify_report(tmp_path / "signed.pdf")
    assert result.ok and (result.engagement_uid, result.chain_head) == (uid, head)


def test_an_unwritable_target_is_a_plain_error(tmp_path: Path, identity) -> None:
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(WorkbenchError, match="cannot write the signed report"):
        signatures.sign_report(make_pdf(tmp_path / "r.pdf"), tmp_path / "a-file" / "out.pdf", identity.id, refuse)


def test_signing_what_is_not_a_pdf_is_a_plain_error(tmp_path: Path, identity) -> None:
    (tmp_path / "notes.pdf").write_text("just text")
    with pytest.raises(sign.SigningError, match="not a PDF the workbench can sign"):
        signatures.sign_report(tmp_path / "notes.pdf", tmp_path / "out.pdf", identity.id, refuse)
    assert not (tmp_path / "out.pdf").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
