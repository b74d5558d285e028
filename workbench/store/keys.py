"""The key of an encrypted workspace: made, wrapped by the auditor's passphrase, kept, found again.

An encrypted workspace (SQLCipher 4, store/connect.py) is keyed with a random 256-bit key, handed to
SQLCipher as a raw key (PRAGMA key = "x'…'"), so opening a connection runs no key derivation. The key is
kept in two places:

- wrapped, in the *key file* beside the workspace (`workspace.db.key`, 0600): a small JSON document holding
  a random key id, the scrypt parameters and salt, and the key sealed with AES-256-GCM under the key the
  passphrase derives. It names no client, engagement, user or path; without the passphrase it gives nothing.
  A backup made of an encrypted workspace gets a copy beside it (the same key opens both).
- unwrapped, in the OS keychain where one works (keyring: service "workbench", account
  "workspace-key:<key id>", through signing/keychain.py), else in memory for the rest of the process: the
  passphrase is then asked once per session.

Which file is encrypted is read from the file itself: an SQLite database starts with "SQLite format 3",
an SQLCipher one with its random salt.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.domain.errors import WorkspaceError

KEY_FILE_SUFFIX = ".key"
FORMAT = "workbench-workspace-key"
SQLITE_MAGIC = b"SQLite format 3\x00"
KEY_BYTES = 32
# scrypt at n=2**17, r=8: 128 MiB and about half a second, once per unlock (never per connection)
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
_AAD = b"workbench workspace key v1:"


class WorkspaceLocked(WorkspaceError):
    """The workspace is encrypted and its key is not unlocked in this session (nor kept in the keychain)."""


class WrongWorkspacePassphrase(WorkspaceError):
    """The passphrase does not open the workspace's key file."""


