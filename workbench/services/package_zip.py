"""The zip level of an engagement package: opening it, its members' names and sizes, reading them safely.

Nothing is parsed here: every member is checked against the limits (zip bombs, member count, total size)
and the names a package may hold, before package_checks reads the manifest and the document.
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.domain.errors import PackageError
from workbench.fs.faults import ZIP_ERRORS
from workbench.services.package_signature import MAX_SIGNATURE_BYTES, SIGNATURE
from workbench.signing.envelope_head import is_envelope_file

if TYPE_CHECKING:
    from workbench.services.package_envelope import OpeningKeys

MANIFEST = "manifest.json"
DOCUMENT = "engagement.json"
EVIDENCE_NAME = re.compile(r"^evidence/([0-9a-f]{64})$")

MAX_PACKAGE_BYTES = 4 * 1024**3
MAX_TOTAL_BYTES = 8 * 1024**3
MAX_MEMBER_BYTES = 1024**3  # an evidence file, as in services.evidence
MAX_MANIFEST_BYTES = 16 * 1024**2
MAX_DOCUMENT_BYTES = 512 * 1024**2
MAX_MEMBERS = 50_000
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 1024**2  # small members may compress better than MAX_RATIO
CHUNK = 1024**2


@contextmanager
def open_package(source: Path, keys: OpeningKeys | None = None) -> Iterator[zipfile.ZipFile]:
    """Open the zip after checking the file itself; damage found while opening is a PackageError.

    An encrypted package (services.package_envelope) is opened in memory with `keys`; without them it is
    refused in plain words."""
    if not source.is_file():
        raise PackageError(f"there is no package file at {source}")
    if source.stat().st_size > MAX_PACKAGE_BYTES:
        raise PackageError(f"{source.name} is larger than the {MAX_PACKAGE_BYTES // 1024**3} GB package limit")
    zip_source: Path | io.BytesIO = source
    if is_envelope_file(source):  # the cryptography loads only for an encrypted package
        from workbench.services.package_envelope import open_sealed

        zip_source = io.BytesIO(open_sealed(source, keys))
    try:
        archive = zipfile.ZipFile(zip_source)
    except zipfile.BadZipFile:
        raise PackageError(f"{source.name} is not an engagement package (not a zip file)") from None
    except ZIP_ERRORS as exc:
        raise PackageError(f"{source.name} cannot be read as a zip file ({exc})") from None
    with archive:
        yield archive


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        data = archive.read(info)
    except ZIP_ERRORS as exc:
        raise PackageError(f"the package is damaged: {info.filename} cannot be read ({exc})") from None
    if len(data) != info.file_size:
        raise PackageError(f"the package is damaged: {info.filename} is not the size its zip entry says")
    return data


def hash_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    digest, size = hashlib.sha256(), 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > info.file_size:
                    break
                digest.update(chunk)
    except ZIP_ERRORS as exc:
        raise PackageError(f"the package is damaged: {info.filename} cannot be read ({exc})") from None
    if size != info.file_size:
        raise PackageError(f"the package is damaged: {info.filename} is not the size its zip entry says")
    return digest.hexdigest()


# -- structure ---------------------------------------------------------------------------------


def _check_name(name: str) -> None:
    if "\\" in name:
        raise PackageError(f"the package member '{name}' has a backslash in its path")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise PackageError(f"the package member '{name}' has an absolute path")
    if ".." in name.split("/"):
        raise PackageError(f"the package member '{name}' points outside the package ('..')")
    if "\x00" in name or any(ord(c) < 32 for c in name):
        raise PackageError("a package member has control characters in its name")


def _check_member(info: zipfile.ZipInfo) -> None:
    name = info.filename
    _check_name(name)
    if stat.S_ISLNK(info.external_attr >> 16):
        raise PackageError(f"the package member '{name}' is a symbolic link")
    if name not in (MANIFEST, DOCUMENT, SIGNATURE) and not EVIDENCE_NAME.match(name):
        raise PackageError(f"the package member '{name}' does not belong in an engagement package")
    if info.flag_bits & 0x1:
        raise PackageError(f"the package member '{name}' is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise PackageError(f"the package member '{name}' uses an unsupported compression method")
    limit = {MANIFEST: MAX_MANIFEST_BYTES, DOCUMENT: MAX_DOCUMENT_BYTES,
             SIGNATURE: MAX_SIGNATURE_BYTES}.get(name, MAX_MEMBER_BYTES)
    if info.file_size > limit:
        raise PackageError(f"the package member '{name}' is larger than the {limit // 1024**2} MB limit")
    if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise PackageError(f"the package member '{name}' expands more than {MAX_RATIO} times (a zip bomb?)")


def check_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """Names, links, duplicates, sizes and compression ratios of every member."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise PackageError(f"the package has {len(infos):,} members, more than the {MAX_MEMBERS:,} allowed")
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        _check_member(info)
        if info.filename in members:
            raise PackageError(f"the package member '{info.filename}' appears more than once")
        members[info.filename] = info
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        raise PackageError(f"the package expands to more than {MAX_TOTAL_BYTES // 1024**3} GB")
    return members
