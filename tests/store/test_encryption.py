"""Encryption at rest: an encrypted workspace holds no client string in any file, opens with its key only,
converts in place without losing a row, and is migrated like a plain one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import (
    content_hash,
    downgrade_workspace,
    file_hash,
    samples_fitting,
    schema_of,
    table_counts,
)
from tests.helpers.confidential import client_strings, leaks, written_files
from workbench.domain.errors import WorkspaceError
from workbench.services import records
from workbench.services.encryption import decrypt_workspace, encrypt_workspace, unlock
from workbench.services.packages import import_package
from workbench.signing import keychain
from workbench.store import migrate
from workbench.store.keys import WorkspaceLocked, WrongWorkspacePassphrase, forget, is_encrypted, key_file, read_wrapped
from workbench.store.light import engagement_rows, reader
from workbench.store.workspace import Workspace

PASSPHRASE = "a long workspace passphrase"
CHEAP = 2**10  # scrypt cost for tests: the key file records it, so unlocking works as with the real cost


@pytest.fixture(scope="module")
def sampled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plain workspace holding every sample, made once (tests copy it)."""
    path = tmp_path_factory.mktemp("sampled") / "workspace.db"
    with Workspace(path) as ws:
        for package in sorted((Path(__file__).resolve().parents[2] / "sample_audits").glob("*.mlaudit")):
            import_package(ws, package, untrusted=True)
    return path


@pytest.fixture
def plain(sampled: Path, tmp_path: Path) -> Path:
    path = tmp_path / "ws" / "workspace.db"
    path.parent.mkdir()
    shutil.copyfile(sampled, path)
    return path


def test_an_encrypted_workspace_and_its_wal_and_backups_hold_no_client_string(plain: Path) -> None:
    secrets = client_strings(plain)
    backup = plain.parent / "backups" / "workspace-20260101-000000-before-upgrade-from-0009.db"
    with Workspace(plain) as ws:
        ws.backup_to(backup)  # a plain backup taken before encryption: encrypting converts it too
    before = content_hash(plain)
    assert leaks([plain, backup], secrets)  # the test would see them in clear

    assert encrypt_workspace(plain, PASSPHRASE, scrypt_n=CHEAP) == [backup]
    assert is_encrypted(plain) and is_encrypted(backup)
    assert content_hash(plain) == before == content_hash(backup)  # every row kept, read through the key
    assert read_wrapped(backup) == read_wrapped(plain)
    with Workspace(plain) as ws:
        uid = next(row["uid"] for row in engagement_rows_of(plain))
        records.add_record(ws, uid, "finding", {"title": "Model registry lacks lineage", "severity": "Low"})
        ws.backup_to(plain.parent / "backups" / "workspace-manual.db")
        secrets.add(b"Model registry lacks lineage")
        assert plain.with_name("workspace.db-wal").stat().st_size > 0
        assert not leaks(written_files(plain.parent), secrets)  # the -wal, while open, included
    files = written_files(plain.parent)
    assert {p.name for p in files} >= {"workspace.db", "workspace.db.key", "workspace-manual.db",
                                       "workspace-manual.db.key"}
    assert not leaks(files, secrets)
    key_text = key_file(plain).read_bytes()
    assert b"workspace" not in key_text.replace(b"workbench-workspace-key", b"") and str(plain).encode() not in key_text


def lock(path: Path) -> None:
    """A new session on a computer whose keychain does not hold the key (another install, or no keychain)."""
    forget(read_wrapped(path).key_id)
    keychain.reset()


def engagement_rows_of(path: Path) -> list[dict[str, object]]:
    with reader(path) as conn:
        return engagement_rows(conn)


def test_decrypting_gives_the_same_plain_workspace_back(plain: Path) -> None:
    before = content_hash(plain)
    encrypt_workspace(plain, PASSPHRASE, scrypt_n=CHEAP)
    key_id = read_wrapped(plain).key_id
    lock(plain)
    with pytest.raises(WorkspaceLocked):
        content_hash(plain)
    with pytest.raises(WrongWorkspacePassphrase):
        decrypt_workspace(plain, lambda _prompt: "not the passphrase")
    assert is_encrypted(plain)
    decrypt_workspace(plain, lambda _prompt: PASSPHRASE)
    assert not is_encrypted(plain) and not key_file(plain).exists()
    assert content_hash(plain) == before
    assert not [p for p in plain.parent.iterdir() if p.name.endswith(("-wal", "-shm"))]
    assert keychain.get_passphrase(f"workspace-key:{key_id}") is None  # the keychain forgot the key


def test_a_key_file_of_another_workspace_or_a_truncated_file_is_refused_unchanged(plain: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    shutil.copyfile(plain, other)
    encrypt_workspace(plain, PASSPHRASE, scrypt_n=CHEAP)
    encrypt_workspace(other, PASSPHRASE, scrypt_n=CHEAP)
    lock(plain)
    lock(other)
    shutil.copyfile(key_file(other), key_file(plain))
    digest = file_hash(plain)
    with pytest.raises(WorkspaceError, match="cannot be opened with its key"):
        unlock(plain, lambda _prompt: PASSPHRASE)
    assert file_hash(plain) == digest

    unlock(other, lambda _prompt: PASSPHRASE)
    data = other.read_bytes()
    other.write_bytes(data[: len(data) // 3])
    digest = file_hash(other)
    with pytest.raises(WorkspaceError, match="is damaged"):
        Workspace(other).open()
    assert file_hash(other) == digest


def test_migrations_run_on_an_encrypted_workspace_and_keep_every_row(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Workspace(path) as ws:
        for package in samples_fitting("0009"):
            import_package(ws, package, untrusted=True)
    downgrade_workspace(path, "0009")
    encrypt_workspace(path, PASSPHRASE, scrypt_n=CHEAP)
    assert migrate.current_revision(path) == "0009"
    before = table_counts(path)
    assert before["finding"] and before["audit_event"] and before["evidence_blob"]
    assert "accepted_by" not in schema_of(path)["finding"]

    with Workspace(path) as ws:  # opening upgrades, after a backup: encrypted with the same key
        assert ws.last_backup is not None and is_encrypted(ws.last_backup) and key_file(ws.last_backup).exists()
        assert table_counts(ws.last_backup) == before
    assert is_encrypted(path) and migrate.current_revision(path) == migrate.head_revision()
    assert "accepted_by" in schema_of(path)["finding"]
    assert table_counts(path, before) == before
