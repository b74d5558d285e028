"""A workspace the command line creates is encrypted by default: with the passphrase from
--db-passphrase-file or typed twice on a terminal; plain only when asked (--plain-workspace) or when there is
no way to get a passphrase (said on stderr). A refused passphrase creates nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli import run
from workbench.services import signatures
from workbench.store.keys import is_encrypted, key_file

PASSPHRASE = "a long workspace passphrase"
NEW = ("new", "--client", "Confidential Client Ltd", "--title", "Model risk audit", "--json")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where a new workspace goes, with the encrypted default of a real installation (not the suite's)."""
    monkeypatch.delenv("WORKBENCH_PLAIN_WORKSPACE")
    monkeypatch.setattr(signatures, "_terminal", lambda: False)
    return tmp_path / "new" / "workspace.db"


def secret_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def test_a_passphrase_file_creates_an_encrypted_workspace(capsys: pytest.CaptureFixture[str], db: Path,
                                                          tmp_path: Path) -> None:
    secret = secret_file(tmp_path, PASSPHRASE)
    code, out, err = run(capsys, "--db", str(db), "--db-passphrase-file", str(secret), *NEW)
    assert code == 0, err
    assert "created the encrypted workspace" in err
    assert is_encrypted(db) and key_file(db).is_file()
    assert all(b"Confidential Client" not in p.read_bytes() for p in db.parent.iterdir() if p.is_file())
    code, out, err = run(capsys, "--db", str(db), "list", "--json")  # the key is kept for the session
    assert code == 0 and [row["client"] for row in json.loads(out)] == ["Confidential Client Ltd"]


def test_on_a_terminal_the_new_passphrase_is_typed_twice(capsys: pytest.CaptureFixture[str], db: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    prompts: list[str] = []

    def getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return PASSPHRASE

    monkeypatch.setattr(signatures, "_terminal", lambda: True)
    monkeypatch.setattr("getpass.getpass", getpass)
    code, _out, err = run(capsys, "--db", str(db), *NEW)
    assert code == 0, err
    assert is_encrypted(db)
    assert prompts == ["New passphrase for the workspace (at least 8 characters): ", "Repeat the new passphrase: "]
    assert "Strong:" in err  # the strength hint, in words


@pytest.mark.parametrize(("answers", "expected"), [(["short", "short"], "Too short"),
                                                   ([PASSPHRASE, "something else"], "the two passphrases differ")])
def test_a_refused_passphrase_creates_nothing(capsys: pytest.CaptureFixture[str], db: Path,
                                              monkeypatch: pytest.MonkeyPatch, answers: list[str],
                                              expected: str) -> None:
    given = iter(answers)
    monkeypatch.setattr(signatures, "_terminal", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(given))
    code, out, err = run(capsys, "--db", str(db), *NEW)
    assert code == 2 and out == ""
    assert err.splitlines()[-1].startswith("workbench: ") and expected in err.splitlines()[-1]
    assert not db.parent.exists() or not any(db.parent.iterdir())


def test_plain_only_when_asked_or_when_no_passphrase_can_be_had(capsys: pytest.CaptureFixture[str], db: Path,
                                                                tmp_path: Path) -> None:
    code, _out, err = run(capsys, "--db", str(db), "--plain-workspace", *NEW)
    assert code == 0 and err == ""
    assert db.is_file() and not is_encrypted(db) and not key_file(db).exists()

    other = tmp_path / "other" / "workspace.db"
    code, _out, err = run(capsys, "--db", str(other), *NEW)  # no terminal, no passphrase file
    assert code == 0
    assert err.count("\n") == 1 and err.startswith("workbench: note: the new workspace workspace.db is NOT encrypted")
    assert not is_encrypted(other)


def test_an_existing_workspace_is_never_converted_by_a_writing_command(capsys: pytest.CaptureFixture[str],
                                                                       db: Path, tmp_path: Path) -> None:
    assert run(capsys, "--db", str(db), "--plain-workspace", *NEW)[0] == 0
    secret = secret_file(tmp_path, PASSPHRASE)
    code, _out, err = run(capsys, "--db", str(db), "--db-passphrase-file", str(secret), *NEW)
    assert code == 0 and err == ""
    assert not is_encrypted(db)


def test_the_app_started_with_a_passphrase_file_opens_the_encrypted_workspace_unlocked(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.signing import keychain
    from workbench.store.keys import forget, is_locked, read_wrapped

    secret = secret_file(tmp_path, PASSPHRASE)
    monkeypatch.setenv("WORKBENCH_DB", str(db))
    assert run(capsys, "--db-passphrase-file", str(secret), *NEW)[0] == 0
    forget(read_wrapped(db).key_id)  # a later session: the key is not kept anywhere
    keychain.reset()
    started: list[tuple[Path | None, bool]] = []

    def run_app(path: Path | None) -> int:
        started.append((path, is_locked(db)))
        return 0

    monkeypatch.setattr("workbench.cli.commands._check_display", lambda: None)
    monkeypatch.setattr("workbench.ui.app.run_app", run_app)
    assert run(capsys, "--db-passphrase-file", str(secret))[0] == 0  # `workbench` alone: the desktop app
    assert started == [(db, False)]
