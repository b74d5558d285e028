"""Hygiene: private files are private (workspace, backups, logs, identities: 0600 in 0700 folders), while
deliverables follow the umask; the log never quotes record text; identity keys are protected with
PBKDF2-HMAC-SHA256 at 600,000 rounds, and older keys are re-protected when next opened; temporary files
that a killed process left behind are swept."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from bench.churn import findings_csv
from workbench.cli import main
from workbench.fs import files
from workbench.logs import log_file
from workbench.services.engagements import create_engagement
from workbench.signing import identities, keyfile
from workbench.store.workspace import Workspace

SECRET = "Customer PII leaks through the staging bucket"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> object:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_workspace_backups_logs_and_identities_are_private(tmp_path: Path, umask_022: object,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("WORKBENCH_IDENTITIES", str(tmp_path / "keys" / "identities"))
    db = tmp_path / "data" / "workspace.db"
    assert main(["--db", str(db), "new", "--client", "Acme", "--title", "Modes"]) == 0
    assert main(["--db", str(db), "backup", "-o", str(tmp_path / "safe" / "backup.db")]) == 0
    (tmp_path / "pass").write_text("correct horse battery\n")
    assert main(["identity", "create", "--name", "Ana", "--email", "ana@example.com",
                 "--passphrase-file", str(tmp_path / "pass")]) == 0
    assert mode(db.parent) == 0o700 and mode(db) == 0o600
    assert all(mode(p) == 0o600 for p in db.parent.iterdir()), {p.name: oct(mode(p)) for p in db.parent.iterdir()}
    assert mode(tmp_path / "safe") == 0o700 and mode(tmp_path / "safe" / "backup.db") == 0o600
    assert mode(log_file().parent) == 0o700 and mode(log_file()) == 0o600
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "baseFilename", "") == str(log_file()))
    handler.doRollover()  # type: ignore[attr-defined]
    assert all(mode(p) == 0o600 for p in log_file().parent.iterdir())
    base = tmp_path / "keys" / "identities"
    assert mode(base) == 0o700
    for folder in base.iterdir():
        assert mode(folder) == 0o700 and all(mode(p) == 0o600 for p in folder.iterdir())


def new_engagement(db: Path, title: str) -> str:
    with Workspace(db) as ws:
        return create_engagement(ws, client="Acme", title=title)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_deliverables_follow_the_umask(tmp_path: Path, mask: int, expected: int) -> None:
    db = tmp_path / "workspace.db"
    uid = new_engagement(db, "Umask")
    previous = os.umask(mask)
    try:
        for args in (["export", uid, "-o", str(tmp_path / "out" / "e.mlaudit"), "--unsigned"],
                     ["records", "export", uid, "findings", "-o", str(tmp_path / "out" / "f.csv")],
                     ["report", uid, "-o", str(tmp_path / "out" / "r.pdf"), "--kind", "executive"]):
            assert main(["--db", str(db), *args]) == 0
    finally:
        os.umask(previous)
    assert {p.name: mode(p) for p in (tmp_path / "out").iterdir()} == dict.fromkeys(["e.mlaudit", "f.csv", "r.pdf"],
                                                                                     expected)


def test_the_log_never_quotes_record_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.services import assessment

    db = tmp_path / "workspace.db"
    assert main(["--db", str(db), "new", "--client", "Acme", "--title", SECRET]) == 0
    uid = new_engagement(db, "Second")
    csv_path = findings_csv(tmp_path, rows=3)
    csv_path.write_text(csv_path.read_text().replace("Row 1 of the scanner output", SECRET))
    assert main(["--db", str(db), "records", "import", uid, "findings", str(csv_path)]) == 0

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug deep inside")

    monkeypatch.setattr(assessment, "answer_and_plan", explode)  # an unexpected error: logged with its command line
    assert main(["--db", str(db), "answer", uid, "MON-01", "no", "--note", SECRET]) == 2
    assert main(["--db", str(db), "answer", uid, "MON-01", "no", f"--note={SECRET}"]) == 2
    text = log_file().read_text(encoding="utf-8")
    assert "a bug deep inside" in text and "--db … answer … … … --note …" in text and "--note=…" in text
    assert SECRET not in text and SECRET.split()[0] + " PII" not in text


def test_new_keys_take_600000_rounds_and_old_keys_are_re_protected(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_IDENTITIES", str(tmp_path / "identities"))
    ident = identities.create_identity("Ana", "ana@example.com", "Firm", "correct horse battery")
    assert keyfile.kdf_rounds(ident.key_path.read_bytes()) == 600_000
    key = identities.load_private_key(ident, "correct horse battery")
    old = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.BestAvailableEncryption(b"correct horse battery"))
    assert keyfile.kdf_rounds(old) < 600_000  # what cryptography's best available encryption gives
    ident.key_path.write_bytes(old)
    with pytest.raises(identities.WrongPassphraseError):
        identities.load_private_key(ident, "wrong horse battery")
    assert ident.key_path.read_bytes() == old  # a wrong passphrase changes nothing
    reopened = identities.load_private_key(ident, "correct horse battery")
    assert reopened.private_numbers() == key.private_numbers()
    assert keyfile.kdf_rounds(ident.key_path.read_bytes()) == 600_000 and mode(ident.key_path) == 0o600
    assert identities.load_private_key(ident, "correct horse battery").private_numbers() == key.private_numbers()


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_temporary_files_of_killed_processes_are_swept(tmp_path: Path) -> None:
    gone, alive = dead_pid(), os.getppid()
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f".report.pdf.wb{gone}-abc123.tmp"
    live = out / f".report.pdf.wb{alive}-def456.tmp"
    foreign = out / ".report.pdf.abc.tmp"  # not ours: left alone
    for path in (stale, live, foreign):
        path.write_bytes(b"half a report")
    with files.atomic_output(out / "other.pdf") as handle:
        handle.write(b"%PDF-1.7 whole")
    assert sorted(p.name for p in out.iterdir()) == sorted([live.name, foreign.name, "other.pdf"])
