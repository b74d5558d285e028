"""Writing files so that a failure never leaves half a file under the final name.

`atomic_output(path)` hands out a temporary file beside the target, named `.NAME.wb<pid>-<random>.tmp`;
when the block ends it is flushed, synced and renamed over the target in one step. A full disk, a
read-only folder, an exception or Ctrl+C leaves the target as it was and removes the temporary file; a
kill -9 cannot remove it, so the next write into the same folder sweeps temporary files whose process
no longer runs. Faults come out as StorageError in plain words (fs.faults).

Nothing holding client data goes to a temporary folder: report renders and previews are made in memory
(services.deliverables.render_pdf), since on a system without a memory-backed temp folder it would be the
disk, in clear.

Private files (the workspace, backups, logs, identities) are created 0600 in 0700 folders; deliverables
(reports, packages, exported tables) follow the user's umask like any file a program saves.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from workbench.fs.faults import storage_faults

TEMP_FILE = re.compile(r"^\..+\.wb(\d+)-[A-Za-z0-9_]+\.tmp$")
PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700


def pid_alive(pid: int) -> bool:
    """Whether process `pid` may still run. Outside POSIX the answer is always yes (Windows' os.kill would end
    the process), so there temporary files of killed processes stay until removed by hand."""
    if pid == os.getpid() or os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists (another user's), or we cannot tell: leave its files alone
    return True


def sweep_stale(folder: Path) -> int:
    """Remove the temporary files of dead workbench processes from `folder`; returns how many."""
    removed = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = TEMP_FILE.match(entry.name)
            if match and entry.is_file(follow_symlinks=False) and not pid_alive(int(match.group(1))):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def umask() -> int:
    """The process's umask, read without changing it where the system allows (Linux: /proc)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    current = os.umask(0o022)
    os.umask(current)
    return current


def private_folder(folder: Path) -> Path:
    """Create `folder` (and missing parents) as 0700; an existing folder keeps its mode."""
    with storage_faults(folder):
        folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    return folder


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    if os.name == "posix":  # the rename itself reaches the disk (Windows cannot open a folder this way)
        with contextlib.suppress(OSError):
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


@contextmanager
def atomic_path(path: Path, *, private: bool = False) -> Iterator[Path]:
    """A temporary file beside `path` for the block to fill (by name: openpyxl, SQLite's backup); when the
    block completes it is synced and renamed over `path`. See the module doc."""
    path = Path(path)
    with storage_faults(path):
        if private:
            private_folder(path.parent)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
        sweep_stale(path.parent)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.wb{os.getpid()}-", suffix=".tmp")
        os.close(fd)
    temp = Path(name)
    try:
        with storage_faults(path):
            yield temp
            _sync(temp)
            os.chmod(temp, PRIVATE_FILE if private else 0o666 & ~umask())
            os.replace(temp, path)
        _sync_folder(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


@contextmanager
def atomic_output(path: Path, *, private: bool = False) -> Iterator[BinaryIO]:
    """A binary file object whose content replaces `path` only if the block completes."""
    with atomic_path(path, private=private) as temp, temp.open("wb") as handle:
        yield handle


@contextmanager
def atomic_text(path: Path, *, encoding: str = "utf-8", newline: str | None = None,
                private: bool = False) -> Iterator[TextIO]:
    """A text file object whose content replaces `path` only if the block completes."""
    with atomic_path(path, private=private) as temp, temp.open("w", encoding=encoding, newline=newline) as handle:
        yield handle
