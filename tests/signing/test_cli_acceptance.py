"""Acceptance of signed deliverables at the command line, on a real report of the DriftGuardAI sample.

`workbench report ENG --sign` signs the executive summary once for the module; each test copies it and checks
it with `workbench verify` (exit 0 only when intact, unmodified and trusted; exit 1 with the reason), poppler's
pdfsig and pdffonts, after tampering, after an incremental update, with nobody trusting the signer, and with a
certificate that has expired.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.helpers.signing import PASSPHRASE, MemoryKeyring, add_page_content, needs_poppler
from workbench import cli
from workbench.domain.signing_rules import format_fingerprint
from workbench.services.deliverables import SIGNATURE_BOX_RECT
from workbench.signing import identities, keychain, sign

SAMPLE = Path(__file__).resolve().parents[2] / "sample_audits" / "driftguard.mlaudit"


class Signed:
    """The module's signed report and what it was made from."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db = folder / "workspace.db"
        self.identities = folder / "data" / "identities"
        self.pdf = folder / "signed.pdf"
        self.uid = ""
        self.head = ""
        self.fingerprint = ""


@pytest.fixture(scope="module")
def signed_report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Signed]:
    from workbench.services.packages import import_package
    from workbench.services.trail import verify_engagement
    from workbench.store.workspace import Workspace

    made = Signed(tmp_path_factory.mktemp("cli-signing"))
    previous = keyring.get_keyring()
    with pytest.MonkeyPatch.context() as env:
        for name, value in (("WORKBENCH_IDENTITIES", made.identities), ("WORKBENCH_LOG_DIR", made.folder / "logs"),
                            ("WORKBENCH_PREFERENCES", made.folder / "preferences.json"),
                            ("XDG_CONFIG_HOME", made.folder / "config"), ("XDG_DATA_HOME", made.folder / "share")):
            env.setenv(name, str(value))
        keyring.set_keyring(MemoryKeyring())
        keychain.reset()
        try:
            with Workspace(made.db) as ws:
                made.uid = import_package(ws, SAMPLE, untrusted=True)
                made.head = verify_engagement(ws, made.uid).head_hash
            secret = made.folder / "passphrase.txt"
            secret.write_text(PASSPHRASE + "\n")
            assert cli.main(["identity", "create", "--name", "Jane Doe", "--email", "jane@example.com", "--firm",
                             "Doe Audit LLP", "--passphrase-file", str(secret)]) == 0
            made.fingerprint = identities.get_identity(None).fingerprint
            assert cli.main(["--db", str(made.db), "signoff", made.uid, "--role", "reviewer",
                             "--passphrase-file", str(secret)]) == 0  # the signature's role is one she holds
            with Workspace(made.db) as ws:
                made.head = verify_engagement(ws, made.uid).head_hash
            assert cli.main(["--db", str(made.db), "report", made.uid, "-o", str(made.pdf), "--kind", "executive",
                             "--sign", "--draft-signature", "--passphrase-file", str(secret)]) == 0
        finally:
            keyring.set_keyring(previous)
            keychain.reset()
    yield made


