"""Read a framework file of any supported format, tell which it is, and convert it.

Formats: the workbench's own JSON, an OSCAL catalog (JSON or YAML, resolved-profile catalogs
included) and a CISO Assistant framework library (YAML). The size is checked before a byte is
read; JSON is parsed as JSON, everything else only through safe_yaml.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.catalogs import ciso_assistant, oscal
from workbench.catalogs.common import Conversion
from workbench.catalogs.safe_yaml import load_yaml
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.domain.framework import FORMAT

MAX_FILE_BYTES = 50 * 1000 * 1000  # 50 MB: the largest published catalogs are under 10 MB


@dataclass(frozen=True)
class SourceFile:
    name: str
    sha256: str
    size: int
    data: Any


def read_source(path: Path) -> SourceFile:
    """The file's parsed content and fingerprint; refuses a missing, oversized or unparsable file."""
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(f"no file {path}")
    size = path.stat().st_size
    if size >= MAX_FILE_BYTES:
        raise ValidationError(f"{path.name} is {size / 1e6:.1f} MB; framework files must be under "
                              f"{MAX_FILE_BYTES // 1_000_000} MB")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(f"{path.name}: not UTF-8 text") from None
    if path.suffix.lower() == ".xml" or text.lstrip().startswith("<"):
        raise ValidationError(f"{path.name} is XML; only the JSON and YAML forms of OSCAL catalogs are read "
                              "(NIST and FedRAMP publish every catalog in all three: take the .json one)")
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("{", "[")):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValidationError(f"{path.name}: not valid JSON ({exc})") from None
        except RecursionError:
            raise ValidationError(f"{path.name}: the JSON nests too deeply to be a framework or catalog") from None
    else:
        data = load_yaml(text, path.name)
    return SourceFile(path.name, hashlib.sha256(raw).hexdigest(), size, data)


def detect_format(data: Any, name: str) -> str:
    if isinstance(data, dict) and data.get("format") == FORMAT:
        return "workbench"
    if oscal.is_catalog(data):
        return "oscal-catalog"
    if oscal.is_profile(data):
        raise ValidationError(f"{name}: an OSCAL profile lists controls of another catalog; resolve it into a "
                              "catalog first (e.g. a published *-resolved-profile_catalog file)")
    if ciso_assistant.is_library(data):
        return "ciso-assistant"
    raise ValidationError(f"{name} is neither a workbench framework, an OSCAL catalog nor a CISO Assistant library")


def convert(source: SourceFile) -> Conversion:
    """The native framework document for a read file (not yet validated by parse_framework)."""
    kind = detect_format(source.data, source.name)
    if kind == "oscal-catalog":
        return oscal.convert_catalog(source.data)
    if kind == "ciso-assistant":
        return ciso_assistant.convert_library(source.data)
    return Conversion(dict(source.data), "workbench")
