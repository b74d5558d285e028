"""One writer per workspace: an OS file lock that dies with its process.

The lock file beside the workspace holds the holder's host and pid for the message. The lock
itself is an advisory OS lock (flock / msvcrt), which the kernel releases when the process
ends, so a crash never leaves the workspace locked.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

from workbench.domain.errors import WorkspaceError

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False


class WorkspaceLock:
    """Held while a process may write the workspace."""

    def __init__(self, workspace_path: Path) -> None:
        self.path = workspace_path.with_name(workspace_path.name + ".lock")
        self._fd: int | None = None

    def holder(self) -> dict[str, object]:
        try:
            value = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return {}
        return value if isinstance(value, dict) else {}

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            os.close(fd)
            info = self.holder()
            who = f"{info.get('host', 'another computer')}, process {info.get('pid', '?')}"
            raise WorkspaceError(
                f"The workspace {self.path.with_suffix('').name} is in use by {who}. "
                "Close the other window or program and try again."
            )
        self._fd = fd
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, json.dumps({"host": socket.gethostname(), "pid": os.getpid()}).encode())
            os.fsync(fd)
        except OSError:  # a full disk: the lock holds all the same; only the holder's name for messages is lost
            pass

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
        finally:
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None