@dataclass(frozen=True)
class WrappedKey:
    """The content of a key file."""

    key_id: str
    salt: bytes
    nonce: bytes
    sealed: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    def to_json(self) -> str:
        document = {"format": FORMAT, "version": 1, "key_id": self.key_id,
                    "kdf": {"name": "scrypt", "n": self.n, "r": self.r, "p": self.p, "salt": _b64(self.salt)},
                    "cipher": "AES-256-GCM", "nonce": _b64(self.nonce), "sealed_key": _b64(self.sealed)}
        return json.dumps(document, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str, name: str) -> WrappedKey:
        try:
            document: Any = json.loads(text)
            kdf = document["kdf"]
            if document.get("format") != FORMAT or document.get("version") != 1 or kdf.get("name") != "scrypt":
                raise ValueError("not a workspace key file of this version")
            return cls(key_id=str(document["key_id"]), salt=_unb64(kdf["salt"]), nonce=_unb64(document["nonce"]),
                       sealed=_unb64(document["sealed_key"]), n=int(kdf["n"]), r=int(kdf["r"]), p=int(kdf["p"]))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise WorkspaceError(f"{name} is damaged: it is not a workspace key file ({exc}).") from exc


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("a value is not text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def key_file(path: Path) -> Path:
    """Where the wrapped key of the workspace at `path` is kept."""
    return path.with_name(path.name + KEY_FILE_SUFFIX)


def is_encrypted(path: Path) -> bool:
    """Whether the file is not a plain SQLite database (an empty or missing file is neither)."""
    try:
        with Path(path).open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return False
    return bool(header) and header != SQLITE_MAGIC


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def _kek(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    if not (2 <= n <= 2**22 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16):
        raise WorkspaceError("the key file asks for key-derivation costs out of range; it is damaged")
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024 + 1024,
                          dklen=32)


def wrap(key: bytes, passphrase: str, *, key_id: str | None = None, n: int = SCRYPT_N) -> WrappedKey:
    """Seal `key` under the passphrase (a fresh salt and nonce each time)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key_id = key_id or secrets.token_hex(16)
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_kek(passphrase, salt, n, SCRYPT_R, SCRYPT_P)).encrypt(nonce, key, _AAD + key_id.encode())
    return WrappedKey(key_id=key_id, salt=salt, nonce=nonce, sealed=sealed, n=n)


def unwrap(wrapped: WrappedKey, passphrase: str, name: str) -> bytes:
    """The key; WrongWorkspacePassphrase when the passphrase does not open it (or the file was altered)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kek = _kek(passphrase, wrapped.salt, wrapped.n, wrapped.r, wrapped.p)
    try:
        key = AESGCM(kek).decrypt(wrapped.nonce, wrapped.sealed, _AAD + wrapped.key_id.encode())
    except InvalidTag:
        raise WrongWorkspacePassphrase(f"the passphrase does not open {name}; nothing was changed") from None
    if len(key) != KEY_BYTES:
        raise WorkspaceError(f"the key file of {name} holds a key of the wrong size; it is damaged")
    return key


def read_wrapped(path: Path) -> WrappedKey:
    """The key file of the (encrypted) workspace at `path`."""
    source = key_file(path)
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WorkspaceLocked(f"{path.name} is encrypted and its key file {source.name} is missing beside it; "
                              f"put the {source.name} that came with it back next to it") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkspaceError(f"the key file {source.name} cannot be read ({exc}).") from exc
    return WrappedKey.from_json(text, source.name)


def write_wrapped(path: Path, wrapped: WrappedKey) -> None:
    from workbench.fs.files import atomic_text

    with atomic_text(key_file(path), private=True) as out:
        out.write(wrapped.to_json())


def _account(key_id: str) -> str:
    return f"workspace-key:{key_id}"


_unlocked: dict[str, bytes] = {}  # key id -> key, once found: a keychain call per connection would cost milliseconds


def remembered_key(path: Path) -> bytes | None:
    """The unlocked key of the encrypted workspace at `path`, from this session or the keychain, or None."""
    from workbench.signing import keychain

    key_id = read_wrapped(path).key_id
    if key_id in _unlocked:
        return _unlocked[key_id]
    stored = keychain.get_passphrase(_account(key_id), notify=_quiet)
    if not stored:
        return None
    try:
        key = bytes.fromhex(stored)
    except ValueError:
        return None
    if len(key) != KEY_BYTES:
        return None
    _unlocked[key_id] = key
    return key


def remember(key_id: str, key: bytes) -> bool:
    """Keep the unlocked key in the keychain (True) or, without one, for this session (False)."""
    from workbench.signing import keychain

    _unlocked[key_id] = key
    return keychain.store_passphrase(_account(key_id), key.hex(), notify=_quiet)


def forget(key_id: str) -> None:
    """Drop the key from this session and the keychain (the workspace is decrypted, or locked again)."""
    from workbench.signing import keychain

    _unlocked.pop(key_id, None)
    keychain.forget_passphrase(_account(key_id))


def is_locked(path: Path) -> bool:
    """An encrypted workspace (with its key file) whose key this session has not unlocked, nor the keychain."""
    return is_encrypted(path) and key_file(path).exists() and remembered_key(path) is None


def workspace_key(path: Path) -> bytes | None:
    """None for a plain workspace; the key of an encrypted one, or WorkspaceLocked if it is not unlocked."""
    if not is_encrypted(path):
        return None
    key = remembered_key(path)
    if key is None:
        raise WorkspaceLocked(f"{path.name} is encrypted and locked: give its passphrase to open it")
    return key


def key_mismatch(path: Path) -> WorkspaceError:
    """A key that does not open the workspace: a truncated or damaged file, or another workspace's key file."""
    return WorkspaceError(f"{path.name} cannot be opened with its key: the file is damaged or truncated, or "
                          f"{key_file(path).name} belongs to another workspace; nothing was changed")


def _quiet(_message: str) -> None:
    """The no-keychain notice is for identities; a workspace's locked state is reported where it matters."""