@pytest.fixture(autouse=True)
def identities_home(signed_report: Signed, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Verify against the identities that signed the module's report (overrides the conftest folder)."""
    monkeypatch.setenv("WORKBENCH_IDENTITIES", str(signed_report.identities))
    return signed_report.identities


@pytest.fixture
def report(signed_report: Signed, tmp_path: Path) -> Path:
    return Path(shutil.copyfile(signed_report.pdf, tmp_path / "report.pdf"))


def verify(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = cli.main(["verify", str(path), *extra])
    out = capsys.readouterr()
    return code, out.out + out.err


def last_page(path: Path) -> str:
    with path.open("rb") as handle:
        return str(PdfFileReader(handle, strict=False).root["/Pages"]["/Count"])


def test_the_signed_report_verifies_and_is_tied_to_the_engagement(report: Path, signed_report: Signed,
                                                                  capsys) -> None:
    code, out = verify(report, capsys, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["ok"] and data["intact"] and data["trusted"] and not data["modified_after_signing"]
    assert (data["engagement_uid"], data["chain_head"]) == (signed_report.uid, signed_report.head)
    assert data["signer"]["name"] == "Jane Doe" and data["signer"]["fingerprint"] == signed_report.fingerprint


@needs_poppler
def test_pdfsig_reports_the_signature_of_the_report_valid(report: Path) -> None:
    out = subprocess.run(["pdfsig", str(report)], capture_output=True, text=True, check=False).stdout
    assert "Signature is Valid" in out and "Total document signed" in out


@needs_poppler
def test_the_sign_off_box_shows_signer_role_time_and_fingerprint_in_an_embedded_font(report: Path,
                                                                                    signed_report: Signed) -> None:
    page = last_page(report)
    text = subprocess.run(["pdftotext", "-layout", "-f", page, "-l", page, str(report), "-"], capture_output=True,
                          text=True, check=True).stdout
    grouped = format_fingerprint(signed_report.fingerprint)
    assert "DRAFT — not an audit opinion" in text  # the sample is not final: a signed draft
    assert "Digitally signed by Jane Doe" in text and "Role: Reviewer" in text
    assert re.search(r"Date: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", text)
    assert grouped[:39] in text and grouped[40:] in text  # the fingerprint, on two lines
    fonts = subprocess.run(["pdffonts", "-f", page, "-l", page, str(report)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    stamp = [row for row in fonts if "NotoSansMono" in row]
    assert stamp and all(row.split()[-5] == "yes" for row in stamp), fonts
    with report.open("rb") as handle:
        (signature,) = PdfFileReader(handle, strict=False).embedded_signatures
        rect = [float(v) for v in signature.sig_field["/Rect"]]
    assert rect == pytest.approx(list(SIGNATURE_BOX_RECT), abs=0.01), "the stamp fills the report's reserved box"


def test_a_byte_flipped_inside_the_signed_range_fails(report: Path, capsys) -> None:
    data = bytearray(report.read_bytes())
    first_range_end = int(re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)", data).group(1))
    stream = data.rfind(b"stream\n", 0, first_range_end // 2)
    assert stream > 0
    data[stream + 40] ^= 0x01
    report.write_bytes(bytes(data))
    code, out = verify(report, capsys)
    assert code == 1
    assert "NOT VALID" in out and "not intact" in out


def test_page_content_added_after_signing_fails_as_modified_after_signing(report: Path, capsys) -> None:
    add_page_content(report)  # pyHanko's IncrementalPdfFileWriter draws on page 1
    code, out = verify(report, capsys)
    assert code == 1
    assert "intact:      yes" in out and "modified after signing: YES" in out
    assert "modified after signing" in out.splitlines()[-1]


def test_a_workspace_that_does_not_trust_the_signer_fails_untrusted(report: Path, tmp_path: Path, capsys,
                                                                      monkeypatch) -> None:
    monkeypatch.setenv("WORKBENCH_IDENTITIES", str(tmp_path / "someone-else" / "identities"))
    code, out = verify(report, capsys)
    assert code == 1
    assert "trusted:     NO" in out and "untrusted" in out


def test_an_expired_certificate_is_reported_as_expired(tmp_path: Path, signed_report: Signed, capsys,
                                                       monkeypatch) -> None:
    base = tmp_path / "old" / "identities"
    old = identities.create_identity("Old Timer", "old@example.com", "Firm", PASSPHRASE, validity_days=10,
                                     not_before=datetime.now(UTC) - timedelta(days=30), base=base)
    unsigned = tmp_path / "unsigned.pdf"
    assert cli.main(["--db", str(signed_report.db), "report", signed_report.uid, "-o", str(unsigned),
                     "--kind", "executive"]) == 0
    with (tmp_path / "old.pdf").open("wb") as out:  # `workbench report --sign` refuses an expired identity
        sign.sign_pdf(unsigned, out, key=identities.load_private_key(old, PASSPHRASE), certificate=old.certificate(),
                      chain=old.chain(), signer_name=old.name, role="Lead auditor")
    capsys.readouterr()
    monkeypatch.setenv("WORKBENCH_IDENTITIES", str(base))  # trusted: only the expiry is wrong
    code, out = verify(tmp_path / "old.pdf", capsys, "--json")
    data = json.loads(out)
    assert code == 1 and data["expired"] and data["intact"] and not data["modified_after_signing"]
    assert any("expired on" in problem for problem in data["problems"])
