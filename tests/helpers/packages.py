"""Engagement packages edited the way a forger or a broken tool would."""

from __future__ import annotations

import hashlib
import json
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def rewrite(package: Path, target: Path, *, doc: Callable[[dict[str, Any]], None] | None = None,
            members: Callable[[dict[str, bytes]], None] | None = None,
            manifest: Callable[[dict[str, Any]], None] | None = None,
            extra: list[tuple[zipfile.ZipInfo | str, bytes]] = (),  # type: ignore[assignment]
            keep_signature: bool = False, sign_with: Any = None) -> None:
    """Copy a package with edits; the manifest's hashes are recomputed unless `manifest` edits them after.

    The exporter's signature.json is dropped (it would no longer fit), kept as it was with `keep_signature`,
    or replaced by one of `sign_with` (a Signer: the forger's own key)."""
    from workbench.services.package_signature import signature_document

    with zipfile.ZipFile(package) as archive:
        content = {name: archive.read(name) for name in archive.namelist()}
    signature = content.pop("signature.json", None)
    document = json.loads(content["engagement.json"])
    if doc:
        doc(document)
        content["engagement.json"] = json.dumps(document, ensure_ascii=False).encode("utf-8")
    if members:
        members(content)
    head = json.loads(content.pop("manifest.json"))
    head["files"] = {name: sha(data) for name, data in content.items()}
    if manifest:
        manifest(head)
    manifest_bytes = json.dumps(head).encode("utf-8")
    if sign_with is not None:
        signature = signature_document(sign_with, manifest_bytes)
    with warnings.catch_warnings(), zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")
        archive.writestr("manifest.json", manifest_bytes)
        if signature is not None and (keep_signature or sign_with is not None):
            archive.writestr("signature.json", signature)
        for name, data in content.items():
            archive.writestr(name, data)
        for info, data in extra:
            archive.writestr(info, data)
