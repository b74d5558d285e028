"""Fault fixtures: a small disk (a tmpfs, when this machine lets the tests mount one), read-only folders,
and running the command line in-process while catching what it prints."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from workbench.cli import main


def _mount(folder: Path, size: str) -> bool:
    if os.name != "posix" or os.geteuid() != 0:
        return False
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "none", str(folder)],
                          capture_output=True, check=False)
    return done.returncode == 0


def _umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 32 MB disk of its own (tmpfs). Skipped where mounting is not allowed (not root, no CAP_SYS_ADMIN);
    test_injected_faults.py covers the same messages with injected errors."""
    folder = tmp_path / "disk"
    if not _mount(folder, "32m"):
        pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)")
    try:
        yield folder
    finally:
        _umount(folder)


def fill(disk: Path) -> Path:
    """Fill the disk to the last block; returns the filler file (delete it to free the space)."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as handle:  # unbuffered: nothing left to flush (and fail) on close
        for size in (65536, 4096, 1):
            try:
                while handle.write(b"\0" * size):
                    pass
            except OSError:
                pass
    return filler


def make_read_only(disk: Path) -> None:
    """Remount the small disk read-only: not even root may write it."""
    done = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("cannot remount the tmpfs read-only here")


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run `workbench ARGS` in this process; collect garbage after it so that a file object a failed write
    left open would print its 'Exception ignored' into the captured stderr."""

    def run(*args: str) -> Run:
        ignored: list[str] = []
        previous = sys.unraisablehook
        sys.unraisablehook = lambda unraisable: ignored.append(f"Exception ignored in {unraisable.object!r}")
        try:
            code = main(list(args))
            gc.collect()
        finally:
            sys.unraisablehook = previous
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err + "".join(ignored))

    return run


def one_plain_line(run: Run, *words: str) -> None:
    assert run.code == 2, (run.out, run.err)
    assert run.err.count("\n") == 1 and run.err.startswith("workbench: "), run.err
    assert "unexpected error" not in run.err and "Traceback" not in run.err and "Exception ignored" not in run.err
    for word in words:
        assert word in run.err, run.err
