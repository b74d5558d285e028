"""`workbench encrypt` / `decrypt`, and every command on an encrypted workspace: with its key from the
keychain or its passphrase; refused in one line, the file unchanged, when the passphrase or key is wrong."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.helpers import file_hash
from tests.helpers.cli import one_line, run
from workbench.services import signatures
from workbench.signing import keychain
from workbench.store.keys import forget, is_encrypted, key_file, read_wrapped

PASSPHRASE = "a long workspace passphrase"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


@pytest.fixture
def encrypted(capsys: pytest.CaptureFixture[str], eng: tuple[str, str], secret: Path,
              monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """The `eng` workspace encrypted through the command line; no terminal to prompt on."""
    monkeypatch.setattr(signatures, "_terminal", lambda: False)
    db, ref = eng
    code, out, err = run(capsys, "--db", db, "encrypt", "--passphrase-file", str(secret))
    assert code == 0, err
    assert "encrypted" in out and is_encrypted(Path(db))
    assert b"Acme Bank" not in Path(db).read_bytes()
    return db, ref


def locked(db: str) -> None:
    """A later session on a computer whose keychain does not hold the key."""
    forget(read_wrapped(Path(db)).key_id)
    keychain.reset()


def test_commands_read_and_write_an_encrypted_workspace(capsys: pytest.CaptureFixture[str],
                                                        encrypted: tuple[str, str], secret: Path) -> None:
    db, ref = encrypted
    code, out, err = run(capsys, "--db", db, "list", "--json")  # the keychain keeps the key: no passphrase
    assert code == 0, err
    assert [row["client"] for row in json.loads(out)] == ["Acme Bank"]
    assert run(capsys, "--db", db, "score", ref, "--json")[0] == 0
    locked(db)
    code, _out, err = run(capsys, "--db", db, "list")
    assert code == 2 and "--db-passphrase-file" in one_line(err)
    code, out, err = run(capsys, "--db", db, "--db-passphrase-file", str(secret), "new", "--client", "Beta Ltd",
                         "--title", "Second audit", "--json")
    assert code == 0, err
    assert b"Beta Ltd" not in Path(db).read_bytes()
    code, out, err = run(capsys, "--db", db, "list", "--json")
    assert code == 0 and len(json.loads(out)) == 2
    written = [p for folder in (Path(db).parent, Path(os.environ["WORKBENCH_LOG_DIR"])) for p in folder.rglob("*")
               if p.is_file() and p.name != "passphrase.txt"]
    assert any(p.name.endswith(".log") for p in written)
    assert not [p.name for p in written for text in (b"Acme Bank", b"Beta Ltd", b"Second audit")
                if text in p.read_bytes()]  # workspace, -wal, key file and the log


def test_wrong_passphrase_missing_key_or_truncated_file_exit_2_in_one_line_unchanged(
        capsys: pytest.CaptureFixture[str], encrypted: tuple[str, str], tmp_path: Path) -> None:
    db, _ref = encrypted
    locked(db)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n", encoding="utf-8")
    digest = file_hash(Path(db))
    code, _out, err = run(capsys, "--db", db, "--db-passphrase-file", str(wrong), "list")
    assert code == 2 and "passphrase does not open" in one_line(err)
    code, _out, err = run(capsys, "--db", db, "decrypt", "--passphrase-file", str(wrong))
    assert code == 2 and "passphrase does not open" in one_line(err)
    assert file_hash(Path(db)) == digest and is_encrypted(Path(db))

    key = key_file(Path(db))
    shutil.move(key, tmp_path / "elsewhere.key")
    code, _out, err = run(capsys, "--db", db, "--db-passphrase-file", str(wrong), "list")
    assert code == 2 and "key file workspace" not in err and f"{key.name} is missing" in one_line(err)
    assert file_hash(Path(db)) == digest

    shutil.move(tmp_path / "elsewhere.key", key)
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(Path(db).read_bytes()[:2048])
    shutil.copyfile(key, key_file(truncated))
    digest = file_hash(truncated)
    code, _out, err = run(capsys, "--db", str(truncated), "--db-passphrase-file", str(wrong.with_name(
        "passphrase.txt")), "list")
    assert code == 2 and "truncated" in one_line(err)
    assert file_hash(truncated) == digest


def test_decrypt_gives_a_plain_workspace(capsys: pytest.CaptureFixture[str], encrypted: tuple[str, str],
                                         secret: Path) -> None:
    db, _ref = encrypted
    locked(db)
    code, out, err = run(capsys, "--db", db, "decrypt", "--passphrase-file", str(secret))
    assert code == 0, err
    assert not is_encrypted(Path(db)) and not key_file(Path(db)).exists()
    assert b"Acme Bank" in Path(db).read_bytes()
    code, _out, err = run(capsys, "--db", db, "decrypt", "--passphrase-file", str(secret))
    assert code == 2 and "not encrypted" in one_line(err)
    code, out, err = run(capsys, "--db", db, "list", "--json")
    assert code == 0 and json.loads(out)[0]["client"] == "Acme Bank"


def test_backup_of_an_encrypted_workspace_is_encrypted_and_restores(capsys: pytest.CaptureFixture[str],
                                                                     eng: tuple[str, str], secret: Path,
                                                                     tmp_path: Path) -> None:
    db, _ref = eng
    plain_backup = tmp_path / "plain-backup.db"
    assert run(capsys, "--db", db, "backup", "-o", str(plain_backup))[0] == 0
    assert run(capsys, "--db", db, "encrypt", "--passphrase-file", str(secret))[0] == 0
    backup = tmp_path / "kept" / "backup.db"
    code, _out, err = run(capsys, "--db", db, "backup", "-o", str(backup))
    assert code == 0, err
    assert is_encrypted(backup) and key_file(backup).is_file() and b"Acme Bank" not in backup.read_bytes()
    code, _out, err = run(capsys, "--db", db, "restore", str(backup))
    assert code == 0, err
    digest = file_hash(Path(db))
    code, _out, err = run(capsys, "--db", db, "restore", str(plain_backup))
    assert code == 2 and "not encrypted with the same key" in one_line(err)
    assert file_hash(Path(db)) == digest
    code, out, err = run(capsys, "--db", db, "list", "--json")
    assert code == 0 and json.loads(out)[0]["client"] == "Acme Bank"
