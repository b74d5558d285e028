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
            extra: list[tuple[zipfile.ZipInfo | str, bytes]] = ()) -> None:  # type: ignore[assignment]
    """Copy a package with edits; the manifest's hashes are recomputed unless `manifest` edits them after."""
    with zipfile.ZipFile(package) as archive:
        content = {name: archive.read(name) for name in archive.namelist()}
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
    with warnings.catch_warnings(), zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")
        archive.writestr("manifest.json", json.dumps(head))
        for name, data in content.items():
            archive.writestr(name, data)
        for info, data in extra:
            archive.writestr(info, data)
