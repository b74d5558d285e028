"""Unlocking an encrypted workspace, and turning a plain workspace into an encrypted one and back.

A conversion never changes the workspace until its new form is complete and checked: with the workspace
lock held, SQLCipher's sqlcipher_export copies every table into a private file beside it, the copy is
checked (integrity, the same rows in every table, the copy opens with the key it should), then renamed
over the workspace in one step; the old file's -wal and -shm are removed. When encrypting, the key file
is written before the swap, and the workspace's plain backups (backups/<name>-*.db) are encrypted the
same way, so no clear copy stays behind. Decrypting removes the key file and the keychain's key last.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from functools import partial
from pathlib import Path

from workbench.domain.errors import NotFoundError, ValidationError, WorkspaceError
from workbench.domain.passphrase_strength import strength
from workbench.fs.faults import database_errors, storage_faults
from workbench.fs.files import atomic_path, private_folder
from workbench.signing.keychain import PassphraseProvider, ask
from workbench.store.connect import PLAIN_ENV, connect, plain_by_choice, read_only_uri
from workbench.store.keys import (
    SCRYPT_N,
    forget,
    is_encrypted,
    is_locked,
    key_file,
    key_mismatch,
    new_key,
    read_wrapped,
    remember,
    unwrap,
    wrap,
    write_wrapped,
)
from workbench.store.lock import WorkspaceLock

log = logging.getLogger(__name__)
__all__ = ["PLAIN_ENV", "create_encrypted_workspace", "decrypt_workspace", "encrypt_workspace", "encryption_offer_due",
           "plain_by_choice", "unlock"]


def encryption_offer_due(path: Path) -> bool:
    """Whether the app should offer to encrypt the workspace at `path`: a plain workspace this process may
    change (not a missing, encrypted, read-only or foreign file)."""
    from workbench.store.connect import writable
    from workbench.store.migrate import current_revision

    path = Path(path)
    if not path.is_file() or is_encrypted(path) or not writable(path):
        return False
    try:
        return current_revision(path) is not None  # a workspace, not some other file
    except Exception:  # the workspace's own opening says what is wrong with it
        return False


def new_workspace_problem(passphrase: str) -> str:
    """'' when `passphrase` may protect a new workspace, else why not (one sentence, no trailing period)."""
    verdict = strength(passphrase)
    return "" if verdict.acceptable else verdict.hint.rstrip(".")


def create_encrypted_workspace(path: Path, passphrase: str, *, scrypt_n: int = SCRYPT_N) -> Path:
    """A new, empty workspace at `path`, encrypted from its first byte with a new key wrapped by `passphrase`
    (its key file beside it, the key unlocked for this session and kept in the keychain where one works);
    the schema is then created as for any new workspace. Refused if a workspace is there already."""
    from workbench.store.workspace import Workspace

    path = Path(path).expanduser().resolve()
    if path.exists() and (path.is_dir() or path.stat().st_size > 0):
        raise WorkspaceError(f"{path} exists already; nothing was changed")
    problem = new_workspace_problem(passphrase)
    if problem:
        raise ValidationError(f"{problem}; nothing was created")
    key = new_key()
    wrapped = wrap(key, passphrase, n=scrypt_n)
    private_folder(path.parent)
    with _locked(path), storage_faults(path), atomic_path(path, private=True) as temp:
        conn = connect(temp, temp, key=key)
        try:
            conn.execute("PRAGMA journal_mode=WAL")  # writes the first (encrypted) page: the file is keyed now
        finally:
            conn.close()
        if not is_encrypted(temp):
            raise WorkspaceError(f"creating the encrypted workspace {path.name} failed; nothing was created")
        write_wrapped(path, wrapped)
    remember(wrapped.key_id, key)
    Workspace(path).open().close()
    log.info("created the encrypted workspace %s", path.name)
    return path


def _check_opens(path: Path, key: bytes) -> None:
    try:
        conn = connect(path, read_only_uri(path, brief=True), uri=True, key=key)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except database_errors() as exc:
        raise key_mismatch(path) from exc


def unlock(path: Path, provider: PassphraseProvider | None) -> bytes:
    """Ask for the passphrase, open the key file with it, check the key opens the workspace, and keep the key
    (keychain, else this session)."""
    wrapped = read_wrapped(path)
    passphrase = ask(provider, f"Passphrase of the encrypted workspace {path.name}: ")
    key = unwrap(wrapped, passphrase, key_file(path).name)
    _check_opens(path, key)
    remember(wrapped.key_id, key)
    return key


def encrypt_workspace(path: Path, passphrase: str, *, scrypt_n: int = SCRYPT_N) -> list[Path]:
    """Encrypt the plain workspace at `path` in place with a new key wrapped by `passphrase` (scrypt at cost
    `scrypt_n`: tests pass a cheap one); its plain backups too. Returns the backups encrypted."""
    path = _existing(path)
    if is_encrypted(path):
        raise WorkspaceError(f"{path.name} is already encrypted; nothing was changed")
    if not passphrase:
        raise WorkspaceError("an encrypted workspace needs a passphrase; nothing was changed")
    key = new_key()
    wrapped = wrap(key, passphrase, n=scrypt_n)
    with _locked(path):
        _convert(path, to_key=key, before_swap=lambda: write_wrapped(path, wrapped))
    remember(wrapped.key_id, key)
    backups = [backup for backup in _backups(path) if not is_encrypted(backup)]
    for backup in backups:
        _convert(backup, to_key=key, before_swap=partial(write_wrapped, backup, wrapped))
    return backups


def decrypt_workspace(path: Path, provider: PassphraseProvider | None) -> None:
    """Turn the encrypted workspace at `path` back into a plain one (its backups stay encrypted, their key
    files beside them)."""
    path = Path(path).expanduser().resolve()
    if path.is_file() and not is_encrypted(path):
        raise WorkspaceError(f"{path.name} is not encrypted; nothing was changed")
    if is_locked(path):
        unlock(path, provider)
    path = _existing(path)
    wrapped = read_wrapped(path)
    with _locked(path):
        _convert(path, to_key=None, before_swap=lambda: None)
        key_file(path).unlink(missing_ok=True)
    forget(wrapped.key_id)


def _existing(path: Path) -> Path:
    path = Path(path).expanduser().resolve()
    if not path.is_file() or path.stat().st_size == 0:
        raise NotFoundError(f"there is no workspace at {path}")
    from workbench.store.migrate import check_compatible

    if check_compatible(path) is None:
        raise WorkspaceError(f"{path.name} holds no workspace yet; nothing was changed")
    return path


class _locked:
    """The workspace lock for the time of a conversion (no writer may commit into the file being copied)."""

    def __init__(self, path: Path) -> None:
        self._lock = WorkspaceLock(path)

    def __enter__(self) -> None:
        self._lock.acquire()

    def __exit__(self, *_exc: object) -> None:
        self._lock.release()


def _backups(path: Path) -> list[Path]:
    folder = path.parent / "backups"
    return sorted(folder.glob(f"{path.stem}-*.db")) if folder.is_dir() else []


def _convert(path: Path, *, to_key: bytes | None, before_swap: Callable[[], None]) -> None:
    """Copy the file at `path` into its new form (encrypted with `to_key`, or plain), check the copy, then
    swap it in and remove the old file's side files."""
    with storage_faults(path), atomic_path(path, private=True) as temp:
        source = connect(path, path, cipher=True)
        try:
            source.execute("ATTACH DATABASE ? AS converted KEY ?", (str(temp), f"x'{to_key.hex()}'" if to_key else ""))
            source.execute("SELECT sqlcipher_export('converted')")
            source.execute("DETACH DATABASE converted")
            counts = _row_counts(source)
        finally:
            source.close()
        _verify(temp, to_key, counts, path)
        before_swap()
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    log.info("%s is now %s", path.name, "encrypted" if to_key else "plain")


def _row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: int(conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]) for name in names}


def _verify(copy: Path, key: bytes | None, counts: dict[str, int], path: Path) -> None:
    if (key is not None) != is_encrypted(copy):
        raise WorkspaceError(f"converting {path.name} failed (the copy is not in the expected form); nothing was "
                             "changed")
    check = connect(copy, copy, key=key)
    try:
        integrity = check.execute("PRAGMA integrity_check").fetchone()[0]
        copied = _row_counts(check)
    finally:
        check.close()
    if integrity != "ok" or copied != counts:
        raise WorkspaceError(f"converting {path.name} failed its check (integrity: {integrity}); nothing was changed")

