"""Storage faults in plain words: a full disk, a read-only file or folder, a missing folder, a file in use.

The system names these in its own terms (errno 28, "attempt to write a readonly database", "disk I/O
error"); `plain_fault` turns an OSError or a SQLite error into one sentence that names the file and what
to do. `StorageError` carries it: the CLI prints it and exits 2, the GUI shows it in a dialog, and the
traceback goes to the log file only.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
import sys
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from workbench.domain.errors import WorkbenchError

FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
DENIED = {errno.EACCES, errno.EPERM}
IN_USE = {errno.EBUSY, errno.ETXTBSY, errno.EAGAIN}
WINDOWS_IN_USE = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION


# What zipfile raises on a damaged or hostile archive, each caught where a zip is read and turned into one plain
# refusal: BadZipFile and zlib.error for damage, EOFError for truncation, NotImplementedError for an unknown
# compression method, RuntimeError for an encrypted member, ValueError for impossible header fields, OSError for
# the file itself. Package and spreadsheet readers share it (an .xlsx file is a zip).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError)


class StorageError(WorkbenchError):
    """A file or folder cannot be read or written: full disk, read-only, missing, in use."""


def _name(target: str | Path | None) -> str:
    return str(target) if target else "the file"


def describe_os_error(exc: OSError, target: str | Path | None = None) -> str:
    """One sentence for an OSError while using `target` (the file the user named, if known)."""
    where = _name(exc.filename or target)
    code = exc.errno
    if code in FULL:
        return f"the disk is full: {where} could not be written, and nothing was changed; free some space and try again"
    if code == errno.EROFS:
        return f"{where} cannot be written: it is on a read-only disk"
    if code in DENIED:
        return f"{where} cannot be used: permission denied (the file or its folder is read-only or not yours)"
    if code == errno.ENOENT:
        return f"the folder of {where} does not exist" if exc.filename or target else "a folder does not exist"
    if code in (errno.ENOTDIR, errno.EEXIST):
        return f"{where} cannot be written: a file is in the way where a folder should be"
    if code in IN_USE or getattr(exc, "winerror", None) in WINDOWS_IN_USE:
        return f"{where} is in use by another program; close it there and try again"
    if code == errno.EISDIR:
        return f"{where} is a folder, not a file"
    return f"{where} cannot be used: {exc.strerror or exc}"


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < 1024 * 1024
    except OSError:
        return False


def database_errors() -> tuple[type[Exception], ...]:
    """What a database call may raise: sqlite3's errors, and SQLCipher's (an encrypted workspace's driver,
    store/connect.py) once it is loaded."""
    cipher = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.Error, cipher.Error) if cipher is not None else (sqlite3.Error,)


def describe_database_error(exc: BaseException, workspace: str | Path) -> str | None:
    """One sentence for an error SQLite reported on the workspace, or None for one that is not a storage fault."""
    cause = getattr(exc, "orig", None) or exc
    if not isinstance(cause, database_errors()):
        return None
    text = str(cause).lower()
    name = Path(workspace).name
    if "disk is full" in text or ("disk i/o error" in text and _nearly_full(Path(workspace).parent)):
        return f"the disk is full: {name} could not be written, and nothing was changed; free some space and try again"
    if "readonly" in text or "read-only" in text:
        return f"{name} is read-only (the file or its folder); it can be read but not changed"
    if "unable to open" in text:
        return f"{name} cannot be opened: its folder is missing, read-only or not readable"
    if "locked" in text or "busy" in text:
        return f"{name} is busy: another program is writing it; try again in a moment"
    if "disk i/o error" in text:
        return f"{name} could not be read or written (a disk error: is the disk full, removed or read-only?)"
    if "malformed" in text or "not a database" in text:
        return f"{name} is damaged and cannot be read as a workspace"
    return None


def plain_fault(exc: BaseException, target: str | Path | None = None, *, os_errors: bool = True) -> str | None:
    """The plain sentence for a storage fault, or None if `exc` is something else."""
    if isinstance(exc, OSError):
        return describe_os_error(exc, target) if os_errors else None
    return describe_database_error(exc, target or "the workspace")


@contextmanager
def storage_faults(target: str | Path | None, *, os_errors: bool = True) -> Iterator[None]:
    """Turn a storage fault raised inside the block into a StorageError about `target`; with `os_errors`
    False only SQLite's (a block that also reads other files keeps their OSErrors to describe them itself)."""
    try:
        yield
    except WorkbenchError:
        raise
    except Exception as exc:
        text = plain_fault(exc, target, os_errors=os_errors)
        if text is None:
            raise
        raise StorageError(text) from exc
