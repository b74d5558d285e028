"""`list`, `score` and `show --json` on an ENCRYPTED workspace whose key the keychain keeps stay light: the
process reads the key from the keychain and the rows in plain SQL through SQLCipher, and loads neither the
database layer (SQLAlchemy, SQLModel, pydantic) nor the passphrase prompting and signing machinery
(services.signatures, the identities' X.509 code) nor the cryptography library: no key is unwrapped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import keychain
from workbench.services.encryption import encrypt_workspace
from workbench.store.keys import is_encrypted, is_locked

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, sys
from workbench.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""
HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "cryptography", "workbench.services.signatures",
         "workbench.services.encryption", "workbench.signing.identities", "workbench.store.workspace")

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def encrypted(eng: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """The `eng` workspace encrypted, its key in a keychain the command-line processes share (a file)."""
    monkeypatch.setenv("WORKBENCH_BENCH_KEYCHAIN", str(tmp_path / "keychain.json"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "")  # put back after the test: use() sets it
    keychain.use()
    db, ref = eng
    encrypt_workspace(Path(db), "a long workspace passphrase", scrypt_n=2**10)
    assert is_encrypted(Path(db)) and not is_locked(Path(db))
    return db, ref


def command(db: str, tmp_path: Path, *argv: str) -> tuple[str, list[str]]:
    """(stdout, the modules loaded) of one command-line process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "WORKBENCH_LOG_DIR": str(tmp_path / "log")}
    env.pop("WORKBENCH_DB", None)
    done = subprocess.run([sys.executable, "-c", PROBE, "--db", db, *argv], capture_output=True, text=True,
                          env=env, timeout=120, stdin=subprocess.DEVNULL)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] == 0, done.stderr
    return done.stdout, report["modules"]


@pytest.mark.parametrize("argv", [("list", "--json"), ("score", "{ref}", "--json"), ("show", "{ref}", "--json")])
def test_a_light_command_on_an_encrypted_workspace_loads_no_heavy_library(
        encrypted: tuple[str, str], tmp_path: Path, argv: tuple[str, ...]) -> None:
    db, ref = encrypted
    out, modules = command(db, tmp_path, *(part.format(ref=ref) for part in argv))
    assert "Acme Bank" in out or ref in out  # it read the encrypted rows
    assert "sqlcipher3" in modules
    loaded = [name for name in modules if name.split(".")[0] in HEAVY or name in HEAVY]
    assert loaded == [], loaded


def test_score_reads_the_card_and_the_coverage_as_before(encrypted: tuple[str, str], tmp_path: Path) -> None:
    db, ref = encrypted
    out, _modules = command(db, tmp_path, "score", ref, "--json")
    document = json.loads(out)
    assert document["engagement"]["ref"] == ref
    assert {"overall", "dimensions", "coverage"} <= set(document)
    assert document["coverage"]["signoffs"]["total"] > 0
