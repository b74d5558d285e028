"""What a thief must not read in any file the app wrote, and the search for it in every byte of them."""

from __future__ import annotations

import os
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from workbench.store.light import reader


def client_strings(path: Path) -> set[bytes]:
    """What a thief must not read: client names and contact e-mails, finding titles, evidence files' text."""
    with reader(path) as conn:
        found = {row[0] for row in conn.execute("SELECT name FROM client")}
        found |= {row[0] for row in conn.execute("SELECT contact_email FROM client WHERE contact_email != ''")}
        found |= {row[0] for row in conn.execute("SELECT title FROM finding")}
        blobs = [bytes(row[0]) for row in conn.execute("SELECT data FROM evidence_blob")]
    texts = {blob[:48] for blob in blobs if blob[:48].isascii() and len(blob) >= 48}
    assert len(found) > 20 and texts, "the samples should hold names, e-mails, findings and text evidence"
    return {text.encode("utf-8") for text in found} | texts


def written_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def readable(path: Path) -> bytes:
    """The file's bytes, and if it is a zip (a clear package) every member's inflated bytes too."""
    data = path.read_bytes()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            data += b"".join(archive.read(info) for info in archive.infolist())
    return data


def leaks(files: list[Path], secrets: set[bytes]) -> list[str]:
    """Each file and secret found in it in clear (inside a zip's compressed members too)."""
    found = []
    for path in files:
        data = readable(path)
        found += [f"{path.name}: {secret[:30]!r}" for secret in secrets if secret in data]
    return found


_RECORDERS: list[list[Path]] = []
WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT


def _audit(event: str, args: tuple[object, ...]) -> None:
    if not _RECORDERS or event not in ("open", "os.mkdir"):
        return
    path = args[0]
    if not isinstance(path, (str, bytes, os.PathLike)):
        return  # a file descriptor
    flags = args[2] if event == "open" else WRITING
    if isinstance(flags, int) and flags & WRITING:
        _RECORDERS[-1].append(Path(os.path.abspath(os.fsdecode(path))))


@contextmanager
def writes_recorded() -> Iterator[list[Path]]:
    """Every file this process opens for writing (or folder it makes) inside the block, from any thread
    (a Python audit hook: nothing escapes it, even a file removed again before the block ends)."""
    if not getattr(sys, "_workbench_write_hook", False):
        sys.addaudithook(_audit)  # audit hooks cannot be removed: one for the whole test run
        sys._workbench_write_hook = True  # type: ignore[attr-defined]
    recorded: list[Path] = []
    _RECORDERS.append(recorded)
    try:
        yield recorded
    finally:
        _RECORDERS.remove(recorded)


def inside(paths: list[Path], folders: list[Path]) -> list[Path]:
    """The paths that lie in one of `folders` (or are one of them)."""
    resolved = [Path(os.path.realpath(folder)) for folder in folders]
    return [path for path in paths if any(folder == Path(os.path.realpath(path)) or folder in
                                          Path(os.path.realpath(path)).parents for folder in resolved)]
