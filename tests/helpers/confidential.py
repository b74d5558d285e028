"""What a thief must not read in any file the app wrote, and the search for it in every byte of them."""

from __future__ import annotations

import zipfile
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
