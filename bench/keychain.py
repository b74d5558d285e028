"""The benchmarks' keychain: the bench workspace is encrypted like an auditor's, and its key is kept here.

An auditor's workspace key is kept unlocked in the OS keychain, so the app and the command line open the
workspace without asking and without deriving the key from the passphrase (scrypt) at each start. A
benchmark machine (headless, shared) has no keychain, so the benchmarks bring their own: a keyring backend
that keeps its entries in a private file (0600) under bench/out/, named by WORKBENCH_BENCH_KEYCHAIN
(tests) or bench/out/keychain.json. `use()` makes it this process's keychain and, through
PYTHON_KEYRING_BACKEND, that of every process it starts (the app and command line probes of bench/instant.py
and bench/bench_gui.py, which find bench/ on their PYTHONPATH). It holds a benchmark key for generated
data only; never point it at a real workspace.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

BACKEND = "bench.keychain.BenchKeyring"


def keychain_file() -> Path:
    named = os.environ.get("WORKBENCH_BENCH_KEYCHAIN")
    return Path(named) if named else Path(__file__).resolve().parent / "out" / "keychain.json"


class BenchKeyring(KeyringBackend):
    """keyring's backend interface over one private JSON file."""

    priority = 1  # above keyring's fail backend (0): workbench.signing.keychain then uses it

    def _entries(self) -> dict[str, str]:
        try:
            entries = json.loads(keychain_file().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in entries.items()} if isinstance(entries, dict) else {}

    def _write(self, entries: dict[str, str]) -> None:
        from workbench.fs.files import atomic_text

        with atomic_text(keychain_file(), private=True) as handle:
            json.dump(entries, handle, indent=1, sort_keys=True)

    def get_password(self, service: str, username: str) -> str | None:
        return self._entries().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self._write({**self._entries(), f"{service}/{username}": password})

    def delete_password(self, service: str, username: str) -> None:
        entries = self._entries()
        if entries.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(f"no {service}/{username} in the bench keychain")
        self._write(entries)


def use() -> None:
    """The bench keychain for this process and every process it starts."""
    import keyring

    os.environ["PYTHON_KEYRING_BACKEND"] = BACKEND
    keyring.set_keyring(BenchKeyring())  # type: ignore[no-untyped-call]  # keyring's __init__ is untyped
    from workbench.signing import keychain

    keychain.reset()  # it may have judged the keychain missing before
