"""The bench workspace is encrypted like an auditor's, and the benchmarks still run unattended: its key is
kept in the benchmarks' own keychain (bench/keychain.py), which the app and command-line processes they
start use too, so none of them asks for a passphrase."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bench import keychain, run_bench
from bench.generate import generate_workspace
from workbench.store.keys import forget, is_encrypted, is_locked, read_wrapped

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """A small generated workspace, encrypted as run_bench.cached_workspace encrypts the bench's."""
    monkeypatch.setenv("WORKBENCH_BENCH_KEYCHAIN", str(tmp_path / "keychain.json"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "")  # put back after the test: use() sets it
    monkeypatch.setattr(run_bench, "PASSPHRASE_FILE", tmp_path / "passphrase.txt")
    generated = generate_workspace(tmp_path / "bench.db", engagements=2, big_findings=30, big_models=3, big_risks=3,
                                   seed=7)
    run_bench.encrypt_for_bench(generated.path)
    return generated.path, generated.big_uid


def child_env(tmp_path: Path) -> dict[str, str]:
    """What bench/instant.py and bench/bench_gui.py give the processes they start (their own HOME)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "WORKBENCH_LOG_DIR": str(tmp_path / "log"),
           "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_PLAIN_WORKSPACE": "1"}
    env.pop("WORKBENCH_DB", None)
    return env


def test_the_bench_workspace_is_encrypted_and_its_key_kept_in_a_private_bench_keychain(
        bench_workspace: tuple[Path, str], tmp_path: Path) -> None:
    path, _big = bench_workspace
    assert is_encrypted(path) and not is_locked(path)
    store = tmp_path / "keychain.json"
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    assert [name.split("/")[0] for name in json.loads(store.read_text(encoding="utf-8"))] == ["workbench"]
    assert b"SQLite format 3" not in path.read_bytes()[:16]

    forget(read_wrapped(path).key_id)  # a lost bench keychain: the passphrase file unlocks it again
    assert is_locked(path)
    assert run_bench.unlocked(path) == path and not is_locked(path)
    copy = run_bench.copy_workspace(path, tmp_path / "copy.db")
    assert is_encrypted(copy) and not is_locked(copy)


def test_the_command_line_opens_it_without_asking(bench_workspace: tuple[Path, str], tmp_path: Path) -> None:
    path, big = bench_workspace
    assert os.environ["PYTHON_KEYRING_BACKEND"] == keychain.BACKEND
    result = subprocess.run([sys.executable, "-m", "workbench", "--db", str(path), "list", "--json"],
                            env=child_env(tmp_path), capture_output=True, text=True, timeout=120,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert big in {row["uid"] for row in json.loads(result.stdout)}


def test_the_desktop_start_probe_opens_it_unattended(bench_workspace: tuple[Path, str]) -> None:
    from bench import bench_gui

    path, big = bench_workspace
    times = bench_gui.start_process(path, 1, big)  # a passphrase dialog would never be answered: timeout
    assert 0 < times["shown"][0] <= times["ready"][0] <= times["idle"][0] < 60_000
