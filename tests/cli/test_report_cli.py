"""`workbench report` (plain and --sign), `verify`, `identity` and `trust` on the command line."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import keyring
import pytest

from tests.helpers.signing import MemoryKeyring
from workbench.cli import main
from workbench.signing import keychain

SAMPLE = Path(__file__).resolve().parents[2] / "sample_audits" / "driftguard.mlaudit"
PASSPHRASE = "correct horse battery"




@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("report-cli") / "ws.db"
    assert main(["--db", str(db), "import", str(SAMPLE), "--untrusted"]) == 0
    return db


def passphrase_file(folder: Path, text: str = PASSPHRASE) -> Path:
    path = folder / f"pass-{hashlib.sha1(text.encode()).hexdigest()[:6]}"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def copy_of(workspace: Path, tmp_path: Path) -> Path:
    """The module's workspace for this test alone (the test signs off in it)."""
    import sqlite3

    target = tmp_path / "copy.db"
    source, copy = sqlite3.connect(workspace), sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()
    return target


def make_identity(tmp_path: Path) -> None:
    assert main(["identity", "create", "--name", "Ana Auditor", "--email", "ana@example.com", "--firm", "Audit & Co",
                 "--passphrase-file", str(passphrase_file(tmp_path))]) == 0


def test_report_writes_the_pdf_and_a_folder_gets_the_default_name(workspace: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(workspace), "report", "DGA-2026-01", "-o", str(tmp_path), "--kind", "executive",
                 "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    written = Path(result["file"])
    assert written.name == "DGA-2026-01 executive summary.pdf"
    assert written.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(written), "-"], capture_output=True, text=True, check=True).stdout
    assert "DriftGuardAI" in text


def test_the_collector_stays_paused_from_reading_to_writing_and_is_on_after(
        workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A report command makes no cyclic collection (the process ends right after); the collector is on again."""
    import gc

    from workbench.services import deliverables

    seen: list[bool] = []
    render_report = deliverables.render_report

    def watched(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        written = render_report(*args, **kwargs)  # type: ignore[arg-type]
        seen.append(gc.isenabled())
        return written

    monkeypatch.setattr(deliverables, "render_report", watched)
    assert gc.isenabled()
    assert main(["--db", str(workspace), "report", "DGA-2026-01", "-o", str(tmp_path), "--kind", "executive"]) == 0
    assert seen == [False, False]
    assert gc.isenabled()


def test_signed_report_verifies_and_names_its_engagement(workspace: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    make_identity(tmp_path)
    db, secret = copy_of(workspace, tmp_path), passphrase_file(tmp_path)
    assert main(["--db", str(db), "signoff", "DGA-2026-01", "--role", "engagement_lead",
                 "--passphrase-file", str(secret)]) == 0
    capsys.readouterr()
    out = tmp_path / "signed.pdf"
    assert main(["--db", str(db), "report", "DGA-2026-01", "-o", str(out), "--sign", "--draft-signature",
                 "--passphrase-file", str(secret), "--role", "Engagement lead", "--json"]) == 0
    signature = json.loads(capsys.readouterr().out)["signature"]
    assert (signature["role"], signature["draft"]) == ("engagement_lead", True)
    assert main(["verify", str(out), "--json"]) == 0
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["intact"] and verdict["trusted"] and not verdict["modified_after_signing"]
    assert main(["--db", str(db), "show", "DGA-2026-01", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert verdict["engagement_uid"] == shown["engagement"]["uid"]


def test_wrong_passphrase_writes_nothing(workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_identity(tmp_path)
    db = copy_of(workspace, tmp_path)
    assert main(["--db", str(db), "signoff", "DGA-2026-01", "--role", "reviewer",
                 "--passphrase-file", str(passphrase_file(tmp_path))]) == 0
    keychain.reset()
    keyring.set_keyring(MemoryKeyring())  # a new session whose keychain does not hold the passphrase
    out = tmp_path / "never.pdf"
    code = main(["--db", str(db), "report", "DGA-2026-01", "-o", str(out), "--sign", "--draft-signature",
                 "--passphrase-file", str(passphrase_file(tmp_path, "not the passphrase"))])
    assert code == 2
    assert "passphrase does not open" in capsys.readouterr().err
    assert not out.exists()
    assert list(tmp_path.glob("*.pdf")) == []


def test_sign_without_identity_is_refused_before_rendering(workspace: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "unsigned.pdf"
    assert main(["--db", str(workspace), "report", "DGA-2026-01", "-o", str(out), "--sign"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "identity" in err
    assert not out.exists()


def test_verify_an_unsigned_report_exits_1(workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plain.pdf"
    assert main(["--db", str(workspace), "report", "DGA-2026-01", "-o", str(out), "--kind", "executive"]) == 0
    capsys.readouterr()
    assert main(["verify", str(out)]) == 1
    assert "NOT VALID" in capsys.readouterr().out


def test_report_file_must_be_a_pdf(workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(workspace), "report", "DGA-2026-01", "-o", str(tmp_path / "report.docx")]) == 2
    assert ".pdf" in capsys.readouterr().err
    assert not (tmp_path / "report.docx").exists()


def test_identity_list_show_and_trust(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["identity", "list"]) == 0
    assert "no signing identity yet" in capsys.readouterr().out
    make_identity(tmp_path)
    capsys.readouterr()
    assert main(["identity", "show", "ana@example.com", "--json"]) == 0
    details = json.loads(capsys.readouterr().out)
    assert details["name"] == "Ana Auditor" and not details["expired"]
    assert main(["trust", "import", str(tmp_path / "missing.pem")]) == 2
    not_a_cert = tmp_path / "notes.pem"
    not_a_cert.write_text("hello", encoding="utf-8")
    assert main(["trust", "import", str(not_a_cert)]) == 2
    assert "no readable X.509 certificate" in capsys.readouterr().err
